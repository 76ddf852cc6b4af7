#include "api/web/format.hpp"

#include "ledger/assert.hpp"
#include "services/calendar.hpp"

#include <array>
#include <charconv>
#include <optional>
#include <string_view>

namespace wijkbudget::api::web {
namespace {

constexpr std::array<Phrase, 12> MONTHS{{
    {"januari", "January"},
    {"februari", "February"},
    {"maart", "March"},
    {"april", "April"},
    {"mei", "May"},
    {"juni", "June"},
    {"juli", "July"},
    {"augustus", "August"},
    {"september", "September"},
    {"oktober", "October"},
    {"november", "November"},
    {"december", "December"},
}};

std::string Grouped(std::uint64_t number, char separator)
{
    std::string digits = std::to_string(number);
    for (auto position = static_cast<std::ptrdiff_t>(digits.size()) - 3; position > 0;
         position -= 3)
        digits.insert(static_cast<std::size_t>(position), 1, separator);
    return digits;
}

//! "2026-11-28" as day, month and year; the ledger writes dates this way only.
std::string DayFromIso(std::string_view iso, Language language)
{
    WB_CHECK_NONFATAL(iso.size() == 10);
    const int month = (iso[5] - '0') * 10 + (iso[6] - '0');
    WB_CHECK_NONFATAL(month >= 1 && month <= 12);
    std::string_view day = iso.substr(8, 2);
    if (day.front() == '0') day.remove_prefix(1);
    return std::string(day) + " " +
           std::string(Say(MONTHS[static_cast<std::size_t>(month - 1)], language)) + " " +
           std::string(iso.substr(0, 4));
}

//! After a moment's hours and minutes.
constexpr Phrase DUTCH_TIME{"Nederlandse tijd", "Netherlands time"};

//! The largest numerator or denominator turned into cents (10^15): far beyond any budget, and
//! small enough that numerator * 100 + denominator fits in 64 bits.
constexpr std::uint64_t FRACTION_PART_MAX{1'000'000'000'000'000};

std::optional<std::uint64_t> Digits(std::string_view text)
{
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return {};
    return value;
}

} // namespace

std::string FormatAmount(ledger::Cents amount, Language language)
{
    // Dutch is the ledger's own spelling (ledger/money.hpp); English mirrors it.
    if (language == Language::nl) return ledger::FormatEuroDutch(amount);
    const bool negative = amount.value < 0;
    const auto magnitude = negative ? 0ULL - static_cast<unsigned long long>(amount.value)
                                    : static_cast<unsigned long long>(amount.value);
    const auto cents = magnitude % 100;
    return std::string(negative ? "-€" : "€") + Grouped(magnitude / 100, ',') + "." +
           (cents < 10 ? "0" : "") + std::to_string(cents);
}

std::string FormatDay(ledger::Date date, Language language)
{
    return DayFromIso(ledger::FormatDate(date), language);
}

std::string FormatMoment(ledger::Timestamp time, Language language)
{
    // In Dutch time, as the site names days (services::DateOf): a round that opens at midnight
    // in Haarlem opens on that day here too, not at 23:00 UTC the day before. The ISO text of
    // the shifted moment gives its day, hours and minutes ("2026-11-28T10:52:40.123Z").
    // The offset is said too: in the hour the clocks go back, 02:30 comes twice.
    const std::int64_t offset = services::AmsterdamOffsetMilliseconds(time);
    const ledger::Timestamp local{time.milliseconds + offset};
    const std::string iso = ledger::FormatTimestamp(local);
    WB_CHECK_NONFATAL(iso.size() >= 16);
    return DayFromIso(std::string_view(iso).substr(0, 10), language) + ", " + iso.substr(11, 5) +
           " (" + std::string(Say(DUTCH_TIME, language)) + ", UTC+" +
           std::to_string(offset / services::MILLISECONDS_PER_HOUR) + ")";
}

std::string FormatCount(std::uint64_t count, Language language)
{
    return Grouped(count, language == Language::en ? ',' : '.');
}

std::string FormatShare(std::uint64_t part, std::uint64_t whole, Language language)
{
    if (whole == 0) return "–";
    // Tenths of a percent, rounded half up, in integers: no floating point on a public page.
    const std::uint64_t tenths = (part * 2000 / whole + 1) / 2;
    return std::to_string(tenths / 10) + (language == Language::en ? "." : ",") +
           std::to_string(tenths % 10) + "%";
}

std::optional<ledger::Cents> CentsOfEuros(std::string_view fraction)
{
    const auto slash = fraction.find('/');
    const auto numerator = Digits(fraction.substr(0, slash));
    const auto denominator = slash == std::string_view::npos ? std::optional<std::uint64_t>{1}
                                                             : Digits(fraction.substr(slash + 1));
    if (!numerator || !denominator || *denominator == 0 || *numerator > FRACTION_PART_MAX ||
        *denominator > FRACTION_PART_MAX)
        return std::nullopt;
    const std::uint64_t cents = (*numerator * 100 + *denominator / 2) / *denominator;
    if (cents > static_cast<std::uint64_t>(ledger::CENTS_MAX)) return std::nullopt;
    return ledger::Cents{static_cast<std::int64_t>(cents)};
}

} // namespace wijkbudget::api::web
