#pragma once
// pb/separate_supports.hpp: the Method of Equal Shares, alone and with its completion, when no
// voter supports two candidates (every choose-1 file: Wroclaw 2015 has 131,778 such ballots), in
// closed form, under cost satisfaction.
//
// Why it is exact: a project is paid by its supporters only, so when nobody supports two
// candidates no purchase touches the money of another candidate's supporters. A candidate p with
// n_p supporters, each starting at b, is then affordable until it is bought, exactly when
// n_p * b >= cost(p), each paying cost(p) / n_p, so rho = 1 / n_p (RULES.md: the price per unit
// of satisfaction, which is cost(p) here). MES buys every affordable candidate, least rho first,
// ties in id order. Raising b changes the outcome only where a candidate comes within reach, so
// the completion visits those budgets only and counts the runs pabutools would have made.
// separate_supports_test checks it against the general engine and the plain reference on random
// instances, and parity_test against the engine on every such file of ../shared/pabulib.

#include "pb/equal_shares.hpp"
#include "pb/satisfaction.hpp"

#include <gmpxx.h>

#include <variant>

namespace wijkbudget::pb {

//! Whether every group of voters of `profile` supports exactly one project.
bool SupportsAreSeparate(const SatisfactionProfile& profile);

/** EqualShares() for such a profile, with every voter starting at `voter_budget` (budget / n).
 *  @pre profile.UniformUtility() && SupportsAreSeparate(profile). */
std::variant<Outcome, RuleFailure> SeparateSupportsEqualShares(const SatisfactionProfile& profile,
                                                               const mpq_class& voter_budget,
                                                               Completion completion);

} // namespace wijkbudget::pb
