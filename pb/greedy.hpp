#pragma once
// pb/greedy.hpp: the greedy rule of RULES.md (greedy_cost, greedy_cardinal), also used to complete
// equal shares (mes_cost_add1_greedy).

#include "pb/outcome.hpp"
#include "pb/satisfaction.hpp"

namespace wijkbudget::pb {

/** Walks the projects that are not yet winners of `outcome` by decreasing satisfaction density
 *  (total satisfaction / cost; +inf for a supported free project, 0 without support), ties in id
 *  order, and selects each one that fits into budget - spent, marking it with `phase`. The others
 *  lose with did_not_fit. */
void GreedyFill(const SatisfactionProfile& profile, Phase phase, Outcome& outcome);

//! The greedy rule on its own.
Outcome Greedy(const SatisfactionProfile& profile);

} // namespace wijkbudget::pb
