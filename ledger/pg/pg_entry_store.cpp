#include "ledger/pg/pg_entry_store.hpp"

#include "ledger/assert.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"
#include "ledger/pg/connection.hpp"
#include "ledger/pg/ledger_tables.hpp"

#include <soci/soci.h>

#include <optional>
#include <utility>

namespace wijkbudget::ledger::pg {
namespace {

boost::system::error_code Logged(const soci::soci_error& error, std::string_view what)
{
    const Failure failure = FailureFromException(error, what);
    LogFailure(failure);
    return failure.code;
}

} // namespace

PgEntryStore::PgEntryStore(std::shared_ptr<soci::connection_pool> pool, std::string schema)
    : m_pool{std::move(pool)}, m_schema{std::move(schema)}, m_lock_key{LedgerLockKey(m_schema)}
{
    WB_ASSERT(m_pool != nullptr);
    WB_ASSERT(IsValidIdentifier(m_schema));
}

boost::system::result<void> PgEntryStore::AppendBatch(const EntryBatch& batch)
{
    try {
        soci::session session(*m_pool);
        EnsureConnected(session, m_schema);
        soci::transaction transaction(session);
        LockLedger(session, m_lock_key);
        if (StoredSize(session) != batch.first) return make_error_code(Errc::sequence_conflict);
        if (batch.entries.empty()) return {};
        auto inserted = InsertBatch(session, batch);
        if (!inserted) return inserted.error();
        session << "SET LOCAL synchronous_commit = on";
        transaction.commit();
        return {};
    } catch (const soci::soci_error& error) {
        return Logged(error, "appending a batch");
    }
}

boost::system::result<std::vector<std::string>> PgEntryStore::ReadRange(std::uint64_t first,
                                                                        std::size_t count) const
{
    WB_ASSERT(count <= LEDGER_PAGE_ENTRIES_MAX);
    std::optional<boost::system::result<std::vector<std::string>>> range;
    try {
        ReadOnSession(*m_pool, m_schema, [&](soci::session& session) {
            if (count > 0) {
                auto entries = ReadEntries(session, first, count);
                // Entries are dense: some at `first` means first is below the head. Only an
                // empty answer needs the size, to tell "at the head" from "past it".
                if (!entries || !entries->empty()) {
                    range = std::move(entries);
                    return range->has_value();
                }
            }
            if (first > StoredSize(session)) {
                range = make_error_code(Errc::index_out_of_range);
                return true; // An answer, not a failure of the connection.
            }
            range = std::vector<std::string>{};
            return true;
        });
    } catch (const soci::soci_error& error) {
        return Logged(error, "reading entries");
    }
    WB_ASSERT(range.has_value());
    return std::move(*range);
}

boost::system::result<TreeHead> PgEntryStore::Head() const
{
    std::optional<boost::system::result<TreeHead>> head;
    try {
        ReadOnSession(*m_pool, m_schema, [&](soci::session& session) {
            // Entries and their stored hashes commit together and are never changed, so the
            // hashes of the size read first are there for the second query.
            const std::uint64_t size = StoredSize(session);
            auto root = TreeHash(size, SessionHashReader(session));
            if (!root) {
                head = root.error();
                return false;
            }
            head = TreeHead{size, *root};
            return true;
        });
    } catch (const soci::soci_error& error) {
        return Logged(error, "reading the head");
    }
    WB_ASSERT(head.has_value());
    return std::move(*head);
}

boost::system::result<std::vector<Hash>>
PgEntryStore::ReadHashes(std::span<const std::uint64_t> indices) const
{
    std::optional<boost::system::result<std::vector<Hash>>> hashes;
    try {
        ReadOnSession(*m_pool, m_schema, [&](soci::session& session) {
            hashes = SessionHashReader(session).ReadHashes(indices);
            return hashes->has_value();
        });
    } catch (const soci::soci_error& error) {
        return Logged(error, "reading stored hashes");
    }
    WB_ASSERT(hashes.has_value());
    return std::move(*hashes);
}

boost::system::result<std::optional<StoredCheckpoint>> PgEntryStore::LatestCheckpoint() const
{
    std::optional<CheckpointRow> row;
    try {
        ReadOnSession(*m_pool, m_schema, [&](soci::session& session) {
            row = LatestCheckpointRow(session);
            return true;
        });
    } catch (const soci::soci_error& error) {
        return Logged(error, "reading the latest checkpoint");
    }
    if (!row) return std::optional<StoredCheckpoint>{};
    return std::optional<StoredCheckpoint>{
        StoredCheckpoint{row->size, std::move(row->note), Timestamp{row->signed_at_milliseconds}}};
}

} // namespace wijkbudget::ledger::pg
