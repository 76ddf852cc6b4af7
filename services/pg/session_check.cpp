#include "services/pg/session_check.hpp"

#include <soci/soci.h>

namespace wijkbudget::services::pg {

void ReadOnPooledSession(soci::connection_pool& pool, const SessionCheck& check,
                         const std::function<void(soci::session&)>& read)
{
    soci::session sql{pool};
    if (!check) return read(sql);
    check(sql);
    try {
        read(sql);
    } catch (const soci::soci_error&) {
        // Whatever the failure, a read may run again; a connection that broke is reopened here.
        check(sql);
        read(sql);
    }
}

} // namespace wijkbudget::services::pg
