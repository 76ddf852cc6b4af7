// RunPipeline with PreparedStatements: each statement is prepared once per connection, answers
// stay in order, a failing statement still reports its own SQLSTATE, and a new connection
// starts over.
#include "ledger/pg/connection.hpp"
#include "ledger/pg/pipeline.hpp"
#include "tests/integration/pg/pg_test_database.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

namespace wijkbudget::testing {
namespace {

using ledger::pg::PipelinedStatement;
using ledger::pg::PreparedStatements;
using ledger::pg::RunPipeline;

//! SQLSTATE 22012: division_by_zero; 42601: syntax_error.
constexpr std::string_view DIVISION_BY_ZERO{"22012"};
constexpr std::string_view SYNTAX_ERROR{"42601"};

//! The statements this pipeline code prepared on the session's connection.
int PreparedOnServer(soci::session& session)
{
    int count = -1;
    session << "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'wb\\_pipelined\\_%'",
        soci::into(count);
    return count;
}

//! BEGIN, two different selects with parameters, COMMIT.
std::vector<PipelinedStatement> Transaction(int value)
{
    return {{"BEGIN", {}},
            {"SELECT $1::int + 1", {std::to_string(value)}},
            {"SELECT $1::text || 'x', NULL::text", {std::to_string(value)}},
            {"COMMIT", {}}};
}

class PipelineTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_db = std::make_unique<PgTestDatabase>(*TestPgDsn());
        ASSERT_FALSE(HasFailure());
        m_session = m_db->RuntimeSession();
    }

    //! Runs `statements` and returns the SQLSTATE it threw, or "" if it did not.
    std::string FailureOf(const std::vector<PipelinedStatement>& statements)
    {
        try {
            RunPipeline(*m_session, statements, &m_prepared);
        } catch (const std::exception& error) {
            return ledger::pg::SqlStateOf(error);
        }
        return "";
    }

    std::unique_ptr<PgTestDatabase> m_db;
    std::unique_ptr<soci::session> m_session;
    PreparedStatements m_prepared;
};

TEST_F(PipelineTest, PreparesEachStatementOnceAndAnswersInOrder)
{
    for (int value = 1; value <= 3; ++value) {
        const auto answers = RunPipeline(*m_session, Transaction(value), &m_prepared);
        ASSERT_EQ(answers.size(), 4U);
        EXPECT_TRUE(answers[0].empty());
        ASSERT_EQ(answers[1].size(), 1U);
        EXPECT_EQ(answers[1][0][0], std::to_string(value + 1));
        ASSERT_EQ(answers[2].size(), 1U);
        EXPECT_EQ(answers[2][0][0], std::to_string(value) + "x");
        EXPECT_FALSE(answers[2][0][1].has_value()); // SQL NULL stays none.
        // Four texts, each prepared by the first run and only executed after it.
        EXPECT_EQ(PreparedOnServer(*m_session), 4) << "run " << value;
    }
    // Without the cache, nothing more is prepared.
    RunPipeline(*m_session, Transaction(9));
    EXPECT_EQ(PreparedOnServer(*m_session), 4);
}

TEST_F(PipelineTest, FailingStatementReportsItsOwnStateEveryTime)
{
    const std::vector<PipelinedStatement> dividing{{"SELECT 1 / $1::int", {"0"}}};
    // Prepared on the first run, executed from the name on the second: both fail the same way.
    EXPECT_EQ(FailureOf(dividing), DIVISION_BY_ZERO);
    EXPECT_EQ(FailureOf(dividing), DIVISION_BY_ZERO);
    EXPECT_EQ(PreparedOnServer(*m_session), 1);
    // A prepare the server refuses is not remembered; the connection stays usable.
    const std::vector<PipelinedStatement> broken{{"SELEC 1", {}}};
    EXPECT_EQ(FailureOf(broken), SYNTAX_ERROR);
    EXPECT_EQ(FailureOf(broken), SYNTAX_ERROR);
    EXPECT_EQ(PreparedOnServer(*m_session), 1);
    const auto answers = RunPipeline(*m_session, Transaction(5), &m_prepared);
    EXPECT_EQ(answers[1][0][0], "6");
}

TEST_F(PipelineTest, StatementsAfterAFailureAreSkippedAndNotRemembered)
{
    const std::vector<PipelinedStatement> statements{{"BEGIN", {}},
                                                     {"SELECT 1 / $1::int", {"0"}},
                                                     {"SELECT $1::int * 2", {"21"}},
                                                     {"ROLLBACK", {}}};
    EXPECT_EQ(FailureOf(statements), DIVISION_BY_ZERO);
    *m_session << "ROLLBACK";
    // BEGIN and the division were prepared (and outlive the rollback); the multiplication and
    // ROLLBACK never were, so the multiplication is prepared now, under a new name.
    EXPECT_EQ(PreparedOnServer(*m_session), 2);
    const std::vector<PipelinedStatement> multiplying{{"SELECT $1::int * 2", {"21"}}};
    const auto answers = RunPipeline(*m_session, multiplying, &m_prepared);
    EXPECT_EQ(answers[0][0][0], "42");
    // Again: the first three run from their names; ROLLBACK's prepare is skipped once more.
    EXPECT_EQ(FailureOf(statements), DIVISION_BY_ZERO);
    *m_session << "ROLLBACK";
    EXPECT_EQ(PreparedOnServer(*m_session), 3);
}

TEST_F(PipelineTest, StatementsTheServerLostArePreparedAgainAfterOneFailure)
{
    RunPipeline(*m_session, Transaction(1), &m_prepared);
    *m_session << "DEALLOCATE ALL"; // As a pooler's DISCARD would.
    try {
        RunPipeline(*m_session, Transaction(2), &m_prepared);
        ADD_FAILURE() << "a statement the server no longer has ran";
    } catch (const std::exception& error) {
        EXPECT_TRUE(ledger::pg::IsPreparedStatementLost(error)) << error.what();
    }
    *m_session << "ROLLBACK";
    EXPECT_EQ(RunPipeline(*m_session, Transaction(3), &m_prepared)[1][0][0], "4");
    EXPECT_EQ(PreparedOnServer(*m_session), 4);
}

TEST_F(PipelineTest, AReconnectedSessionPreparesAgain)
{
    RunPipeline(*m_session, Transaction(1), &m_prepared);
    // The same session object on a new connection (its PGconn may even sit at the same address).
    m_session->reconnect();
    EXPECT_EQ(PreparedOnServer(*m_session), 0);
    EXPECT_EQ(RunPipeline(*m_session, Transaction(2), &m_prepared)[1][0][0], "3");
    EXPECT_EQ(PreparedOnServer(*m_session), 4);
}

TEST_F(PipelineTest, AnotherConnectionStartsOver)
{
    RunPipeline(*m_session, Transaction(1), &m_prepared);
    ASSERT_EQ(PreparedOnServer(*m_session), 4);
    // Same cache, new connection: it must prepare again rather than name statements the new
    // server process has never seen.
    auto other = m_db->RuntimeSession();
    const auto answers = RunPipeline(*other, Transaction(2), &m_prepared);
    EXPECT_EQ(answers[1][0][0], "3");
    EXPECT_EQ(PreparedOnServer(*other), 4);
    // And back on the first one, which still holds its own.
    EXPECT_EQ(RunPipeline(*m_session, Transaction(3), &m_prepared)[1][0][0], "4");
}

} // namespace
} // namespace wijkbudget::testing
