#include "ledger/errc.hpp"
#include "ledger/money.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::ledger {
namespace {

using namespace literals;

TEST(MoneyTest, AmountRangeIsOneToCentsMax)
{
    EXPECT_FALSE(AmountInRange(0_cents));
    EXPECT_TRUE(AmountInRange(1_cents));
    EXPECT_TRUE(AmountInRange(Cents{CENTS_MAX}));
    EXPECT_FALSE(AmountInRange(Cents{CENTS_MAX + 1}));
    EXPECT_FALSE(AmountInRange(Cents{-5}));
}

TEST(MoneyTest, AddCentsChecksTheRange)
{
    EXPECT_EQ(AddCents(1_cents, 2_cents).value(), 3_cents);
    EXPECT_EQ(AddCents(Cents{CENTS_MAX}, 1_cents).error(), Errc::amount_out_of_range);
    EXPECT_EQ(AddCents(Cents{INT64_MAX}, 1_cents).error(), Errc::amount_out_of_range);
    EXPECT_EQ(AddCents(Cents{INT64_MIN}, 1_cents).error(), Errc::amount_out_of_range);
}

TEST(MoneyTest, SubtractCentsChecksTheRange)
{
    EXPECT_EQ(SubtractCents(1_cents, 2_cents).value(), Cents{-1});
    EXPECT_EQ(SubtractCents(Cents{-CENTS_MAX}, 1_cents).error(), Errc::amount_out_of_range);
    EXPECT_EQ(SubtractCents(Cents{INT64_MIN}, 0_cents).error(), Errc::amount_out_of_range);
}

TEST(MoneyTest, FormatsDutchEuros)
{
    EXPECT_EQ(FormatEuroDutch(123456_cents), "€ 1.234,56");
    EXPECT_EQ(FormatEuroDutch(5_cents), "€ 0,05");
    EXPECT_EQ(FormatEuroDutch(Cents{-100}), "-€ 1,00");
    EXPECT_EQ(FormatEuroDutch(Cents{CENTS_MAX}), "€ 100.000.000.000,00");
}

} // namespace
} // namespace wijkbudget::ledger
