#include "ledger/canonical_json.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/errc.hpp"
#include "ledger/strict_json.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace wijkbudget::ledger {
namespace {

using testing::SampleLedger;
using testing::SampleOfKind;

std::string GoldenPath(std::string_view kind)
{
    return std::string(WB_TEST_DATA_DIR) + "/golden/entries/" + std::string(kind) + ".json";
}

//! Replaces the first occurrence of `from` in the sample's bytes, to make a bad variant.
std::string Mutated(std::string_view kind, const std::string& from, const std::string& to)
{
    std::string bytes = SerialiseEntry(SampleOfKind(kind));
    const auto position = bytes.find(from);
    EXPECT_NE(position, std::string::npos) << from;
    return bytes.replace(position, from.size(), to);
}

void ExpectFailure(const std::string& text, Errc code, const std::string& where)
{
    auto parsed = ParseEntry(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().code, code) << parsed.error().Describe() << "\n" << text;
    EXPECT_EQ(parsed.error().where, where) << parsed.error().Describe();
}

TEST(EntryJsonTest, SampleLedgerHasEveryKind)
{
    std::set<std::string_view> kinds;
    for (const auto& entry : SampleLedger())
        kinds.insert(KindOf(entry));
    EXPECT_EQ(kinds.size(), std::variant_size_v<Payload>);
}

TEST(EntryJsonTest, ParseOfSerialiseIsIdentityForEveryKind)
{
    for (const auto& entry : SampleLedger()) {
        const std::string bytes = SerialiseEntry(entry);
        auto strict = ParseEntry(bytes);
        ASSERT_TRUE(strict.has_value()) << strict.error().Describe() << "\n" << bytes;
        EXPECT_EQ(*strict, entry) << bytes;
        auto canonical = ParseCanonicalEntry(bytes);
        ASSERT_TRUE(canonical.has_value()) << canonical.error().Describe();
        EXPECT_EQ(*canonical, entry);
    }
}

TEST(EntryJsonTest, GoldenFilePinsTheBytesOfEveryKind)
{
    // WB_UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
    const bool update = std::getenv("WB_UPDATE_GOLDEN") != nullptr;
    std::set<std::string_view> seen;
    for (const auto& entry : SampleLedger()) {
        if (!seen.insert(KindOf(entry)).second) continue;
        const std::string bytes = SerialiseEntry(entry) + "\n";
        const std::string path = GoldenPath(KindOf(entry));
        if (update) std::ofstream(path, std::ios::binary) << bytes;
        std::ifstream file(path, std::ios::binary);
        ASSERT_TRUE(file.good()) << "missing golden file " << path;
        std::stringstream golden;
        golden << file.rdbuf();
        EXPECT_EQ(golden.str(), bytes) << path;
    }
}

TEST(EntryJsonTest, RejectsAmountsThatAreNotIntegerCents)
{
    const std::string amount = "\"amount_cents\":1500000";
    for (const char* bad : {"12.5", "\"1250\"", "1e3", "true", "1.0", "null"}) {
        ExpectFailure(Mutated("budget.granted", amount, std::string("\"amount_cents\":") + bad),
                      Errc::amount_not_integer, "payload.amount_cents");
    }
    for (const char* bad : {"-5", "0", "10000000000001", "18446744073709551615"}) {
        ExpectFailure(Mutated("budget.granted", amount, std::string("\"amount_cents\":") + bad),
                      Errc::amount_out_of_range, "payload.amount_cents");
    }
    auto largest = ParseEntry(Mutated("budget.granted", amount, "\"amount_cents\":10000000000000"));
    ASSERT_TRUE(largest.has_value());
}

TEST(EntryJsonTest, RejectsUnknownMissingAndMistypedFieldsByName)
{
    ExpectFailure(Mutated("budget.granted", "\"year\":2027", "\"colour\":1,\"year\":2027"),
                  Errc::field_unknown, "payload.colour");
    ExpectFailure(Mutated("budget.granted", ",\"year\":2027", ""), Errc::field_missing,
                  "payload.year");
    ExpectFailure(Mutated("budget.granted", "\"year\":2027", "\"year\":\"2027\""),
                  Errc::field_wrong_type, "payload.year");
    ExpectFailure(Mutated("budget.granted", "\"year\":2027", "\"year\":1999"), Errc::field_invalid,
                  "payload.year");
    ExpectFailure(
        Mutated("budget.granted", "\"category\":\"public_space\"", "\"category\":\"parks\""),
        Errc::field_invalid, "payload.category");
    ExpectFailure(Mutated("budget.granted", "\"format\":1,", "\"format\":1,\"extra\":{},"),
                  Errc::field_unknown, "extra");
    ExpectFailure(Mutated("budget.granted", "\"actor\":{\"id\":\"officer-1\",", "\"actor\":{"),
                  Errc::field_missing, "actor.id");
    ExpectFailure(Mutated("budget.granted", "\"council\":\"burgwal\",", ""), Errc::field_missing,
                  "council");
    ExpectFailure(
        Mutated("checkpoint.witnessed", "\"format\":1,", "\"council\":\"burgwal\",\"format\":1,"),
        Errc::field_unknown, "council");
    ExpectFailure(Mutated("proposal.amended", "\"amount_cents\":", "\"x\":1,\"amount_cents\":"),
                  Errc::field_unknown, "payload.x");
    ExpectFailure(Mutated("budget.granted", "\"recorded_at\":\"2027-01-04T09:05:00.123Z\"",
                          "\"recorded_at\":\"2027-01-04T09:05:00Z\""),
                  Errc::field_invalid, "recorded_at");
}

TEST(EntryJsonTest, RejectsFormatVersionsAndKindsItDoesNotKnow)
{
    ExpectFailure(Mutated("budget.granted", "\"format\":1", "\"format\":2"),
                  Errc::unsupported_version, "format");
    ExpectFailure(Mutated("budget.granted", "\"format\":1", "\"format\":\"1\""),
                  Errc::field_wrong_type, "format");
    ExpectFailure(
        Mutated("budget.granted", "\"kind\":\"budget.granted\"", "\"kind\":\"budget.stolen\""),
        Errc::unknown_kind, "kind");
    ExpectFailure(Mutated("budget.granted", "\"kind\":\"budget.granted\",", ""),
                  Errc::field_missing, "kind");
}

TEST(EntryJsonTest, RejectsOverlongStringsAndLists)
{
    const std::string long_title(TITLE_BYTES_MAX + 1, 'x');
    ExpectFailure(Mutated("council.registered", "\"Wijkraad Burgwal\"", "\"" + long_title + "\""),
                  Errc::field_too_long, "payload.name");
    const std::string long_slug(SLUG_BYTES_MAX + 1, 'a');
    ExpectFailure(Mutated("council.registered", "\"centrum\"", "\"" + long_slug + "\""),
                  Errc::field_too_long, "payload.district");
    ExpectFailure(Mutated("council.registered", "\"centrum\"", "\"Centrum\""), Errc::field_invalid,
                  "payload.district");
    ExpectFailure(Mutated("council.registered", "\"Wijkraad Burgwal\"", "\"Wijkraad\\nBurgwal\""),
                  Errc::field_invalid, "payload.name");
    // Direction overrides, isolates, marks and separators could make a name read as another.
    for (const char* hidden :
         {"\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x80\x8F", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
        ExpectFailure(
            Mutated("council.registered", "Burgwal", std::string("Burg") + hidden + "wal"),
            Errc::field_invalid, "payload.name");
        ExpectFailure(
            Mutated("proposal.submitted", "Vier nieuwe", std::string("Vier") + hidden + "nieuwe"),
            Errc::field_invalid, "payload.description");
    }
    EXPECT_TRUE(ParseEntry(Mutated("council.registered", "Burgwal", "Burgw\xC3\xA4l \xE2\x82\xAC"))
                    .has_value());

    std::string attachments = "\"attachments\":[";
    for (std::size_t count = 0; count <= ATTACHMENTS_MAX; ++count) {
        attachments += (count ? ",\"" : "\"") + std::string(64, 'a') + "\"";
    }
    const std::string submitted = SerialiseEntry(SampleOfKind("proposal.submitted"));
    const auto start = submitted.find("\"attachments\":[");
    const auto end = submitted.find(']', start);
    std::string too_many = submitted;
    too_many.replace(start, end - start, attachments);
    ExpectFailure(too_many, Errc::field_too_long, "payload.attachments");
}

TEST(EntryJsonTest, RejectsTooManyPostings)
{
    std::string postings = "\"postings\":[";
    const std::string one = "{\"account\":\"pool\",\"amount_cents\":1,\"balance_after_cents\":1,"
                            "\"side\":\"debit\",\"version_after\":1}";
    for (std::size_t count = 0; count <= POSTINGS_PER_ENTRY_MAX; ++count) {
        postings += (count ? "," : "") + one;
    }
    std::string bytes = SerialiseEntry(SampleOfKind("budget.granted"));
    const auto start = bytes.find("\"postings\":[");
    bytes.replace(start, bytes.find(']', start) + 1 - start, postings + "]");
    ExpectFailure(bytes, Errc::field_too_long, "postings");
    ExpectFailure(Mutated("budget.granted", "\"postings\":[", "\"postings\":[],\"x\":["),
                  Errc::field_unknown, "x");
}

TEST(EntryJsonTest, RejectsInvalidUtf8DuplicatesAndBadSyntax)
{
    for (const char* bad : {"\xC3\x28", "\xED\xA0\x80", "\xF8\x88\x80\x80\x80", "\xC0\xAF"}) {
        const std::string text = Mutated("council.registered", "Burgwal", bad);
        ExpectFailure(text, Errc::json_malformed, "payload.name");
        EXPECT_EQ(ParseCanonicalEntry(text).error().where, "payload.name");
    }
    ExpectFailure(
        Mutated("proposal.submitted", "\"attachments\":[\"", "\"attachments\":[\"\xFF\",\""),
        Errc::json_malformed, "payload.attachments[0]");
    ExpectFailure(Mutated("proposal.submitted", "\"title\":", "\"ti\xC3tle\":"),
                  Errc::json_malformed, "a key in payload");
    auto duplicate =
        ParseEntry(Mutated("budget.granted", "\"year\":2027", "\"year\":2027,\"year\":2028"));
    ASSERT_FALSE(duplicate.has_value());
    EXPECT_EQ(duplicate.error().code, Errc::json_duplicate_key);
    EXPECT_EQ(duplicate.error().where, "\"year\"");
    for (const char* bad : {"", "{", "{}x", "[1,]", "{\"a\":1,}", "/*c*/{}"}) {
        auto parsed = ParseEntry(bad);
        ASSERT_FALSE(parsed.has_value()) << bad;
        EXPECT_EQ(parsed.error().code, Errc::json_malformed) << bad;
    }
    EXPECT_EQ(ParseEntry("[]").error().code, Errc::field_wrong_type);
    // Short texts too deep or too wide are malformed for this format, not too large (413).
    const std::string deep(JSON_DEPTH_MAX + 1, '[');
    EXPECT_EQ(ParseEntry(deep).error().code, Errc::json_malformed);
    std::string wide = "{";
    for (std::size_t key = 0; key <= JSON_OBJECT_KEYS_MAX; ++key)
        wide += (key == 0 ? "\"k" : ",\"k") + std::to_string(key) + "\":0";
    wide += "}";
    ASSERT_LT(wide.size(), ENTRY_BYTES_MAX);
    EXPECT_EQ(ParseEntry(wide).error().code, Errc::json_malformed);
    EXPECT_EQ(ParseEntry(std::string(ENTRY_BYTES_MAX + 1, ' ')).error().code, Errc::json_too_large);
}

TEST(EntryJsonTest, CanonicalParsingRejectsEverySecondSpelling)
{
    const std::string bytes = SerialiseEntry(SampleOfKind("budget.granted"));
    for (const std::string& variant :
         {std::string(" ") + bytes, bytes + " ",
          Mutated("budget.granted", "\"year\":2027", "\"year\": 2027"),
          Mutated("budget.granted", "\"year\":2027", "\"year\":2027,\"year\":2027"),
          Mutated("budget.granted", "officer", "offic\\u0065r")}) {
        auto parsed = ParseCanonicalEntry(variant);
        ASSERT_FALSE(parsed.has_value()) << variant;
        EXPECT_EQ(parsed.error().code, Errc::json_not_canonical) << variant;
    }
    EXPECT_EQ(ParseCanonicalEntry("{").error().code, Errc::json_malformed);
    EXPECT_EQ(ParseCanonicalEntry(std::string(ENTRY_BYTES_MAX + 1, ' ')).error().code,
              Errc::json_too_large);
}

TEST(CanonicalJsonTest, SortsKeysByUtf16CodeUnitsAndEscapesLikeJavaScript)
{
    // RFC 8785 section 3.2.3: U+FB33 sorts after U+1F600 (a surrogate pair, D83D DE00), though
    // its UTF-8 bytes (EF AC B3) sort before the smiley's (F0 9F 98 80).
    auto value =
        ParseStrictJson(R"({"\u20ac":1,"\ud83d\ude00":2,"a":3,"\r":4,"1":5,"\ufb33":6})", 1024);
    ASSERT_TRUE(value.has_value());
    auto bytes = SerialiseCanonical(*value);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(
        *bytes,
        "{\"\\r\":4,\"1\":5,\"a\":3,\"\xE2\x82\xAC\":1,\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\xB3\":6}");

    auto escapes = ParseStrictJson(R"(["\u0000\u001f\b\f\n\r\t\"\\/\u007f\u2028"])", 1024);
    ASSERT_TRUE(escapes.has_value());
    EXPECT_EQ(*SerialiseCanonical(*escapes),
              "[\"\\u0000\\u001f\\b\\f\\n\\r\\t\\\"\\\\/\x7F\xE2\x80\xA8\"]");

    for (const char* refused : {"[1.5]", "[9007199254740993]", "[-9007199254740993]"}) {
        auto parsed = ParseStrictJson(refused, 1024);
        ASSERT_TRUE(parsed.has_value());
        EXPECT_EQ(SerialiseCanonical(*parsed).error(), Errc::field_invalid) << refused;
    }
    EXPECT_EQ(*SerialiseCanonical(*ParseStrictJson(
                  "[9007199254740992,-9007199254740992,null,true,false,{}]", 1024)),
              "[9007199254740992,-9007199254740992,null,true,false,{}]");
}

} // namespace
} // namespace wijkbudget::ledger
