#pragma once
// services/round_import.hpp: a past election read from a Pabulib .pb file (issue 6: "rounds can
// be created from a .pb file for testing and for migrating past elections").
//
// The file is read by pb/ exactly as pabutools reads it, and must fit a round: approval (or
// choose-1) or cumulative ballots, at most ROUND_PROJECTS_MAX projects with slug ids, amounts in
// whole cents, at most IMPORTED_BALLOTS_MAX ballots with distinct voter ids and no project listed
// with 0 points. The round it becomes keeps the file's projects, costs and ballots; its tie order
// is the file's id order (the zero seed, ledger/round_rules.hpp), so its count equals pabutools'.
// Voters are known by a nullifier of their voter id, never by the id itself.

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"
#include "services/round_requests.hpp"

#include <boost/system/result.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace wijkbudget::services {

//! A migration, not a live vote: a bound on the entries one import appends.
inline constexpr std::size_t IMPORTED_BALLOTS_MAX{20'000};

//! What the file does not say: where the round belongs and when it was held.
struct PastRoundSettings {
    ledger::Slug id;
    ledger::Title title;
    ledger::Slug district;
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::initiatives};
    ledger::Timestamp opens_at;
    ledger::Timestamp closes_at;
    /** The rule to count with; none for the rule the file's META names (the one the city used):
     *  `greedy`, or `equalshares/add1` (as export.pb writes equal_shares) or `equal_shares`. A
     *  file naming another (or none) needs one here; one that names a rule it maps to needs the
     *  same here, or the round would be counted, for good, otherwise than the city counted it. */
    std::optional<ledger::RoundRule> rule;
    std::uint64_t min_turnout_percent{0};
};

struct PastBallot {
    ledger::Hash nullifier{};
    std::vector<ledger::BallotChoice> choices;
};

struct PastRound {
    RoundOpening opening;
    std::vector<PastBallot> ballots;
};

//! The nullifier of an imported voter: SHA-256 under its own label, the round and the voter id.
ledger::Hash ImportedVoterNullifier(const ledger::Slug& round, std::string_view voter_id);

//! The round a .pb file describes, or why it cannot be one ("line 12: ...").
boost::system::result<PastRound, ledger::Failure> ReadPastRound(std::string_view pb_text,
                                                                const PastRoundSettings& settings);

} // namespace wijkbudget::services
