#include "ledger/merkle.hpp"

#include "ledger/assert.hpp"
#include "ledger/errc.hpp"

#include <algorithm>
#include <bit>

namespace wijkbudget::ledger {
namespace {

//! RFC 9162 section 2.1.1 domain separation: a leaf can never pass for a node.
constexpr std::array<std::uint8_t, 1> LEAF_PREFIX{0x00};
constexpr std::array<std::uint8_t, 1> NODE_PREFIX{0x01};

//! Leaves lo .. hi - 1: one MTH(D[lo:hi]) of RFC 9162.
struct LeafRange {
    std::uint64_t lo;
    std::uint64_t hi;
};

//! A SHA-256 context per thread: creating an EVP context costs more than hashing 65 bytes, and
//! a proof hashes dozens of nodes.
Sha256& ThreadHasher()
{
    thread_local Sha256 hasher;
    return hasher;
}

//! RFC 9162's k: the largest power of two smaller than n. @pre n >= 2.
std::uint64_t SplitSize(std::uint64_t n)
{
    WB_ASSERT(n >= 2);
    return std::bit_floor(n - 1);
}

//! The ranges whose roots form PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1, leaf
//! upwards. The RFC recursion becomes a walk down from the root; the path lists it in reverse.
std::vector<LeafRange> InclusionRanges(std::uint64_t index, std::uint64_t size)
{
    WB_ASSERT(index < size);
    std::vector<LeafRange> ranges;
    LeafRange current{0, size};
    while (current.hi - current.lo > 1) {
        const std::uint64_t split = current.lo + SplitSize(current.hi - current.lo);
        if (index < split) {
            ranges.push_back({split, current.hi});
            current.hi = split;
        } else {
            ranges.push_back({current.lo, split});
            current.lo = split;
        }
    }
    std::reverse(ranges.begin(), ranges.end());
    return ranges;
}

//! The ranges whose roots form PROOF(size1, D[0:size2]) of RFC 9162 section 2.1.4.1.
std::vector<LeafRange> ConsistencyRanges(std::uint64_t size1, std::uint64_t size2)
{
    WB_ASSERT(size1 > 0);
    WB_ASSERT(size1 <= size2);
    std::vector<LeafRange> ranges;
    LeafRange current{0, size2};
    // The RFC's b: true while `current` starts at leaf 0, because then the old tree's root is the
    // left part of `current`, which the verifier already has, so the proof leaves it out.
    bool old_root_known = true;
    while (current.hi != size1) {
        const std::uint64_t split = current.lo + SplitSize(current.hi - current.lo);
        if (size1 <= split) {
            ranges.push_back({split, current.hi});
            current.hi = split;
        } else {
            ranges.push_back({current.lo, split});
            current.lo = split;
            old_root_known = false;
        }
    }
    if (!old_root_known) ranges.push_back(current);
    std::reverse(ranges.begin(), ranges.end());
    return ranges;
}

/** Appends the stored-hash indices of the complete subtrees that make up `range`, leftmost
 *  (largest) first. @pre range.lo is a multiple of bit_ceil(range size), as for every range of
 *  the RFC recursion; then the subtrees follow the set bits of the size and are all aligned. */
void AppendSubtreeIndices(LeafRange range, std::vector<std::uint64_t>& indices)
{
    WB_ASSERT(range.lo < range.hi);
    WB_ASSERT(range.hi <= TREE_SIZE_MAX);
    WB_ASSERT(range.lo % std::bit_ceil(range.hi - range.lo) == 0);
    for (std::uint64_t lo = range.lo; lo < range.hi;) {
        const int level = static_cast<int>(std::bit_width(range.hi - lo)) - 1;
        indices.push_back(StoredHashIndex(level, lo >> level));
        lo += std::uint64_t{1} << level;
    }
}

//! MTH of a range from its complete subtrees, largest first: each smaller subtree on the right
//! hangs one level lower, so the fold runs from the right.
Hash FoldSubtrees(std::span<const Hash> subtrees)
{
    WB_ASSERT(!subtrees.empty());
    Hash hash = subtrees.back();
    for (std::size_t position = subtrees.size() - 1; position > 0; --position) {
        hash = NodeHash(subtrees[position - 1], hash);
    }
    return hash;
}

//! Reads and checks the port's postcondition once, for every caller.
boost::system::result<std::vector<Hash>> ReadAll(const HashReader& reader,
                                                 std::span<const std::uint64_t> indices)
{
    auto hashes = reader.ReadHashes(indices);
    if (hashes) WB_ASSERT(hashes->size() == indices.size());
    return hashes;
}

//! The root of each range, from one batch read of all their subtrees.
boost::system::result<std::vector<Hash>> RangeHashes(std::span<const LeafRange> ranges,
                                                     const HashReader& reader)
{
    std::vector<std::uint64_t> indices;
    for (const LeafRange& range : ranges) {
        AppendSubtreeIndices(range, indices);
    }
    auto stored = ReadAll(reader, indices);
    if (!stored) return stored.error();
    std::vector<Hash> hashes;
    hashes.reserve(ranges.size());
    std::size_t next = 0;
    for (const LeafRange& range : ranges) {
        const auto count = static_cast<std::size_t>(std::popcount(range.hi - range.lo));
        hashes.push_back(FoldSubtrees(std::span<const Hash>(*stored).subspan(next, count)));
        next += count;
    }
    WB_ASSERT(next == stored->size());
    return hashes;
}

//! Shifts fn and sn right until fn's lowest bit is set or fn is 0: RFC 9162 steps 2.1.3.2
//! 4.b.ii and 2.1.4.2 6.b.iii, which skip the levels where the node has no left sibling.
void SkipRightEdge(std::uint64_t& fn, std::uint64_t& sn)
{
    while ((fn & 1U) == 0 && fn != 0) {
        fn >>= 1U;
        sn >>= 1U;
    }
}

//! The roots (fr, sr) that a consistency path leads to: RFC 9162 section 2.1.4.2 steps 2 to 6.
//! @pre 0 < size1 < size2 and the proof has ConsistencyProofLength(size1, size2) hashes.
std::array<Hash, 2> ConsistencyRoots(std::uint64_t size1, std::uint64_t size2, const Hash& root1,
                                     std::span<const Hash> proof)
{
    std::uint64_t fn = size1 - 1;
    std::uint64_t sn = size2 - 1;
    while ((fn & 1U) == 1) {
        fn >>= 1U;
        sn >>= 1U;
    }
    // Step 2: a power-of-two old tree is a node of the new one, so its root starts the path.
    std::size_t next = 0;
    Hash fr = std::has_single_bit(size1) ? root1 : proof[next++];
    Hash sr = fr;
    for (; next < proof.size(); ++next) {
        WB_ASSERT(sn != 0); // Step 6.a cannot trigger: the length was checked.
        if ((fn & 1U) == 1 || fn == sn) {
            fr = NodeHash(proof[next], fr);
            sr = NodeHash(proof[next], sr);
            SkipRightEdge(fn, sn);
        } else {
            sr = NodeHash(sr, proof[next]);
        }
        fn >>= 1U;
        sn >>= 1U;
    }
    WB_ASSERT(sn == 0);
    return {fr, sr};
}

} // namespace

Hash LeafHash(std::span<const std::uint8_t> bytes)
{
    Sha256& hasher = ThreadHasher();
    hasher.Update(LEAF_PREFIX);
    hasher.Update(bytes);
    return hasher.Finish();
}

Hash LeafHash(std::string_view bytes)
{
    Sha256& hasher = ThreadHasher();
    hasher.Update(LEAF_PREFIX);
    hasher.Update(bytes);
    return hasher.Finish();
}

Hash NodeHash(const Hash& left, const Hash& right)
{
    Sha256& hasher = ThreadHasher();
    hasher.Update(NODE_PREFIX);
    hasher.Update(left);
    hasher.Update(right);
    return hasher.Finish();
}

Hash EmptyTreeHash()
{
    return Sha256Of(std::string_view{});
}

std::uint64_t StoredHashIndex(int level, std::uint64_t n)
{
    WB_ASSERT(level >= 0);
    WB_ASSERT(level < 63);
    WB_ASSERT(n < (TREE_SIZE_MAX >> level));
    // The subtree's hash is written when its last leaf is appended: after everything stored for
    // the leaves before that one, then the leaf hash and one hash per level up to `level`.
    const std::uint64_t last_leaf = ((n + 1) << level) - 1;
    return StoredHashCount(last_leaf) + static_cast<std::uint64_t>(level);
}

std::uint64_t StoredHashCount(std::uint64_t n)
{
    WB_ASSERT(n <= TREE_SIZE_MAX);
    // Leaf k writes 1 + trailing_zeros(k + 1) hashes. Summed over k < n that is n plus the
    // number of factors 2 in n!, which is n - popcount(n) (Legendre's formula).
    return 2 * n - static_cast<std::uint64_t>(std::popcount(n));
}

boost::system::result<std::vector<Hash>>
StoredHashesForRecord(std::uint64_t n, const Hash& leaf_hash, const HashReader& reader)
{
    if (n >= TREE_SIZE_MAX) return make_error_code(Errc::tree_size_invalid);
    // Leaf n completes one subtree per trailing one bit of n; the left half of each is stored.
    std::vector<std::uint64_t> indices;
    for (int level = 0; ((n >> level) & 1U) == 1; ++level) {
        indices.push_back(StoredHashIndex(level, (n >> level) - 1));
    }
    auto siblings = ReadAll(reader, indices);
    if (!siblings) return siblings.error();
    std::vector<Hash> hashes{leaf_hash};
    for (const Hash& sibling : *siblings) {
        hashes.push_back(NodeHash(sibling, hashes.back()));
    }
    return hashes;
}

boost::system::result<Hash> TreeHash(std::uint64_t size, const HashReader& reader)
{
    if (size == 0) return EmptyTreeHash();
    if (size > TREE_SIZE_MAX) return make_error_code(Errc::tree_size_invalid);
    const LeafRange whole{0, size};
    auto roots = RangeHashes(std::span(&whole, 1), reader);
    if (!roots) return roots.error();
    return roots->front();
}

boost::system::result<std::vector<Hash>> ProveInclusion(std::uint64_t index, std::uint64_t size,
                                                        const HashReader& reader)
{
    if (index >= size) return make_error_code(Errc::index_out_of_range);
    if (size > TREE_SIZE_MAX) return make_error_code(Errc::tree_size_invalid);
    return RangeHashes(InclusionRanges(index, size), reader);
}

boost::system::result<std::vector<Hash>> ProveConsistency(std::uint64_t size1, std::uint64_t size2,
                                                          const HashReader& reader)
{
    if (size1 == 0 || size1 > size2) return make_error_code(Errc::tree_size_invalid);
    if (size2 > TREE_SIZE_MAX) return make_error_code(Errc::tree_size_invalid);
    return RangeHashes(ConsistencyRanges(size1, size2), reader);
}

std::size_t InclusionProofLength(std::uint64_t index, std::uint64_t size)
{
    return InclusionRanges(index, size).size();
}

std::size_t ConsistencyProofLength(std::uint64_t size1, std::uint64_t size2)
{
    return ConsistencyRanges(size1, size2).size();
}

boost::system::result<void> VerifyInclusion(std::uint64_t index, std::uint64_t size,
                                            const Hash& leaf_hash, std::span<const Hash> proof,
                                            const Hash& root)
{
    if (size == 0) return make_error_code(Errc::tree_size_invalid);
    if (index >= size) return make_error_code(Errc::index_out_of_range);
    // The RFC would notice a wrong length only after hashing; checking first makes every proof
    // with a surplus or missing hash fail the same way, whatever the hashes are.
    if (proof.size() != InclusionProofLength(index, size)) {
        return make_error_code(Errc::proof_wrong_length);
    }
    std::uint64_t fn = index;
    std::uint64_t sn = size - 1;
    Hash r = leaf_hash;
    for (const Hash& p : proof) {
        WB_ASSERT(sn != 0); // Step 4.a cannot trigger: the length was checked.
        if ((fn & 1U) == 1 || fn == sn) {
            r = NodeHash(p, r);
            SkipRightEdge(fn, sn);
        } else {
            r = NodeHash(r, p);
        }
        fn >>= 1U;
        sn >>= 1U;
    }
    WB_ASSERT(sn == 0);
    if (r != root) return make_error_code(Errc::root_mismatch);
    return {};
}

boost::system::result<void> VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                                              const Hash& root1, const Hash& root2,
                                              std::span<const Hash> proof)
{
    if (size1 == 0 || size1 > size2) return make_error_code(Errc::tree_size_invalid);
    if (size1 == size2) {
        // RFC 9162 leaves equal sizes out; the only honest proof then is none at all.
        if (!proof.empty()) return make_error_code(Errc::proof_wrong_length);
        if (root1 != root2) return make_error_code(Errc::root_mismatch);
        return {};
    }
    if (proof.size() != ConsistencyProofLength(size1, size2)) {
        return make_error_code(Errc::proof_wrong_length);
    }
    const auto [fr, sr] = ConsistencyRoots(size1, size2, root1, proof);
    if (fr != root1 || sr != root2) return make_error_code(Errc::root_mismatch);
    return {};
}

void RootAccumulator::Append(const Hash& leaf_hash)
{
    WB_ASSERT(m_size < TREE_SIZE_MAX);
    // Each trailing one bit of the old size is a complete subtree as high as the one this leaf
    // has just finished: merge them, right to left, like carries in a binary increment.
    Hash hash = leaf_hash;
    for (std::uint64_t size = m_size; (size & 1U) == 1; size >>= 1U) {
        WB_ASSERT(!m_subtrees.empty());
        hash = NodeHash(m_subtrees.back(), hash);
        m_subtrees.pop_back();
    }
    m_subtrees.push_back(hash);
    ++m_size;
    WB_ASSERT(m_subtrees.size() == static_cast<std::size_t>(std::popcount(m_size)));
}

Hash RootAccumulator::Root() const
{
    if (m_size == 0) return EmptyTreeHash();
    return FoldSubtrees(m_subtrees);
}

} // namespace wijkbudget::ledger
