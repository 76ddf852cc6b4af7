#pragma once
// ledger/sealer.hpp: turns a draft into the next entry of the ledger, or refuses it.
//
// These are the steps the sequencer takes for each entry of a batch, kept free of storage and
// threads: give the draft its index and the link to the previous leaf, check it (CheckEntry),
// fill in and check its postings against the book, then hash it into the tree. A refused draft
// leaves everything as it was, so one rejected request never spoils the rest of its batch.

#include "ledger/book.hpp"
#include "ledger/entry.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <optional>
#include <string>

namespace wijkbudget::ledger {

struct SealedEntry {
    Entry entry;       //!< The draft completed: index, previous, posting balances.
    std::string bytes; //!< Its canonical bytes: the leaf.
    Hash leaf{};       //!< LeafHash(bytes).
};

//! Where an entry to seal comes from: a draft made in this process, or the entry reader (a
//! stored entry being replayed), which has judged its values already.
enum class EntrySource { draft, reader };

class Sealer
{
public:
    //! `entry_bytes_max` is ENTRY_BYTES_MAX but in tests, which make a shorter limit bite.
    explicit Sealer(std::size_t entry_bytes_max = ENTRY_BYTES_MAX)
        : m_entry_bytes_max{entry_bytes_max}
    {}

    /**
     * Seals a draft as entry number Size(). The draft's index, previous and posting balances
     * are overwritten; everything else must already be right. On failure nothing changes.
     * An entry whose canonical bytes would pass the limit is refused (field_too_long), and so
     * is a draft with a value the entry reader refuses (its code and field path).
     */
    boost::system::result<SealedEntry, Failure> Seal(Entry draft,
                                                     EntrySource source = EntrySource::draft);

    [[nodiscard]] std::uint64_t Size() const { return m_root.Size(); }
    //! The root of the entries sealed so far (SHA-256 of nothing for none).
    [[nodiscard]] Hash Root() const;
    [[nodiscard]] const Book& ReplayedBook() const { return m_book; }

private:
    std::size_t m_entry_bytes_max;
    Book m_book;
    RootAccumulator m_root;
    std::optional<Hash> m_previous;
};

} // namespace wijkbudget::ledger
