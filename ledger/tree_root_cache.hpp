#pragma once
// ledger/tree_root_cache.hpp: the roots of trees of given sizes, each computed once.
//
// Every inclusion proof in the tree of a given size names that tree's root, and readers ask
// for proofs in the tree of the latest checkpoint again and again: computing the root anew was
// a sixth of computing an uncached proof's answer (perf, a ledger of 149,000 entries). A tree
// of a given size never changes (entries are append-only), so its root may be kept for good.

#include "ledger/hash_store.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <map>
#include <mutex>

namespace wijkbudget::ledger {

//! Sizes whose roots a cache keeps at most; beyond, the smallest size is dropped first.
inline constexpr std::size_t TREE_ROOTS_KEPT_MAX{1024};

class TreeRootCache
{
public:
    //! TreeHash(size, reader), from memory when this size was asked before. Thread-safe.
    boost::system::result<Hash> Root(std::uint64_t size, const HashReader& reader);

private:
    std::mutex m_mutex;
    std::map<std::uint64_t, Hash> m_roots;
};

} // namespace wijkbudget::ledger
