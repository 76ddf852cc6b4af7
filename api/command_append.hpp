#pragma once
// api/command_append.hpp: one append by an operator's command (`demo`, `round import`, `codes
// issue`), which waits for the answer and retries what a retry makes safe.
//
// A command is a script run on the server host: nobody is there to retry after a 503. When the
// sequencer answers `unavailable`, the database failed, and if it failed as the commit went out
// the entry may be stored all the same (ledger/append.hpp). Giving up then would leave the
// operator not knowing whether the entry exists: `codes issue` would remove the letters' codes
// of a batch the ledger may count. Appending again under the same claim settles it, as an HTTP
// client's retry does: a stored claim replays its answer, an absent one appends now. The
// sequencer takes the retry under the ledger's lock, after the failed transaction has ended.

#include "ledger/append.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <functional>

namespace wijkbudget::api {

//! Tries of one append before a command gives up (the first and three retries).
inline constexpr int COMMAND_APPEND_TRIES_MAX{4};
//! The wait before the first retry; it doubles before each next one (0.5, 1 and 2 s: long
//! enough for a restarted or failed-over database to take connections again).
inline constexpr std::chrono::milliseconds COMMAND_APPEND_FIRST_WAIT{500};

using CommandSleep = std::function<void(std::chrono::milliseconds)>;

/** Submits `request` and waits for its answer; after AppendFailure::unavailable, submits it again
 * under the same claim, up to COMMAND_APPEND_TRIES_MAX tries in all, waiting through `sleep`
 * (std::this_thread::sleep_for when empty) between tries. Any other failure of the first try is
 * returned at once: nothing was written for it. `unavailable` is returned when no try got an
 * answer after one failed so (a later read_only or shutting_down says nothing of that one's
 * commit): whether the entry is stored is then unknown. @pre request.claim is set (without one a
 * retry could append twice), and request's functions may be called again (the sequencer calls each
 * once a try). */
boost::system::result<ledger::AppendReply, ledger::AppendFailure>
AppendAndWait(ledger::Appender& appender, const ledger::AppendRequest& request,
              const CommandSleep& sleep = {});

} // namespace wijkbudget::api
