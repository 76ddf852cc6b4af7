#pragma once
// api/web/site.hpp: what the site's pages share: the reader's language, the page frame, HTML
// escaping, and replies. Internal to api/ (it builds on api/routes.hpp).
//
// Pages are rendered on the server, so everything can be read without JavaScript; the front-end
// bundle (web/) adds charts drawn from the pages' own tables and the in-browser verification of
// an entry. A strict Content-Security-Policy keeps every request of a page on this site.

#include "api/routes.hpp"
#include "api/web/format.hpp"
#include "api/web/language.hpp"
#include "ledger/entry.hpp"
#include "services/governance_views.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::api::web {

//! No page may load, send to or be framed by another site; scripts and styles only from files.
inline constexpr std::string_view CONTENT_SECURITY_POLICY{
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"};

//! The top-level sections; the frame marks the current one for screen readers (aria-current).
enum class Section { municipality, rounds, ledger, verify };

//! One page request, after its query was checked.
struct PageCall {
    RouteCall& call;
    Language language{Language::nl};
    bool remember_language{false}; //!< The query chose the language: Set-Cookie.
    std::string path;              //!< Without the query.
    //! The query without `lang`, for the language switch's link.
    std::map<std::string, std::string> other_query;
};

/** Checks the query (only `lang` and `allowed`), and chooses the language: `lang` from the
 *  query, else the cookie, else Dutch. A bad query is a 400 page in the chosen language. */
boost::system::result<PageCall, Reply> OpenPage(RouteCall& call,
                                                std::initializer_list<std::string_view> allowed);

//! Text for an HTML element or a quoted attribute.
[[nodiscard]] std::string Escape(std::string_view text);

//! The full document around `main_html`; `title` is plain text.
Reply PageReply(const PageCall& page, http::status status, Section section, std::string_view title,
                std::string_view main_html);
//! A page saying that the ledger cannot be read now (503), under the page's own title.
Reply StorageDownPage(const PageCall& page, Section section, std::string_view title);
/** Brings the in-memory projections up to date (RouterPorts::sync_registry) before a page reads
 *  them: none if they may be shown, else a 503 page (they are being rebuilt from the ledger). */
[[nodiscard]] std::optional<Reply> SyncProjectionsPage(const PageCall& page, Section section);
//! A page saying that `what` does not exist (404).
Reply NotFoundPage(const PageCall& page, const Phrase& what);
//! The 404 page for an address outside the API that names no page, whatever its query.
Reply UnknownPage(RouteCall& call);
//! The 400 page for a query the page does not take (an unknown parameter, a bad `lang`).
Reply BadQueryPage(const PageCall& page);
//! The 400 page for an address outside the API whose query string cannot be read at all
//! (malformed, too long, or a parameter given twice).
Reply MalformedQueryPage(RouteCall& call);

//! <td> with the amount, right-aligned, and its cents in data-cents for tests and charts;
//! `column` (granted, spent, ...) goes to data-column when given.
[[nodiscard]] std::string AmountCell(ledger::Cents amount, Language language,
                                     std::string_view column = {});
//! The figures the overview pages show for a line, a council or a district; granted + carried
//! in = committed + spent + closed out + available, so that a closed year still adds up.
struct MoneyTotals {
    ledger::Cents granted;    //!< Granted from the municipality's pool.
    ledger::Cents carried_in; //!< From an earlier year's line.
    ledger::Cents committed;  //!< Held by commitments and not yet spent.
    ledger::Cents spent;
    ledger::Cents closed_out; //!< Returned or carried over at the year end.
    ledger::Cents available;
    void Add(const services::LineTotals& line);
    void Add(const MoneyTotals& other);
};
//! The money columns of a table: granted, carried in, committed, spent, closed out, available.
inline constexpr std::size_t MONEY_COLUMNS{6};
//! <th scope="col" data-series> for each of the MONEY_COLUMNS figures.
[[nodiscard]] std::string MoneyHeaderCells(Language language);
//! The MONEY_COLUMNS AmountCells, with data-column granted, carried_in, committed, spent,
//! closed_out, available.
[[nodiscard]] std::string MoneyCells(const MoneyTotals& totals, Language language);

//! The opening of a table's wrapper, which scrolls sideways on a narrow screen: a labelled
//! region that takes the keyboard focus, so that keyboard users can scroll it too (WCAG 2.1.1).
[[nodiscard]] std::string TableWrap(std::string_view label);

//! A link to an entry's page: "#42".
[[nodiscard]] std::string EntryLink(std::uint64_t index);

//! The entry at `index` as stored: its canonical bytes and what they say; none if the ledger has
//! no such entry or the store failed (the caller says which it shows).
struct StoredEntry {
    std::string bytes;
    ledger::Entry entry;
};
/** The stored entry at `index`, parsed. None if its bytes do not parse (a tampered or broken
 *  store: its own page shows them, and what fails); Errc::storage_unavailable if the store
 *  cannot be read or has no such entry (the projections know it, so the store is behind). */
[[nodiscard]] boost::system::result<std::optional<StoredEntry>>
ReadStoredEntry(const RouteCall& call, std::uint64_t index);

//! GET /favicon.svg: the site's icon, which every page links.
Reply HandleIcon(RouteCall& call);
//! GET /assets/{name}: a built front-end file, gzip when the client takes it, cached for good.
Reply HandleAsset(RouteCall& call);

} // namespace wijkbudget::api::web
