// api/request_log.cpp: JSON lines for requests.

#include "api/request_log.hpp"

#include <array>
#include <charconv>
#include <ctime>
#include <string_view>
#include <system_error>

namespace wijkbudget::api {

namespace {

//! A line's usual length; longer targets just make the string grow.
constexpr std::size_t LOG_LINE_BYTES_TYPICAL{256};

constexpr std::string_view HEX_DIGITS{"0123456789abcdef"};

/** Appends `,"name":"value"`. The line is written by hand: building a boost::json object per
 *  request was a tenth of the CPU of a cached read. A client chooses the target's bytes, so the
 *  value is escaped as a log reader needs it: quotes, backslashes and control characters, so
 *  that nothing can end the field or the line, and every byte from 0x80 up as \u00XX, one code
 *  point per byte, so that the line stays valid UTF-8 whatever was sent, and each byte can be
 *  read back. (Targets are ASCII when clients follow RFC 3986.) */
void AppendStringField(std::string& out, std::string_view name, std::string_view value)
{
    out.append(",\"").append(name).append("\":\"");
    std::size_t run = 0;
    for (std::size_t position = 0; position < value.size(); ++position) {
        const auto byte = static_cast<unsigned char>(value[position]);
        if (byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\') continue;
        out.append(value.substr(run, position - run));
        run = position + 1;
        if (byte == '"' || byte == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(byte));
        } else {
            out.append("\\u00");
            out.push_back(HEX_DIGITS[byte >> 4U]);
            out.push_back(HEX_DIGITS[byte & 0x0fU]);
        }
    }
    out.append(value.substr(run));
    out.push_back('"');
}

template <typename Number>
void AppendNumber(std::string& out, Number value)
{
    std::array<char, 32> text{};
    const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
    out.append(text.data(), error == std::errc{} ? end : text.data());
}

//! RFC 3339 in UTC with milliseconds: "2024-05-01T12:00:00.123Z". The part up to the seconds is
//! formatted once per second and thread.
void AppendTime(std::string& out, std::chrono::system_clock::time_point time)
{
    const auto milliseconds =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    const auto seconds = static_cast<std::time_t>(milliseconds / 1000);
    thread_local std::time_t formatted_second = -1;
    thread_local std::array<char, 32> formatted{};
    thread_local std::size_t formatted_length = 0;
    if (seconds != formatted_second) {
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        formatted_length =
            std::strftime(formatted.data(), formatted.size(), "%Y-%m-%dT%H:%M:%S", &utc);
        formatted_second = seconds;
    }
    out.append(formatted.data(), formatted_length);
    const auto fraction = static_cast<int>(milliseconds % 1000);
    out.push_back('.');
    out.push_back(static_cast<char>('0' + fraction / 100));
    out.push_back(static_cast<char>('0' + fraction / 10 % 10));
    out.push_back(static_cast<char>('0' + fraction % 10));
    out.push_back('Z');
}

} // namespace

std::string FormatRequestLogLine(const RequestLogRecord& record)
{
    std::string line;
    line.reserve(LOG_LINE_BYTES_TYPICAL);
    line.append("{\"time\":\"");
    AppendTime(line, record.time);
    line.push_back('"');
    AppendStringField(line, "request_id", record.request_id);
    AppendStringField(line, "method", record.method);
    AppendStringField(line, "target", record.target);
    AppendStringField(line, "route", record.route);
    line.append(",\"status\":");
    AppendNumber(line, record.status);
    line.append(",\"bytes\":");
    AppendNumber(line, record.bytes);
    line.append(",\"duration_ms\":");
    // Microseconds are the clock's useful resolution here; fixed notation stays valid JSON.
    std::array<char, 32> text{};
    const double duration_ms = std::chrono::duration<double, std::milli>(record.duration).count();
    const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), duration_ms,
                                            std::chars_format::fixed, 3);
    line.append(text.data(), error == std::errc{} ? end : text.data());
    if (error != std::errc{}) line.push_back('0');
    // Only when it happened: the status of such a line was sent (or about to be), not delivered.
    if (record.cut) line.append(",\"cut\":true");
    line.push_back('}');
    return line;
}

void RequestLog::Write(const RequestLogRecord& record)
{
    const std::string line = FormatRequestLogLine(record) + "\n";
    const std::lock_guard lock{m_mutex};
    m_out << line << std::flush;
}

} // namespace wijkbudget::api
