// tests/integration/api/projections_test.cpp: the query tables (schema 003) are projections of
// the ledger (issue 4): what `serve` keeps up to date equals what `wijkbudget
// rebuild-projections` makes by replaying the ledger from index 0, and a rebuild repairs a table
// someone changed.

#include "tests/integration/api/council_under_test.hpp"

#include <thread>

namespace wijkbudget::test {
namespace {

//! Every query table, each dumped in a fixed order so that two dumps compare as text.
constexpr std::array QUERY_TABLES{"q_state",       "q_councils",  "q_budget_lines", "q_mandates",
                                  "q_bylaws",      "q_proposals", "q_votes",        "q_ballots",
                                  "q_commitments", "q_spendings"};
//! serve rewrites the tables about a second after the ledger grows; allow for a busy machine.
constexpr auto LIVE_TABLES_TIMEOUT = std::chrono::seconds{30};

class ProjectionsTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(m_service->LoadDemo());
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    }

    std::string Sql(const std::string& statement) const
    {
        const auto result =
            m_service->Psql("SET search_path TO " + m_service->Schema() + "; " + statement);
        EXPECT_EQ(result.exit_status, 0) << statement << ": " << result.Describe();
        return result.out;
    }

    //! All query tables as text: each table's rows sorted by every column.
    std::string Dump() const
    {
        std::string dump;
        for (const std::string_view table : QUERY_TABLES) {
            dump += "== " + std::string(table) + "\n";
            dump += Sql("SELECT t::text FROM " + std::string(table) + " t ORDER BY t::text");
        }
        return dump;
    }

    //! A proposal of 400 euros by a member of scheepmakersdijk, through the server: its status.
    unsigned ProposeBench(const std::string& id, const std::string& title) const
    {
        CouncilUnderTest council{*m_service, "scheepmakersdijk"};
        council.AddToken("sd-chantal", m_service->CreateToken("council_member", "sd-chantal",
                                                              "scheepmakersdijk"));
        return council
            .Post("sd-chantal", "/proposals",
                  R"({"id":")" + id + R"(","title":")" + title +
                      R"(","description":"","amount_cents":40000,"year":2027,)"
                      R"("category":"public_space","attachments":[]})")
            .status;
    }

    //! Waits until serve has written the tables for the whole ledger.
    void AwaitLiveTables() const
    {
        const std::string size = std::to_string(m_service->LedgerSize());
        const auto deadline = std::chrono::steady_clock::now() + LIVE_TABLES_TIMEOUT;
        std::string written;
        while (std::chrono::steady_clock::now() < deadline) {
            written = Sql("SELECT ledger_size FROM q_state");
            if (written.find(size) == 0) return;
            std::this_thread::sleep_for(std::chrono::milliseconds{200});
        }
        FAIL() << "the query tables reflect " << written << " entries, not " << size;
    }
};

TEST_F(ProjectionsTest, RebuiltTablesEqualTheLiveOnes)
{
    // One more decision through the server, after the demo, so the live tables changed twice.
    ASSERT_EQ(ProposeBench("zitbank-school", "Zitbank bij de school"), 201U);
    ASSERT_NO_FATAL_FAILURE(AwaitLiveTables());
    const std::string live = Dump();
    EXPECT_NE(live.find("zitbank-school"), std::string::npos) << live;
    EXPECT_NE(live.find("buurtfeest-plein"), std::string::npos) << live;
    EXPECT_NE(live.find("Buitenspeel Ontwerp"), std::string::npos) << live;
    EXPECT_EQ(Sql("SELECT count(*) FROM q_proposals"), "6\n");

    // Someone changes a projection behind the service's back; the rebuild puts it right.
    Sql("UPDATE q_budget_lines SET available_cents = 0 WHERE council = 'leidsebuurt'");
    Sql("DELETE FROM q_ballots WHERE council = 'scheepmakersdijk'");
    ASSERT_NE(Dump(), live);
    const auto rebuilt = m_service->RunWijkbudget({"rebuild-projections"});
    ASSERT_EQ(rebuilt.exit_status, 0) << rebuilt.Describe();
    EXPECT_EQ(Dump(), live);
}

TEST_F(ProjectionsTest, AFailingWriteOfTheTablesIsLoggedOnceAndSoIsTheRecovery)
{
    ASSERT_NO_FATAL_FAILURE(AwaitLiveTables());
    // The database refuses the runtime role's rows: the tables stand still, and the log says so.
    Sql("REVOKE INSERT ON q_councils FROM wijkbudget_app");
    ASSERT_EQ(ProposeBench("zitbank-plein", "Zitbank op het plein"), 201U);
    const auto logged = [this](const std::string& event) {
        const auto deadline = std::chrono::steady_clock::now() + LIVE_TABLES_TIMEOUT;
        while (std::chrono::steady_clock::now() < deadline) {
            if (m_service->ServerLog().find(event) != std::string::npos) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds{200});
        }
        return false;
    };
    EXPECT_TRUE(logged(R"({"event":"query_tables_failed")")) << m_service->ServerLog();
    // Tried again every second, logged once.
    std::this_thread::sleep_for(std::chrono::milliseconds{2'500});
    const std::string log = m_service->ServerLog();
    EXPECT_EQ(log.find("query_tables_failed"), log.rfind("query_tables_failed")) << log;
    Sql("GRANT INSERT ON q_councils TO wijkbudget_app");
    ASSERT_NO_FATAL_FAILURE(AwaitLiveTables());
    EXPECT_TRUE(logged(R"({"event":"query_tables_written")")) << m_service->ServerLog();
}

} // namespace
} // namespace wijkbudget::test
