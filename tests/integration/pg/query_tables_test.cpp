// PgQueryTables: the SQL copy of the projections holds committed entries only. The sequencer
// feeds the projections as it seals, before its batch commits; a batch that then fails leaves
// them ahead of the ledger until they are rebuilt, and their rows must not reach the tables.
#include "services/pg/pg_query_tables.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <future>

#include "pg_test_database.hpp"

namespace wijkbudget::services::pg {
namespace {

class QueryTablesTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_database = std::make_unique<testing::PgTestDatabase>(*testing::TestPgDsn());
        ASSERT_FALSE(HasFailure());
        m_pool = m_database->Pool(1);
        for (const auto& entry : testing::SampleLedger()) {
            m_registry.Observe(entry);
            m_governance.Observe(entry);
        }
    }

    std::unique_ptr<testing::PgTestDatabase> m_database;
    std::shared_ptr<soci::connection_pool> m_pool;
    CouncilRegistry m_registry;
    Governance m_governance;
};

TEST_F(QueryTablesTest, ProjectionsAheadOfTheCommittedLedgerAreNotWritten)
{
    const std::uint64_t sealed = m_governance.Size();
    ASSERT_GT(sealed, 1U);
    PgQueryTables tables{*m_pool};
    // Sealed, but the last entry's batch has not committed (or failed).
    const auto ahead = tables.Replace(m_registry, m_governance, [&] { return sealed - 1; });
    ASSERT_FALSE(ahead.has_value());
    EXPECT_EQ(ahead.error(), ledger::Errc::sequence_conflict);
    EXPECT_EQ(*tables.WrittenSize(), 0U);
    std::int64_t councils = -1;
    m_database->Owner() << "SELECT count(*) FROM q_councils", soci::into(councils);
    EXPECT_EQ(councils, 0);
    // Once committed, the same projections are written.
    const auto written = tables.Replace(m_registry, m_governance, [&] { return sealed; });
    ASSERT_TRUE(written.has_value()) << written.error().message();
    EXPECT_EQ(*written, sealed);
    EXPECT_EQ(*tables.WrittenSize(), sealed);
    m_database->Owner() << "SELECT count(*) FROM q_councils", soci::into(councils);
    EXPECT_GT(councils, 0);
}

TEST_F(QueryTablesTest, WritersTakeTurnsEvenBeforeTheFirstWrite)
{
    // q_state has no row before the first write, so a row lock there locked nothing: a server
    // behind another, both writing for the first time, read no size, wrote its rows, and then
    // set its smaller size over the larger one. Here the larger writer is a session that has
    // locked the table and written its size, not yet committed.
    const std::uint64_t size = m_governance.Size();
    const auto larger = static_cast<long long>(size + 10);
    auto ahead = m_database->RuntimeSession();
    soci::transaction writing{*ahead};
    *ahead << "LOCK TABLE q_state IN SHARE ROW EXCLUSIVE MODE";
    *ahead << "INSERT INTO q_state (singleton, ledger_size) VALUES (true, :size)",
        soci::use(larger);
    PgQueryTables behind{*m_pool};
    auto replaced = std::async(std::launch::async, [&] {
        return behind.Replace(m_registry, m_governance, [&] { return size; });
    });
    // Long enough for the writer behind to reach the table before the one ahead commits.
    EXPECT_EQ(replaced.wait_for(std::chrono::milliseconds{500}), std::future_status::timeout);
    writing.commit();
    const auto result = replaced.get();
    ASSERT_TRUE(result.has_value()) << result.error().message();
    EXPECT_EQ(*result, size + 10); // It found the larger ledger's tables and left them.
    EXPECT_EQ(*behind.WrittenSize(), size + 10);
}

TEST_F(QueryTablesTest, AColumnALaterMigrationAddsKeepsItsDefault)
{
    // A newer binary migrated while this one still serves: its rows name the columns it knows,
    // and the new one takes its DEFAULT instead of a NULL that its NOT NULL refuses.
    m_database->Owner() << "ALTER TABLE q_councils ADD COLUMN added_later integer NOT NULL "
                           "DEFAULT 7";
    PgQueryTables tables{*m_pool};
    const auto written =
        tables.Replace(m_registry, m_governance, [&] { return m_governance.Size(); });
    ASSERT_TRUE(written.has_value()) << written.error().message();
    std::int64_t councils = -1, defaulted = -1;
    m_database->Owner() << "SELECT count(*), count(*) FILTER (WHERE added_later = 7) FROM "
                           "q_councils",
        soci::into(councils), soci::into(defaulted);
    EXPECT_GT(councils, 0);
    EXPECT_EQ(defaulted, councils);
}

TEST_F(QueryTablesTest, BylawsRowsShowTheShortestVotingPeriod)
{
    CouncilRegistry registry;
    Governance governance;
    for (auto entry : testing::SampleLedger()) {
        if (auto* bylaws = std::get_if<ledger::BylawsSet>(&entry.payload))
            bylaws->voting_period_hours_min = 48;
        registry.Observe(entry);
        governance.Observe(entry);
    }
    PgQueryTables tables{*m_pool};
    const auto written = tables.Replace(registry, governance, [&] { return governance.Size(); });
    ASSERT_TRUE(written.has_value()) << written.error().message();
    int hours = -1;
    soci::indicator indicator = soci::i_null;
    m_database->Owner() << "SELECT voting_period_hours_min FROM q_bylaws ORDER BY version LIMIT 1",
        soci::into(hours, indicator);
    ASSERT_EQ(indicator, soci::i_ok);
    EXPECT_EQ(hours, 48);
}

} // namespace
} // namespace wijkbudget::services::pg
