#include "ledger/account.hpp"
#include "ledger/export_verifier.hpp"
#include "tests/support/ledger_writer.hpp"
#include "tests/support/sample_ledger.hpp"
#include "tests/support/test_temp_folder.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace wijkbudget::ledger {
namespace {

//! About 3 MB of grants: more than one read chunk and one batch, so lines cross both.
constexpr std::size_t GRANTS{6000};

//! Temporary file names of this process (ctest runs tests in parallel processes), removed at
//! its end.
std::string TempPath(const std::string& name)
{
    return testing::TestTempPath() + name;
}

struct ExportFile {
    std::string path;
    std::vector<std::string> lines;
    Hash root{};
};

ExportFile WriteGrants(const std::string& name)
{
    testing::LedgerWriter writer;
    ExportFile file{TempPath(name), {}, {}};
    for (std::size_t count = 0; count < GRANTS; ++count) {
        Entry entry;
        entry.actor = Actor{Role::municipality, Slug{"officer-1"}};
        entry.recorded_at = Timestamp{1'800'000'000'000 + static_cast<std::int64_t>(count)};
        entry.council = Slug{"schalkwijk"};
        const Year year{2027};
        entry.payload =
            BudgetGranted{year, BudgetCategory::initiatives, Cents{100}, YearEndRule::returns};
        entry.postings = testing::TransferPostings(
            "pool", AccountName(LineAccount(Slug{"schalkwijk"}, year, BudgetCategory::initiatives)),
            Cents{100});
        file.lines.push_back(writer.Append(entry));
    }
    file.root = writer.Root();
    return file;
}

void Save(const ExportFile& file, bool final_newline = true)
{
    std::ofstream out(file.path, std::ios::binary);
    for (std::size_t index = 0; index < file.lines.size(); ++index) {
        out << file.lines[index];
        if (index + 1 < file.lines.size() || final_newline) out << '\n';
    }
}

TEST(ExportFileTest, VerifiesLinesAcrossChunksAndBatchesWithAnyThreadCount)
{
    ExportFile file = WriteGrants("grants.ndjson");
    Save(file);
    for (unsigned threads : {1U, 2U, 3U}) {
        auto outcome = VerifyExportFile(file.path, GRANTS, file.root, threads);
        ASSERT_FALSE(outcome.unreadable.has_value());
        ASSERT_TRUE(outcome.verdict.has_value()) << outcome.verdict.error().Describe();
        EXPECT_EQ(outcome.verdict->entries, GRANTS);
    }
    Save(file, false);
    auto without_newline = VerifyExportFile(file.path, GRANTS, file.root, 2);
    ASSERT_TRUE(without_newline.verdict.has_value());
    EXPECT_EQ(without_newline.verdict->entries, GRANTS);
}

TEST(ExportFileTest, NamesTheAlteredEntryDeepInTheFile)
{
    ExportFile file = WriteGrants("altered.ndjson");
    const std::size_t victim = 4321;
    auto& line = file.lines[victim];
    line.replace(line.find("\"amount_cents\":100,"), 19, "\"amount_cents\":101,");
    Save(file);
    auto outcome = VerifyExportFile(file.path, GRANTS, file.root, 2);
    ASSERT_FALSE(outcome.verdict.has_value());
    EXPECT_EQ(outcome.verdict.error().index, victim);
}

TEST(ExportFileTest, RefusesAnOverlongLineWithoutReadingItIntoMemory)
{
    ExportFile file = WriteGrants("long.ndjson");
    file.lines[10] = std::string(3 * EXPORT_LINE_BYTES_MAX, 'x');
    Save(file);
    auto outcome = VerifyExportFile(file.path, GRANTS, file.root, 2);
    ASSERT_FALSE(outcome.verdict.has_value());
    EXPECT_EQ(outcome.verdict.error().index, 10U);
    EXPECT_EQ(outcome.verdict.error().failure.code, Errc::json_too_large);
}

TEST(ExportFileTest, EmptyFileAndMissingFile)
{
    const std::string empty = TempPath("empty.ndjson");
    std::ofstream(empty).close();
    auto outcome = VerifyExportFile(empty, 0, EmptyTreeHash(), 2);
    ASSERT_TRUE(outcome.verdict.has_value());
    EXPECT_EQ(outcome.verdict->entries, 0U);
    auto missing = VerifyExportFile(TempPath("no-such-file"), 0, EmptyTreeHash(), 2);
    EXPECT_TRUE(missing.unreadable.has_value());
}

} // namespace
} // namespace wijkbudget::ledger
