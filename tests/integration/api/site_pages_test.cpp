// tests/integration/api/site_pages_test.cpp: the public site over HTTPS (issue 5): every page
// type answers HTML in the reader's language with the strict Content-Security-Policy; bad
// addresses get HTML errors; the built assets are served gzip and immutable; the entry page shows
// the stored bytes exactly; and `serve` refuses an incomplete asset build. The browser suite
// (tests/e2e/) checks what the pages say against the API; this one checks the HTTP contract.

#include "tests/integration/api/service_under_test.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
          "/ledger", "/ledger?after=99", "/ledger/0", "/verify"}) {
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
    // The ledger browser pages by cursor, as the API does: after=99 starts at 100. The demo's
    // 199 entries make two pages.
    const auto first = Page("/ledger").body;
    EXPECT_NE(first.find("<a rel=\"next\" href=\"/ledger?after=99\">"), std::string::npos);
    const auto second = Page("/ledger?after=99").body;
    EXPECT_NE(second.find("<tr data-index=\"100\">"), std::string::npos);
    EXPECT_NE(second.find("<tr data-index=\"198\">"), std::string::npos);
    EXPECT_EQ(second.find("<tr data-index=\"99\">"), std::string::npos);
    EXPECT_EQ(second.find("rel=\"next\""), std::string::npos);
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
        {"/?lang=de", 400, "Ongeldige vraag"},
        {"/verify?utm=1", 400, "Ongeldige vraag"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.target);
        const auto page = Page(c.target);
        EXPECT_EQ(page.status, c.status);
        EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_NE(page.body.find(c.says), std::string::npos) << page.body;
    }
    const auto post = m_service->Send("POST", "/", "{}");
    EXPECT_EQ(post.status, 405U);
    EXPECT_EQ(post.Header("Allow"), "GET");
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
    const auto again = Page("/assets/app-T3ST.css", {{"If-None-Match", plain.Header("ETag")}});
    EXPECT_EQ(again.status, 304U);
    EXPECT_TRUE(again.body.empty());
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
        const auto open = page.find("<pre id=\"entry-bytes\" tabindex=\"0\">");
        ASSERT_NE(open, std::string::npos);
        const auto start = page.find('>', open) + 1;
        const auto end = page.find("</pre>", start);
        EXPECT_EQ(Unescaped(page.substr(start, end - start)), line);
        EXPECT_NE(page.find("data-index=\"" + std::to_string(index) + "\""), std::string::npos);
        EXPECT_NE(page.find("data-vkey=\"" + m_service->VerifierKey() + "\""), std::string::npos);
        EXPECT_NE(page.find("id=\"verification-badge\""), std::string::npos);
    }
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

} // namespace
} // namespace wijkbudget::test
