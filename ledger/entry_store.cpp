#include "ledger/entry_store.hpp"

#include "ledger/merkle.hpp"

#include <unordered_map>

namespace wijkbudget::ledger {
namespace {

//! The store's hashes, plus those a batch in the making has added on top of them.
class BatchOverlay final : public HashReader
{
public:
    explicit BatchOverlay(const HashReader& store) : m_store{store} {}

    void Add(std::uint64_t index, const Hash& hash) { m_added.emplace(index, hash); }

    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override
    {
        std::vector<Hash> hashes(indices.size());
        std::vector<std::uint64_t> from_store;
        for (std::size_t position = 0; position < indices.size(); ++position) {
            auto added = m_added.find(indices[position]);
            if (added == m_added.end()) {
                from_store.push_back(indices[position]);
            } else {
                hashes[position] = added->second;
            }
        }
        if (from_store.empty()) return hashes;
        auto stored = m_store.ReadHashes(from_store);
        if (!stored) return stored.error();
        std::size_t next = 0;
        for (std::size_t position = 0; position < indices.size(); ++position) {
            if (!m_added.contains(indices[position])) hashes[position] = (*stored)[next++];
        }
        return hashes;
    }

private:
    const HashReader& m_store;
    std::unordered_map<std::uint64_t, Hash> m_added;
};

} // namespace

boost::system::result<EntryBatch>
MakeEntryBatch(const TreeHead& head, std::span<const SealedEntry> sealed, const HashReader& store)
{
    EntryBatch batch;
    batch.first = head.size;
    BatchOverlay overlay(store);
    std::uint64_t index = head.size;
    for (const SealedEntry& entry : sealed) {
        if (entry.entry.index.value != index) return make_error_code(Errc::sequence_conflict);
        auto hashes = StoredHashesForRecord(index, entry.leaf, overlay);
        if (!hashes) return hashes.error();
        std::uint64_t stored_index = StoredHashCount(index);
        for (const Hash& hash : *hashes) {
            overlay.Add(stored_index, hash);
            batch.stored_hashes.emplace_back(stored_index++, hash);
        }
        batch.entries.push_back(entry.bytes);
        ++index;
    }
    auto root = TreeHash(index, overlay);
    if (!root) return root.error();
    batch.head = TreeHead{index, *root};
    return batch;
}

} // namespace wijkbudget::ledger
