// tests/unit/api/http_date_test.cpp: the Date field's IMF-fixdate.

#include "api/http_date.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <thread>

namespace wijkbudget::api {
namespace {

TEST(HttpDateTest, WritesImfFixdateInGmt)
{
    // RFC 9110 section 5.6.7's own example.
    EXPECT_EQ(FormatHttpDate(784'111'777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    // A leap day, and the last second of a year.
    EXPECT_EQ(FormatHttpDate(1'709'164'800), "Thu, 29 Feb 2024 00:00:00 GMT");
    EXPECT_EQ(FormatHttpDate(1'830'297'599), "Fri, 31 Dec 2027 23:59:59 GMT");
}

TEST(HttpDateTest, NowIsFormattedAnewEachSecond)
{
    const std::time_t start = std::time(nullptr);
    const std::string first = HttpDateNow();
    EXPECT_TRUE(first == FormatHttpDate(start) || first == FormatHttpDate(start + 1)) << first;
    // The per-thread copy is made again once the second changed, never kept.
    std::this_thread::sleep_for(std::chrono::milliseconds{1100});
    const std::time_t later = std::time(nullptr);
    const std::string second = HttpDateNow();
    EXPECT_NE(second, first);
    EXPECT_TRUE(second == FormatHttpDate(later) || second == FormatHttpDate(later + 1)) << second;
}

} // namespace
} // namespace wijkbudget::api
