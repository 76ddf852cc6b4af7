#include "ledger/hash_cache.hpp"

#include "ledger/assert.hpp"
#include "ledger/errc.hpp"

#include <mutex>

namespace wijkbudget::ledger {

boost::system::result<std::vector<Hash>>
HashCache::ReadHashes(std::span<const std::uint64_t> indices) const
{
    std::vector<Hash> hashes(indices.size());
    std::vector<std::uint64_t> missing;
    std::vector<std::size_t> missing_positions;
    {
        std::shared_lock lock{m_mutex};
        for (std::size_t position = 0; position < indices.size(); ++position) {
            const auto found = m_hashes.find(indices[position]);
            if (found != m_hashes.end()) {
                hashes[position] = found->second;
            } else {
                missing.push_back(indices[position]);
                missing_positions.push_back(position);
            }
        }
    }
    if (missing.empty()) return hashes;
    auto read = m_store.ReadHashes(missing); // Outside the lock: it may take a round trip.
    if (!read) return read.error();
    WB_ASSERT(read->size() == missing.size());
    // A full cache is swapped out under the lock and freed after it (destroyed after `lock`):
    // freeing half a million nodes takes milliseconds, and I/O threads wait for the lock.
    std::unordered_map<std::uint64_t, Hash> dropped;
    std::unique_lock lock{m_mutex};
    if (m_hashes.size() + missing.size() > m_entries_max) dropped.swap(m_hashes);
    for (std::size_t position = 0; position < missing.size(); ++position) {
        hashes[missing_positions[position]] = (*read)[position];
        if (missing.size() <= m_entries_max) m_hashes.emplace(missing[position], (*read)[position]);
    }
    return hashes;
}

void HashCache::Keep(std::span<const std::pair<std::uint64_t, Hash>> stored)
{
    if (stored.size() > m_entries_max) return;
    std::unordered_map<std::uint64_t, Hash> dropped; // Freed after the lock, as in ReadHashes.
    std::unique_lock lock{m_mutex};
    if (m_hashes.size() + stored.size() > m_entries_max) dropped.swap(m_hashes);
    for (const auto& [index, hash] : stored)
        m_hashes.emplace(index, hash);
}

boost::system::result<std::vector<Hash>>
HashCache::ReadCachedHashes(std::span<const std::uint64_t> indices) const
{
    std::vector<Hash> hashes;
    hashes.reserve(indices.size());
    std::shared_lock lock{m_mutex};
    for (const std::uint64_t index : indices) {
        const auto found = m_hashes.find(index);
        if (found == m_hashes.end()) return Errc::storage_unavailable;
        hashes.push_back(found->second);
    }
    return hashes;
}

} // namespace wijkbudget::ledger
