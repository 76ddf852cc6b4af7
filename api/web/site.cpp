#include "api/web/site.hpp"

#include "api/entity_tags.hpp"
#include "api/web/assets.hpp"
#include "api/web/phrases.hpp"
#include "ledger/entry_json.hpp"

#include <algorithm>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase SKIP_TO_CONTENT{"Naar de inhoud", "Skip to content"};
constexpr Phrase MAIN_MENU{"Hoofdmenu", "Main menu"};
constexpr Phrase OTHER_LANGUAGE{"English", "Nederlands"};
constexpr Phrase OTHER_LANGUAGE_LABEL{"Switch to English", "Schakel over naar Nederlands"};
constexpr Phrase FOOTER{
    "Alle cijfers op deze site komen uit het openbare grootboek, dat iedereen zelf kan "
    "controleren.",
    "Every figure on this site comes from the public ledger, which anyone can check."};
constexpr Phrase OPEN_DATA{"Open data", "Open data"};
constexpr Phrase FEED{"Nieuws over besluiten en uitgaven (Atom)",
                      "News of decisions and spending (Atom)"};
constexpr Phrase BAD_QUERY_TITLE{"Ongeldige vraag", "Invalid request"};
constexpr Phrase BAD_QUERY{
    "Het adres bevat een parameter die deze pagina niet kent of een ongeldige waarde.",
    "The address holds a parameter this page does not know, or an invalid value."};
constexpr Phrase NOT_FOUND_TITLE{"Niet gevonden", "Not found"};
constexpr Phrase PAGE_UNKNOWN{"Op dit adres staat geen pagina.",
                              "There is no page at this address."};
constexpr Phrase STORAGE_DOWN{"Het grootboek is nu niet bereikbaar. Probeer het later opnieuw.",
                              "The ledger cannot be reached now. Please try again later."};
constexpr Phrase REBUILDING{"De gegevens kunnen nu niet getoond worden: ze worden opnieuw uit het "
                            "grootboek opgebouwd. Probeer het later opnieuw.",
                            "The data cannot be shown now: it is being rebuilt from the ledger. "
                            "Please try again later."};
constexpr Phrase UNAVAILABLE{"Even niet beschikbaar", "Temporarily unavailable"};
constexpr Phrase BACK_HOME{"Naar de overzichtspagina", "To the overview"};

//! The site's icon: a municipal blue square with a white "W". Small enough to keep here, so that
//! browsers, which ask for an icon on every first visit, get one without a build.
constexpr std::string_view ICON_SVG{
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">"
    "<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#0b3a75\"/>"
    "<path d=\"M6 9h3.2l2.3 10.5L14.4 9h3.2l2.9 10.5L22.8 9H26l-4 14h-3.2L16 13.2 13.2 23H10z\" "
    "fill=\"#fff\"/></svg>"};
//! A day: the icon may change with a release, unlike the hashed assets.
constexpr std::string_view ICON_CACHE{"public, max-age=86400"};

//! The assets' long cache: their names change with their content.
constexpr std::string_view IMMUTABLE{"public, max-age=31536000, immutable"};

std::string PercentEncoded(std::string_view text)
{
    static constexpr char HEX[] = "0123456789ABCDEF";
    std::string encoded;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (plain) {
            encoded += c;
        } else {
            encoded += '%';
            encoded += HEX[byte >> 4];
            encoded += HEX[byte & 0x0F];
        }
    }
    return encoded;
}

//! The same page in the other language: the path with the page's other parameters kept.
std::string SwitchHref(const PageCall& page, Language other)
{
    std::string href = page.path + "?";
    for (const auto& [name, value] : page.other_query)
        href += PercentEncoded(name) + "=" + PercentEncoded(value) + "&";
    return href + "lang=" + std::string(CodeOf(other));
}

std::string NavLink(std::string_view href, const Phrase& text, bool current, Language language)
{
    return "<li><a href=\"" + std::string(href) + "\"" + (current ? " aria-current=\"page\"" : "") +
           ">" + Escape(Say(text, language)) + "</a></li>";
}

std::string Document(const PageCall& page, Section section, std::string_view title,
                     std::string_view main_html)
{
    const Language language = page.language;
    const Language other = language == Language::en ? Language::nl : Language::en;
    const auto* assets = page.call.ports.assets;
    std::string html;
    html.reserve(main_html.size() + 4096);
    html += "<!doctype html>\n<html lang=\"";
    html += CodeOf(language);
    html += "\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
    html += Escape(title);
    html += " · ";
    html += Escape(Say(phrase::SITE_NAME, language));
    html += "</title>\n";
    if (assets != nullptr) {
        if (const auto css = assets->UrlOf("app.css"); !css.empty())
            html += "<link rel=\"stylesheet\" href=\"" + css + "\">\n";
        if (const auto js = assets->UrlOf("app.js"); !js.empty())
            html += "<script type=\"module\" src=\"" + js + "\"></script>\n";
    }
    html += "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n";
    html += "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/api/v1/feed.atom\" "
            "title=\"" +
            Escape(Say(FEED, language)) + "\">\n</head>\n<body>\n";
    html += "<a class=\"skip-link\" href=\"#main\">" + Escape(Say(SKIP_TO_CONTENT, language)) +
            "</a>\n";
    html += "<header class=\"site-header\"><div class=\"wrap\">\n<a class=\"site-name\" "
            "href=\"/\">" +
            Escape(Say(phrase::SITE_NAME, language)) + "</a>\n";
    html += "<nav aria-label=\"" + Escape(Say(MAIN_MENU, language)) + "\"><ul>";
    html += NavLink("/", phrase::MUNICIPALITY, section == Section::municipality, language);
    html += NavLink("/rounds", phrase::ROUNDS, section == Section::rounds, language);
    html += NavLink("/ledger", phrase::LEDGER, section == Section::ledger, language);
    html += NavLink("/verify", phrase::VERIFY, section == Section::verify, language);
    html += "</ul></nav>\n";
    html += "<a class=\"language-switch\" id=\"language-switch\" href=\"" +
            Escape(SwitchHref(page, other)) + "\" lang=\"" + std::string(CodeOf(other)) +
            "\" hreflang=\"" + std::string(CodeOf(other)) + "\" aria-label=\"" +
            Escape(Say(OTHER_LANGUAGE_LABEL, language)) + "\">" +
            Escape(Say(OTHER_LANGUAGE, language)) + "</a>\n";
    html += "</div></header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n";
    html += main_html;
    html += "\n</main>\n<footer class=\"site-footer\"><div class=\"wrap\">\n<p>" +
            Escape(Say(FOOTER, language)) + "</p>\n<p>" + Escape(Say(OPEN_DATA, language)) +
            ": <a href=\"/api/v1/feed.atom\">" + Escape(Say(FEED, language)) +
            "</a> · <a href=\"/api/v1/openapi.json\">API (OpenAPI)</a></p>\n</div></footer>\n"
            "</body>\n</html>\n";
    return html;
}

//! The language the cookie chose, else Dutch.
Language ReaderLanguage(const RouteCall& call)
{
    const auto cookie = call.request.find(http::field::cookie);
    if (cookie != call.request.end()) {
        if (auto remembered = LanguageOfCookieHeader(cookie->value())) return *remembered;
    }
    return Language::nl;
}

} // namespace

boost::system::result<PageCall, Reply> OpenPage(RouteCall& call,
                                                std::initializer_list<std::string_view> allowed)
{
    PageCall page{call, ReaderLanguage(call), false, {}, {}};
    const std::string_view target = call.request.target();
    // The path goes into the language switch's link. Only a route's path gets here, and no route
    // matches one that starts "//" (an empty first segment), which a browser would read as
    // another host; UnknownPage, which takes any path, links home.
    page.path = std::string(target.substr(0, target.find('?')));
    bool valid = true;
    for (const auto& [name, value] : call.query) {
        if (name == "lang") {
            const auto chosen = LanguageOfCode(value);
            if (!chosen) {
                valid = false;
                continue;
            }
            page.language = *chosen;
            page.remember_language = true;
        } else if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) {
            page.other_query.emplace(name, value);
        } else {
            valid = false;
        }
    }
    if (!valid) {
        page.other_query.clear();
        return BadQueryPage(page);
    }
    return page;
}

Reply BadQueryPage(const PageCall& page)
{
    const std::string body = "<h1>" + Escape(Say(BAD_QUERY_TITLE, page.language)) + "</h1>\n<p>" +
                             Escape(Say(BAD_QUERY, page.language)) + "</p>";
    return PageReply(page, http::status::bad_request, Section::municipality,
                     Say(BAD_QUERY_TITLE, page.language), body);
}

Reply MalformedQueryPage(RouteCall& call)
{
    // The query could not be read, so no `lang` in it counts: the cookie's language, else Dutch.
    // The language switch leads home, as from an address that names nothing.
    const PageCall page{call, ReaderLanguage(call), false, "/", {}};
    return BadQueryPage(page);
}

std::string Escape(std::string_view text)
{
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&': escaped += "&amp;"; break;
        case '<': escaped += "&lt;"; break;
        case '>': escaped += "&gt;"; break;
        case '"': escaped += "&quot;"; break;
        case '\'': escaped += "&#39;"; break;
        default: escaped += c;
        }
    }
    return escaped;
}

Reply PageReply(const PageCall& page, http::status status, Section section, std::string_view title,
                std::string_view main_html)
{
    Reply reply;
    reply.response.result(status);
    reply.response.set(http::field::content_type, "text/html; charset=utf-8");
    reply.response.set(http::field::content_language, CodeOf(page.language));
    // Pages change as the ledger grows; the language depends on the cookie.
    reply.response.set(http::field::cache_control, "no-cache");
    reply.response.set(http::field::vary, "Cookie");
    reply.response.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    reply.response.set("X-Content-Type-Options", "nosniff");
    reply.response.set("Referrer-Policy", "same-origin");
    if (page.remember_language)
        reply.response.set(http::field::set_cookie, LanguageCookie(page.language));
    reply.response.body() = Document(page, section, title, main_html);
    reply.response.prepare_payload();
    return reply;
}

Reply StorageDownPage(const PageCall& page, Section section, std::string_view title)
{
    return PageReply(page, http::status::service_unavailable, section, title,
                     "<h1>" + Escape(title) + "</h1>\n<p>" +
                         Escape(Say(STORAGE_DOWN, page.language)) + "</p>");
}

std::optional<Reply> SyncProjectionsPage(const PageCall& page, Section section)
{
    if (page.call.ports.sync_registry()) return std::nullopt;
    const std::string_view title = Say(UNAVAILABLE, page.language);
    return PageReply(page, http::status::service_unavailable, section, title,
                     "<h1>" + Escape(title) + "</h1>\n<p>" +
                         Escape(Say(REBUILDING, page.language)) + "</p>");
}

Reply UnknownPage(RouteCall& call)
{
    // The address names nothing, so its query cannot be wrong for it: the language from a valid
    // `lang` or the cookie, else Dutch. The language switch leads home: this address is not a
    // page, and a path such as "//elsewhere.example" must not become a link.
    PageCall page{call, ReaderLanguage(call), false, "/", {}};
    if (const auto lang = call.query.find("lang"); lang != call.query.end()) {
        if (auto chosen = LanguageOfCode(lang->second)) page.language = *chosen;
    }
    return NotFoundPage(page, PAGE_UNKNOWN);
}

Reply NotFoundPage(const PageCall& page, const Phrase& what)
{
    const std::string body = "<h1>" + Escape(Say(NOT_FOUND_TITLE, page.language)) + "</h1>\n<p>" +
                             Escape(Say(what, page.language)) + "</p>\n<p><a href=\"/\">" +
                             Escape(Say(BACK_HOME, page.language)) + "</a></p>";
    return PageReply(page, http::status::not_found, Section::municipality,
                     Say(NOT_FOUND_TITLE, page.language), body);
}

std::string AmountCell(ledger::Cents amount, Language language, std::string_view column)
{
    std::string cell = "<td class=\"amount\" data-cents=\"" + std::to_string(amount.value) + "\"";
    if (!column.empty()) cell += " data-column=\"" + std::string(column) + "\"";
    return cell + ">" + Escape(FormatAmount(amount, language)) + "</td>";
}

void MoneyTotals::Add(const services::LineTotals& line)
{
    granted.value += line.granted.value;
    carried_in.value += line.carried_in.value;
    committed.value += line.held.value;
    spent.value += line.spent.value;
    closed_out.value += line.closed_out.value;
    available.value += line.available.value;
}

void MoneyTotals::Add(const MoneyTotals& other)
{
    granted.value += other.granted.value;
    carried_in.value += other.carried_in.value;
    committed.value += other.committed.value;
    spent.value += other.spent.value;
    closed_out.value += other.closed_out.value;
    available.value += other.available.value;
}

std::string MoneyHeaderCells(Language language)
{
    std::string cells;
    for (const Phrase* name : {&phrase::GRANTED, &phrase::CARRIED_IN, &phrase::COMMITTED,
                               &phrase::SPENT, &phrase::CLOSED_OUT, &phrase::AVAILABLE})
        cells += "<th scope=\"col\" class=\"amount\" data-series>" + Escape(Say(*name, language)) +
                 "</th>";
    return cells;
}

std::string MoneyCells(const MoneyTotals& totals, Language language)
{
    return AmountCell(totals.granted, language, "granted") +
           AmountCell(totals.carried_in, language, "carried_in") +
           AmountCell(totals.committed, language, "committed") +
           AmountCell(totals.spent, language, "spent") +
           AmountCell(totals.closed_out, language, "closed_out") +
           AmountCell(totals.available, language, "available");
}

std::string TableWrap(std::string_view label)
{
    return "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"" +
           Escape(label) + "\">";
}

std::string EntryLink(std::uint64_t index)
{
    const std::string number = std::to_string(index);
    return "<a href=\"/ledger/" + number + "\" class=\"entry-link\">#" + number + "</a>";
}

boost::system::result<std::optional<StoredEntry>> ReadStoredEntry(const RouteCall& call,
                                                                  std::uint64_t index)
{
    auto range = call.ports.entries.ReadRange(index, 1);
    if (!range || range->size() != 1) return make_error_code(ledger::Errc::storage_unavailable);
    auto entry = ledger::ParseCanonicalEntry(range->front());
    // Stored bytes that do not parse are a tampered or broken store: the entry page shows the
    // bytes anyway (ReadRange), and the badge says what fails.
    if (!entry) return std::optional<StoredEntry>{};
    return std::optional<StoredEntry>{StoredEntry{std::move(range->front()), std::move(*entry)}};
}

Reply HandleIcon(RouteCall& /*call*/)
{
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "image/svg+xml");
    reply.response.set(http::field::cache_control, ICON_CACHE);
    reply.response.set("X-Content-Type-Options", "nosniff");
    reply.response.body() = std::string(ICON_SVG);
    reply.response.prepare_payload();
    return reply;
}

Reply HandleAsset(RouteCall& call)
{
    const auto* assets = call.ports.assets;
    const Asset* asset = assets != nullptr && call.parameters.size() == 1
                             ? assets->Find(call.parameters.front())
                             : nullptr;
    if (asset == nullptr)
        return ProblemReply(http::status::not_found, "not_found", "no such asset");
    const auto accepted = call.request.find(http::field::accept_encoding);
    const bool gzip = accepted != call.request.end() && AcceptsGzip(accepted->value());
    // Two representations, two strong tags (RFC 9110 section 8.8.3): a cache must not answer a
    // client that refused gzip with the compressed bytes on a matching tag.
    const std::string etag = "\"" + call.parameters.front() + (gzip ? "+gzip\"" : "\"");
    Reply reply;
    reply.response.set(http::field::cache_control, IMMUTABLE);
    reply.response.set(http::field::etag, etag);
    reply.response.set(http::field::vary, "Accept-Encoding");
    reply.response.set("X-Content-Type-Options", "nosniff");
    if (IfNoneMatchNames(call.request, etag)) {
        reply.response.result(http::status::not_modified);
        return reply;
    }
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, asset->content_type);
    if (gzip) {
        reply.response.set(http::field::content_encoding, "gzip");
        reply.response.body() = asset->gzip;
    } else {
        reply.response.body() = asset->body;
    }
    reply.response.prepare_payload();
    return reply;
}

} // namespace wijkbudget::api::web
