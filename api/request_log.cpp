// api/request_log.cpp: JSON lines for requests.

#include "api/request_log.hpp"

#include <boost/json.hpp>

#include <array>
#include <cstdio>
#include <ctime>

namespace wijkbudget::api {

namespace {

//! RFC 3339 in UTC with milliseconds: "2024-05-01T12:00:00.123Z".
std::string FormatTime(std::chrono::system_clock::time_point time)
{
    const auto milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(milliseconds / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 32> text{};
    const auto length = std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%S", &utc);
    std::array<char, 8> fraction{};
    std::snprintf(fraction.data(), fraction.size(), ".%03dZ",
                  static_cast<int>(milliseconds % 1000));
    return std::string{text.data(), length} + fraction.data();
}

} // namespace

std::string FormatRequestLogLine(const RequestLogRecord& record)
{
    boost::json::object line;
    line["time"] = FormatTime(record.time);
    line["request_id"] = record.request_id;
    line["remote"] = record.remote;
    line["method"] = record.method;
    line["target"] = record.target;
    line["route"] = record.route;
    line["status"] = record.status;
    line["bytes"] = record.bytes;
    line["duration_ms"] = std::chrono::duration<double, std::milli>(record.duration).count();
    return boost::json::serialize(line);
}

void RequestLog::Write(const RequestLogRecord& record)
{
    const std::string line = FormatRequestLogLine(record) + "\n";
    const std::lock_guard lock{m_mutex};
    m_out << line << std::flush;
}

} // namespace wijkbudget::api
