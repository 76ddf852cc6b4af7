#pragma once
// services/decision_requests.hpp: the bodies of the council-decision requests (issue 4).
//
// Each lists its JSON members once in `Fields`, like the entries of ledger/entry.hpp, so the API
// reads a body into it with the ledger's strict field reader (unknown, missing and mistyped
// members are refused there). The council, and the proposal, vote, commitment or spending a
// request acts on, come from the path; the acting member is the caller, never a body field.

#include "ledger/entry.hpp"

#include <optional>

namespace wijkbudget::services {

//! POST /api/v1/councils/{council}/mandates.
struct MandateStart {
    ledger::Slug member;
    ledger::Seat seat{ledger::Seat::member};
    ledger::Date from;
    ledger::Date until;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("member", self.member);
        visit("seat", self.seat);
        visit("from", self.from);
        visit("until", self.until);
    }
};

//! POST /api/v1/councils/{council}/mandates/{member}/end.
struct MandateEnd {
    ledger::Date on;
    ledger::MandateEndReason reason{ledger::MandateEndReason::term_ended};
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("on", self.on);
        visit("reason", self.reason);
    }
};

//! PUT /api/v1/councils/{council}/bylaws. The version is the ledger's: previous + 1.
struct BylawsChange {
    std::uint64_t quorum_percent{0};
    ledger::MajorityRule majority{ledger::MajorityRule::simple};
    ledger::TieRule tie_rule{ledger::TieRule::rejected};
    ledger::Cents cosign_above;
    ledger::Cents confirm_spending_above;
    std::optional<ledger::Cents> consult_residents_above;
    std::uint64_t voting_period_days_max{0};
    std::optional<std::uint64_t> voting_period_hours_min;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("quorum_percent", self.quorum_percent);
        visit("majority", self.majority);
        visit("tie_rule", self.tie_rule);
        visit("cosign_above_cents", self.cosign_above);
        visit("confirm_spending_above_cents", self.confirm_spending_above);
        visit("consult_residents_above_cents", self.consult_residents_above);
        visit("voting_period_days_max", self.voting_period_days_max);
        visit("voting_period_hours_min", self.voting_period_hours_min);
    }
};

//! POST /api/v1/councils/{council}/proposals.
struct ProposalSubmission {
    ledger::Slug id;
    ledger::Title title;
    ledger::Description description;
    ledger::Cents amount;
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
    std::optional<ledger::Title> beneficiary;
    ledger::BoundedList<ledger::Hash, ledger::ATTACHMENTS_MAX> attachments;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("id", self.id);
        visit("title", self.title);
        visit("description", self.description);
        visit("amount_cents", self.amount);
        visit("year", self.year);
        visit("category", self.category);
        visit("beneficiary", self.beneficiary);
        visit("attachments", self.attachments);
    }
};

//! PUT /api/v1/councils/{council}/proposals/{proposal}: the new text and amount; the budget
//! line stays the one submitted.
struct ProposalAmendment {
    ledger::Title title;
    ledger::Description description;
    ledger::Cents amount;
    std::optional<ledger::Title> beneficiary;
    ledger::BoundedList<ledger::Hash, ledger::ATTACHMENTS_MAX> attachments;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("title", self.title);
        visit("description", self.description);
        visit("amount_cents", self.amount);
        visit("beneficiary", self.beneficiary);
        visit("attachments", self.attachments);
    }
};

//! A reason: withdrawing a proposal, recusal, reversal, release.
struct Reasoned {
    ledger::Description reason;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("reason", self.reason);
    }
};

//! POST /api/v1/councils/{council}/votes.
struct VoteOpening {
    ledger::Slug id;
    ledger::Slug proposal;
    ledger::Timestamp closes_at;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("id", self.id);
        visit("proposal", self.proposal);
        visit("closes_at", self.closes_at);
    }
};

//! POST /api/v1/councils/{council}/votes/{vote}/ballots.
struct Ballot {
    ledger::VoteChoice choice{ledger::VoteChoice::abstain};
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("choice", self.choice);
    }
};

//! POST /api/v1/councils/{council}/commitments/{commitment}/spending. `id` names the spending
//! while it waits for confirmation (above the bylaws' limit); a spending at or below the limit
//! posts at once and is known by its ledger index.
struct SpendingRequest {
    ledger::Slug id;
    ledger::Cents amount;
    ledger::Date paid_on;
    ledger::Title payee;
    ledger::Hash invoice{};
    ledger::Description description;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("id", self.id);
        visit("amount_cents", self.amount);
        visit("paid_on", self.paid_on);
        visit("payee", self.payee);
        visit("invoice_sha256", self.invoice);
        visit("description", self.description);
    }
};

} // namespace wijkbudget::services
