#pragma once
// services/pg/pg_registered_councils.hpp: whether the stored ledger holds a council's
// registration. The operator's commands that name a council (`token create`, `account create`)
// ask it before they write, so that a typo in --council is refused instead of giving a token that
// can never act (every council route answers it 404). It reads the entries table's kind and
// council columns (an index probe), not serve's projections, which may not be running.

#include "ledger/values.hpp"

#include <boost/system/result.hpp>

namespace soci {
class connection_pool;
}

namespace wijkbudget::services::pg {

/** Whether a `council.registered` entry for `council` is stored; Errc::storage_unavailable if the
 *  database cannot be read. @pre the pool's sessions have their search_path set to the ledger's
 *  schema. */
boost::system::result<bool> IsCouncilRegistered(soci::connection_pool& pool,
                                                const ledger::Slug& council);

} // namespace wijkbudget::services::pg
