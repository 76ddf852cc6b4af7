#include "ledger/pg/pipeline.hpp"

#include "ledger/assert.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <memory>

#include <libpq-fe.h>

namespace wijkbudget::ledger::pg {
namespace {

//! SQLSTATE of a connection that failed under us (class 08: connection exception).
constexpr const char* SQLSTATE_CONNECTION_FAILURE{"08006"};

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

void Send(PGconn* connection, const PipelinedStatement& statement)
{
    std::vector<const char*> values;
    values.reserve(statement.parameters.size());
    for (const auto& parameter : statement.parameters)
        values.push_back(parameter ? parameter->c_str() : nullptr);
    if (PQsendQueryParams(connection, statement.sql.c_str(), static_cast<int>(values.size()),
                          nullptr, values.data(), nullptr, nullptr, 0) != 1)
        ThrowConnectionError(connection, "sending a statement");
}

//! Leaves pipeline mode on every way out, so SOCI finds the connection as it left it.
class PipelineMode
{
public:
    explicit PipelineMode(PGconn* connection) : m_connection{connection}
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
    ~PipelineMode()
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
    PipelineMode(const PipelineMode&) = delete;
    PipelineMode& operator=(const PipelineMode&) = delete;

private:
    PGconn* m_connection;
    bool m_synced{false};
};

} // namespace

std::vector<PipelinedRows> RunPipeline(soci::session& session,
                                       std::span<const PipelinedStatement> statements)
{
    // @pre: the postgresql backend (SOCI exports no type information to check it by cast).
    WB_ASSERT(session.get_backend_name() == "postgresql");
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    WB_ASSERT(backend != nullptr);
    PGconn* connection = backend->conn_;
    if (PQstatus(connection) != CONNECTION_OK) ThrowConnectionError(connection, "connection");
    std::vector<PipelinedRows> answers;
    answers.reserve(statements.size());
    PipelineMode pipeline{connection};
    for (const PipelinedStatement& statement : statements)
        Send(connection, statement);
    pipeline.Sync();
    std::optional<Result> failed;
    for (std::size_t position = 0; position < statements.size(); ++position) {
        // Each statement's answer is one result, then a null that ends it.
        Result result{PQgetResult(connection)};
        if (!result) ThrowConnectionError(connection, "reading an answer");
        const ExecStatusType status = PQresultStatus(result.get());
        if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
            answers.push_back(RowsOf(result.get()));
        } else if (status == PGRES_PIPELINE_ABORTED) {
            answers.emplace_back(); // Skipped after an earlier failure.
        } else if (!failed) {
            failed = std::move(result);
            answers.emplace_back();
        }
        while (Result more{PQgetResult(connection)}) {
        }
    }
    // A statement's own error first: its SQLSTATE decides whether the batch is tried again.
    if (failed) ThrowStatementError(failed->get());
    Result sync{PQgetResult(connection)};
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC)
        ThrowConnectionError(connection, "reading the sync");
    return answers;
}

} // namespace wijkbudget::ledger::pg
