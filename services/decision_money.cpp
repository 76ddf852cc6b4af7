// DecisionService: co-approval, spending, releases and the year end.
#include "ledger/account.hpp"
#include "services/calendar.hpp"
#include "services/decision_checks.hpp"
#include "services/decisions.hpp"
#include "services/release_destination.hpp"

#include <algorithm>
#include <utility>

namespace wijkbudget::services {
namespace {

using namespace decision_checks;
using ledger::Role;
using EntryResult = boost::system::result<ledger::Entry, ledger::Failure>;

//! A commitment that can still be spent or released.
boost::system::result<CommitmentView, ledger::Failure>
UnresolvedCommitment(const Governance& governance, const ledger::Slug& council,
                     const ledger::Slug& commitment)
{
    auto found = governance.FindCommitment(council, commitment);
    if (!found) return ledger::MakeFailure(ledger::Errc::commitment_unknown, commitment.value);
    if (found->resolved) {
        return ledger::MakeFailure(ledger::Errc::commitment_resolved, commitment.value);
    }
    return *found;
}

/** A commitment spending, its confirmation or a release may draw on: unresolved, and no round's
 *  hold. The ledger's book refuses those postings too, but a submission above the confirmation
 *  limit carries none, and would wait on the ledger for a confirmation the book always refuses. */
boost::system::result<CommitmentView, ledger::Failure>
SpendableCommitment(const Governance& governance, const ledger::Slug& council,
                    const ledger::Slug& commitment)
{
    auto held = UnresolvedCommitment(governance, council, commitment);
    if (held && held->round_hold) {
        return Refusal(Errc::commitment_held_by_round, "commitment " + commitment.value);
    }
    return held;
}

/** Above the bylaws' consult_residents_above (of the version its vote ran under) a decision is
 *  spent only through a residents' round: held on its commitment, the round's close makes the
 *  funded projects' commitments, which are spent. A round's own commitments are consulted. A
 *  release returns money and needs no round. */
boost::system::result<void, ledger::Failure> CheckResidentsConsulted(const Governance& governance,
                                                                     const CommitmentView& held)
{
    if (held.round) return {};
    const auto proposal = governance.FindProposal(held.council, held.proposal);
    const auto vote = proposal && proposal->vote
                          ? governance.FindVote(held.council, *proposal->vote)
                          : std::optional<VoteView>{};
    const auto bylaws =
        vote ? governance.BylawsVersion(held.council, vote->bylaws_version) : std::nullopt;
    if (!bylaws || !bylaws->rules.consult_residents_above ||
        proposal->amount <= *bylaws->rules.consult_residents_above) {
        return {};
    }
    // Spending under way when this rule came (the limit was recorded long before it was read)
    // goes on: none can begin on such a commitment now, so any spending or submission on it
    // began under the old rule.
    const auto spendings = governance.Spendings(held.council);
    const auto submissions = governance.Submissions(held.council);
    const bool under_way =
        std::any_of(
            spendings.begin(), spendings.end(),
            [&held](const SpendingView& spending) { return spending.commitment == held.id; }) ||
        std::any_of(submissions.begin(), submissions.end(), [&held](const SubmissionView& waiting) {
            return waiting.values.commitment == held.id;
        });
    if (under_way) return {};
    return Refusal(Errc::residents_not_consulted,
                   "commitment " + held.id.value + ": above " +
                       std::to_string(bylaws->rules.consult_residents_above->value) +
                       " cents the bylaws ask for a residents' round on it first");
}

//! A submission still waiting: known, neither confirmed nor withdrawn.
boost::system::result<SubmissionView, ledger::Failure>
WaitingSubmission(const Governance& governance, const ledger::Slug& council,
                  const ledger::Slug& submission)
{
    auto found = governance.FindSubmission(council, submission);
    if (!found) return Refusal(Errc::submission_unknown, "spending " + submission.value);
    if (found->confirmed_index) {
        return Refusal(Errc::already_confirmed, "spending " + submission.value);
    }
    if (found->withdrawn_index) {
        return Refusal(Errc::submission_withdrawn, "spending " + submission.value);
    }
    return std::move(*found);
}

//! The spending, with its postings: what it pays leaves the commitment for the line's spent.
ledger::Entry WithSpendingPostings(ledger::Entry entry, const CommitmentView& commitment,
                                   ledger::Cents amount)
{
    entry.postings = ledger::TransferPostings(
        ledger::CommitmentAccount(commitment.council, commitment.id),
        ledger::SpentAccount(commitment.council, commitment.year, commitment.category), amount);
    return entry;
}

} // namespace

DecisionService::Drafted DecisionService::Cosign(const Principal& principal,
                                                 const ledger::Slug& council,
                                                 const ledger::Slug& proposal)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    return DraftMaker{[this, principal, council, proposal]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        const auto found = m_governance.FindProposal(council, proposal);
        if (!found) return Refusal(Errc::proposal_unknown, "proposal " + proposal.value);
        if (found->status != ProposalStatus::awaiting_cosign || !found->vote) {
            return Refusal(Errc::cosign_not_required,
                           "status " + std::string(SpellingOf(found->status)));
        }
        if (m_governance.IsPeriodClosed(council, found->year)) {
            return ledger::MakeFailure(ledger::Errc::period_closed, "year");
        }
        const auto line = m_governance.FindLine(council, found->year, found->category);
        const auto line_name = ledger::LineAccount(council, found->year, found->category);
        if (!line || line->totals.available < found->amount) {
            return ledger::MakeFailure(ledger::Errc::exceeds_budget_line,
                                       ledger::AccountName(line_name));
        }
        ledger::Entry entry =
            Draft(principal, council, at,
                  ledger::ApprovalCosigned{proposal, *found->vote, proposal, found->amount});
        entry.postings = ledger::TransferPostings(
            line_name, ledger::CommitmentAccount(council, proposal), found->amount);
        return entry;
    }};
}

DecisionService::Drafted DecisionService::RecordSpending(const Principal& principal,
                                                         const ledger::Slug& council,
                                                         const ledger::Slug& commitment,
                                                         SpendingRequest request)
{
    if (auto allowed = RequireCouncilRole(principal, council, {Role::treasurer}); !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, commitment,
                       request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckTreasurer(principal, council, at); !actor) return actor.error();
        auto held = SpendableCommitment(m_governance, council, commitment);
        if (!held) return held.error();
        if (auto consulted = CheckResidentsConsulted(m_governance, *held); !consulted) {
            return consulted.error();
        }
        // The ledger states what was paid: a payment still to come is a commitment's money, not
        // yet a spending.
        if (request.paid_on > DateOf(at)) return Refusal(Errc::paid_on_in_future, "paid_on");
        if (request.amount > held->Left()) {
            return ledger::MakeFailure(ledger::Errc::spending_exceeds_commitment, "amount_cents");
        }
        const auto bylaws = m_governance.BylawsInForce(council);
        if (!bylaws) return Refusal(Errc::bylaws_missing, "council " + council.value);
        if (request.amount <= bylaws->rules.confirm_spending_above) {
            return WithSpendingPostings(
                Draft(principal, council, at,
                      ledger::SpendingRecorded{commitment, request.amount, request.paid_on,
                                               request.payee, request.invoice, request.description,
                                               std::nullopt}),
                *held, request.amount);
        }
        if (m_governance.FindSubmission(council, request.id)) {
            return Refusal(Errc::submission_exists, "id " + request.id.value);
        }
        return Draft(principal, council, at,
                     ledger::SpendingSubmitted{request.id, commitment, request.amount,
                                               request.paid_on, request.payee, request.invoice,
                                               request.description});
    }};
}

DecisionService::Drafted DecisionService::ConfirmSpending(const Principal& principal,
                                                          const ledger::Slug& council,
                                                          const ledger::Slug& submission)
{
    if (auto allowed =
            RequireCouncilRole(principal, council, {Role::council_member, Role::treasurer});
        !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, submission]() -> EntryResult {
        const ledger::Timestamp at = Now();
        // A treasurer's login confirms as the treasurer (the entry names the role), so only
        // while its member holds that seat.
        if (auto actor = CheckTreasurer(principal, council, at); !actor) return actor.error();
        const auto found = WaitingSubmission(m_governance, council, submission);
        if (!found) return found.error();
        if (found->submitter == principal.member) {
            return Refusal(Errc::confirmation_by_submitter, "member " + principal.member.value);
        }
        const auto& values = found->values;
        // What is left may have changed since the submission: check it again.
        auto held = SpendableCommitment(m_governance, council, values.commitment);
        if (!held) return held.error();
        if (auto consulted = CheckResidentsConsulted(m_governance, *held); !consulted) {
            return consulted.error();
        }
        // Dated when it was submitted, so never after today since this rule; a submission recorded
        // before it could carry a later date.
        if (values.paid_on > DateOf(at)) return Refusal(Errc::paid_on_in_future, "paid_on");
        if (values.amount > held->Left()) {
            return ledger::MakeFailure(ledger::Errc::spending_exceeds_commitment, "amount_cents");
        }
        return WithSpendingPostings(
            Draft(principal, council, at,
                  ledger::SpendingRecorded{values.commitment, values.amount, values.paid_on,
                                           values.payee, values.invoice, values.description,
                                           found->index}),
            *held, values.amount);
    }};
}

DecisionService::Drafted DecisionService::WithdrawSpending(const Principal& principal,
                                                           const ledger::Slug& council,
                                                           const ledger::Slug& submission,
                                                           Reasoned request)
{
    if (auto allowed = RequireCouncilRole(principal, council, {Role::treasurer}); !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, submission,
                       request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckTreasurer(principal, council, at); !actor) return actor.error();
        const auto found = WaitingSubmission(m_governance, council, submission);
        if (!found) return found.error();
        return Draft(principal, council, at, ledger::SpendingWithdrawn{submission, request.reason});
    }};
}

DecisionService::Drafted DecisionService::ReverseSpending(const Principal& principal,
                                                          const ledger::Slug& council,
                                                          ledger::LeafIndex spending,
                                                          Reasoned request)
{
    if (auto allowed = RequireCouncilRole(principal, council, {Role::treasurer}); !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, spending,
                       request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckTreasurer(principal, council, at); !actor) return actor.error();
        const auto found = m_governance.FindSpending(spending);
        if (!found || found->council != council) {
            return ledger::MakeFailure(ledger::Errc::spending_unknown, "spending_index");
        }
        if (found->reversed_index) {
            return ledger::MakeFailure(ledger::Errc::spending_already_reversed, "spending_index");
        }
        auto held = UnresolvedCommitment(m_governance, council, found->commitment);
        if (!held) return held.error();
        ledger::Entry entry =
            Draft(principal, council, at, ledger::SpendingReversed{spending, request.reason});
        entry.postings =
            ledger::TransferPostings(ledger::SpentAccount(council, held->year, held->category),
                                     ledger::CommitmentAccount(council, held->id), found->amount);
        return entry;
    }};
}

DecisionService::Drafted DecisionService::ReleaseCommitment(const Principal& principal,
                                                            const ledger::Slug& council,
                                                            const ledger::Slug& commitment,
                                                            Reasoned request)
{
    if (auto allowed = RequireMunicipalityOrCouncilRole(principal, council, {Role::treasurer});
        !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, commitment,
                       request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckTreasurer(principal, council, at); !actor) return actor.error();
        auto held = SpendableCommitment(m_governance, council, commitment);
        if (!held) return held.error();
        const ledger::Cents left = held->Left();
        // An entry's amount is at least one cent: a spent-out commitment has nothing to return.
        if (left.value == 0) {
            return Refusal(Errc::nothing_to_release, "commitment " + commitment.value);
        }
        ledger::Entry entry = Draft(principal, council, at,
                                    ledger::CommitmentReleased{commitment, left, request.reason});
        entry.postings = ledger::TransferPostings(ledger::CommitmentAccount(council, commitment),
                                                  ReleaseDestination(m_governance, *held), left);
        return entry;
    }};
}

DecisionService::Drafted DecisionService::ClosePeriod(const Principal& principal,
                                                      const ledger::Slug& council,
                                                      ledger::Year year)
{
    if (auto allowed = RequireMunicipalityOrAuditor(principal); !allowed) return allowed.error();
    return DraftMaker{[this, principal, council, year]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        if (m_governance.IsPeriodClosed(council, year)) {
            return ledger::MakeFailure(ledger::Errc::period_closed, "year");
        }
        std::vector<ledger::Posting> postings;
        const auto lines = m_governance.Lines(council);
        const bool has_line = std::any_of(lines.begin(), lines.end(),
                                          [year](const auto& line) { return line.year == year; });
        if (!has_line) return Refusal(Errc::year_unknown, "year " + std::to_string(year.value));
        // In order: an earlier year closed later would carry over into this year, closed by then,
        // which the book refuses; that year could then never be closed. Years already left behind
        // a closed year (a ledger written before this rule) cannot be helped and hold up nothing.
        std::int32_t closed_before = ledger::YEAR_MIN - 1;
        for (const ledger::Year closed : m_governance.ClosedPeriods(council)) {
            if (closed.value < year.value) closed_before = std::max(closed_before, closed.value);
        }
        for (const auto& line : lines) {
            if (line.year.value > closed_before && line.year.value < year.value &&
                !m_governance.IsPeriodClosed(council, line.year)) {
                return Refusal(Errc::earlier_year_open, "year " + std::to_string(line.year.value));
            }
        }
        // Closing sends the lines' unspent money away for good: not while the councils may still
        // spend it, until the last day of the year in the Netherlands.
        if (YearOf(DateOf(at)).value <= year.value) {
            return Refusal(Errc::year_not_over, "year " + std::to_string(year.value));
        }
        for (const auto& line : lines) {
            if (line.year != year) continue;
            if (line.totals.available.value == 0) continue;
            const auto to =
                line.at_year_end == ledger::YearEndRule::returns
                    ? ledger::PoolAccount()
                    : ledger::LineAccount(council, ledger::Year{year.value + 1}, line.category);
            auto transfer = ledger::TransferPostings(
                ledger::LineAccount(council, year, line.category), to, line.totals.available);
            postings.insert(postings.end(), transfer.begin(), transfer.end());
        }
        // Open commitments carry over: their money stays held, so they post nothing here.
        ledger::Entry entry = Draft(principal, council, at, ledger::PeriodClosed{year});
        entry.postings = std::move(postings);
        return entry;
    }};
}

} // namespace wijkbudget::services
