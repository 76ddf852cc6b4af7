#pragma once
// ledger/pg/connection.hpp: SOCI sessions opened from a libpq DSN, and SOCI's exceptions turned
// into ledger::Errc values (STYLE.md section 4).
//
// Every session of this layer works in one schema (tests use one schema each), set as the
// session's search_path when it connects and again when it reconnects. Schema and role names are
// spliced into SQL text, so they are held to the rules of unquoted lowercase identifiers and
// quoted as well: a name that could carry SQL never reaches the database.

#include "ledger/errc.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace soci {
class connection_pool;
class session;
} // namespace soci

namespace wijkbudget::ledger::pg {

//! PostgreSQL truncates longer identifiers (NAMEDATALEN - 1); we refuse them instead.
inline constexpr std::size_t IDENTIFIER_BYTES_MAX{63};
//! Sessions in a pool at most: PostgreSQL's default max_connections is 100, shared by processes.
inline constexpr std::size_t POOL_SESSIONS_MAX{32};
//! SQLSTATEs that mean "try the whole transaction again": serialization failure, deadlock.
inline constexpr std::string_view SQLSTATE_SERIALIZATION_FAILURE{"40001"};
inline constexpr std::string_view SQLSTATE_DEADLOCK_DETECTED{"40P01"};
inline constexpr std::string_view SQLSTATE_UNIQUE_VIOLATION{"23505"};

//! True for 1..IDENTIFIER_BYTES_MAX bytes of [a-z_][a-z0-9_]*: a name we may splice into SQL.
bool IsValidIdentifier(std::string_view name);

//! The identifier in double quotes. @pre IsValidIdentifier(name)
std::string QuoteIdentifier(std::string_view name);

//! The SQLSTATE of a PostgreSQL error, or "" for any other exception.
std::string SqlStateOf(const std::exception& error);

//! True for SQLSTATE 40001 and 40P01: the transaction failed only because of a concurrent one.
bool IsTransient(const std::exception& error);

/** A database exception as a Failure: Errc::sequence_conflict for a unique violation (a row
 * someone else wrote first), Errc::storage_unavailable for everything else (connection lost,
 * statement refused). `where` keeps `what` and the database's message, for the logs only. */
Failure FailureFromException(const std::exception& error, std::string_view what);

//! Writes "wijkbudget ledger/pg: <failure>" to stderr: the database's message for operators.
void LogFailure(const Failure& failure);

/** Opens a session from a libpq DSN (key=value or URI; passfile= and the PG* environment work as
 * in psql) and sets its search_path to schema. Errc::field_invalid for a bad schema name,
 * Errc::storage_unavailable if the database cannot be reached. The DSN never enters a message:
 * it may hold a password. */
boost::system::result<std::unique_ptr<soci::session>, Failure> OpenSession(const std::string& dsn,
                                                                           std::string_view schema);

//! A pool of `sessions` sessions opened as OpenSession does. @pre 0 < sessions <= POOL_SESSIONS_MAX
boost::system::result<std::unique_ptr<soci::connection_pool>, Failure>
OpenPool(const std::string& dsn, std::string_view schema, std::size_t sessions);

//! SET search_path TO schema (and nothing else: no public fallback). Throws soci::soci_error.
//! @pre IsValidIdentifier(schema)
void SetSearchPath(soci::session& session, std::string_view schema);

/** Reconnects a session whose connection broke (after a failed statement, libpq marks it bad)
 * and sets its search_path again. Throws soci::soci_error if the database is still away. */
void EnsureConnected(soci::session& session, std::string_view schema);

/** For reads: runs `read` on a session leased from `pool` (reconnected first if its connection is
 * known broken) and, if it threw or returned false (a failure it turned into a value, as
 * SessionHashReader does) and the connection broke meanwhile, once more on a reconnected one. A
 * connection the database dropped since its last use (a restart, a failover, an idle timeout) is
 * found broken only by the statement that meets it; without the second run, each pooled
 * connection would fail one request after every database restart. `read` must have no effect
 * but its result (it may run twice); never use this for a write, whose outcome a broken
 * connection leaves unknown. Throws what `read` or the reconnection throws. */
void ReadOnSession(soci::connection_pool& pool, std::string_view schema,
                   const std::function<bool(soci::session&)>& read);

//! Whether libpq knows the session's connection broken (a statement met it dropped), or it has
//! none.
bool IsConnectionBroken(soci::session& session);

/** As EnsureConnected, and also reconnects a connection left inside a transaction or in pipeline
 * mode (a rollback or a pipeline's ending that failed): a session about to BEGIN must start
 * clean, or its BEGIN would join whatever was left open. */
void EnsureConnectedAndIdle(soci::session& session, std::string_view schema);

/** The key of the transaction-level advisory lock that elects the one writer of the ledger in
 * schema: the first 8 bytes of SHA-256("wijkbudget.ledger/" + schema), so processes that share a
 * database agree on it without configuration, and ledgers in other schemas never contend. */
std::int64_t LedgerLockKey(std::string_view schema);

} // namespace wijkbudget::ledger::pg
