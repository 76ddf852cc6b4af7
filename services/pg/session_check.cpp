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
        // Only for a connection that broke: any other failure (a timeout, a refused statement)
        // would cost the database twice when it struggles. is_connected asks the server, which
        // only this failure's path pays for.
        if (sql.is_connected()) throw;
        check(sql);
        read(sql);
    }
}

} // namespace wijkbudget::services::pg
