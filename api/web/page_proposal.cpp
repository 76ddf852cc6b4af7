// api/web/page_proposal.cpp: GET /councils/{id}/proposals/{proposal} — a proposal's life from
// submission to its last spending, each step linked to its ledger entry.
#include "api/web/entry_summary.hpp"
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"

#include <algorithm>
#include <set>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase PROPOSAL_UNKNOWN{"Deze wijkraad heeft geen voorstel met dit adres.",
                                  "This council has no proposal at this address."};
constexpr Phrase LINE{"Budgetregel", "Budget line"};
constexpr Phrase SUBMITTER{"Ingediend door", "Submitted by"};
constexpr Phrase BENEFICIARY{"Ontvanger", "Beneficiary"};
constexpr Phrase DESCRIPTION{"Toelichting", "Description"};
constexpr Phrase LIFE{"Verloop", "History"};
constexpr Phrase LIFE_NOTE{
    "Elke stap is een registratie in het openbare grootboek; de link toont haar en haar bewijs.",
    "Each step is an entry in the public ledger; the link shows it and its proof."};
constexpr Phrase COMMITMENT{"Verplichting", "Commitment"};
constexpr Phrase BACK_TO_COUNCIL{"Terug naar de wijkraad", "Back to the council"};
constexpr Phrase WHEN{"Wanneer", "When"};
constexpr Phrase STEP{"Stap", "Step"};
constexpr Phrase DETAILS{"Inhoud", "Details"};

} // namespace

Reply HandleProposalPage(RouteCall& call)
{
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    const Language l = page->language;
    if (auto behind = SyncProjectionsPage(*page, Section::municipality)) return std::move(*behind);
    const auto& council_id = call.parameters.at(0);
    const auto& proposal_id = call.parameters.at(1);
    const auto council = ledger::SlugRule::Check(council_id)
                             ? call.ports.registry.Find(ledger::Slug{council_id})
                             : std::nullopt;
    if (!council) return NotFoundPage(*page, phrase::COUNCIL_UNKNOWN);
    const auto& governance = call.ports.governance;
    const auto proposal = ledger::SlugRule::Check(proposal_id)
                              ? governance.FindProposal(council->id, ledger::Slug{proposal_id})
                              : std::nullopt;
    if (!proposal) return NotFoundPage(*page, PROPOSAL_UNKNOWN);

    // Every entry of its life, in ledger order.
    std::set<std::uint64_t> steps{proposal->life.submitted.value};
    for (const auto& amended : proposal->life.amended)
        steps.insert(amended.value);
    for (const auto& step :
         {proposal->life.withdrawn, proposal->life.vote_opened, proposal->life.vote_closed,
          proposal->life.cosigned, proposal->life.released}) {
        if (step) steps.insert(step->value);
    }
    if (proposal->vote) {
        if (const auto vote = governance.FindVote(council->id, *proposal->vote)) {
            for (const auto& ballot : vote->ballots)
                steps.insert(ballot.index.value);
        }
    }
    if (proposal->commitment) {
        for (const auto& spending : governance.Spendings(council->id)) {
            if (spending.commitment != *proposal->commitment) continue;
            steps.insert(spending.index.value);
            if (spending.confirms) steps.insert(spending.confirms->value);
            if (spending.reversed_index) steps.insert(spending.reversed_index->value);
        }
    }

    std::string html =
        "<p class=\"breadcrumb\"><a href=\"/councils/" + Escape(council->id.value) + "\">" +
        Escape(council->name.value) + "</a></p>\n<h1>" + Escape(proposal->title.value) +
        "</h1>\n<dl class=\"facts\">\n<dt>" + Escape(Say(phrase::STATUS, l)) +
        "</dt><dd data-status=\"" + std::string(services::SpellingOf(proposal->status)) + "\">" +
        Escape(Say(phrase::Of(proposal->status), l)) + "</dd>\n<dt>" +
        Escape(Say(phrase::AMOUNT, l)) + "</dt><dd class=\"amount\" data-cents=\"" +
        std::to_string(proposal->amount.value) + "\">" + Escape(FormatAmount(proposal->amount, l)) +
        "</dd>\n<dt>" + Escape(Say(LINE, l)) + "</dt><dd>" + std::to_string(proposal->year.value) +
        " · " + Escape(Say(phrase::Of(proposal->category), l)) + "</dd>\n<dt>" +
        Escape(Say(SUBMITTER, l)) + "</dt><dd>" + Escape(proposal->submitter.value) + "</dd>\n";
    if (proposal->beneficiary)
        html += "<dt>" + Escape(Say(BENEFICIARY, l)) + "</dt><dd>" +
                Escape(proposal->beneficiary->value) + "</dd>\n";
    if (proposal->commitment)
        html += "<dt>" + Escape(Say(COMMITMENT, l)) + "</dt><dd>" +
                Escape(proposal->commitment->value) + "</dd>\n";
    html += "</dl>\n<h2>" + Escape(Say(DESCRIPTION, l)) + "</h2>\n<p class=\"description\">" +
            Escape(proposal->description.value) + "</p>\n";
    html += "<section aria-labelledby=\"life\">\n<h2 id=\"life\">" + Escape(Say(LIFE, l)) +
            "</h2>\n<p class=\"note\">" + Escape(Say(LIFE_NOTE, l)) + " " +
            Escape(Say(phrase::TIMES_IN_DUTCH_TIME, l)) + "</p>\n" + TableWrap(Say(LIFE, l)) +
            "<table id=\"proposal-life\">\n<thead><tr><th "
            "scope=\"col\">" +
            Escape(Say(phrase::ENTRY, l)) + "</th><th scope=\"col\">" + Escape(Say(WHEN, l)) +
            "</th><th scope=\"col\">" + Escape(Say(STEP, l)) + "</th><th scope=\"col\">" +
            Escape(Say(DETAILS, l)) + "</th></tr></thead>\n<tbody>\n";
    // The projections run ahead of the commit (the sequencer feeds them as it seals): a step
    // beyond the committed ledger is not shown yet, rather than taken for a store that failed.
    const auto head = call.ports.entries.Head();
    if (!head) return StorageDownPage(*page, Section::municipality, proposal->title.value);
    for (const auto index : steps) {
        if (index >= head->size) continue;
        const auto read = ReadStoredEntry(call, index);
        // A step left out would make the proposal's history look whole when it is not.
        if (!read) return StorageDownPage(*page, Section::municipality, proposal->title.value);
        const auto& stored = *read;
        if (!stored) {
            html += "<tr data-index=\"" + std::to_string(index) + "\"><td>" + EntryLink(index) +
                    "</td><td colspan=\"3\">" + Escape(Say(phrase::ENTRY_UNREADABLE, l)) +
                    "</td></tr>\n";
            continue;
        }
        const std::string kind{ledger::KindOf(stored->entry)};
        html += "<tr data-index=\"" + std::to_string(index) + "\" data-kind=\"" + Escape(kind) +
                "\"><td>" + EntryLink(index) + "</td><td>" +
                Escape(FormatMoment(stored->entry.recorded_at, l)) + "</td><td>" +
                Escape(Say(phrase::OfKind(kind), l)) + "</td><td>" +
                Escape(Summarize(stored->entry, l)) + "</td></tr>\n";
    }
    html += "</tbody>\n</table></div>\n</section>\n<p><a href=\"/councils/" +
            Escape(council->id.value) + "\">" + Escape(Say(BACK_TO_COUNCIL, l)) + "</a></p>\n";
    return PageReply(*page, http::status::ok, Section::municipality, proposal->title.value, html);
}

} // namespace wijkbudget::api::web
