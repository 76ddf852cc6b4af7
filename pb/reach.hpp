#pragma once
// pb/reach.hpp: the candidates of MES in the order in which raising every voter's budget brings
// them within reach: a candidate's supporters together hold at most n_p * b (n_p voters, b what
// each starts with), so below b = cost / n_p nothing can buy it. The completion (equal_shares.cpp)
// raises b hundreds of times; this order lets a run look only at the candidates within reach, and
// separate_supports.cpp find the budgets where its outcome changes.

#include "pb/satisfaction.hpp"

#include <gmpxx.h>

#include <vector>

namespace wijkbudget::pb {

struct ReachOrder {
    //! The candidates by reach budget, then by index.
    std::vector<ProjectIndex> projects;
    //! Parallel to projects: cost / supporters, exact.
    std::vector<mpq_class> budget;
    //! Parallel to projects: how many voters support each.
    std::vector<std::uint64_t> supporters;

    //! How many of `projects` are within reach at voter budget `voter_budget`, from `from` (a
    //! count known to be within reach) on.
    std::size_t WithinReach(const mpq_class& voter_budget, std::size_t from = 0) const;
};

/** `candidates` (supported, cost > 0) in reach order. @pre each has a supporter. */
ReachOrder OrderByReach(const SatisfactionProfile& profile,
                        const std::vector<ProjectIndex>& candidates);

} // namespace wijkbudget::pb
