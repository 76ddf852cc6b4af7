// If-None-Match: the list syntax of RFC 9110 section 13.1.2 and its weak comparison.
#include "api/entity_tags.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wijkbudget::api {
namespace {

constexpr std::string_view ETAG{"\"7f3a\""};

TEST(EntityTagsTest, NamesTheTagAloneWeakOrInAList)
{
    EXPECT_TRUE(EntityTagListMatches("\"7f3a\"", ETAG));
    EXPECT_TRUE(EntityTagListMatches("W/\"7f3a\"", ETAG)); // Weak comparison: W/ is ignored.
    EXPECT_TRUE(EntityTagListMatches("\"other\", \"7f3a\"", ETAG));
    EXPECT_TRUE(EntityTagListMatches(" \t\"a\",W/\"7f3a\" ,\"b\"\t", ETAG));
    EXPECT_TRUE(EntityTagListMatches(", ,\"7f3a\",", ETAG)); // Empty elements are allowed.
    EXPECT_TRUE(EntityTagListMatches("*", ETAG));
    EXPECT_TRUE(EntityTagListMatches("  *  ", ETAG));
    EXPECT_TRUE(EntityTagListMatches("\"a,b\"", "\"a,b\"")); // A comma may be inside a tag.
}

TEST(EntityTagsTest, OtherTagsNameNothing)
{
    EXPECT_FALSE(EntityTagListMatches("\"other\"", ETAG));
    EXPECT_FALSE(EntityTagListMatches("\"7F3A\"", ETAG)); // Octet for octet.
    EXPECT_FALSE(EntityTagListMatches("\"7f3\"", ETAG));
    EXPECT_FALSE(EntityTagListMatches("", ETAG));
    EXPECT_FALSE(EntityTagListMatches(" , ", ETAG));
}

TEST(EntityTagsTest, AFieldThatDoesNotParseNamesNothing)
{
    const std::vector<std::string> malformed{"7f3a",
                                             "\"7f3a",
                                             "w/\"7f3a\"",
                                             "W/7f3a",
                                             "\"7f3a\" \"7f3a\"",
                                             "\"7f3a\"x",
                                             "\"7f 3a\", \"7f3a\"",
                                             "*, \"7f3a\"",
                                             "\"7f3a\", *",
                                             std::string("\"7f3a\"\0", 7),
                                             "W/",
                                             "\"\x7f\", \"7f3a\""};
    for (const std::string& field : malformed) {
        EXPECT_FALSE(EntityTagListMatches(field, ETAG)) << field;
    }
}

} // namespace
} // namespace wijkbudget::api
