#pragma once
// services/pg/session_check.hpp: what an adapter does to a session it leases from the pool.
//
// A pooled connection that the database dropped (a restart, a failover) stays broken until
// someone reconnects it, and reconnecting must set the ledger's search_path again, which only
// ledger/pg knows how to do. So the composition root passes ledger::pg::EnsureConnected, bound
// to the schema, and every adapter calls it before using a session; without it (tools that open a
// fresh pool for one command) the session is used as it is.

#include <functional>

namespace soci {
class connection_pool;
class session;
} // namespace soci

namespace wijkbudget::services::pg {

//! Throws soci::soci_error when the session cannot be made usable.
using SessionCheck = std::function<void(soci::session&)>;

/** For reads: runs `read` on a session leased from `pool` after `check`, and if it throws because
 * the connection broke, once more after `check` again. A connection the database dropped since its
 * last use (a restart, a failover) fails only the statement that meets it, and `check` then reopens
 * it; without the second run each pooled connection would fail one request after every database
 * restart. `read` must have no effect but its result (it may run twice): never a write, whose
 * outcome a broken connection leaves unknown. Without a check (a tool's fresh pool) it runs once.
 * Throws what the last run or check throws. */
void ReadOnPooledSession(soci::connection_pool& pool, const SessionCheck& check,
                         const std::function<void(soci::session&)>& read);

} // namespace wijkbudget::services::pg
