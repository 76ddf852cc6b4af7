#include "tests/support/ledger_writer.hpp"

#include "ledger/assert.hpp"
#include "ledger/check_entry.hpp"
#include "ledger/entry_json.hpp"

#include <cstdio>

namespace wijkbudget::testing {

using namespace ledger;

std::string LedgerWriter::Append(Entry& entry)
{
    entry.index = LeafIndex{m_root.Size()};
    entry.previous = m_previous;
    // A refused entry is a bug in the caller: say which rule, then stop.
    auto checked = CheckEntry(entry);
    if (!checked)
        std::fprintf(stderr, "entry %llu: %s\n", static_cast<unsigned long long>(entry.index.value),
                     checked.error().Describe().c_str());
    WB_ASSERT(checked.has_value());
    auto prepared = m_book.Prepare(entry);
    if (!prepared)
        std::fprintf(stderr, "entry %llu: %s\n", static_cast<unsigned long long>(entry.index.value),
                     prepared.error().Describe().c_str());
    WB_ASSERT(prepared.has_value());
    WB_ASSERT(m_book.Apply(entry, entry.index).has_value());
    std::string bytes = SerialiseEntry(entry);
    const Hash leaf = LeafHash(bytes);
    m_root.Append(leaf);
    m_previous = leaf;
    return bytes;
}

Hash LedgerWriter::Root() const
{
    return m_root.Size() == 0 ? EmptyTreeHash() : m_root.Root();
}

} // namespace wijkbudget::testing
