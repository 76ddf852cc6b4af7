// tests/unit/api/request_log_test.cpp: the request log line and the request id.

#include "api/request_log.hpp"
#include "api/session.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <string>

namespace wijkbudget::api {
namespace {

using namespace std::chrono_literals;

TEST(RequestLogTest, FormatsOneJsonObject)
{
    RequestLogRecord record{
        .time = std::chrono::system_clock::time_point{1'714'564'800'123ms},
        .request_id = "abc",
        .method = "GET",
        .target = "/api/v1/councils?cursor=\"x\"",
        .route = "GET /api/v1/councils",
        .status = 200,
        .bytes = 42,
        .duration = 1500us,
    };
    const std::string line = FormatRequestLogLine(record);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const auto json = boost::json::parse(line).as_object();
    EXPECT_EQ(json.at("time").as_string(), "2024-05-01T12:00:00.123Z");
    EXPECT_EQ(json.at("request_id").as_string(), "abc");
    EXPECT_EQ(json.at("method").as_string(), "GET");
    EXPECT_EQ(json.at("target").as_string(), "/api/v1/councils?cursor=\"x\"");
    EXPECT_EQ(json.at("route").as_string(), "GET /api/v1/councils");
    EXPECT_EQ(json.at("status").as_int64(), 200);
    EXPECT_EQ(json.at("bytes").as_int64(), 42);
    EXPECT_DOUBLE_EQ(json.at("duration_ms").as_double(), 1.5);
    EXPECT_EQ(json.size(), 8U);

    // An answer cut off says so; whole ones carry no such field.
    record.cut = true;
    const auto cut = boost::json::parse(FormatRequestLogLine(record)).as_object();
    EXPECT_EQ(cut.size(), 9U);
    EXPECT_EQ(cut.at("cut").as_bool(), true);
    EXPECT_EQ(cut.at("status").as_int64(), 200);
}

TEST(RequestLogTest, ALineHasNoFieldForTheSendersAddress)
{
    // A ballot's time is on the ledger: an address beside it, or beside the GET of that ballot's
    // entry from its receipt, would link a resident to their ballot. The record has no such
    // field (api/request_log.hpp), and a line carries the record's fields alone.
    RequestLogRecord record;
    record.route = "POST /rounds/{round}/ballot";
    const auto json = boost::json::parse(FormatRequestLogLine(record)).as_object();
    EXPECT_EQ(json.if_contains("remote"), nullptr);
    EXPECT_EQ(json.size(), 8U);
}

TEST(RequestLogTest, ControlCharactersInTargetCannotBreakTheLine)
{
    RequestLogRecord record;
    record.target = "/x\n{\"forged\":true}";
    const std::string line = FormatRequestLogLine(record);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(boost::json::parse(line).at("target").as_string(), record.target);
}

TEST(RequestLogTest, EveryAsciiByteRoundTripsThroughTheLine)
{
    RequestLogRecord record;
    for (int byte = 1; byte < 0x80; ++byte)
        record.target.push_back(static_cast<char>(byte));
    record.request_id = record.target;
    const std::string line = FormatRequestLogLine(record);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const auto json = boost::json::parse(line).as_object();
    EXPECT_EQ(json.at("target").as_string(), record.target);
    EXPECT_EQ(json.at("request_id").as_string(), record.target);
    EXPECT_EQ(json.at("status").as_int64(), 0);
    EXPECT_DOUBLE_EQ(json.at("duration_ms").as_double(), 0.0);
}

TEST(RequestLogTest, BytesAboveAsciiStayReadableAndTheLineValid)
{
    // Beast takes bytes from 0x80 up in a target; not all of them make UTF-8 (a lone 0xff).
    RequestLogRecord record;
    for (int byte = 0x80; byte <= 0xff; ++byte)
        record.target.push_back(static_cast<char>(byte));
    const std::string line = FormatRequestLogLine(record);
    EXPECT_TRUE(std::all_of(line.begin(), line.end(),
                            [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    const auto target = boost::json::parse(line).at("target").as_string();
    // One code point U+0080..U+00FF per byte, in UTF-8: two bytes each.
    ASSERT_EQ(target.size(), 2U * 0x80);
    for (std::size_t position = 0; position < 0x80; ++position) {
        const unsigned code_point = 0x80U + static_cast<unsigned>(position);
        EXPECT_EQ(static_cast<unsigned char>(target[2 * position]), 0xc0U | (code_point >> 6U));
        EXPECT_EQ(static_cast<unsigned char>(target[2 * position + 1]),
                  0x80U | (code_point & 0x3fU));
    }
}

TEST(RequestLogTest, EachLineHasItsOwnTimeAcrossSeconds)
{
    // The part up to the seconds is reused within a second: the next second, and an earlier
    // one, must still be written as they are.
    const std::chrono::system_clock::time_point base{1'714'564'800'000ms};
    for (const auto offset : {999ms, 1000ms, 61'001ms, 5ms}) {
        RequestLogRecord record;
        record.time = base + offset;
        record.duration = 2'345'678ns;
        const auto json = boost::json::parse(FormatRequestLogLine(record)).as_object();
        const std::time_t seconds = std::chrono::system_clock::to_time_t(record.time);
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        std::array<char, 32> expected{};
        const auto length =
            std::strftime(expected.data(), expected.size(), "%Y-%m-%dT%H:%M:%S", &utc);
        const auto milliseconds = (offset.count() % 1000);
        std::array<char, 8> fraction{};
        std::snprintf(fraction.data(), fraction.size(), ".%03dZ", static_cast<int>(milliseconds));
        EXPECT_EQ(json.at("time").as_string(),
                  std::string(expected.data(), length) + fraction.data());
        EXPECT_DOUBLE_EQ(json.at("duration_ms").as_double(), 2.346);
    }
}

TEST(RequestLogTest, WriteAppendsLines)
{
    std::ostringstream out;
    RequestLog log{out};
    log.Write(RequestLogRecord{});
    log.Write(RequestLogRecord{});
    const std::string text = out.str();
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(RequestIdTest, KeepsShortSafeClientValue)
{
    EXPECT_EQ(ChooseRequestId("abc-123_x.y:z"), "abc-123_x.y:z");
    EXPECT_EQ(ChooseRequestId(std::string(REQUEST_ID_CHARS_MAX, 'a')),
              std::string(REQUEST_ID_CHARS_MAX, 'a'));
}

TEST(RequestIdTest, ReplacesMissingLongOrUnsafeValue)
{
    for (const std::string& value :
         {std::string{}, std::string(REQUEST_ID_CHARS_MAX + 1, 'a'), std::string{"a b"},
          std::string{"a\"b"}, std::string{"a\r\nb"}, std::string{"\xc3\xa9"}}) {
        const std::string id = ChooseRequestId(value);
        EXPECT_EQ(id.size(), 32U) << value;
        EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    }
    EXPECT_NE(ChooseRequestId({}), ChooseRequestId({}));
}

} // namespace
} // namespace wijkbudget::api
