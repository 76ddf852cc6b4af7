// TreeRootCache: the root TreeHash gives, read from the store once per size; a failed read is
// not kept; and no more than TREE_ROOTS_KEPT_MAX sizes at a time.
#include "ledger/errc.hpp"
#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"
#include "ledger/tree_root_cache.hpp"
#include "tests/support/counting_hash_reader.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace wijkbudget::ledger {
namespace {

constexpr std::uint64_t LEAVES{40};

using CountingReader = testing::CountingHashReader;

MemoryHashStore Store()
{
    MemoryHashStore store;
    for (std::uint64_t leaf = 0; leaf < LEAVES; ++leaf)
        store.Append(LeafHash("entry " + std::to_string(leaf)));
    return store;
}

TEST(TreeRootCacheTest, GivesTreeHashAndReadsEachSizeOnce)
{
    const MemoryHashStore store = Store();
    CountingReader reader{store};
    TreeRootCache roots;
    for (std::uint64_t size = 1; size <= LEAVES; ++size) {
        const std::size_t before = reader.calls.load();
        auto first = roots.Root(size, reader);
        ASSERT_TRUE(first.has_value());
        EXPECT_EQ(*first, *TreeHash(size, store)) << size;
        const std::size_t after_first = reader.calls.load();
        EXPECT_GT(after_first, before) << size;
        auto again = roots.Root(size, reader);
        ASSERT_TRUE(again.has_value());
        EXPECT_EQ(*again, *first);
        EXPECT_EQ(reader.calls.load(), after_first) << "size " << size << " was read again";
    }
}

TEST(TreeRootCacheTest, AFailedReadIsNotKept)
{
    const MemoryHashStore store = Store();
    CountingReader reader{store};
    TreeRootCache roots;
    reader.failing = true;
    auto failed = roots.Root(LEAVES, reader);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error(), make_error_code(Errc::storage_unavailable));
    reader.failing = false;
    auto root = roots.Root(LEAVES, reader);
    ASSERT_TRUE(root.has_value());
    EXPECT_EQ(*root, *TreeHash(LEAVES, store));
}

TEST(TreeRootCacheTest, KeepsAtMostItsBoundAndDropsTheSmallestSizes)
{
    // A store with a leaf for every size asked, one more size than the cache keeps, and then some.
    MemoryHashStore store;
    const std::uint64_t sizes = TREE_ROOTS_KEPT_MAX + 8;
    for (std::uint64_t leaf = 0; leaf < sizes; ++leaf)
        store.Append(LeafHash("entry " + std::to_string(leaf)));
    CountingReader reader{store};
    TreeRootCache roots;
    for (std::uint64_t size = 1; size <= sizes; ++size)
        ASSERT_TRUE(roots.Root(size, reader).has_value());
    // The largest sizes are still kept; the smallest were dropped and are read again.
    std::size_t before = reader.calls.load();
    ASSERT_TRUE(roots.Root(sizes, reader).has_value());
    EXPECT_EQ(reader.calls.load(), before);
    before = reader.calls.load();
    ASSERT_TRUE(roots.Root(1, reader).has_value());
    EXPECT_GT(reader.calls.load(), before);
}

} // namespace
} // namespace wijkbudget::ledger
