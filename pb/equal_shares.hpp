#pragma once
// pb/equal_shares.hpp: the Method of Equal Shares as a rule (mes_cost, mes_cardinal) and with its
// completion by raising the voters' budget (mes_cost_add1, mes_cardinal_add1), as RULES.md
// defines them after pabutools 1.2.3.

#include "pb/equal_shares_run.hpp"
#include "pb/outcome.hpp"
#include "pb/satisfaction.hpp"

#include <cstddef>
#include <variant>
#include <vector>

namespace wijkbudget::pb {

//! Most raises of the voters' budget one completion may make (pabutools runs MES once per
//! raise). Budapest 2024, the longest known, needs about 25,000 (one per forint per voter); a file
//! that needs more is refused rather than run for hours.
inline constexpr std::size_t COMPLETION_RUNS_MAX{1'000'000};

enum class Completion {
    none, //!< one run with budget / n per voter
    add1, //!< raise every voter's budget by 1 until the outcome is exhaustive or over budget
};

/** The outcome of MES. Without ballots nobody supports anything, so nothing is bought (pabutools
 *  fails there, dividing by zero). A RuleFailure only when the completion exceeds
 *  COMPLETION_RUNS_MAX raises. Outcome::equal_shares_runs counts the runs as pabutools makes
 *  them (one per raise, plus the first), though most are proved unnecessary and skipped. */
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
