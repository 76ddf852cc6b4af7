#pragma once
// ledger/entry_store.hpp: the port through which the sequencer stores the ledger.
//
// The sequencer seals entries (ledger/sealer.hpp), turns them into a batch with the stored
// hashes they complete (MakeEntryBatch), and hands the batch to an EntryStore, which writes it
// all or nothing. `ledger/pg/` implements the port on PostgreSQL; the tests' MemoryEntryStore
// in memory; one contract suite (tests/contract/) holds both to the same behaviour.

#include "ledger/hash_store.hpp"
#include "ledger/sealer.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::ledger {

//! Entries one read returns at most (a page of the public ledger).
inline constexpr std::size_t LEDGER_PAGE_ENTRIES_MAX{1000};

struct TreeHead {
    std::uint64_t size{0};
    Hash root{};
    friend bool operator==(const TreeHead&, const TreeHead&) = default;
};

//! Consecutive entries from `first`, the stored hashes they complete (tlog layout, by stored
//! hash index) and the head after them.
struct EntryBatch {
    std::uint64_t first{0};
    std::vector<std::string> entries; //!< Canonical bytes, in index order.
    std::vector<std::pair<std::uint64_t, Hash>> stored_hashes;
    TreeHead head;
};

class EntryStore : public HashReader
{
public:
    //! Writes the batch, all or nothing. Errc::sequence_conflict if batch.first is not
    //! Head().size (another sequencer wrote first); Errc::storage_unavailable if the store failed.
    virtual boost::system::result<void> AppendBatch(const EntryBatch& batch) = 0;

    /** Entries [first, first + count) as canonical bytes, fewer at the head.
     * Errc::index_out_of_range if first is past the head. @pre count <= LEDGER_PAGE_ENTRIES_MAX */
    virtual boost::system::result<std::vector<std::string>> ReadRange(std::uint64_t first,
                                                                      std::size_t count) const = 0;

    [[nodiscard]] virtual boost::system::result<TreeHead> Head() const = 0;
};

/**
 * The batch for sealed entries that follow `head`: each leaf's stored hashes are computed from
 * the older ones in `store` and those the batch itself has just made.
 */
boost::system::result<EntryBatch>
MakeEntryBatch(const TreeHead& head, std::span<const SealedEntry> sealed, const HashReader& store);

} // namespace wijkbudget::ledger
