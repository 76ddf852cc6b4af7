#pragma once
// pb/outcome.hpp: what a rule decided and why: the winners in the order they were selected, and
// for every other project the reason it lost. The explanation (outcome_json.hpp) prints it.

#include "pb/instance.hpp"

#include <gmpxx.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace wijkbudget::pb {

//! The step of a rule that selected a project.
enum class Phase {
    greedy,            //!< greedy by satisfaction density
    zero_cost,         //!< equal shares: supported and free, selected up front
    equal_shares,      //!< equal shares: bought by its supporters at price factor rho
    greedy_completion, //!< greedy over what equal shares left (mes_cost_add1_greedy)
};

enum class LossReason {
    no_support,   //!< nobody's satisfaction from it is positive
    unaffordable, //!< its supporters together could not pay for it at any price
    did_not_fit,  //!< it cost more than the budget left when its turn came
};

struct Winner {
    ProjectIndex project{0};
    Phase phase{Phase::greedy};
    //! Equal shares only: the price factor; supporter i paid min(budget_i, rho * u_i(p)).
    mpq_class rho;
};

struct Outcome {
    std::vector<Winner> winners;
    //! Per project: empty for a winner, else why it lost.
    std::vector<std::optional<LossReason>> loss;
    //! Sum of the winners' costs.
    mpq_class spent;
    //! Equal shares: the budget every voter started with in the run that gave this outcome.
    std::optional<mpq_class> voter_budget;
    //! Equal shares: how many runs the completion needed (1 without completion), counted as
    //! pabutools counts them: one per raise of the voters' budget.
    std::size_t equal_shares_runs{0};
    //! Of these, how many were computed; the others were proved to change nothing.
    std::size_t equal_shares_runs_computed{0};
};

//! A rule that could not finish, such as a completion beyond its run limit.
struct RuleFailure {
    std::string reason;
};

const char* PhaseName(Phase phase);
const char* LossReasonName(LossReason reason);

} // namespace wijkbudget::pb
