#pragma once
// services/decision_checks.hpp: the caller checks DecisionService makes before any draft.
//
// Internal to services/decision*.cpp. Each answers from the Principal alone, so a caller
// without the right role or council is refused at once and nothing is sequenced.

#include "ledger/errc.hpp"
#include "services/errc.hpp"
#include "services/principal.hpp"

#include <boost/system/result.hpp>

#include <initializer_list>
#include <string>

namespace wijkbudget::services::decision_checks {

using Check = boost::system::result<void, ledger::Failure>;

ledger::Failure Refusal(Errc code, std::string where);

//! The municipality, whatever the council.
Check RequireMunicipality(const Principal& principal);
//! The year end: the municipality, or the auditor, who closes periods (DESIGN.md section 1).
Check RequireMunicipalityOrAuditor(const Principal& principal);

//! One of `roles`, acting for `council`: a member acts only within their own council.
Check RequireCouncilRole(const Principal& principal, const ledger::Slug& council,
                         std::initializer_list<ledger::Role> roles);

//! The municipality, or one of `roles` acting for `council`.
Check RequireMunicipalityOrCouncilRole(const Principal& principal, const ledger::Slug& council,
                                       std::initializer_list<ledger::Role> roles);

} // namespace wijkbudget::services::decision_checks
