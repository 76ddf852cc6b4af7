// DecisionService: shared steps, mandates, bylaws and proposals.
#include "services/decisions.hpp"

#include "services/calendar.hpp"
#include "services/decision_checks.hpp"

#include <algorithm>
#include <utility>

namespace wijkbudget::services {
namespace {

using namespace decision_checks;
using ledger::Role;
using EntryResult = boost::system::result<ledger::Entry, ledger::Failure>;

//! The last day a mandate seats its member: the day before it ended, or its term's end.
ledger::Date LastSeatedDay(const MandateView& mandate)
{
    if (mandate.ended_on && *mandate.ended_on <= mandate.until) {
        return ledger::Date{mandate.ended_on->days - 1};
    }
    return mandate.until;
}

bool Overlaps(const MandateView& mandate, ledger::Date from, ledger::Date until)
{
    return mandate.from <= until && from <= LastSeatedDay(mandate);
}

//! Seats held by one member at a time.
bool IsSingleSeat(ledger::Seat seat)
{
    return seat == ledger::Seat::chair || seat == ledger::Seat::treasurer;
}

} // namespace

ledger::Timestamp DecisionService::Now() const
{
    return std::max({m_clock.Now(), m_registry.LastRecordedAt(), m_governance.LastRecordedAt()});
}

ledger::Entry DecisionService::Draft(const Principal& principal, const ledger::Slug& council,
                                     ledger::Timestamp at, ledger::Payload payload)
{
    ledger::Entry entry;
    entry.actor = {principal.role, principal.member};
    entry.recorded_at = at;
    entry.council = council;
    entry.payload = std::move(payload);
    return entry;
}

boost::system::result<void, ledger::Failure>
DecisionService::CheckActor(const Principal& principal, const ledger::Slug& council,
                            ledger::Timestamp at) const
{
    if (!m_registry.Contains(council)) {
        return Refusal(Errc::council_unknown, "council " + council.value);
    }
    const bool council_role =
        principal.role == Role::council_member || principal.role == Role::treasurer;
    if (council_role && !m_governance.IsSeated(council, principal.member, DateOf(at))) {
        return Refusal(Errc::mandate_invalid, "member " + principal.member.value);
    }
    return {};
}

boost::system::result<void, ledger::Failure>
DecisionService::CheckTreasurer(const Principal& principal, const ledger::Slug& council,
                                ledger::Timestamp at) const
{
    if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
    if (principal.role == Role::treasurer &&
        !m_governance.HoldsSeat(council, principal.member, ledger::Seat::treasurer, DateOf(at))) {
        return Refusal(Errc::mandate_invalid,
                       "member " + principal.member.value + " does not hold the treasurer's seat");
    }
    return {};
}

// ---- Mandates and bylaws. ----

DecisionService::Drafted DecisionService::StartMandate(const Principal& principal,
                                                       const ledger::Slug& council,
                                                       MandateStart request)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    // The ledger refuses such a term too, but only when the entry is sealed: the API keeps the
    // member's name once this draft is made (HandleStartMandate). The body alone shows it, so it
    // is refused before the draft: like any malformed body, it leaves its Idempotency-Key free.
    if (request.until < request.from)
        return ledger::MakeFailure(ledger::Errc::field_invalid, "until");
    return DraftMaker{[this, principal, council, request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        for (const auto& mandate : m_governance.Mandates(council)) {
            if (!Overlaps(mandate, request.from, request.until)) continue;
            if (mandate.member == request.member) {
                return Refusal(Errc::mandate_exists, "member " + request.member.value);
            }
            if (IsSingleSeat(request.seat) && mandate.seat == request.seat) {
                return Refusal(Errc::seat_taken,
                               "seat " + std::string(ledger::SpellingOf(request.seat)));
            }
        }
        return Draft(
            principal, council, at,
            ledger::MandateStarted{request.member, request.seat, request.from, request.until});
    }};
}

DecisionService::Drafted DecisionService::EndMandate(const Principal& principal,
                                                     const ledger::Slug& council,
                                                     const ledger::Slug& member,
                                                     const MandateEnd& request)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    return DraftMaker{[this, principal, council, member, request]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        if (!m_governance.EverSeated(council, member)) {
            return Refusal(Errc::member_unknown, "member " + member.value);
        }
        auto mandates = m_governance.Mandates(council);
        const MandateView* open = MandateToEnd(mandates, member, request.on);
        if (open == nullptr) return Refusal(Errc::mandate_invalid, "member " + member.value);
        // Ending a term before it began would leave a mandate that never seated anyone.
        if (request.on < open->from) return ledger::MakeFailure(ledger::Errc::field_invalid, "on");
        // A backdated end is taken as it comes: a vote already opened keeps the electorate it
        // recorded and the chair it had (Governance::ChairWhenOpened), judged by the ledger as
        // it stood then; the later entry shows the correction, and an auditor may record a finding.
        return Draft(principal, council, at,
                     ledger::MandateEnded{member, request.on, request.reason});
    }};
}

DecisionService::Drafted DecisionService::SetBylaws(const Principal& principal,
                                                    const ledger::Slug& council,
                                                    BylawsChange request)
{
    // The municipality sets each council's bylaws (DESIGN.md section 1): they hold the limits
    // that guard the council's money from the council itself (the co-approval and confirmation
    // amounts) and the quorum. Were a single member able to set them, one member could lower the
    // quorum, raise the limits and approve a commitment alone. A council's wish for new rules
    // reaches the ledger through the municipality. (The ledger's entry rules still accept a
    // member's bylaws.set, so ledgers written before this check still verify.)
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    if (request.tie_rule == ledger::TieRule::lot) {
        return Refusal(Errc::tie_rule_unsupported, "tie_rule");
    }
    return DraftMaker{[this, principal, council, request]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        const auto in_force = m_governance.BylawsInForce(council);
        ledger::BylawsSet bylaws;
        bylaws.version = in_force ? in_force->rules.version + 1 : 1;
        bylaws.quorum_percent = request.quorum_percent;
        bylaws.majority = request.majority;
        bylaws.tie_rule = request.tie_rule;
        bylaws.cosign_above = request.cosign_above;
        bylaws.confirm_spending_above = request.confirm_spending_above;
        bylaws.consult_residents_above = request.consult_residents_above;
        bylaws.voting_period_days_max = request.voting_period_days_max;
        bylaws.voting_period_hours_min = request.voting_period_hours_min;
        return Draft(principal, council, at, bylaws);
    }};
}

// ---- Proposals. ----

DecisionService::Drafted DecisionService::SubmitProposal(const Principal& principal,
                                                         const ledger::Slug& council,
                                                         ProposalSubmission request)
{
    if (auto allowed =
            RequireCouncilRole(principal, council, {Role::council_member, Role::treasurer});
        !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        if (m_governance.FindProposal(council, request.id)) {
            return Refusal(Errc::proposal_exists, "id " + request.id.value);
        }
        // Its commitment would bear its id: a name a round has taken would be refused then.
        if (m_governance.IsCommitmentNameTaken(council, request.id)) {
            return ledger::MakeFailure(ledger::Errc::commitment_exists,
                                       "id " + request.id.value + " names a round's commitment");
        }
        if (m_governance.IsPeriodClosed(council, request.year)) {
            return ledger::MakeFailure(ledger::Errc::period_closed, "year");
        }
        return Draft(principal, council, at,
                     ledger::ProposalSubmitted{request.id, request.title, request.description,
                                               request.amount, request.year, request.category,
                                               request.beneficiary, request.attachments});
    }};
}

namespace {

//! The proposal, if the caller submitted it and it is still open.
boost::system::result<ProposalView, ledger::Failure> OpenProposalOf(const Governance& governance,
                                                                    const Principal& principal,
                                                                    const ledger::Slug& council,
                                                                    const ledger::Slug& proposal)
{
    auto found = governance.FindProposal(council, proposal);
    if (!found) return Refusal(Errc::proposal_unknown, "proposal " + proposal.value);
    if (found->submitter != principal.member) {
        return Refusal(Errc::not_submitter, "proposal " + proposal.value);
    }
    if (found->status != ProposalStatus::open) {
        return Refusal(Errc::proposal_not_open, "status " + std::string(SpellingOf(found->status)));
    }
    return *found;
}

} // namespace

DecisionService::Drafted DecisionService::AmendProposal(const Principal& principal,
                                                        const ledger::Slug& council,
                                                        const ledger::Slug& proposal,
                                                        ProposalAmendment request)
{
    if (auto allowed =
            RequireCouncilRole(principal, council, {Role::council_member, Role::treasurer});
        !allowed) {
        return allowed.error();
    }
    return DraftMaker{
        [this, principal, council, proposal, request = std::move(request)]() -> EntryResult {
            const ledger::Timestamp at = Now();
            if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
            auto open = OpenProposalOf(m_governance, principal, council, proposal);
            if (!open) return open.error();
            // As a new proposal would be: no vote can open on it any more (OpenVote).
            if (m_governance.IsPeriodClosed(council, open->year)) {
                return ledger::MakeFailure(ledger::Errc::period_closed, "year");
            }
            return Draft(principal, council, at,
                         ledger::ProposalAmended{proposal, request.title, request.description,
                                                 request.amount, request.beneficiary,
                                                 request.attachments});
        }};
}

DecisionService::Drafted DecisionService::WithdrawProposal(const Principal& principal,
                                                           const ledger::Slug& council,
                                                           const ledger::Slug& proposal,
                                                           Reasoned request)
{
    if (auto allowed =
            RequireCouncilRole(principal, council, {Role::council_member, Role::treasurer});
        !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, proposal,
                       request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        if (auto open = OpenProposalOf(m_governance, principal, council, proposal); !open) {
            return open.error();
        }
        return Draft(principal, council, at, ledger::ProposalWithdrawn{proposal, request.reason});
    }};
}

} // namespace wijkbudget::services
