// RunPipeline with PreparedStatements: each statement is prepared once per connection, answers
// stay in order, a failing statement still reports its own SQLSTATE, and a new connection
// starts over. A Pipeline filled in parts: what it flushed runs before the rest is sent, and
// finished or abandoned it leaves the session to SOCI. BinaryArray parameters arrive as they went
// in: texts no text literal could carry unescaped, NULLs, each integer width at its limits, the
// empty array; a wrong element type is refused.
#include "ledger/pg/binary_array.hpp"
#include "ledger/pg/connection.hpp"
#include "ledger/pg/pipeline.hpp"
#include "tests/integration/pg/pg_test_database.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wijkbudget::testing {
namespace {

using ledger::pg::ArrayElement;
using ledger::pg::BinaryArray;
using ledger::pg::Pipeline;
using ledger::pg::PipelinedStatement;
using ledger::pg::PreparedStatements;
using ledger::pg::RunPipeline;

//! SQLSTATE 22012: division_by_zero; 42601: syntax_error.
constexpr std::string_view DIVISION_BY_ZERO{"22012"};
constexpr std::string_view SYNTAX_ERROR{"42601"};

//! SQLSTATE 42804: datatype_mismatch ("wrong element type").
constexpr std::string_view DATATYPE_MISMATCH{"42804"};

using Column = std::vector<std::optional<std::string>>;

//! The elements the server unnests from `array` (a binary parameter) cast to `type`, in order;
//! with `prepared`, as the sequencer sends it: prepared on first use, executed by name after.
Column Unnested(soci::session& session, const BinaryArray& array, const std::string& type,
                PreparedStatements* prepared = nullptr)
{
    const std::vector<PipelinedStatement> statements{
        {"SELECT x::text FROM unnest(CAST($1 AS " + type +
             "[])) WITH ORDINALITY AS u(x, n) ORDER BY n",
         {array.Bytes()},
         {1}}};
    const auto answers = RunPipeline(session, statements, prepared);
    Column column;
    for (const auto& row : answers.at(0))
        column.push_back(row.at(0));
    return column;
}

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

//! Advisory locks on the one-bigint `key` granted to the server process `holder`, seen from
//! `observer`.
int AdvisoryLocksHeld(soci::session& observer, int holder, int key)
{
    int held = -1;
    observer << "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = :holder AND classid = 0 AND objid = :key AND objsubid = 1",
        soci::use(holder), soci::use(key), soci::into(held);
    return held;
}

int BackendOf(soci::session& session)
{
    int pid = 0;
    session << "SELECT pg_backend_pid()", soci::into(pid);
    return pid;
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

TEST_F(PipelineTest, BinaryArrayTextsArriveByteForByte)
{
    const Column texts{R"({"a":"b\"c"})",     "", std::nullopt, R"(\"x\)", "{,}", "NULL", "ë € 漢",
                       std::string(3000, 'q')};
    BinaryArray array{ArrayElement::text};
    for (const auto& text : texts) {
        if (text) {
            array.AddText(*text);
        } else {
            array.AddNull();
        }
    }
    EXPECT_EQ(Unnested(*m_session, array, "text"), texts);
    // The prepared way, twice: prepared in the first round trip, executed by name in the second.
    EXPECT_EQ(Unnested(*m_session, array, "text", &m_prepared), texts);
    EXPECT_EQ(Unnested(*m_session, array, "text", &m_prepared), texts);
    EXPECT_EQ(PreparedOnServer(*m_session), 1);
}

TEST_F(PipelineTest, BinaryArrayIntegersArriveAtEveryWidthAndLimit)
{
    const std::vector<std::pair<ArrayElement, std::string>> types{{ArrayElement::int2, "smallint"},
                                                                  {ArrayElement::int4, "integer"},
                                                                  {ArrayElement::int8, "bigint"}};
    const std::vector<std::vector<std::int64_t>> values{
        {std::numeric_limits<std::int16_t>::min(), -1, 0, 1, 256,
         std::numeric_limits<std::int16_t>::max()},
        {std::numeric_limits<std::int32_t>::min(), -65536, 0, 70000,
         std::numeric_limits<std::int32_t>::max()},
        {std::numeric_limits<std::int64_t>::min(), -4294967296, 0, 10000000000000,
         std::numeric_limits<std::int64_t>::max()}};
    for (std::size_t type = 0; type < types.size(); ++type) {
        BinaryArray array{types[type].first};
        Column expected;
        for (const std::int64_t value : values[type]) {
            array.AddInteger(value);
            expected.push_back(std::to_string(value));
        }
        array.AddNull();
        expected.push_back(std::nullopt);
        EXPECT_EQ(Unnested(*m_session, array, types[type].second), expected) << types[type].second;
    }
}

TEST_F(PipelineTest, BinaryArrayAnEmptyArrayIsEmpty)
{
    const BinaryArray array{ArrayElement::int8};
    EXPECT_TRUE(Unnested(*m_session, array, "bigint").empty());
    const std::vector<PipelinedStatement> cardinality{
        {"SELECT cardinality(CAST($1 AS bigint[]))", {array.Bytes()}, {1}}};
    EXPECT_EQ(RunPipeline(*m_session, cardinality, nullptr).at(0).at(0).at(0), "0");
}

TEST_F(PipelineTest, BinaryArrayAnotherElementTypeIsRefused)
{
    BinaryArray array{ArrayElement::int8};
    array.AddInteger(7);
    try {
        Unnested(*m_session, array, "integer");
        ADD_FAILURE() << "a bigint array was taken as integer[]";
    } catch (const std::exception& error) {
        EXPECT_EQ(ledger::pg::SqlStateOf(error), DATATYPE_MISMATCH) << error.what();
    }
}

} // namespace
} // namespace wijkbudget::testing

namespace wijkbudget::testing {
namespace {

TEST_F(PipelineTest, WhatAPipelineFlushedRunsBeforeTheRestIsSent)
{
    constexpr int KEY = 4242;
    const auto observer = m_db->RuntimeSession();
    const int holder = BackendOf(*m_session);
    Pipeline pipeline{*m_session, &m_prepared};
    pipeline.Send({"BEGIN", {}});
    pipeline.Send({"SELECT pg_advisory_xact_lock($1)", {std::to_string(KEY)}});
    pipeline.Flush();
    // Nothing is synced yet, and still the server took the lock.
    int held = 0;
    for (int attempt = 0; attempt < 100 && held == 0; ++attempt) {
        held = AdvisoryLocksHeld(*observer, holder, KEY);
        if (held == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(held, 1);
    pipeline.Send({"SELECT $1::int * 2", {"21"}});
    pipeline.Send({"COMMIT", {}});
    const auto answers = pipeline.Finish();
    ASSERT_EQ(answers.size(), 4U);
    ASSERT_EQ(answers[2].size(), 1U);
    EXPECT_EQ(answers[2][0][0], "42");
    EXPECT_EQ(AdvisoryLocksHeld(*observer, holder, KEY), 0); // Committed: the lock went with it.
    // Out of pipeline mode already, before the Pipeline goes: SOCI may use the session.
    int one = 0;
    *m_session << "SELECT 1", soci::into(one);
    EXPECT_EQ(one, 1);
}

TEST_F(PipelineTest, AnAbandonedPipelineLeavesTheSessionToSociForTheRollback)
{
    constexpr int KEY = 4243;
    const int holder = BackendOf(*m_session);
    {
        Pipeline pipeline{*m_session, &m_prepared};
        pipeline.Send({"BEGIN", {}});
        pipeline.Send({"SELECT pg_advisory_xact_lock($1)", {std::to_string(KEY)}});
        pipeline.Flush();
    } // As after an error on the caller's side: synced, drained, out of pipeline mode.
    *m_session << "ROLLBACK";
    EXPECT_EQ(AdvisoryLocksHeld(*m_session, holder, KEY), 0);
    EXPECT_EQ(RunPipeline(*m_session, Transaction(6), &m_prepared)[1][0][0], "7");
}

} // namespace
} // namespace wijkbudget::testing
