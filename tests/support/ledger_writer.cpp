#include "tests/support/ledger_writer.hpp"

#include "ledger/assert.hpp"
#include "ledger/check_entry.hpp"
#include "ledger/entry_json.hpp"

namespace wijkbudget::testing {

using namespace ledger;

std::string LedgerWriter::Append(Entry& entry)
{
    entry.index = LeafIndex{m_root.Size()};
    entry.previous = m_previous;
    WB_ASSERT(CheckEntry(entry).has_value());
    WB_ASSERT(m_book.Prepare(entry).has_value());
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
