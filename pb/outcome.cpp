// pb/outcome.cpp: see outcome.hpp. These names are printed by `wijkbudget pb --explain`: like an
// error code, a published name is never changed.
#include "pb/outcome.hpp"

namespace wijkbudget::pb {

const char* PhaseName(Phase phase)
{
    switch (phase) {
    case Phase::greedy: return "greedy";
    case Phase::zero_cost: return "zero_cost";
    case Phase::equal_shares: return "equal_shares";
    case Phase::greedy_completion: return "greedy_completion";
    }
    return "unknown";
}

const char* LossReasonName(LossReason reason)
{
    switch (reason) {
    case LossReason::no_support: return "no_support";
    case LossReason::unaffordable: return "unaffordable";
    case LossReason::did_not_fit: return "did_not_fit";
    }
    return "unknown";
}

} // namespace wijkbudget::pb
