#pragma once
// services/governance.hpp: a council's decisions as the ledger says: mandates, bylaws,
// proposals, roll-call votes, commitments, spending, closed years and budget lines.
//
// A projection like CouncilRegistry (STYLE.md section 11): it holds nothing the ledger does not,
// and is rebuilt by replaying the ledger. The sequencer feeds it every entry once, in order, on
// its thread; request threads read under a shared lock and get copies. Draft makers read it under
// the sequencer's lock, so what they see is the ledger their entry will follow.
//
// Budget lines keep a history: the totals after every entry that touched them, so the lines as
// of any ledger size are a binary search away (issue 4: "as of any ledger size"). The totals are
// derived from the postings' amounts, not their recorded balances, so that the book's rules and
// this projection check each other in the tests.

#include "ledger/account.hpp"
#include "ledger/append.hpp"
#include "ledger/entry.hpp"
#include "services/governance_views.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::services {

class Governance final : public ledger::EntryObserver
{
public:
    void Reset() override;
    void Observe(const ledger::Entry& entry) override;

    //! Every mandate of the council, in ledger order.
    [[nodiscard]] std::vector<MandateView> Mandates(const ledger::Slug& council) const;
    //! The members seated on `day`, sorted by id.
    [[nodiscard]] std::vector<ledger::Slug> SeatedOn(const ledger::Slug& council,
                                                     ledger::Date day) const;
    [[nodiscard]] bool IsSeated(const ledger::Slug& council, const ledger::Slug& member,
                                ledger::Date day) const;
    //! Whether the member ever held a mandate on the council.
    [[nodiscard]] bool EverSeated(const ledger::Slug& council, const ledger::Slug& member) const;
    //! Whether the member holds `seat` on `day` (a treasurer's powers come with the seat).
    [[nodiscard]] bool HoldsSeat(const ledger::Slug& council, const ledger::Slug& member,
                                 ledger::Seat seat, ledger::Date day) const;
    /** The member who held the chair on the vote's opening day, as the ledger stood when the
     *  vote opened: a mandate started or ended by a later entry does not change who breaks a
     *  tie in a vote already open, as it does not change the electorate. */
    [[nodiscard]] std::optional<ledger::Slug> ChairWhenOpened(const VoteView& vote) const;

    [[nodiscard]] std::optional<BylawsView> BylawsInForce(const ledger::Slug& council) const;
    [[nodiscard]] std::optional<BylawsView> BylawsVersion(const ledger::Slug& council,
                                                          std::uint64_t version) const;
    //! Every version, oldest first.
    [[nodiscard]] std::vector<BylawsView> BylawsHistory(const ledger::Slug& council) const;

    [[nodiscard]] std::optional<ProposalView> FindProposal(const ledger::Slug& council,
                                                           const ledger::Slug& proposal) const;
    //! By id.
    [[nodiscard]] std::vector<ProposalView> Proposals(const ledger::Slug& council) const;
    [[nodiscard]] std::optional<VoteView> FindVote(const ledger::Slug& council,
                                                   const ledger::Slug& vote) const;
    [[nodiscard]] std::vector<VoteView> Votes(const ledger::Slug& council) const;
    /** Whether a commitment of the council has, or will have, this name: one made (a proposal's,
     *  a round's hold, a funded project's), or one an open round will give a funded project. A
     *  proposal or round whose commitment would take such a name is refused when it is made:
     *  later, the book would refuse the commitment, and a vote or round could never close. */
    [[nodiscard]] bool IsCommitmentNameTaken(const ledger::Slug& council,
                                             const ledger::Slug& name) const;
    [[nodiscard]] std::optional<CommitmentView> FindCommitment(const ledger::Slug& council,
                                                               const ledger::Slug& id) const;
    [[nodiscard]] std::vector<CommitmentView> Commitments(const ledger::Slug& council) const;
    //! A spending.recorded entry, by its index, whichever council it belongs to.
    [[nodiscard]] std::optional<SpendingView> FindSpending(ledger::LeafIndex index) const;
    //! In ledger order.
    [[nodiscard]] std::vector<SpendingView> Spendings(const ledger::Slug& council) const;
    [[nodiscard]] std::optional<SubmissionView> FindSubmission(const ledger::Slug& council,
                                                               const ledger::Slug& id) const;
    [[nodiscard]] std::vector<SubmissionView> Submissions(const ledger::Slug& council) const;

    [[nodiscard]] bool IsPeriodClosed(const ledger::Slug& council, ledger::Year year) const;
    [[nodiscard]] std::vector<ledger::Year> ClosedPeriods(const ledger::Slug& council) const;

    //! The council's lines now, by year, then category.
    [[nodiscard]] std::vector<LineView> Lines(const ledger::Slug& council) const;
    //! The lines as they stood when the ledger held `size` entries (entries 0..size-1); a line
    //! no entry below `size` touched is absent.
    [[nodiscard]] std::vector<LineView> LinesAt(const ledger::Slug& council,
                                                std::uint64_t size) const;
    [[nodiscard]] std::optional<LineView> FindLine(const ledger::Slug& council, ledger::Year year,
                                                   ledger::BudgetCategory category) const;

    //! As CouncilRegistry::LastRecordedAt: new entries are never dated before it.
    [[nodiscard]] ledger::Timestamp LastRecordedAt() const;
    [[nodiscard]] std::uint64_t Size() const;

private:
    using LineKey = std::pair<std::int32_t, ledger::BudgetCategory>;
    struct LineHistory {
        ledger::YearEndRule at_year_end{ledger::YearEndRule::returns};
        //! (ledger size after the entry, totals after it), in ledger order.
        std::vector<std::pair<std::uint64_t, LineTotals>> after;
    };
    struct CouncilState {
        std::vector<MandateView> mandates;
        std::vector<BylawsView> bylaws;
        std::map<std::string, ProposalView> proposals;
        std::map<std::string, VoteView> votes;
        std::map<std::string, CommitmentView> commitments;
        std::map<std::string, SubmissionView> submissions;
        std::vector<std::uint64_t> spendings; //!< Indices into m_spendings.
        std::set<std::int32_t> closed_years;
        std::map<LineKey, LineHistory> lines;
        //! Commitment names the open rounds of this council will give their funded projects.
        std::set<std::string> reserved_commitments;
    };
    //! Working state of one entry's postings: the lines it touched and their new totals.
    using TouchedLines = std::map<std::pair<std::string, LineKey>, LineTotals>;

    // governance.cpp: people, rules, proposals and votes.
    void ObserveCouncilFact(CouncilState& state, const ledger::Entry& entry);
    void ObserveVoteFact(CouncilState& state, const ledger::Entry& entry);
    static void CloseVote(CouncilState& state, const ledger::Entry& entry,
                          const ledger::VoteClosed& closed);
    // governance_money.cpp: commitments, spending, closed years and line totals.
    void ObserveMoneyFact(CouncilState& state, const ledger::Entry& entry);
    void CreateCommitment(CouncilState& state, const ledger::Entry& entry,
                          const ledger::Slug& proposal);
    //! A residents' round's close: its funded projects' commitments, split off its hold.
    static void CloseRound(CouncilState& state, const ledger::Entry& entry,
                           const ledger::RoundClosed& closed);
    void ApplyPostings(const ledger::Entry& entry);
    //! A release of `amount` held on the council's line `origin`, posted to `to`: back to
    //! `origin` while its year is open, else (as the book's ReleaseDestination) to a later
    //! year's line or the pool, counted there and as closed out of `origin`.
    void ApplyRelease(TouchedLines& touched, const ledger::Slug& council, LineKey origin,
                      const ledger::Account& to, ledger::Cents amount) const;
    LineTotals& Touch(TouchedLines& touched, const ledger::Slug& council, LineKey key) const;
    [[nodiscard]] std::vector<LineView> LinesAtLocked(const ledger::Slug& council,
                                                      std::uint64_t size) const;

    mutable std::shared_mutex m_mutex;
    std::map<std::string, CouncilState> m_councils;
    std::map<std::uint64_t, SpendingView> m_spendings;
    //! Which line each commitment holds money of ("commitment:<council>:<id>" -> line).
    std::map<std::string, LineKey> m_commitment_lines;
    //! Which submission a spending.submitted index is: (council, id).
    std::map<std::uint64_t, std::pair<std::string, std::string>> m_submissions_by_index;
    ledger::Timestamp m_last_recorded_at;
    std::uint64_t m_size{0};
};

} // namespace wijkbudget::services
