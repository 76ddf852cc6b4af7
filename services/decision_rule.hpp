#pragma once
// services/decision_rule.hpp: how a roll-call is decided, as a pure function of the counts.
//
// The rule, as the bylaws state it (DESIGN.md section 5, issue 4):
//   electorate  the members seated when the vote opened, minus those recused. A member whose
//               mandate ended during the vote stays in it and, not having voted, is absent.
//   seats       the members seated when the vote opened, the recused included: a recusal
//               takes a member out of the quorum and the vote, not out of the council.
//   present     for + against + abstain: abstentions count as present.
//   quorum      met iff electorate > 0 and present * 100 >= quorum_percent * electorate.
//               Without quorum the proposal is rejected, whatever the counts.
//   majority    simple      approved iff for > against (votes cast = for + against);
//               absolute    approved iff for * 2 > seats (more than half of the seated
//                           members, issue 4: recusals do not lower the bar);
//               two_thirds  approved iff for > 0 and for * 3 >= 2 * (for + against): at least
//                           two thirds of the votes cast; abstentions are not votes cast.
//   tie         only under `simple`, for == against (for > 0): under `rejected` the proposal
//               is rejected; under `chair_decides` it is approved iff the chair voted for.
//               A tie with no votes for (nobody for or against) is simply rejected.
//               `lot` is not supported: the services refuse it in new bylaws (tie_rule_unsupported)
//               and this function treats it as `rejected`.
// Integer arithmetic only; every result passes the ledger's CheckDecisionCounts (asserted).

#include "ledger/entry.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace wijkbudget::services {

struct RollCallCounts {
    std::uint64_t electorate{0}; //!< Seated at opening, minus recusals.
    std::uint64_t votes_for{0};
    std::uint64_t votes_against{0};
    std::uint64_t abstentions{0};
    //! The chair's vote, if the chair voted (a recused chair cannot).
    std::optional<ledger::VoteChoice> chair_choice;
    //! Seated at opening and recused: still seats, so `absolute` counts them.
    std::uint64_t recused{0};
};

struct DecisionRule {
    std::uint64_t quorum_percent{0}; //!< 1..100, as the bylaws allow.
    ledger::MajorityRule majority{ledger::MajorityRule::simple};
    ledger::TieRule tie_rule{ledger::TieRule::rejected};
};

//! Stable codes for why a roll-call ended as it did (for logs and the API, never parsed).
namespace decision_reason {
inline constexpr std::string_view NO_ELECTORATE{"no_electorate"};
inline constexpr std::string_view NO_QUORUM{"no_quorum"};
inline constexpr std::string_view MAJORITY_FOR{"majority_for"};
inline constexpr std::string_view NO_MAJORITY{"no_majority"};
inline constexpr std::string_view TIE_REJECTED{"tie_rejected"};
inline constexpr std::string_view TIE_CHAIR_FOR{"tie_chair_for"};
inline constexpr std::string_view TIE_CHAIR_NOT_FOR{"tie_chair_not_for"};
} // namespace decision_reason

struct RollCallOutcome {
    bool quorum_met{false};
    ledger::DecisionResult result{ledger::DecisionResult::rejected};
    std::string_view reason; //!< One of decision_reason.
};

/**
 * Decides a roll-call under `rule`.
 * @pre counts.votes_for + votes_against + abstentions <= counts.electorate, and
 *      rule.quorum_percent in 1..100 (the caller counts only ballots of the electorate).
 */
RollCallOutcome DecideRollCall(const RollCallCounts& counts, const DecisionRule& rule);

} // namespace wijkbudget::services
