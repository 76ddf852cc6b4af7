#pragma once
// ledger/memory_hash_store.hpp: the stored hashes of a tree kept in a vector.
//
// Used by the unit tests, the offline verifier (which rebuilds the tree of an export to answer
// proofs) and the benchmarks. The PostgreSQL store writes the same hashes at the same indices.

#include "ledger/hash_store.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace wijkbudget::ledger {

class MemoryHashStore final : public HashReader
{
public:
    /** Appends the leaf with this leaf hash (see LeafHash) and the subtrees it completes.
     *  @pre Size() < TREE_SIZE_MAX. @return the new leaf's index. */
    std::uint64_t Append(const Hash& leaf_hash);

    //! The number of leaves appended.
    [[nodiscard]] std::uint64_t Size() const { return m_size; }

    //! Makes room for the hashes of `leaves` leaves in all, so that filling a large store does
    //! not reallocate as it grows.
    void Reserve(std::uint64_t leaves);

    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override;

private:
    std::uint64_t m_size{0};
    //! Every stored hash, at its stored-hash index.
    std::vector<Hash> m_hashes;
};

} // namespace wijkbudget::ledger
