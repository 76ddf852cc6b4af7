#include "ledger/pg/connection.hpp"

#include "ledger/assert.hpp"
#include "ledger/sha256.hpp"

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/session.h>

#include <iostream>

#include <libpq-fe.h>

namespace wijkbudget::ledger::pg {

bool IsValidIdentifier(std::string_view name)
{
    if (name.empty() || name.size() > IDENTIFIER_BYTES_MAX) return false;
    const auto is_lower = [](char c) {
        return c >= 'a' && c <= 'z';
    };
    const auto is_digit = [](char c) {
        return c >= '0' && c <= '9';
    };
    if (!is_lower(name.front()) && name.front() != '_') return false;
    for (char c : name) {
        if (!is_lower(c) && !is_digit(c) && c != '_') return false;
    }
    return true;
}

std::string QuoteIdentifier(std::string_view name)
{
    // Valid identifiers hold no double quote, so quoting needs no escaping.
    WB_ASSERT(IsValidIdentifier(name));
    std::string quoted{"\""};
    quoted.append(name);
    quoted.push_back('"');
    return quoted;
}

std::string SqlStateOf(const std::exception& error)
{
    const auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error);
    if (postgres == nullptr) return {};
    return postgres->sqlstate();
}

bool IsTransient(const std::exception& error)
{
    const std::string state = SqlStateOf(error);
    return state == SQLSTATE_SERIALIZATION_FAILURE || state == SQLSTATE_DEADLOCK_DETECTED;
}

Failure FailureFromException(const std::exception& error, std::string_view what)
{
    std::string where{what};
    where.append(": ");
    where.append(error.what());
    while (!where.empty() && (where.back() == '\n' || where.back() == ' '))
        where.pop_back();
    if (SqlStateOf(error) == SQLSTATE_UNIQUE_VIOLATION)
        return MakeFailure(Errc::sequence_conflict, std::move(where));
    return MakeFailure(Errc::storage_unavailable, std::move(where));
}

void LogFailure(const Failure& failure)
{
    std::cerr << "wijkbudget ledger/pg: " << failure.Describe() << '\n';
}

void SetSearchPath(soci::session& session, std::string_view schema)
{
    session << "SET search_path TO " + QuoteIdentifier(schema);
}

namespace {

//! The session's libpq connection; null before SOCI opened one. Every session of this layer is
//! opened with the postgresql backend (OpenSession, OpenPool).
PGconn* ConnectionOf(soci::session& session)
{
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    return backend != nullptr ? backend->conn_ : nullptr;
}

void Reopen(soci::session& session, std::string_view schema)
{
    session.reconnect();
    SetSearchPath(session, schema);
}

} // namespace

void EnsureConnected(soci::session& session, std::string_view schema)
{
    // Not session.is_connected(): SOCI's PostgreSQL backend answers it with a round trip
    // ("/* ping */") on every call, which doubled the statements of a read. libpq marks a
    // connection bad as soon as a statement finds it broken, so its status is enough: the
    // statement that meets a dead connection fails, and the next use reconnects.
    PGconn* connection = ConnectionOf(session);
    if (connection != nullptr && PQstatus(connection) == CONNECTION_OK) return;
    Reopen(session, schema);
}

bool IsConnectionBroken(soci::session& session)
{
    PGconn* connection = ConnectionOf(session);
    return connection == nullptr || PQstatus(connection) != CONNECTION_OK;
}

void ReadOnSession(soci::connection_pool& pool, std::string_view schema,
                   const std::function<bool(soci::session&)>& read)
{
    soci::session session(pool);
    EnsureConnected(session, schema);
    try {
        if (read(session) || !IsConnectionBroken(session)) return;
    } catch (const soci::soci_error&) {
        if (!IsConnectionBroken(session)) throw;
    }
    Reopen(session, schema);
    read(session);
}

void EnsureConnectedAndIdle(soci::session& session, std::string_view schema)
{
    // A broken connection's transaction status is PQTRANS_UNKNOWN: not idle either.
    PGconn* connection = ConnectionOf(session);
    if (connection != nullptr && PQpipelineStatus(connection) == PQ_PIPELINE_OFF &&
        PQtransactionStatus(connection) == PQTRANS_IDLE)
        return;
    Reopen(session, schema);
}

boost::system::result<std::unique_ptr<soci::session>, Failure> OpenSession(const std::string& dsn,
                                                                           std::string_view schema)
{
    if (!IsValidIdentifier(schema)) return MakeFailure(Errc::field_invalid, "schema name");
    try {
        auto session = std::make_unique<soci::session>(soci::postgresql, dsn);
        SetSearchPath(*session, schema);
        return session;
    } catch (const soci::soci_error& error) {
        return FailureFromException(error, "connecting to PostgreSQL");
    }
}

boost::system::result<std::unique_ptr<soci::connection_pool>, Failure>
OpenPool(const std::string& dsn, std::string_view schema, std::size_t sessions)
{
    WB_ASSERT(sessions > 0);
    WB_ASSERT(sessions <= POOL_SESSIONS_MAX);
    if (!IsValidIdentifier(schema)) return MakeFailure(Errc::field_invalid, "schema name");
    try {
        auto pool = std::make_unique<soci::connection_pool>(sessions);
        for (std::size_t position = 0; position < sessions; ++position) {
            pool->at(position).open(soci::postgresql, dsn);
            SetSearchPath(pool->at(position), schema);
        }
        return pool;
    } catch (const soci::soci_error& error) {
        return FailureFromException(error, "connecting to PostgreSQL");
    }
}

std::int64_t LedgerLockKey(std::string_view schema)
{
    std::string name{"wijkbudget.ledger/"};
    name.append(schema);
    const Hash digest = Sha256Of(name);
    std::uint64_t key = 0;
    for (std::size_t position = 0; position < sizeof key; ++position)
        key = (key << 8U) | digest[position];
    return static_cast<std::int64_t>(key);
}

} // namespace wijkbudget::ledger::pg
