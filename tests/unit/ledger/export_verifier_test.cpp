#include "ledger/book.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/export_verifier.hpp"
#include "ledger/merkle.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace wijkbudget::ledger {
namespace {

std::vector<std::string> SampleLines()
{
    std::vector<std::string> lines;
    for (const auto& entry : testing::SampleLedger())
        lines.push_back(SerialiseEntry(entry));
    return lines;
}

Hash RootOf(const std::vector<std::string>& lines, std::size_t size)
{
    RootAccumulator root;
    for (std::size_t index = 0; index < size; ++index)
        root.Append(LeafHash(lines[index]));
    return size == 0 ? EmptyTreeHash() : root.Root();
}

boost::system::result<ExportSummary, ExportProblem> Verify(const std::vector<std::string>& lines,
                                                           std::uint64_t size, const Hash& root)
{
    ExportVerifier verifier(size, root);
    for (const auto& line : lines) {
        if (auto added = verifier.Add(line); !added) return added.error();
    }
    return verifier.Finish();
}

void ExpectProblem(const std::vector<std::string>& lines, const Hash& root, std::uint64_t index,
                   Errc code, const std::string& trace)
{
    auto verified = Verify(lines, lines.size(), root);
    ASSERT_FALSE(verified.has_value()) << trace;
    EXPECT_EQ(verified.error().index, index) << trace << ": " << verified.error().Describe();
    EXPECT_EQ(verified.error().failure.code, code) << trace << ": " << verified.error().Describe();
}

TEST(ExportVerifierTest, AcceptsTheSampleLedger)
{
    const auto lines = SampleLines();
    auto verified = Verify(lines, lines.size(), RootOf(lines, lines.size()));
    ASSERT_TRUE(verified.has_value()) << verified.error().Describe();
    EXPECT_EQ(verified->entries, lines.size());
    EXPECT_EQ(verified->covered, lines.size());
    EXPECT_EQ(verified->root, RootOf(lines, lines.size()));
}

TEST(ExportVerifierTest, ComparesOnlyTheCoveredPrefixAndReportsTheRest)
{
    const auto lines = SampleLines();
    auto verified = Verify(lines, 20, RootOf(lines, 20));
    ASSERT_TRUE(verified.has_value()) << verified.error().Describe();
    EXPECT_EQ(verified->entries, lines.size());
    EXPECT_EQ(verified->covered, 20U);
    auto empty = Verify({}, 0, EmptyTreeHash());
    ASSERT_TRUE(empty.has_value());
}

TEST(ExportVerifierTest, FewerEntriesThanTheCheckpointIsAFailure)
{
    const auto lines = SampleLines();
    const std::vector<std::string> short_export(lines.begin(), lines.begin() + 10);
    auto verified = Verify(short_export, lines.size(), RootOf(lines, lines.size()));
    ASSERT_FALSE(verified.has_value());
    EXPECT_EQ(verified.error().index, 10U);
    EXPECT_EQ(verified.error().failure.code, Errc::export_incomplete);
}

TEST(ExportVerifierTest, NamesEveryAlteredEntry)
{
    const auto lines = SampleLines();
    const Hash root = RootOf(lines, lines.size());
    for (std::size_t index = 0; index < lines.size(); ++index) {
        auto altered = lines;
        const auto position = altered[index].find(".123Z");
        ASSERT_NE(position, std::string::npos);
        altered[index].replace(position, 5, ".124Z");
        const Errc expected = index + 1 == lines.size() ? Errc::root_mismatch : Errc::entry_altered;
        ExpectProblem(altered, root, index, expected, "time of index " + std::to_string(index));
    }
}

TEST(ExportVerifierTest, NamesAnEntryWhoseOwnLinkWasRewritten)
{
    const auto lines = SampleLines();
    const Hash root = RootOf(lines, lines.size());
    for (std::size_t index = 1; index < lines.size(); ++index) {
        auto altered = lines;
        const auto position = altered[index].find("\"previous\":\"") + 12;
        altered[index][position] = altered[index][position] == '0' ? '1' : '0';
        ExpectProblem(altered, root, index, Errc::entry_altered,
                      "link of index " + std::to_string(index));
    }
}

TEST(ExportVerifierTest, NamesAWrongBalanceDroppedLinesAndSecondSpellings)
{
    const auto lines = SampleLines();
    const Hash root = RootOf(lines, lines.size());
    auto balance = lines;
    const auto position = balance[5].find("\"balance_after_cents\":1500000");
    ASSERT_NE(position, std::string::npos);
    balance[5].replace(position, 29, "\"balance_after_cents\":1500001");
    ExpectProblem(balance, root, 5, Errc::recorded_balance_mismatch, "balance");

    auto dropped = lines;
    dropped.erase(dropped.begin() + 7);
    ExpectProblem(dropped, root, 7, Errc::field_invalid, "dropped");

    auto spaced = lines;
    spaced[3] += " ";
    ExpectProblem(spaced, root, 3, Errc::json_not_canonical, "space");

    auto garbage = lines;
    garbage[4] = "{";
    ExpectProblem(garbage, root, 4, Errc::json_malformed, "garbage");
}

TEST(ExportVerifierTest, ConsistentForgeryIsBlamedOnTheForgedEntryNotItsSuccessor)
{
    // Index 16 spends 120,000 cents. Forge it to spend one cent more, with balances that the
    // book accepts: then index 17 (the reversal) disagrees with the book, but the chain shows
    // that 16 is the entry that changed.
    const auto entries = testing::SampleLedger();
    const std::size_t forged_index = 16;
    Book book;
    for (std::size_t index = 0; index < forged_index; ++index) {
        ASSERT_TRUE(book.Apply(entries[index], LeafIndex{index}).has_value());
    }
    Entry forged = entries[forged_index];
    std::get<SpendingRecorded>(forged.payload).amount = Cents{120'001};
    for (auto& posting : forged.postings)
        posting.amount = Cents{120'001};
    ASSERT_TRUE(book.Prepare(forged).has_value());
    auto lines = SampleLines();
    lines[forged_index] = SerialiseEntry(forged);
    ExpectProblem(lines, RootOf(SampleLines(), lines.size()), forged_index, Errc::entry_altered,
                  "forged spending");
}

TEST(ExportVerifierTest, LastCoveredEntryAlteredIsNamedWhenUncoveredEntriesFollow)
{
    const auto lines = SampleLines();
    const std::size_t size = lines.size() - 1;
    auto altered = lines;
    altered[size - 1].replace(altered[size - 1].find(".123Z"), 5, ".124Z");
    auto verified = Verify(altered, size, RootOf(lines, size));
    ASSERT_FALSE(verified.has_value());
    EXPECT_EQ(verified.error().index, size - 1) << verified.error().Describe();
    // The uncovered last entry's own link rewritten: that entry is named.
    auto relinked = lines;
    const auto position = relinked[size].find("\"previous\":\"") + 12;
    relinked[size][position] = relinked[size][position] == '0' ? '1' : '0';
    auto verified_relinked = Verify(relinked, size, RootOf(lines, size));
    ASSERT_FALSE(verified_relinked.has_value());
    EXPECT_EQ(verified_relinked.error().index, size) << verified_relinked.error().Describe();
}

TEST(ExportVerifierTest, WitnessedCheckpointMustNameThisLedgersRoot)
{
    // Rebuild the sample with the witnessed root changed: every link and balance is right, only
    // the root the auditor is said to have cosigned is not this ledger's.
    auto entries = testing::SampleLedger();
    auto is_witnessed = [](const Entry& entry) {
        return KindOf(entry) == "checkpoint.witnessed";
    };
    const auto found = std::find_if(entries.begin(), entries.end(), is_witnessed);
    ASSERT_NE(found, entries.end());
    // The ledger up to the witnessed entry, so that no later entry links to its changed bytes.
    entries.erase(found + 1, entries.end());
    Entry& witnessed = entries.back();
    std::get<CheckpointWitnessed>(witnessed.payload).root[0] ^= 1U;
    std::vector<std::string> lines;
    for (const auto& entry : entries)
        lines.push_back(SerialiseEntry(entry));
    const Hash root = RootOf(lines, lines.size());
    ExpectProblem(lines, root, witnessed.index.value, Errc::root_mismatch, "false witness");
    // Reported before a later problem, since it comes first.
    lines.push_back("{");
    ExpectProblem(lines, root, witnessed.index.value, Errc::root_mismatch, "false witness first");
}

TEST(ExportVerifierTest, RecordedTimeNeverGoesBack)
{
    auto entries = testing::SampleLedger();
    entries[9].recorded_at = entries[7].recorded_at;
    // Re-link from the changed entry on, so that only the time is wrong.
    std::vector<std::string> lines;
    std::optional<Hash> previous;
    for (auto& entry : entries) {
        entry.previous = previous;
        lines.push_back(SerialiseEntry(entry));
        previous = LeafHash(lines.back());
    }
    ExpectProblem(lines, RootOf(lines, lines.size()), 9, Errc::field_invalid, "time");
}

TEST(ExportVerifierTest, AnEntryAlteredToALaterTimeIsNamedNotTheNextOne)
{
    // Only entry 5's bytes change, to a time after entry 6's: the link of 6 breaks, and the
    // time of 6 going back must not be blamed on 6.
    const auto sample = testing::SampleLedger();
    auto lines = SampleLines();
    auto entry = sample[5];
    entry.recorded_at = Timestamp{sample[6].recorded_at.milliseconds + 1};
    lines[5] = SerialiseEntry(entry);
    ExpectProblem(lines, RootOf(SampleLines(), lines.size()), 5, Errc::entry_altered, "later");
}

TEST(ExportVerifierTest, WrongCheckpointRootIsARootMismatch)
{
    const auto lines = SampleLines();
    Hash root = RootOf(lines, lines.size());
    root[0] ^= 1U;
    ExpectProblem(lines, root, lines.size() - 1, Errc::root_mismatch, "root");
    auto empty = Verify({}, 0, root);
    ASSERT_FALSE(empty.has_value());
    EXPECT_EQ(empty.error().failure.code, Errc::root_mismatch);
}

} // namespace
} // namespace wijkbudget::ledger
