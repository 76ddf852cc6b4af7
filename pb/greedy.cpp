// pb/greedy.cpp: see greedy.hpp.
#include "pb/greedy.hpp"

#include "pb/assert.hpp"

#include <algorithm>
#include <numeric>

namespace wijkbudget::pb {

namespace {

struct Density {
    bool infinite{false};
    mpq_class value;
};

Density DensityOf(const SatisfactionProfile& profile, std::size_t project)
{
    const mpq_class& total = profile.satisfaction_total[project];
    if (total <= 0) return Density{};
    if (profile.cost[project] == 0) return Density{true, 0};
    return Density{false, total / profile.cost[project]};
}

//! a before b: higher density first, then id order.
bool GoesFirst(const Density& a, std::uint32_t rank_a, const Density& b, std::uint32_t rank_b)
{
    if (a.infinite != b.infinite) return a.infinite;
    if (!a.infinite) {
        const int order = cmp(a.value, b.value);
        if (order != 0) return order > 0;
    }
    return rank_a < rank_b;
}

} // namespace

void GreedyFill(const SatisfactionProfile& profile, Phase phase, Outcome& outcome)
{
    const std::size_t count = profile.ProjectCount();
    outcome.loss.resize(count);
    std::vector<bool> won(count, false);
    for (const Winner& winner : outcome.winners)
        won[winner.project] = true;
    std::vector<Density> density(count);
    std::vector<ProjectIndex> order;
    for (ProjectIndex p = 0; p < count; ++p) {
        if (won[p]) continue;
        density[p] = DensityOf(profile, p);
        order.push_back(p);
    }
    std::sort(order.begin(), order.end(), [&](ProjectIndex a, ProjectIndex b) {
        return GoesFirst(density[a], profile.id_rank[a], density[b], profile.id_rank[b]);
    });
    mpq_class remaining = profile.budget - outcome.spent;
    for (const ProjectIndex p : order) {
        if (profile.cost[p] <= remaining) {
            remaining -= profile.cost[p];
            outcome.spent += profile.cost[p];
            outcome.winners.push_back(Winner{p, phase, 0});
            outcome.loss[p].reset();
        } else {
            outcome.loss[p] = LossReason::did_not_fit;
        }
    }
    WB_PB_ASSERT(outcome.spent <= profile.budget);
    WB_PB_ASSERT(remaining >= 0);
}

Outcome Greedy(const SatisfactionProfile& profile)
{
    Outcome outcome;
    GreedyFill(profile, Phase::greedy, outcome);
    return outcome;
}

} // namespace wijkbudget::pb
