#include "tests/contract/entry_store_contract.hpp"
#include "tests/support/memory_entry_store.hpp"

namespace wijkbudget::testing {
namespace {

struct MemoryStoreFactory {
    static std::unique_ptr<ledger::EntryStore> Make()
    {
        return std::make_unique<MemoryEntryStore>();
    }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Memory, EntryStoreContract, MemoryStoreFactory);

//! The steps of one append (read the head, make the batch from stored hashes, write it), with
//! the store failing at each call in turn: every failure is storage_unavailable, leaves the
//! store as it was, and the next attempt can succeed.
TEST(FailingEntryStoreTest, EveryFailingCallLeavesTheStoreUnchanged)
{
    const auto sealed = SealedSample();
    MemoryEntryStore memory;
    std::size_t fail_at = 1;
    for (;; ++fail_at) {
        ASSERT_LT(fail_at, 20U) << "the append never succeeded";
        FailingEntryStore store(memory, fail_at);
        const auto attempt = [&]() -> boost::system::result<void> {
            auto head = store.Head();
            if (!head) return head.error();
            auto batch = ledger::MakeEntryBatch(*head, std::span(sealed.data(), 6), store);
            if (!batch) return batch.error();
            return store.AppendBatch(*batch);
        }();
        if (attempt) break;
        EXPECT_EQ(attempt.error(), ledger::Errc::storage_unavailable);
        EXPECT_EQ(memory.Head()->size, 0U);
    }
    EXPECT_GT(fail_at, 2U); // Head, at least one hash read, and the append each failed once.
    EXPECT_EQ(memory.Head()->size, 6U);
}

} // namespace
} // namespace wijkbudget::testing
