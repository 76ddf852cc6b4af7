#include "services/pg/pg_registered_councils.hpp"

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"

#include <soci/soci.h>

#include <string>

namespace wijkbudget::services::pg {

boost::system::result<bool> IsCouncilRegistered(soci::connection_pool& pool,
                                                const ledger::Slug& council)
{
    int registered = 0;
    try {
        soci::session sql{pool};
        const std::string kind{ledger::CouncilRegistered::KIND};
        sql << "SELECT count(*) FROM (SELECT 1 FROM entries WHERE council = :council "
               "AND kind = :kind LIMIT 1) AS found",
            soci::use(council.value, "council"), soci::use(kind, "kind"), soci::into(registered);
    } catch (const soci::soci_error&) {
        return {boost::system::in_place_error, make_error_code(ledger::Errc::storage_unavailable)};
    }
    return registered > 0;
}

} // namespace wijkbudget::services::pg
