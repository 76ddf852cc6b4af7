// api/web/page_round_outcome.cpp: the outcome of a closed round, as its round.closed entry
// records it: binding or advice (turnout against the minimum), the rule that counted, a chart and
// a table of the projects funded and not, and for each project why, in plain words, from the
// phase that funded it or the reason it lost (pb/outcome.hpp).
#include "api/web/page_round.hpp"
#include "api/web/phrases.hpp"
#include "ledger/assert.hpp"

#include <algorithm>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase HEADING{"Uitslag", "Outcome"};
constexpr Phrase BINDING{
    "Bindend: de opkomst haalde het minimum. De gefinancierde projecten zijn als verplichtingen "
    "van de wijkraad vastgelegd.",
    "Binding: the turnout reached the minimum. The funded projects became commitments of the "
    "council."};
constexpr Phrase ADVISORY{
    "Advies: de opkomst bleef onder het minimum. Er is niets vastgelegd; het hele budget ging "
    "terug naar {}. De tabel laat zien wat de telling als advies gaf.",
    "Advice only: the turnout stayed below the minimum. Nothing was committed; the whole budget "
    "went back to {}. The table shows what the count gave as advice."};
// Where the rest went, as the close's postings say (services::RoundSummary::rest_to).
constexpr Phrase REST_TO_LINE{"de begrotingspost van de wijkraad", "the council's budget line"};
constexpr Phrase REST_TO_NEXT_YEAR{
    "de begrotingspost van {} van de wijkraad (overgeheveld: het begrotingsjaar was afgesloten)",
    "the council's budget line of {} (carried over: the budget year had closed)"};
constexpr Phrase REST_TO_POOL{"de gemeente (het begrotingsjaar van de wijkraad was afgesloten)",
                              "the municipality (the council's budget year had closed)"};
constexpr Phrase TURNOUT{"Opkomst", "Turnout"};
constexpr Phrase TURNOUT_TEXT{
    "{} van de {} uitgegeven stemcodes gebruikt: {}%; het minimum was {}%.",
    "{} of the {} voting codes issued were used: {}%; the minimum was {}%."};
constexpr Phrase RULE{"Regel", "Rule"};
constexpr Phrase MONEY{"Geld", "Money"};
constexpr Phrase MONEY_TEXT{"{} van het budget van {} gefinancierd; {} ging terug naar {}.",
                            "{} of the budget of {} funded; {} went back to {}."};
constexpr Phrase VOTER_SHARE{"Gelijk deel per stemmer", "Equal share per voter"};
constexpr Phrase EXACTLY{"precies {} euro", "exactly {} euros"};
constexpr Phrase RECORDED{"Vastgelegd in", "Recorded in"};
constexpr Phrase OPENED_CLOSED{"registratie {} (opening) en {} (uitslag)",
                               "entry {} (opening) and {} (outcome)"};
constexpr Phrase RECOMPUTE{"Zelf narekenen", "Recompute it yourself"};
constexpr Phrase RECOMPUTE_TEXT{
    "alle stemmen als Pabulib-bestand (.pb), voor wijkbudget pb of pabutools",
    "every ballot as a Pabulib file (.pb), for wijkbudget pb or pabutools"};
constexpr Phrase CHART_CAPTION{"Kosten per project: gefinancierd en niet gefinancierd",
                               "Cost per project: funded and not funded"};
constexpr Phrase FUNDED{"Gefinancierd", "Funded"};
constexpr Phrase NOT_FUNDED{"Niet gefinancierd", "Not funded"};
constexpr Phrase RESULTS{"Uitslag per project", "Result per project"};
constexpr Phrase PROJECT{"Project", "Project"};
constexpr Phrase COST{"Kosten", "Cost"};
constexpr Phrase VOTES{"Stemmen", "Votes"};
constexpr Phrase POINTS{"Punten", "Points"};
constexpr Phrase COMMITMENT{"Verplichting", "Commitment"};
constexpr Phrase WHY{"Waarom", "Why"};
constexpr Phrase YES{"Ja", "Yes"};
constexpr Phrase NO{"Nee", "No"};
constexpr Phrase VOTER_ONE{"1 stemmer", "1 voter"};
constexpr Phrase VOTERS{"{} stemmers", "{} voters"};

constexpr Phrase BY_EQUAL_SHARES_PRICE{
    "Gefinancierd in de fase van gelijke delen: samen betaald door de {} die het kozen, ieder "
    "hoogstens {}.",
    "Funded in the equal-shares phase: paid for together by the {} who chose it, each paying at "
    "most {}."};
constexpr Phrase BY_EQUAL_SHARES_POINTS{
    "Gefinancierd in de fase van gelijke delen: samen betaald door de {} die het punten gaven, "
    "ieder naar zijn punten.",
    "Funded in the equal-shares phase: paid for together by the {} who gave it points, each by "
    "their points."};
constexpr Phrase BY_EQUAL_SHARES_POINT_PRICE{
    "Gefinancierd in de fase van gelijke delen: samen betaald door de {} die het punten gaven, "
    "ieder {} per punt.",
    "Funded in the equal-shares phase: paid for together by the {} who gave it points, each "
    "paying {} a point."};
constexpr Phrase BY_ZERO_COST{"Meteen gefinancierd: het kost niets en er is voor gestemd.",
                              "Funded at once: it costs nothing and it was voted for."};
constexpr Phrase BY_GREEDY_VOTES{
    "Gefinancierd: met {} stemmen was het aan de beurt terwijl er nog geld was, en het paste.",
    "Funded: with {} votes it took its turn while money lasted, and it fit."};
constexpr Phrase BY_GREEDY_POINTS{
    "Gefinancierd: met {} punten, geteld per euro die het kost, was het aan de beurt terwijl er "
    "nog geld was, en het paste.",
    "Funded: with {} points, counted per euro of its cost, it took its turn while money lasted, "
    "and it fit."};
constexpr Phrase BY_GREEDY_COMPLETION{
    "Gefinancierd bij de aanvulling: na de gelijke delen ging het geld dat over was naar de "
    "projecten met de meeste stemmen, en dit project paste.",
    "Funded by the greedy completion: after equal shares, the money left went to the projects "
    "with the most votes, and this one fit."};
constexpr Phrase LOST_NO_SUPPORT{"Niet gefinancierd: niemand koos het.",
                                 "Not funded: nobody chose it."};
constexpr Phrase LOST_UNAFFORDABLE{
    "Niet gefinancierd: de {} die het kozen, konden het samen niet betalen uit hun gelijke "
    "delen, tegen geen enkele prijs.",
    "Not funded: the {} who chose it could not pay for it together from their equal shares, at "
    "any price."};
constexpr Phrase LOST_DID_NOT_FIT{
    "Niet gefinancierd: toen het aan de beurt was, kostte het meer dan het geld dat over was.",
    "Not funded: when its turn came, it cost more than the money left."};
constexpr Phrase UNKNOWN_STEP{"Zie de uitslag in het grootboek.", "See the outcome in the ledger."};

//! "€ 416,67 (precies 1250/3 euro)": the amount a reader can take in, and the exact one.
std::string ExactEuros(std::string_view fraction, Language l)
{
    const auto cents = CentsOfEuros(fraction);
    if (!cents) return Fill(Say(EXACTLY, l), {std::string(fraction)});
    if (fraction.find('/') == std::string_view::npos) return FormatAmount(*cents, l);
    return FormatAmount(*cents, l) + " (" + Fill(Say(EXACTLY, l), {std::string(fraction)}) + ")";
}

std::string Voters(std::uint64_t count, Language l)
{
    return count == 1 ? std::string(Say(VOTER_ONE, l))
                      : Fill(Say(VOTERS, l), {FormatCount(count, l)});
}

//! "41.66" as the reader writes it: "41,66" in Dutch.
std::string Percent(std::string text, Language l)
{
    if (l == Language::nl) std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

//! The rule's recorded name in words.
Phrase RuleNamePhrase(std::string_view rule)
{
    if (rule == "greedy_cost") return {"de meeste stemmen eerst", "most votes first"};
    if (rule == "greedy_cardinal")
        return {"de meeste punten per euro eerst", "most points per euro first"};
    if (rule == "mes_cost" || rule == "mes_cardinal") return {"gelijke delen", "equal shares"};
    if (rule == "mes_cost_add1" || rule == "mes_cardinal_add1")
        return {"gelijke delen, delen verhoogd met één euro zolang dat meer oplevert",
                "equal shares, shares raised by one euro while that funds more"};
    if (rule == "mes_cost_add1_greedy")
        return {"gelijke delen, delen verhoogd met één euro zolang dat meer oplevert, daarna de "
                "meeste stemmen eerst met wat over is",
                "equal shares, shares raised by one euro while that funds more, then most votes "
                "first with what is left"};
    return {"", ""};
}

std::string FundedBecause(const ledger::RoundOpened& opened, const ledger::RoundWinner& winner,
                          const ledger::RoundProjectResult& result, Language l)
{
    const std::string_view phase = winner.phase.value;
    if (phase == "equal_shares") {
        if (winner.price_per_voter)
            return Fill(Say(BY_EQUAL_SHARES_PRICE, l),
                        {Voters(result.votes, l), ExactEuros(winner.price_per_voter->value, l)});
        if (winner.price_per_point)
            return Fill(Say(BY_EQUAL_SHARES_POINT_PRICE, l),
                        {Voters(result.votes, l), ExactEuros(winner.price_per_point->value, l)});
        return Fill(Say(BY_EQUAL_SHARES_POINTS, l), {Voters(result.votes, l)});
    }
    if (phase == "zero_cost") return std::string(Say(BY_ZERO_COST, l));
    if (phase == "greedy_completion") return std::string(Say(BY_GREEDY_COMPLETION, l));
    if (phase == "greedy") {
        if (opened.ballot_type == ledger::BallotType::approval)
            return Fill(Say(BY_GREEDY_VOTES, l), {FormatCount(result.votes, l)});
        return Fill(Say(BY_GREEDY_POINTS, l), {FormatCount(result.points, l)});
    }
    return std::string(Say(UNKNOWN_STEP, l));
}

std::string LostBecause(const ledger::RoundProjectResult& result, Language l)
{
    const std::string_view reason = result.reason ? result.reason->value : std::string_view{};
    if (reason == "no_support") return std::string(Say(LOST_NO_SUPPORT, l));
    if (reason == "unaffordable") return Fill(Say(LOST_UNAFFORDABLE, l), {Voters(result.votes, l)});
    if (reason == "did_not_fit") return std::string(Say(LOST_DID_NOT_FIT, l));
    return std::string(Say(UNKNOWN_STEP, l));
}

//! A project's line: its result, and its winner record when funded.
struct Line {
    const ledger::RoundProjectResult* result;
    const ledger::RoundWinner* winner;
    std::string title;
};

//! Funded projects first, in the order the rule selected them; then the others by votes.
std::vector<Line> LinesOf(const ledger::RoundOpened& opened, const ledger::RoundClosed& closed)
{
    std::vector<Line> lines;
    for (const auto& result : closed.results.items) {
        const auto winner =
            std::find_if(closed.winners.items.begin(), closed.winners.items.end(),
                         [&](const auto& w) { return w.project == result.project; });
        const auto project =
            std::find_if(opened.projects.items.begin(), opened.projects.items.end(),
                         [&](const auto& p) { return p.id == result.project; });
        lines.push_back(
            {&result, winner == closed.winners.items.end() ? nullptr : &*winner,
             project == opened.projects.items.end() ? result.project.value : project->title.value});
    }
    const auto selected = [&](const Line& line) {
        return line.winner - closed.winners.items.data();
    };
    std::stable_sort(lines.begin(), lines.end(), [&](const Line& a, const Line& b) {
        if ((a.winner != nullptr) != (b.winner != nullptr)) return a.winner != nullptr;
        if (a.winner != nullptr) return selected(a) < selected(b);
        if (a.result->votes != b.result->votes) return a.result->votes > b.result->votes;
        return a.title < b.title;
    });
    return lines;
}

//! Where the close put what the round did not fund, in words.
std::string RestTo(const services::RoundSummary& round, Language l)
{
    if (!round.rest_to || round.rest_to->type == ledger::AccountType::line) {
        if (round.rest_to && round.rest_to->year != round.opened.year)
            return Fill(Say(REST_TO_NEXT_YEAR, l), {std::to_string(round.rest_to->year.value)});
        return std::string(Say(REST_TO_LINE, l));
    }
    return std::string(Say(REST_TO_POOL, l));
}

std::string Facts(const PageCall& page, const services::RoundSummary& round)
{
    const Language l = page.language;
    const auto& closed = *round.closed;
    std::int64_t funded = 0;
    for (const auto& winner : closed.winners.items)
        funded += winner.cost.value;
    const ledger::Cents committed{closed.binding ? funded : 0};
    const ledger::Cents returned{round.opened.budget.value - committed.value};
    std::string html =
        "<dl class=\"facts\" id=\"outcome-facts\">\n<dt>" + Escape(Say(TURNOUT, l)) +
        "</dt><dd data-turnout=\"" + Escape(closed.turnout_percent.value) +
        "\" data-ballots-cast=\"" + std::to_string(closed.ballots_cast) +
        "\" data-codes-issued=\"" + std::to_string(closed.codes_issued) + "\">" +
        Escape(Fill(Say(TURNOUT_TEXT, l),
                    {FormatCount(closed.ballots_cast, l), FormatCount(closed.codes_issued, l),
                     Percent(closed.turnout_percent.value, l),
                     std::to_string(closed.min_turnout_percent)})) +
        "</dd>\n";
    const Phrase rule_words = RuleNamePhrase(closed.rule.value);
    html += "<dt>" + Escape(Say(RULE, l)) + "</dt><dd data-rule=\"" + Escape(closed.rule.value) +
            "\">" + (rule_words.nl.empty() ? "" : Escape(Say(rule_words, l)) + " ") + "(<code>" +
            Escape(closed.rule.value) + "</code>)</dd>\n";
    html += "<dt>" + Escape(Say(MONEY, l)) + "</dt><dd>" +
            Escape(Fill(Say(MONEY_TEXT, l),
                        {FormatAmount(committed, l), FormatAmount(round.opened.budget, l),
                         FormatAmount(returned, l), RestTo(round, l)})) +
            "</dd>\n";
    if (closed.voter_budget)
        html += "<dt>" + Escape(Say(VOTER_SHARE, l)) + "</dt><dd>" +
                Escape(ExactEuros(closed.voter_budget->value, l)) + "</dd>\n";
    html += "<dt>" + Escape(Say(RECORDED, l)) + "</dt><dd>" +
            Fill(Escape(Say(OPENED_CLOSED, l)),
                 {EntryLink(round.opened_index.value), EntryLink(round.closed_index->value)}) +
            "</dd>\n<dt>" + Escape(Say(RECOMPUTE, l)) + "</dt><dd><a href=\"/api/v1/rounds/" +
            Escape(round.opened.round.value) + "/export.pb\" id=\"round-export\">" +
            Escape(Say(RECOMPUTE_TEXT, l)) + "</a></dd>\n</dl>\n";
    return html;
}

std::string Chart(const std::vector<Line>& lines, Language l)
{
    std::string html = "<figure class=\"chart\" data-alt-text=\"" +
                       Escape(Say(phrase::CHART_ALT, l)) + "\">\n<figcaption>" +
                       Escape(Say(CHART_CAPTION, l)) +
                       "</figcaption>\n<div class=\"chart-area\" hidden></div>\n" +
                       TableWrap(Say(CHART_CAPTION, l)) +
                       "<table data-chart=\"bar\" id=\"outcome-chart\">\n<thead><tr><th "
                       "scope=\"col\">" +
                       Escape(Say(PROJECT, l)) +
                       "</th><th scope=\"col\" class=\"amount\" "
                       "data-series>" +
                       Escape(Say(FUNDED, l)) +
                       "</th><th scope=\"col\" class=\"amount\" "
                       "data-series>" +
                       Escape(Say(NOT_FUNDED, l)) + "</th></tr></thead>\n<tbody>\n";
    for (const auto& line : lines) {
        const bool funded = line.result->funded;
        html += "<tr data-project=\"" + Escape(line.result->project.value) +
                "\"><th scope=\"row\">" + Escape(line.title) + "</th>" +
                AmountCell(funded ? line.result->cost : ledger::Cents{0}, l) +
                AmountCell(funded ? ledger::Cents{0} : line.result->cost, l) + "</tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</figure>\n";
}

std::string ResultsTable(const PageCall& page, const services::RoundSummary& round,
                         const std::vector<Line>& lines)
{
    const Language l = page.language;
    const bool cumulative = round.opened.ballot_type == ledger::BallotType::cumulative;
    std::string html = TableWrap(Say(RESULTS, l)) + "<table id=\"outcome-results\">\n<caption>" +
                       Escape(Say(RESULTS, l)) + "</caption>\n<thead><tr><th scope=\"col\">" +
                       Escape(Say(PROJECT, l)) + "</th><th scope=\"col\" class=\"amount\">" +
                       Escape(Say(COST, l)) + "</th><th scope=\"col\" class=\"num\">" +
                       Escape(Say(VOTES, l)) + "</th>";
    if (cumulative) html += "<th scope=\"col\" class=\"num\">" + Escape(Say(POINTS, l)) + "</th>";
    html += "<th scope=\"col\">" + Escape(Say(FUNDED, l)) + "</th><th scope=\"col\">" +
            Escape(Say(COMMITMENT, l)) + "</th><th scope=\"col\">" + Escape(Say(WHY, l)) +
            "</th></tr></thead>\n<tbody>\n";
    for (const auto& line : lines) {
        const auto& result = *line.result;
        html += "<tr data-project=\"" + Escape(result.project.value) + "\" data-funded=\"" +
                (result.funded ? "true" : "false") + "\"" +
                (result.reason ? " data-reason=\"" + Escape(result.reason->value) + "\"" : "") +
                (line.winner ? " data-phase=\"" + Escape(line.winner->phase.value) + "\"" : "") +
                "><th scope=\"row\">" + Escape(line.title) + "</th>" + AmountCell(result.cost, l) +
                "<td class=\"num\" data-votes=\"" + std::to_string(result.votes) + "\">" +
                FormatCount(result.votes, l) + "</td>";
        if (cumulative)
            html += "<td class=\"num\" data-points=\"" + std::to_string(result.points) + "\">" +
                    FormatCount(result.points, l) + "</td>";
        html += "<td>" + Escape(Say(result.funded ? YES : NO, l)) + "</td><td>";
        if (line.winner != nullptr && line.winner->commitment)
            html += "<a href=\"/councils/" + Escape(round.council.value) + "#commitment-" +
                    Escape(line.winner->commitment->value) + "\">" +
                    Escape(line.winner->commitment->value) + "</a>";
        html += "</td><td class=\"why\">" +
                Escape(line.winner != nullptr ? FundedBecause(round.opened, *line.winner, result, l)
                                              : LostBecause(result, l)) +
                "</td></tr>\n";
    }
    return html + "</tbody>\n</table></div>\n";
}

} // namespace

std::string OutcomeSection(const PageCall& page, const services::RoundSummary& round)
{
    const Language l = page.language;
    WB_CHECK_NONFATAL(round.closed.has_value() && round.closed_index.has_value());
    const auto& closed = *round.closed;
    const auto lines = LinesOf(round.opened, closed);
    std::string html = "<section id=\"outcome\" aria-labelledby=\"outcome-heading\" "
                       "data-binding=\"" +
                       std::string(closed.binding ? "true" : "false") +
                       "\">\n<h2 id=\"outcome-heading\">" + Escape(Say(HEADING, l)) +
                       "</h2>\n<p class=\"lede\" id=\"outcome-binding\"><strong>" +
                       Escape(closed.binding ? std::string(Say(BINDING, l))
                                             : Fill(Say(ADVISORY, l), {RestTo(round, l)})) +
                       "</strong></p>\n";
    html += Facts(page, round);
    html += Chart(lines, l);
    html += ResultsTable(page, round, lines);
    return html + "</section>\n";
}

} // namespace wijkbudget::api::web
