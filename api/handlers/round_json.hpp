#pragma once
// api/handlers/round_json.hpp: the JSON of residents' rounds (issue 6), from the Rounds
// projection. Internal to api/.
//
// Field names follow the entries' own (budget_cents, opens_at, tie_seed, ...), and each step
// links to its ledger index. The tallies (each project's votes and points, the winners) are the
// close's, so they appear only once the round is closed: running totals must not sway voters.

#include "services/rounds.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace wijkbudget::api {

//! Where the round stands at `now`: "upcoming" (before opens_at), "voting", "counting" (voting
//! ended, the close is not recorded yet) or "closed".
std::string_view RoundStateOf(const services::RoundSummary& round, ledger::Timestamp now);

//! What lists show of a round.
boost::json::object RoundSummaryJson(const services::RoundSummary& round, ledger::Timestamp now);

//! Everything about a round: its opening as recorded (projects, ballot rules, tie seed and
//! order), its code batches and, once closed, the outcome as round.closed recorded it.
boost::json::object RoundJson(const services::RoundSummary& round, ledger::Timestamp now);

} // namespace wijkbudget::api
