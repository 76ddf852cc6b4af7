#include "api/web/phrases.hpp"

#include <array>
#include <utility>

namespace wijkbudget::api::web::phrase {
namespace {

//! The phrase at the enumerator's position; the arrays follow WB_ENUM_SPELLING's order.
template <class E, std::size_t N>
Phrase At(const std::array<Phrase, N>& phrases, E value)
{
    static_assert(N == ledger::EnumSpelling<E>::NAMES.size(), "a phrase for every enumerator");
    return phrases[static_cast<std::size_t>(value)];
}

} // namespace

Phrase Of(ledger::BudgetCategory category)
{
    constexpr std::array<Phrase, 4> PHRASES{{{"Openbare ruimte", "Public space"},
                                             {"Sociaal", "Social"},
                                             {"Bewonersinitiatieven", "Residents' initiatives"},
                                             {"Werkkosten", "Operations"}}};
    return At(PHRASES, category);
}

Phrase Of(services::ProposalStatus status)
{
    switch (status) {
    case services::ProposalStatus::open: return {"Ingediend", "Submitted"};
    case services::ProposalStatus::voting: return {"In stemming", "Being voted on"};
    case services::ProposalStatus::withdrawn: return {"Ingetrokken", "Withdrawn"};
    case services::ProposalStatus::approved:
        return {"Aangenomen, niet vastgelegd", "Approved, not committed"};
    case services::ProposalStatus::rejected: return {"Verworpen", "Rejected"};
    case services::ProposalStatus::committed:
        return {"Aangenomen en vastgelegd", "Approved and committed"};
    case services::ProposalStatus::awaiting_cosign:
        return {"Wacht op medeondertekening", "Awaiting co-approval"};
    }
    return {"Onbekend", "Unknown"};
}

Phrase Of(ledger::VoteChoice choice)
{
    constexpr std::array<Phrase, 3> PHRASES{
        {{"Voor", "For"}, {"Tegen", "Against"}, {"Onthouding", "Abstained"}}};
    return At(PHRASES, choice);
}

Phrase Of(ledger::DecisionResult result)
{
    constexpr std::array<Phrase, 2> PHRASES{
        {{"Aangenomen", "Approved"}, {"Verworpen", "Rejected"}}};
    return At(PHRASES, result);
}

Phrase Of(ledger::MajorityRule rule)
{
    constexpr std::array<Phrase, 3> PHRASES{
        {{"gewone meerderheid (meer voor dan tegen)", "simple majority (more for than against)"},
         {"volstrekte meerderheid (meer dan de helft van de zittende leden)",
          "absolute majority (more than half of the seated members)"},
         {"tweederdemeerderheid", "two-thirds majority"}}};
    return At(PHRASES, rule);
}

Phrase Of(ledger::TieRule rule)
{
    constexpr std::array<Phrase, 3> PHRASES{
        {{"bij staking van stemmen verworpen", "a tie rejects"},
         {"bij staking beslist de voorzitter", "the chair breaks a tie"},
         {"bij staking beslist het lot", "a tie is decided by lot"}}};
    return At(PHRASES, rule);
}

Phrase Of(ledger::Seat seat)
{
    constexpr std::array<Phrase, 3> PHRASES{
        {{"lid", "member"}, {"voorzitter", "chair"}, {"penningmeester", "treasurer"}}};
    return At(PHRASES, seat);
}

Phrase Of(ledger::Role role)
{
    constexpr std::array<Phrase, 6> PHRASES{{{"bewoner", "resident"},
                                             {"wijkraadslid", "council member"},
                                             {"penningmeester", "treasurer"},
                                             {"gemeente", "municipality"},
                                             {"accountant", "auditor"},
                                             {"systeem", "system"}}};
    return At(PHRASES, role);
}

Phrase Of(ledger::YearEndRule rule)
{
    constexpr std::array<Phrase, 2> PHRASES{
        {{"restant terug naar de gemeente", "rest returns to the municipality"},
         {"restant naar het volgende jaar", "rest carries over"}}};
    return At(PHRASES, rule);
}

Phrase OfKind(std::string_view kind)
{
    constexpr std::array<std::pair<std::string_view, Phrase>, 25> KINDS{{
        {"council.registered", {"Wijkraad ingeschreven", "Council registered"}},
        {"mandate.started", {"Zetel ingenomen", "Mandate started"}},
        {"mandate.ended", {"Zetel beëindigd", "Mandate ended"}},
        {"bylaws.set", {"Reglement vastgesteld", "Bylaws set"}},
        {"budget.granted", {"Budget toegekend", "Budget granted"}},
        {"proposal.submitted", {"Voorstel ingediend", "Proposal submitted"}},
        {"proposal.amended", {"Voorstel gewijzigd", "Proposal amended"}},
        {"proposal.withdrawn", {"Voorstel ingetrokken", "Proposal withdrawn"}},
        {"vote.opened", {"Stemming geopend", "Vote opened"}},
        {"vote.cast", {"Stem uitgebracht", "Vote cast"}},
        {"vote.closed", {"Besluit", "Decision"}},
        {"vote.recused", {"Lid onthoudt zich wegens belang", "Member recused"}},
        {"approval.cosigned", {"Besluit medeondertekend", "Approval co-signed"}},
        {"commitment.released", {"Verplichting vrijgegeven", "Commitment released"}},
        {"spending.submitted", {"Uitgave ter bevestiging", "Spending awaiting confirmation"}},
        {"spending.withdrawn", {"Uitgave ingetrokken", "Spending withdrawn"}},
        {"spending.recorded", {"Uitgave geboekt", "Spending recorded"}},
        {"spending.reversed", {"Uitgave teruggedraaid", "Spending reversed"}},
        {"round.opened", {"Bewonersstemming geopend", "Residents' round opened"}},
        {"codes.issued", {"Stemcodes uitgegeven", "Voting codes issued"}},
        {"ballot.cast", {"Bewonersstem uitgebracht", "Resident's ballot cast"}},
        {"round.closed", {"Bewonersstemming gesloten", "Residents' round closed"}},
        {"finding.recorded", {"Bevinding van de accountant", "Audit finding"}},
        {"period.closed", {"Boekjaar afgesloten", "Year closed"}},
        {"checkpoint.witnessed", {"Controlepunt medeondertekend", "Checkpoint witnessed"}},
    }};
    for (const auto& [name, phrase] : KINDS) {
        if (name == kind) return phrase;
    }
    return {"Onbekende soort", "Unknown kind"};
}

} // namespace wijkbudget::api::web::phrase
