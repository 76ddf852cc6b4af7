// tests/unit/api/http_date_test.cpp: the Date field's IMF-fixdate.

#include "api/http_date.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <ctime>
#include <regex>
#include <string>

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

TEST(HttpDateTest, NowIsTodayAndEnglishWhateverTheLocale)
{
    // A process that set a Dutch LC_TIME (where installed) still says "Mon", not "ma".
    const char* before = std::setlocale(LC_TIME, nullptr);
    const std::string kept = before != nullptr ? before : "C";
    std::setlocale(LC_TIME, "nl_NL.UTF-8");
    const std::time_t start = std::time(nullptr);
    const std::string now = HttpDateNow();
    const std::time_t end = std::time(nullptr);
    std::setlocale(LC_TIME, kept.c_str());
    EXPECT_TRUE(now == FormatHttpDate(start) || now == FormatHttpDate(end)) << now;
    EXPECT_TRUE(std::regex_match(
        now, std::regex{R"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|)"
                        R"(Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT)"}))
        << now;
}

} // namespace
} // namespace wijkbudget::api
