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
class session;
}

namespace wijkbudget::services::pg {

//! Throws soci::soci_error when the session cannot be made usable.
using SessionCheck = std::function<void(soci::session&)>;

} // namespace wijkbudget::services::pg
