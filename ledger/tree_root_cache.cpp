#include "ledger/tree_root_cache.hpp"

#include "ledger/merkle.hpp"

namespace wijkbudget::ledger {

boost::system::result<Hash> TreeRootCache::Root(std::uint64_t size, const HashReader& reader)
{
    {
        const std::lock_guard lock{m_mutex};
        const auto kept = m_roots.find(size);
        if (kept != m_roots.end()) return kept->second;
    }
    // Computed outside the lock: the reader may wait for the store. Two first readers of one
    // size both compute it, and get the same root.
    auto root = TreeHash(size, reader);
    if (!root) return root.error();
    const std::lock_guard lock{m_mutex};
    if (m_roots.size() >= TREE_ROOTS_KEPT_MAX) m_roots.erase(m_roots.begin());
    m_roots.emplace(size, *root);
    return *root;
}

} // namespace wijkbudget::ledger
