#pragma once
// services/principal.hpp: who is calling, as the services see it.
//
// A bearer token (api/) becomes a Principal; the use cases decide from it alone. The member id
// is the pseudonymous id that entries carry as their actor: never a name (DESIGN.md section 4).

#include "ledger/entry.hpp"

#include <optional>
#include <string>

namespace wijkbudget::services {

struct Principal {
    std::string token_id; //!< Public id of the token: logs and logout, never secret.
    ledger::Role role{ledger::Role::resident};
    ledger::Slug member;                 //!< The actor id written into entries.
    std::optional<ledger::Slug> council; //!< For council roles: the council they act for.
};

} // namespace wijkbudget::services
