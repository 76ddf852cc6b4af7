#include "ledger/export_verifier.hpp"

#include "ledger/check_entry.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/hex.hpp"

#include <algorithm>

namespace wijkbudget::ledger {

std::string ExportProblem::Describe() const
{
    return "index " + std::to_string(index) + ": " + failure.Describe();
}

ExportVerifier::ExportVerifier(std::uint64_t checkpoint_size, const Hash& checkpoint_root)
    : m_checkpoint_size{checkpoint_size}, m_checkpoint_root{checkpoint_root}
{}

boost::system::result<void, ExportProblem> ExportVerifier::Fail(std::uint64_t index, Errc code,
                                                                std::string where)
{
    return Report(ExportProblem{index, MakeFailure(code, std::move(where))});
}

ExportProblem ExportVerifier::Report(ExportProblem problem)
{
    auto witness = FirstFalseWitness(problem.index);
    m_problem = witness ? *witness : std::move(problem);
    return *m_problem;
}

std::optional<ExportProblem> ExportVerifier::FirstFalseWitness(std::uint64_t index) const
{
    // One pass over the leaves, in order of size, yields every witnessed root.
    std::vector<Witnessed> witnessed;
    for (const auto& entry : m_witnessed) {
        if (entry.index < index) witnessed.push_back(entry);
    }
    std::sort(witnessed.begin(), witnessed.end(),
              [](const Witnessed& a, const Witnessed& b) { return a.size < b.size; });
    RootAccumulator root;
    std::optional<std::uint64_t> first;
    for (const auto& entry : witnessed) {
        while (root.Size() < entry.size)
            root.Append(m_leaves[root.Size()]);
        const Hash actual = entry.size == 0 ? EmptyTreeHash() : root.Root();
        if (actual != entry.root && (!first || entry.index < *first)) first = entry.index;
    }
    if (!first) return std::nullopt;
    return ExportProblem{*first, MakeFailure(Errc::root_mismatch, "payload.root")};
}

ParsedLine ParseExportLine(std::string_view line)
{
    ParsedLine parsed;
    parsed.leaf = LeafHash(line);
    auto entry = ParseCanonicalEntry(line);
    if (!entry) {
        parsed.failure = entry.error();
        return parsed;
    }
    parsed.entry = std::move(*entry);
    return parsed;
}

boost::system::result<void, ExportProblem> ExportVerifier::Add(std::string_view line)
{
    return Add(ParseExportLine(line));
}

boost::system::result<void, ExportProblem> ExportVerifier::Add(const ParsedLine& line)
{
    if (m_problem) return *m_problem;
    const std::uint64_t index = m_count;
    if (m_broken_link) {
        // Entry k did not link to entry k-1's leaf. If entry k+1 links to k's leaf, k is as
        // its successor saw it, so k-1 changed; otherwise k's own bytes changed.
        const bool next_link_holds = line.entry && line.entry->previous == m_previous_leaf;
        return FailAtBrokenLink(next_link_holds);
    }
    if (line.failure) return Report(ExportProblem{index, *line.failure});
    const Entry& entry = *line.entry;
    if (entry.index.value != index) return Fail(index, Errc::field_invalid, "index");
    if (index > 0 && entry.previous != m_previous_leaf) {
        // Which side changed shows only at the next line (or the root): nothing more of this
        // entry is checked, so that whatever else breaks here is not blamed on it. Its time
        // neither: an earlier entry altered to a later time breaks this link as well.
        m_broken_link = index;
        m_broken_link_recorded = entry.previous;
        Advance(line.leaf);
        return {};
    }
    if (m_last_recorded_at && entry.recorded_at < *m_last_recorded_at) {
        return Fail(index, Errc::field_invalid, "recorded_at");
    }
    if (auto checked = CheckEntry(entry); !checked)
        return Report(ExportProblem{index, checked.error()});
    if (auto applied = m_book.Apply(entry, entry.index); !applied) {
        return Report(ExportProblem{index, applied.error()});
    }
    if (const auto* witnessed = std::get_if<CheckpointWitnessed>(&entry.payload)) {
        m_witnessed.push_back(Witnessed{index, witnessed->size, witnessed->root});
    }
    m_last_recorded_at = entry.recorded_at;
    Advance(line.leaf);
    return {};
}

void ExportVerifier::Advance(const Hash& leaf)
{
    const std::uint64_t index = m_count;
    if (index + 2 == m_checkpoint_size) m_root_before_last_two = m_root;
    if (index < m_checkpoint_size) m_root.Append(leaf);
    m_previous_leaf = leaf;
    m_leaves.push_back(leaf);
    ++m_count;
}

boost::system::result<void, ExportProblem>
ExportVerifier::FailAtBrokenLink(bool predecessor_changed)
{
    const std::uint64_t broken = *m_broken_link;
    return Fail(predecessor_changed ? broken - 1 : broken, Errc::entry_altered,
                "the link in index " + std::to_string(broken));
}

//! With no line after the broken link at k, the checkpoint decides where it can.
bool ExportVerifier::PredecessorChangedByRoot() const
{
    const std::uint64_t broken = *m_broken_link;
    if (broken + 1 == m_checkpoint_size) {
        // k is the last covered entry: with the hash k records in place of k-1's leaf, the
        // root comes out right exactly when k-1 changed and k did not.
        RootAccumulator original = m_root_before_last_two;
        original.Append(*m_broken_link_recorded);
        original.Append(*m_previous_leaf);
        return original.Root() == m_checkpoint_root;
    }
    if (broken == m_checkpoint_size) {
        // k-1 is the last covered entry: the root says whether it is as signed.
        return m_root.Root() != m_checkpoint_root;
    }
    return false; // Beyond the checkpoint nothing tells; name the entry that disagrees.
}

boost::system::result<ExportSummary, ExportProblem> ExportVerifier::Finish()
{
    if (m_problem) return *m_problem;
    if (m_broken_link) return FailAtBrokenLink(PredecessorChangedByRoot()).error();
    if (auto witness = FirstFalseWitness(m_count)) return Report(*witness);
    if (m_count < m_checkpoint_size) {
        auto failed =
            Fail(m_count, Errc::export_incomplete,
                 std::to_string(m_count) + " of " + std::to_string(m_checkpoint_size) + " entries");
        return failed.error();
    }
    const Hash root = m_checkpoint_size == 0 ? EmptyTreeHash() : m_root.Root();
    if (root != m_checkpoint_root) {
        // Every link held, so only the last covered entry is committed to by nothing but the
        // root (or the whole tail was rewritten consistently, which the root alone reveals).
        const std::uint64_t last = m_checkpoint_size == 0 ? 0 : m_checkpoint_size - 1;
        auto failed = Fail(last, Errc::root_mismatch, "root " + ToHex(root));
        return failed.error();
    }
    return ExportSummary{m_count, m_checkpoint_size, root};
}

} // namespace wijkbudget::ledger
