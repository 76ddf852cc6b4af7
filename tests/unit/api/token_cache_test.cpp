// The token cache of writes: what is kept is found until its time is up or it is forgotten, and
// it never holds more than its bound.
#include "api/token_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::api {
namespace {

ledger::Hash HashOf(std::size_t n)
{
    ledger::Hash hash{};
    for (std::size_t byte = 0; byte < sizeof n; ++byte)
        hash[byte] = static_cast<std::uint8_t>(n >> (8 * byte));
    return hash;
}

services::Principal Officer(const std::string& id)
{
    return services::Principal{id, ledger::Role::municipality, ledger::Slug{"wethouder"},
                               std::nullopt};
}

TEST(TokenCacheTest, FindsAKeptPrincipalUntilItsTimeIsUp)
{
    TokenCache cache;
    const auto now = TokenCache::Clock::time_point{} + std::chrono::hours{1};
    EXPECT_FALSE(cache.Find(HashOf(1), now).has_value());
    cache.Keep(HashOf(1), Officer("t1"), now);
    const auto found = cache.Find(HashOf(1), now + TOKEN_CACHE_TTL - std::chrono::seconds{1});
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->token_id, "t1");
    EXPECT_EQ(found->role, ledger::Role::municipality);
    EXPECT_FALSE(cache.Find(HashOf(2), now).has_value()); // Another token is not this one.
    EXPECT_FALSE(cache.Find(HashOf(1), now + TOKEN_CACHE_TTL).has_value());
}

TEST(TokenCacheTest, ForgetsARefusedToken)
{
    TokenCache cache;
    const auto now = TokenCache::Clock::now();
    cache.Keep(HashOf(1), Officer("t1"), now);
    cache.Keep(HashOf(2), Officer("t2"), now);
    cache.Forget(HashOf(1));
    EXPECT_FALSE(cache.Find(HashOf(1), now).has_value());
    EXPECT_TRUE(cache.Find(HashOf(2), now).has_value());
}

TEST(TokenCacheTest, EmptiesItselfRatherThanPassItsBound)
{
    TokenCache cache;
    const auto now = TokenCache::Clock::now();
    for (std::size_t n = 0; n < TOKEN_CACHE_ENTRIES_MAX; ++n)
        cache.Keep(HashOf(n), Officer("t" + std::to_string(n)), now);
    EXPECT_EQ(cache.Size(), TOKEN_CACHE_ENTRIES_MAX);
    cache.Keep(HashOf(0), Officer("again"), now); // A kept one again: nothing is dropped.
    EXPECT_EQ(cache.Size(), TOKEN_CACHE_ENTRIES_MAX);
    cache.Keep(HashOf(TOKEN_CACHE_ENTRIES_MAX), Officer("one more"), now);
    EXPECT_EQ(cache.Size(), 1U);
    EXPECT_TRUE(cache.Find(HashOf(TOKEN_CACHE_ENTRIES_MAX), now).has_value());
    EXPECT_FALSE(cache.Find(HashOf(1), now).has_value());
}

} // namespace
} // namespace wijkbudget::api
