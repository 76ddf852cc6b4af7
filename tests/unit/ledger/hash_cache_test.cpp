// The stored-hash cache: the same hashes as the store, fewer reads of it, and a bound.
#include "ledger/errc.hpp"
#include "ledger/hash_cache.hpp"
#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::ledger {
namespace {

//! Counts the hashes read through it, and can be told to fail.
class CountingReader final : public HashReader
{
public:
    explicit CountingReader(const HashReader& store) : m_store{store} {}
    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override
    {
        if (fail) return make_error_code(Errc::storage_unavailable);
        read += indices.size();
        return m_store.ReadHashes(indices);
    }
    mutable std::size_t read{0};
    bool fail{false};

private:
    const HashReader& m_store;
};

MemoryHashStore TreeOf(std::uint64_t leaves)
{
    MemoryHashStore store;
    for (std::uint64_t leaf = 0; leaf < leaves; ++leaf)
        EXPECT_EQ(store.Append(LeafHash(std::to_string(leaf))), leaf);
    return store;
}

TEST(HashCacheTest, ProvesTheSameAndReadsTheStoreOnlyOnce)
{
    const MemoryHashStore store = TreeOf(1000);
    CountingReader counting{store};
    const HashCache cache{counting};
    for (int round = 0; round < 2; ++round) {
        for (std::uint64_t index = 0; index < 1000; index += 37) {
            EXPECT_EQ(ProveInclusion(index, 1000, cache).value(),
                      ProveInclusion(index, 1000, store).value());
        }
        EXPECT_EQ(TreeHash(1000, cache).value(), TreeHash(1000, store).value());
    }
    const std::size_t after_first_rounds = counting.read;
    for (std::uint64_t index = 0; index < 1000; index += 37)
        ASSERT_TRUE(ProveInclusion(index, 1000, cache).has_value());
    EXPECT_EQ(counting.read, after_first_rounds); // All from memory now.
}

TEST(HashCacheTest, FailureOfTheStoreIsPassedOnAndNothingIsCached)
{
    const MemoryHashStore store = TreeOf(10);
    CountingReader counting{store};
    const HashCache cache{counting};
    counting.fail = true;
    auto failed = TreeHash(10, cache);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error(), Errc::storage_unavailable);
    counting.fail = false;
    EXPECT_EQ(TreeHash(10, cache).value(), TreeHash(10, store).value());
}

TEST(HashCacheTest, StaysWithinItsBound)
{
    const MemoryHashStore store = TreeOf(256);
    CountingReader counting{store};
    const HashCache cache{counting, 8};
    for (std::uint64_t index = 0; index < 256; ++index)
        EXPECT_EQ(ProveInclusion(index, 256, cache).value(),
                  ProveInclusion(index, 256, store).value());
    // With room for 8 hashes it keeps forgetting, so it reads far more than a full cache would.
    EXPECT_GT(counting.read, StoredHashCount(256));
}

TEST(HashCacheTest, InMemoryOnlyAnswersWhatIsCachedAndNeverReadsTheStore)
{
    const MemoryHashStore store = TreeOf(100);
    CountingReader counting{store};
    const HashCache cache{counting};
    const CachedHashesOnly in_memory{cache};
    auto cold = ProveInclusion(42, 100, in_memory);
    ASSERT_FALSE(cold.has_value());
    EXPECT_EQ(cold.error(), Errc::storage_unavailable);
    EXPECT_EQ(counting.read, 0U);
    ASSERT_TRUE(ProveInclusion(42, 100, cache).has_value()); // Warms what this proof needs.
    const std::size_t warmed = counting.read;
    EXPECT_EQ(ProveInclusion(42, 100, in_memory).value(), ProveInclusion(42, 100, store).value());
    EXPECT_FALSE(ProveInclusion(7, 100, in_memory).has_value()); // Another path, not warmed.
    EXPECT_EQ(counting.read, warmed);
}

TEST(HashCacheTest, KeptHashesAreInMemoryWithoutReadingTheStore)
{
    const MemoryHashStore store = TreeOf(64);
    CountingReader counting{store};
    HashCache cache{counting};
    const CachedHashesOnly in_memory{cache};
    // What a sequencer would hand on after writing the tree: every stored hash.
    std::vector<std::pair<std::uint64_t, Hash>> stored;
    for (std::uint64_t index = 0; index < StoredHashCount(64); ++index)
        stored.emplace_back(index, store.ReadHashes(std::span{&index, 1}).value().front());
    cache.Keep(stored);
    for (std::uint64_t leaf = 0; leaf < 64; ++leaf)
        EXPECT_EQ(ProveInclusion(leaf, 64, in_memory).value(),
                  ProveInclusion(leaf, 64, store).value());
    EXPECT_EQ(counting.read, 0U);
    // Past its bound it starts over rather than grow.
    HashCache small{counting, 8};
    small.Keep(std::span{stored}.first(6));
    small.Keep(std::span{stored}.subspan(6, 6));
    const CachedHashesOnly small_in_memory{small};
    const std::uint64_t first = stored.front().first, seventh = stored[6].first;
    EXPECT_FALSE(small_in_memory.ReadHashes(std::span{&first, 1}).has_value());
    EXPECT_TRUE(small_in_memory.ReadHashes(std::span{&seventh, 1}).has_value());
}

} // namespace
} // namespace wijkbudget::ledger
