#include "tests/integration/api/round_under_test.hpp"

#include "ledger/values.hpp"
#include "pb/pb_file.hpp"
#include "pb/rules.hpp"
#include "pb/satisfaction.hpp"
#include "services/voting_codes.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <thread>

namespace wijkbudget::test {
namespace {

//! The server closes due rounds every few seconds; a busy machine gets a generous margin.
constexpr std::chrono::seconds SYSTEM_CLOSE_WAIT_MAX{30};
//! The .pb id's prefix: the zero-padded tie rank and a hyphen ("000-").
constexpr std::size_t PB_RANK_PREFIX_CHARS{4};

std::vector<std::string> ReadLines(const std::filesystem::path& file)
{
    std::ifstream in{file};
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

} // namespace

std::string OpeningBody(const std::string& id, const std::string& owner, std::int64_t budget,
                        const std::string& opens_at, const std::string& closes_at,
                        const std::string& ballot, const std::string& rule, int min_turnout_percent,
                        const std::vector<ProjectCost>& projects)
{
    std::string list;
    for (const auto& [project, cost] : projects) {
        if (!list.empty()) list += ",";
        list += R"({"id":")" + project + R"(","title":"Project )" + project + R"(","cost_cents":)" +
                std::to_string(cost) + "}";
    }
    return R"({"id":")" + id + R"(","title":"Ronde )" + id + R"(",)" + owner + R"(,"year":)" +
           std::to_string(DECISION_YEAR) + R"(,"category":"public_space","budget_cents":)" +
           std::to_string(budget) + R"(,"opens_at":")" + opens_at + R"(","closes_at":")" +
           closes_at + R"(",)" + ballot + R"(,"rule":")" + rule + R"(","min_turnout_percent":)" +
           std::to_string(min_turnout_percent) + R"(,"projects":[)" + list + "]}";
}

std::string BallotBody(const std::string& code, const std::vector<Pick>& picks)
{
    std::string list;
    for (const auto& [project, points] : picks) {
        if (!list.empty()) list += ",";
        list += R"({"project":")" + project + R"(","points":)" + std::to_string(points) + "}";
    }
    return R"({"code":")" + code + R"(","choices":[)" + list + "]}";
}

void RoundTest::StartWithClock(std::int64_t grant)
{
    const std::filesystem::path folder = m_service->SettingsFile().parent_path();
    m_clock = std::make_unique<ServerClock>(WB_CLOCK_SHIFT_LIBRARY, folder / "clock-shift");
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer(m_clock->Environment()));
    m_council = std::make_unique<CouncilUnderTest>(*m_service, "burgwal");
    ASSERT_NO_FATAL_FAILURE(m_council->Register(grant));
    ASSERT_NO_FATAL_FAILURE(m_council->Seat("m-anna", "chair"));
    ASSERT_NO_FATAL_FAILURE(m_council->Seat("m-bram"));
    ASSERT_NO_FATAL_FAILURE(m_council->Seat("m-cees", "treasurer"));
    ASSERT_NO_FATAL_FAILURE(m_council->SetBylaws(1, "simple", "rejected", 10'000'000, 1'000'000));
}

std::string RoundTest::ServerTimestamp(std::chrono::seconds from_now) const
{
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return ledger::FormatTimestamp(
        ledger::Timestamp{(now + m_clock->Shift() + std::chrono::milliseconds{from_now}).count()});
}

std::vector<std::string> RoundTest::IssueCodes(const std::string& round, std::size_t count)
{
    const auto file = m_service->SettingsFile().parent_path() / ("codes-" + RandomHex(4) + ".txt");
    const auto issued = m_service->RunWijkbudget({"codes", "issue", "--round", round, "--count",
                                                  std::to_string(count), "--out", file.string()});
    EXPECT_EQ(issued.exit_status, 0) << issued.Describe();
    using std::filesystem::perms;
    EXPECT_EQ(std::filesystem::status(file).permissions() & perms::all,
              perms::owner_read | perms::owner_write);
    auto codes = ReadLines(file);
    EXPECT_EQ(codes.size(), count);
    for (const std::string& code : codes)
        EXPECT_TRUE(services::CanonicalVotingCode(code).has_value()) << code;
    return codes;
}

HttpsResponse RoundTest::Ballot(const std::string& round, const std::string& body,
                                const std::string& key) const
{
    return m_service->Send("POST", "/api/v1/rounds/" + round + "/ballots", body,
                           {{"Content-Type", "application/json"},
                            {"Idempotency-Key", key.empty() ? "k-" + RandomHex(8) : key}});
}

boost::json::object RoundTest::Round(const std::string& round) const
{
    const auto response = m_service->Send("GET", "/api/v1/rounds/" + round);
    EXPECT_EQ(response.status, 200U) << response.body;
    return Parsed(response);
}

boost::json::object RoundTest::WaitUntilClosed(const std::string& round) const
{
    const auto deadline = std::chrono::steady_clock::now() + SYSTEM_CLOSE_WAIT_MAX;
    while (std::chrono::steady_clock::now() < deadline) {
        auto json = Round(round);
        if (Text(json, "state") == "closed") return json;
        std::this_thread::sleep_for(std::chrono::milliseconds{250});
    }
    ADD_FAILURE() << "round " << round << " was not closed by the server";
    return {};
}

void RoundTest::ExpectExportRecounts(const std::string& round, const std::string& cli_rule,
                                     const std::string& satisfaction)
{
    const auto outcome = Round(round).at("outcome").as_object();
    const auto recorded = Ids(outcome.at("winners"), "project");
    const auto exported = m_service->Send("GET", "/api/v1/rounds/" + round + "/export.pb");
    ASSERT_EQ(exported.status, 200U) << exported.body;
    // In-process, as pabutools would read it, with the exact rule the close names.
    auto parsed = pb::ParsePbText(exported.body);
    ASSERT_TRUE(std::holds_alternative<pb::Instance>(parsed)) << exported.body;
    const auto& instance = std::get<pb::Instance>(parsed);
    const auto rule = pb::RuleFromName(Text(outcome, "rule"));
    ASSERT_TRUE(rule.has_value()) << Text(outcome, "rule");
    auto applied = pb::ApplyRule(pb::MakeSatisfactionProfile(instance, rule->satisfaction), *rule);
    ASSERT_TRUE(std::holds_alternative<pb::Outcome>(applied));
    std::vector<std::string> recounted;
    std::vector<std::string> pb_ids;
    for (const pb::Winner& winner : std::get<pb::Outcome>(applied).winners) {
        pb_ids.push_back(instance.projects[winner.project].id);
        recounted.push_back(pb_ids.back().substr(PB_RANK_PREFIX_CHARS));
    }
    EXPECT_EQ(recounted, recorded) << exported.body;
    // And by the command anyone runs on the downloaded file.
    const auto file = m_service->WriteFile(round + ".pb", exported.body);
    const auto cli = RunCommand(
        {WB_SERVER_BINARY, "pb", file.string(), "--rule", cli_rule, "--sat", satisfaction});
    ASSERT_EQ(cli.exit_status, 0) << cli.Describe();
    std::sort(pb_ids.begin(), pb_ids.end());
    EXPECT_EQ(Lines(cli.out), pb_ids) << cli.Describe();
}

void RoundTest::ExpectLedgerVerifies() const
{
    const auto export_file = m_service->WriteFile("export.ndjson", m_service->Export());
    const auto checkpoint_file = m_service->WriteFile("checkpoint.txt", m_service->Checkpoint());
    const auto verified =
        ServiceUnderTest::Verify({"export", export_file.string(), "--checkpoint",
                                  checkpoint_file.string(), "--vkey", m_service->VerifierKey()});
    EXPECT_EQ(verified.exit_status, 0) << verified.Describe();
}

std::string StrangerCode()
{
    std::array<std::uint8_t, services::VOTING_CODE_RANDOM_BYTES> random{};
    const std::string seed = RandomHex(random.size());
    for (std::size_t i = 0; i < random.size(); ++i)
        random[i] = static_cast<std::uint8_t>(std::stoul(seed.substr(2 * i, 2), nullptr, 16));
    return services::MakeVotingCode(random);
}

std::vector<std::string> Ids(const boost::json::value& array, std::string_view member)
{
    std::vector<std::string> ids;
    if (!array.is_array()) return ids;
    for (const auto& item : array.as_array())
        ids.push_back(Text(item.as_object(), member));
    return ids;
}

} // namespace wijkbudget::test
