// pb/reach.cpp: see reach.hpp.
#include "pb/reach.hpp"

#include "pb/assert.hpp"

#include <algorithm>

namespace wijkbudget::pb {

std::size_t ReachOrder::WithinReach(const mpq_class& voter_budget, std::size_t from) const
{
    std::size_t count = from;
    while (count < budget.size() && budget[count] <= voter_budget) {
        ++count;
    }
    return count;
}

ReachOrder OrderByReach(const SatisfactionProfile& profile,
                        const std::vector<ProjectIndex>& candidates)
{
    std::vector<std::uint64_t> supporters(profile.ProjectCount(), 0);
    // Whole costs below 2^63 compare as cost_a * n_b < cost_b * n_a in 128 bits, exactly, without
    // a rational per comparison (the sort makes thousands).
    bool words = true;
    for (const ProjectIndex p : candidates) {
        for (const Supporter& supporter : profile.SupportersOf(p)) {
            supporters[p] += profile.group_weight[supporter.group];
        }
        WB_PB_ASSERT(supporters[p] > 0);
        const mpq_class& cost = profile.cost[p];
        words = words && cost.get_den() == 1 && mpz_fits_slong_p(cost.get_num_mpz_t()) != 0;
    }
    ReachOrder order;
    order.projects = candidates;
    if (words) {
        __extension__ using Wide = unsigned __int128;
        std::sort(
            order.projects.begin(), order.projects.end(), [&](ProjectIndex a, ProjectIndex b) {
                const Wide left = Wide{mpz_get_ui(profile.cost[a].get_num_mpz_t())} * supporters[b];
                const Wide right =
                    Wide{mpz_get_ui(profile.cost[b].get_num_mpz_t())} * supporters[a];
                return left != right ? left < right : a < b;
            });
    } else {
        std::sort(order.projects.begin(), order.projects.end(),
                  [&](ProjectIndex a, ProjectIndex b) {
                      const int sign =
                          cmp(profile.cost[a] * supporters[b], profile.cost[b] * supporters[a]);
                      return sign != 0 ? sign < 0 : a < b;
                  });
    }
    for (const ProjectIndex p : order.projects) {
        order.budget.push_back(profile.cost[p] / supporters[p]);
        order.supporters.push_back(supporters[p]);
    }
    return order;
}

} // namespace wijkbudget::pb
