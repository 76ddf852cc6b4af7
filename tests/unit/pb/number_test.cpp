#include "pb/number.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::pb {
namespace {

mpq_class Q(const char* text)
{
    return mpq_class{text};
}

TEST(NumberTest, ReadsIntegersDecimalsExponentsAndQuotients)
{
    EXPECT_EQ(ParseRational("12").value(), 12);
    EXPECT_EQ(ParseRational("2458488.22").value(), Q("122924411/50"));
    EXPECT_EQ(ParseRational("400000.0").value(), 400000);
    EXPECT_EQ(ParseRational("1e3").value(), 1000);
    EXPECT_EQ(ParseRational("2.5E-1").value(), Q("1/4"));
    EXPECT_EQ(ParseRational("3/2").value(), Q("3/2"));
    EXPECT_EQ(ParseRational("6/4").value(), Q("3/2"));
    EXPECT_EQ(ParseRational(" -7 ").value(), -7);
    EXPECT_EQ(ParseRational(".5").value(), Q("1/2"));
    EXPECT_EQ(ParseRational("5.").value(), 5);
}

TEST(NumberTest, RefusesWhatIsNotANumber)
{
    for (const char* text : {"", " ", "abc", "1,5", "1.2.3", "1e", "e3", "3/0", "1/2/3", "nan",
                             "inf", "0x10", "1e41", "--1", "."}) {
        EXPECT_FALSE(ParseRational(text).has_value()) << text;
    }
    EXPECT_FALSE(ParseRational(std::string(NUMBER_CHARS_MAX + 1, '1')).has_value());
    EXPECT_TRUE(ParseRational(std::string(NUMBER_CHARS_MAX, '1')).has_value());
}

TEST(NumberTest, FormatsInLowestTerms)
{
    EXPECT_EQ(FormatRational(Q("1/4")), "1/4");
    EXPECT_EQ(FormatRational(Q("110")), "110");
    EXPECT_EQ(FormatRational(Q("-25/2")), "-25/2");
    EXPECT_EQ(FormatRational(ParseRational("2458488.22").value()), "122924411/50");
}

} // namespace
} // namespace wijkbudget::pb
