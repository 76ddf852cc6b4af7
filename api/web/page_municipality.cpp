// api/web/page_municipality.cpp: GET / — every council by district, per year, the residents'
// rounds, and the ledger.
#include "api/web/page_round.hpp"
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"
#include "ledger/base64.hpp"
#include "ledger/checkpoint.hpp"
#include "ledger/checkpoint_store.hpp"
#include "ledger/hex.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase TITLE{"Wijkbudgetten in Haarlem", "Neighbourhood budgets in Haarlem"};
constexpr Phrase INTRO{
    "De gemeente kent elk jaar budget toe aan de wijkraden. Hier ziet u per stadsdeel en per "
    "wijkraad wat is toegekend, wat door besluiten is vastgelegd, wat is uitgegeven en wat nog "
    "beschikbaar is.",
    "Each year the municipality grants budget to the neighbourhood councils. Here you see, per "
    "district and per council, what was granted, what decisions committed, what was spent and "
    "what is still available."};
constexpr Phrase LEDGER_STATE{"Het openbare grootboek", "The public ledger"};
constexpr Phrase LEDGER_SIZE{"Registraties", "Entries"};
constexpr Phrase CHECKPOINT{"Laatste ondertekende controlepunt", "Latest signed checkpoint"};
constexpr Phrase CHECKPOINT_NONE{"Nog geen controlepunt ondertekend.", "No checkpoint signed yet."};
constexpr Phrase CHECKPOINT_COVERS{"dekt de eerste", "covers the first"};
constexpr Phrase CHECKPOINT_ENTRIES{"registraties", "entries"};
constexpr Phrase SIGNED_AT{"ondertekend op", "signed on"};
constexpr Phrase ROOT{"Merkle-wortel", "Merkle root"};
constexpr Phrase HOW_TO_CHECK{"Zo controleert u het grootboek zelf",
                              "How to check the ledger yourself"};
constexpr Phrase PER_DISTRICT{"Per stadsdeel in", "Per district in"};
constexpr Phrase PER_COUNCIL{"Per wijkraad in", "Per council in"};
constexpr Phrase NO_COUNCILS{"Er zijn nog geen wijkraden met budget.",
                             "There are no councils with a budget yet."};

using YearTotals = std::map<std::string, MoneyTotals>; //!< By council or district slug.

std::string LedgerSection(const PageCall& page, std::uint64_t size,
                          const std::optional<ledger::StoredCheckpoint>& stored)
{
    const Language l = page.language;
    std::string html = "<section aria-labelledby=\"ledger-state\">\n<h2 id=\"ledger-state\">" +
                       Escape(Say(LEDGER_STATE, l)) + "</h2>\n<dl class=\"facts\">\n<dt>" +
                       Escape(Say(LEDGER_SIZE, l)) + "</dt><dd data-ledger-size=\"" +
                       std::to_string(size) + "\">" + FormatCount(size, l) + "</dd>\n<dt>" +
                       Escape(Say(CHECKPOINT, l)) + "</dt>";
    const auto body_end = stored ? stored->note.find("\n\n") : std::string::npos;
    auto checkpoint =
        body_end == std::string::npos
            ? boost::system::result<ledger::Checkpoint>{ledger::Errc::note_malformed}
            : ledger::ParseCheckpoint(std::string_view(stored->note).substr(0, body_end + 1));
    if (!checkpoint) {
        html += "<dd>" + Escape(Say(CHECKPOINT_NONE, l)) + "</dd>\n";
    } else {
        html += "<dd data-checkpoint-size=\"" + std::to_string(checkpoint->size) + "\">" +
                Escape(Say(CHECKPOINT_COVERS, l)) + " " + FormatCount(checkpoint->size, l) + " " +
                Escape(Say(CHECKPOINT_ENTRIES, l));
        if (stored->signed_at)
            html += ", " + Escape(Say(SIGNED_AT, l)) + " " +
                    Escape(FormatMoment(*stored->signed_at, l));
        html += "</dd>\n<dt>" + Escape(Say(ROOT, l)) + "</dt><dd><code class=\"hash\">" +
                ledger::ToHex(checkpoint->root) + "</code></dd>\n";
    }
    html +=
        "</dl>\n<p><a href=\"/verify\">" + Escape(Say(HOW_TO_CHECK, l)) + "</a></p>\n</section>\n";
    return html;
}

std::string YearSection(const PageCall& page, std::int32_t year,
                        const std::vector<services::District>& districts,
                        const std::vector<services::CouncilView>& councils,
                        const YearTotals& by_council)
{
    const Language l = page.language;
    const std::string y = std::to_string(year);
    YearTotals by_district;
    for (const auto& council : councils) {
        if (const auto found = by_council.find(council.id.value); found != by_council.end())
            by_district[council.district.value].Add(found->second);
    }
    std::string html =
        "<section aria-labelledby=\"year-" + y + "\">\n<h2 id=\"year-" + y + "\">" + y + "</h2>\n";
    // The chart and its table: districts' totals.
    html += "<figure class=\"chart\" data-alt-text=\"" + Escape(Say(phrase::CHART_ALT, l)) +
            "\">\n<figcaption>" + Escape(Say(PER_DISTRICT, l)) + " " + y +
            "</figcaption>\n<div class=\"chart-area\" hidden></div>\n" +
            TableWrap(std::string(Say(PER_DISTRICT, l)) + " " + y) +
            "<table data-chart=\"bar\" id=\"districts-" + y + "\">\n<thead><tr><th scope=\"col\">" +
            Escape(Say(phrase::DISTRICT, l)) + "</th>" + MoneyHeaderCells(l) +
            "</tr></thead>\n<tbody>\n";
    MoneyTotals city;
    for (const auto& district : districts) {
        const auto found = by_district.find(district.slug.value);
        if (found == by_district.end()) continue;
        city.Add(found->second);
        html += "<tr data-district=\"" + Escape(district.slug.value) + "\"><th scope=\"row\">" +
                Escape(district.name.value) + "</th>" + MoneyCells(found->second, l) + "</tr>\n";
    }
    html += "</tbody>\n<tfoot><tr data-district=\"total\"><th scope=\"row\">" +
            Escape(Say(phrase::TOTAL, l)) + "</th>" + MoneyCells(city, l) +
            "</tr></tfoot>\n</table></div>\n</figure>\n";
    // Every council, grouped by district.
    html += TableWrap(std::string(Say(PER_COUNCIL, l)) + " " + y) +
            "<table class=\"councils\" id=\"councils-" + y + "\">\n<caption>" +
            Escape(Say(PER_COUNCIL, l)) + " " + y + "</caption>\n<thead><tr><th scope=\"col\">" +
            Escape(Say(phrase::COUNCIL, l)) + "</th>" + MoneyHeaderCells(l) + "</tr></thead>\n";
    for (const auto& district : districts) {
        std::string rows;
        for (const auto& council : councils) {
            if (council.district.value != district.slug.value) continue;
            const auto found = by_council.find(council.id.value);
            if (found == by_council.end()) continue;
            rows += "<tr data-council=\"" + Escape(council.id.value) + "\" data-year=\"" + y +
                    "\"><th scope=\"row\"><a href=\"/councils/" + Escape(council.id.value) + "\">" +
                    Escape(council.name.value) + "</a></th>" + MoneyCells(found->second, l) +
                    "</tr>\n";
        }
        if (rows.empty()) continue;
        // The district names the rows below it, across the council's column and every figure.
        html += "<tbody>\n<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"" +
                std::to_string(1 + MONEY_COLUMNS) + "\">" + Escape(district.name.value) +
                "</th></tr>\n" + rows + "</tbody>\n";
    }
    html += "</table></div>\n</section>\n";
    return html;
}

} // namespace

Reply HandleMunicipalityPage(RouteCall& call)
{
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    const Language l = page->language;
    if (auto behind = SyncProjectionsPage(*page, Section::municipality)) return std::move(*behind);
    auto districts = call.ports.districts.List();
    auto head = call.ports.entries.Head();
    // A checkpoint that cannot be read is not "none signed yet": the page waits, as for the rest.
    auto checkpoint = call.ports.checkpoints.LatestCheckpoint();
    if (!districts || !head || !checkpoint) {
        return StorageDownPage(*page, Section::municipality, Say(TITLE, l));
    }
    const auto councils = call.ports.registry.List();
    std::map<std::int32_t, YearTotals, std::greater<>> years; // Newest year first.
    for (const auto& council : councils) {
        for (const auto& line : call.ports.governance.Lines(council.id))
            years[line.year.value][council.id.value].Add(line.totals);
    }
    std::string html = "<h1>" + Escape(Say(TITLE, l)) + "</h1>\n<p class=\"lede\">" +
                       Escape(Say(INTRO, l)) + "</p>\n<p class=\"note\">" +
                       Escape(Say(phrase::COMMITTED_MEANS, l)) + "</p>\n";
    if (call.ports.rounds != nullptr) html += RoundsSection(*page, call.ports.rounds->List(), true);
    html += LedgerSection(*page, head->size, *checkpoint);
    if (years.empty()) html += "<p>" + Escape(Say(NO_COUNCILS, l)) + "</p>\n";
    for (const auto& [year, by_council] : years)
        html += YearSection(*page, year, *districts, councils, by_council);
    return PageReply(*page, http::status::ok, Section::municipality, Say(TITLE, l), html);
}

} // namespace wijkbudget::api::web
