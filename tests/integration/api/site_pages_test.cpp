// tests/integration/api/site_pages_test.cpp: the public site over HTTPS (issue 5): every page
// type answers HTML in the reader's language with the strict Content-Security-Policy; bad
// addresses get HTML errors; the built assets are served gzip and immutable; the entry page shows
// the stored bytes exactly; and `serve` refuses an incomplete asset build. Residents' rounds
// (issue 6): a round's page before, during and after voting, and its ballot form: a receipt, a
// replay, every refusal in the reader's language with nothing written, and 400 for a bad form.
// The browser suite (tests/e2e/) checks what the pages say against the API; this one checks the
// HTTP contract.

#include "ledger/base64.hpp"
#include "services/voting_codes.hpp"
#include "tests/integration/api/round_under_test.hpp"
#include "tests/integration/api/service_under_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

namespace wijkbudget::test {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view POLICY{
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"};

//! The text of an HTML element's content with the five escapes the site writes undone.
std::string Unescaped(std::string text)
{
    const std::pair<std::string_view, std::string_view> escapes[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (const auto& [from, to] : escapes) {
        for (auto at = text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size()))
            text.replace(at, from.size(), to);
    }
    return text;
}

class SitePagesTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        // A stand-in build: the server only needs a manifest and the files it names.
        fs::create_directories(m_service->SettingsFile().parent_path() / "assets");
        m_assets = m_service
                       ->WriteFile("assets/manifest.json",
                                   R"({"app.js":"app-T3ST.js","app.css":"app-T3ST.css"})")
                       .parent_path();
        m_service->WriteFile("assets/app-T3ST.js", "export const site = 1;\n");
        m_service->WriteFile("assets/app-T3ST.js.gz", std::string("\x1f\x8b-stand-in", 11));
        m_service->WriteFile("assets/app-T3ST.css", "body { margin: 0 }\n");
        m_service->WriteFile("assets/app-T3ST.css.gz", std::string("\x1f\x8b-css", 6));
        ASSERT_NO_FATAL_FAILURE(m_service->LoadDemo());
        ASSERT_NO_FATAL_FAILURE(
            m_service->StartServer({{"WIJKBUDGET_WEB_ASSETS_DIR", m_assets.string()}}));
    }

    HttpsResponse Page(const std::string& target, const Headers& headers = {}) const
    {
        return m_service->Send("GET", target, {}, headers);
    }

    fs::path m_assets;
};

TEST_F(SitePagesTest, EveryPageTypeAnswersHtmlUnderTheStrictPolicy)
{
    for (const std::string target :
         {"/", "/councils/scheepmakersdijk", "/councils/scheepmakersdijk/proposals/bankjes-park",
          "/ledger", "/ledger?after=99", "/ledger/0", "/verify", "/rounds",
          "/rounds/binnenstad-2026"}) {
        SCOPED_TRACE(target);
        const auto page = Page(target);
        EXPECT_EQ(page.status, 200U);
        EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_EQ(page.Header("Content-Security-Policy"), POLICY);
        EXPECT_EQ(page.Header("X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(page.Header("Content-Language"), "nl");
        EXPECT_NE(page.body.find("<html lang=\"nl\">"), std::string::npos);
        // The build's files, by their hashed names; nothing from elsewhere.
        EXPECT_NE(page.body.find("<script type=\"module\" src=\"/assets/app-T3ST.js\">"),
                  std::string::npos);
        EXPECT_NE(page.body.find("href=\"/assets/app-T3ST.css\""), std::string::npos);
        EXPECT_EQ(page.body.find("http://"), std::string::npos);
        EXPECT_EQ(page.body.find("style=\""), std::string::npos); // The policy forbids it.
        EXPECT_EQ(page.body.find("<script>"), std::string::npos);
    }
    // The councils' table: each district heads the rows below it, across all seven columns.
    const auto home = Page("/");
    EXPECT_NE(home.body.find("<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"7\">"),
              std::string::npos);
    EXPECT_EQ(home.body.find("colgroup"), std::string::npos);
    // The ledger browser pages by cursor, as the API does: after=99 starts at 100. The demo's
    // entries (its past round's ballots among them) make two pages or more.
    const auto size = m_service->LedgerSize();
    ASSERT_GT(size, 100U);
    const auto first = Page("/ledger").body;
    EXPECT_NE(first.find("<a rel=\"next\" href=\"/ledger?after=99\">"), std::string::npos);
    const auto second = Page("/ledger?after=99").body;
    EXPECT_NE(second.find("<tr data-index=\"100\">"), std::string::npos);
    const auto last = std::to_string(std::min<std::uint64_t>(size, 200) - 1);
    EXPECT_NE(second.find("<tr data-index=\"" + last + "\">"), std::string::npos);
    EXPECT_EQ(second.find("<tr data-index=\"99\">"), std::string::npos);
    EXPECT_EQ(second.find("<a rel=\"next\" href=\"/ledger?after=199\">") != std::string::npos,
              size > 200);
    EXPECT_NE(second.find("<a rel=\"prev\" href=\"/ledger\">"), std::string::npos);
}

TEST_F(SitePagesTest, TheLanguageIsChosenOnceAndRemembered)
{
    const auto english = Page("/?lang=en");
    ASSERT_EQ(english.status, 200U);
    EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_EQ(english.Header("Content-Language"), "en");
    const std::string cookie = english.Header("Set-Cookie");
    EXPECT_EQ(cookie.rfind("wb_lang=en;", 0), 0U) << cookie;
    EXPECT_NE(english.body.find("€150,000.00"), std::string::npos);
    // The switch leads back to Dutch, keeping the page's own parameters.
    EXPECT_NE(english.body.find("href=\"/?lang=nl\""), std::string::npos);
    EXPECT_NE(Page("/ledger?after=9&lang=en").body.find("href=\"/ledger?after=9&amp;lang=nl\""),
              std::string::npos);

    const auto remembered = Page("/verify", {{"Cookie", "wb_lang=en"}});
    EXPECT_NE(remembered.body.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_EQ(remembered.Header("Set-Cookie"), "");
    EXPECT_EQ(remembered.Header("Vary"), "Cookie");
    const auto dutch = Page("/");
    EXPECT_NE(dutch.body.find("€ 150.000,00"), std::string::npos);
    EXPECT_NE(dutch.body.find("href=\"/?lang=en\""), std::string::npos);
}

TEST_F(SitePagesTest, BadAddressesGetHtmlErrorsInTheReadersLanguage)
{
    const auto size = m_service->LedgerSize();
    const struct {
        std::string target;
        unsigned status;
        std::string_view says;
    } cases[] = {
        {"/councils/nope", 404, "Er is geen wijkraad met dit adres."},
        {"/councils/NOPE!", 404, "Er is geen wijkraad met dit adres."},
        {"/councils/scheepmakersdijk/proposals/nope", 404, "geen voorstel met dit adres"},
        {"/ledger/" + std::to_string(size), 404, "geen registratie met dit nummer"},
        {"/ledger/01", 404, "geen registratie met dit nummer"},
        {"/ledger/abc?lang=en", 404, "no entry with this number"},
        {"/ledger?after=x", 400, "moet een registratienummer zijn"},
        {"/ledger?after=-1", 400, "moet een registratienummer zijn"},
        // At the end a reader has seen everything; past it no link of the site leads.
        {"/ledger?after=" + std::to_string(size - 1), 200,
         "Er zijn nog geen nieuwere registraties."},
        {"/ledger?after=" + std::to_string(size), 404, "Zo ver reikt het grootboek nog niet."},
        {"/?lang=de", 400, "Ongeldige vraag"},
        {"/verify?utm=1", 400, "Ongeldige vraag"},
        // A query that cannot be read at all: the same page, not a problem in JSON.
        {"/ledger?after=%zz", 400, "Ongeldige vraag"},
        {"/rounds?lang=en&lang=nl", 400, "Ongeldige vraag"},
        {"/nergens?a=%", 400, "Ongeldige vraag"},
        // Addresses that name no page: the site's page, not a problem in JSON.
        {"/councils/scheepmakersdijk/", 404, "Op dit adres staat geen pagina."},
        {"/nergens?lang=en", 404, "There is no page at this address."},
        {"/nergens?utm=1", 404, "Op dit adres staat geen pagina."},
        {"/nergens?utm=1&lang=en", 404, "There is no page at this address."},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.target);
        const auto page = Page(c.target);
        EXPECT_EQ(page.status, c.status);
        EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(page.body.find(c.says), std::string::npos) << page.body;
    }
    // A path a browser would read as another host never becomes the language switch's link.
    for (const std::string target : {"//elsewhere.example", "//councils/scheepmakersdijk"}) {
        const auto page = Page(target);
        EXPECT_EQ(page.body.find("href=\"//"), std::string::npos) << target << "\n" << page.body;
        EXPECT_NE(page.body.find("id=\"language-switch\" href=\"/?lang=en\""), std::string::npos)
            << target << "\n"
            << page.body;
    }
    // The API's own addresses keep their problems.
    const auto api = Page("/api/v1/nergens");
    EXPECT_EQ(api.status, 404U);
    EXPECT_EQ(api.Header("Content-Type"), "application/problem+json");
    // So do the probes, also for a query that cannot be read: programs call them.
    for (const std::string target : {"/healthz?a=%zz", "/readyz?a=%", "/metrics?x=1&x=2",
                                     "/api/v1/ledger/entries?after=%zz"}) {
        const auto problem = Page(target);
        EXPECT_EQ(problem.status, 400U) << target;
        EXPECT_EQ(problem.Header("Content-Type"), "application/problem+json") << target;
        EXPECT_NE(problem.body.find("query_invalid"), std::string::npos) << problem.body;
    }
    const auto post = m_service->Send("POST", "/", "{}");
    EXPECT_EQ(post.status, 405U);
    EXPECT_EQ(post.Header("Allow"), "GET, HEAD");
    EXPECT_EQ(m_service->LedgerSize(), size);
}

TEST_F(SitePagesTest, AssetsAreServedCompressedAndCachedForGood)
{
    const auto gzip = Page("/assets/app-T3ST.js", {{"Accept-Encoding", "gzip, br"}});
    ASSERT_EQ(gzip.status, 200U);
    EXPECT_EQ(gzip.Header("Content-Encoding"), "gzip");
    EXPECT_EQ(gzip.body, std::string("\x1f\x8b-stand-in", 11));
    EXPECT_EQ(gzip.Header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(gzip.Header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(gzip.Header("Vary"), "Accept-Encoding");
    const auto plain = Page("/assets/app-T3ST.css");
    EXPECT_EQ(plain.Header("Content-Encoding"), "");
    EXPECT_EQ(plain.body, "body { margin: 0 }\n");
    const auto again = Page("/assets/app-T3ST.css", {{"Accept-Encoding", "gzip;q=0"},
                                                     {"If-None-Match", plain.Header("ETag")}});
    EXPECT_EQ(again.status, 304U);
    EXPECT_TRUE(again.body.empty());
    // Each representation has a tag of its own, and gzip refused by weight is not sent.
    const auto compressed = Page("/assets/app-T3ST.css", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(compressed.Header("Content-Encoding"), "gzip");
    EXPECT_NE(compressed.Header("ETag"), plain.Header("ETag"));
    const auto refused =
        Page("/assets/app-T3ST.css",
             {{"Accept-Encoding", "gzip;q=0, br"}, {"If-None-Match", compressed.Header("ETag")}});
    EXPECT_EQ(refused.status, 200U);
    EXPECT_EQ(refused.Header("Content-Encoding"), "");
    EXPECT_EQ(refused.body, "body { margin: 0 }\n");
    for (const char* target : {"/assets/manifest.json", "/assets/app.js", "/assets/..%2Fx.js"})
        EXPECT_EQ(Page(target).status, 404U) << target;
    // The icon every page links, so that browsers do not ask for /favicon.ico.
    const auto icon = Page("/favicon.svg");
    EXPECT_EQ(icon.status, 200U);
    EXPECT_EQ(icon.Header("Content-Type"), "image/svg+xml");
    EXPECT_EQ(icon.body.rfind("<svg", 0), 0U);
    EXPECT_NE(Page("/").body.find("<link rel=\"icon\" href=\"/favicon.svg\""), std::string::npos);
}

TEST_F(SitePagesTest, TheEntryPageShowsTheStoredBytesAndWhatToVerifyThemWith)
{
    std::istringstream lines{m_service->Export()};
    std::string line;
    for (std::uint64_t index = 0; std::getline(lines, line); ++index) {
        if (index != 0 && index != 150) continue;
        SCOPED_TRACE(index);
        const auto page = Page("/ledger/" + std::to_string(index)).body;
        // What the browser hashes: the stored bytes in base64 (the <pre>'s text is for reading,
        // and HTML parsing may change it).
        const std::string copy =
            "<pre id=\"entry-bytes\" tabindex=\"0\" data-bytes=\"" +
            ledger::ToBase64(
                std::span{reinterpret_cast<const std::uint8_t*>(line.data()), line.size()}) +
            "\">";
        const auto open = page.find(copy);
        ASSERT_NE(open, std::string::npos) << page;
        const auto start = open + copy.size();
        const auto end = page.find("</pre>", start);
        EXPECT_EQ(Unescaped(page.substr(start, end - start)), line);
        EXPECT_NE(page.find("data-index=\"" + std::to_string(index) + "\""), std::string::npos);
        EXPECT_NE(page.find("data-vkey=\"" + m_service->VerifierKey() + "\""), std::string::npos);
        EXPECT_NE(page.find("id=\"verification-badge\" class=\"badge\" data-state=\"pending\""),
                  std::string::npos);
    }
    // A server without the front-end build runs no script: its badge does not say "checking".
    const std::size_t bare = m_service->StartServer();
    const auto page = m_service->Send("GET", "/ledger/0?lang=nl", {}, {}, bare);
    ASSERT_EQ(page.status, 200U) << page.body;
    EXPECT_NE(page.body.find("data-state=\"unavailable\""), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("Niet gecontroleerd"), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("Bezig met controleren"), std::string::npos) << page.body;
}

TEST_F(SitePagesTest, ServeRefusesAnIncompleteAssetBuild)
{
    fs::remove(m_assets / "app-T3ST.css.gz");
    const auto refused =
        m_service->RunWijkbudget({"serve"}, {}, {{"WIJKBUDGET_WEB_ASSETS_DIR", m_assets.string()}});
    EXPECT_NE(refused.exit_status, 0) << refused.Describe();
    EXPECT_NE(refused.err.find("web.assets_dir"), std::string::npos) << refused.Describe();
    EXPECT_NE(refused.err.find("app-T3ST.css"), std::string::npos) << refused.Describe();
}

TEST_F(SitePagesTest, TheDemoRoundShowsItsOutcomeInBothLanguages)
{
    const auto dutch = Page("/rounds/binnenstad-2026");
    ASSERT_EQ(dutch.status, 200U);
    EXPECT_NE(dutch.body.find("<section id=\"outcome\""), std::string::npos);
    EXPECT_NE(dutch.body.find("data-chart=\"bar\" id=\"outcome-chart\""), std::string::npos);
    EXPECT_NE(dutch.body.find("Uitslag per project"), std::string::npos);
    EXPECT_EQ(dutch.body.find("id=\"ballot-form\""), std::string::npos);
    const auto english = Page("/rounds/binnenstad-2026?lang=en");
    EXPECT_NE(english.body.find("Cost per project: funded and not funded"), std::string::npos);
    EXPECT_NE(english.body.find("Result per project"), std::string::npos);
    // Listed, and linked from the municipality's page and its council's, under the navigation.
    for (const std::string target : {"/rounds", "/", "/councils/binnenstad"}) {
        const auto page = Page(target);
        EXPECT_NE(page.body.find("href=\"/rounds/binnenstad-2026\""), std::string::npos) << target;
        EXPECT_NE(page.body.find("<li><a href=\"/rounds\""), std::string::npos) << target;
    }
    // Unknown rounds are 404 pages, for a read and a ballot alike; a closed round takes none.
    const auto size = m_service->LedgerSize();
    EXPECT_EQ(Page("/rounds/nope").status, 404U);
    EXPECT_NE(Page("/rounds/nope").body.find("geen bewonersstemming"), std::string::npos);
    const Headers form{{"Content-Type", "application/x-www-form-urlencoded"}};
    EXPECT_EQ(m_service->Send("POST", "/rounds/nope/ballot", "code=x", form).status, 404U);
    const auto closed = m_service->Send("POST", "/rounds/binnenstad-2026/ballot?lang=en",
                                        "code=7KQ2-M9XD-4TVA-RH&project=bankjes", form);
    EXPECT_EQ(closed.status, 409U);
    EXPECT_NE(closed.body.find("data-refusal=\"round_not_open\""), std::string::npos);
    EXPECT_EQ(closed.body.find("7KQ2"), std::string::npos) << "the code is not echoed";
    // The form's answer reloaded, bookmarked or shared asks its address with GET: the round's
    // page, in the reader's language, not a 405 in JSON.
    const auto reloaded = m_service->Send("GET", "/rounds/binnenstad-2026/ballot?lang=en");
    EXPECT_EQ(reloaded.status, 303U) << reloaded.body;
    EXPECT_EQ(reloaded.Header("Location"), "/rounds/binnenstad-2026?lang=en");
    EXPECT_EQ(m_service->Send("GET", "/rounds/nope/ballot").status, 404U);
    EXPECT_EQ(m_service->Send("PUT", "/rounds/binnenstad-2026/ballot").status, 405U);
    EXPECT_EQ(m_service->LedgerSize(), size);
}

// ---- A round's pages through its life, with the ballot form --------------------------------

constexpr std::int64_t ROUND_GRANT{10'000'000};
constexpr std::int64_t ROUND_BUDGET{60'000};
const std::vector<ProjectCost> ROUND_PROJECTS{
    {"speeltuin", 40'000}, {"bankjes", 15'000}, {"bomen", 25'000}, {"kunst", 30'000}};
constexpr std::string_view FORM_TYPE{"application/x-www-form-urlencoded"};

//! The part of a page from `start` to the end of its element's row: one project's result.
std::string RowOf(const std::string& page, const std::string& start)
{
    const auto begin = page.find(start);
    if (begin == std::string::npos) return {};
    return page.substr(begin, page.find("</tr>", begin) - begin);
}

//! What a project's explanation says (in Dutch), from the phase or reason the close recorded.
std::string ExplanationOf(const boost::json::object& result, const boost::json::value* winner)
{
    if (const auto* reason = result.if_contains("reason"); reason && reason->is_string()) {
        const std::string why{reason->as_string()};
        if (why == "no_support") return "niemand koos het";
        if (why == "unaffordable") return "konden het samen niet betalen";
        if (why == "did_not_fit") return "kostte het meer dan het geld dat over was";
        return why;
    }
    const std::string phase = winner == nullptr ? "" : Text(winner->as_object(), "phase");
    if (phase == "equal_shares") return "in de fase van gelijke delen";
    if (phase == "greedy_completion") return "bij de aanvulling";
    if (phase == "greedy") return "was het aan de beurt";
    return "?" + phase;
}

class SiteRoundPagesTest : public RoundTest
{
protected:
    HttpsResponse Page(const std::string& target) const { return m_service->Send("GET", target); }
    HttpsResponse Form(const std::string& body, std::string_view language = "nl") const
    {
        return m_service->Send("POST",
                               "/rounds/" + m_round + "/ballot?lang=" + std::string(language), body,
                               {{"Content-Type", std::string(FORM_TYPE)}});
    }
    //! A refused ballot: the status, the round's page with the reason and the form (while
    //! voting), the code nowhere, and nothing written.
    void ExpectRefused(const std::string& body, unsigned status, std::string_view refusal,
                       std::string_view says, std::string_view language, std::string_view code)
    {
        SCOPED_TRACE(body);
        const auto size = m_service->LedgerSize();
        const auto page = Form(body, language);
        EXPECT_EQ(page.status, status) << page.body;
        EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(page.Header("Content-Security-Policy").find("form-action 'self'"),
                  std::string::npos);
        EXPECT_NE(page.body.find("data-refusal=\"" + std::string(refusal) + "\""),
                  std::string::npos)
            << page.body;
        EXPECT_NE(page.body.find(says), std::string::npos) << page.body;
        // The language switch leads to the round's page, not to this POST-only address.
        EXPECT_NE(page.body.find("id=\"language-switch\" href=\"/rounds/" + m_round + "?lang="),
                  std::string::npos);
        if (!code.empty()) {
            EXPECT_EQ(page.body.find(code), std::string::npos) << "code echoed";
        }
        EXPECT_EQ(m_service->LedgerSize(), size);
    }
    void ExpectUnreadable(const std::string& body, unsigned status = 400)
    {
        SCOPED_TRACE(body);
        const auto size = m_service->LedgerSize();
        const auto page = Form(body, "en");
        EXPECT_EQ(page.status, status);
        EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(page.body.find("<html lang=\"en\">"), std::string::npos);
        EXPECT_NE(page.body.find("Nothing was recorded"), std::string::npos) << page.body;
        EXPECT_EQ(m_service->LedgerSize(), size);
    }

    std::string m_round{"r-wijk"};
};

TEST_F(SiteRoundPagesTest, TheRoundPageFollowsTheRoundFromOpeningToOutcome)
{
    ASSERT_NO_FATAL_FAILURE(StartWithClock(ROUND_GRANT));
    const auto opened =
        m_council->Post("municipality", "/rounds",
                        OpeningBody(m_round, R"("district":"centrum")", ROUND_BUDGET,
                                    ServerTimestamp(1h), ServerTimestamp(2h),
                                    R"("ballot_type":"approval","min_projects":1,)"
                                    R"("max_projects":2)",
                                    "equal_shares", 50, ROUND_PROJECTS));
    ASSERT_EQ(opened.status, 201U) << opened.body;
    const std::string path = "/rounds/" + m_round;

    // Before voting: the facts and rules in plain words, the projects, no form.
    const auto seed = Text(Round(m_round), "tie_seed");
    for (const auto& [language, rules, rule, tie] :
         {std::tuple{"nl", "Kies ten minste 1 project en hoogstens 2 projecten.",
                     "elke stemmer krijgt een gelijk deel van het budget",
                     "SHA-256(zaad ‖ projectkenmerk)"},
          std::tuple{"en", "Choose at least 1 project and at most 2 projects.",
                     "every voter gets an equal share of the budget",
                     "SHA-256(seed ‖ project id)"}}) {
        SCOPED_TRACE(language);
        const auto page = Page(path + "?lang=" + language);
        ASSERT_EQ(page.status, 200U);
        EXPECT_EQ(page.Header("Content-Security-Policy"), POLICY);
        EXPECT_EQ(page.Header("X-Content-Type-Options"), "nosniff");
        EXPECT_NE(page.body.find("data-state=\"upcoming\""), std::string::npos);
        EXPECT_NE(page.body.find(rules), std::string::npos) << page.body;
        EXPECT_NE(page.body.find(rule), std::string::npos);
        EXPECT_NE(page.body.find(tie), std::string::npos);
        EXPECT_NE(page.body.find("<code class=\"hash\" id=\"tie-seed\">" + seed + "</code>"),
                  std::string::npos);
        for (const auto& [project, cost] : ROUND_PROJECTS)
            EXPECT_NE(page.body.find("<tr data-project=\"" + project + "\">"), std::string::npos);
        EXPECT_EQ(page.body.find("id=\"ballot-form\""), std::string::npos);
        EXPECT_EQ(page.body.find("id=\"outcome\""), std::string::npos);
    }
    for (const std::string target : {"/rounds", "/", "/councils/burgwal"})
        EXPECT_NE(Page(target).body.find("href=\"" + path + "\""), std::string::npos) << target;

    const auto codes = IssueCodes(m_round, 4);
    ASSERT_EQ(codes.size(), 4U);
    ExpectRefused("code=" + codes[0] + "&project=bomen", 409, "round_not_open",
                  "U kunt nu niet stemmen", "nl", codes[0]);

    // Voting: the form, the counts, never the tallies.
    Advance(1h + 1min);
    const auto voting = Page(path);
    EXPECT_NE(voting.body.find("data-state=\"voting\""), std::string::npos);
    EXPECT_NE(voting.body.find("<form method=\"post\" action=\"" + path + "/ballot?lang=nl\""),
              std::string::npos)
        << voting.body;
    EXPECT_NE(voting.body.find("name=\"code\" required autocomplete=\"off\""), std::string::npos);
    EXPECT_NE(voting.body.find("<legend>Kies projecten</legend>"), std::string::npos);
    EXPECT_NE(voting.body.find("<label for=\"choice-bomen\">"), std::string::npos);
    EXPECT_NE(voting.body.find("name=\"project\" value=\"bomen\""), std::string::npos);
    EXPECT_NE(voting.body.find("data-ballots-cast=\"0\" data-codes-issued=\"4\""),
              std::string::npos);
    EXPECT_EQ(voting.body.find("data-votes"), std::string::npos);

    // A ballot: the receipt names the entry and its leaf hash; the code is nowhere.
    std::string typed = codes[0];
    std::replace(typed.begin(), typed.end(), '-', ' ');
    std::transform(typed.begin(), typed.end(), typed.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string ballot = "code=" + typed + "&project=bomen&project=bankjes";
    const auto size = m_service->LedgerSize();
    const auto receipt = Form(ballot);
    ASSERT_EQ(receipt.status, 200U) << receipt.body;
    EXPECT_EQ(m_service->LedgerSize(), size + 1);
    EXPECT_EQ(receipt.Header("Content-Security-Policy"), POLICY);
    EXPECT_EQ(receipt.body.find(codes[0]), std::string::npos);
    EXPECT_EQ(receipt.body.find(typed), std::string::npos);
    const std::string index = std::to_string(size);
    EXPECT_NE(receipt.body.find("id=\"receipt\" data-index=\"" + index + "\""), std::string::npos)
        << receipt.body;
    const auto entry = m_service->Send("GET", "/api/v1/ledger/entries/" + index);
    const std::string leaf = JsonString(entry.body, "leaf_hash");
    EXPECT_NE(receipt.body.find("data-leaf-hash=\"" + leaf + "\""), std::string::npos);
    EXPECT_NE(receipt.body.find("<a href=\"/ledger/" + index + "#leaf=" + leaf +
                                "\" id=\"receipt-check\">"),
              std::string::npos);
    EXPECT_NE(receipt.body.find("href=\"" + path + "?lang=en\""), std::string::npos);
    EXPECT_NE(JsonString(entry.body, "entry").find("\"kind\":\"ballot.cast\""), std::string::npos);
    // Neither stored by a cache nor kept in the browser's history (a shared computer).
    EXPECT_EQ(receipt.Header("Cache-Control"), "no-store");
    // Every answer is HTTPS-only from now on, and of the type it says (RFC 6797).
    EXPECT_EQ(receipt.Header("Strict-Transport-Security"), "max-age=31536000");
    EXPECT_EQ(receipt.Header("X-Content-Type-Options"), "nosniff");
    // Sent twice (a reload, a double click): the same receipt, nothing new.
    const auto again = Form(ballot);
    EXPECT_EQ(again.status, 200U);
    EXPECT_EQ(again.Header("Cache-Control"), "no-store");
    EXPECT_EQ(again.Header("Idempotency-Replayed"), "true");
    EXPECT_NE(again.body.find("data-index=\"" + index + "\""), std::string::npos);
    EXPECT_NE(again.body.find("id=\"receipt-replayed\""), std::string::npos);
    EXPECT_EQ(m_service->LedgerSize(), size + 1);

    // Refusals: the form again with the reason, in the reader's language; nothing written.
    ExpectRefused("code=" + codes[0] + "&project=kunst", 409, "code_used", "al gestemd", "nl",
                  codes[0]);
    ExpectRefused("code=" + codes[0] + "&project=kunst", 409, "code_used", "already been used",
                  "en", codes[0]);
    // A used code did vote: the box does not say it was not used.
    const auto used = Form("code=" + codes[0] + "&project=kunst", "nl");
    EXPECT_NE(used.body.find("Deze poging heeft niets vastgelegd."), std::string::npos)
        << used.body;
    EXPECT_EQ(used.body.find("uw code is niet gebruikt"), std::string::npos) << used.body;
    ExpectRefused("code=ABC-123&project=kunst", 422, "code_invalid", "geen geldige stemcode", "nl",
                  "ABC-123");
    const std::string stranger = StrangerCode();
    ExpectRefused("code=" + stranger + "&project=kunst", 403, "code_unknown",
                  "does not belong to this round", "en", stranger);
    ExpectRefused("code=" + codes[1] + "&project=bomen&project=kunst&project=bankjes", 422,
                  "ballot_invalid", "too many projects", "en", codes[1]);
    ExpectRefused("code=" + codes[1], 422, "ballot_invalid", "te weinig projecten", "nl", codes[1]);
    // The reader's choices come back checked, so that only the mistake needs fixing.
    const auto kept = Form("code=" + codes[1] + "&project=bomen&project=kunst&project=bankjes");
    EXPECT_NE(kept.body.find("value=\"kunst\" checked>"), std::string::npos);
    EXPECT_EQ(kept.Header("Cache-Control"), "no-store");
    EXPECT_NE(kept.body.find("aria-describedby=\"choices-hint ballot-error\""), std::string::npos);

    // A form that is not the round's: a 400 page (415 and 413 for the wrong type and size).
    const std::string code = "code=" + codes[1];
    for (const std::string& body :
         {code + "&colour=red", code + "&" + code, code + "&project=bomen&project=bomen",
          code + "&project=glijbaan", std::string("project=bomen"), code + "%zz",
          code + "&points.bomen=1", code + "&=1", code + "%0A&project=bomen"})
        ExpectUnreadable(body);
    ExpectUnreadable(code + "&project=" + std::string(20'000, 'a'), 413);
    const auto json = m_service->Send("POST", "/rounds/" + m_round + "/ballot", "{}",
                                      {{"Content-Type", "application/json"}});
    EXPECT_EQ(json.status, 415U);
    EXPECT_EQ(m_service->LedgerSize(), size + 1);

    // Two more ballots: three of four codes, 75%, above the minimum of 50%.
    ASSERT_EQ(Form("code=" + codes[1] + "&project=bomen").status, 200U);
    ASSERT_EQ(Form("code=" + codes[2] + "&project=speeltuin").status, 200U);
    const auto counted = Page(path);
    EXPECT_NE(counted.body.find("data-ballots-cast=\"3\""), std::string::npos);
    EXPECT_EQ(counted.body.find("data-votes"), std::string::npos);

    // After the close: the outcome, and no more ballots.
    Advance(1h);
    const auto round = WaitUntilClosed(m_round);
    ASSERT_FALSE(round.empty());
    ExpectRefused("code=" + codes[3] + "&project=bomen", 409, "round_not_open", "voting runs from",
                  "en", codes[3]);
    // The first ballot sent again after the close (a reload of its receipt): its receipt again.
    const auto late_reload = Form(ballot);
    EXPECT_EQ(late_reload.status, 200U) << late_reload.body;
    EXPECT_EQ(late_reload.Header("Idempotency-Replayed"), "true");
    EXPECT_NE(late_reload.body.find("data-index=\"" + index + "\""), std::string::npos);
    EXPECT_EQ(late_reload.body.find("uw code is niet gebruikt"), std::string::npos);
    // The same code with other choices: it voted, and is told so, not that it was never used.
    ExpectRefused("code=" + codes[0] + "&project=bankjes", 409, "code_used", "al gestemd", "nl",
                  codes[0]);
    const auto& outcome = round.at("outcome").as_object();
    const auto& winners = outcome.at("winners").as_array();
    for (const std::string language : {"nl", "en"}) {
        SCOPED_TRACE(language);
        const auto page = Page(path + "?lang=" + language);
        ASSERT_EQ(page.status, 200U);
        EXPECT_NE(page.body.find("data-state=\"closed\""), std::string::npos);
        EXPECT_NE(page.body.find("data-binding=\"true\""), std::string::npos);
        EXPECT_NE(page.body.find("data-turnout=\"75.00\" data-ballots-cast=\"3\" "
                                 "data-codes-issued=\"4\""),
                  std::string::npos);
        EXPECT_NE(page.body.find("<table data-chart=\"bar\" id=\"outcome-chart\">"),
                  std::string::npos);
        EXPECT_NE(page.body.find("<code>" + Text(outcome, "rule") + "</code>"), std::string::npos);
        EXPECT_NE(
            page.body.find("href=\"/ledger/" + std::to_string(Int(round, "opened_index")) + "\""),
            std::string::npos);
        EXPECT_NE(
            page.body.find("href=\"/ledger/" + std::to_string(Int(round, "closed_index")) + "\""),
            std::string::npos);
        EXPECT_NE(page.body.find("href=\"/api/v1/rounds/" + m_round + "/export.pb\""),
                  std::string::npos);
        EXPECT_EQ(page.body.find("id=\"ballot-form\""), std::string::npos);
    }
    // Each project's row: its votes, whether funded, and why, from what the close recorded.
    const auto dutch = Page(path).body;
    for (const auto& item : outcome.at("results").as_array()) {
        const auto& result = item.as_object();
        const std::string project = Text(result, "project");
        SCOPED_TRACE(project);
        const bool funded = result.at("funded").as_bool();
        const auto row = RowOf(dutch, "<tr data-project=\"" + project + "\" data-funded=\"" +
                                          (funded ? "true" : "false") + "\"");
        ASSERT_FALSE(row.empty()) << dutch;
        EXPECT_NE(row.find("data-votes=\"" + std::to_string(Int(result, "votes")) + "\""),
                  std::string::npos);
        const auto winner = std::find_if(winners.begin(), winners.end(), [&](const auto& w) {
            return Text(w.as_object(), "project") == project;
        });
        EXPECT_EQ(winner != winners.end(), funded);
        EXPECT_NE(row.find(ExplanationOf(result, winner == winners.end() ? nullptr : &*winner)),
                  std::string::npos)
            << row;
        if (funded) {
            const std::string commitment = Text(winner->as_object(), "commitment");
            EXPECT_NE(row.find("href=\"/councils/burgwal#commitment-" + commitment + "\""),
                      std::string::npos)
                << row;
            EXPECT_NE(Page("/councils/burgwal").body.find("id=\"commitment-" + commitment + "\""),
                      std::string::npos);
        }
    }
    EXPECT_FALSE(winners.empty());
}

} // namespace
} // namespace wijkbudget::test
