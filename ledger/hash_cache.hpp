#pragma once
// ledger/hash_cache.hpp: stored hashes kept in memory in front of a slower HashReader.
//
// A stored hash never changes once written (entries are append-only, and so are the hashes of
// their complete subtrees), so readers may keep them: proofs for the same tree share their upper
// levels, and a warm cache answers a proof without the database. Bounded: when full it is
// emptied and fills again, which keeps it simple and its memory at most about
// HASH_CACHE_ENTRIES_MAX * (32 bytes + the map's overhead).

#include "ledger/hash_store.hpp"

#include <cstdint>
#include <shared_mutex>
#include <span>
#include <unordered_map>
#include <utility>

namespace wijkbudget::ledger {

//! Stored hashes a cache holds at most: about 50 MB with the map's overhead.
inline constexpr std::size_t HASH_CACHE_ENTRIES_MAX{500'000};

class HashCache final : public HashReader
{
public:
    //! @pre `store` outlives the cache. Thread-safe.
    explicit HashCache(const HashReader& store, std::size_t entries_max = HASH_CACHE_ENTRIES_MAX)
        : m_store{store}, m_entries_max{entries_max}
    {}

    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override;

    /** Keeps hashes known to be stored for good (committed), e.g. those the sequencer just
     *  wrote, so that proofs of new entries need no read of the store. */
    void Keep(std::span<const std::pair<std::uint64_t, Hash>> stored);

    /** The hashes if all are in memory now; Errc::storage_unavailable at once otherwise, without
     *  reading the store (CachedHashesOnly). */
    boost::system::result<std::vector<Hash>>
    ReadCachedHashes(std::span<const std::uint64_t> indices) const;

private:
    const HashReader& m_store;
    std::size_t m_entries_max;
    mutable std::shared_mutex m_mutex;
    mutable std::unordered_map<std::uint64_t, Hash> m_hashes;
};

/** A HashCache's hashes in memory, and only those: a read that needs one the cache lacks fails
 *  with Errc::storage_unavailable instead of waiting for the store. For a caller that must not
 *  block (an I/O thread), which hands such a request on to one that may. */
class CachedHashesOnly final : public HashReader
{
public:
    //! @pre `cache` outlives this. Thread-safe.
    explicit CachedHashesOnly(const HashCache& cache) : m_cache{cache} {}

    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override
    {
        return m_cache.ReadCachedHashes(indices);
    }

private:
    const HashCache& m_cache;
};

} // namespace wijkbudget::ledger
