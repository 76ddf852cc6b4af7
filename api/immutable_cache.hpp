#pragma once
// api/immutable_cache.hpp: bodies of responses that never change, kept in memory.
//
// An entry at an index, and a proof between fixed sizes, are the same for ever (DESIGN.md
// section 7), so once read they are served without the database. The cache is bounded: when
// full it is emptied and fills again from the requests that follow, which keeps it simple and
// its memory at most about IMMUTABLE_CACHE_BYTES_MAX.

#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace wijkbudget::api {

//! Bytes of cached bodies (and keys) at most: enough for the hot part of a large ledger.
inline constexpr std::size_t IMMUTABLE_CACHE_BYTES_MAX{64 * 1024 * 1024};

class ImmutableCache
{
public:
    explicit ImmutableCache(std::size_t bytes_max = IMMUTABLE_CACHE_BYTES_MAX)
        : m_bytes_max{bytes_max}
    {}

    [[nodiscard]] std::optional<std::string> Find(const std::string& key) const;
    //! Keeps `body` under `key`; the caller guarantees it never changes.
    void Put(const std::string& key, const std::string& body);

private:
    std::size_t m_bytes_max;
    mutable std::shared_mutex m_mutex;
    std::unordered_map<std::string, std::string> m_bodies;
    std::size_t m_bytes{0};
};

} // namespace wijkbudget::api
