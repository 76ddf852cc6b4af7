// libFuzzer target: a ledger export as `wijkbudget-verify export` reads it (one canonical entry per
// line), replayed through ExportVerifier: the parser, the links between entries, the book's rules
// (balances, commitments, votes) and the witnessed checkpoints.
//
// The checkpoint is the one the input's own lines make (their number, the root of their leaves),
// so that an input is not stopped at the root but reaches the book. Beyond "does not crash", a
// verdict names a line of the input or the end of it, and an accepted export is all of it.

#include "ledger/assert.hpp"
#include "ledger/export_verifier.hpp"
#include "ledger/merkle.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace {

//! Lines replayed at most: the book's work grows with them, and a run should stay quick.
constexpr std::size_t FUZZ_EXPORT_LINES_MAX{4096};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wijkbudget::ledger;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> lines;
    while (!text.empty() && lines.size() < FUZZ_EXPORT_LINES_MAX) {
        const std::size_t newline = text.find('\n');
        lines.push_back(text.substr(0, newline));
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    }
    RootAccumulator root;
    for (const std::string_view line : lines)
        root.Append(LeafHash(line));
    const Hash checkpoint_root = lines.empty() ? EmptyTreeHash() : root.Root();
    ExportVerifier verifier(lines.size(), checkpoint_root);
    std::optional<ExportProblem> problem;
    for (const std::string_view line : lines) {
        if (auto added = verifier.Add(line); !added) {
            problem = added.error();
            break;
        }
    }
    const auto verdict = verifier.Finish();
    if (problem) {
        // Once failed, the verifier keeps its first problem.
        WB_ASSERT(!verdict.has_value());
        WB_ASSERT(verdict.error().index == problem->index);
    }
    if (!verdict) {
        WB_ASSERT(verdict.error().index <= lines.size());
        return 0;
    }
    WB_ASSERT(verdict->entries == lines.size());
    WB_ASSERT(verdict->covered == lines.size());
    WB_ASSERT(verdict->root == checkpoint_root);
    return 0;
}
