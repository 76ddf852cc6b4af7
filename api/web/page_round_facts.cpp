// api/web/page_round_facts.cpp: a round's facts in plain words (council, district, budget,
// voting window, ballot rules, minimum turnout, counting rule, tie order) and its projects.
#include "api/web/page_round.hpp"
#include "api/web/phrases.hpp"
#include "ledger/hex.hpp"
#include "ledger/round_rules.hpp"

#include <algorithm>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase STATE{"Stand", "State"};
constexpr Phrase BUDGET{"Budget", "Budget"};
constexpr Phrase WINDOW{"Stemmen kan", "Voting"};
constexpr Phrase WINDOW_TEXT{"van {} tot {}", "from {} until {}"};
constexpr Phrase BALLOT{"Stembiljet", "Ballot"};
constexpr Phrase MIN_TURNOUT{"Minimale opkomst", "Minimum turnout"};
constexpr Phrase MIN_TURNOUT_TEXT{
    "{}% van de uitgegeven stemcodes. Bij een lagere opkomst is de uitslag een advies; dan gaat "
    "het budget terug naar de begrotingspost van de wijkraad (of, als dat begrotingsjaar "
    "intussen is afgesloten, waar het geld van dat jaar heen gaat).",
    "{}% of the voting codes issued. With a lower turnout the result is advice only, and the "
    "budget goes back to the council's budget line (or, if that budget year has closed "
    "meanwhile, where that year's money goes)."};
constexpr Phrase NO_MIN_TURNOUT{"Geen: de uitslag is bindend zodra er stemcodes zijn uitgegeven.",
                                "None: the result is binding once voting codes were issued."};
constexpr Phrase RULE{"Telling", "Counting"};
constexpr Phrase TIE_ORDER{"Volgorde bij gelijke stand", "Order for ties"};
constexpr Phrase TIE_SEED_TEXT{
    "Bij gelijke stand gaat het project voor dat eerder komt in een volgorde die vóór het "
    "stemmen is getrokken: de projecten gesorteerd op SHA-256(zaad ‖ projectkenmerk). Met het "
    "zaad hieronder kan iedereen die volgorde narekenen.",
    "In a tie, the project that comes first in an order drawn before voting wins: the projects "
    "sorted by SHA-256(seed ‖ project id). With the seed below anyone can recompute that order."};
constexpr Phrase TIE_ID_ORDER_TEXT{
    "Bij gelijke stand gaat het project voor waarvan het kenmerk eerder komt in de volgorde van "
    "de tekens (het zaad is nul: een ingelezen stemming houdt de volgorde van haar bestand).",
    "In a tie, the project whose id comes first in character order wins (the seed is zero: an "
    "imported round keeps the order of its file)."};
constexpr Phrase SEED{"Zaad", "Seed"};
constexpr Phrase OPENED_IN{"Geopend in", "Opened in"};
constexpr Phrase CODES{"Stemcodes uitgegeven", "Voting codes issued"};
constexpr Phrase ENTRY_WORD{"registratie", "entry"};
constexpr Phrase PROJECTS{"Projecten", "Projects"};
constexpr Phrase PROJECT{"Project", "Project"};
constexpr Phrase COST{"Kosten", "Cost"};
constexpr Phrase TIE_RANK{"Plaats bij gelijke stand", "Place in a tie"};
constexpr Phrase NO_CATEGORY{"–", "–"};

constexpr Phrase PROJECT_ONE{"project", "project"};
constexpr Phrase PROJECT_MANY{"projecten", "projects"};
constexpr Phrase CHOOSE_EXACTLY{"Kies precies {}.", "Choose exactly {}."};
constexpr Phrase CHOOSE_BETWEEN{"Kies ten minste {} en hoogstens {}.",
                                "Choose at least {} and at most {}."};
constexpr Phrase CHOOSE_AT_LEAST{"Kies ten minste {}.", "Choose at least {}."};
constexpr Phrase CHOOSE_ANY{"Kies één of meer projecten.", "Choose one or more projects."};
constexpr Phrase MAX_COST{"Samen mogen ze hoogstens {} kosten.",
                          "Together they may cost at most {}."};
constexpr Phrase SPREAD_POINTS{
    "Verdeel hoogstens {} punten over de projecten, hoogstens {} per project; geef ten minste "
    "één project een punt.",
    "Spread at most {} points over the projects, at most {} per project; give at least one "
    "project a point."};

constexpr Phrase RULE_EQUAL_SHARES_APPROVAL{
    "Gelijke delen (Method of Equal Shares): elke stemmer krijgt een gelijk deel van het budget. "
    "Een project wordt gekozen als de stemmers die het kozen het samen kunnen betalen uit hun "
    "delen; het project dat elk van hen het minst kost, gaat voor. Blijft er geld over, dan "
    "worden alle delen steeds met één euro verhoogd zolang dat meer projecten oplevert; wat dan "
    "nog over is, gaat naar de projecten met de meeste stemmen die nog passen.",
    "Equal shares (Method of Equal Shares): every voter gets an equal share of the budget. A "
    "project is funded when its supporters can pay for it together from their shares; the "
    "project that costs each of them least goes first. If money is left, every share is raised "
    "by one euro at a time as long as that funds more projects; what is still left goes to the "
    "projects with the most votes that still fit."};
constexpr Phrase RULE_EQUAL_SHARES_CUMULATIVE{
    "Gelijke delen (Method of Equal Shares): elke stemmer krijgt een gelijk deel van het budget. "
    "Een project wordt gekozen als de stemmers die het punten gaven het samen kunnen betalen uit "
    "hun delen, ieder naar zijn punten; het project dat het minst per punt kost, gaat voor. "
    "Blijft er geld over, dan worden alle delen steeds met één euro verhoogd zolang dat meer "
    "projecten oplevert.",
    "Equal shares (Method of Equal Shares): every voter gets an equal share of the budget. A "
    "project is funded when the voters who gave it points can pay for it together from their "
    "shares, each by their points; the project that costs least per point goes first. If money "
    "is left, every share is raised by one euro at a time as long as that funds more projects."};
constexpr Phrase RULE_GREEDY_APPROVAL{
    "De meeste stemmen eerst, zolang het geld strekt: de projecten komen aan de beurt in volgorde "
    "van hun aantal stemmen; een project wordt gekozen als het past in het geld dat over is, "
    "anders wordt het overgeslagen.",
    "Most votes first while money lasts: the projects take their turn in order of their number "
    "of votes; a project is funded if it fits in the money left, otherwise it is skipped."};
constexpr Phrase RULE_GREEDY_CUMULATIVE{
    "De meeste punten per euro eerst, zolang het geld strekt: de projecten komen aan de beurt in "
    "volgorde van hun punten per euro die ze kosten; een project wordt gekozen als het past in "
    "het geld dat over is, anders wordt het overgeslagen.",
    "Most points per euro first while money lasts: the projects take their turn in order of "
    "their points per euro of cost; a project is funded if it fits in the money left, otherwise "
    "it is skipped."};

std::string Projects(std::uint64_t count, Language l)
{
    return FormatCount(count, l) + " " +
           std::string(Say(count == 1 ? PROJECT_ONE : PROJECT_MANY, l));
}

std::string ApprovalRulesText(const ledger::RoundOpened& round, Language l)
{
    const std::uint64_t least = round.min_projects.value_or(1);
    std::string text;
    if (round.max_projects && *round.max_projects == least) {
        text = Fill(Say(CHOOSE_EXACTLY, l), {Projects(least, l)});
    } else if (round.max_projects) {
        text = Fill(Say(CHOOSE_BETWEEN, l), {Projects(least, l), Projects(*round.max_projects, l)});
    } else if (least > 1) {
        text = Fill(Say(CHOOSE_AT_LEAST, l), {Projects(least, l)});
    } else {
        text = std::string(Say(CHOOSE_ANY, l));
    }
    if (round.max_cost) text += " " + Fill(Say(MAX_COST, l), {FormatAmount(*round.max_cost, l)});
    return text;
}

Phrase RuleExplanation(const ledger::RoundOpened& round)
{
    const bool cumulative = round.ballot_type == ledger::BallotType::cumulative;
    if (round.rule == ledger::RoundRule::greedy)
        return cumulative ? RULE_GREEDY_CUMULATIVE : RULE_GREEDY_APPROVAL;
    return cumulative ? RULE_EQUAL_SHARES_CUMULATIVE : RULE_EQUAL_SHARES_APPROVAL;
}

} // namespace

std::string BallotRulesText(const ledger::RoundOpened& round, Language language)
{
    if (round.ballot_type == ledger::BallotType::approval)
        return ApprovalRulesText(round, language);
    return Fill(Say(SPREAD_POINTS, language),
                {FormatCount(round.points_total.value_or(0), language),
                 FormatCount(round.points_per_project_max.value_or(0), language)});
}

std::string RoundFacts(const PageCall& page, const RoundContext& context, RoundPhase phase)
{
    const Language l = page.language;
    const auto& round = context.round;
    const auto& opened = round.opened;
    const auto fact = [l](const Phrase& term, const std::string& html_value,
                          const std::string& attributes = {}) {
        return "<dt>" + Escape(Say(term, l)) + "</dt><dd" + attributes + ">" + html_value +
               "</dd>\n";
    };
    std::string html = "<dl class=\"facts\" id=\"round-facts\">\n";
    html += fact(STATE, Escape(Say(PhraseOf(phase), l)),
                 " data-state=\"" + std::string(SpellingOf(phase)) + "\"");
    html += fact(phrase::COUNCIL, "<a href=\"/councils/" + Escape(round.council.value) + "\">" +
                                      Escape(context.council_name) + "</a>");
    html += fact(phrase::DISTRICT, Escape(context.district_name));
    html += fact(BUDGET, Escape(FormatAmount(opened.budget, l)),
                 " data-cents=\"" + std::to_string(opened.budget.value) + "\"");
    html += fact(WINDOW, Escape(Fill(Say(WINDOW_TEXT, l), {FormatMoment(opened.opens_at, l),
                                                           FormatMoment(opened.closes_at, l)})));
    html += fact(BALLOT, Escape(BallotRulesText(opened, l)));
    html += fact(
        MIN_TURNOUT,
        Escape(opened.min_turnout_percent == 0
                   ? std::string(Say(NO_MIN_TURNOUT, l))
                   : Fill(Say(MIN_TURNOUT_TEXT, l), {std::to_string(opened.min_turnout_percent)})),
        " data-min-turnout=\"" + std::to_string(opened.min_turnout_percent) + "\"");
    html += fact(RULE, Escape(Say(RuleExplanation(opened), l)),
                 " data-rule=\"" + std::string(ledger::SpellingOf(opened.rule)) + "\"");
    const bool id_order = opened.tie_seed == ledger::ID_ORDER_SEED;
    html += fact(TIE_ORDER, Escape(Say(id_order ? TIE_ID_ORDER_TEXT : TIE_SEED_TEXT, l)) + "<br>" +
                                Escape(Say(SEED, l)) + ": <code class=\"hash\" id=\"tie-seed\">" +
                                ledger::ToHex(opened.tie_seed) + "</code>");
    std::string codes = FormatCount(round.CodesIssued(), l);
    for (const auto& batch : round.codes)
        codes += " · " + EntryLink(batch.index.value);
    html +=
        fact(CODES, codes, " data-codes-issued=\"" + std::to_string(round.CodesIssued()) + "\"");
    html += fact(OPENED_IN, Escape(Say(ENTRY_WORD, l)) + " " + EntryLink(round.opened_index.value));
    return html + "</dl>\n";
}

std::string ProjectsSection(const PageCall& page, const services::RoundSummary& round)
{
    const Language l = page.language;
    const auto& opened = round.opened;
    std::string html = "<section aria-labelledby=\"projects\">\n<h2 id=\"projects\">" +
                       Escape(Say(PROJECTS, l)) + "</h2>\n" + TableWrap(Say(PROJECTS, l)) +
                       "<table id=\"round-projects\">\n<thead><tr><th scope=\"col\">" +
                       Escape(Say(PROJECT, l)) + "</th><th scope=\"col\">" +
                       Escape(Say(phrase::CATEGORY, l)) +
                       "</th><th scope=\"col\" class=\"amount\">" + Escape(Say(COST, l)) +
                       "</th><th scope=\"col\" class=\"num\">" + Escape(Say(TIE_RANK, l)) +
                       "</th></tr></thead>\n<tbody>\n";
    for (const auto& project : opened.projects.items) {
        const auto& order = opened.tie_order.items;
        const auto rank = static_cast<std::size_t>(
            std::find(order.begin(), order.end(), project.id) - order.begin());
        html +=
            "<tr data-project=\"" + Escape(project.id.value) + "\"><th scope=\"row\">" +
            Escape(project.title.value) + "</th><td>" +
            Escape(project.category ? project.category->value : std::string(Say(NO_CATEGORY, l))) +
            "</td>" + AmountCell(project.cost, l) + "<td class=\"num\">" +
            std::to_string(rank + 1) + "</td></tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</section>\n";
}

} // namespace wijkbudget::api::web
