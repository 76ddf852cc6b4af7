#include "services/decision_checks.hpp"

#include <algorithm>
#include <utility>

namespace wijkbudget::services::decision_checks {

ledger::Failure Refusal(Errc code, std::string where)
{
    return {make_error_code(code), std::move(where)};
}

Check RequireMunicipality(const Principal& principal)
{
    if (principal.role != ledger::Role::municipality) {
        return Refusal(Errc::not_permitted,
                       "role " + std::string(ledger::SpellingOf(principal.role)));
    }
    return {};
}

Check RequireMunicipalityOrAuditor(const Principal& principal)
{
    if (principal.role == ledger::Role::auditor) return {};
    return RequireMunicipality(principal);
}

Check RequireCouncilRole(const Principal& principal, const ledger::Slug& council,
                         std::initializer_list<ledger::Role> roles)
{
    if (std::find(roles.begin(), roles.end(), principal.role) == roles.end()) {
        return Refusal(Errc::not_permitted,
                       "role " + std::string(ledger::SpellingOf(principal.role)));
    }
    if (!principal.council || *principal.council != council) {
        return Refusal(Errc::not_permitted, "council " + council.value);
    }
    return {};
}

Check RequireMunicipalityOrCouncilRole(const Principal& principal, const ledger::Slug& council,
                                       std::initializer_list<ledger::Role> roles)
{
    if (principal.role == ledger::Role::municipality) return {};
    return RequireCouncilRole(principal, council, roles);
}

} // namespace wijkbudget::services::decision_checks
