// tests/integration/api/demo_test.cpp: `wijkbudget demo` loads a living ledger (issue 4): two
// councils with mandates, bylaws, decided proposals (approved and rejected), commitments and
// spending; and running it again changes nothing.

#include "ledger/values.hpp"
#include "tests/integration/api/council_under_test.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace wijkbudget::test {
namespace {

//! The budget year of the demo's grants and proposals (api/main_demo_decisions.cpp).
constexpr int DEMO_YEAR{2027};

//! `wijkbudget round import` of the demo's .pb file (voting in October 2026) as round `id` of
//! `council` in centrum, on its line of `year`, with `more` options after these.
CommandResult ImportDemoFile(const ServiceUnderTest& service, const std::string& id,
                             const std::string& title, const std::string& council,
                             const std::string& year, const std::vector<std::string>& more = {})
{
    std::vector<std::string> arguments{"round",
                                       "import",
                                       std::string(WB_TEST_DATA_DIR) +
                                           "/../demo/haarlem/bewonersbudget-binnenstad-2026.pb",
                                       "--id",
                                       id,
                                       "--title",
                                       title,
                                       "--council",
                                       council,
                                       "--district",
                                       "centrum",
                                       "--year",
                                       year,
                                       "--opens-at",
                                       "2026-10-01T00:00:00.000Z",
                                       "--closes-at",
                                       "2026-10-31T23:00:00.000Z"};
    arguments.insert(arguments.end(), more.begin(), more.end());
    return service.RunWijkbudget(arguments);
}

//! What the demo's round file needs on `council`'s line of `year`: its budget, granted.
void GrantTheRoundsBudget(const ServiceUnderTest& service, const std::string& council, int year)
{
    const auto granted =
        service.Post("/api/v1/councils/" + council + "/grants",
                     R"({"year":)" + std::to_string(year) +
                         R"(,"category":"initiatives","amount_cents":400000})",
                     service.MunicipalityToken(), "grant-" + council + "-" + std::to_string(year));
    ASSERT_EQ(granted.status, 201U) << granted.body;
}

class DemoTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(m_service->LoadDemo());
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    }

    //! Each proposal's status, by id.
    std::map<std::string, std::string> Statuses(const CouncilUnderTest& council)
    {
        std::map<std::string, std::string> statuses;
        const auto proposals = council.Get("/proposals"); // Outlives the loop over its members.
        for (const auto& proposal : proposals.at("proposals").as_array())
            statuses[Text(proposal.as_object(), "id")] = Text(proposal.as_object(), "status");
        return statuses;
    }
};

TEST_F(DemoTest, TwoCouncilsDecideAndSpend)
{
    const CouncilUnderTest scheepmakersdijk{*m_service, "scheepmakersdijk", DEMO_YEAR};
    EXPECT_EQ(Statuses(scheepmakersdijk),
              (std::map<std::string, std::string>{{"bankjes-park", "committed"},
                                                  {"buurtfeest-plein", "rejected"},
                                                  {"geveltuinen", "committed"}}));
    EXPECT_EQ(scheepmakersdijk.Get("/mandates").at("mandates").as_array().size(), 5U);
    EXPECT_EQ(scheepmakersdijk.Get("/spendings").at("spendings").as_array().size(), 3U);
    const auto public_space = scheepmakersdijk.Line();
    EXPECT_EQ(Int(public_space, "committed_cents"), 450'000 - 370'000);
    EXPECT_EQ(Int(public_space, "spent_cents"), 370'000);

    const CouncilUnderTest leidsebuurt{*m_service, "leidsebuurt", DEMO_YEAR};
    EXPECT_EQ(Statuses(leidsebuurt),
              (std::map<std::string, std::string>{{"extra-verlichting", "voting"},
                                                  {"speeltuin", "committed"}}));
    // Two of four have voted: its submitter may not close it before the deadline.
    const auto running = leidsebuurt.Get("/votes/v-extra-verlichting");
    EXPECT_EQ(running.at("ballots").as_array().size(), 2U);
    EXPECT_FALSE(running.contains("decision"));

    // A second run finds every write stored under its key and appends nothing.
    const std::uint64_t size = m_service->LedgerSize();
    ASSERT_NO_FATAL_FAILURE(m_service->LoadDemo());
    EXPECT_EQ(m_service->LedgerSize(), size);
}

TEST_F(DemoTest, ARoundImportWithTooSmallAnElectorateAppendsNothing)
{
    // The demo's .pb file has 60 ballots; an electorate of 1 is refused before the round is
    // opened on the ledger, where it would have held the line's money for good.
    const std::uint64_t size = m_service->LedgerSize();
    const auto refused = ImportDemoFile(*m_service, "binnenstad-2026-bis", "Nog eens", "burgwal",
                                        "2027", {"--electorate", "1"});
    EXPECT_NE(refused.exit_status, 0) << refused.Describe();
    EXPECT_NE(refused.Describe().find("--electorate"), std::string::npos) << refused.Describe();
    EXPECT_EQ(m_service->LedgerSize(), size);
}

TEST_F(DemoTest, ARoundImportRunAgainReplaysWithTheSameInputAndIsRefusedWithOther)
{
    const auto import = [this](const std::string& title) {
        return ImportDemoFile(*m_service, "burgwal-2026", title, "burgwal", "2027");
    };
    const auto first = import("Bewonersbudget Burgwal 2026");
    ASSERT_EQ(first.exit_status, 0) << first.Describe();
    const std::uint64_t size = m_service->LedgerSize();

    // The same file and options: every entry is found under its key; nothing is appended.
    const auto again = import("Bewonersbudget Burgwal 2026");
    EXPECT_EQ(again.exit_status, 0) << again.Describe();
    EXPECT_EQ(m_service->LedgerSize(), size);

    // A corrected title under the same round id would have replayed the first run's answers and
    // said it succeeded, while the ledger keeps the first title. It is refused, and says why.
    const auto other = import("Bewonersbudget Burgwal 2026 (herzien)");
    EXPECT_NE(other.exit_status, 0) << other.Describe();
    EXPECT_NE(other.err.find("round-import:burgwal-2026:opened: recorded before from other input"),
              std::string::npos)
        << other.Describe();
    EXPECT_EQ(m_service->LedgerSize(), size);
    const auto round = m_service->Send("GET", "/api/v1/rounds/burgwal-2026");
    ASSERT_EQ(round.status, 200U) << round.body;
    EXPECT_EQ(Text(Parsed(round), "title"), "Bewonersbudget Burgwal 2026");
}

TEST_F(DemoTest, ARefusedRoundImportRunsOnceItsCauseIsGone)
{
    const auto import = [this] {
        return ImportDemoFile(*m_service, "burgwal-2030", "Bewonersbudget Burgwal", "burgwal",
                              "2030");
    };
    // Nothing is granted for 2030 yet: the round cannot hold its budget, and is refused.
    const std::uint64_t size = m_service->LedgerSize();
    const auto refused = import();
    EXPECT_NE(refused.exit_status, 0) << refused.Describe();
    EXPECT_EQ(m_service->LedgerSize(), size);

    // Its key was left free: once the line has the money, the same command records the round,
    // rather than replaying the refusal under a round id that could then never be used.
    ASSERT_NO_FATAL_FAILURE(GrantTheRoundsBudget(*m_service, "burgwal", 2030));
    const auto imported = import();
    EXPECT_EQ(imported.exit_status, 0) << imported.Describe();
    const auto round = m_service->Send("GET", "/api/v1/rounds/burgwal-2030");
    ASSERT_EQ(round.status, 200U) << round.body;
    EXPECT_EQ(Text(Parsed(round), "state"), "closed") << round.body;
}

using DemoGuardTest = ApiIntegrationTest;

TEST_F(DemoGuardTest, TheDemoRefusesALedgerWithEntriesItDidNotWrite)
{
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil("echte-wijk"));
    const std::uint64_t size = m_service->LedgerSize();
    const auto refused = m_service->RunWijkbudget(
        {"demo", "--data", std::string(WB_TEST_DATA_DIR) + "/../demo/haarlem"});
    EXPECT_NE(refused.exit_status, 0) << refused.Describe();
    EXPECT_NE(refused.err.find("entries that the demo did not write"), std::string::npos)
        << refused.Describe();
    EXPECT_EQ(m_service->LedgerSize(), size);

    // A round import claims under the demo's principal too: it must not pass for the demo.
    ASSERT_NO_FATAL_FAILURE(GrantTheRoundsBudget(*m_service, "echte-wijk", 2027));
    const auto imported =
        ImportDemoFile(*m_service, "echte-wijk-2026", "Bewonersbudget", "echte-wijk", "2027");
    ASSERT_EQ(imported.exit_status, 0) << imported.Describe();
    const std::uint64_t imported_size = m_service->LedgerSize();
    const auto still = m_service->RunWijkbudget(
        {"demo", "--data", std::string(WB_TEST_DATA_DIR) + "/../demo/haarlem"});
    EXPECT_NE(still.exit_status, 0) << still.Describe();
    EXPECT_EQ(m_service->LedgerSize(), imported_size);
}

TEST_F(DemoGuardTest, AMissingSigningKeyStopsTheDemoBeforeItWritesAnything)
{
    // The districts went into their table before the signing key was loaded: a demo refused
    // for its key left Haarlem's districts in the database.
    const auto count = [this](const std::string& table) {
        return m_service->Psql("SELECT count(*) FROM " + m_service->Schema() + "." + table).out;
    };
    const std::string districts_before = count("districts");
    const std::filesystem::path key = m_service->SettingsFile().parent_path() / "ledger.key";
    const std::filesystem::path away = key.string() + ".away";
    std::filesystem::rename(key, away);
    const auto refused = m_service->RunWijkbudget(
        {"demo", "--data", std::string(WB_TEST_DATA_DIR) + "/../demo/haarlem"});
    std::filesystem::rename(away, key);
    EXPECT_NE(refused.exit_status, 0) << refused.Describe();
    EXPECT_NE(refused.err.find("signing key"), std::string::npos) << refused.Describe();
    EXPECT_EQ(count("districts"), districts_before);
    EXPECT_EQ(count("entries"), "0\n");
}

TEST_F(DemoGuardTest, ABadRowAnywhereInTheFilesIsRefusedBeforeAnythingIsWritten)
{
    // A row found bad halfway would leave the districts and councils before it on the ledger for
    // good: every row is checked first, and the message names the file and line.
    const std::filesystem::path demo = std::string(WB_TEST_DATA_DIR) + "/../demo/haarlem";
    const std::filesystem::path data = m_service->SettingsFile().parent_path() / "bad-demo";
    std::filesystem::create_directories(data);
    for (const auto& file : std::filesystem::directory_iterator(demo))
        std::filesystem::copy_file(file.path(), data / file.path().filename(),
                                   std::filesystem::copy_options::overwrite_existing);
    const auto count = [this](const std::string& table) {
        return m_service->Psql("SELECT count(*) FROM " + m_service->Schema() + "." + table).out;
    };
    const std::string districts_before = count("districts");
    const std::string councils = (data / "haarlem-councils.csv").string();
    std::string original;
    {
        std::ifstream in{councils};
        original.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::size_t last_line =
        static_cast<std::size_t>(std::count(original.begin(), original.end(), '\n') + 1);
    const std::vector<std::pair<std::string, std::string>> bad_rows{
        {"Bad_Slug,Wijkraad Fout,centrum", "invalid value Bad_Slug"},
        {"nieuwe-raad,Wijkraad Nieuw,nergens", "district nergens is not in the districts' file"},
        {"burgwal,Wijkraad Burgwal,centrum", "council burgwal is listed twice"},
        {std::string(ledger::SLUG_BYTES_MAX + 1, 'a') + ",Te lang,centrum", "invalid value"},
    };
    for (const auto& [row, why] : bad_rows) {
        std::ofstream(councils, std::ios::trunc) << original << row << "\n";
        const auto refused = m_service->RunWijkbudget({"demo", "--data", data.string()});
        EXPECT_NE(refused.exit_status, 0) << row << ": " << refused.Describe();
        const std::string where = councils + ":" + std::to_string(last_line) + ": ";
        EXPECT_NE(refused.err.find(where + why), std::string::npos)
            << row << ": want " << where + why << "\n"
            << refused.Describe();
        EXPECT_EQ(count("entries"), "0\n") << row;
        EXPECT_EQ(count("districts"), districts_before) << row;
    }
}

} // namespace
} // namespace wijkbudget::test
