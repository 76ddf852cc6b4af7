#pragma once
// tests/unit/pb/equal_shares_reference.hpp: the Method of Equal Shares written as plainly as
// RULES.md states it (one budget per voter, supporters sorted by b_i / u_i, every candidate
// recomputed every round), as an oracle for the fast engine of pb/equal_shares_run.cpp. Slow on
// purpose; only for small instances.

#include "pb/instance.hpp"
#include "pb/satisfaction.hpp"

#include <gmpxx.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::pb::test {

struct ReferencePurchase {
    ProjectIndex project{0};
    mpq_class rho;
};

inline mpq_class ReferenceUtility(const Instance& instance, Satisfaction satisfaction,
                                  std::size_t voter, ProjectIndex project)
{
    const auto projects = instance.BallotProjects(voter);
    for (std::size_t i = 0; i < projects.size(); ++i) {
        if (projects[i] != project) continue;
        if (satisfaction == Satisfaction::cost) return instance.projects[project].cost;
        return instance.item_points[instance.ballot_begin[voter] + i];
    }
    return 0;
}

//! rho of the walk of RULES.md, or nothing if the supporters hold less than the cost.
inline std::optional<mpq_class> ReferenceRho(const std::vector<mpq_class>& budget,
                                             const std::vector<mpq_class>& utility,
                                             const mpq_class& cost)
{
    std::vector<std::size_t> supporters;
    mpq_class rest{0};
    for (std::size_t i = 0; i < budget.size(); ++i) {
        if (utility[i] > 0) {
            supporters.push_back(i);
            rest += utility[i];
        }
    }
    std::stable_sort(supporters.begin(), supporters.end(), [&](std::size_t a, std::size_t b) {
        return budget[a] / utility[a] < budget[b] / utility[b];
    });
    mpq_class paid{0};
    for (const std::size_t i : supporters) {
        const mpq_class rho = (cost - paid) / rest;
        if (rho * utility[i] <= budget[i]) return rho;
        paid += budget[i];
        rest -= utility[i];
    }
    return std::nullopt;
}

inline std::vector<ReferencePurchase>
ReferenceRun(const Instance& instance, Satisfaction satisfaction, const mpq_class& voter_budget)
{
    const std::size_t voters = instance.BallotCount();
    std::vector<mpq_class> budget(voters, voter_budget);
    std::vector<std::vector<mpq_class>> utility(instance.projects.size(),
                                                std::vector<mpq_class>(voters));
    std::vector<ProjectIndex> candidates;
    for (ProjectIndex p = 0; p < instance.projects.size(); ++p) {
        bool supported = false;
        for (std::size_t v = 0; v < voters; ++v) {
            utility[p][v] = ReferenceUtility(instance, satisfaction, v, p);
            supported = supported || utility[p][v] > 0;
        }
        if (supported && instance.projects[p].cost > 0) candidates.push_back(p);
    }
    std::vector<ReferencePurchase> purchases;
    for (;;) {
        std::optional<ReferencePurchase> best;
        std::vector<ProjectIndex> still;
        for (const ProjectIndex p : candidates) {
            const auto rho = ReferenceRho(budget, utility[p], instance.projects[p].cost);
            if (!rho) continue;
            still.push_back(p);
            const bool better = !best || *rho < best->rho ||
                                (*rho == best->rho &&
                                 instance.projects[p].id < instance.projects[best->project].id);
            if (better) best = ReferencePurchase{p, *rho};
        }
        if (!best) return purchases;
        purchases.push_back(*best);
        for (std::size_t v = 0; v < voters; ++v) {
            const mpq_class price = best->rho * utility[best->project][v];
            budget[v] -= std::min<mpq_class>(budget[v], price);
        }
        std::erase(still, best->project);
        candidates = still;
    }
}

//! RULES.md's completion, one run per unit, with ReferenceRun: the purchases it returns and the
//! budget per voter of their run.
inline std::pair<std::vector<ReferencePurchase>, mpq_class>
ReferenceCompletion(const Instance& instance, Satisfaction satisfaction)
{
    mpq_class budget = instance.budget / instance.BallotCount();
    std::vector<ReferencePurchase> previous;
    mpq_class previous_budget = budget;
    for (;;) {
        auto purchases = ReferenceRun(instance, satisfaction, budget);
        mpq_class spent{0};
        std::vector<bool> bought(instance.projects.size(), false);
        for (const auto& purchase : purchases) {
            spent += instance.projects[purchase.project].cost;
            bought[purchase.project] = true;
        }
        if (spent > instance.budget) return {previous, previous_budget};
        bool fits = false;
        for (ProjectIndex p = 0; p < instance.projects.size(); ++p) {
            bool supported = false;
            for (std::size_t v = 0; v < instance.BallotCount(); ++v) {
                supported = supported || ReferenceUtility(instance, satisfaction, v, p) > 0;
            }
            const mpq_class& cost = instance.projects[p].cost;
            fits = fits || (supported && cost > 0 && !bought[p] && cost <= instance.budget - spent);
        }
        if (!fits) return {purchases, budget};
        previous = std::move(purchases);
        previous_budget = budget;
        budget += 1;
    }
}

} // namespace wijkbudget::pb::test
