#include "services/decision_rule.hpp"

#include "ledger/assert.hpp"

namespace wijkbudget::services {
namespace {

using ledger::DecisionResult;
using ledger::MajorityRule;
using ledger::TieRule;

//! The largest electorate the ledger allows keeps every product below far from overflow.
static_assert(ledger::ELECTORATE_MAX < 1'000'000);

bool QuorumMet(const RollCallCounts& counts, std::uint64_t quorum_percent)
{
    const std::uint64_t present = counts.votes_for + counts.votes_against + counts.abstentions;
    return counts.electorate > 0 && present * 100 >= quorum_percent * counts.electorate;
}

RollCallOutcome Decided(bool approved, std::string_view reason)
{
    return {true, approved ? DecisionResult::approved : DecisionResult::rejected, reason};
}

RollCallOutcome DecideTie(const RollCallCounts& counts, TieRule tie_rule)
{
    // Lot is refused in new bylaws; a ledger that still names it gets the safe outcome.
    if (tie_rule != TieRule::chair_decides) return Decided(false, decision_reason::TIE_REJECTED);
    const bool chair_for = counts.chair_choice == ledger::VoteChoice::in_favour;
    return Decided(chair_for,
                   chair_for ? decision_reason::TIE_CHAIR_FOR : decision_reason::TIE_CHAIR_NOT_FOR);
}

RollCallOutcome DecideMajority(const RollCallCounts& counts, MajorityRule majority)
{
    const std::uint64_t in_favour = counts.votes_for;
    const std::uint64_t against = counts.votes_against;
    bool approved = false;
    switch (majority) {
    case MajorityRule::simple: approved = in_favour > against; break;
    case MajorityRule::absolute:
        approved = in_favour * 2 > counts.electorate + counts.recused;
        break;
    case MajorityRule::two_thirds:
        approved = in_favour > 0 && in_favour * 3 >= 2 * (in_favour + against);
        break;
    }
    return Decided(approved,
                   approved ? decision_reason::MAJORITY_FOR : decision_reason::NO_MAJORITY);
}

} // namespace

RollCallOutcome DecideRollCall(const RollCallCounts& counts, const DecisionRule& rule)
{
    WB_ASSERT(rule.quorum_percent >= 1 && rule.quorum_percent <= 100);
    WB_ASSERT(counts.electorate + counts.recused <= ledger::ELECTORATE_MAX);
    WB_ASSERT(counts.votes_for + counts.votes_against + counts.abstentions <= counts.electorate);
    if (counts.electorate == 0) {
        return {false, DecisionResult::rejected, decision_reason::NO_ELECTORATE};
    }
    if (!QuorumMet(counts, rule.quorum_percent)) {
        return {false, DecisionResult::rejected, decision_reason::NO_QUORUM};
    }
    const bool tie = counts.votes_for == counts.votes_against && counts.votes_for > 0;
    const RollCallOutcome outcome = tie && rule.majority == MajorityRule::simple
                                        ? DecideTie(counts, rule.tie_rule)
                                        : DecideMajority(counts, rule.majority);
    // What the ledger's CheckDecisionCounts demands of every approval, whatever the rule.
    if (outcome.result == DecisionResult::approved) {
        WB_ASSERT(outcome.quorum_met);
        WB_ASSERT(counts.votes_for > 0);
        WB_ASSERT(counts.votes_for >= counts.votes_against);
        WB_ASSERT(counts.votes_for != counts.votes_against ||
                  rule.tie_rule == TieRule::chair_decides);
    }
    return outcome;
}

} // namespace wijkbudget::services
