// tests/unit/api/web_form_test.cpp: the ballot form's body read strictly (api/web/form.hpp), and
// the round pages' small helpers: where a round stands, sentences with their figures, and what a
// ballot the ledger could not take tells the resident.

#include "api/web/form.hpp"
#include "api/web/page_round.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::api::web {
namespace {

TEST(WebFormTest, ReadsFieldsInOrderDecodedAndRepeated)
{
    const auto fields = ParseFormBody("code=7kq2+m9xd%2D4tva&project=bomen&project=kunst");
    ASSERT_TRUE(fields.has_value());
    const FormFields expected{
        {"code", "7kq2 m9xd-4tva"}, {"project", "bomen"}, {"project", "kunst"}};
    EXPECT_EQ(*fields, expected);
    EXPECT_EQ(ParseFormBody("")->size(), 0U);
    EXPECT_EQ(ParseFormBody("points.bomen=")->front().second, "");
}

TEST(WebFormTest, RefusesWhatNoBrowserSends)
{
    for (const std::string body :
         {"code", "=1", "a=1&&b=2", "&a=1", "a=%zz", "a=%4", "a=%0A", "a%00=1", "a=%7F"})
        EXPECT_FALSE(ParseFormBody(body).has_value()) << body;
    EXPECT_FALSE(ParseFormBody(std::string(FORM_BYTES_MAX + 1, 'a')).has_value());
    std::string many;
    for (std::size_t field = 0; field <= FORM_FIELDS_MAX; ++field)
        many += (field == 0 ? "" : "&") + std::string("p=1");
    EXPECT_FALSE(ParseFormBody(many).has_value());
    many.resize(many.size() - 4); // FORM_FIELDS_MAX fields exactly.
    EXPECT_TRUE(ParseFormBody(many).has_value());
    // A tab is text a reader may paste; other control characters are not.
    EXPECT_TRUE(ParseFormBody("code=%09ABC").has_value());
}

TEST(WebFormTest, ANumberBoxCountsEverySpellingOfAWholeNumber)
{
    // What a browser's number box sends as typed: each whole number, however spelled.
    for (const auto& [text, value] : std::vector<std::pair<std::string, std::uint64_t>>{
             {"2", 2},
             {"02", 2},
             {"2.0", 2},
             {"2.000", 2},
             {"1e1", 10},
             {"1E+1", 10},
             {"20e-1", 2},
             {"0", 0},
             {"-0", 0},
             {"-0.0", 0},
             {"0e5", 0},
             {".0", 0},
             {".5e1", 5},
             {"2e001", 20},
             {"0e100", 0},
             {"100000000000000000000e-20", 1},
             {"18446744073709551615", 18'446'744'073'709'551'615ULL}}) {
        EXPECT_EQ(WholeNumberOfNumberBox(text), value) << text;
    }
    // Fractions, negative numbers, other text and overflow count as nothing.
    for (const std::string text : {"2.5",
                                   "250E-2",
                                   "1e-1",
                                   "-1",
                                   "-1e0",
                                   "",
                                   "-",
                                   ".5",
                                   ".",
                                   "e1",
                                   "2.",
                                   "+2",
                                   "1e",
                                   "1e+",
                                   "0x10",
                                   " 2",
                                   "2 ",
                                   "1e20",
                                   "18446744073709551616",
                                   "abc",
                                   "1,5"})
        EXPECT_FALSE(WholeNumberOfNumberBox(text).has_value()) << text;
}

TEST(WebFormTest, KnowsTheFormMediaType)
{
    EXPECT_TRUE(IsFormContentType("application/x-www-form-urlencoded"));
    EXPECT_TRUE(IsFormContentType("Application/X-WWW-Form-Urlencoded; charset=UTF-8"));
    EXPECT_FALSE(IsFormContentType("application/json"));
    EXPECT_FALSE(IsFormContentType("multipart/form-data; boundary=x"));
    EXPECT_FALSE(IsFormContentType("application/x-www-form-urlencodedx"));
    EXPECT_FALSE(IsFormContentType(""));
}

TEST(WebRoundTest, PhaseFollowsTheClockUntilTheCloseIsRecorded)
{
    services::RoundSummary round;
    round.opened.opens_at = ledger::Timestamp{1'000};
    round.opened.closes_at = ledger::Timestamp{2'000};
    EXPECT_EQ(PhaseOf(round, ledger::Timestamp{999}), RoundPhase::upcoming);
    EXPECT_EQ(PhaseOf(round, ledger::Timestamp{1'000}), RoundPhase::voting);
    EXPECT_EQ(PhaseOf(round, ledger::Timestamp{1'999}), RoundPhase::voting);
    EXPECT_EQ(PhaseOf(round, ledger::Timestamp{2'000}), RoundPhase::counting);
    round.closed = ledger::RoundClosed{};
    EXPECT_EQ(PhaseOf(round, ledger::Timestamp{2'000}), RoundPhase::closed);
    EXPECT_EQ(SpellingOf(RoundPhase::counting), "counting");
}

TEST(WebRoundTest, ABallotTheLedgerCouldNotTakeSaysWhy)
{
    // A ledger that refuses writes until its operators have checked it may stay so for days:
    // "a fault, try again later" would send residents back for nothing, without a word why.
    const ledger::RoundOpened round;
    const auto read_only = RefusalOfAppendFailure(ledger::AppendFailure::read_only);
    EXPECT_EQ(read_only.code, "ledger_read_only");
    EXPECT_NE(RefusalText(round, read_only, Language::en).find("ledger is locked"),
              std::string::npos);
    EXPECT_NE(RefusalText(round, read_only, Language::nl).find("grootboek is op slot"),
              std::string::npos);
    const auto stopping = RefusalOfAppendFailure(ledger::AppendFailure::shutting_down);
    EXPECT_NE(RefusalText(round, stopping, Language::en).find("server is stopping"),
              std::string::npos);
    // The database failing is a fault, said as before.
    const auto fault = RefusalOfAppendFailure(ledger::AppendFailure::unavailable);
    EXPECT_EQ(fault.code, "");
    EXPECT_NE(RefusalText(round, fault, Language::en).find("because of a fault"),
              std::string::npos);
}

TEST(WebRoundTest, FillPutsFiguresWhereEachLanguageWantsThem)
{
    EXPECT_EQ(Fill("{} van {}", {"3", "4"}), "3 van 4");
    EXPECT_EQ(Fill("no holes", {}), "no holes");
    EXPECT_THROW((void)Fill("{} and {}", {"one"}), std::exception);
    EXPECT_THROW((void)Fill("{}", {"one", "two"}), std::exception);
}

} // namespace
} // namespace wijkbudget::api::web
