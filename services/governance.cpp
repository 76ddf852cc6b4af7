#include "services/governance.hpp"

#include "ledger/assert.hpp"
#include "services/calendar.hpp"
#include "services/map_lookup.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <variant>

namespace wijkbudget::services {
namespace {

constexpr std::array PROPOSAL_STATUS_SPELLINGS{
    "open", "voting", "withdrawn", "approved", "rejected", "committed", "awaiting_cosign"};

} // namespace

std::string_view SpellingOf(ProposalStatus status)
{
    return PROPOSAL_STATUS_SPELLINGS.at(static_cast<std::size_t>(status));
}

void Governance::Reset()
{
    std::unique_lock lock{m_mutex};
    m_councils.clear();
    m_spendings.clear();
    m_commitment_lines.clear();
    m_submissions_by_index.clear();
    m_last_recorded_at = {};
    m_size = 0;
}

void Governance::Observe(const ledger::Entry& entry)
{
    std::unique_lock lock{m_mutex};
    WB_ASSERT(entry.index.value == m_size); // Every entry once, in order.
    ++m_size;
    m_last_recorded_at = std::max(m_last_recorded_at, entry.recorded_at);
    if (!entry.council) return; // Checkpoints, and rounds or findings of no one council.
    CouncilState& state = m_councils[entry.council->value];
    ObserveCouncilFact(state, entry);
    ObserveVoteFact(state, entry);
    ObserveMoneyFact(state, entry);
    ApplyPostings(entry);
}

void Governance::ObserveCouncilFact(CouncilState& state, const ledger::Entry& entry)
{
    const auto& payload = entry.payload;
    if (const auto* started = std::get_if<ledger::MandateStarted>(&payload)) {
        state.mandates.push_back({started->member, started->seat, started->from, started->until,
                                  std::nullopt, std::nullopt, entry.index, std::nullopt});
    } else if (const auto* ended = std::get_if<ledger::MandateEnded>(&payload)) {
        // The ledger does not know mandates; an end without an open mandate changes nothing.
        if (auto* mandate = MandateToEnd(state.mandates, ended->member, ended->on)) {
            mandate->ended_on = ended->on;
            mandate->end_reason = ended->reason;
            mandate->ended_index = entry.index;
        }
    } else if (const auto* bylaws = std::get_if<ledger::BylawsSet>(&payload)) {
        state.bylaws.push_back({*bylaws, entry.index, entry.actor});
    } else if (const auto* submitted = std::get_if<ledger::ProposalSubmitted>(&payload)) {
        ProposalView view;
        view.id = submitted->proposal;
        view.council = *entry.council;
        view.submitter = entry.actor.id;
        view.title = submitted->title;
        view.description = submitted->description;
        view.amount = submitted->amount;
        view.year = submitted->year;
        view.category = submitted->category;
        view.beneficiary = submitted->beneficiary;
        view.attachments = submitted->attachments.items;
        view.life.submitted = entry.index;
        state.proposals.try_emplace(submitted->proposal.value, std::move(view));
    } else if (const auto* amended = std::get_if<ledger::ProposalAmended>(&payload)) {
        if (auto* proposal = FindIn(state.proposals, amended->proposal)) {
            proposal->title = amended->title;
            proposal->description = amended->description;
            proposal->amount = amended->amount;
            proposal->beneficiary = amended->beneficiary;
            proposal->attachments = amended->attachments.items;
            proposal->life.amended.push_back(entry.index);
        }
    } else if (const auto* withdrawn = std::get_if<ledger::ProposalWithdrawn>(&payload)) {
        if (auto* proposal = FindIn(state.proposals, withdrawn->proposal)) {
            proposal->status = ProposalStatus::withdrawn;
            proposal->life.withdrawn = entry.index;
        }
    }
}

void Governance::ObserveVoteFact(CouncilState& state, const ledger::Entry& entry)
{
    const auto& payload = entry.payload;
    if (const auto* opened = std::get_if<ledger::VoteOpened>(&payload)) {
        VoteView view;
        view.id = opened->vote;
        view.council = *entry.council;
        view.proposal = opened->proposal;
        view.opener = entry.actor.id;
        view.bylaws_version = opened->bylaws_version;
        view.opened_at = entry.recorded_at;
        view.closes_at = opened->closes_at;
        view.electorate = opened->electorate.items;
        view.opened_index = entry.index;
        state.votes.try_emplace(opened->vote.value, std::move(view));
        if (auto* proposal = FindIn(state.proposals, opened->proposal)) {
            proposal->status = ProposalStatus::voting;
            proposal->vote = opened->vote;
            proposal->life.vote_opened = entry.index;
        }
    } else if (const auto* cast = std::get_if<ledger::VoteCast>(&payload)) {
        if (auto* vote = FindIn(state.votes, cast->vote)) {
            vote->ballots.push_back({cast->member, cast->choice, entry.index});
        }
    } else if (const auto* recusal = std::get_if<ledger::VoteRecused>(&payload)) {
        if (auto* vote = FindIn(state.votes, recusal->vote)) {
            vote->recused.push_back(recusal->member);
        }
    } else if (const auto* closed = std::get_if<ledger::VoteClosed>(&payload)) {
        CloseVote(state, entry, *closed);
    }
}

void Governance::CloseVote(CouncilState& state, const ledger::Entry& entry,
                           const ledger::VoteClosed& closed)
{
    if (auto* vote = FindIn(state.votes, closed.vote)) {
        vote->closed_index = entry.index;
        vote->decision = closed;
    }
    auto* proposal = FindIn(state.proposals, closed.proposal);
    if (proposal == nullptr) return;
    proposal->life.vote_closed = entry.index;
    if (closed.result == ledger::DecisionResult::rejected) {
        proposal->status = ProposalStatus::rejected;
    } else if (closed.commitment) {
        proposal->status = ProposalStatus::committed;
        proposal->commitment = closed.commitment;
    } else if (closed.commitment_refused) {
        proposal->status = ProposalStatus::approved;
        proposal->commitment_refused = closed.commitment_refused;
    } else {
        proposal->status = ProposalStatus::awaiting_cosign;
    }
}

// ---- Reads. ----

std::vector<MandateView> Governance::Mandates(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state ? state->mandates : std::vector<MandateView>{};
}

std::vector<ledger::Slug> Governance::SeatedOn(const ledger::Slug& council, ledger::Date day) const
{
    std::shared_lock lock{m_mutex};
    std::vector<ledger::Slug> seated;
    if (const auto* state = FindIn(m_councils, council)) {
        for (const auto& mandate : state->mandates) {
            if (mandate.SeatedOn(day)) seated.push_back(mandate.member);
        }
    }
    std::sort(seated.begin(), seated.end());
    seated.erase(std::unique(seated.begin(), seated.end()), seated.end());
    return seated;
}

bool Governance::IsSeated(const ledger::Slug& council, const ledger::Slug& member,
                          ledger::Date day) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    if (state == nullptr) return false;
    return std::any_of(state->mandates.begin(), state->mandates.end(), [&](const auto& mandate) {
        return mandate.member == member && mandate.SeatedOn(day);
    });
}

bool Governance::EverSeated(const ledger::Slug& council, const ledger::Slug& member) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    if (state == nullptr) return false;
    return std::any_of(state->mandates.begin(), state->mandates.end(),
                       [&](const auto& mandate) { return mandate.member == member; });
}

bool Governance::HoldsSeat(const ledger::Slug& council, const ledger::Slug& member,
                           ledger::Seat seat, ledger::Date day) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    if (state == nullptr) return false;
    return std::any_of(state->mandates.begin(), state->mandates.end(), [&](const auto& mandate) {
        return mandate.member == member && mandate.seat == seat && mandate.SeatedOn(day);
    });
}

std::optional<ledger::Slug> Governance::ChairWhenOpened(const VoteView& vote) const
{
    const ledger::Date day = DateOf(vote.opened_at);
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, vote.council);
    if (state == nullptr) return std::nullopt;
    for (const auto& mandate : state->mandates) {
        if (mandate.seat != ledger::Seat::chair) continue;
        if (mandate.started_index.value >= vote.opened_index.value) continue;
        MandateView known = mandate;
        if (known.ended_index && known.ended_index->value >= vote.opened_index.value) {
            known.ended_on.reset();
        }
        if (known.SeatedOn(day)) return known.member;
    }
    return std::nullopt;
}

std::optional<BylawsView> Governance::BylawsInForce(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    if (state == nullptr || state->bylaws.empty()) return std::nullopt;
    return state->bylaws.back();
}

std::optional<BylawsView> Governance::BylawsVersion(const ledger::Slug& council,
                                                    std::uint64_t version) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    if (state == nullptr) return std::nullopt;
    for (const auto& bylaws : state->bylaws) {
        if (bylaws.rules.version == version) return bylaws;
    }
    return std::nullopt;
}

std::vector<BylawsView> Governance::BylawsHistory(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state ? state->bylaws : std::vector<BylawsView>{};
}

std::optional<ProposalView> Governance::FindProposal(const ledger::Slug& council,
                                                     const ledger::Slug& proposal) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    const auto* found = state ? FindIn(state->proposals, proposal) : nullptr;
    return found ? std::optional{*found} : std::nullopt;
}

std::vector<ProposalView> Governance::Proposals(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state ? ValuesOf(state->proposals) : std::vector<ProposalView>{};
}

std::optional<VoteView> Governance::FindVote(const ledger::Slug& council,
                                             const ledger::Slug& vote) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    const auto* found = state ? FindIn(state->votes, vote) : nullptr;
    return found ? std::optional{*found} : std::nullopt;
}

std::vector<VoteView> Governance::Votes(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state ? ValuesOf(state->votes) : std::vector<VoteView>{};
}

ledger::Timestamp Governance::LastRecordedAt() const
{
    std::shared_lock lock{m_mutex};
    return m_last_recorded_at;
}

std::uint64_t Governance::Size() const
{
    std::shared_lock lock{m_mutex};
    return m_size;
}

} // namespace wijkbudget::services
