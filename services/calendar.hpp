#pragma once
// services/calendar.hpp: the calendar day of a moment, for rules stated in days.
//
// Mandates run from a date until a date, and the bylaws bound a voting period in days; entries
// are stamped to the millisecond. These helpers are the one place where the two meet (UTC).

#include "ledger/values.hpp"

#include <cstdint>

namespace wijkbudget::services {

inline constexpr std::int64_t MILLISECONDS_PER_DAY{86'400'000};

//! The UTC day a moment falls on; moments before 1970 round down, not toward zero.
constexpr ledger::Date DateOf(ledger::Timestamp moment)
{
    std::int64_t days = moment.milliseconds / MILLISECONDS_PER_DAY;
    if (moment.milliseconds % MILLISECONDS_PER_DAY < 0) --days;
    return ledger::Date{static_cast<std::int32_t>(days)};
}

} // namespace wijkbudget::services
