#include "ledger/pg/pipeline.hpp"

#include "ledger/assert.hpp"
#include "ledger/pg/connection.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <memory>
#include <string_view>

#include <libpq-fe.h>

namespace wijkbudget::ledger::pg {
namespace {

//! SQLSTATE of a connection that failed under us (class 08: connection exception).
constexpr const char* SQLSTATE_CONNECTION_FAILURE{"08006"};
//! SQLSTATEs after which the prepared statements cannot be used: invalid_sql_statement_name
//! (gone), feature_not_supported (a cached plan whose result type changed).
constexpr std::string_view SQLSTATE_STATEMENT_GONE{"26000"};
constexpr std::string_view SQLSTATE_PLAN_CHANGED{"0A000"};

struct ResultDeleter {
    void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

[[noreturn]] void ThrowConnectionError(PGconn* connection, const std::string& what)
{
    throw soci::postgresql_soci_error(what + ": " + PQerrorMessage(connection),
                                      SQLSTATE_CONNECTION_FAILURE);
}

[[noreturn]] void ThrowStatementError(const PGresult* result)
{
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    throw soci::postgresql_soci_error(PQresultErrorMessage(result),
                                      state != nullptr ? state : SQLSTATE_CONNECTION_FAILURE);
}

PipelinedRows RowsOf(const PGresult* result)
{
    PipelinedRows rows;
    const int row_count = PQntuples(result), column_count = PQnfields(result);
    rows.reserve(static_cast<std::size_t>(row_count));
    for (int row = 0; row < row_count; ++row) {
        auto& values = rows.emplace_back();
        values.reserve(static_cast<std::size_t>(column_count));
        for (int column = 0; column < column_count; ++column) {
            if (PQgetisnull(result, row, column)) {
                values.emplace_back();
            } else {
                values.emplace_back(
                    std::string(PQgetvalue(result, row, column),
                                static_cast<std::size_t>(PQgetlength(result, row, column))));
            }
        }
    }
    return rows;
}

/** Sends the statement: by name if it is prepared, else with its SQL. Returns the name under
 *  which a prepare was sent ahead of it, whose own answer comes first. */
std::optional<std::string> Send(PGconn* connection, const PipelinedStatement& statement,
                                PreparedStatements* prepared)
{
    std::vector<const char*> values;
    std::vector<int> lengths; // libpq reads them for binary parameters only.
    values.reserve(statement.parameters.size());
    lengths.reserve(statement.parameters.size());
    for (const auto& parameter : statement.parameters) {
        values.push_back(parameter ? parameter->c_str() : nullptr);
        WB_ASSERT(!parameter || parameter->size() <= std::size_t{INT32_MAX});
        lengths.push_back(parameter ? static_cast<int>(parameter->size()) : 0);
    }
    const int count = static_cast<int>(values.size());
    WB_ASSERT(statement.formats.empty() || statement.formats.size() == values.size());
    const int* formats = statement.formats.empty() ? nullptr : statement.formats.data();
    const std::string* name = prepared != nullptr ? prepared->Find(statement.sql) : nullptr;
    std::optional<std::string> preparing;
    if (name == nullptr && prepared != nullptr) {
        preparing = prepared->NextName();
        if (preparing) {
            if (PQsendPrepare(connection, preparing->c_str(), statement.sql.c_str(), count,
                              nullptr) != 1)
                ThrowConnectionError(connection, "sending a prepare");
            name = &*preparing;
        }
    }
    const int sent = name != nullptr
                         ? PQsendQueryPrepared(connection, name->c_str(), count, values.data(),
                                               lengths.data(), formats, 0)
                         : PQsendQueryParams(connection, statement.sql.c_str(), count, nullptr,
                                             values.data(), lengths.data(), formats, 0);
    if (sent != 1) ThrowConnectionError(connection, "sending a statement");
    return preparing;
}

//! The next answer in the pipeline: its one result, after which a null ends it.
Result NextAnswer(PGconn* connection)
{
    Result result{PQgetResult(connection)};
    if (!result) ThrowConnectionError(connection, "reading an answer");
    while (Result more{PQgetResult(connection)}) {
    }
    return result;
}

} // namespace

const std::string* PreparedStatements::Find(const std::string& sql) const
{
    const auto found = m_names.find(sql);
    return found != m_names.end() ? &found->second : nullptr;
}

void PreparedStatements::BindTo(const void* connection, int backend)
{
    if (connection == m_connection && backend == m_backend) return;
    m_connection = connection;
    m_backend = backend;
    m_names.clear();
}

std::optional<std::string> PreparedStatements::NextName()
{
    if (m_names.size() >= PREPARED_STATEMENTS_MAX) return std::nullopt;
    // Never a name used before on this connection: a prepare whose answer was lost (the pipeline
    // failed) may still exist on the server.
    return "wb_pipelined_" + std::to_string(++m_names_given);
}

void PreparedStatements::Add(const std::string& sql, std::string name)
{
    m_names.emplace(sql, std::move(name));
}

bool IsPreparedStatementLost(const std::exception& error)
{
    const std::string state = SqlStateOf(error);
    return state == SQLSTATE_STATEMENT_GONE || state == SQLSTATE_PLAN_CHANGED;
}

//! Leaves pipeline mode on every way out, so SOCI finds the connection as it left it.
class Pipeline::Mode
{
public:
    explicit Mode(PGconn* connection) : m_connection{connection}
    {
        if (PQenterPipelineMode(m_connection) != 1)
            ThrowConnectionError(m_connection, "entering pipeline mode");
    }
    //! Sends the sync that ends the pipeline: the server answers nothing before it.
    void Sync()
    {
        if (PQpipelineSync(m_connection) != 1)
            ThrowConnectionError(m_connection, "sending the sync");
        m_synced = true;
    }
    ~Mode()
    {
        // Statements sent without their sync would leave the server waiting, and the reads
        // below waiting for it, with the ledger's lock held: send it first.
        if (!m_synced && PQpipelineSync(m_connection) != 1) return; // Broken: SOCI reconnects.
        // Drain what is left (after an error), then leave; a broken connection is SOCI's to
        // find and reopen (EnsureConnected).
        while (PQpipelineStatus(m_connection) != PQ_PIPELINE_OFF) {
            if (PQexitPipelineMode(m_connection) == 1) break;
            Result rest{PQgetResult(m_connection)};
            if (!rest && PQstatus(m_connection) != CONNECTION_OK) break;
        }
    }
    Mode(const Mode&) = delete;
    Mode& operator=(const Mode&) = delete;

private:
    PGconn* m_connection;
    bool m_synced{false};
};

namespace {

//! The session's libpq connection. @pre the postgresql backend, connected.
PGconn* ConnectionOf(soci::session& session)
{
    // @pre: the postgresql backend (SOCI exports no type information to check it by cast).
    WB_ASSERT(session.get_backend_name() == "postgresql");
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    WB_ASSERT(backend != nullptr);
    PGconn* connection = backend->conn_;
    if (PQstatus(connection) != CONNECTION_OK) ThrowConnectionError(connection, "connection");
    return connection;
}

} // namespace

Pipeline::Pipeline(soci::session& session, PreparedStatements* prepared)
    : m_session{session}, m_prepared{prepared}
{}

Pipeline::~Pipeline() = default;

void Pipeline::Send(const PipelinedStatement& statement)
{
    if (!m_mode) {
        PGconn* connection = ConnectionOf(m_session);
        if (m_prepared != nullptr) m_prepared->BindTo(connection, PQbackendPID(connection));
        m_mode = std::make_unique<Mode>(connection);
        m_connection = connection;
    }
    auto* connection = static_cast<PGconn*>(m_connection);
    m_preparing.push_back(pg::Send(connection, statement, m_prepared));
    m_sql.push_back(statement.sql);
}

void Pipeline::Flush()
{
    WB_ASSERT(m_mode != nullptr);
    if (PQflush(static_cast<PGconn*>(m_connection)) != 0)
        ThrowConnectionError(static_cast<PGconn*>(m_connection), "flushing the pipeline");
}

std::vector<PipelinedRows> Pipeline::Finish()
{
    WB_ASSERT(m_mode != nullptr && !m_sql.empty());
    auto* connection = static_cast<PGconn*>(m_connection);
    m_mode->Sync();
    std::vector<PipelinedRows> answers;
    answers.reserve(m_sql.size());
    std::optional<Result> failed;
    for (std::size_t position = 0; position < m_sql.size(); ++position) {
        if (m_preparing[position]) {
            // The prepare's own answer. Recorded only once the server has it; after a failure
            // the name is not used again, so a prepare that did happen does no harm.
            Result prepare = NextAnswer(connection);
            if (PQresultStatus(prepare.get()) == PGRES_COMMAND_OK) {
                m_prepared->Add(m_sql[position], std::move(*m_preparing[position]));
            } else if (PQresultStatus(prepare.get()) != PGRES_PIPELINE_ABORTED && !failed) {
                failed = std::move(prepare);
            }
        }
        Result result = NextAnswer(connection);
        const ExecStatusType status = PQresultStatus(result.get());
        if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
            answers.push_back(RowsOf(result.get()));
        } else if (status == PGRES_PIPELINE_ABORTED) {
            answers.emplace_back(); // Skipped after an earlier failure.
        } else {
            if (!failed) failed = std::move(result);
            answers.emplace_back();
        }
    }
    // A statement's own error first: its SQLSTATE decides whether the batch is tried again.
    if (failed) {
        const char* state = PQresultErrorField(failed->get(), PG_DIAG_SQLSTATE);
        if (m_prepared != nullptr && state != nullptr &&
            (state == SQLSTATE_STATEMENT_GONE || state == SQLSTATE_PLAN_CHANGED))
            m_prepared->Forget();
        ThrowStatementError(failed->get());
    }
    Result sync{PQgetResult(connection)};
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC)
        ThrowConnectionError(connection, "reading the sync");
    m_mode.reset(); // Out of pipeline mode: the session is SOCI's again.
    return answers;
}

std::vector<PipelinedRows> RunPipeline(soci::session& session,
                                       std::span<const PipelinedStatement> statements,
                                       PreparedStatements* prepared)
{
    if (statements.empty()) return {};
    Pipeline pipeline{session, prepared};
    for (const PipelinedStatement& statement : statements)
        pipeline.Send(statement);
    return pipeline.Finish();
}

} // namespace wijkbudget::ledger::pg
