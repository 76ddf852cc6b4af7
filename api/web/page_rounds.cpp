// api/web/page_rounds.cpp: GET /rounds — every residents' round, with its council, district,
// state, budget and voting days; and the parts of it the municipality and council pages show.
#include "api/web/page_round.hpp"
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"
#include "ledger/assert.hpp"
#include "services/calendar.hpp"

#include <algorithm>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase INTRO{
    "In een bewonersstemming kiezen bewoners met een eenmalige stemcode welke projecten het "
    "budget krijgen. De telling is exact en staat in het openbare grootboek: iedereen kan haar "
    "narekenen.",
    "In a residents' round, residents choose with a one-time voting code which projects get the "
    "budget. The count is exact and recorded in the public ledger: anyone can recompute it."};
constexpr Phrase ROUND{"Stemming", "Round"};
constexpr Phrase VOTING_DAYS{"Stemmen", "Voting"};
constexpr Phrase BUDGET{"Budget", "Budget"};
constexpr Phrase NO_ROUNDS{"Er zijn nog geen bewonersstemmingen.",
                           "There are no residents' rounds yet."};
constexpr Phrase ALL_ROUNDS{"Alle bewonersstemmingen", "All residents' rounds"};
constexpr Phrase UNTIL{"tot en met", "to"};
constexpr Phrase DAYS_IN_THE_NETHERLANDS{"Dagen en tijden naar Nederlandse tijd.",
                                         "Days and times as in the Netherlands."};

//! The Dutch day of a moment, as the tables show voting windows (the round's page has the times).
std::string Day(ledger::Timestamp moment, Language l)
{
    return FormatDay(services::DateOf(moment), l);
}

} // namespace

RoundPhase PhaseOf(const services::RoundSummary& round, ledger::Timestamp now)
{
    if (round.Closed()) return RoundPhase::closed;
    if (now < round.opened.opens_at) return RoundPhase::upcoming;
    if (now < round.opened.closes_at) return RoundPhase::voting;
    return RoundPhase::counting;
}

std::string_view SpellingOf(RoundPhase phase)
{
    switch (phase) {
    case RoundPhase::upcoming: return "upcoming";
    case RoundPhase::voting: return "voting";
    case RoundPhase::counting: return "counting";
    case RoundPhase::closed: return "closed";
    }
    return "closed";
}

Phrase PhraseOf(RoundPhase phase)
{
    switch (phase) {
    case RoundPhase::upcoming: return {"Binnenkort", "Upcoming"};
    case RoundPhase::voting: return {"Stemmen kan nu", "Voting open"};
    case RoundPhase::counting: return {"Gesloten, uitslag volgt", "Closed, result to follow"};
    case RoundPhase::closed: return {"Afgelopen, uitslag bekend", "Closed, result known"};
    }
    return {"Afgelopen", "Closed"};
}

std::string Fill(std::string_view pattern, std::initializer_list<std::string> values)
{
    std::string text;
    auto value = values.begin();
    for (auto hole = pattern.find("{}"); hole != std::string_view::npos;
         hole = pattern.find("{}")) {
        WB_CHECK_NONFATAL(value != values.end());
        text.append(pattern.substr(0, hole));
        text.append(*value++);
        pattern.remove_prefix(hole + 2);
    }
    WB_CHECK_NONFATAL(value == values.end());
    return text.append(pattern);
}

std::map<std::string, std::string> DistrictNames(RouteCall& call)
{
    std::map<std::string, std::string> names;
    if (auto districts = call.ports.districts.List()) {
        for (const auto& district : *districts)
            names.emplace(district.slug.value, district.name.value);
    }
    return names;
}

std::string DistrictOf(RouteCall& call, const services::RoundSummary& round,
                       const std::map<std::string, std::string>& names)
{
    std::string slug;
    if (round.opened.district) {
        slug = round.opened.district->value;
    } else if (const auto council = call.ports.registry.Find(round.council)) {
        slug = council->district.value;
    }
    const auto found = names.find(slug);
    return found == names.end() ? slug : found->second;
}

std::string RoundsTable(const PageCall& page, std::vector<services::RoundSummary> rounds,
                        bool with_council, std::string_view label)
{
    const Language l = page.language;
    auto& call = page.call;
    std::sort(rounds.begin(), rounds.end(), [](const auto& a, const auto& b) {
        if (a.opened.opens_at != b.opened.opens_at) return a.opened.opens_at > b.opened.opens_at;
        return a.opened.round.value < b.opened.round.value;
    });
    const auto names = with_council ? DistrictNames(call) : std::map<std::string, std::string>{};
    const ledger::Timestamp now = call.ports.clock.Now();
    // No caption: the heading above the table names it, and the wrapper's label says it again.
    std::string html = TableWrap(label) +
                       "<table class=\"rounds\">\n<thead><tr><th scope=\"col\">" +
                       Escape(Say(ROUND, l)) + "</th>";
    if (with_council)
        html += "<th scope=\"col\">" + Escape(Say(phrase::COUNCIL, l)) + "</th><th scope=\"col\">" +
                Escape(Say(phrase::DISTRICT, l)) + "</th>";
    html += "<th scope=\"col\">" + Escape(Say(phrase::STATUS, l)) +
            "</th><th scope=\"col\" class=\"amount\">" + Escape(Say(BUDGET, l)) +
            "</th><th scope=\"col\">" + Escape(Say(VOTING_DAYS, l)) +
            "</th></tr></thead>\n<tbody>\n";
    for (const auto& round : rounds) {
        const RoundPhase phase = PhaseOf(round, now);
        const auto& opened = round.opened;
        html += "<tr data-round=\"" + Escape(opened.round.value) + "\" data-state=\"" +
                std::string(SpellingOf(phase)) + "\"><th scope=\"row\"><a href=\"/rounds/" +
                Escape(opened.round.value) + "\">" + Escape(opened.title.value) + "</a></th>";
        if (with_council) {
            const auto council = call.ports.registry.Find(round.council);
            html += "<td><a href=\"/councils/" + Escape(round.council.value) + "\">" +
                    Escape(council ? council->name.value : round.council.value) + "</a></td><td>" +
                    Escape(DistrictOf(call, round, names)) + "</td>";
        }
        html += "<td>" + Escape(Say(PhraseOf(phase), l)) + "</td>" + AmountCell(opened.budget, l) +
                "<td>" + Escape(Day(opened.opens_at, l)) + " " + Escape(Say(UNTIL, l)) + " " +
                Escape(FormatDay(services::LastDayBefore(opened.closes_at), l)) + "</td></tr>\n";
    }
    return html + "</tbody>\n</table></div>\n";
}

std::string RoundsSection(const PageCall& page, std::vector<services::RoundSummary> rounds,
                          bool with_council)
{
    const Language l = page.language;
    std::string html = "<section aria-labelledby=\"rounds\">\n<h2 id=\"rounds\">" +
                       Escape(Say(phrase::ROUNDS, l)) + "</h2>\n";
    if (rounds.empty()) {
        html += "<p>" + Escape(Say(NO_ROUNDS, l)) + "</p>\n";
    } else {
        html += RoundsTable(page, std::move(rounds), with_council, Say(phrase::ROUNDS, l));
    }
    return html + "<p><a href=\"/rounds\">" + Escape(Say(ALL_ROUNDS, l)) + "</a></p>\n</section>\n";
}

std::optional<RoundContext> RoundOfPath(RouteCall& call)
{
    const std::string& id = call.parameters.front();
    if (call.ports.rounds == nullptr || !ledger::SlugRule::Check(id)) return std::nullopt;
    auto round = call.ports.rounds->FindRound(ledger::Slug{id});
    if (!round) return std::nullopt;
    const auto council = call.ports.registry.Find(round->council);
    RoundContext context{std::move(*round), {}, {}};
    context.council_name = council ? council->name.value : context.round.council.value;
    context.district_name = DistrictOf(call, context.round, DistrictNames(call));
    return context;
}

Reply HandleRoundsPage(RouteCall& call)
{
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    const Language l = page->language;
    if (auto behind = SyncProjectionsPage(*page, Section::rounds)) return std::move(*behind);
    std::vector<services::RoundSummary> rounds;
    if (call.ports.rounds != nullptr) rounds = call.ports.rounds->List();
    std::string html = "<h1>" + Escape(Say(phrase::ROUNDS, l)) + "</h1>\n<p class=\"lede\">" +
                       Escape(Say(INTRO, l)) + "</p>\n<p class=\"note\">" +
                       Escape(Say(DAYS_IN_THE_NETHERLANDS, l)) + "</p>\n";
    if (rounds.empty()) {
        html += "<p>" + Escape(Say(NO_ROUNDS, l)) + "</p>\n";
    } else {
        html += RoundsTable(*page, std::move(rounds), true, Say(phrase::ROUNDS, l));
    }
    return PageReply(*page, http::status::ok, Section::rounds, Say(phrase::ROUNDS, l), html);
}

} // namespace wijkbudget::api::web
