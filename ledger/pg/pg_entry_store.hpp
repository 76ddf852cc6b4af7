#pragma once
// ledger/pg/pg_entry_store.hpp: the ledger's EntryStore and CheckpointReader on PostgreSQL.
//
// Each call leases one session from a shared soci::connection_pool (sessions are not
// thread-safe; the pool is), so a store may be used from many threads at once. AppendBatch takes
// the ledger's advisory lock, like the sequencer (ledger/pg/pg_sequencer.hpp), so the two never
// interleave; a batch that does not start at the stored head is a sequence_conflict, and
// PRIMARY KEY (leaf_index) is the backstop. Database failures are logged with their message and
// returned as Errc::storage_unavailable.

#include "ledger/checkpoint_store.hpp"
#include "ledger/entry_store.hpp"

#include <memory>
#include <string>

namespace soci {
class connection_pool;
}

namespace wijkbudget::ledger::pg {

class PgEntryStore final : public EntryStore, public CheckpointReader
{
public:
    /** @pre every session of `pool` was opened by OpenPool (search_path set to `schema`);
     *  IsValidIdentifier(schema). The pool is shared with other adapters. */
    PgEntryStore(std::shared_ptr<soci::connection_pool> pool, std::string schema);

    boost::system::result<void> AppendBatch(const EntryBatch& batch) override;
    boost::system::result<std::vector<std::string>> ReadRange(std::uint64_t first,
                                                              std::size_t count) const override;
    [[nodiscard]] boost::system::result<TreeHead> Head() const override;
    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override;
    boost::system::result<std::optional<StoredCheckpoint>> LatestCheckpoint() const override;

private:
    std::shared_ptr<soci::connection_pool> m_pool;
    std::string m_schema;
    std::int64_t m_lock_key;
};

} // namespace wijkbudget::ledger::pg
