#pragma once
// ledger/export_verifier.hpp: checks a ledger export, entry by entry, against a checkpoint.
//
// An export is one canonical entry per line, in index order. For each line the verifier
// checks that the bytes are canonical, the index is the line's, the chain link names the
// previous entry's leaf hash, CheckEntry passes and the book accepts the postings; it hashes
// the leaf and, at the end, compares the root of the first `size` entries with the checkpoint.
// Recorded times never go back, and every witnessed checkpoint must name this ledger's root.
// The first problem found is reported with the index of the entry at fault.

#include "ledger/book.hpp"
#include "ledger/entry.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::ledger {

struct ExportProblem {
    std::uint64_t index{0}; //!< The first entry found to be wrong.
    Failure failure;
    //! "index 17: entry_altered at ...: ..."
    [[nodiscard]] std::string Describe() const;
};

struct ExportSummary {
    std::uint64_t entries{0}; //!< Lines read.
    std::uint64_t covered{0}; //!< Entries the checkpoint covers (its size).
    Hash root{};              //!< Root of the covered entries; equals the checkpoint's.
};

//! What one line gives on its own, before the book: parsing is the costly, context-free
//! part, so it can run on other threads while the book replays in index order.
struct ParsedLine {
    Hash leaf{};
    std::optional<Entry> entry;
    std::optional<Failure> failure; //!< Parsing or CheckEntry failed.
};

ParsedLine ParseExportLine(std::string_view line);

class ExportVerifier
{
public:
    ExportVerifier(std::uint64_t checkpoint_size, const Hash& checkpoint_root);

    //! Checks the next line (without its newline). After a problem, nothing more is accepted.
    boost::system::result<void, ExportProblem> Add(std::string_view line);
    //! The same, for a line already parsed by ParseExportLine.
    boost::system::result<void, ExportProblem> Add(const ParsedLine& line);

    //! Settles what only the end can settle: the count, the root, a break in the last link.
    boost::system::result<ExportSummary, ExportProblem> Finish();

    [[nodiscard]] const Book& ReplayedBook() const { return m_book; }

private:
    boost::system::result<void, ExportProblem> Fail(std::uint64_t index, Errc code,
                                                    std::string where);
    //! Counts the line and adds its leaf to the root (while covered) and the chain.
    void Advance(const Hash& leaf);
    boost::system::result<void, ExportProblem> FailAtBrokenLink(bool predecessor_changed);
    [[nodiscard]] bool PredecessorChangedByRoot() const;
    //! The first witnessed checkpoint, before `index`, whose root is not this ledger's.
    [[nodiscard]] std::optional<ExportProblem> FirstFalseWitness(std::uint64_t index) const;
    //! Records the problem, unless a false witness entry comes before it.
    ExportProblem Report(ExportProblem problem);

    std::uint64_t m_checkpoint_size;
    Hash m_checkpoint_root;
    std::uint64_t m_count{0};
    std::optional<Hash> m_previous_leaf;
    //! Set when entry k's link to k-1 is broken: whether k-1 or k changed shows at k+1.
    std::optional<std::uint64_t> m_broken_link;
    //! What the entry with the broken link says its predecessor's leaf hash was.
    std::optional<Hash> m_broken_link_recorded;
    //! The root state before the second-to-last covered leaf: at the end it tells whether a
    //! broken last link means the entry before it changed (its recorded hash fits the root).
    RootAccumulator m_root_before_last_two;
    //! Every leaf so far (32 bytes an entry), for the roots that witnessed checkpoints name.
    std::vector<Hash> m_leaves;
    struct Witnessed {
        std::uint64_t index;
        std::uint64_t size;
        Hash root;
    };
    std::vector<Witnessed> m_witnessed;
    std::optional<Timestamp> m_last_recorded_at;
    std::optional<ExportProblem> m_problem;
    RootAccumulator m_root;
    Book m_book;
};

//! Export lines at most; a longer line is refused before it is parsed.
inline constexpr std::size_t EXPORT_LINE_BYTES_MAX{ENTRY_BYTES_MAX};

//! Parsing threads for an export at most; more than the cores only costs memory (each
//! thread keeps two batches of about a MiB parsed ahead).
inline constexpr unsigned EXPORT_THREADS_MAX{64};

/**
 * Verifies the export file at `path` ("-" for standard input) with `threads` parsing threads
 * (0: one per core, at most EXPORT_THREADS_MAX) and one replaying the book in order. Unreadable
 * input is an error code; a wrong ledger is an ExportProblem.
 */
struct ExportOutcome {
    std::optional<boost::system::error_code> unreadable;
    boost::system::result<ExportSummary, ExportProblem> verdict{ExportSummary{}};
};
ExportOutcome VerifyExportFile(const std::string& path, std::uint64_t checkpoint_size,
                               const Hash& checkpoint_root, unsigned threads);

} // namespace wijkbudget::ledger
