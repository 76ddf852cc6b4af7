// The open-data routes' text formats (api/handlers/open_data.hpp): CSV fields that LibreOffice
// reads as written (RFC 4180 quoting, no formulas), amounts with a point, XML text that keeps the
// feed well-formed, and URN parts.
#include "api/handlers/open_data.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::api {
namespace {

TEST(OpenDataFormatTest, CsvTextLeavesPlainTextAlone)
{
    EXPECT_EQ(CsvText(""), "");
    EXPECT_EQ(CsvText("Stichting Groen"), "Stichting Groen");
    EXPECT_EQ(CsvText("line:burgwal:2027:public_space"), "line:burgwal:2027:public_space");
    // A formula character after the first does nothing in a spreadsheet.
    EXPECT_EQ(CsvText("a=1+2"), "a=1+2");
}

TEST(OpenDataFormatTest, CsvTextQuotesSeparatorsQuotesAndLineBreaks)
{
    EXPECT_EQ(CsvText("Groen; Zn"), "\"Groen; Zn\"");
    EXPECT_EQ(CsvText("Café 't Hoekje, Haarlem"), "\"Café 't Hoekje, Haarlem\"");
    EXPECT_EQ(CsvText("De \"Eik\""), "\"De \"\"Eik\"\"\"");
    EXPECT_EQ(CsvText("regel 1\nregel 2"), "\"regel 1\nregel 2\"");
    EXPECT_EQ(CsvText("regel 1\r\nregel 2"), "\"regel 1\r\nregel 2\"");
    EXPECT_EQ(CsvText("\""), "\"\"\"\"");
}

TEST(OpenDataFormatTest, CsvTextDefusesFormulas)
{
    EXPECT_EQ(CsvText("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    EXPECT_EQ(CsvText("=1+1"), "'=1+1");
    EXPECT_EQ(CsvText("+31 23 511 5115"), "'+31 23 511 5115");
    EXPECT_EQ(CsvText("-2+3"), "'-2+3");
    EXPECT_EQ(CsvText("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(CsvText("\t=1"), "'\t=1");
    EXPECT_EQ(CsvText("\r=1"), "\"'\r=1\"");
    // Defused and quoted: the apostrophe goes inside the quotes.
    EXPECT_EQ(CsvText("=A1;B1"), "\"'=A1;B1\"");
}

TEST(OpenDataFormatTest, CsvRecordJoinsWithSemicolonsAndEndsWithCrLf)
{
    EXPECT_EQ(CsvRecord({"a", "", CsvText("b;c"), "-1250"}), "a;;\"b;c\";-1250\r\n");
    EXPECT_EQ(CsvRecord({}), "\r\n");
    EXPECT_EQ(CSV_BOM, "\xEF\xBB\xBF");
}

TEST(OpenDataFormatTest, DecimalEuroHasAPointAndTwoDecimals)
{
    EXPECT_EQ(DecimalEuro(ledger::Cents{0}), "0.00");
    EXPECT_EQ(DecimalEuro(ledger::Cents{5}), "0.05");
    EXPECT_EQ(DecimalEuro(ledger::Cents{1250}), "12.50");
    EXPECT_EQ(DecimalEuro(ledger::Cents{-1250}), "-12.50");
    EXPECT_EQ(DecimalEuro(ledger::Cents{-7}), "-0.07");
    EXPECT_EQ(DecimalEuro(ledger::Cents{123'456'789}), "1234567.89");
    EXPECT_EQ(DecimalEuro(ledger::Cents{ledger::CENTS_MAX}), "100000000000.00");
}

TEST(OpenDataFormatTest, XmlEscapeKeepsTheDocumentWellFormed)
{
    EXPECT_EQ(XmlEscape("Hovenier & Zn <b>\"'"), "Hovenier &amp; Zn &lt;b&gt;&quot;&apos;");
    EXPECT_EQ(XmlEscape("Café\tregel\nregel\r"), "Café\tregel\nregel\r");
    const std::string replacement{"\xEF\xBF\xBD"};
    EXPECT_EQ(XmlEscape(std::string{"a\x01z", 3}), "a" + replacement + "z");
    EXPECT_EQ(XmlEscape(std::string{"\0", 1}), replacement);
    EXPECT_EQ(XmlEscape("x\xEF\xBF\xBEy\xEF\xBF\xBF"), "x" + replacement + "y" + replacement);
    // U+FFFD itself and other characters of that block stay.
    EXPECT_EQ(XmlEscape("\xEF\xBF\xBD\xEF\xBF\xBC"), "\xEF\xBF\xBD\xEF\xBF\xBC");
}

TEST(OpenDataFormatTest, UrnPartPercentEncodesAllButUnreservedAndSlash)
{
    EXPECT_EQ(UrnPart("wijkbudget.example.org/ledger"), "wijkbudget.example.org/ledger");
    EXPECT_EQ(UrnPart("haarlem:2027 log"), "haarlem%3A2027%20log");
    EXPECT_EQ(UrnPart("é"), "%C3%A9");
}

} // namespace
} // namespace wijkbudget::api
