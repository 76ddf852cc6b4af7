#pragma once
// services/decisions.hpp: council decisions with democratic legitimacy (issue 4, DESIGN.md
// section 5): mandates, bylaws, proposals, roll-call votes, commitments, spending, year end.
//
// Like CouncilService, each use case checks the caller's role and council at once (a member acts
// only within their own council; the municipality for all), and returns the DraftMaker the
// sequencer runs under its lock: everything that depends on the ledger (mandates, the state of a
// proposal or vote, balances) is decided there, against the Governance projection as it stands
// just before the entry. Entries are dated max(now, the ledger's last entry); "today", for
// mandates, is that moment's day in the Netherlands (services/calendar.hpp).
//
// Rules beyond the ledger's own, with their codes (services/errc.hpp):
//   - A member acting for a council holds a mandate valid today (mandate_invalid); closing a
//     vote does not need one, since it only records what the roll-call already holds.
//   - A vote opens only under bylaws (bylaws_missing) whose tie rule is supported, with at least
//     COUNCIL_MEMBERS_MIN seated members (too_few_members), and a deadline in the future within
//     the bylaws' longest voting period. Its electorate is everyone seated at opening.
//   - The decision is DecideRollCall (services/decision_rule.hpp) under the bylaws version the
//     vote opened with; the chair is whoever held the chair seat on the opening day, as the
//     ledger stood when the vote opened (Governance::ChairWhenOpened).
//   - A mandate's start or end may be dated in the past (a resignation reported late): a vote
//     already opened keeps the electorate it recorded and the chair it had, as the ledger stood
//     when it opened; the later entry shows the correction.
//   - An approval at or below the bylaws' co-approval limit holds the amount on its line at once,
//     or, when the line is short, records commitment_refused = "exceeds_budget_line"; above the
//     limit it waits for the municipality's co-approval (Cosign).
//   - Spending above the confirmation limit waits for a second member; pending submissions do
//     not hold money (a forgotten one must not block the commitment): the confirmation checks
//     again what is left. A treasurer may withdraw a submission nobody confirmed yet (a wrong
//     amount, an invoice paid otherwise), so that it can no longer be confirmed.
//   - Open commitments carry over the year end: they may still be spent (on their own year's
//     spent account) and released. A release goes where the line's own year end went (the
//     book's rule, Book::ReleaseDestination): back to the commitment's line while its year is
//     open; once closed, to the same category's line of the next year when the line's grants
//     said carry_over, else to the municipality's pool. When that next year is closed too, its
//     line's rule is followed in turn, so a carried-over line keeps carrying and a returning
//     one ends in the pool.
//   - Years close in order (earlier_year_open): an earlier year closed later would carry over
//     into a closed year, which the book refuses. A year closes only once it has ended in the
//     Netherlands (year_not_over): until its last day the councils may spend its lines. Spending,
//     confirming or releasing a round's hold is refused (commitment_held_by_round): only the
//     round's close spends it.
//   - Above the bylaws' consult_residents_above (the version the vote ran under), an approved
//     proposal's commitment is spent only through a residents' round held on it
//     (residents_not_consulted); a release needs none.

#include "ledger/append.hpp"
#include "ledger/entry.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/councils.hpp"
#include "services/decision_requests.hpp"
#include "services/governance.hpp"
#include "services/principal.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <functional>

namespace wijkbudget::services {

//! A council needs at least this many seated members to decide anything (issue 4).
inline constexpr std::size_t COUNCIL_MEMBERS_MIN{3};

class DecisionService
{
public:
    using Drafted = boost::system::result<DraftMaker, ledger::Failure>;

    DecisionService(const CouncilRegistry& registry, const Governance& governance, Clock& clock)
        : m_registry{registry}, m_governance{governance}, m_clock{clock}
    {}

    // ---- Mandates and bylaws. ----
    //! Municipality. mandate_exists, seat_taken (chair and treasurer are one member at a time).
    Drafted StartMandate(const Principal& principal, const ledger::Slug& council,
                         MandateStart request);
    //! Municipality. member_unknown; mandate_invalid when no mandate is left to end.
    Drafted EndMandate(const Principal& principal, const ledger::Slug& council,
                       const ledger::Slug& member, const MandateEnd& request);
    //! Municipality only (DESIGN.md section 1): the bylaws guard the council's money from the
    //! council itself.
    //! tie_rule_unsupported for `lot`. The version is the one in force + 1.
    Drafted SetBylaws(const Principal& principal, const ledger::Slug& council,
                      BylawsChange request);

    // ---- Proposals. ----
    //! A seated member. proposal_exists; period_closed for a closed year.
    Drafted SubmitProposal(const Principal& principal, const ledger::Slug& council,
                           ProposalSubmission request);
    //! The submitter, while the proposal is open (proposal_not_open, not_submitter).
    Drafted AmendProposal(const Principal& principal, const ledger::Slug& council,
                          const ledger::Slug& proposal, ProposalAmendment request);
    Drafted WithdrawProposal(const Principal& principal, const ledger::Slug& council,
                             const ledger::Slug& proposal, Reasoned request);

    // ---- Roll-call votes. ----
    //! The proposal's submitter or the council's chair (not_submitter otherwise); period_closed
    //! when the proposal's year closed since.
    Drafted OpenVote(const Principal& principal, const ledger::Slug& council, VoteOpening request);
    //! not_in_electorate, recused, already_voted, vote_closed, mandate_invalid.
    Drafted CastVote(const Principal& principal, const ledger::Slug& council,
                     const ledger::Slug& vote, Ballot request);
    //! The caller declares a conflict of interest: before voting, while the vote is open.
    Drafted Recuse(const Principal& principal, const ledger::Slug& council,
                   const ledger::Slug& vote, Reasoned request);
    //! The opener once no member still seated is left to vote or recuse; any member of the
    //! council, or the system, after the deadline (vote_still_open otherwise). Records the
    //! decision and, where it may, the commitment.
    Drafted CloseVote(const Principal& principal, const ledger::Slug& council,
                      const ledger::Slug& vote);

    // ---- Money. ----
    //! Municipality, for a proposal awaiting co-approval (cosign_not_required); fails with
    //! exceeds_budget_line, writing nothing, when the line is short.
    Drafted Cosign(const Principal& principal, const ledger::Slug& council,
                   const ledger::Slug& proposal);
    //! The council's seated treasurer. Records at once at or below the bylaws' confirmation
    //! limit, else submits for confirmation. spending_exceeds_commitment, commitment_resolved,
    //! paid_on_in_future (paid_on after today, Dutch time).
    Drafted RecordSpending(const Principal& principal, const ledger::Slug& council,
                           const ledger::Slug& commitment, SpendingRequest request);
    //! A seated member or treasurer other than the submitter (confirmation_by_submitter), while
    //! the submission stands (already_confirmed, submission_withdrawn).
    Drafted ConfirmSpending(const Principal& principal, const ledger::Slug& council,
                            const ledger::Slug& submission);
    //! The council's seated treasurer, any of them, while nobody confirmed it (already_confirmed;
    //! submission_withdrawn for a second withdrawal).
    Drafted WithdrawSpending(const Principal& principal, const ledger::Slug& council,
                             const ledger::Slug& submission, Reasoned request);
    //! The council's seated treasurer; once (spending_already_reversed).
    Drafted ReverseSpending(const Principal& principal, const ledger::Slug& council,
                            ledger::LeafIndex spending, Reasoned request);
    //! The treasurer or the municipality: what is left returns to the line and the commitment
    //! is resolved; after the line's year closed, it goes where the line's year end went (see
    //! above). nothing_to_release.
    Drafted ReleaseCommitment(const Principal& principal, const ledger::Slug& council,
                              const ledger::Slug& commitment, Reasoned request);
    //! Municipality or auditor: every line of the year with a balance returns to the pool or
    //! carries over to next year's line, as its grants said; open commitments carry over.
    //! year_unknown, year_not_over (before 1 January of the next year, Dutch time).
    Drafted ClosePeriod(const Principal& principal, const ledger::Slug& council, ledger::Year year);

private:
    //! The moment a draft is dated: now, but never before the ledger's last entry.
    [[nodiscard]] ledger::Timestamp Now() const;
    [[nodiscard]] static ledger::Entry Draft(const Principal& principal,
                                             const ledger::Slug& council, ledger::Timestamp at,
                                             ledger::Payload payload);
    //! council_unknown, then (for council roles) mandate_invalid unless seated on `at`'s day.
    [[nodiscard]] boost::system::result<void, ledger::Failure>
    CheckActor(const Principal& principal, const ledger::Slug& council, ledger::Timestamp at) const;
    /** CheckActor, and for a caller acting as treasurer the treasurer's seat that day: the role
     * is the login's, fixed when its account was made, while the seat moves with the mandates. */
    [[nodiscard]] boost::system::result<void, ledger::Failure>
    CheckTreasurer(const Principal& principal, const ledger::Slug& council,
                   ledger::Timestamp at) const;
    /** What casting and recusing share: the council exists, the vote is open, the caller is in
     *  its electorate, not recused and has not voted, and holds a mandate now; then the entry
     *  whose payload `payload` makes. */
    Drafted ActInOpenVote(const Principal& principal, const ledger::Slug& council,
                          const ledger::Slug& vote, std::function<ledger::Payload()> payload);
    //! The decision of a vote, with its commitment or the reason it has none.
    [[nodiscard]] boost::system::result<ledger::Entry, ledger::Failure>
    Decide(const Principal& principal, const VoteView& vote, ledger::Timestamp at) const;

    const CouncilRegistry& m_registry;
    const Governance& m_governance;
    Clock& m_clock;
};

} // namespace wijkbudget::services
