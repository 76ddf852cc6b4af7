#include "ledger/values.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace wijkbudget::ledger {
namespace {

bool IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

//! Reads exactly `count` digits at text[position..]; nullopt if any is not a digit.
std::optional<int> Digits(std::string_view text, std::size_t position, std::size_t count)
{
    int number = 0;
    for (std::size_t offset = 0; offset < count; ++offset) {
        const char c = text[position + offset];
        if (!IsDigit(c)) return std::nullopt;
        number = number * 10 + (c - '0');
    }
    return number;
}

//! Direction overrides and isolates (U+202A..U+202E, U+2066..U+2069), the direction marks
//! (U+200E, U+200F) and the line and paragraph separators (U+2028, U+2029): they can make a
//! payee's name read as another on screen, so no text in an entry holds them.
bool HasInvisibleFormatting(std::string_view text)
{
    for (std::size_t position = 0; position + 2 < text.size(); ++position) {
        if (static_cast<unsigned char>(text[position]) != 0xE2) continue;
        const auto second = static_cast<unsigned char>(text[position + 1]);
        const auto third = static_cast<unsigned char>(text[position + 2]);
        const bool marks = second == 0x80 && (third == 0x8E || third == 0x8F);
        const bool separators_and_overrides = second == 0x80 && third >= 0xA8 && third <= 0xAE;
        const bool isolates = second == 0x81 && third >= 0xA6 && third <= 0xA9;
        if (marks || separators_and_overrides || isolates) return true;
    }
    return false;
}

//! Text without C0/C1 control characters; newlines and tabs only where allowed.
bool PrintableUtf8(std::string_view text, bool allow_newlines)
{
    if (!IsValidUtf8(text) || HasInvisibleFormatting(text)) return false;
    for (std::size_t position = 0; position < text.size(); ++position) {
        const auto byte = static_cast<unsigned char>(text[position]);
        if (byte == '\n' || byte == '\t') {
            if (!allow_newlines) return false;
            continue;
        }
        if (byte < 0x20 || byte == 0x7F) return false;
        // U+0080..U+009F are encoded as C2 80..C2 9F.
        if (byte == 0xC2 && position + 1 < text.size() &&
            static_cast<unsigned char>(text[position + 1]) < 0xA0) {
            return false;
        }
    }
    return true;
}

std::optional<std::chrono::sys_days> DayOf(std::string_view text)
{
    // "YYYY-MM-DD"
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto year = Digits(text, 0, 4);
    auto month = Digits(text, 5, 2);
    auto day = Digits(text, 8, 2);
    if (!year || !month || !day || *year < 1970) return std::nullopt;
    const std::chrono::year_month_day date{std::chrono::year{*year},
                                           std::chrono::month{static_cast<unsigned>(*month)},
                                           std::chrono::day{static_cast<unsigned>(*day)}};
    if (!date.ok()) return std::nullopt;
    return std::chrono::sys_days{date};
}

} // namespace

bool SlugRule::Check(std::string_view text)
{
    if (text.empty() || text.size() > BYTES_MAX || text.front() == '-' || text.back() == '-')
        return false;
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'; });
}

bool TitleRule::Check(std::string_view text)
{
    return !text.empty() && PrintableUtf8(text, false);
}

bool DescriptionRule::Check(std::string_view text)
{
    return PrintableUtf8(text, true);
}

bool TokenRule::Check(std::string_view text)
{
    return !text.empty() && PrintableUtf8(text, false);
}

bool IsValidUtf8(std::string_view text)
{
    std::size_t position = 0;
    while (position < text.size()) {
        const auto lead = static_cast<unsigned char>(text[position]);
        std::size_t length = 0;
        std::uint32_t code_point = 0;
        if (lead < 0x80) {
            ++position;
            continue;
        }
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            code_point = lead & 0x1FU;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            code_point = lead & 0x0FU;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            code_point = lead & 0x07U;
        } else {
            return false;
        }
        if (position + length > text.size()) return false;
        for (std::size_t next = 1; next < length; ++next) {
            const auto byte = static_cast<unsigned char>(text[position + next]);
            if ((byte & 0xC0U) != 0x80U) return false;
            code_point = (code_point << 6U) | (byte & 0x3FU);
        }
        const bool overlong =
            (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
        const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
        if (overlong || surrogate || code_point > 0x10FFFF) return false;
        position += length;
    }
    return true;
}

std::string FormatDate(Date date)
{
    const std::chrono::year_month_day day{std::chrono::sys_days{std::chrono::days{date.days}}};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                  static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
    return text;
}

std::optional<Date> ParseDate(std::string_view text)
{
    auto day = DayOf(text);
    if (!day) return std::nullopt;
    return Date{static_cast<std::int32_t>(day->time_since_epoch().count())};
}

std::string FormatTimestamp(Timestamp time)
{
    const std::int64_t day_milliseconds = 86'400'000;
    std::int64_t days = time.milliseconds / day_milliseconds;
    std::int64_t rest = time.milliseconds % day_milliseconds;
    if (rest < 0) {
        rest += day_milliseconds;
        --days;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%sT%02lld:%02lld:%02lld.%03lldZ",
                  FormatDate(Date{static_cast<std::int32_t>(days)}).c_str(),
                  static_cast<long long>(rest / 3'600'000),
                  static_cast<long long>(rest / 60'000 % 60),
                  static_cast<long long>(rest / 1000 % 60), static_cast<long long>(rest % 1000));
    return text;
}

std::optional<Timestamp> ParseTimestamp(std::string_view text)
{
    // Exactly "YYYY-MM-DDTHH:MM:SS.mmmZ": one spelling per instant, so bytes stay canonical.
    if (text.size() != 24 || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
        text[19] != '.' || text[23] != 'Z') {
        return std::nullopt;
    }
    auto day = DayOf(text.substr(0, 10));
    auto hour = Digits(text, 11, 2);
    auto minute = Digits(text, 14, 2);
    auto second = Digits(text, 17, 2);
    auto millisecond = Digits(text, 20, 3);
    if (!day || !hour || !minute || !second || !millisecond) return std::nullopt;
    if (*hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
    const std::int64_t days = day->time_since_epoch().count();
    return Timestamp{days * 86'400'000 + *hour * 3'600'000LL + *minute * 60'000LL +
                     *second * 1000LL + *millisecond};
}

} // namespace wijkbudget::ledger
