#include "api/http_date.hpp"

#include <array>
#include <cstdio>

namespace wijkbudget::api {

std::string FormatHttpDate(std::time_t seconds)
{
    // Not strftime: its %a and %b follow LC_TIME, and the field is English by definition.
    static constexpr std::array<const char*, 7> DAYS{"Sun", "Mon", "Tue", "Wed",
                                                     "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> MONTHS{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm parts{};
    if (gmtime_r(&seconds, &parts) == nullptr) return {};
    std::array<char, 64> text{};
    const int written =
        std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                      DAYS.at(static_cast<std::size_t>(parts.tm_wday)), parts.tm_mday,
                      MONTHS.at(static_cast<std::size_t>(parts.tm_mon)), parts.tm_year + 1900,
                      parts.tm_hour, parts.tm_min, parts.tm_sec);
    if (written <= 0) return {};
    return {text.data(), static_cast<std::size_t>(written)};
}

const std::string& HttpDateNow()
{
    // Every answer asks; the clock read is cheap, the formatting less so.
    thread_local std::time_t formatted_second = -1;
    thread_local std::string formatted;
    const std::time_t now = std::time(nullptr);
    if (now != formatted_second) {
        formatted = FormatHttpDate(now);
        formatted_second = now;
    }
    return formatted;
}

} // namespace wijkbudget::api
