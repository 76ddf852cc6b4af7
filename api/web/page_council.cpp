// api/web/page_council.cpp: GET /councils/{id} — budget lines, proposals, decisions with their
// roll-calls, residents' rounds, and spending per commitment.
#include "api/web/page_round.hpp"
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"

#include <algorithm>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase REGISTERED_IN{"ingeschreven in registratie", "registered in entry"};
constexpr Phrase BUDGET{"Budget", "Budget"};
constexpr Phrase BUDGET_LINES{"Budgetregels", "Budget lines"};
constexpr Phrase LINE{"Budgetregel", "Budget line"};
constexpr Phrase PROPOSALS{"Voorstellen", "Proposals"};
constexpr Phrase PROPOSAL{"Voorstel", "Proposal"};
constexpr Phrase SUBMITTED_IN{"Ingediend", "Submitted"};
constexpr Phrase DECISIONS{"Besluiten", "Decisions"};
constexpr Phrase VOTE_ON{"Stemming over", "Vote on"};
constexpr Phrase OUTCOME{"Uitkomst", "Outcome"};
constexpr Phrase VOTE_OPEN_UNTIL{"Stemming loopt tot", "Voting open until"};
constexpr Phrase TURNOUT{"Opkomst", "Turnout"};
constexpr Phrase OF{"van", "of"};
constexpr Phrase ENTITLED{"stemgerechtigden (zonder wie zich wegens belang onthield)",
                          "entitled to vote (less those recused)"};
constexpr Phrase QUORUM{"Quorum", "Quorum"};
constexpr Phrase QUORUM_MET{"gehaald", "met"};
constexpr Phrase QUORUM_MISSED{"niet gehaald", "not met"};
constexpr Phrase RULE{"Regel", "Rule"};
constexpr Phrase BYLAWS{"Reglement", "Bylaws"};
constexpr Phrase VERSION{"versie", "version"};
constexpr Phrase DECISION_ENTRY{"Besluit", "Decision"};
constexpr Phrase ROLL_CALL{"Hoofdelijke stemming", "Roll-call"};
constexpr Phrase VOTE_COLUMN{"Stem", "Vote"};
constexpr Phrase RECUSED{"Onthouden wegens belang", "Recused (conflict of interest)"};
constexpr Phrase DID_NOT_VOTE{"Niet gestemd", "Did not vote"};
constexpr Phrase NOT_COMMITTED{
    "Het besluit kon niet worden vastgelegd: de budgetregel was te krap.",
    "The decision could not be committed: the budget line was short."};
constexpr Phrase NOT_COMMITTED_YEAR_CLOSED{
    "Het besluit kon niet worden vastgelegd: het begrotingsjaar was al afgesloten.",
    "The decision could not be committed: the budget year was closed already."};
constexpr Phrase SPENDING{"Uitgaven per verplichting", "Spending per commitment"};
constexpr Phrase COMMITMENT{"Verplichting", "Commitment"};
//! The commitment's amount when it was made; "vastgelegd" on this page means what is still held.
constexpr Phrase AMOUNT{"Bedrag", "Amount"};
constexpr Phrase RELEASED{"Vrijgegeven", "Released"};
constexpr Phrase LEFT{"Nog open", "Still open"};
constexpr Phrase ALLOCATED{"Naar gekozen projecten", "To chosen projects"};
constexpr Phrase BOOKED{"Geboekt", "Recorded"};
constexpr Phrase REVERSED_IN{"Teruggedraaid in", "Reversed in"};
constexpr Phrase CONFIRMS{"bevestigt", "confirms"};
constexpr Phrase VOTES{"Stemmen", "Votes"};
constexpr Phrase FOR_COUNT{"voor", "for"};
constexpr Phrase AGAINST_COUNT{"tegen", "against"};
constexpr Phrase ABSTAIN_COUNT{"onthouding", "abstained"};
constexpr Phrase MEMBERS_PUBLIC{
    "Leden staan vermeld met hun openbare kenmerk in het grootboek; namen blijven buiten het "
    "grootboek.",
    "Members are shown by their public id in the ledger; names stay out of the ledger."};

std::string LinesSection(const PageCall& page, const std::vector<services::LineView>& lines)
{
    const Language l = page.language;
    std::string html = "<section aria-labelledby=\"budget\">\n<h2 id=\"budget\">" +
                       Escape(Say(BUDGET, l)) + "</h2>\n<p class=\"note\">" +
                       Escape(Say(phrase::COMMITTED_MEANS, l)) + "</p>\n";
    if (lines.empty())
        return html + "<p>" + Escape(Say(phrase::NONE_YET, l)) + "</p>\n</section>\n";
    html += "<figure class=\"chart\" data-alt-text=\"" + Escape(Say(phrase::CHART_ALT, l)) +
            "\">\n<figcaption>" + Escape(Say(BUDGET_LINES, l)) +
            "</figcaption>\n<div class=\"chart-area\" hidden></div>\n" +
            TableWrap(Say(BUDGET_LINES, l)) +
            "<table data-chart=\"bar\" id=\"budget-lines\">\n<thead><tr><th scope=\"col\">" +
            Escape(Say(LINE, l)) + "</th>" + MoneyHeaderCells(l) + "</tr></thead>\n<tbody>\n";
    for (const auto& line : lines) {
        MoneyTotals totals;
        totals.Add(line.totals);
        html += "<tr data-year=\"" + std::to_string(line.year.value) + "\" data-category=\"" +
                std::string(ledger::SpellingOf(line.category)) + "\"><th scope=\"row\">" +
                std::to_string(line.year.value) + " · " +
                Escape(Say(phrase::Of(line.category), l)) + "</th>" + MoneyCells(totals, l) +
                "</tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</figure>\n</section>\n";
}

std::string ProposalsSection(const PageCall& page, const ledger::Slug& council,
                             const std::vector<services::ProposalView>& proposals)
{
    const Language l = page.language;
    std::string html = "<section aria-labelledby=\"proposals\">\n<h2 id=\"proposals\">" +
                       Escape(Say(PROPOSALS, l)) + "</h2>\n";
    if (proposals.empty())
        return html + "<p>" + Escape(Say(phrase::NONE_YET, l)) + "</p>\n</section>\n";
    html += TableWrap(Say(PROPOSALS, l)) +
            "<table id=\"proposals-table\">\n<thead><tr><th scope=\"col\">" +
            Escape(Say(PROPOSAL, l)) + "</th><th scope=\"col\">" + Escape(Say(LINE, l)) +
            "</th><th scope=\"col\" class=\"amount\">" + Escape(Say(phrase::AMOUNT, l)) +
            "</th><th scope=\"col\">" + Escape(Say(phrase::STATUS, l)) + "</th><th scope=\"col\">" +
            Escape(Say(SUBMITTED_IN, l)) + "</th></tr></thead>\n<tbody>\n";
    for (const auto& proposal : proposals) {
        html += "<tr data-proposal=\"" + Escape(proposal.id.value) + "\" data-status=\"" +
                std::string(services::SpellingOf(proposal.status)) +
                "\"><th scope=\"row\"><a href=\"/councils/" + Escape(council.value) +
                "/proposals/" + Escape(proposal.id.value) + "\">" + Escape(proposal.title.value) +
                "</a></th><td>" + std::to_string(proposal.year.value) + " · " +
                Escape(Say(phrase::Of(proposal.category), l)) + "</td>" +
                AmountCell(proposal.amount, l) + "<td>" +
                Escape(Say(phrase::Of(proposal.status), l)) + "</td><td>" +
                EntryLink(proposal.life.submitted.value) + "</td></tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</section>\n";
}

//! A member's line in the roll-call: the choice's spelling (data-choice), its text, its entry.
struct RollCallLine {
    std::string choice;
    Phrase text;
    std::optional<ledger::LeafIndex> index;
};

RollCallLine LineOf(const services::VoteView& vote, const ledger::Slug& member)
{
    if (std::find(vote.recused.begin(), vote.recused.end(), member) != vote.recused.end())
        return {"recused", RECUSED, std::nullopt};
    for (const auto& ballot : vote.ballots) {
        if (ballot.member == member)
            return {std::string(ledger::SpellingOf(ballot.choice)), phrase::Of(ballot.choice),
                    ballot.index};
    }
    return {"none", DID_NOT_VOTE, std::nullopt};
}

std::string DecisionArticle(const PageCall& page, const ledger::Slug& council,
                            const services::VoteView& vote)
{
    const Language l = page.language;
    const auto& ports = page.call.ports;
    const auto proposal = ports.governance.FindProposal(council, vote.proposal);
    const auto bylaws = ports.governance.BylawsVersion(council, vote.bylaws_version);
    const std::string heading_id = "vote-" + vote.id.value;
    std::string html = "<article class=\"decision\" data-vote=\"" + Escape(vote.id.value) +
                       "\" aria-labelledby=\"" + Escape(heading_id) + "\">\n<h3 id=\"" +
                       Escape(heading_id) + "\">" + Escape(Say(VOTE_ON, l)) +
                       ": <a href=\"/councils/" + Escape(council.value) + "/proposals/" +
                       Escape(vote.proposal.value) + "\">" +
                       Escape(proposal ? proposal->title.value : vote.proposal.value) +
                       "</a></h3>\n<dl class=\"facts\">\n";
    // Counts: the recorded decision's once closed, the ballots so far while open.
    std::uint64_t votes_for = 0, against = 0, abstained = 0;
    for (const auto& ballot : vote.ballots) {
        if (ballot.choice == ledger::VoteChoice::in_favour)
            ++votes_for;
        else if (ballot.choice == ledger::VoteChoice::against)
            ++against;
        else
            ++abstained;
    }
    if (vote.decision) {
        votes_for = vote.decision->votes_for;
        against = vote.decision->votes_against;
        abstained = vote.decision->abstentions;
        html += "<dt>" + Escape(Say(OUTCOME, l)) + "</dt><dd data-result=\"" +
                std::string(ledger::SpellingOf(vote.decision->result)) + "\"><strong>" +
                Escape(Say(phrase::Of(vote.decision->result), l)) + "</strong> (" +
                Escape(Say(DECISION_ENTRY, l)) + " " + EntryLink(vote.closed_index->value) + ")";
        if (const auto& refused = vote.decision->commitment_refused) {
            const bool year_closed =
                refused->value == ledger::CodeName(ledger::Errc::period_closed);
            html += " " + Escape(Say(year_closed ? NOT_COMMITTED_YEAR_CLOSED : NOT_COMMITTED, l));
        }
        html += "</dd>\n";
    } else {
        html += "<dt>" + Escape(Say(OUTCOME, l)) + "</dt><dd data-result=\"open\">" +
                Escape(Say(VOTE_OPEN_UNTIL, l)) + " " + Escape(FormatMoment(vote.closes_at, l)) +
                "</dd>\n";
    }
    const std::uint64_t entitled = vote.electorate.size() - vote.recused.size();
    const std::uint64_t present = votes_for + against + abstained;
    html += "<dt>" + Escape(Say(TURNOUT, l)) + "</dt><dd data-present=\"" +
            std::to_string(present) + "\" data-entitled=\"" + std::to_string(entitled) + "\">" +
            std::to_string(present) + " " + Escape(Say(OF, l)) + " " + std::to_string(entitled) +
            " " + Escape(Say(ENTITLED, l)) + " (" + FormatShare(present, entitled, l) + ")</dd>\n";
    html += "<dt>" + Escape(Say(VOTES, l)) + "</dt><dd class=\"counts\"><span data-count=\"for\">" +
            std::to_string(votes_for) + "</span> " + Escape(Say(FOR_COUNT, l)) +
            ", <span data-count=\"against\">" + std::to_string(against) + "</span> " +
            Escape(Say(AGAINST_COUNT, l)) + ", <span data-count=\"abstain\">" +
            std::to_string(abstained) + "</span> " + Escape(Say(ABSTAIN_COUNT, l)) + "</dd>\n";
    if (bylaws) {
        html += "<dt>" + Escape(Say(QUORUM, l)) + "</dt><dd>" +
                std::to_string(bylaws->rules.quorum_percent) + "%";
        if (vote.decision)
            html += ", " + Escape(Say(vote.decision->quorum_met ? QUORUM_MET : QUORUM_MISSED, l));
        html += "</dd>\n<dt>" + Escape(Say(RULE, l)) + "</dt><dd>" +
                Escape(Say(phrase::Of(bylaws->rules.majority), l)) + "; " +
                Escape(Say(phrase::Of(bylaws->rules.tie_rule), l)) + "</dd>\n<dt>" +
                Escape(Say(BYLAWS, l)) + "</dt><dd><a href=\"/ledger/" +
                std::to_string(bylaws->set_index.value) + "\" data-bylaws-version=\"" +
                std::to_string(vote.bylaws_version) + "\">" + Escape(Say(VERSION, l)) + " " +
                std::to_string(vote.bylaws_version) + "</a></dd>\n";
    }
    html += "</dl>\n" + TableWrap(Say(ROLL_CALL, l)) + "<table class=\"roll-call\">\n<caption>" +
            Escape(Say(ROLL_CALL, l)) + "</caption>\n<thead><tr><th scope=\"col\">" +
            Escape(Say(phrase::MEMBER, l)) + "</th><th scope=\"col\">" +
            Escape(Say(VOTE_COLUMN, l)) + "</th><th scope=\"col\">" +
            Escape(Say(phrase::ENTRY, l)) + "</th></tr></thead>\n<tbody>\n";
    for (const auto& member : vote.electorate) {
        const auto line = LineOf(vote, member);
        html += "<tr data-member=\"" + Escape(member.value) + "\" data-choice=\"" + line.choice +
                "\"><th scope=\"row\">" + Escape(member.value) + "</th><td>" +
                Escape(Say(line.text, l)) + "</td><td>" +
                (line.index ? EntryLink(line.index->value) : std::string{}) + "</td></tr>\n";
    }
    return html + "</tbody>\n</table></div>\n</article>\n";
}

std::string DecisionsSection(const PageCall& page, const ledger::Slug& council)
{
    const Language l = page.language;
    auto votes = page.call.ports.governance.Votes(council);
    // Newest first: a resident comes for the latest decisions.
    std::sort(votes.begin(), votes.end(),
              [](const auto& a, const auto& b) { return a.opened_index > b.opened_index; });
    std::string html = "<section aria-labelledby=\"decisions\">\n<h2 id=\"decisions\">" +
                       Escape(Say(DECISIONS, l)) + "</h2>\n<p class=\"note\">" +
                       Escape(Say(MEMBERS_PUBLIC, l)) + "</p>\n";
    if (votes.empty()) html += "<p>" + Escape(Say(phrase::NONE_YET, l)) + "</p>\n";
    for (const auto& vote : votes)
        html += DecisionArticle(page, council, vote);
    return html + "</section>\n";
}

//! A commitment without a proposal belongs to a residents' round: the round's title for its
//! hold, the project's title for a funded project; else its id.
std::string RoundCommitmentTitle(const PageCall& page, const services::CommitmentView& commitment)
{
    const auto* rounds = page.call.ports.rounds;
    const auto round =
        rounds != nullptr && commitment.round ? rounds->FindRound(*commitment.round) : std::nullopt;
    if (!round) return commitment.proposal.value;
    if (commitment.id == round->opened.hold) return round->opened.title.value;
    for (const auto& project : round->opened.projects.items) {
        if (project.id == commitment.proposal) return project.title.value;
    }
    return commitment.proposal.value;
}

std::string SpendingSection(const PageCall& page, const ledger::Slug& council)
{
    const Language l = page.language;
    const auto& governance = page.call.ports.governance;
    const auto commitments = governance.Commitments(council);
    const auto spendings = governance.Spendings(council);
    std::string html = "<section aria-labelledby=\"spending\">\n<h2 id=\"spending\">" +
                       Escape(Say(SPENDING, l)) + "</h2>\n";
    if (commitments.empty()) html += "<p>" + Escape(Say(phrase::NONE_YET, l)) + "</p>\n";
    for (const auto& commitment : commitments) {
        const auto proposal = governance.FindProposal(council, commitment.proposal);
        // The id is the anchor a round's outcome links a funded project's commitment to.
        html += "<article class=\"commitment\" id=\"commitment-" + Escape(commitment.id.value) +
                "\" data-commitment=\"" + Escape(commitment.id.value) + "\">\n<h3>" +
                Escape(Say(COMMITMENT, l)) + ": " +
                Escape(proposal ? proposal->title.value : RoundCommitmentTitle(page, commitment)) +
                "</h3>\n" + TableWrap(std::string(Say(COMMITMENT, l)) + " " + commitment.id.value) +
                "<table class=\"commitment-totals\">\n<caption>" + Escape(Say(COMMITMENT, l)) +
                " " + Escape(commitment.id.value) + " (" + Escape(Say(REGISTERED_IN, l)) + " #" +
                std::to_string(commitment.created_index.value) + ")</caption>\n<thead><tr>";
        struct Column {
            const Phrase* name;
            ledger::Cents cents;
            std::string_view id;
        };
        std::vector<Column> columns{{&AMOUNT, commitment.amount, "amount"},
                                    {&phrase::SPENT, commitment.spent, "spent"},
                                    {&RELEASED, commitment.released, "released"}};
        // A round's hold shows what its close passed on to the chosen projects' commitments,
        // which have rows of their own: so the row adds up, and nothing reads as held twice.
        if (commitment.round_hold)
            columns.push_back({&ALLOCATED, commitment.allocated, "allocated"});
        columns.push_back({&LEFT, commitment.Left(), "left"});
        std::string cells;
        for (const Column& column : columns) {
            html += "<th scope=\"col\" class=\"amount\">" + Escape(Say(*column.name, l)) + "</th>";
            cells += AmountCell(column.cents, l, column.id);
        }
        html += "</tr></thead>\n<tbody><tr>" + cells + "</tr></tbody>\n</table></div>\n";
        std::string rows;
        for (const auto& spending : spendings) {
            if (spending.commitment != commitment.id) continue;
            const bool reversed = spending.reversed_index.has_value();
            rows += "<tr data-spending=\"" + std::to_string(spending.index.value) + "\"" +
                    (reversed ? " class=\"reversed\" data-reversed=\"true\"" : "") + "><td>" +
                    Escape(FormatDay(spending.paid_on, l)) + "</td><td>" +
                    Escape(spending.payee.value) + "</td>" + AmountCell(spending.amount, l) +
                    "<td>" + EntryLink(spending.index.value);
            if (spending.confirms)
                rows += " (" + Escape(Say(CONFIRMS, l)) + " " +
                        EntryLink(spending.confirms->value) + ")";
            rows += "</td><td>";
            rows += reversed ? Escape(Say(REVERSED_IN, l)) + " " +
                                   EntryLink(spending.reversed_index->value)
                             : Escape(Say(BOOKED, l));
            rows += "</td></tr>\n";
        }
        if (!rows.empty()) {
            html += TableWrap(Say(SPENDING, l)) +
                    "<table class=\"spendings\">\n<thead><tr><th "
                    "scope=\"col\">" +
                    Escape(Say(phrase::DATE, l)) + "</th><th scope=\"col\">" +
                    Escape(Say(phrase::PAYEE, l)) + "</th><th scope=\"col\" class=\"amount\">" +
                    Escape(Say(phrase::AMOUNT, l)) + "</th><th scope=\"col\">" +
                    Escape(Say(phrase::ENTRY, l)) + "</th><th scope=\"col\">" +
                    Escape(Say(phrase::STATUS, l)) + "</th></tr></thead>\n<tbody>\n" + rows +
                    "</tbody>\n</table></div>\n";
        }
        html += "</article>\n";
    }
    return html + "</section>\n";
}

} // namespace

Reply HandleCouncilPage(RouteCall& call)
{
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    const Language l = page->language;
    if (auto behind = SyncProjectionsPage(*page, Section::municipality)) return std::move(*behind);
    const auto& id = call.parameters.front();
    const auto council =
        ledger::SlugRule::Check(id) ? call.ports.registry.Find(ledger::Slug{id}) : std::nullopt;
    if (!council) return NotFoundPage(*page, phrase::COUNCIL_UNKNOWN);
    std::string district_name = council->district.value;
    if (auto districts = call.ports.districts.List()) {
        for (const auto& district : *districts) {
            if (district.slug == council->district) district_name = district.name.value;
        }
    }
    std::string html = "<h1>" + Escape(council->name.value) + "</h1>\n<p class=\"lede\">" +
                       Escape(Say(phrase::DISTRICT, l)) + " " + Escape(district_name) + " · " +
                       Escape(Say(REGISTERED_IN, l)) + " " + EntryLink(council->registered_at) +
                       "</p>\n";
    html += LinesSection(*page, call.ports.governance.Lines(council->id));
    html += ProposalsSection(*page, council->id, call.ports.governance.Proposals(council->id));
    html += DecisionsSection(*page, council->id);
    if (call.ports.rounds != nullptr)
        html += RoundsSection(*page, call.ports.rounds->OfCouncil(council->id), false);
    html += SpendingSection(*page, council->id);
    return PageReply(*page, http::status::ok, Section::municipality, council->name.value, html);
}

} // namespace wijkbudget::api::web
