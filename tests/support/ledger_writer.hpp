#pragma once
// tests/support/ledger_writer.hpp: appends entries as the sequencer will, for tests and benches.
//
// A Sealer (ledger/sealer.hpp) that treats a refused entry as a bug in the caller: it prints
// the reason and stops.

#include "ledger/entry.hpp"
#include "ledger/sealer.hpp"

#include <string>

namespace wijkbudget::testing {

class LedgerWriter
{
public:
    //! Completes the entry in place and appends it; returns its canonical bytes (the leaf).
    std::string Append(ledger::Entry& entry);

    [[nodiscard]] std::uint64_t Size() const { return m_sealer.Size(); }
    [[nodiscard]] ledger::Hash Root() const { return m_sealer.Root(); }
    [[nodiscard]] const ledger::Book& ReplayedBook() const { return m_sealer.ReplayedBook(); }

private:
    ledger::Sealer m_sealer;
};

} // namespace wijkbudget::testing
