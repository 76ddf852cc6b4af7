#pragma once
// ledger/pg/pipeline.hpp: several statements sent to PostgreSQL in one round trip.
//
// The sequencer's batch is a dozen statements in one transaction, each small next to the wait
// for its answer: on a busy machine a round trip costs about half a millisecond of scheduling
// whatever the statement does. libpq's pipeline mode (PostgreSQL 14 and later) sends them all,
// then reads all the answers, with parameters bound as usual, never spliced into the SQL. SOCI
// has no such mode, so this drives the session's own libpq connection, between SOCI's uses of it.

#include <boost/system/result.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace wijkbudget::ledger::pg {

//! One statement: SQL with parameters $1..$n, each a value in text form (none: SQL NULL).
struct PipelinedStatement {
    std::string sql;
    std::vector<std::optional<std::string>> parameters;
};

//! The rows one statement returned, each column in text form (none: SQL NULL).
using PipelinedRows = std::vector<std::vector<std::optional<std::string>>>;

/** Runs `statements` in order, in one round trip, on the session's connection, inside whatever
 * transaction is open (a statement may also be BEGIN or COMMIT). Returns each one's rows. If one
 * fails, the rest are skipped and soci::postgresql_soci_error is thrown with the server's message
 * and SQLSTATE (as any SOCI statement would throw); an open transaction is then aborted, and the
 * caller rolls it back. @pre the session uses the postgresql backend and is connected. */
std::vector<PipelinedRows> RunPipeline(soci::session& session,
                                       std::span<const PipelinedStatement> statements);

} // namespace wijkbudget::ledger::pg
