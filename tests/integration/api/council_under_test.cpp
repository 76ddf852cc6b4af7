#include "tests/integration/api/council_under_test.hpp"

#include "ledger/values.hpp"
#include "services/calendar.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <set>

namespace wijkbudget::test {

std::string CouncilUnderTest::Path(const std::string& rest) const
{
    return "/api/v1/councils/" + m_council + rest;
}

void CouncilUnderTest::Register(std::int64_t cents)
{
    ASSERT_NO_FATAL_FAILURE(m_service.RegisterCouncil(m_council));
    const auto granted = Post("municipality", "/grants", GrantBody(cents, m_year));
    ASSERT_EQ(granted.status, 201U) << granted.body;
}

void CouncilUnderTest::Seat(const std::string& member, const std::string& seat)
{
    const std::string body = R"({"member":")" + member + R"(","name":"Naam van )" + member +
                             R"(","seat":")" + seat +
                             R"(","from":"2020-01-01","until":"2099-12-31"})";
    const auto started = Post("municipality", "/mandates", body);
    ASSERT_EQ(started.status, 201U) << started.body;
    const std::string role = seat == "treasurer" ? "treasurer" : "council_member";
    m_tokens[member] = m_service.CreateToken(role, member, m_council);
    ASSERT_FALSE(m_tokens[member].empty());
}

void CouncilUnderTest::SetBylaws(int quorum_percent, const std::string& majority,
                                 const std::string& tie_rule, std::int64_t cosign_above,
                                 std::int64_t confirm_above)
{
    const std::string body = R"({"quorum_percent":)" + std::to_string(quorum_percent) +
                             R"(,"majority":")" + majority + R"(","tie_rule":")" + tie_rule +
                             R"(","cosign_above_cents":)" + std::to_string(cosign_above) +
                             R"(,"confirm_spending_above_cents":)" + std::to_string(confirm_above) +
                             R"(,"voting_period_days_max":14})";
    const auto set = Post("municipality", "/bylaws", body);
    ASSERT_EQ(set.status, 201U) << set.body;
}

const std::string& CouncilUnderTest::TokenOf(const std::string& who) const
{
    if (who == "municipality") return m_service.MunicipalityToken();
    const auto found = m_tokens.find(who);
    EXPECT_NE(found, m_tokens.end()) << "no token for " << who;
    static const std::string none;
    return found == m_tokens.end() ? none : found->second;
}

HttpsResponse CouncilUnderTest::Post(const std::string& who, const std::string& rest,
                                     const std::string& body) const
{
    const std::string key = "k-" + RandomHex(8);
    if (who.empty()) return m_service.Send("POST", Path(rest), body, {{"Idempotency-Key", key}});
    return m_service.Post(Path(rest), body, TokenOf(who), key);
}

boost::json::object CouncilUnderTest::Get(const std::string& rest) const
{
    const auto response = m_service.Send("GET", Path(rest));
    EXPECT_EQ(response.status, 200U) << rest << ": " << response.body;
    return Parsed(response);
}

void CouncilUnderTest::AddToken(const std::string& who, std::string token)
{
    m_tokens[who] = std::move(token);
}

HttpsResponse CouncilUnderTest::Send(const std::string& who, const std::string& method,
                                     const std::string& target, const std::string& body) const
{
    Headers headers;
    if (!who.empty()) headers.emplace_back("Authorization", "Bearer " + TokenOf(who));
    if (method == "POST") {
        headers.emplace_back("Content-Type", "application/json");
        headers.emplace_back("Idempotency-Key", "k-" + RandomHex(8));
    }
    return m_service.Send(method, target, body, headers);
}

void CouncilUnderTest::Submit(const std::string& submitter, const std::string& proposal,
                              std::int64_t cents)
{
    const auto submitted = Post(submitter, "/proposals", ProposalBody(proposal, cents, m_year));
    ASSERT_EQ(submitted.status, 201U) << submitted.body;
}

void CouncilUnderTest::Propose(const std::string& submitter, const std::string& proposal,
                               std::int64_t cents)
{
    ASSERT_NO_FATAL_FAILURE(Submit(submitter, proposal, cents));
    const std::string opening = R"({"id":"v-)" + proposal + R"(","proposal":")" + proposal +
                                R"(","closes_at":")" + TimestampFromNow(86'400) + R"("})";
    const auto opened = Post(submitter, "/votes", opening);
    ASSERT_EQ(opened.status, 201U) << opened.body;
}

void CouncilUnderTest::Approve(const std::string& member, const std::string& proposal,
                               std::int64_t cents)
{
    ASSERT_NO_FATAL_FAILURE(Propose(member, proposal, cents));
    const auto cast = Post(member, "/votes/v-" + proposal + "/ballots", R"({"choice":"for"})");
    ASSERT_EQ(cast.status, 201U) << cast.body;
    ASSERT_NO_FATAL_FAILURE(CloseOnceAllVoted(member, "v-" + proposal));
}

void CouncilUnderTest::OthersAbstain(const std::string& vote)
{
    const auto found = Get("/votes/" + vote);
    std::set<std::string> done;
    for (const auto& ballot : found.at("ballots").as_array())
        done.insert(Text(ballot.as_object(), "member"));
    for (const auto& recused : found.at("recused").as_array())
        done.insert(std::string(recused.as_string()));
    for (const auto& member : found.at("electorate").as_array()) {
        const std::string name{member.as_string()};
        if (done.contains(name)) continue;
        // A member seated by a test without Seat() gets a token now.
        if (!m_tokens.contains(name))
            m_tokens[name] = m_service.CreateToken("council_member", name, m_council);
        const auto abstained = Post(name, "/votes/" + vote + "/ballots", R"({"choice":"abstain"})");
        // One whose mandate ended since the vote opened can no longer vote, and is not waited for.
        if (abstained.status == 403U && ProblemCode(abstained) == "mandate_invalid") continue;
        EXPECT_EQ(abstained.status, 201U) << name << ": " << abstained.body;
    }
}

std::uint64_t CouncilUnderTest::CloseOnceAllVoted(const std::string& opener,
                                                  const std::string& vote)
{
    OthersAbstain(vote);
    const auto closed = Post(opener, "/votes/" + vote + "/close");
    EXPECT_EQ(closed.status, 201U) << closed.body;
    const auto answer = boost::json::parse(closed.body);
    return answer.is_object() && answer.as_object().contains("index")
               ? answer.at("index").to_number<std::uint64_t>()
               : 0;
}

boost::json::object CouncilUnderTest::Line(std::optional<std::uint64_t> at) const
{
    const auto lines = Get("/budget-lines" + (at ? "?at=" + std::to_string(*at) : std::string{}));
    const auto* list = lines.if_contains("lines");
    if (list != nullptr && list->is_array()) {
        for (const auto& line : list->as_array()) {
            const auto& object = line.as_object();
            if (Int(object, "year") == m_year && Text(object, "category") == "public_space")
                return object;
        }
    }
    ADD_FAILURE() << "no line " << m_year << "/public_space in " << lines;
    return {};
}

std::int64_t Int(const boost::json::object& object, std::string_view member)
{
    const auto* value = object.if_contains(member);
    if (value == nullptr || !(value->is_int64() || value->is_uint64())) {
        ADD_FAILURE() << "no integer " << member << " in " << object;
        return -1;
    }
    return value->to_number<std::int64_t>();
}

std::string Text(const boost::json::object& object, std::string_view member)
{
    const auto* value = object.if_contains(member);
    if (value == nullptr || !value->is_string()) return "";
    return std::string(value->as_string());
}

boost::json::object Parsed(const HttpsResponse& response)
{
    boost::system::error_code error;
    auto value = boost::json::parse(response.body, error);
    if (error || !value.is_object()) {
        ADD_FAILURE() << "not a JSON object: " << response.body;
        return {};
    }
    return value.as_object();
}

std::string TimestampFromNow(std::int64_t seconds)
{
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return ledger::FormatTimestamp(ledger::Timestamp{now.count() + seconds * 1000});
}

std::string TodayInTheNetherlands()
{
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return ledger::FormatDate(services::DateOf(ledger::Timestamp{now.count()}));
}

std::string ProposalBody(const std::string& proposal, std::int64_t cents, int year)
{
    return R"({"id":")" + proposal + R"(","title":"Voorstel )" + proposal +
           R"(","description":"Waarom.","amount_cents":)" + std::to_string(cents) + R"(,"year":)" +
           std::to_string(year) + R"(,"category":"public_space","attachments":[]})";
}

void CouncilTest::StartCouncil(std::int64_t grant, bool with_fourth_member,
                               const Environment& server_environment)
{
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer(server_environment));
    m_council = std::make_unique<CouncilUnderTest>(*m_service, "burgwal");
    ASSERT_NO_FATAL_FAILURE(m_council->Register(grant));
    ASSERT_NO_FATAL_FAILURE(m_council->Seat("m-anna", "chair"));
    ASSERT_NO_FATAL_FAILURE(m_council->Seat("m-bram"));
    ASSERT_NO_FATAL_FAILURE(m_council->Seat("m-cees", "treasurer"));
    if (with_fourth_member) {
        ASSERT_NO_FATAL_FAILURE(m_council->Seat("m-dirk"));
    }
}

void CouncilTest::Cast(const std::string& member, const std::string& vote,
                       const std::string& choice)
{
    const auto cast =
        m_council->Post(member, "/votes/" + vote + "/ballots", R"({"choice":")" + choice + "\"}");
    EXPECT_EQ(cast.status, 201U) << member << " " << choice << ": " << cast.body;
}

} // namespace wijkbudget::test
