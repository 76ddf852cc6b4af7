#include "ledger/errc.hpp"
#include "ledger/hex.hpp"
#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"
#include "tests/support/counting_hash_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wijkbudget::ledger {
namespace {

//! The leaves of the RFC 6962 test vectors (also used by Certificate Transparency and tlog).
constexpr std::array<std::string_view, 8> KNOWN_LEAVES_HEX{"",
                                                           "00",
                                                           "10",
                                                           "2021",
                                                           "3031",
                                                           "40414243",
                                                           "5051525354555657",
                                                           "606162636465666768696a6b6c6d6e6f"};

//! The roots of the first k known leaves, k = 0 .. 8.
constexpr std::array<std::string_view, 9> KNOWN_ROOTS_HEX{
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

//! Large enough for every shape of proof up to a few hundred leaves, small enough to be quick.
constexpr std::uint64_t EXHAUSTIVE_TREE_SIZE_MAX{300};
//! Proofs are also compared with the reference recursion, which costs O(n) hashes per proof.
constexpr std::uint64_t REFERENCE_TREE_SIZE_MAX{40};
constexpr std::uint64_t LARGE_TREE_SIZE{100'000};

Hash HashOfHex(std::string_view text)
{
    const auto hash = HashFromHex(text);
    EXPECT_TRUE(hash.has_value()) << text;
    return hash.value_or(Hash{});
}

std::vector<Hash> KnownLeafHashes()
{
    std::vector<Hash> hashes;
    for (const std::string_view text : KNOWN_LEAVES_HEX) {
        const auto bytes = FromHex(text);
        EXPECT_TRUE(bytes.has_value());
        hashes.push_back(LeafHash(*bytes));
    }
    return hashes;
}

//! Distinct leaves, so that no two subtrees of a test tree hash alike.
std::vector<Hash> NumberedLeafHashes(std::uint64_t count)
{
    std::vector<Hash> hashes;
    for (std::uint64_t leaf = 0; leaf < count; ++leaf) {
        hashes.push_back(LeafHash("leaf " + std::to_string(leaf)));
    }
    return hashes;
}

MemoryHashStore StoreOf(const std::vector<Hash>& leaf_hashes)
{
    MemoryHashStore store;
    for (const Hash& hash : leaf_hashes) {
        store.Append(hash);
    }
    return store;
}

// The reference: RFC 9162 section 2.1.1 and 2.1.3.1/2.1.4.1 written as recursions over leaf
// hashes, apart from the production code, so that the two can disagree.

std::uint64_t LargestPowerOfTwoBelow(std::uint64_t n)
{
    std::uint64_t k = 1;
    while (k * 2 < n) {
        k *= 2;
    }
    return k;
}

Hash ReferenceRoot(const std::vector<Hash>& leaves, std::uint64_t lo, std::uint64_t hi)
{
    if (hi == lo) return Sha256Of(std::string_view{});
    if (hi - lo == 1) return leaves[lo];
    const std::uint64_t split = lo + LargestPowerOfTwoBelow(hi - lo);
    return NodeHash(ReferenceRoot(leaves, lo, split), ReferenceRoot(leaves, split, hi));
}

std::vector<Hash> ReferencePath(const std::vector<Hash>& leaves, std::uint64_t index,
                                std::uint64_t lo, std::uint64_t hi)
{
    if (hi - lo <= 1) return {};
    const std::uint64_t split = lo + LargestPowerOfTwoBelow(hi - lo);
    std::vector<Hash> path;
    if (index < split) {
        path = ReferencePath(leaves, index, lo, split);
        path.push_back(ReferenceRoot(leaves, split, hi));
    } else {
        path = ReferencePath(leaves, index, split, hi);
        path.push_back(ReferenceRoot(leaves, lo, split));
    }
    return path;
}

std::vector<Hash> ReferenceSubproof(const std::vector<Hash>& leaves, std::uint64_t size1,
                                    std::uint64_t lo, std::uint64_t hi, bool old_root_known)
{
    if (size1 == hi) {
        if (old_root_known) return {};
        return {ReferenceRoot(leaves, lo, hi)};
    }
    const std::uint64_t split = lo + LargestPowerOfTwoBelow(hi - lo);
    std::vector<Hash> proof;
    if (size1 <= split) {
        proof = ReferenceSubproof(leaves, size1, lo, split, old_root_known);
        proof.push_back(ReferenceRoot(leaves, split, hi));
    } else {
        proof = ReferenceSubproof(leaves, size1, split, hi, false);
        proof.push_back(ReferenceRoot(leaves, lo, split));
    }
    return proof;
}

//! tlog's stored-hash index, computed the long way: the last leaf of the subtree, then the
//! sum of that leaf number shifted right by every amount, plus the level.
std::uint64_t TlogStoredHashIndex(int level, std::uint64_t n)
{
    for (int step = 0; step < level; ++step) {
        n = 2 * n + 1;
    }
    std::uint64_t index = 0;
    for (; n > 0; n >>= 1U) {
        index += n;
    }
    return index + static_cast<std::uint64_t>(level);
}

using CountingReader = testing::CountingHashReader;

//! A store that has lost one stored hash.
class HoleReader final : public HashReader
{
public:
    HoleReader(const HashReader& inner, std::uint64_t hole) : m_inner{inner}, m_hole{hole} {}

    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override
    {
        if (std::find(indices.begin(), indices.end(), m_hole) != indices.end()) {
            return make_error_code(Errc::stored_hash_missing);
        }
        return m_inner.ReadHashes(indices);
    }

private:
    const HashReader& m_inner;
    std::uint64_t m_hole;
};

//! One shared tree of EXHAUSTIVE_TREE_SIZE_MAX leaves and the root of each prefix.
struct SharedTree {
    std::vector<Hash> leaves{NumberedLeafHashes(EXHAUSTIVE_TREE_SIZE_MAX)};
    MemoryHashStore store{StoreOf(leaves)};
    std::vector<Hash> roots;

    SharedTree()
    {
        for (std::uint64_t size = 0; size <= EXHAUSTIVE_TREE_SIZE_MAX; ++size) {
            roots.push_back(*TreeHash(size, store));
        }
    }
};

const SharedTree& Shared()
{
    static const SharedTree tree;
    return tree;
}

Hash FlipBit(Hash hash, std::size_t bit)
{
    hash[bit / 8 % HASH_BYTES] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    return hash;
}

TEST(MerkleTest, HashesUseTheRfcPrefixes)
{
    EXPECT_EQ(ToHex(EmptyTreeHash()), KNOWN_ROOTS_HEX[0]);
    const std::vector<std::uint8_t> leaf_input{0x00, 'a', 'b'};
    EXPECT_EQ(LeafHash("ab"), Sha256Of(leaf_input));
    EXPECT_EQ(LeafHash(std::span<const std::uint8_t>(leaf_input).subspan(1)), LeafHash("ab"));
    const Hash left = LeafHash("left");
    const Hash right = LeafHash("right");
    std::vector<std::uint8_t> node_input{0x01};
    node_input.insert(node_input.end(), left.begin(), left.end());
    node_input.insert(node_input.end(), right.begin(), right.end());
    EXPECT_EQ(NodeHash(left, right), Sha256Of(node_input));
    EXPECT_NE(NodeHash(left, right), NodeHash(right, left));
}

TEST(MerkleTest, KnownRootsOfEightLeaves)
{
    const std::vector<Hash> leaves = KnownLeafHashes();
    MemoryHashStore store;
    RootAccumulator accumulator;
    for (std::size_t size = 0; size <= leaves.size(); ++size) {
        const Hash expected = HashOfHex(KNOWN_ROOTS_HEX[size]);
        EXPECT_EQ(store.Size(), size);
        EXPECT_EQ(accumulator.Size(), size);
        EXPECT_EQ(*TreeHash(size, store), expected) << size;
        EXPECT_EQ(accumulator.Root(), expected) << size;
        EXPECT_EQ(ReferenceRoot(leaves, 0, size), expected) << size;
        if (size == leaves.size()) break;
        EXPECT_EQ(store.Append(leaves[size]), size);
        accumulator.Append(leaves[size]);
    }
}

TEST(MerkleTest, Rfc6962SevenLeafInclusionExamples)
{
    const std::vector<Hash> d = KnownLeafHashes();
    const MemoryHashStore store = StoreOf({d.begin(), d.begin() + 7});
    const Hash root = ReferenceRoot(d, 0, 7);
    // The names of the figure in RFC 6962 section 2.1.3.
    const Hash b = d[1], c = d[2], f = d[5], j = d[6];
    const Hash g = ReferenceRoot(d, 0, 2), h = ReferenceRoot(d, 2, 4);
    const Hash i = ReferenceRoot(d, 4, 6), k = ReferenceRoot(d, 0, 4), l = ReferenceRoot(d, 4, 7);
    const std::vector<std::pair<std::uint64_t, std::vector<Hash>>> examples{
        {0, {b, h, l}}, {3, {c, g, l}}, {4, {f, j, k}}, {6, {i, k}}};
    for (const auto& [index, expected] : examples) {
        const auto proof = ProveInclusion(index, 7, store);
        ASSERT_TRUE(proof.has_value());
        EXPECT_EQ(*proof, expected) << index;
        EXPECT_TRUE(VerifyInclusion(index, 7, d[index], *proof, root).has_value()) << index;
    }
}

TEST(MerkleTest, Rfc6962SevenLeafConsistencyExamples)
{
    const std::vector<Hash> d = KnownLeafHashes();
    const MemoryHashStore store = StoreOf({d.begin(), d.begin() + 7});
    const Hash c = d[2], dd = d[3], j = d[6];
    const Hash g = ReferenceRoot(d, 0, 2), i = ReferenceRoot(d, 4, 6);
    const Hash k = ReferenceRoot(d, 0, 4), l = ReferenceRoot(d, 4, 7);
    const std::vector<std::pair<std::uint64_t, std::vector<Hash>>> examples{
        {3, {c, dd, g, l}}, {4, {l}}, {6, {i, j, k}}};
    for (const auto& [size1, expected] : examples) {
        const auto proof = ProveConsistency(size1, 7, store);
        ASSERT_TRUE(proof.has_value());
        EXPECT_EQ(*proof, expected) << size1;
        EXPECT_TRUE(
            VerifyConsistency(size1, 7, ReferenceRoot(d, 0, size1), ReferenceRoot(d, 0, 7), *proof)
                .has_value())
            << size1;
    }
}

TEST(MerkleTest, RootAccumulatorMatchesTreeHashForEverySize)
{
    const SharedTree& tree = Shared();
    RootAccumulator accumulator;
    for (std::uint64_t size = 0; size <= EXHAUSTIVE_TREE_SIZE_MAX; ++size) {
        EXPECT_EQ(accumulator.Root(), tree.roots[size]) << size;
        if (size < EXHAUSTIVE_TREE_SIZE_MAX) accumulator.Append(tree.leaves[size]);
    }
}

TEST(MerkleTest, ProofsMatchTheReferenceRecursion)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t size = 1; size <= REFERENCE_TREE_SIZE_MAX; ++size) {
        EXPECT_EQ(tree.roots[size], ReferenceRoot(tree.leaves, 0, size));
        for (std::uint64_t index = 0; index < size; ++index) {
            EXPECT_EQ(*ProveInclusion(index, size, tree.store),
                      ReferencePath(tree.leaves, index, 0, size))
                << index << " in " << size;
            EXPECT_EQ(InclusionProofLength(index, size),
                      ReferencePath(tree.leaves, index, 0, size).size());
        }
        for (std::uint64_t size1 = 1; size1 <= size; ++size1) {
            EXPECT_EQ(*ProveConsistency(size1, size, tree.store),
                      ReferenceSubproof(tree.leaves, size1, 0, size, true))
                << size1 << " to " << size;
        }
    }
}

TEST(MerkleTest, EveryInclusionProofVerifiesUpToThreeHundredLeaves)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t size = 1; size <= EXHAUSTIVE_TREE_SIZE_MAX; ++size) {
        for (std::uint64_t index = 0; index < size; ++index) {
            const auto proof = ProveInclusion(index, size, tree.store);
            ASSERT_TRUE(proof.has_value());
            const auto verified =
                VerifyInclusion(index, size, tree.leaves[index], *proof, tree.roots[size]);
            ASSERT_TRUE(verified.has_value()) << index << " in " << size;
        }
    }
}

TEST(MerkleTest, EveryConsistencyProofVerifiesUpToThreeHundredLeaves)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t size2 = 1; size2 <= EXHAUSTIVE_TREE_SIZE_MAX; ++size2) {
        for (std::uint64_t size1 = 1; size1 <= size2; ++size1) {
            const auto proof = ProveConsistency(size1, size2, tree.store);
            ASSERT_TRUE(proof.has_value());
            EXPECT_EQ(proof->size(), ConsistencyProofLength(size1, size2));
            const auto verified =
                VerifyConsistency(size1, size2, tree.roots[size1], tree.roots[size2], *proof);
            ASSERT_TRUE(verified.has_value()) << size1 << " to " << size2;
        }
    }
}

//! Each node of a good proof flipped in three bits, dropped, and swapped with the next; and one
//! node added at the end: the bit flips and swaps miss the root, the rest the expected length.
template <class Verify>
void ExpectEveryNodeDamageFails(const std::vector<Hash>& proof, const Hash& extra, Verify&& verify)
{
    for (std::size_t node = 0; node < proof.size(); ++node) {
        for (const std::size_t bit : {std::size_t{0}, std::size_t{77}, std::size_t{255}}) {
            auto flipped = proof;
            flipped[node] = FlipBit(flipped[node], bit);
            EXPECT_EQ(verify(flipped).error(), Errc::root_mismatch);
        }
        auto dropped = proof;
        dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(node));
        EXPECT_EQ(verify(dropped).error(), Errc::proof_wrong_length);
        if (node + 1 < proof.size() && proof[node] != proof[node + 1]) {
            auto reordered = proof;
            std::swap(reordered[node], reordered[node + 1]);
            EXPECT_EQ(verify(reordered).error(), Errc::root_mismatch);
        }
    }
    auto added = proof;
    added.push_back(extra);
    EXPECT_EQ(verify(added).error(), Errc::proof_wrong_length);
}

//! Every way of spoiling a good inclusion proof of `index` in `size` leaves.
void ExpectTamperedInclusionFails(const SharedTree& tree, std::uint64_t index, std::uint64_t size)
{
    const Hash& leaf = tree.leaves[index];
    const Hash& root = tree.roots[size];
    const std::vector<Hash> proof = *ProveInclusion(index, size, tree.store);
    auto verify = [&](const std::vector<Hash>& candidate) {
        return VerifyInclusion(index, size, leaf, candidate, root);
    };
    ExpectEveryNodeDamageFails(proof, leaf, verify);
    EXPECT_EQ(VerifyInclusion(index, size, FlipBit(leaf, 3), proof, root).error(),
              Errc::root_mismatch);
    EXPECT_EQ(VerifyInclusion(index, size, leaf, proof, FlipBit(root, 200)).error(),
              Errc::root_mismatch);
    EXPECT_EQ(VerifyInclusion(index, size, leaf, proof, tree.roots[size - 1]).error(),
              Errc::root_mismatch);
    for (const std::uint64_t other : {index - 1, index + 1}) {
        if (other >= size) continue; // also skips index - 1 wrapping around at 0
        const auto expected = InclusionProofLength(other, size) == proof.size()
                                  ? Errc::root_mismatch
                                  : Errc::proof_wrong_length;
        EXPECT_EQ(VerifyInclusion(other, size, leaf, proof, root).error(), expected)
            << other << " for " << index << " in " << size;
    }
}

TEST(MerkleTest, TamperedInclusionProofsFail)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t size = 1; size <= 70; ++size) {
        for (std::uint64_t index = 0; index < size; ++index) {
            ExpectTamperedInclusionFails(tree, index, size);
        }
    }
    for (const std::uint64_t size : {255U, 256U, 257U, 300U}) {
        for (std::uint64_t index = 0; index < size; index += 7) {
            ExpectTamperedInclusionFails(tree, index, size);
        }
    }
}

//! One of each kind of damage to a proof, chosen by position so that every node position is
//! hit across the sweep: cheap enough to run for every index and size up to 300.
template <class Verify>
void ExpectEachDamageFails(const std::vector<Hash>& proof, std::uint64_t seed, Verify&& verify)
{
    if (proof.empty()) return;
    const std::size_t node = seed % proof.size();
    auto flipped = proof;
    flipped[node] = FlipBit(flipped[node], seed % 256);
    EXPECT_FALSE(verify(flipped).has_value()) << "flipped node " << node;
    auto dropped = proof;
    dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(node));
    EXPECT_FALSE(verify(dropped).has_value()) << "dropped node " << node;
    auto added = proof;
    added.insert(added.begin() + static_cast<std::ptrdiff_t>(node), proof[node]);
    EXPECT_FALSE(verify(added).has_value()) << "added node " << node;
    for (std::size_t first = 0; first + 1 < proof.size(); ++first) {
        if (proof[first] == proof[first + 1]) continue;
        auto reordered = proof;
        std::swap(reordered[first], reordered[first + 1]);
        EXPECT_FALSE(verify(reordered).has_value()) << "reordered at " << first;
        break;
    }
}

TEST(MerkleTest, EveryInclusionProofUpToThreeHundredFailsWhenDamaged)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t size = 1; size <= EXHAUSTIVE_TREE_SIZE_MAX; ++size) {
        for (std::uint64_t index = 0; index < size; ++index) {
            const std::vector<Hash> proof = *ProveInclusion(index, size, tree.store);
            const Hash& leaf = tree.leaves[index];
            const Hash& root = tree.roots[size];
            ExpectEachDamageFails(proof, index + size, [&](const std::vector<Hash>& candidate) {
                return VerifyInclusion(index, size, leaf, candidate, root);
            });
            if (size > 1) {
                const std::uint64_t other = (index + 1) % size;
                EXPECT_FALSE(VerifyInclusion(other, size, leaf, proof, root).has_value());
                EXPECT_FALSE(VerifyInclusion(index, size, root, proof, leaf).has_value());
            }
            EXPECT_EQ(VerifyInclusion(size, size, leaf, proof, root).error(),
                      Errc::index_out_of_range);
        }
    }
}

TEST(MerkleTest, EveryConsistencyProofUpToThreeHundredFailsWhenDamaged)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t size2 = 2; size2 <= EXHAUSTIVE_TREE_SIZE_MAX; ++size2) {
        for (std::uint64_t size1 = 1; size1 < size2; ++size1) {
            const std::vector<Hash> proof = *ProveConsistency(size1, size2, tree.store);
            const Hash& root1 = tree.roots[size1];
            const Hash& root2 = tree.roots[size2];
            ExpectEachDamageFails(proof, size1 + size2, [&](const std::vector<Hash>& candidate) {
                return VerifyConsistency(size1, size2, root1, root2, candidate);
            });
            EXPECT_FALSE(VerifyConsistency(size1, size2, root2, root1, proof).has_value());
            EXPECT_EQ(VerifyConsistency(size2, size1, root1, root2, proof).error(),
                      Errc::tree_size_invalid);
            EXPECT_EQ(VerifyConsistency(0, size2, root1, root2, proof).error(),
                      Errc::tree_size_invalid);
        }
    }
}

TEST(MerkleTest, InclusionRejectsImpossibleSizesAndIndices)
{
    const SharedTree& tree = Shared();
    const Hash& leaf = tree.leaves[0];
    const std::vector<Hash> proof = *ProveInclusion(0, 5, tree.store);
    EXPECT_EQ(VerifyInclusion(0, 0, leaf, {}, EmptyTreeHash()).error(), Errc::tree_size_invalid);
    EXPECT_EQ(VerifyInclusion(5, 5, leaf, proof, tree.roots[5]).error(), Errc::index_out_of_range);
    EXPECT_EQ(VerifyInclusion(9, 5, leaf, proof, tree.roots[5]).error(), Errc::index_out_of_range);
    EXPECT_EQ(ProveInclusion(5, 5, tree.store).error(), Errc::index_out_of_range);
    EXPECT_EQ(ProveInclusion(0, 0, tree.store).error(), Errc::index_out_of_range);
    EXPECT_EQ(ProveInclusion(0, TREE_SIZE_MAX + 1, tree.store).error(), Errc::tree_size_invalid);
    // A one-leaf tree's root is the leaf hash, and its proof is empty.
    EXPECT_TRUE(VerifyInclusion(0, 1, leaf, {}, leaf).has_value());
    EXPECT_EQ(VerifyInclusion(0, 1, leaf, proof, leaf).error(), Errc::proof_wrong_length);
}

//! Every way of spoiling a good consistency proof from size1 to size2 leaves.
void ExpectTamperedConsistencyFails(const SharedTree& tree, std::uint64_t size1,
                                    std::uint64_t size2)
{
    const Hash& root1 = tree.roots[size1];
    const Hash& root2 = tree.roots[size2];
    const std::vector<Hash> proof = *ProveConsistency(size1, size2, tree.store);
    auto verify = [&](const std::vector<Hash>& candidate) {
        return VerifyConsistency(size1, size2, root1, root2, candidate);
    };
    ExpectEveryNodeDamageFails(proof, root1, verify);
    EXPECT_EQ(VerifyConsistency(size1, size2, root2, root1, proof).error(), Errc::root_mismatch);
    EXPECT_EQ(VerifyConsistency(size1, size2, FlipBit(root1, 9), root2, proof).error(),
              Errc::root_mismatch);
    EXPECT_EQ(VerifyConsistency(size1, size2, root1, FlipBit(root2, 9), proof).error(),
              Errc::root_mismatch);
}

TEST(MerkleTest, TamperedConsistencyProofsFail)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t size2 = 2; size2 <= 70; ++size2) {
        for (std::uint64_t size1 = 1; size1 < size2; ++size1) {
            ExpectTamperedConsistencyFails(tree, size1, size2);
        }
    }
    for (const std::uint64_t size2 : {255U, 256U, 257U, 300U}) {
        for (std::uint64_t size1 = 1; size1 < size2; size1 += 5) {
            ExpectTamperedConsistencyFails(tree, size1, size2);
        }
    }
}

TEST(MerkleTest, ConsistencyRejectsImpossibleSizes)
{
    const SharedTree& tree = Shared();
    const Hash& root4 = tree.roots[4];
    const Hash& root7 = tree.roots[7];
    const std::vector<Hash> proof = *ProveConsistency(4, 7, tree.store);
    EXPECT_EQ(VerifyConsistency(7, 4, root7, root4, proof).error(), Errc::tree_size_invalid);
    EXPECT_EQ(VerifyConsistency(0, 7, EmptyTreeHash(), root7, {}).error(), Errc::tree_size_invalid);
    EXPECT_EQ(VerifyConsistency(0, 0, EmptyTreeHash(), EmptyTreeHash(), {}).error(),
              Errc::tree_size_invalid);
    EXPECT_EQ(ProveConsistency(7, 4, tree.store).error(), Errc::tree_size_invalid);
    EXPECT_EQ(ProveConsistency(0, 4, tree.store).error(), Errc::tree_size_invalid);
    EXPECT_EQ(ProveConsistency(1, TREE_SIZE_MAX + 1, tree.store).error(), Errc::tree_size_invalid);
}

TEST(MerkleTest, EqualSizesNeedAnEmptyProofAndEqualRoots)
{
    const SharedTree& tree = Shared();
    const Hash& root7 = tree.roots[7];
    EXPECT_TRUE(ProveConsistency(7, 7, tree.store)->empty());
    EXPECT_TRUE(VerifyConsistency(7, 7, root7, root7, {}).has_value());
    const std::vector<Hash> one_hash{root7};
    EXPECT_EQ(VerifyConsistency(7, 7, root7, root7, one_hash).error(), Errc::proof_wrong_length);
    EXPECT_EQ(VerifyConsistency(7, 7, root7, tree.roots[6], {}).error(), Errc::root_mismatch);
}

TEST(MerkleTest, VerificationHandlesHugeSizesWithoutStore)
{
    // Verification needs no store, so sizes beyond TREE_SIZE_MAX only make the proof longer.
    const std::uint64_t size = std::numeric_limits<std::uint64_t>::max();
    const std::vector<Hash> proof(InclusionProofLength(0, size), LeafHash("x"));
    EXPECT_EQ(proof.size(), 64U);
    EXPECT_EQ(VerifyInclusion(0, size, LeafHash("y"), proof, LeafHash("z")).error(),
              Errc::root_mismatch);
    const std::vector<Hash> consistency(ConsistencyProofLength(3, size), LeafHash("x"));
    EXPECT_EQ(VerifyConsistency(3, size, LeafHash("y"), LeafHash("z"), consistency).error(),
              Errc::root_mismatch);
}

TEST(MerkleTest, StoredHashLayoutMatchesTlog)
{
    // The first stored hashes of tlog: leaf 0, leaf 1, node 0..1, leaf 2, leaf 3, node 2..3,
    // node 0..3, leaf 4.
    EXPECT_EQ(StoredHashIndex(0, 0), 0U);
    EXPECT_EQ(StoredHashIndex(0, 1), 1U);
    EXPECT_EQ(StoredHashIndex(1, 0), 2U);
    EXPECT_EQ(StoredHashIndex(0, 2), 3U);
    EXPECT_EQ(StoredHashIndex(0, 3), 4U);
    EXPECT_EQ(StoredHashIndex(1, 1), 5U);
    EXPECT_EQ(StoredHashIndex(2, 0), 6U);
    EXPECT_EQ(StoredHashIndex(0, 4), 7U);
    EXPECT_EQ(StoredHashCount(0), 0U);
    EXPECT_EQ(StoredHashCount(1), 1U);
    EXPECT_EQ(StoredHashCount(2), 3U);
    EXPECT_EQ(StoredHashCount(TREE_SIZE_MAX), (std::uint64_t{1} << 63U) - 1);
    for (std::uint64_t n = 0; n < 100'000; ++n) {
        ASSERT_EQ(StoredHashCount(n + 1) - StoredHashCount(n),
                  1U + static_cast<std::uint64_t>(std::countr_zero(n + 1)))
            << n;
        ASSERT_EQ(StoredHashIndex(0, n), StoredHashCount(n));
        ASSERT_EQ(StoredHashIndex(0, n), TlogStoredHashIndex(0, n));
    }
    for (int level = 1; level < 40; ++level) {
        for (const std::uint64_t n : {0ULL, 1ULL, 2ULL, 3ULL, 1000ULL, 12345ULL}) {
            EXPECT_EQ(StoredHashIndex(level, n), TlogStoredHashIndex(level, n)) << level;
        }
    }
}

TEST(MerkleTest, StoreHoldsEveryCompleteSubtreeAtItsIndex)
{
    const SharedTree& tree = Shared();
    for (int level = 0; (std::uint64_t{1} << level) <= EXHAUSTIVE_TREE_SIZE_MAX; ++level) {
        const std::uint64_t width = std::uint64_t{1} << level;
        for (std::uint64_t n = 0; (n + 1) * width <= EXHAUSTIVE_TREE_SIZE_MAX; ++n) {
            const std::uint64_t index = StoredHashIndex(level, n);
            const auto stored = tree.store.ReadHashes(std::span(&index, 1));
            ASSERT_TRUE(stored.has_value());
            EXPECT_EQ(stored->front(), ReferenceRoot(tree.leaves, n * width, (n + 1) * width));
        }
    }
}

TEST(MerkleTest, AppendingLeafWritesOnePlusTrailingZerosHashes)
{
    const SharedTree& tree = Shared();
    for (std::uint64_t n = 0; n < EXHAUSTIVE_TREE_SIZE_MAX; ++n) {
        const auto hashes = StoredHashesForRecord(n, tree.leaves[n], tree.store);
        ASSERT_TRUE(hashes.has_value());
        EXPECT_EQ(hashes->size(), 1U + static_cast<std::size_t>(std::countr_zero(n + 1)));
        EXPECT_EQ(hashes->front(), tree.leaves[n]);
        EXPECT_EQ(hashes->back(), ReferenceRoot(tree.leaves, (n + 1) & n, n + 1)) << n;
    }
    EXPECT_EQ(StoredHashesForRecord(TREE_SIZE_MAX, tree.leaves[0], tree.store).error(),
              Errc::tree_size_invalid);
}

TEST(MerkleTest, ProofsReadLogarithmicallyManyHashesInOneCall)
{
    const MemoryHashStore store = StoreOf(NumberedLeafHashes(LARGE_TREE_SIZE));
    // tlog's bound: a proof needs at most two stored hashes per level.
    const auto bound = 2 * static_cast<std::size_t>(std::bit_width(LARGE_TREE_SIZE));
    CountingReader reader{store};
    auto expect_one_small_read = [&](const char* what) {
        EXPECT_EQ(reader.calls, 1U) << what;
        EXPECT_LE(reader.hashes_read, bound) << what;
        reader.calls = 0;
        reader.hashes_read = 0;
    };
    ASSERT_TRUE(TreeHash(LARGE_TREE_SIZE, reader).has_value());
    expect_one_small_read("tree hash");
    for (std::uint64_t index = 0; index < LARGE_TREE_SIZE; index += 997) {
        ASSERT_TRUE(ProveInclusion(index, LARGE_TREE_SIZE, reader).has_value());
        expect_one_small_read("inclusion");
        ASSERT_TRUE(ProveInclusion(index / 2, LARGE_TREE_SIZE - index / 2, reader).has_value());
        expect_one_small_read("inclusion in a smaller tree");
    }
    for (std::uint64_t size1 = 1; size1 < LARGE_TREE_SIZE; size1 += 991) {
        ASSERT_TRUE(ProveConsistency(size1, LARGE_TREE_SIZE, reader).has_value());
        expect_one_small_read("consistency");
    }
    EXPECT_EQ(*TreeHash(LARGE_TREE_SIZE, store), *TreeHash(LARGE_TREE_SIZE, reader));
}

TEST(MerkleTest, MissingStoredHashIsReported)
{
    const SharedTree& tree = Shared();
    const MemoryHashStore store = StoreOf({tree.leaves.begin(), tree.leaves.begin() + 10});
    EXPECT_EQ(TreeHash(11, store).error(), Errc::stored_hash_missing);
    EXPECT_EQ(ProveInclusion(0, 20, store).error(), Errc::stored_hash_missing);
    EXPECT_EQ(ProveConsistency(3, 20, store).error(), Errc::stored_hash_missing);
    EXPECT_EQ(StoredHashesForRecord(11, tree.leaves[11], store).error(), Errc::stored_hash_missing);
    // A hole inside the stored range: the node over leaves 0..7.
    const HoleReader holed{store, StoredHashIndex(3, 0)};
    EXPECT_EQ(TreeHash(9, holed).error(), Errc::stored_hash_missing);
    EXPECT_EQ(ProveInclusion(9, 10, holed).error(), Errc::stored_hash_missing);
    EXPECT_EQ(ProveConsistency(9, 10, holed).error(), Errc::stored_hash_missing);
    EXPECT_TRUE(TreeHash(7, holed).has_value());
    EXPECT_EQ(TreeHash(TREE_SIZE_MAX + 1, store).error(), Errc::tree_size_invalid);
    // At the size limit the index arithmetic still holds; the store just lacks the hashes.
    EXPECT_EQ(TreeHash(TREE_SIZE_MAX, store).error(), Errc::stored_hash_missing);
    EXPECT_EQ(ProveInclusion(TREE_SIZE_MAX - 1, TREE_SIZE_MAX, store).error(),
              Errc::stored_hash_missing);
    EXPECT_EQ(ProveConsistency(TREE_SIZE_MAX - 1, TREE_SIZE_MAX, store).error(),
              Errc::stored_hash_missing);
    EXPECT_EQ(StoredHashesForRecord(TREE_SIZE_MAX - 1, tree.leaves[0], store).error(),
              Errc::stored_hash_missing);
}

} // namespace
} // namespace wijkbudget::ledger
