// api/web/page_ledger.cpp: GET /ledger — the entries in index order, paged by cursor.
#include "api/web/entry_summary.hpp"
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/entry_store.hpp"
#include "ledger/merkle.hpp"

#include <charconv>

namespace wijkbudget::api::web {
namespace {

//! Entries on one page of the browser: a screenful of rows that still loads fast.
constexpr std::uint64_t LEDGER_PAGE_ROWS{100};
static_assert(LEDGER_PAGE_ROWS <= ledger::LEDGER_PAGE_ENTRIES_MAX);

constexpr Phrase TITLE{"Het grootboek", "The ledger"};
constexpr Phrase INTRO{
    "Elk feit over de wijkbudgetten staat hier, in volgorde, en wordt nooit gewijzigd of "
    "verwijderd. Open een registratie om haar bytes te zien en haar in uw browser te laten "
    "controleren.",
    "Every fact about the neighbourhood budgets is here, in order, and is never changed or "
    "removed. Open an entry to see its bytes and have your browser check it."};
constexpr Phrase KIND{"Soort", "Kind"};
constexpr Phrase TIME{"Tijd", "Time"};
constexpr Phrase SUMMARY{"Samenvatting", "Summary"};
constexpr Phrase CAPTION{"Registraties", "Entries"};
constexpr Phrase TO{"tot en met", "to"};
constexpr Phrase OF_TOTAL{"van de", "of"};
constexpr Phrase NEWER{"Volgende registraties", "Later entries"};
constexpr Phrase OLDER{"Eerdere registraties", "Earlier entries"};
constexpr Phrase FIRST{"Naar het begin", "To the start"};
constexpr Phrase PAGING{"Bladeren door het grootboek", "Paging through the ledger"};
constexpr Phrase EMPTY{"Het grootboek is nog leeg.", "The ledger is still empty."};
//! A cursor at the end: the reader has seen everything (a later visit may show more).
constexpr Phrase NONE_NEWER{"Er zijn nog geen nieuwere registraties.",
                            "There are no later entries yet."};
//! A cursor past the end, which no link of this site makes.
constexpr Phrase BEYOND_END{"Zo ver reikt het grootboek nog niet.",
                            "The ledger does not reach that far yet."};
constexpr Phrase BAD_CURSOR{"De parameter after moet een registratienummer zijn.",
                            "The parameter after must be an entry number."};

std::string CouncilCell(const ledger::Entry& entry)
{
    if (!entry.council) return "<td></td>";
    return "<td><a href=\"/councils/" + Escape(entry.council->value) + "\">" +
           Escape(entry.council->value) + "</a></td>";
}

} // namespace

Reply HandleLedgerPage(RouteCall& call)
{
    auto page = OpenPage(call, {"after"});
    if (!page) return page.error();
    const Language l = page->language;
    // `after` as the API's: the first entry shown is after + 1; absent, the first is 0.
    std::uint64_t first = 0;
    if (const auto after = page->other_query.find("after"); after != page->other_query.end()) {
        std::uint64_t value = 0;
        const auto& text = after->second;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc{} || end != text.data() + text.size() ||
            value >= ledger::TREE_SIZE_MAX) {
            page->other_query.clear();
            return PageReply(*page, http::status::bad_request, Section::ledger, Say(TITLE, l),
                             "<h1>" + Escape(Say(TITLE, l)) + "</h1>\n<p>" +
                                 Escape(Say(BAD_CURSOR, l)) + "</p>");
        }
        first = value + 1;
    }
    auto head = call.ports.entries.Head();
    if (!head) {
        return StorageDownPage(*page, Section::ledger, Say(TITLE, l));
    }
    // After the last entry (first == size) is where a reader who saw everything stands; beyond
    // it, there is nothing to page back from.
    if (first > head->size) return NotFoundPage(*page, BEYOND_END);
    std::string html = "<h1>" + Escape(Say(TITLE, l)) + "</h1>\n<p class=\"lede\">" +
                       Escape(Say(INTRO, l)) + "</p>\n";
    if (head->size == 0) {
        html += "<p>" + Escape(Say(EMPTY, l)) + "</p>\n";
        return PageReply(*page, http::status::ok, Section::ledger, Say(TITLE, l), html);
    }
    std::vector<std::string> rows;
    if (first < head->size) {
        auto range = call.ports.entries.ReadRange(first, LEDGER_PAGE_ROWS);
        if (!range) {
            return StorageDownPage(*page, Section::ledger, Say(TITLE, l));
        }
        rows = std::move(*range);
    }
    const std::uint64_t last = first + rows.size(); // One past the last shown.
    if (!rows.empty()) {
        html += TableWrap(Say(CAPTION, l)) + "<table id=\"ledger-entries\">\n<caption>" +
                Escape(Say(CAPTION, l)) + " " + FormatCount(first, l) + " " + Escape(Say(TO, l)) +
                " " + FormatCount(last - 1, l) + " " + Escape(Say(OF_TOTAL, l)) + " " +
                FormatCount(head->size, l) +
                "</caption>\n<thead><tr><th scope=\"col\">#</th>"
                "<th scope=\"col\">" +
                Escape(Say(KIND, l)) + "</th><th scope=\"col\">" + Escape(Say(TIME, l)) +
                "</th><th scope=\"col\">" + Escape(Say(phrase::COUNCIL, l)) +
                "</th><th scope=\"col\">" + Escape(Say(SUMMARY, l)) +
                "</th></tr></thead>\n<tbody>\n";
        for (std::size_t offset = 0; offset < rows.size(); ++offset) {
            const std::uint64_t index = first + offset;
            const auto entry = ledger::ParseCanonicalEntry(rows[offset]);
            html += "<tr data-index=\"" + std::to_string(index) + "\"><th scope=\"row\">" +
                    EntryLink(index) + "</th>";
            if (!entry) {
                html += "<td colspan=\"4\">" + Escape(Say(phrase::ENTRY_UNREADABLE, l)) +
                        "</td></tr>\n";
                continue;
            }
            const std::string kind{ledger::KindOf(*entry)};
            html += "<td data-kind=\"" + Escape(kind) + "\">" +
                    Escape(Say(phrase::OfKind(kind), l)) + "</td><td>" +
                    Escape(FormatMoment(entry->recorded_at, l)) + "</td>" + CouncilCell(*entry) +
                    "<td>" + Escape(Summarize(*entry, l)) + "</td></tr>\n";
        }
        html += "</tbody>\n</table></div>\n";
    } else {
        html += "<p>" + Escape(Say(NONE_NEWER, l)) + "</p>\n";
    }
    html += "<nav class=\"paging\" aria-label=\"" + Escape(Say(PAGING, l)) + "\"><ul>";
    if (first > 0) {
        html += "<li><a href=\"/ledger\">" + Escape(Say(FIRST, l)) + "</a></li>";
        html += first > LEDGER_PAGE_ROWS
                    ? "<li><a rel=\"prev\" href=\"/ledger?after=" +
                          std::to_string(first - LEDGER_PAGE_ROWS - 1) + "\">" +
                          Escape(Say(OLDER, l)) + "</a></li>"
                    : "<li><a rel=\"prev\" href=\"/ledger\">" + Escape(Say(OLDER, l)) + "</a></li>";
    }
    if (last < head->size)
        html += "<li><a rel=\"next\" href=\"/ledger?after=" + std::to_string(last - 1) + "\">" +
                Escape(Say(NEWER, l)) + "</a></li>";
    html += "</ul></nav>\n";
    return PageReply(*page, http::status::ok, Section::ledger, Say(TITLE, l), html);
}

} // namespace wijkbudget::api::web
