#include "ledger/memory_hash_store.hpp"

#include "ledger/assert.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"

namespace wijkbudget::ledger {

std::uint64_t MemoryHashStore::Append(const Hash& leaf_hash)
{
    WB_ASSERT(m_size < TREE_SIZE_MAX);
    WB_ASSERT(m_hashes.size() == StoredHashCount(m_size));
    // The store reads only its own complete past, so the read cannot fail.
    auto hashes = StoredHashesForRecord(m_size, leaf_hash, *this);
    WB_ASSERT(hashes.has_value());
    m_hashes.insert(m_hashes.end(), hashes->begin(), hashes->end());
    ++m_size;
    WB_ASSERT(m_hashes.size() == StoredHashCount(m_size));
    return m_size - 1;
}

void MemoryHashStore::Reserve(std::uint64_t leaves)
{
    WB_ASSERT(leaves <= TREE_SIZE_MAX);
    m_hashes.reserve(static_cast<std::size_t>(StoredHashCount(leaves)));
}

boost::system::result<std::vector<Hash>>
MemoryHashStore::ReadHashes(std::span<const std::uint64_t> indices) const
{
    std::vector<Hash> hashes;
    hashes.reserve(indices.size());
    for (const std::uint64_t index : indices) {
        if (index >= m_hashes.size()) return make_error_code(Errc::stored_hash_missing);
        hashes.push_back(m_hashes[static_cast<std::size_t>(index)]);
    }
    return hashes;
}

} // namespace wijkbudget::ledger
