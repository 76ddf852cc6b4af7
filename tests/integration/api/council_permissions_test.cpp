// tests/integration/api/council_permissions_test.cpp: issue 4's "every endpoint is called by every
// role (and without a token) and the allowed/denied matrix is asserted", over HTTPS against the
// real server and database.
//
// The matrix below is the rule, written from DESIGN.md section 1, issue 4 and the comments of
// services/decisions.hpp (not read off the code):
//   - public facts (health, the ledger and its proofs, councils, mandates, bylaws, proposals,
//     votes, commitments, spendings, submissions, budget lines, the open-data exports and feed)
//     are read by anyone, without a token; logging in needs no token either;
//   - the municipality registers councils, grants budgets, records and ends mandates, erases
//     members' names (AVG), co-approves, releases commitments and closes years;
//   - the council's members submit, amend and withdraw their own proposals, open, cast in, recuse
//     from and (as opener) close votes, and confirm another's spending;
//   - the council's treasurer submits proposals and votes as a member, records and reverses
//     spending and releases commitments; it cannot confirm its own spending;
//   - the auditor writes nothing here but the year end (findings and witnessing are other
//     endpoints);
//   - a member of another council acts in none of this council's business;
//   - residents' rounds (issue 6, services/round_service.hpp): the municipality opens a
//     district's round on a council, a council member the council's own by a decision; the
//     municipality or a council member of the round's council closes it; a ballot needs no
//     token, since its voting code is the credential, so every caller with a valid code votes.
// The year end is the municipality's (issue 4) and the auditor's, who "closes periods" (DESIGN.md
// section 1). Bylaws are the municipality's alone (DESIGN.md section 1 "sets each council's
// bylaws and mandate limits"): they hold the limits that guard the council's money from the
// council, so no member may set them (services/decisions.cpp). /metrics, meant for
// operators, answers anyone, as the implementation does today.
//
// Each cell calls the route as that caller after preparing state in which an allowed caller can
// succeed (a proposal of their own before an amendment, an open vote before a ballot, ...). A
// denied caller gets 401 not_authenticated (no token) or 403 with the code of its cell, and the
// ledger's size does not change; an allowed caller gets neither 401 nor 403, and in fact a 2xx
// (closing a round: see EARLY).

#include "api/router.hpp"
#include "tests/integration/api/council_under_test.hpp"
#include "tests/support/clock_shift/server_clock.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <thread>

namespace wijkbudget::test {
namespace {

enum class Caller { municipality, auditor, member, treasurer, outsider, anonymous };
constexpr std::array CALLERS{Caller::municipality, Caller::auditor,  Caller::member,
                             Caller::treasurer,    Caller::outsider, Caller::anonymous};

//! What one caller must get from one route.
struct Expected {
    bool allowed{false};
    std::string_view code; //!< The problem code of a refusal.
};
constexpr Expected OK{true, ""};
constexpr Expected NO{false, "not_permitted"};
constexpr Expected ANON{false, "not_authenticated"};
//! The treasurer records every spending, so it is always the submitter of what it would confirm.
constexpr Expected OWN{false, "confirmation_by_submitter"};
//! Allowed to close a round, but only after its closing time, and the server closes a due round
//! by itself within seconds: no test can be sure to come first. Who may close is checked before
//! the time, so an allowed caller is refused for the time alone (409, nothing written).
constexpr Expected EARLY{true, "round_still_open"};

struct Row {
    std::string_view method;
    std::string_view pattern;
    //! In the order of CALLERS: municipality, auditor, member, treasurer, outsider, anonymous.
    std::array<Expected, CALLERS.size()> callers;
};

constexpr std::string_view V1{"/api/v1"};

// clang-format off
const std::array MATRIX{
//  method    route                                                        muni  audit member treas other none
    Row{"GET",    "/healthz",                                                {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/readyz",                                                 {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/metrics",                                                {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/openapi.json",                                    {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/ledger/entries",                                  {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/ledger/entries/{index}",                          {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/ledger/checkpoint",                               {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/ledger/proofs/inclusion",                         {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/ledger/proofs/consistency",                       {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/ledger/export",                                   {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/ledger/vkey",                                     {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/session",                                         {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/councils",                                        {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils",                                        {OK,  NO,   NO,   NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}",                                   {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/grants",                            {OK,  NO,   NO,   NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/mandates",                          {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/mandates",                          {OK,  NO,   NO,   NO,   NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/mandates/{member}/end",             {OK,  NO,   NO,   NO,   NO,   ANON}},
    Row{"DELETE", "/api/v1/councils/{id}/members/{member}/name",             {OK,  NO,   NO,   NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/bylaws",                            {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/bylaws",                            {OK,  NO,   NO,   NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/proposals",                         {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/proposals",                         {NO,  NO,   OK,   OK,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/proposals/{proposal}",              {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/proposals/{proposal}/amendments",   {NO,  NO,   OK,   OK,   NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/proposals/{proposal}/withdrawal",   {NO,  NO,   OK,   OK,   NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/proposals/{proposal}/cosignature",  {OK,  NO,   NO,   NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/votes",                             {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/votes",                             {NO,  NO,   OK,   OK,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/votes/{vote}",                      {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/votes/{vote}/ballots",              {NO,  NO,   OK,   OK,   NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/votes/{vote}/recusals",             {NO,  NO,   OK,   OK,   NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/votes/{vote}/close",                {NO,  NO,   OK,   OK,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/commitments",                       {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/commitments/{commitment}/spendings",{NO,  NO,   NO,   OK,   NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/commitments/{commitment}/release",  {OK,  NO,   NO,   OK,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/spendings",                         {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/spendings/{index}/reversal",        {NO,  NO,   NO,   OK,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/spending-submissions",              {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/spending-submissions/{submission}/confirmation",
                                                                             {NO,  NO,   OK,   OWN,  NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/spending-submissions/{submission}/withdrawal",
                                                                             {NO,  NO,   NO,   OK,   NO,   ANON}},
    Row{"POST",   "/api/v1/councils/{id}/periods/{year}/close",              {OK,  OK,   NO,   NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/councils/{id}/budget-lines",                      {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/councils/{id}/export.csv",                        {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/councils/{id}/export.json",                       {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/feed.atom",                                       {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/councils/{id}/rounds",                            {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/councils/{id}/rounds",                            {OK,  NO,   OK,   NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/rounds",                                          {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"GET",    "/api/v1/rounds/{round}",                                  {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/rounds/{round}/ballots",                          {OK,  OK,   OK,   OK,   OK,   OK}},
    Row{"POST",   "/api/v1/rounds/{round}/close",                            {EARLY, NO, EARLY, NO,   NO,   ANON}},
    Row{"GET",    "/api/v1/rounds/{round}/export.pb",                        {OK,  OK,   OK,   OK,   OK,   OK}},
    // Last: each caller's logout ends the token the rows above used.
    Row{"DELETE", "/api/v1/session",                                         {OK,  OK,   OK,   OK,   OK,   ANON}},
};
// clang-format on

constexpr std::int64_t GRANT{10'000'000};
constexpr std::int64_t COSIGN_ABOVE{50'000};
constexpr std::int64_t CONFIRM_ABOVE{1'000};
//! The commitment that spendings, reversals and confirmations of the matrix draw on.
constexpr std::int64_t FUND{COSIGN_ABOVE};
constexpr std::string_view LOGIN{"matrix-login"};
constexpr std::string_view PASSWORD{"correct horse battery"};

std::string_view NameOf(Caller caller)
{
    switch (caller) {
    case Caller::municipality: return "municipality";
    case Caller::auditor: return "auditor";
    case Caller::member: return "m-bram";
    case Caller::treasurer: return "m-cees";
    case Caller::outsider: return "m-olga";
    case Caller::anonymous: return "";
    }
    return "";
}

//! A request of one cell: the target (with its query) and the body.
struct Call {
    std::string target;
    std::string body;
};

class CouncilPermissionsTest : public CouncilTest
{
protected:
    void SetUp() override
    {
        CouncilTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        const auto account =
            m_service->RunWijkbudget({"account", "create", "--login", std::string(LOGIN), "--role",
                                      "auditor", "--member", "a-login"},
                                     std::string(PASSWORD) + "\n");
        ASSERT_EQ(account.exit_status, 0) << account.Describe();
        // The rounds' rows move the server's clock (tests/support/clock_shift/), so that a round
        // opens and closes without waiting; they come last in MATRIX.
        m_clock = std::make_unique<ServerClock>(
            WB_CLOCK_SHIFT_LIBRARY, m_service->SettingsFile().parent_path() / "clock-shift");
        ASSERT_NO_FATAL_FAILURE(StartCouncil(GRANT, false, m_clock->Environment()));
        CouncilUnderTest& council = *m_council;
        // A quorum of 1%: one vote in favour carries, so Approve() needs no one else.
        ASSERT_NO_FATAL_FAILURE(
            council.SetBylaws(1, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
        const std::string auditor = m_service->CreateToken("auditor", "a-audrey");
        ASSERT_FALSE(auditor.empty());
        council.AddToken("auditor", auditor);
        // Another council, with a member of its own: the outsider.
        CouncilUnderTest other{*m_service, "noordkade"};
        ASSERT_NO_FATAL_FAILURE(other.Register(1'000));
        ASSERT_NO_FATAL_FAILURE(other.Seat("m-olga"));
        council.AddToken("m-olga", other.TokenOf("m-olga"));
        // What the reads and the money routes point at.
        ASSERT_NO_FATAL_FAILURE(council.Propose("m-anna", "p-base", 1'000));
        ASSERT_NO_FATAL_FAILURE(council.Approve("m-anna", "p-fund", FUND));
    }

    //! A fresh slug for the state one cell prepares.
    std::string Fresh(std::string_view prefix)
    {
        return std::string(prefix) + std::to_string(++m_serial);
    }

    //! The member a council-role caller acts as; others' preparations use the chair.
    static std::string ActingMember(Caller caller)
    {
        return caller == Caller::member || caller == Caller::treasurer ? std::string(NameOf(caller))
                                                                       : "m-anna";
    }

    void Prepared(const HttpsResponse& response, std::string_view step)
    {
        EXPECT_TRUE(response.status >= 200 && response.status < 300)
            << "preparing " << step << ": " << response.status << " " << response.body;
    }

    //! A spending of `cents` recorded (or submitted) by the treasurer on p-fund: the response.
    HttpsResponse Spend(const std::string& id, std::int64_t cents)
    {
        return m_council->Post("m-cees", "/commitments/p-fund/spendings",
                               R"({"id":")" + id + R"(","amount_cents":)" + std::to_string(cents) +
                                   R"(,"paid_on":"2025-03-01","payee":"Stichting Groen",)"
                                   R"("invoice_sha256":")" +
                                   std::string(64, 'a') + R"(","description":"Matrix"})");
    }

    //! Prepares the state a cell needs and returns its request (see the file comment).
    Call Prepare(const Row& row, Caller caller);
    //! The same for the rounds' rows.
    Call PrepareRound(const Row& row, Caller caller);
    /** Once: round r-vote, voting now, with codes for every ballot cell, and round r-done, closed
     *  by the server. Moves the server's clock past both rounds' opening. */
    void PrepareRounds();
    //! An instant `from_now` after the server's now, as the API writes it.
    [[nodiscard]] std::string ServerTimestamp(std::chrono::seconds from_now) const;

    int m_serial{0};
    int m_years_taken{0}; //!< Years of the year-end cells, counted up from YEAR_MIN.
    std::unique_ptr<ServerClock> m_clock;
    std::vector<std::string> m_codes; //!< Unused voting codes of r-vote.
};

std::string CouncilPermissionsTest::ServerTimestamp(std::chrono::seconds from_now) const
{
    return TimestampFromNow(
        std::chrono::duration_cast<std::chrono::seconds>(m_clock->Shift() + from_now).count());
}

//! A district round on burgwal, budget 2,000, two projects.
std::string RoundOpening(const std::string& id, const std::string& opens_at,
                         const std::string& closes_at)
{
    return R"({"id":")" + id + R"(","title":"Ronde","district":")" + std::string(TEST_DISTRICT) +
           R"(","year":)" + std::to_string(DECISION_YEAR) +
           R"(,"category":"public_space","budget_cents":2000,"opens_at":")" + opens_at +
           R"(","closes_at":")" + closes_at +
           R"(","ballot_type":"approval","rule":"greedy","min_turnout_percent":0,)"
           R"("projects":[{"id":"bankjes","title":"Bankjes","cost_cents":1000},)"
           R"({"id":"bomen","title":"Bomen","cost_cents":1000}]})";
}

void CouncilPermissionsTest::PrepareRounds()
{
    using namespace std::chrono_literals;
    if (!m_codes.empty()) return;
    using Closing = std::pair<std::string, std::chrono::seconds>;
    for (const auto& [id, closes_in] : {Closing{"r-vote", 48h}, Closing{"r-done", 1h + 30s}}) {
        Prepared(m_council->Post("municipality", "/rounds",
                                 RoundOpening(id, ServerTimestamp(1h), ServerTimestamp(closes_in))),
                 id);
    }
    const auto file = m_service->SettingsFile().parent_path() / "codes.txt";
    const auto issued = m_service->RunWijkbudget(
        {"codes", "issue", "--round", "r-vote", "--count", "12", "--out", file.string()});
    ASSERT_EQ(issued.exit_status, 0) << issued.Describe();
    std::ifstream in{file};
    for (std::string code; std::getline(in, code);)
        m_codes.push_back(code);
    ASSERT_EQ(m_codes.size(), 12U);
    m_clock->Advance(1h + 1min);
    // The server closes r-done by itself within seconds.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline &&
           m_service->Send("GET", "/api/v1/rounds/r-done").body.find(R"("state":"closed")") ==
               std::string::npos) {
        std::this_thread::sleep_for(250ms);
    }
}

Call CouncilPermissionsTest::PrepareRound(const Row& row, Caller caller)
{
    PrepareRounds();
    const std::string route = std::string(row.method) + " " + std::string(row.pattern);
    if (route == "GET /api/v1/rounds/{round}") return {"/api/v1/rounds/r-vote", {}};
    if (route == "GET /api/v1/rounds/{round}/export.pb")
        return {"/api/v1/rounds/r-done/export.pb", {}};
    if (route == "GET /api/v1/councils/{id}/rounds") return {m_council->Path("/rounds"), {}};
    if (route == "GET /api/v1/rounds") return {"/api/v1/rounds", {}};
    if (route == "POST /api/v1/rounds/{round}/close") return {"/api/v1/rounds/r-vote/close", "{}"};
    if (route == "POST /api/v1/rounds/{round}/ballots") {
        if (m_codes.empty()) {
            ADD_FAILURE() << "no voting code left for " << route;
            return {};
        }
        const std::string code = m_codes.back();
        m_codes.pop_back();
        return {"/api/v1/rounds/r-vote/ballots",
                R"({"code":")" + code + R"(","choices":[{"project":"bomen","points":1}]})"};
    }
    if (route == "POST /api/v1/councils/{id}/rounds") {
        using namespace std::chrono_literals;
        const std::string id = Fresh("r-new-");
        if (caller == Caller::municipality) {
            return {m_council->Path("/rounds"),
                    RoundOpening(id, ServerTimestamp(24h), ServerTimestamp(48h))};
        }
        // A council's round by its decision: an approved proposal of exactly the budget, which
        // the caller submitted (its submitter or the chair holds the round).
        const std::string proposal = Fresh("p-ronde-");
        m_council->Approve(ActingMember(caller), proposal, 2000);
        std::string body = RoundOpening(id, ServerTimestamp(24h), ServerTimestamp(48h));
        const std::string district = R"("district":")" + std::string(TEST_DISTRICT) + '"';
        body.replace(body.find(district), district.size(), R"("decision":"v-)" + proposal + '"');
        return {m_council->Path("/rounds"), body};
    }
    ADD_FAILURE() << "no preparation for " << route;
    return {};
}

Call CouncilPermissionsTest::Prepare(const Row& row, Caller caller)
{
    CouncilUnderTest& council = *m_council;
    const std::string route = std::string(row.method) + " " + std::string(row.pattern);
    const std::string base = council.Path();
    const std::string member = ActingMember(caller);
    const auto with_base = [&](std::string rest) {
        return Call{base + rest, {}};
    };
    if (row.pattern.find("/rounds") != std::string_view::npos) return PrepareRound(row, caller);

    if (row.method == "GET") {
        if (route == "GET /api/v1/ledger/entries/{index}") return {"/api/v1/ledger/entries/0", {}};
        if (route.find("/proofs/") != std::string::npos) {
            const auto size = CheckpointSize(m_service->Checkpoint()).value_or(1);
            if (route.ends_with("inclusion"))
                return {"/api/v1/ledger/proofs/inclusion?index=0&size=" + std::to_string(size), {}};
            return {"/api/v1/ledger/proofs/consistency?from=1&to=" + std::to_string(size), {}};
        }
        if (route == "GET /api/v1/councils/{id}") return with_base("");
        if (route.find("/export.") != std::string::npos) {
            return with_base(std::string(row.pattern.substr(row.pattern.rfind('/'))) +
                             "?year=" + std::to_string(DECISION_YEAR));
        }
        if (route.ends_with("{proposal}")) return with_base("/proposals/p-base");
        if (route.ends_with("{vote}")) return with_base("/votes/v-p-base");
        if (!row.pattern.starts_with("/api/v1/councils/{id}"))
            return {std::string(row.pattern), {}};
        return with_base(
            std::string(row.pattern.substr(std::string_view{"/api/v1/councils/{id}"}.size())));
    }
    if (route == "DELETE /api/v1/session") return {std::string(V1) + "/session", {}};
    if (route == "POST /api/v1/session") {
        return {std::string(V1) + "/session", R"({"login":")" + std::string(LOGIN) +
                                                  R"(","password":")" + std::string(PASSWORD) +
                                                  R"("})"};
    }
    if (route == "POST /api/v1/councils") {
        return {std::string(V1) + "/councils", R"({"id":")" + Fresh("wijk-") +
                                                   R"(","name":"Wijkraad","district":")" +
                                                   std::string(TEST_DISTRICT) + R"("})"};
    }
    if (route.ends_with("/grants")) return {base + "/grants", GrantBody(1'000, DECISION_YEAR)};
    if (route == "POST /api/v1/councils/{id}/mandates") {
        return {base + "/mandates", R"({"member":")" + Fresh("m-new-") +
                                        R"(","seat":"member","from":"2020-01-01",)"
                                        R"("until":"2099-12-31"})"};
    }
    if (route.ends_with("/end") || row.method == "DELETE") {
        const std::string seated = Fresh("m-leaving-");
        Prepared(council.Post("municipality", "/mandates",
                              R"({"member":")" + seated + R"(","name":"Naam )" + seated +
                                  R"(","seat":"member","from":"2020-01-01","until":"2099-12-31"})"),
                 route);
        if (row.method == "DELETE") return {base + "/members/" + seated + "/name", {}};
        return {base + "/mandates/" + seated + "/end",
                R"({"on":")" + TodayInTheNetherlands() + R"(","reason":"resigned"})"};
    }
    if (route.ends_with("/bylaws")) {
        return {base + "/bylaws",
                R"({"quorum_percent":1,"majority":"simple","tie_rule":"rejected",)"
                R"("cosign_above_cents":)" +
                    std::to_string(COSIGN_ABOVE) + R"(,"confirm_spending_above_cents":)" +
                    std::to_string(CONFIRM_ABOVE) + R"(,"voting_period_days_max":14})"};
    }
    if (route == "POST /api/v1/councils/{id}/proposals") {
        return {base + "/proposals", ProposalBody(Fresh("p-new-"), 1'000)};
    }
    if (route.ends_with("/spending-submissions/{submission}/withdrawal")) {
        const std::string submission = Fresh("s-back-");
        Prepared(Spend(submission, CONFIRM_ABOVE + 1), route);
        return {base + "/spending-submissions/" + submission + "/withdrawal",
                R"({"reason":"Dubbel ingevoerd"})"};
    }
    if (route.ends_with("/amendments") || route.ends_with("/withdrawal")) {
        const std::string proposal = Fresh("p-own-");
        council.Submit(member, proposal, 2'000);
        if (route.ends_with("/withdrawal"))
            return {base + "/proposals/" + proposal + "/withdrawal", R"({"reason":"Ingetrokken"})"};
        return {
            base + "/proposals/" + proposal + "/amendments",
            R"({"title":"Anders","description":"Nieuw.","amount_cents":1500,"attachments":[]})"};
    }
    if (route.ends_with("/cosignature")) {
        const std::string proposal = Fresh("p-big-");
        council.Approve("m-anna", proposal, COSIGN_ABOVE + 1);
        return {base + "/proposals/" + proposal + "/cosignature", "{}"};
    }
    if (route == "POST /api/v1/councils/{id}/votes") {
        // The submitter (or the chair) opens its vote: each member's own proposal.
        const std::string proposal = Fresh("p-open-");
        council.Submit(member, proposal, 1'000);
        return {base + "/votes", R"({"id":"v-)" + proposal + R"(","proposal":")" + proposal +
                                     R"(","closes_at":")" + TimestampFromNow(86'400) + R"("})"};
    }
    if (route.ends_with("/periods/{year}/close")) {
        // A year of its own per cell: a closed year would stop every other cell. Years close in
        // order, and every cell is prepared before any is sent: counted up from before the
        // council's first year, the allowed columns (the first two) close the earliest years.
        const int year = ledger::YEAR_MIN + ++m_years_taken;
        Prepared(council.Post("municipality", "/grants", GrantBody(1'000, year)), route);
        return {base + "/periods/" + std::to_string(year) + "/close", "{}"};
    }
    if (route.ends_with("/ballots") || route.ends_with("/recusals") ||
        route.ends_with("/votes/{vote}/close")) {
        const std::string proposal = Fresh("p-voting-");
        // Only the opener closes before the deadline: the caller opens the vote it will close.
        council.Propose(route.ends_with("/close") ? member : "m-anna", proposal, 1'000);
        const std::string vote = base + "/votes/v-" + proposal;
        if (route.ends_with("/ballots")) return {vote + "/ballots", R"({"choice":"for"})"};
        if (route.ends_with("/recusals")) return {vote + "/recusals", R"({"reason":"Belang"})"};
        // Before the deadline its opener closes it once nobody is left to vote.
        council.OthersAbstain("v-" + proposal);
        return {vote + "/close", "{}"};
    }
    if (route.ends_with("/spendings")) {
        return {base + "/commitments/p-fund/spendings",
                R"({"id":")" + Fresh("s-") +
                    R"(","amount_cents":100,"paid_on":"2025-03-01",)"
                    R"("payee":"Stichting Groen","invoice_sha256":")" +
                    std::string(64, 'b') + R"(","description":"Matrix"})"};
    }
    if (route.ends_with("/release")) {
        const std::string proposal = Fresh("p-held-");
        council.Approve("m-anna", proposal, 500);
        return {base + "/commitments/" + proposal + "/release", R"({"reason":"Klaar"})"};
    }
    if (route.ends_with("/reversal")) {
        const auto spent = Spend(Fresh("s-"), 100);
        Prepared(spent, route);
        const auto index = JsonNumber(spent.body, "index").value_or(0);
        return {base + "/spendings/" + std::to_string(index) + "/reversal", R"({"reason":"Fout"})"};
    }
    if (route.ends_with("/confirmation")) {
        const std::string submission = Fresh("s-big-");
        Prepared(Spend(submission, CONFIRM_ABOVE + 1), route);
        return {base + "/spending-submissions/" + submission + "/confirmation", "{}"};
    }
    ADD_FAILURE() << "no preparation for " << route;
    return {};
}

TEST(CouncilPermissionsMatrixTest, CoversEveryRoute)
{
    std::set<std::pair<std::string, std::string>> in_matrix;
    for (const Row& row : MATRIX) {
        EXPECT_TRUE(in_matrix.emplace(row.method, row.pattern).second)
            << "twice in the matrix: " << row.method << " " << row.pattern;
    }
    std::set<std::pair<std::string, std::string>> routed;
    for (const auto& [method, pattern] : api::RouteTable()) {
        routed.emplace(method, pattern);
        EXPECT_TRUE(in_matrix.contains({method, pattern}))
            << "route without a row in MATRIX: " << method << " " << pattern;
    }
    for (const auto& row : in_matrix) {
        EXPECT_TRUE(routed.contains(row))
            << "row without a route: " << row.first << " " << row.second;
    }
}

TEST_F(CouncilPermissionsTest, EveryRouteAllowsAndDeniesAsTheMatrixSays)
{
    for (const Row& row : MATRIX) {
        const std::string route = std::string(row.method) + " " + std::string(row.pattern);
        SCOPED_TRACE(route);
        // Every caller's state first; then the denied calls, which together must write nothing;
        // then the allowed ones.
        std::array<Call, CALLERS.size()> calls;
        for (std::size_t column = 0; column < CALLERS.size(); ++column)
            calls[column] = Prepare(row, CALLERS[column]);
        if (HasFatalFailure()) return;
        const bool any_denied = std::any_of(row.callers.begin(), row.callers.end(),
                                            [](const Expected& cell) { return !cell.allowed; });
        const std::uint64_t size_before = any_denied ? m_service->LedgerSize() : 0;
        for (const bool allowed : {false, true}) {
            for (std::size_t column = 0; column < CALLERS.size(); ++column) {
                const Expected expected = row.callers[column];
                if (expected.allowed != allowed) continue;
                const std::string who{NameOf(CALLERS[column])};
                const std::string cell = route + " as " + (who.empty() ? "no token" : who);
                const auto response = m_council->Send(who, std::string(row.method),
                                                      calls[column].target, calls[column].body);
                if (expected.allowed) {
                    EXPECT_TRUE(response.status != 401U && response.status != 403U)
                        << cell << " is allowed, but got " << response.status << " "
                        << response.body;
                    if (!expected.code.empty()) { // EARLY: allowed, refused for the time.
                        EXPECT_EQ(ProblemCode(response), expected.code) << cell;
                        continue;
                    }
                    EXPECT_TRUE(response.status >= 200U && response.status < 300U)
                        << cell << " (allowed, prepared to succeed): " << response.status << " "
                        << response.body;
                    continue;
                }
                const unsigned status = expected.code == "not_authenticated" ? 401U : 403U;
                EXPECT_EQ(response.status, status) << cell << ": " << response.body;
                EXPECT_EQ(ProblemCode(response), expected.code) << cell << ": " << response.body;
            }
            if (!allowed && any_denied) {
                EXPECT_EQ(m_service->LedgerSize(), size_before)
                    << route << ": a denied caller wrote to the ledger";
            }
        }
    }
}

TEST_F(CouncilPermissionsTest, AMemberWhoseMandateEndedActsInNothingButClosingTheirOwnVote)
{
    // The matrix's callers all hold a mandate; a member of the council whose mandate ended keeps
    // the role in their token, and is refused with mandate_invalid wherever a mandate is needed.
    CouncilUnderTest& council = *m_council;
    ASSERT_NO_FATAL_FAILURE(council.Submit("m-bram", "p-eigen", 1'000));
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-anna", "p-stem", 1'000));
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-bram", "p-bram", 1'000));
    const auto spent = Spend("s-klein", 100);
    ASSERT_EQ(spent.status, 201U) << spent.body;
    const auto spent_index = JsonNumber(spent.body, "index");
    ASSERT_TRUE(spent_index.has_value());
    ASSERT_EQ(Spend("s-wacht", CONFIRM_ABOVE + 1).status, 201U);
    for (const std::string member : {"m-bram", "m-cees"}) {
        const auto ended =
            council.Post("municipality", "/mandates/" + member + "/end",
                         R"({"on":")" + TodayInTheNetherlands() + R"(","reason":"resigned"})");
        ASSERT_EQ(ended.status, 201U) << ended.body;
    }
    const std::string spending =
        R"({"id":"s-na","amount_cents":100,"paid_on":"2025-03-01","payee":"Groen",)"
        R"("invoice_sha256":")" +
        std::string(64, 'd') + R"(","description":"Na afloop"})";
    const std::vector<std::array<std::string, 3>> refused{
        {"m-bram", "/proposals", ProposalBody("p-na", 1'000)},
        {"m-bram", "/proposals/p-eigen/amendments",
         R"({"title":"Na","description":"Na.","amount_cents":900,"attachments":[]})"},
        {"m-bram", "/proposals/p-eigen/withdrawal", R"({"reason":"Na afloop"})"},
        {"m-bram", "/votes",
         R"({"id":"v-na","proposal":"p-eigen","closes_at":")" + TimestampFromNow(3600) + R"("})"},
        {"m-bram", "/votes/v-p-stem/ballots", R"({"choice":"for"})"},
        {"m-bram", "/votes/v-p-stem/recusals", R"({"reason":"Na afloop"})"},
        {"m-bram", "/spending-submissions/s-wacht/confirmation", "{}"},
        {"m-cees", "/proposals", ProposalBody("p-na-2", 1'000)},
        {"m-cees", "/commitments/p-fund/spendings", spending},
        {"m-cees", "/spendings/" + std::to_string(*spent_index) + "/reversal",
         R"({"reason":"Na afloop"})"},
        {"m-cees", "/commitments/p-fund/release", R"({"reason":"Na afloop"})"},
    };
    for (const auto& [member, rest, body] : refused) {
        const std::uint64_t size_before = m_service->LedgerSize();
        const auto response = council.Post(member, rest, body);
        EXPECT_EQ(response.status, 403U) << member << " POST " << rest << ": " << response.body;
        EXPECT_EQ(ProblemCode(response), "mandate_invalid")
            << member << " POST " << rest << ": " << response.body;
        EXPECT_EQ(m_service->LedgerSize(), size_before) << member << " POST " << rest << " wrote";
    }
    // Closing records what the roll-call holds; services/decisions.hpp lets the opener do it
    // without a mandate, before the deadline once those still seated have voted.
    Cast("m-anna", "v-p-bram", "for");
    const auto closed = council.Post("m-bram", "/votes/v-p-bram/close");
    EXPECT_EQ(closed.status, 201U) << closed.body;
}

TEST_F(CouncilPermissionsTest, NamesAreSeenByTheMunicipalityTheAuditorAndTheCouncilErasedByTheFirst)
{
    // Names are not public facts (they live outside the ledger, so they can be erased).
    for (const Caller caller : CALLERS) {
        const std::string who{NameOf(caller)};
        const auto mandates = m_council->Send(who, "GET", m_council->Path("/mandates"));
        ASSERT_EQ(mandates.status, 200U) << who << ": " << mandates.body;
        const bool may_see = caller != Caller::outsider && caller != Caller::anonymous;
        EXPECT_EQ(mandates.body.find("Naam van m-anna") != std::string::npos, may_see)
            << (who.empty() ? "no token" : who) << ": " << mandates.body;
    }
    // Erasing a name (AVG) is the municipality's alone, and a refusal keeps it.
    const std::string target = m_council->Path("/members/m-bram/name");
    for (const Caller caller : CALLERS) {
        if (caller == Caller::municipality) continue;
        const auto refused = m_council->Send(std::string(NameOf(caller)), "DELETE", target);
        EXPECT_EQ(refused.status, caller == Caller::anonymous ? 401U : 403U) << refused.body;
    }
    // Nor does a body it does not take go unnoticed: the name stays.
    const auto with_body =
        m_council->Send("municipality", "DELETE", target, R"({"member":"m-anna"})");
    EXPECT_EQ(with_body.status, 400U) << with_body.body;
    const auto seen = m_council->Send("municipality", "GET", m_council->Path("/mandates"));
    EXPECT_NE(seen.body.find("Naam van m-bram"), std::string::npos) << seen.body;
    const auto erased = m_council->Send("municipality", "DELETE", target);
    EXPECT_EQ(erased.status, 204U) << erased.body;
    const auto gone = m_council->Send("municipality", "GET", m_council->Path("/mandates"));
    EXPECT_EQ(gone.body.find("Naam van m-bram"), std::string::npos) << gone.body;
}

TEST_F(CouncilPermissionsTest, ANameIsKeptOnlyWithTheMandateThatCarriesIt)
{
    CouncilUnderTest& council = *m_council;
    const std::string mandates = council.Path("/mandates");
    const auto names = [&] {
        return council.Send("municipality", "GET", mandates).body;
    };
    const auto mandate = [](const std::string& member, const std::string& name) {
        return R"({"member":")" + member + R"(","name":")" + name +
               R"(","seat":"member","from":"2020-01-01","until":"2099-12-31"})";
    };
    const auto post = [&](const std::string& body, const std::optional<std::string>& key) {
        Headers headers{{"Authorization", "Bearer " + council.TokenOf("municipality")},
                        {"Content-Type", "application/json"}};
        if (key) headers.emplace_back("Idempotency-Key", *key);
        return m_service->Send("POST", mandates, body, headers);
    };
    // Refused before the ledger (no key) and by it (m-anna is seated): her name stays.
    EXPECT_EQ(post(mandate("m-anna", "Bob"), std::nullopt).status, 400U);
    const auto seated = post(mandate("m-anna", "Bob"), "k-names-1");
    EXPECT_EQ(seated.status, 409U) << seated.body;
    EXPECT_NE(seated.body.find("mandate_exists"), std::string::npos) << seated.body;
    EXPECT_EQ(names().find("Bob"), std::string::npos) << names();
    EXPECT_NE(names().find("Naam van m-anna"), std::string::npos);
    // Refused for a term that ends before it begins (the ledger's rule): no name kept either.
    const auto backwards =
        post(R"({"member":"m-anna","name":"Carl","seat":"member","from":"2030-01-01",)"
             R"("until":"2020-01-01"})",
             "k-names-0");
    EXPECT_EQ(backwards.status, 400U) << backwards.body;
    EXPECT_EQ(names().find("Carl"), std::string::npos) << names();
    EXPECT_NE(names().find("Naam van m-anna"), std::string::npos);
    // Seated with a name, erased, then the first request again: the replay brings no name back.
    const auto first = post(mandate("m-zora", "Zora"), "k-names-2");
    ASSERT_EQ(first.status, 201U) << first.body;
    EXPECT_NE(names().find("Zora"), std::string::npos);
    EXPECT_EQ(council.Send("municipality", "DELETE", council.Path("/members/m-zora/name")).status,
              204U);
    const auto replayed = post(mandate("m-zora", "Zora"), "k-names-2");
    EXPECT_EQ(replayed.status, 201U) << replayed.body;
    EXPECT_EQ(replayed.body, first.body);
    EXPECT_EQ(names().find("Zora"), std::string::npos) << names();
}

} // namespace
} // namespace wijkbudget::test
