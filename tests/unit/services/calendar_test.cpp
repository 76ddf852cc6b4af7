// The calendar day of a moment (services/calendar.hpp): the Dutch day, across midnight and both
// changes of summer time, and before 1970.
#include "services/calendar.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::services {
namespace {

ledger::Timestamp At(const std::string& utc)
{
    const auto parsed = ledger::ParseTimestamp(utc);
    EXPECT_TRUE(parsed.has_value()) << utc;
    return parsed.value_or(ledger::Timestamp{});
}

std::string DayOf(const std::string& utc)
{
    return ledger::FormatDate(DateOf(At(utc)));
}

TEST(CalendarTest, TheDayIsTheDutchDayInWinter)
{
    // CET, UTC+1: 23:00 UTC is midnight in Haarlem.
    EXPECT_EQ(DayOf("2027-01-15T22:59:59.999Z"), "2027-01-15");
    EXPECT_EQ(DayOf("2027-01-15T23:00:00.000Z"), "2027-01-16");
    EXPECT_EQ(DayOf("2027-12-31T23:00:00.000Z"), "2028-01-01");
}

TEST(CalendarTest, AYearStartsAtMidnightInHaarlem)
{
    EXPECT_EQ(ledger::FormatTimestamp(StartOf(ledger::Year{2028})), "2027-12-31T23:00:00.000Z");
    EXPECT_EQ(ledger::FormatTimestamp(StartOf(ledger::Year{1969})), "1968-12-31T23:00:00.000Z");
    EXPECT_EQ(YearOf(DateOf(At("2027-12-31T22:59:59.999Z"))).value, 2027);
    EXPECT_EQ(YearOf(DateOf(At("2027-12-31T23:00:00.000Z"))).value, 2028);
    EXPECT_EQ(YearOf(DateOf(StartOf(ledger::Year{2030}))).value, 2030);
    EXPECT_EQ(YearOf(ledger::Date{-1}).value, 1969);
}

TEST(CalendarTest, TheDayIsTheDutchDayInSummer)
{
    // CEST, UTC+2: 22:00 UTC is midnight.
    EXPECT_EQ(DayOf("2027-07-01T21:59:59.999Z"), "2027-07-01");
    EXPECT_EQ(DayOf("2027-07-01T22:00:00.000Z"), "2027-07-02");
}

TEST(CalendarTest, SummerTimeStartsAndEndsAtOneUtcOnTheLastSundays)
{
    // 2027: the last Sunday of March is the 28th, of October the 31st.
    EXPECT_EQ(AmsterdamOffsetMilliseconds(At("2027-03-28T00:59:59.999Z")), CET_OFFSET_MILLISECONDS);
    EXPECT_EQ(AmsterdamOffsetMilliseconds(At("2027-03-28T01:00:00.000Z")),
              CEST_OFFSET_MILLISECONDS);
    EXPECT_EQ(AmsterdamOffsetMilliseconds(At("2027-10-31T00:59:59.999Z")),
              CEST_OFFSET_MILLISECONDS);
    EXPECT_EQ(AmsterdamOffsetMilliseconds(At("2027-10-31T01:00:00.000Z")), CET_OFFSET_MILLISECONDS);
    // The evening before the change in October: 22:30 UTC on the 30th is 00:30 on the 31st.
    EXPECT_EQ(DayOf("2027-10-30T22:30:00.000Z"), "2027-10-31");
    // 2026: the 29th of March and the 25th of October.
    EXPECT_EQ(AmsterdamOffsetMilliseconds(At("2026-03-29T01:00:00.000Z")),
              CEST_OFFSET_MILLISECONDS);
    EXPECT_EQ(AmsterdamOffsetMilliseconds(At("2026-10-25T01:00:00.000Z")), CET_OFFSET_MILLISECONDS);
}

TEST(CalendarTest, AWindowThatClosesAtMidnightEndsTheDayBefore)
{
    // Midnight in Haarlem: 23:00 UTC in winter, 22:00 UTC in summer.
    EXPECT_EQ(ledger::FormatDate(LastDayBefore(At("2026-10-31T23:00:00.000Z"))), "2026-10-31");
    EXPECT_EQ(ledger::FormatDate(LastDayBefore(At("2027-06-30T22:00:00.000Z"))), "2027-06-30");
    // A moment into the next day belongs to it.
    EXPECT_EQ(ledger::FormatDate(LastDayBefore(At("2026-10-31T23:00:00.001Z"))), "2026-11-01");
}

TEST(CalendarTest, MomentsBefore1970RoundDown)
{
    EXPECT_EQ(DateOf(ledger::Timestamp{-CET_OFFSET_MILLISECONDS - 1}).days, -1);
    EXPECT_EQ(DateOf(ledger::Timestamp{-CET_OFFSET_MILLISECONDS}).days, 0);
    EXPECT_EQ(FloorDays(-1), -1);
    EXPECT_EQ(FloorDays(0), 0);
}

} // namespace
} // namespace wijkbudget::services
