#include "api/immutable_cache.hpp"

#include <mutex>

namespace wijkbudget::api {

std::optional<std::string> ImmutableCache::Find(const std::string& key) const
{
    std::shared_lock lock{m_mutex};
    const auto found = m_bodies.find(key);
    if (found == m_bodies.end()) return std::nullopt;
    return found->second;
}

void ImmutableCache::Put(const std::string& key, const std::string& body)
{
    const std::size_t bytes = key.size() + body.size();
    if (bytes > m_bytes_max) return;
    std::unique_lock lock{m_mutex};
    if (m_bodies.contains(key)) return;
    if (m_bytes + bytes > m_bytes_max) {
        m_bodies.clear();
        m_bytes = 0;
    }
    m_bodies.emplace(key, body);
    m_bytes += bytes;
}

} // namespace wijkbudget::api
