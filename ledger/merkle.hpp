#pragma once
// ledger/merkle.hpp: the RFC 6962 / RFC 9162 Merkle tree over the ledger's leaves.
//
// Hashing is RFC 9162 section 2.1.1: leaf = SHA-256(0x00 || bytes), node = SHA-256(0x01 ||
// left || right), and the empty tree hashes to SHA-256(""). The store keeps the hash of every
// complete subtree in the order of Go's golang.org/x/mod/sumdb/tlog ("stored hashes"), so tree
// hashes and proofs for any size up to the current one need O(log n) stored hashes, read in a
// single HashReader::ReadHashes call. Verification needs no store and follows RFC 9162 sections
// 2.1.3.2 and 2.1.4.2, with exact proof lengths demanded up front.

#include "ledger/hash_store.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

//! 2^62 leaves. Every stored-hash index of such a tree stays below 2^63, so it fits a
//! PostgreSQL bigint, and no index arithmetic can overflow.
inline constexpr std::uint64_t TREE_SIZE_MAX{std::uint64_t{1} << 62};

//! SHA-256(0x00 || bytes): the RFC 9162 hash of one leaf.
Hash LeafHash(std::span<const std::uint8_t> bytes);
Hash LeafHash(std::string_view bytes);

//! SHA-256(0x01 || left || right): the RFC 9162 hash of an interior node.
Hash NodeHash(const Hash& left, const Hash& right);

//! SHA-256(""): the hash of the tree without leaves.
Hash EmptyTreeHash();

/** Where the hash of the complete subtree at `level` with index `n` (its leaves are
 *  n * 2^level .. (n + 1) * 2^level - 1) sits in the stored-hash order: as tlog.StoredHashIndex.
 *  @pre level < 63 and (n + 1) * 2^level <= TREE_SIZE_MAX. */
std::uint64_t StoredHashIndex(int level, std::uint64_t n);

/** How many hashes are stored for a tree of n leaves: as tlog.StoredHashCount.
 *  @pre n <= TREE_SIZE_MAX. */
std::uint64_t StoredHashCount(std::uint64_t n);

/** The hashes to store when leaf n is appended: its leaf hash, then the hashes of the
 *  trailing_zeros(n + 1) complete subtrees that it completes, lowest first; 1 + trailing_zeros(
 *  n + 1) in all. They belong at stored-hash indices StoredHashCount(n) onwards. Reads the left
 *  siblings (stored earlier) from `reader`.
 *  Errc::tree_size_invalid if n + 1 > TREE_SIZE_MAX. */
boost::system::result<std::vector<Hash>>
StoredHashesForRecord(std::uint64_t n, const Hash& leaf_hash, const HashReader& reader);

//! The root of the tree of the first `size` leaves (EmptyTreeHash() for 0).
boost::system::result<Hash> TreeHash(std::uint64_t size, const HashReader& reader);

/** The RFC 9162 inclusion proof (audit path) of leaf `index` in the tree of `size` leaves,
 *  bottom-up. Errc::index_out_of_range if index >= size. */
boost::system::result<std::vector<Hash>> ProveInclusion(std::uint64_t index, std::uint64_t size,
                                                        const HashReader& reader);

/** The RFC 9162 consistency proof from the tree of `size1` leaves to the one of `size2`.
 *  Empty if the sizes are equal. Errc::tree_size_invalid unless 0 < size1 <= size2. */
boost::system::result<std::vector<Hash>> ProveConsistency(std::uint64_t size1, std::uint64_t size2,
                                                          const HashReader& reader);

/** Checks that `proof` shows leaf `index`, hashing to `leaf_hash`, in the tree of `size`
 *  leaves with root `root` (RFC 9162 section 2.1.3.2). Errors: index_out_of_range,
 *  tree_size_invalid (size 0), proof_wrong_length, root_mismatch. */
boost::system::result<void> VerifyInclusion(std::uint64_t index, std::uint64_t size,
                                            const Hash& leaf_hash, std::span<const Hash> proof,
                                            const Hash& root);

/** Checks that the tree of `size2` leaves with root `root2` extends the one of `size1` leaves
 *  with root `root1` (RFC 9162 section 2.1.4.2). Equal sizes need an empty proof and equal
 *  roots. Errors: tree_size_invalid (unless 0 < size1 <= size2), proof_wrong_length,
 *  root_mismatch. */
boost::system::result<void> VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                                              const Hash& root1, const Hash& root2,
                                              std::span<const Hash> proof);

//! The number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves.
//! @pre index < size.
std::size_t InclusionProofLength(std::uint64_t index, std::uint64_t size);

//! The number of hashes in the consistency proof from `size1` to `size2` leaves.
//! @pre 0 < size1 <= size2.
std::size_t ConsistencyProofLength(std::uint64_t size1, std::uint64_t size2);

/** The root of a growing tree without a store: the hashes of the complete subtrees along the
 *  right edge (a "compact range"), at most one per level, so O(log n) memory. This is how the
 *  offline verifier recomputes the root of an export of any length. */
class RootAccumulator
{
public:
    //! Adds the next leaf. @pre Size() < TREE_SIZE_MAX.
    void Append(const Hash& leaf_hash);
    [[nodiscard]] std::uint64_t Size() const { return m_size; }
    //! The root of the first Size() leaves.
    [[nodiscard]] Hash Root() const;

private:
    std::uint64_t m_size{0};
    //! Complete subtree hashes, largest (leftmost) first; one per set bit of m_size.
    std::vector<Hash> m_subtrees;
};

} // namespace wijkbudget::ledger
