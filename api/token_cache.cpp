#include "api/token_cache.hpp"

#include <cstring>

namespace wijkbudget::api {

std::size_t TokenCache::HashOfHash::operator()(const ledger::Hash& hash) const noexcept
{
    // The key is a SHA-256 output: any of its words is already uniformly distributed.
    std::size_t word = 0;
    std::memcpy(&word, hash.data(), sizeof word);
    return word;
}

std::optional<services::Principal> TokenCache::Find(const ledger::Hash& token_hash,
                                                    Clock::time_point now) const
{
    std::lock_guard lock(m_mutex);
    const auto kept = m_kept.find(token_hash);
    if (kept == m_kept.end() || kept->second.until <= now) return std::nullopt;
    return kept->second.principal;
}

void TokenCache::Keep(const ledger::Hash& token_hash, services::Principal principal,
                      Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    if (m_kept.size() >= TOKEN_CACHE_ENTRIES_MAX && !m_kept.contains(token_hash)) m_kept.clear();
    m_kept.insert_or_assign(token_hash, Kept{std::move(principal), now + TOKEN_CACHE_TTL});
}

void TokenCache::Forget(const ledger::Hash& token_hash)
{
    std::lock_guard lock(m_mutex);
    m_kept.erase(token_hash);
}

std::size_t TokenCache::Size() const
{
    std::lock_guard lock(m_mutex);
    return m_kept.size();
}

} // namespace wijkbudget::api
