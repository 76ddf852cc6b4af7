// The cache of immutable responses: what is put is found, and it never grows past its bound.
#include "api/immutable_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::api {
namespace {

TEST(ImmutableCacheTest, FindsWhatWasPutAndKeepsTheFirstBody)
{
    ImmutableCache cache{1024};
    EXPECT_FALSE(cache.Find("entry/1").has_value());
    cache.Put("entry/1", "one");
    cache.Put("entry/1", "changed"); // Immutable: a second body for the key is ignored.
    ASSERT_TRUE(cache.Find("entry/1").has_value());
    EXPECT_EQ(*cache.Find("entry/1"), "one");
}

TEST(ImmutableCacheTest, NeverPassesItsBound)
{
    ImmutableCache cache{100};
    cache.Put("a", std::string(40, 'a')); // 41 bytes
    cache.Put("b", std::string(40, 'b')); // 82
    EXPECT_TRUE(cache.Find("a").has_value());
    cache.Put("c", std::string(40, 'c')); // Would be 123: both go to free a quarter, c is kept.
    EXPECT_FALSE(cache.Find("a").has_value());
    EXPECT_FALSE(cache.Find("b").has_value());
    EXPECT_TRUE(cache.Find("c").has_value());
    cache.Put("huge", std::string(200, 'h')); // Larger than the whole cache: not kept.
    EXPECT_FALSE(cache.Find("huge").has_value());
    EXPECT_TRUE(cache.Find("c").has_value());
}

TEST(ImmutableCacheTest, DropsTheOldestQuarterRatherThanEverything)
{
    ImmutableCache cache{1000};
    for (int n = 0; n < 20; ++n) // 20 of 50 bytes: exactly full.
        cache.Put("k" + std::to_string(n + 10), std::string(47, 'x'));
    int kept = 0;
    for (int n = 0; n < 20; ++n)
        kept += cache.Find("k" + std::to_string(n + 10)).has_value() ? 1 : 0;
    EXPECT_EQ(kept, 20);
    cache.Put("new", std::string(47, 'n')); // Room for 50 more down to 750 bytes: 6 of 20 go.
    EXPECT_TRUE(cache.Find("new").has_value());
    kept = 0;
    for (int n = 0; n < 20; ++n)
        kept += cache.Find("k" + std::to_string(n + 10)).has_value() ? 1 : 0;
    EXPECT_EQ(kept, 14);
    EXPECT_FALSE(cache.Find("k10").has_value()); // The oldest went first,
    EXPECT_FALSE(cache.Find("k15").has_value());
    EXPECT_TRUE(cache.Find("k16").has_value()); // the newer ones stay.
    EXPECT_TRUE(cache.Find("k29").has_value());
}

} // namespace
} // namespace wijkbudget::api
