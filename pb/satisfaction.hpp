#pragma once
// pb/satisfaction.hpp: how much each voter gains from each project (RULES.md "Satisfaction"),
// in the shape the rules read fast: identical ballots grouped (grouping changes no outcome, since
// voters with the same ballot start with the same budget and always pay the same), and for each
// project the groups that support it.
//
// cost satisfaction: u_i(p) = cost(p) if i lists p (even with 0 points), else 0.
// cardinal satisfaction (cumulative and scoring ballots): u_i(p) = the points i gave p.
// A voter *supports* p when u_i(p) > 0.

#include "pb/instance.hpp"

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace wijkbudget::pb {

enum class Satisfaction { cost, cardinal };

//! Index of a group of voters with identical ballots.
using GroupIndex = std::uint32_t;
//! Index into SatisfactionProfile::utility_values.
using UtilityIndex = std::uint32_t;

struct Supporter {
    GroupIndex group{0};
    //! The supporter's utility: cost(p) under cost satisfaction (uniform), else an index into
    //! utility_values.
    UtilityIndex utility{0};
};

struct SatisfactionProfile {
    Satisfaction satisfaction{Satisfaction::cost};
    mpq_class budget;
    //! Ballots counted, empty ones included (RULES.md: n).
    std::size_t ballot_count{0};
    std::vector<mpq_class> cost;
    //! Position of each project in id order (code point order of the ids): every tie goes to the
    //! lower rank.
    std::vector<std::uint32_t> id_rank;
    //! Voters who list each project ("votes").
    std::vector<std::uint64_t> listed_count;
    //! Sum of the points each project received (cumulative and scoring); equals listed_count else.
    std::vector<mpq_class> points_total;
    //! Sum over all voters of u_i(p): greedy's numerator.
    std::vector<mpq_class> satisfaction_total;
    //! Voters per group.
    std::vector<std::uint64_t> group_weight;
    //! Supporters of project p: supporters[supporter_begin[p] .. supporter_begin[p + 1]).
    std::vector<std::size_t> supporter_begin;
    std::vector<Supporter> supporters;
    //! Distinct utility values (cardinal satisfaction only).
    std::vector<mpq_class> utility_values;

    std::size_t ProjectCount() const { return cost.size(); }
    //! Under cost satisfaction every supporter of p gains cost(p): one utility per project.
    bool UniformUtility() const { return satisfaction == Satisfaction::cost; }
    std::span<const Supporter> SupportersOf(std::size_t project) const
    {
        return std::span<const Supporter>{supporters}.subspan(
            supporter_begin[project], supporter_begin[project + 1] - supporter_begin[project]);
    }
    const mpq_class& Utility(std::size_t project, const Supporter& supporter) const
    {
        return UniformUtility() ? cost[project] : utility_values[supporter.utility];
    }
};

/** The profile of `instance` under `satisfaction`. @pre cardinal satisfaction only with points
 *  (cumulative or scoring ballots): RuleRefusal() in rules.hpp checks it first. */
SatisfactionProfile MakeSatisfactionProfile(const Instance& instance, Satisfaction satisfaction);

} // namespace wijkbudget::pb
