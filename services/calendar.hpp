#pragma once
// services/calendar.hpp: the calendar day of a moment, for rules stated in days.
//
// Mandates run from a date until a date, the bylaws bound a voting period in days, and the site
// names the day a round opens; entries are stamped to the millisecond in UTC. These helpers are
// the one place where the two meet. A day is a day in the Netherlands (Europe/Amsterdam): a
// mandate that ends on 1 March ends at midnight there, not at 01:00 or 02:00 Dutch time.

#include "ledger/values.hpp"

#include <chrono>
#include <cstdint>

namespace wijkbudget::services {

inline constexpr std::int64_t MILLISECONDS_PER_DAY{86'400'000};
inline constexpr std::int64_t MILLISECONDS_PER_HOUR{3'600'000};
//! Central European Time, UTC+1; summer time adds an hour.
inline constexpr std::int64_t CET_OFFSET_MILLISECONDS{MILLISECONDS_PER_HOUR};
inline constexpr std::int64_t CEST_OFFSET_MILLISECONDS{2 * MILLISECONDS_PER_HOUR};

//! Floor division of milliseconds into whole days: moments before 1970 round down.
constexpr std::int64_t FloorDays(std::int64_t milliseconds)
{
    std::int64_t days = milliseconds / MILLISECONDS_PER_DAY;
    if (milliseconds % MILLISECONDS_PER_DAY < 0) --days;
    return days;
}

/** Dutch time's offset from UTC at `moment`: summer time (CEST) from 01:00 UTC on the last
 *  Sunday of March until 01:00 UTC on the last Sunday of October (EU Directive 2000/84/EC, in
 *  force since 1996 and used for every date here), else CET. */
constexpr std::int64_t AmsterdamOffsetMilliseconds(ledger::Timestamp moment)
{
    using namespace std::chrono;
    const sys_days day{days{FloorDays(moment.milliseconds)}};
    const year this_year = year_month_day{day}.year();
    const auto at_one = [](sys_days sunday) {
        return sunday.time_since_epoch().count() * MILLISECONDS_PER_DAY + MILLISECONDS_PER_HOUR;
    };
    const std::int64_t summer_from = at_one(sys_days{this_year / March / Sunday[last]});
    const std::int64_t summer_until = at_one(sys_days{this_year / October / Sunday[last]});
    const bool summer = moment.milliseconds >= summer_from && moment.milliseconds < summer_until;
    return summer ? CEST_OFFSET_MILLISECONDS : CET_OFFSET_MILLISECONDS;
}

//! A moment as Dutch clocks show it, in milliseconds as if that wall-clock time were UTC.
constexpr std::int64_t LocalMilliseconds(ledger::Timestamp moment)
{
    return moment.milliseconds + AmsterdamOffsetMilliseconds(moment);
}

//! The Dutch calendar day a moment falls on.
constexpr ledger::Date DateOf(ledger::Timestamp moment)
{
    return ledger::Date{static_cast<std::int32_t>(FloorDays(LocalMilliseconds(moment)))};
}

//! The calendar year a day falls in.
constexpr ledger::Year YearOf(ledger::Date day)
{
    using namespace std::chrono;
    const year_month_day date{sys_days{days{day.days}}};
    return ledger::Year{static_cast<int>(date.year())};
}

/** The first moment of `budget_year` in the Netherlands: midnight on 1 January, which is 23:00 UTC
 *  the day before (January has no summer time). */
constexpr ledger::Timestamp StartOf(ledger::Year budget_year)
{
    using namespace std::chrono;
    const sys_days first{year{budget_year.value} / January / 1};
    return ledger::Timestamp{first.time_since_epoch().count() * MILLISECONDS_PER_DAY -
                             CET_OFFSET_MILLISECONDS};
}

/** The last Dutch day of a window that ends at `end`, exclusively (a round's closes_at, a vote's
 *  deadline): a window that closes at midnight, 23:00 UTC in winter, ends the day before. */
constexpr ledger::Date LastDayBefore(ledger::Timestamp end)
{
    return DateOf(ledger::Timestamp{end.milliseconds - 1});
}

} // namespace wijkbudget::services
