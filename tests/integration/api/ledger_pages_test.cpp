// tests/integration/api/ledger_pages_test.cpp: the public ledger read page by page, the cursor
// and its cap, councils with their lines, and the operators' endpoints (/readyz, /metrics).

#include "tests/integration/api/service_under_test.hpp"

#include <boost/json/parse.hpp>

#include <string>

namespace wijkbudget::test {
namespace {

//! What the server caps a page at (ledger::LEDGER_PAGE_ENTRIES_MAX) and its default page.
constexpr std::uint64_t PAGE_ENTRIES_MAX{1000};
constexpr std::uint64_t PAGE_ENTRIES_DEFAULT{100};
//! The demo's ledger: 29 councils, each registered and granted four budget lines, then the two
//! deciding councils' 34 and 20 entries (api/main_demo_decisions.cpp: mandates, bylaws,
//! proposals, ballots, decisions, a co-approval, spending, confirmations, a release), then the
//! past residents' round of Binnenstad: opened, its codes, 60 ballots, closed.
constexpr std::uint64_t DEMO_ENTRIES{29 * 5 + 34 + 20 + 1 + 1 + 60 + 1};

class LedgerPagesTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(m_service->LoadDemo());
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    }

    boost::json::object Page(const std::string& query)
    {
        const auto response = m_service->Send("GET", "/api/v1/ledger/entries" + query);
        EXPECT_EQ(response.status, 200U) << query << ": " << response.body;
        return response.status == 200 ? boost::json::parse(response.body).as_object()
                                      : boost::json::object{};
    }
};

TEST_F(LedgerPagesTest, CursorWalksTheWholeLedgerOnceInOrder)
{
    std::uint64_t expected_index = 0;
    std::string query = "?limit=40";
    for (int pages = 0; pages < 10; ++pages) {
        const auto page = Page(query);
        ASSERT_EQ(page.at("size").as_int64(), static_cast<std::int64_t>(DEMO_ENTRIES));
        for (const auto& entry : page.at("entries").as_array()) {
            ASSERT_EQ(entry.at("index").as_int64(), static_cast<std::int64_t>(expected_index));
            ++expected_index;
        }
        if (page.at("next").is_null()) break;
        query = "?limit=40&after=" + std::to_string(page.at("next").as_int64());
    }
    EXPECT_EQ(expected_index, DEMO_ENTRIES);
}

TEST_F(LedgerPagesTest, PageSizeIsCappedAndDefaulted)
{
    EXPECT_EQ(Page("").at("entries").as_array().size(), PAGE_ENTRIES_DEFAULT);
    EXPECT_EQ(Page("?limit=" + std::to_string(PAGE_ENTRIES_MAX)).at("entries").as_array().size(),
              DEMO_ENTRIES);
    const auto over = m_service->Send("GET", "/api/v1/ledger/entries?limit=" +
                                                 std::to_string(PAGE_ENTRIES_MAX + 1));
    EXPECT_EQ(over.status, 400U) << over.body;
    EXPECT_EQ(ProblemCode(over), "field_invalid");
    const auto past = Page("?after=" + std::to_string(DEMO_ENTRIES + 10));
    EXPECT_TRUE(past.at("entries").as_array().empty());
    EXPECT_TRUE(past.at("next").is_null());
    const auto missing =
        m_service->Send("GET", "/api/v1/ledger/entries/" + std::to_string(DEMO_ENTRIES));
    EXPECT_EQ(missing.status, 404U);
    EXPECT_EQ(ProblemCode(missing), "index_out_of_range");
}

TEST_F(LedgerPagesTest, CouncilsShowTheirLinesAndAGrantMovesTheBalance)
{
    const auto list = m_service->Send("GET", "/api/v1/councils");
    ASSERT_EQ(list.status, 200U);
    EXPECT_EQ(boost::json::parse(list.body).at("councils").as_array().size(), 29U);
    const auto granted =
        m_service->Post("/api/v1/councils/burgwal/grants", GrantBody(250'000, 2027, "social"),
                        m_service->MunicipalityToken(), RandomHex(8));
    ASSERT_EQ(granted.status, 201U) << granted.body;
    const auto council = m_service->Send("GET", "/api/v1/councils/burgwal");
    ASSERT_EQ(council.status, 200U);
    const auto document = boost::json::parse(council.body);
    EXPECT_EQ(document.at("district").as_string(), "centrum");
    bool found = false;
    for (const auto& line : document.at("budget_lines").as_array()) {
        if (line.at("category").as_string() != "social") continue;
        found = true;
        EXPECT_EQ(line.at("granted_cents").as_int64(), 800'000 + 250'000);
        EXPECT_EQ(line.at("available_cents").as_int64(), 800'000 + 250'000);
    }
    EXPECT_TRUE(found) << council.body;
    EXPECT_EQ(m_service->Send("GET", "/api/v1/councils/atlantis").status, 404U);
}

TEST_F(LedgerPagesTest, ReadyAndMetricsReportTheServer)
{
    EXPECT_EQ(m_service->Send("GET", "/healthz").status, 200U);
    EXPECT_EQ(m_service->Send("GET", "/readyz").status, 200U);
    ASSERT_EQ(m_service
                  ->Post("/api/v1/councils/burgwal/grants", GrantBody(1),
                         m_service->MunicipalityToken(), RandomHex(8))
                  .status,
              201U);
    const auto metrics = m_service->Send("GET", "/metrics");
    ASSERT_EQ(metrics.status, 200U);
    EXPECT_NE(
        metrics.body.find("wijkbudget_http_requests_total{route=\"GET /readyz\",status=\"200\"} "),
        std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("wijkbudget_sequencer_batch_entries_count 1"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("wijkbudget_ledger_entries " + std::to_string(DEMO_ENTRIES + 1)),
              std::string::npos)
        << metrics.body;
}

} // namespace
} // namespace wijkbudget::test
