#include "pb/csv_records.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wijkbudget::pb {
namespace {

using Fields = std::vector<std::string>;

std::vector<Record> MustRead(std::string_view text)
{
    auto records = ReadRecords(text);
    EXPECT_TRUE(std::holds_alternative<std::vector<Record>>(records));
    if (!std::holds_alternative<std::vector<Record>>(records)) return {};
    return std::get<std::vector<Record>>(records);
}

ParseError MustFail(std::string_view text)
{
    auto records = ReadRecords(text);
    EXPECT_TRUE(std::holds_alternative<ParseError>(records));
    if (!std::holds_alternative<ParseError>(records)) return {};
    return std::get<ParseError>(records);
}

TEST(CsvRecordsTest, SplitsFieldsAndLinesLikePython)
{
    const auto records = MustRead("a;b\r\nc;;\n\nd");
    ASSERT_EQ(records.size(), 4u);
    EXPECT_EQ(records[0].fields, (Fields{"a", "b"}));
    EXPECT_EQ(records[1].fields, (Fields{"c", "", ""}));
    EXPECT_EQ(records[2].fields, Fields{}); // an empty line is a record without fields
    EXPECT_EQ(records[3].fields, Fields{"d"});
    EXPECT_EQ(records[3].line, 4u);
}

TEST(CsvRecordsTest, BreaksLinesWhereSplitlinesDoes)
{
    const auto records = MustRead("a\rb\x0c"
                                  "c\xE2\x80\xA8"
                                  "d\xC2\x85"
                                  "e");
    ASSERT_EQ(records.size(), 5u);
    EXPECT_EQ(records[4].fields, Fields{"e"});
    EXPECT_EQ(records[4].line, 5u);
}

TEST(CsvRecordsTest, ReadsQuotedFieldsWithDoubledQuotesAndSemicolons)
{
    const auto records = MustRead("499;\"\"\"Konikowo\"\" - plac; zabaw\";x");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (Fields{"499", "\"Konikowo\" - plac; zabaw", "x"}));
}

TEST(CsvRecordsTest, KeepsAStrayQuoteInsideAnUnquotedField)
{
    // Czestochowa 2020: an odd number of quotes on a line, none at the start of a field.
    const auto records = MustRead("1;Konkurs \" NA;2\n3;Orlik\";4");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields, (Fields{"1", "Konkurs \" NA", "2"}));
    EXPECT_EQ(records[1].fields, (Fields{"3", "Orlik\"", "4"}));
}

TEST(CsvRecordsTest, JoinsTextAfterAClosingQuote)
{
    const auto records = MustRead("\"ab\"cd;e");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].fields, (Fields{"abcd", "e"}));
}

TEST(CsvRecordsTest, ContinuesAnOpenQuotedFieldOnTheNextLine)
{
    const auto records = MustRead("1;\"two\nlines\";3\n4");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields, (Fields{"1", "twolines", "3"}));
    EXPECT_EQ(records[0].line, 1u);
    EXPECT_EQ(records[1].line, 3u);
    const auto open = MustRead("1;\"never closed");
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].fields, (Fields{"1", "never closed"}));
}

TEST(CsvRecordsTest, SkipsAByteOrderMark)
{
    const auto records = MustRead("\xEF\xBB\xBFMETA\nkey;value");
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].fields, Fields{"META"});
}

TEST(CsvRecordsTest, RefusesInvalidUtf8WithItsLine)
{
    const auto error = MustFail("a\nb\n\xC3\x28");
    EXPECT_EQ(error.line, 3u);
    EXPECT_EQ(error.reason, "invalid UTF-8");
    EXPECT_EQ(MustFail("\xED\xA0\x80").reason, "invalid UTF-8");     // a surrogate
    EXPECT_EQ(MustFail("\xC0\xAF").reason, "invalid UTF-8");         // an overlong '/'
    EXPECT_EQ(MustFail("\xF4\x90\x80\x80").reason, "invalid UTF-8"); // above U+10FFFF
}

TEST(CsvRecordsTest, RefusesNulAndOverlongFields)
{
    const auto nul = MustFail(std::string_view{"a\nb\0c", 5});
    EXPECT_EQ(nul.line, 2u);
    EXPECT_EQ(nul.reason, "line contains a NUL byte");
    const auto overlong = MustFail("ok\n" + std::string(FIELD_CHARACTERS_MAX + 1, 'x'));
    EXPECT_EQ(overlong.line, 2u);
    EXPECT_EQ(overlong.reason, "field longer than 131072 characters");
    MustRead(std::string(FIELD_CHARACTERS_MAX, 'x'));
    // Characters, as Python counts them, not bytes: as many two-byte characters pass too.
    std::string accented;
    for (std::size_t i = 0; i < FIELD_CHARACTERS_MAX; ++i)
        accented += "\xC3\xA9"; // é
    MustRead(accented);
    EXPECT_EQ(MustFail(accented + "\xC3\xA9").reason, "field longer than 131072 characters");
}

} // namespace
} // namespace wijkbudget::pb
