#pragma once
// services/pg/pg_query_tables.hpp: writes the query tables (schema 003) from the projections.
//
// The query tables are for reading with SQL (reports, audits). Their content is a function of
// the ledger alone: the in-memory projections, fed every entry in order by the sequencer, are
// written out whole, in one transaction, with the ledger size they reflect in q_state. `serve`
// does this shortly after each change, and `wijkbudget rebuild-projections` after replaying the
// ledger from index 0; both write the same rows for the same ledger.

#include "services/council_registry.hpp"
#include "services/governance.hpp"
#include "services/pg/session_check.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <functional>
#include <utility>

namespace soci {
class connection_pool;
}

namespace wijkbudget::services::pg {

class PgQueryTables
{
public:
    //! @pre the pool's sessions have their search_path set to the ledger's schema.
    explicit PgQueryTables(soci::connection_pool& pool, SessionCheck check = {})
        : m_pool{pool}, m_check{std::move(check)}
    {}

    /** Replaces every query table's rows with the projections' current content. Fails with
     *  storage_unavailable (nothing changed), or with sequence_conflict when the two projections
     *  were not at the same ledger size while they were read, or were at a size that
     *  `committed_size()`, asked after they were read, does not reach (the caller tries again
     *  later). The sequencer feeds the projections as it seals, before the commit: a batch that
     *  then fails leaves them ahead of the ledger until they are rebuilt, and rows of its entries
     *  must never be written. Tables already written for a larger ledger (by a server further
     *  ahead) are left as they are. Returns the ledger size the tables now reflect. */
    boost::system::result<std::uint64_t>
    Replace(const CouncilRegistry& registry, const Governance& governance,
            const std::function<std::uint64_t()>& committed_size);
    //! The ledger size the tables reflect (0 when never written).
    boost::system::result<std::uint64_t> WrittenSize();

private:
    soci::connection_pool& m_pool;
    SessionCheck m_check;
};

} // namespace wijkbudget::services::pg
