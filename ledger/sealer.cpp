#include "ledger/sealer.hpp"

#include "ledger/assert.hpp"
#include "ledger/canonical_json.hpp"
#include "ledger/check_entry.hpp"
#include "ledger/entry_json.hpp"

namespace wijkbudget::ledger {

boost::system::result<SealedEntry, Failure> Sealer::Seal(Entry draft, EntrySource source)
{
    draft.index = LeafIndex{m_root.Size()};
    draft.previous = m_previous;
    if (auto checked = CheckEntry(draft); !checked) return checked.error();
    if (auto prepared = m_book.Prepare(draft); !prepared) return prepared.error();
    // The reader every replay and verifier uses judges a draft before it is sealed: a value it
    // refuses (a text past its limit or rule, such as an actor id from a token made with too
    // long a name) would stop each of them at this index for good. A replayed entry came
    // through that reader already.
    const boost::json::value json = EntryToJson(draft);
    if (source == EntrySource::draft) {
        auto reread = EntryFromJson(json);
        if (!reread) return reread.error();
        WB_ASSERT(*reread == draft); // The reader and writer map each value to one spelling.
    }
    auto canonical = SerialiseCanonical(json);
    WB_ASSERT(canonical.has_value()); // Integers within 2^53 and strings only (SerialiseEntry).
    std::string bytes = std::move(*canonical);
    // Every reader refuses a longer entry (ParseCanonicalEntry): sealed, it would stop each
    // replay and verification at its index. Escaped titles can make one from a request that fit.
    if (bytes.size() > m_entry_bytes_max) {
        return MakeFailure(Errc::field_too_long, "entry: " + std::to_string(bytes.size()) +
                                                     " bytes, at most " +
                                                     std::to_string(m_entry_bytes_max));
    }
    // Prepare computed what Apply checks, from the same state: a refusal here is a bug.
    auto applied = m_book.Apply(draft, draft.index);
    WB_ASSERT(applied.has_value());
    SealedEntry sealed{std::move(draft), std::move(bytes), {}};
    sealed.leaf = LeafHash(sealed.bytes);
    m_root.Append(sealed.leaf);
    m_previous = sealed.leaf;
    return sealed;
}

Hash Sealer::Root() const
{
    return m_root.Size() == 0 ? EmptyTreeHash() : m_root.Root();
}

} // namespace wijkbudget::ledger
