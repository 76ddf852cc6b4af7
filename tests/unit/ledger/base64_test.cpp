#include "ledger/base64.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

std::vector<std::uint8_t> BytesOf(std::string_view text)
{
    return {text.begin(), text.end()};
}

// RFC 4648, section 10.
struct Vector {
    std::string_view plain;
    std::string_view encoded;
};
constexpr Vector RFC4648_VECTORS[]{
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64Test, EncodesRfc4648Vectors)
{
    for (const auto& vector : RFC4648_VECTORS) {
        EXPECT_EQ(ToBase64(BytesOf(vector.plain)), vector.encoded) << vector.plain;
    }
}

TEST(Base64Test, DecodesRfc4648Vectors)
{
    for (const auto& vector : RFC4648_VECTORS) {
        const auto decoded = FromBase64(vector.encoded);
        ASSERT_TRUE(decoded.has_value()) << vector.encoded;
        EXPECT_EQ(*decoded, BytesOf(vector.plain)) << vector.encoded;
    }
}

TEST(Base64Test, RoundTripsEveryByteValueAndLength)
{
    std::vector<std::uint8_t> bytes;
    for (int value = 0; value < 256; ++value) {
        bytes.push_back(static_cast<std::uint8_t>(255 - value));
        const auto decoded = FromBase64(ToBase64(bytes));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, bytes);
    }
}

TEST(Base64Test, UsesTheStandardAlphabet)
{
    const std::vector<std::uint8_t> bytes{0xFB, 0xFF, 0xBF};
    EXPECT_EQ(ToBase64(bytes), "+/+/");
    EXPECT_EQ(FromBase64("+/+/"), bytes);
}

TEST(Base64Test, RejectsLengthNotMultipleOfFour)
{
    EXPECT_FALSE(FromBase64("Zg"));
    EXPECT_FALSE(FromBase64("Zg="));
    EXPECT_FALSE(FromBase64("Zm9vY"));
    EXPECT_FALSE(FromBase64("Zm9vYg==="));
}

TEST(Base64Test, RejectsBadCharacters)
{
    EXPECT_FALSE(FromBase64("Zm9-")); // URL-safe alphabet.
    EXPECT_FALSE(FromBase64("Zm9_"));
    EXPECT_FALSE(FromBase64("Zm 9"));
    EXPECT_FALSE(FromBase64("Zm9v\n"));
    EXPECT_FALSE(FromBase64("Zm9v\nZm9v"));
    EXPECT_FALSE(FromBase64(std::string_view("Zm\0v", 4)));
    EXPECT_FALSE(FromBase64("Zm\xC3\xA9"));
}

TEST(Base64Test, RejectsBadPadding)
{
    EXPECT_FALSE(FromBase64("===="));
    EXPECT_FALSE(FromBase64("Z==="));
    EXPECT_FALSE(FromBase64("Zg=a"));
    EXPECT_FALSE(FromBase64("Z=g="));
    EXPECT_FALSE(FromBase64("Zm8=Zm9v"));
    EXPECT_FALSE(FromBase64("Zg==Zg=="));
}

TEST(Base64Test, RejectsNonCanonicalTrailingBits)
{
    EXPECT_TRUE(FromBase64("Zg=="));
    EXPECT_FALSE(FromBase64("Zh=="));
    EXPECT_FALSE(FromBase64("Zv=="));
    EXPECT_TRUE(FromBase64("Zm8="));
    EXPECT_FALSE(FromBase64("Zm9="));
    EXPECT_FALSE(FromBase64("Zm/="));
}

} // namespace
} // namespace wijkbudget::ledger
