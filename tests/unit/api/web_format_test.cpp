// tests/unit/api/web_format_test.cpp: the site's amounts, dates, counts and shares in both
// languages, the language choice, HTML escaping and entries' summaries (api/web/).

#include "api/web/entry_summary.hpp"
#include "api/web/format.hpp"
#include "api/web/language.hpp"
#include "api/web/site.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::api::web {
namespace {

using ledger::Cents;

TEST(WebFormatTest, AmountsAsEachLanguageWritesThem)
{
    EXPECT_EQ(FormatAmount(Cents{123456}, Language::nl), "€ 1.234,56");
    EXPECT_EQ(FormatAmount(Cents{123456}, Language::en), "€1,234.56");
    EXPECT_EQ(FormatAmount(Cents{5}, Language::nl), "€ 0,05");
    EXPECT_EQ(FormatAmount(Cents{5}, Language::en), "€0.05");
    EXPECT_EQ(FormatAmount(Cents{100000000000}, Language::en), "€1,000,000,000.00");
    EXPECT_EQ(FormatAmount(Cents{-250}, Language::en), "-€2.50");
    EXPECT_EQ(FormatAmount(Cents{-250}, Language::nl), "-€ 2,50");
    EXPECT_EQ(FormatAmount(Cents{0}, Language::en), "€0.00");
}

TEST(WebFormatTest, ExactEurosInCentsRoundedHalfUp)
{
    EXPECT_EQ(CentsOfEuros("1250/3")->value, 41'667);
    EXPECT_EQ(CentsOfEuros("500")->value, 50'000);
    EXPECT_EQ(CentsOfEuros("1/200")->value, 1); // Half a cent rounds up.
    EXPECT_EQ(CentsOfEuros("1/201")->value, 0);
    // Parts up to 10^15, as equal shares' prices over many voters give, and no further.
    EXPECT_EQ(CentsOfEuros("1000000000000000/1000000000000000")->value, 100);
    EXPECT_EQ(CentsOfEuros("200000000000000/10000000")->value, 2'000'000'000);
    EXPECT_FALSE(CentsOfEuros("1000000000000001/3").has_value());
    EXPECT_FALSE(CentsOfEuros("3/1000000000000001").has_value());
    EXPECT_FALSE(CentsOfEuros("1000000000000000/1").has_value()); // Past CENTS_MAX.
    EXPECT_FALSE(CentsOfEuros("").has_value());
    EXPECT_FALSE(CentsOfEuros("1/0").has_value());
    EXPECT_FALSE(CentsOfEuros("-1/3").has_value());
    EXPECT_FALSE(CentsOfEuros("1/3/4").has_value());
    EXPECT_FALSE(CentsOfEuros("1.5").has_value());
}

TEST(WebFormatTest, DaysAndMomentsInTheReadersLanguage)
{
    const auto day = ledger::ParseDate("2027-03-05");
    ASSERT_TRUE(day.has_value());
    EXPECT_EQ(FormatDay(*day, Language::nl), "5 maart 2027");
    EXPECT_EQ(FormatDay(*day, Language::en), "5 March 2027");
    const auto moment = ledger::ParseTimestamp("2026-11-28T09:05:40.123Z");
    ASSERT_TRUE(moment.has_value());
    // In Dutch time, as the site's days: CET in November, CEST in summer.
    EXPECT_EQ(FormatMoment(*moment, Language::nl),
              "28 november 2026, 10:05 (Nederlandse tijd, UTC+1)");
    EXPECT_EQ(FormatMoment(*moment, Language::en),
              "28 November 2026, 10:05 (Netherlands time, UTC+1)");
    const auto summer = ledger::ParseTimestamp("2026-07-01T21:59:00.000Z");
    ASSERT_TRUE(summer.has_value());
    EXPECT_EQ(FormatMoment(*summer, Language::nl), "1 juli 2026, 23:59 (Nederlandse tijd, UTC+2)");
    // A round that opens at midnight in Haarlem opens on that day, as the list of rounds says.
    const auto midnight = ledger::ParseTimestamp("2026-02-28T23:00:00.000Z");
    ASSERT_TRUE(midnight.has_value());
    EXPECT_EQ(FormatMoment(*midnight, Language::nl),
              "1 maart 2026, 00:00 (Nederlandse tijd, UTC+1)");
    // The hour the clocks go back comes twice; the offset tells the two apart.
    const auto first = ledger::ParseTimestamp("2026-10-25T00:30:00.000Z");
    const auto second = ledger::ParseTimestamp("2026-10-25T01:30:00.000Z");
    ASSERT_TRUE(first.has_value() && second.has_value());
    EXPECT_EQ(FormatMoment(*first, Language::nl),
              "25 oktober 2026, 02:30 (Nederlandse tijd, UTC+2)");
    EXPECT_EQ(FormatMoment(*second, Language::nl),
              "25 oktober 2026, 02:30 (Nederlandse tijd, UTC+1)");
}

TEST(WebFormatTest, CountsAndSharesWithTheLanguagesSeparators)
{
    EXPECT_EQ(FormatCount(1234567, Language::nl), "1.234.567");
    EXPECT_EQ(FormatCount(1234567, Language::en), "1,234,567");
    EXPECT_EQ(FormatCount(999, Language::en), "999");
    EXPECT_EQ(FormatShare(2, 3, Language::nl), "66,7%");
    EXPECT_EQ(FormatShare(2, 3, Language::en), "66.7%");
    EXPECT_EQ(FormatShare(1, 8, Language::en), "12.5%"); // Half up from 12.5 exactly.
    EXPECT_EQ(FormatShare(4, 4, Language::en), "100.0%");
    EXPECT_EQ(FormatShare(0, 0, Language::en), "–");
}

TEST(WebSummaryTest, CountsAreGroupedAndTheirNounsAgree)
{
    ledger::Entry codes;
    codes.payload = ledger::CodesIssued{ledger::Slug{"r-2027"}, 12'000, {}};
    EXPECT_EQ(Summarize(codes, Language::nl), "ronde r-2027: 12.000 stemcodes");
    EXPECT_EQ(Summarize(codes, Language::en), "round r-2027: 12,000 voting codes");
    std::get<ledger::CodesIssued>(codes.payload).count = 1;
    EXPECT_EQ(Summarize(codes, Language::nl), "ronde r-2027: 1 stemcode");

    ledger::Entry closed;
    ledger::RoundClosed round;
    round.round = ledger::Slug{"r-2027"};
    round.ballots_cast = 1'204;
    round.winners.items.resize(1);
    closed.payload = round;
    EXPECT_EQ(Summarize(closed, Language::nl), "ronde r-2027: 1.204 stemmen, 1 project gekozen");
    EXPECT_EQ(Summarize(closed, Language::en), "round r-2027: 1,204 ballots, 1 project chosen");
}

TEST(WebLanguageTest, CookieHeaderChoosesOnlyAValidLanguage)
{
    EXPECT_EQ(LanguageOfCookieHeader("wb_lang=en"), Language::en);
    EXPECT_EQ(LanguageOfCookieHeader("a=1; wb_lang=nl; b=2"), Language::nl);
    EXPECT_EQ(LanguageOfCookieHeader("a=1;wb_lang=en"), Language::en);
    EXPECT_EQ(LanguageOfCookieHeader("wb_lang=de"), std::nullopt);
    EXPECT_EQ(LanguageOfCookieHeader("xwb_lang=en"), std::nullopt);
    EXPECT_EQ(LanguageOfCookieHeader(""), std::nullopt);
    EXPECT_EQ(LanguageOfCode("EN"), std::nullopt);
    const std::string cookie = LanguageCookie(Language::en);
    EXPECT_EQ(cookie.rfind("wb_lang=en; Path=/; Max-Age=31536000", 0), 0U) << cookie;
    EXPECT_NE(cookie.find("Secure"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
}

TEST(WebHtmlTest, EscapeLeavesNoMarkup)
{
    EXPECT_EQ(Escape("<script>alert('x')</script> & \"q\""),
              "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    EXPECT_EQ(Escape("Buurtcoöperatie — €"), "Buurtcoöperatie — €");
}

} // namespace
} // namespace wijkbudget::api::web
