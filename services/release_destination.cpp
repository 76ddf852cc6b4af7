#include "services/release_destination.hpp"

namespace wijkbudget::services {

ledger::Account ReleaseDestination(const Governance& governance, const CommitmentView& commitment)
{
    ledger::Year year = commitment.year;
    // Each turn moves a year on, and only a closed year turns: the walk ends by YEAR_MAX.
    while (governance.IsPeriodClosed(commitment.council, year)) {
        const auto line = governance.FindLine(commitment.council, year, commitment.category);
        const auto rule = line ? line->at_year_end : ledger::YearEndRule::returns;
        if (rule == ledger::YearEndRule::returns) return ledger::PoolAccount();
        if (year.value == ledger::YEAR_MAX) return ledger::PoolAccount();
        year = ledger::Year{year.value + 1};
    }
    return ledger::LineAccount(commitment.council, year, commitment.category);
}

} // namespace wijkbudget::services
