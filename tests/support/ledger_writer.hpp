#pragma once
// tests/support/ledger_writer.hpp: appends entries as the sequencer will, for tests and benches.
//
// Append fills in what the sequencer assigns (index, the link to the previous leaf, posting
// balances), checks the entry and applies it to a book, and tracks the Merkle root. Entries
// that the book refuses are a bug in the caller: the writer asserts.

#include "ledger/book.hpp"
#include "ledger/entry.hpp"
#include "ledger/merkle.hpp"

#include <optional>
#include <string>

namespace wijkbudget::testing {

class LedgerWriter
{
public:
    //! Completes and appends the entry; returns its canonical bytes (the leaf).
    std::string Append(ledger::Entry& entry);

    [[nodiscard]] std::uint64_t Size() const { return m_root.Size(); }
    [[nodiscard]] ledger::Hash Root() const;
    [[nodiscard]] const ledger::Book& ReplayedBook() const { return m_book; }

private:
    ledger::Book m_book;
    ledger::RootAccumulator m_root;
    std::optional<ledger::Hash> m_previous;
};

} // namespace wijkbudget::testing
