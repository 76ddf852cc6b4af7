#pragma once
// ledger/pg/pipeline.hpp: several statements sent to PostgreSQL in one round trip.
//
// The sequencer's batch is a dozen statements in one transaction, each small next to the wait
// for its answer: on a busy machine a round trip costs about half a millisecond of scheduling
// whatever the statement does. libpq's pipeline mode (PostgreSQL 14 and later) sends them all,
// then reads all the answers, with parameters bound as usual, never spliced into the SQL. SOCI
// has no such mode, so this drives the session's own libpq connection, between SOCI's uses of it.

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace soci {
class session;
}

namespace wijkbudget::ledger::pg {

//! One statement: SQL with parameters $1..$n, each a value in text form (none: SQL NULL), or in
//! binary form where `formats` says 1 (BinaryArray::Bytes).
struct PipelinedStatement {
    std::string sql;
    std::vector<std::optional<std::string>> parameters;
    //! Per parameter, 0 (text) or 1 (binary); empty: all text.
    std::vector<int> formats{};
};

//! The rows one statement returned, each column in text form (none: SQL NULL).
using PipelinedRows = std::vector<std::vector<std::optional<std::string>>>;

//! Statements one connection keeps prepared at most; others are parsed each time they are sent.
inline constexpr std::size_t PREPARED_STATEMENTS_MAX{64};

/** The statements prepared on one connection, by SQL text. A batch sends the same dozen texts
 * every time (its values are parameters), and parsing and planning them anew cost PostgreSQL
 * several times the CPU of running them (1.6 against 0.4 ms a batch of one). Tied to the
 * connection (and server process) it was filled on: a reconnect empties it, and so does an
 * error that says the server lost them or cannot run them as prepared (IsPreparedStatementLost);
 * the caller may then try again. Not thread-safe; one per session. */
class PreparedStatements
{
public:
    //! The statement's name on this connection, if it is prepared there.
    [[nodiscard]] const std::string* Find(const std::string& sql) const;
    //! Forgets everything if `connection` (and its server process `backend`) is not the one
    //! these were prepared on.
    void BindTo(const void* connection, int backend);
    //! A name no statement of this connection has had; none when PREPARED_STATEMENTS_MAX are.
    [[nodiscard]] std::optional<std::string> NextName();
    //! Records that `sql` is prepared as `name` (once the server said so).
    void Add(const std::string& sql, std::string name);
    //! Forgets every statement: the server no longer has them, or no longer runs them as prepared.
    void Forget() { m_names.clear(); }

private:
    const void* m_connection{nullptr};
    int m_backend{0};
    std::uint64_t m_names_given{0};
    std::unordered_map<std::string, std::string> m_names;
};

/** Whether `error` (a RunPipeline failure) says prepared statements are gone from the server
 * (SQLSTATE 26000: after DISCARD or DEALLOCATE) or no longer match their tables (0A000: "cached
 * plan must not change result type", after a migration). RunPipeline then forgets them, and a
 * retry prepares them again. */
bool IsPreparedStatementLost(const std::exception& error);

/**
 * Statements sent in pipeline mode as they become known, and read back together: `Send` queues
 * one, `Flush` puts everything queued on the wire so that the server starts on it while the
 * caller prepares the rest (the server runs each statement as it arrives and holds its answers
 * until the sync), and `Finish` sends the sync and returns each statement's rows, as RunPipeline.
 * Pipeline mode begins with the first `Send`, so the session may be used through SOCI until
 * then, and not at all from then until `Finish` returns or the pipeline is destroyed. Destroyed
 * unfinished (an error on the caller's side), it syncs, drains and leaves pipeline mode; an open
 * transaction is then the caller's to roll back. Not thread-safe; one at a time per session.
 * @pre the session uses the postgresql backend and is connected.
 */
class Pipeline
{
public:
    explicit Pipeline(soci::session& session, PreparedStatements* prepared = nullptr);
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    void Send(const PipelinedStatement& statement);
    void Flush();
    //! Throws as RunPipeline does. @pre at least one statement was sent; called once.
    std::vector<PipelinedRows> Finish();

private:
    class Mode;
    soci::session& m_session;
    PreparedStatements* m_prepared;
    void* m_connection{nullptr}; //!< The session's PGconn, once pipeline mode began.
    std::unique_ptr<Mode> m_mode;
    std::vector<std::string> m_sql; //!< Each sent statement's SQL, for PreparedStatements::Add.
    std::vector<std::optional<std::string>> m_preparing;
};

/** Runs `statements` in order, in one round trip, on the session's connection, inside whatever
 * transaction is open (a statement may also be BEGIN or COMMIT). Returns each one's rows. If one
 * fails, the rest are skipped and soci::postgresql_soci_error is thrown with the server's message
 * and SQLSTATE (as any SOCI statement would throw); an open transaction is then aborted, and the
 * caller rolls it back. With `prepared`, each statement is prepared on the connection the first
 * time (in the same round trip) and only executed after. @pre the session uses the postgresql
 * backend and is connected. */
std::vector<PipelinedRows> RunPipeline(soci::session& session,
                                       std::span<const PipelinedStatement> statements,
                                       PreparedStatements* prepared = nullptr);

} // namespace wijkbudget::ledger::pg
