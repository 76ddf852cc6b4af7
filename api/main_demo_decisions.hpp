#pragma once
// api/main_demo_decisions.hpp: the living part of the demo: two councils that decide.
//
// Haarlem's 2019 report recommends an experiment with one or two councils that want the
// budget-manager role. The demo makes two such councils: members with mandates (and names, kept
// outside the ledger), bylaws, proposals decided by roll-call (approved and rejected, one above
// the co-approval limit), commitments, spending with a second member's confirmation, and a
// release, so that the quick start shows a ledger with decisions on it.

#include "ledger/append.hpp"
#include "services/decisions.hpp"
#include "services/governance.hpp"
#include "services/member_names.hpp"

#include <optional>
#include <string>

namespace wijkbudget::cli {

//! The councils of the CSV that get decisions; both must be in it.
inline constexpr std::string_view DEMO_DECIDING_COUNCIL_A{"scheepmakersdijk"};
inline constexpr std::string_view DEMO_DECIDING_COUNCIL_B{"leidsebuurt"};

/** Appends through `appender` under the Idempotency-Key `key`, and waits: the demo is a script.
 * A key already used returns its stored answer, so a second run changes nothing; a database
 * failure is retried under the same key (api/command_append.hpp). A refusal is not stored under
 * the key (AppendRequest::record_refusal): run again once its cause is gone, the step is made.
 * `input`: the digest of what the command was given (`round import`'s file and options), so that a
 * rerun under the same keys with other input is refused instead of replaying the first run's
 * answers. The demo's own keys go without: its data is the repository's, and its stored claims hash
 * the key alone.
 * @throws CommandError (the message opens with the key) when the entry is refused or cannot be
 * written. */
void AppendDemoEntry(ledger::Appender& appender, const std::string& key, services::DraftMaker draft,
                     const std::optional<ledger::Hash>& input = std::nullopt);

/** Loads the two councils' decisions. @pre both councils are registered with their 2027 grants,
 *  and `decisions` reads a Governance projection that `appender` feeds. */
void LoadDemoDecisions(ledger::Appender& appender, services::DecisionService& decisions,
                       const services::Governance& governance, services::MemberNames& names);

} // namespace wijkbudget::cli
