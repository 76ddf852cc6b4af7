#pragma once
// pb/equal_shares.hpp: the Method of Equal Shares as a rule (mes_cost, mes_cardinal) and with its
// completion by raising the voters' budget (mes_cost_add1, mes_cardinal_add1), as RULES.md
// defines them after pabutools 1.2.3.

#include "pb/equal_shares_run.hpp"
#include "pb/outcome.hpp"
#include "pb/satisfaction.hpp"

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

namespace wijkbudget::pb {

//! Most MES runs one completion computes (pabutools runs MES once per raise; raises proved to
//! change nothing are skipped here and not counted). Budapest 2024, the longest known, needs about
//! 25,000 raises (one per forint per voter); a file that needs more runs is refused rather than
//! run for hours. The size of the raise itself is no measure of the work: one supporter of a
//! project that costs most of the budget needs a raise of nearly the budget, computed in a few
//! runs (a round of 2,000,000 euros with a project of 1,500,000 chosen by one of 100 voters needs
//! a raise of 1,480,000), and such a round must still close.
inline constexpr std::size_t COMPLETION_RUNS_MAX{1'000'000};
//! Largest raise of the voters' budget, in units of the file's currency: far beyond any round's
//! budget (at most 10^13 cents, 10^11 euros), so that counts of raises stay inside 64 bits.
inline constexpr std::uint64_t COMPLETION_RAISE_MAX{1'000'000'000'000'000};

enum class Completion {
    none, //!< one run with budget / n per voter
    add1, //!< raise every voter's budget by 1 until the outcome is exhaustive or over budget
};

/** The outcome of MES. Without ballots nobody supports anything, so nothing is bought (pabutools
 *  fails there, dividing by zero). A RuleFailure only when the completion exceeds
 *  COMPLETION_RUNS_MAX computed runs or a raise beyond COMPLETION_RAISE_MAX.
 * Outcome::equal_shares_runs counts the runs as pabutools makes them (one per raise, plus the
 * first), though most are proved unnecessary and skipped. */
std::variant<Outcome, RuleFailure> EqualShares(const SatisfactionProfile& profile,
                                               Completion completion);

//! budget / n, what every voter starts with (0 without ballots).
mpq_class FirstVoterBudget(const SatisfactionProfile& profile);

/** EqualShares() by running the general engine (EqualSharesRun) whatever the profile, where
 *  EqualShares() takes the closed form of separate_supports.hpp when it applies; tests compare
 *  the two. */
std::variant<Outcome, RuleFailure> EqualSharesByRuns(const SatisfactionProfile& profile,
                                                     Completion completion);

/** The outcome of MES that bought `purchases` in order with voters starting at `voter_budget`:
 *  the free projects first (pabutools puts them in the initial budget allocation), then the
 *  purchases; the other candidates lost as unaffordable, the rest for lack of support. */
Outcome EqualSharesOutcome(const SatisfactionProfile& profile,
                           const std::vector<ProjectIndex>& candidates,
                           const std::vector<ProjectIndex>& free,
                           const std::vector<Purchase>& purchases, const mpq_class& voter_budget);

} // namespace wijkbudget::pb
