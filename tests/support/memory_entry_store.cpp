#include "tests/support/memory_entry_store.hpp"

#include "ledger/assert.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"

namespace wijkbudget::testing {

using namespace ledger;

boost::system::result<void> MemoryEntryStore::AppendBatch(const EntryBatch& batch)
{
    if (batch.first != m_head.size) return make_error_code(Errc::sequence_conflict);
    // A batch is made by MakeEntryBatch: its hashes continue the stored ones without a gap.
    WB_ASSERT(batch.head.size == batch.first + batch.entries.size());
    std::uint64_t next = m_hashes.size();
    for (const auto& [index, hash] : batch.stored_hashes)
        WB_ASSERT(index == next++);
    WB_ASSERT(next == StoredHashCount(batch.head.size));
    m_entries.insert(m_entries.end(), batch.entries.begin(), batch.entries.end());
    for (const auto& stored : batch.stored_hashes)
        m_hashes.push_back(stored.second);
    m_head = batch.head;
    return {};
}

boost::system::result<std::vector<std::string>> MemoryEntryStore::ReadRange(std::uint64_t first,
                                                                            std::size_t count) const
{
    WB_ASSERT(count <= LEDGER_PAGE_ENTRIES_MAX);
    if (first > m_entries.size()) return make_error_code(Errc::index_out_of_range);
    const std::uint64_t end = std::min<std::uint64_t>(m_entries.size(), first + count);
    return std::vector<std::string>(m_entries.begin() + static_cast<std::ptrdiff_t>(first),
                                    m_entries.begin() + static_cast<std::ptrdiff_t>(end));
}

boost::system::result<TreeHead> MemoryEntryStore::Head() const
{
    return m_head;
}

boost::system::result<std::vector<Hash>>
MemoryEntryStore::ReadHashes(std::span<const std::uint64_t> indices) const
{
    std::vector<Hash> hashes;
    hashes.reserve(indices.size());
    for (std::uint64_t index : indices) {
        if (index >= m_hashes.size()) return make_error_code(Errc::stored_hash_missing);
        hashes.push_back(m_hashes[index]);
    }
    return hashes;
}

boost::system::result<void> FailingEntryStore::AppendBatch(const EntryBatch& batch)
{
    if (Fails()) return make_error_code(Errc::storage_unavailable);
    return m_store.AppendBatch(batch);
}

boost::system::result<std::vector<std::string>>
FailingEntryStore::ReadRange(std::uint64_t first, std::size_t count) const
{
    if (Fails()) return make_error_code(Errc::storage_unavailable);
    return m_store.ReadRange(first, count);
}

boost::system::result<TreeHead> FailingEntryStore::Head() const
{
    if (Fails()) return make_error_code(Errc::storage_unavailable);
    return m_store.Head();
}

boost::system::result<std::vector<Hash>>
FailingEntryStore::ReadHashes(std::span<const std::uint64_t> indices) const
{
    if (Fails()) return make_error_code(Errc::storage_unavailable);
    return m_store.ReadHashes(indices);
}

} // namespace wijkbudget::testing
