#pragma once
// services/governance_views.hpp: what the governance projection answers, as plain values.
//
// Every view is a copy taken under the projection's lock, so a caller may keep it. Indices are
// ledger leaf indices: the API links each step of a proposal's life to its entry and proof.

#include "ledger/entry.hpp"
#include "ledger/money.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace wijkbudget::services {

struct MandateView {
    ledger::Slug member;
    ledger::Seat seat{ledger::Seat::member};
    ledger::Date from;
    ledger::Date until;
    std::optional<ledger::Date> ended_on;
    std::optional<ledger::MandateEndReason> end_reason;
    ledger::LeafIndex started_index;
    std::optional<ledger::LeafIndex> ended_index;
    //! Seated on `day`: from <= day <= until, and not ended on or before it.
    [[nodiscard]] bool SeatedOn(ledger::Date day) const
    {
        return from <= day && day <= until && !(ended_on && *ended_on <= day);
    }
};

/** The commitment a funded project of a binding round becomes: "<round>-<project>". A round
 * reserves these names on its council when it opens (Governance::IsCommitmentNameTaken). */
inline ledger::Slug FundedCommitmentId(const ledger::Slug& round, const ledger::Slug& project)
{
    return ledger::Slug{round.value + "-" + project.value};
}

/** The mandate a `mandate.ended` of `member` on `on` ends, among a council's mandates in ledger
 * order: the open one whose term holds that day (a later term recorded in advance stays), else
 * the last recorded open one (a term ended after it ran out); none if the member has no open
 * mandate. The decision service and the Governance projection both choose with it. */
template <class Mandate>
Mandate* MandateToEnd(std::vector<Mandate>& mandates, const ledger::Slug& member, ledger::Date on)
{
    Mandate* last_open = nullptr;
    for (auto& mandate : mandates) {
        if (mandate.member != member || mandate.ended_on) continue;
        if (mandate.from <= on && on <= mandate.until) return &mandate;
        last_open = &mandate;
    }
    return last_open;
}

struct BylawsView {
    ledger::BylawsSet rules;
    ledger::LeafIndex set_index;
    ledger::Actor set_by;
};

//! Where a proposal stands. `approved` is an approval that holds nothing (the line was short);
//! `committed` means its commitment exists, released or not.
enum class ProposalStatus {
    open,
    voting,
    withdrawn,
    approved,
    rejected,
    committed,
    awaiting_cosign
};
//! "open", "awaiting_cosign", ...: the API's spelling.
std::string_view SpellingOf(ProposalStatus status);

//! The ledger index of each step of a proposal's life.
struct ProposalLife {
    ledger::LeafIndex submitted;
    std::vector<ledger::LeafIndex> amended;
    std::optional<ledger::LeafIndex> withdrawn;
    std::optional<ledger::LeafIndex> vote_opened;
    std::optional<ledger::LeafIndex> vote_closed;
    std::optional<ledger::LeafIndex> cosigned;
    std::optional<ledger::LeafIndex> released;
};

struct ProposalView {
    ledger::Slug id;
    ledger::Slug council;
    ledger::Slug submitter;
    ledger::Title title;
    ledger::Description description;
    ledger::Cents amount;
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
    std::optional<ledger::Title> beneficiary;
    std::vector<ledger::Hash> attachments;
    ProposalStatus status{ProposalStatus::open};
    ProposalLife life;
    std::optional<ledger::Slug> vote;
    std::optional<ledger::Slug> commitment;
    std::optional<ledger::Token> commitment_refused; //!< As the decision recorded it.
};

struct BallotView {
    ledger::Slug member;
    ledger::VoteChoice choice{ledger::VoteChoice::abstain};
    ledger::LeafIndex index;
};

struct VoteView {
    ledger::Slug id;
    ledger::Slug council;
    ledger::Slug proposal;
    ledger::Slug opener;
    std::uint64_t bylaws_version{0};
    ledger::Timestamp opened_at;
    ledger::Timestamp closes_at;
    std::vector<ledger::Slug> electorate; //!< Seated at opening, sorted.
    std::vector<BallotView> ballots;      //!< The roll-call, in ledger order.
    std::vector<ledger::Slug> recused;    //!< In ledger order.
    ledger::LeafIndex opened_index;
    std::optional<ledger::LeafIndex> closed_index;
    std::optional<ledger::VoteClosed> decision; //!< Once closed: the recorded decision.
    [[nodiscard]] bool Closed() const { return closed_index.has_value(); }
};

struct CommitmentView {
    ledger::Slug id;
    ledger::Slug council;
    //! The proposal it was approved for; for a round's funded project, the project's id.
    ledger::Slug proposal;
    //! The residents' round it belongs to: as the round's hold, or as a funded project of it.
    std::optional<ledger::Slug> round;
    //! The round's hold (not a funded project): only the round's close spends it.
    bool round_hold{false};
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
    ledger::Cents amount;   //!< Held when created.
    ledger::Cents spent;    //!< Net of reversals.
    ledger::Cents released; //!< Returned by its release (to the line, or where it closed to).
    //! A round's hold: what its close passed on to the funded projects' commitments.
    ledger::Cents allocated;
    bool resolved{false};
    ledger::LeafIndex created_index;
    //! What may still be spent or released.
    [[nodiscard]] ledger::Cents Left() const
    {
        return ledger::Cents{amount.value - spent.value - released.value - allocated.value};
    }
};

struct SpendingView {
    ledger::LeafIndex index;
    ledger::Slug council;
    ledger::Slug commitment;
    ledger::Cents amount;
    ledger::Date paid_on;
    ledger::Title payee;
    ledger::Actor recorded_by;
    std::optional<ledger::LeafIndex> confirms;
    std::optional<ledger::LeafIndex> reversed_index;
};

//! A treasurer's spending above the confirmation limit, waiting for a second member (until
//! confirmed or withdrawn).
struct SubmissionView {
    ledger::SpendingSubmitted values;
    ledger::Slug council;
    ledger::Slug submitter;
    ledger::LeafIndex index;
    std::optional<ledger::LeafIndex> confirmed_index;
    //! The spending.withdrawn that took it back; it can then no longer be confirmed.
    std::optional<ledger::LeafIndex> withdrawn_index;
};

//! A budget line's totals after some entry; available = granted + carried_in - held - spent -
//! closed_out, where held is what the line's open commitments still hold.
//!
//! A commitment still open when its line's year closes carries over; its release then goes
//! where the line's year end went (DecisionService::ReleaseCommitment), so it counts as closed
//! out on this line and, when it reaches a later year's line rather than the pool, as carried
//! in there.
struct LineTotals {
    ledger::Cents granted;    //!< Grants from the pool.
    ledger::Cents carried_in; //!< From an earlier year's line: at its close, or by a release.
    ledger::Cents held;       //!< Held by commitments, less their spending and releases.
    ledger::Cents spent;      //!< Spent against the line's commitments, net of reversals.
    //! Returned to the pool or carried over when the year closed, and what commitments it held
    //! released after that.
    ledger::Cents closed_out;
    ledger::Cents available; //!< The line's balance: what a new commitment may hold.
    friend bool operator==(const LineTotals&, const LineTotals&) = default;
};

struct LineView {
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
    ledger::YearEndRule at_year_end{ledger::YearEndRule::returns};
    LineTotals totals;
};

} // namespace wijkbudget::services
