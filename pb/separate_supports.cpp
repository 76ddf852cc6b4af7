// pb/separate_supports.cpp: see separate_supports.hpp.
#include "pb/separate_supports.hpp"

#include "pb/assert.hpp"
#include "pb/reach.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace wijkbudget::pb {

namespace {

class SeparateSupports
{
public:
    explicit SeparateSupports(const SatisfactionProfile& profile) : m_profile{profile}
    {
        for (ProjectIndex p = 0; p < profile.ProjectCount(); ++p) {
            if (profile.SupportersOf(p).empty()) continue; // never selected
            (profile.cost[p] == 0 ? m_free : m_candidates).push_back(p);
        }
        std::sort(m_free.begin(), m_free.end(), [&](ProjectIndex a, ProjectIndex b) {
            return profile.id_rank[a] < profile.id_rank[b];
        });
        m_reach = OrderByReach(profile, m_candidates);
        const std::size_t count = m_reach.projects.size();
        m_spent.resize(count + 1);
        for (std::size_t i = 0; i < count; ++i) {
            m_spent[i + 1] = m_spent[i] + profile.cost[m_reach.projects[i]];
        }
        m_cheapest_after.resize(count);
        for (std::size_t i = count; i-- > 0;) {
            const mpq_class& cost = profile.cost[m_reach.projects[i]];
            m_cheapest_after[i] =
                i + 1 < count && m_cheapest_after[i + 1] < cost ? m_cheapest_after[i + 1] : cost;
        }
    }

    const ReachOrder& Reach() const { return m_reach; }
    //! What the first `within_reach` candidates of the reach order cost together.
    const mpq_class& Spent(std::size_t within_reach) const { return m_spent[within_reach]; }

    //! Whether a candidate not within reach fits into what buying those within reach leaves.
    bool CandidateFits(std::size_t within_reach) const
    {
        return within_reach < m_cheapest_after.size() &&
               m_cheapest_after[within_reach] <= m_profile.budget - m_spent[within_reach];
    }

    Outcome MakeOutcome(std::size_t within_reach, const mpq_class& voter_budget, std::size_t runs,
                        std::size_t computed) const
    {
        std::vector<std::size_t> order(within_reach);
        for (std::size_t i = 0; i < within_reach; ++i) {
            order[i] = i;
        }
        // Least rho = 1 / supporters first, ties in id order.
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (m_reach.supporters[a] != m_reach.supporters[b]) {
                return m_reach.supporters[a] > m_reach.supporters[b];
            }
            return m_profile.id_rank[m_reach.projects[a]] < m_profile.id_rank[m_reach.projects[b]];
        });
        std::vector<Purchase> purchases;
        for (const std::size_t i : order) {
            purchases.push_back(Purchase{
                m_reach.projects[i], mpq_class{mpz_class{1}, mpz_class{m_reach.supporters[i]}}});
        }
        auto outcome = EqualSharesOutcome(m_profile, m_candidates, m_free, purchases, voter_budget);
        WB_PB_ASSERT(outcome.spent == m_spent[within_reach]);
        outcome.equal_shares_runs = runs;
        outcome.equal_shares_runs_computed = computed;
        return outcome;
    }

private:
    const SatisfactionProfile& m_profile;
    std::vector<ProjectIndex> m_candidates;
    std::vector<ProjectIndex> m_free;
    ReachOrder m_reach;
    //! [i]: the cost of the first i candidates in reach order.
    std::vector<mpq_class> m_spent;
    //! [i]: the least cost among the candidates from the i-th in reach order on.
    std::vector<mpq_class> m_cheapest_after;
};

/** RULES.md's completion: raise b by 1 until the outcome is exhaustive (return it) or over
 *  budget (return the one before). Between two budgets where a candidate comes within reach the
 *  outcome stays what it was, neither exhaustive nor over budget, so only those budgets are
 *  looked at. */
std::variant<Outcome, RuleFailure> Complete(const SeparateSupports& rule,
                                            const SatisfactionProfile& profile,
                                            const mpq_class& first_budget)
{
    const ReachOrder& reach = rule.Reach();
    std::size_t within = reach.WithinReach(first_budget);
    WB_PB_ASSERT(rule.Spent(within) <= profile.budget); // budget / n per voter never overspends
    std::size_t computed{1};
    if (!rule.CandidateFits(within)) return rule.MakeOutcome(within, first_budget, 1, computed);
    mpq_class gap;
    mpz_class raise;
    for (;;) {
        // A candidate fits, so one is not within reach yet: the next comes at first + raise.
        WB_PB_ASSERT(within < reach.projects.size());
        gap = reach.budget[within] - first_budget;
        mpz_cdiv_q(raise.get_mpz_t(), gap.get_num_mpz_t(), gap.get_den_mpz_t());
        if (mpz_cmp_ui(raise.get_mpz_t(), COMPLETION_RAISE_MAX) > 0) {
            return RuleFailure{"the completion did not end within a raise of " +
                               std::to_string(COMPLETION_RAISE_MAX) + " of the voters' budget"};
        }
        const std::size_t runs = mpz_get_ui(raise.get_mpz_t()) + 1;
        const mpq_class voter_budget = first_budget + raise;
        const std::size_t next = reach.WithinReach(voter_budget, within);
        WB_PB_ASSERT(next > within);
        ++computed;
        if (rule.Spent(next) > profile.budget) {
            return rule.MakeOutcome(within, voter_budget - 1, runs, computed);
        }
        if (!rule.CandidateFits(next)) return rule.MakeOutcome(next, voter_budget, runs, computed);
        within = next;
    }
}

} // namespace

bool SupportsAreSeparate(const SatisfactionProfile& profile)
{
    if (profile.supporters.size() != profile.group_weight.size()) return false;
    std::vector<std::uint8_t> seen(profile.group_weight.size(), 0);
    for (const Supporter& supporter : profile.supporters) {
        if (seen[supporter.group] != 0) return false;
        seen[supporter.group] = 1;
    }
    return true; // as many supports as groups, none twice: one project per group
}

std::variant<Outcome, RuleFailure> SeparateSupportsEqualShares(const SatisfactionProfile& profile,
                                                               const mpq_class& voter_budget,
                                                               Completion completion)
{
    WB_PB_ASSERT(profile.UniformUtility() && SupportsAreSeparate(profile));
    const SeparateSupports rule{profile};
    if (completion == Completion::add1) return Complete(rule, profile, voter_budget);
    const std::size_t within = rule.Reach().WithinReach(voter_budget);
    WB_PB_ASSERT(rule.Spent(within) <= profile.budget);
    return rule.MakeOutcome(within, voter_budget, 1, 1);
}

} // namespace wijkbudget::pb
