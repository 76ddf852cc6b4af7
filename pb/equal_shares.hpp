#pragma once
// pb/equal_shares.hpp: the Method of Equal Shares as a rule (mes_cost, mes_cardinal) and with its
// completion by raising the voters' budget (mes_cost_add1, mes_cardinal_add1), as RULES.md
// defines them after pabutools 1.2.3.

#include "pb/outcome.hpp"
#include "pb/satisfaction.hpp"

#include <cstddef>
#include <variant>

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

} // namespace wijkbudget::pb
