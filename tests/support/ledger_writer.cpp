#include "tests/support/ledger_writer.hpp"

#include "ledger/assert.hpp"

#include <cstdio>

namespace wijkbudget::testing {

std::string LedgerWriter::Append(ledger::Entry& entry)
{
    auto sealed = m_sealer.Seal(entry);
    if (!sealed) {
        std::fprintf(stderr, "entry %llu refused: %s\n",
                     static_cast<unsigned long long>(m_sealer.Size()),
                     sealed.error().Describe().c_str());
    }
    WB_ASSERT(sealed.has_value());
    entry = std::move(sealed->entry);
    return std::move(sealed->bytes);
}

} // namespace wijkbudget::testing
