#include "ledger/export_verifier.hpp"

#include "ledger/check_entry.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/hex.hpp"

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
    m_problem = ExportProblem{index, MakeFailure(code, std::move(where))};
    return *m_problem;
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
        // Entry k-1 no longer matched the link in entry k. If k's own bytes changed (its link
        // was rewritten), k's leaf no longer matches the link here either; otherwise k-1 changed.
        const bool next_link_holds = line.entry && line.entry->previous == m_previous_leaf;
        const std::uint64_t broken = *m_broken_link;
        return Fail(next_link_holds ? broken - 1 : broken, Errc::entry_altered,
                    "the link in index " + std::to_string(broken));
    }
    if (line.failure) {
        m_problem = ExportProblem{index, *line.failure};
        return *m_problem;
    }
    const Entry& entry = *line.entry;
    if (entry.index.value != index) return Fail(index, Errc::field_invalid, "index");
    if (auto checked = CheckEntry(entry); !checked) {
        m_problem = ExportProblem{index, checked.error()};
        return *m_problem;
    }
    if (index > 0 && entry.previous != m_previous_leaf) {
        m_broken_link = index;
        m_broken_link_recorded = entry.previous;
    }
    if (auto applied = m_book.Apply(entry, entry.index); !applied) {
        m_problem = ExportProblem{index, applied.error()};
        return *m_problem;
    }
    if (index + 2 == m_checkpoint_size) m_root_before_last_two = m_root;
    if (index < m_checkpoint_size) m_root.Append(line.leaf);
    m_previous_leaf = line.leaf;
    ++m_count;
    return {};
}

boost::system::result<ExportSummary, ExportProblem> ExportVerifier::Finish()
{
    if (m_problem) return *m_problem;
    if (m_broken_link) {
        // The last entry's link is broken and no entry follows to tell which side changed.
        // If it is the last covered entry, the checkpoint tells: with the hash it records in
        // place of its predecessor's, the root comes out right exactly when the predecessor
        // changed. Otherwise name the last entry, whose bytes are the ones that disagree.
        std::uint64_t altered = *m_broken_link;
        if (altered + 1 == m_checkpoint_size && m_count == m_checkpoint_size) {
            RootAccumulator original = m_root_before_last_two;
            original.Append(*m_broken_link_recorded);
            original.Append(*m_previous_leaf);
            if (original.Root() == m_checkpoint_root) altered -= 1;
        }
        auto failed = Fail(altered, Errc::entry_altered,
                           "the link in index " + std::to_string(*m_broken_link));
        return failed.error();
    }
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
