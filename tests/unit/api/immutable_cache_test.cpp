// The cache of immutable responses: what is put is found, and it never grows past its bound.
#include "api/immutable_cache.hpp"

#include <gtest/gtest.h>

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

TEST(ImmutableCacheTest, EmptiesItselfRatherThanPassItsBound)
{
    ImmutableCache cache{100};
    cache.Put("a", std::string(40, 'a')); // 41 bytes
    cache.Put("b", std::string(40, 'b')); // 82
    EXPECT_TRUE(cache.Find("a").has_value());
    cache.Put("c", std::string(40, 'c')); // Would be 123: emptied first, then kept.
    EXPECT_FALSE(cache.Find("a").has_value());
    EXPECT_FALSE(cache.Find("b").has_value());
    EXPECT_TRUE(cache.Find("c").has_value());
    cache.Put("huge", std::string(200, 'h')); // Larger than the whole cache: not kept.
    EXPECT_FALSE(cache.Find("huge").has_value());
    EXPECT_TRUE(cache.Find("c").has_value());
}

} // namespace
} // namespace wijkbudget::api
