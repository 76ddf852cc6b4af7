#include "services/rounds.hpp"

#include "ledger/assert.hpp"
#include "services/map_lookup.hpp"

#include <mutex>

namespace wijkbudget::services {

std::uint64_t RoundSummary::CodesIssued() const
{
    std::uint64_t total = 0;
    for (const CodesBatchView& batch : codes)
        total += batch.count;
    return total;
}

void Rounds::Reset()
{
    std::unique_lock lock{m_mutex};
    m_rounds.clear();
    m_size = 0;
    ++m_generation;
}

void Rounds::Observe(const ledger::Entry& entry)
{
    std::unique_lock lock{m_mutex};
    WB_ASSERT(entry.index.value == m_size); // Every entry once, in order.
    ++m_size;
    const auto& payload = entry.payload;
    if (const auto* opened = std::get_if<ledger::RoundOpened>(&payload)) {
        RoundState state;
        state.summary.opened = *opened;
        state.summary.council = *entry.council;
        state.summary.opened_by = entry.actor;
        state.summary.opened_index = entry.index;
        state.summary.opened_at = entry.recorded_at;
        state.entries = 1;
        m_rounds.try_emplace(opened->round.value, std::move(state));
        return;
    }
    // The ledger does not know rounds' contexts for codes and ballots; the use cases let none
    // reach an unknown round, and one that did would change nothing here.
    if (const auto* codes = std::get_if<ledger::CodesIssued>(&payload)) {
        if (auto* round = FindIn(m_rounds, codes->round)) {
            round->summary.codes.push_back({codes->count, codes->codes_digest, entry.index});
            ++round->entries;
        }
    } else if (const auto* ballot = std::get_if<ledger::BallotCast>(&payload)) {
        if (auto* round = FindIn(m_rounds, ballot->round)) {
            if (!round->by_nullifier.try_emplace(ballot->nullifier, entry.index).second) return;
            round->ballots.push_back({ballot->nullifier, ballot->choices.items, entry.index});
            ++round->summary.ballots_cast;
            ++round->entries;
        }
    } else if (const auto* closed = std::get_if<ledger::RoundClosed>(&payload)) {
        if (auto* round = FindIn(m_rounds, closed->round)) {
            round->summary.closed = *closed;
            round->summary.closed_index = entry.index;
            ++round->entries;
            // The hold pays the funded projects' commitments; the rest goes to a line or the pool.
            for (const auto& posting : entry.postings) {
                auto account = ledger::ParseAccountName(posting.account.value);
                WB_ASSERT(account.has_value()); // The Sealer checked every posting's account.
                if (account->type == ledger::AccountType::pool ||
                    account->type == ledger::AccountType::line)
                    round->summary.rest_to = std::move(*account);
            }
        }
    }
}

std::optional<RoundSummary> Rounds::FindRound(const ledger::Slug& round) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_rounds, round);
    if (state == nullptr) return std::nullopt;
    return state->summary;
}

std::optional<RoundView> Rounds::FindRoundWithBallots(const ledger::Slug& round) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_rounds, round);
    if (state == nullptr) return std::nullopt;
    return RoundView{state->summary, state->ballots, {m_generation, state->entries}};
}

std::optional<RoundVersion> Rounds::VersionOf(const ledger::Slug& round) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_rounds, round);
    if (state == nullptr) return std::nullopt;
    return RoundVersion{m_generation, state->entries};
}

std::vector<RoundSummary> Rounds::List() const
{
    std::shared_lock lock{m_mutex};
    std::vector<RoundSummary> rounds;
    for (const auto& [id, state] : m_rounds)
        rounds.push_back(state.summary);
    return rounds;
}

std::vector<RoundSummary> Rounds::OfCouncil(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    std::vector<RoundSummary> rounds;
    for (const auto& [id, state] : m_rounds) {
        if (state.summary.council == council) rounds.push_back(state.summary);
    }
    return rounds;
}

bool Rounds::IsBatchIssued(const ledger::Slug& round, const ledger::Hash& digest) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_rounds, round);
    if (state == nullptr) return false;
    for (const CodesBatchView& batch : state->summary.codes) {
        if (batch.digest == digest) return true;
    }
    return false;
}

std::optional<ledger::LeafIndex> Rounds::BallotOf(const ledger::Slug& round,
                                                  const ledger::Hash& nullifier) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_rounds, round);
    if (state == nullptr) return std::nullopt;
    auto found = state->by_nullifier.find(nullifier);
    if (found == state->by_nullifier.end()) return std::nullopt;
    return found->second;
}

} // namespace wijkbudget::services
