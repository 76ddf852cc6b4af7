#pragma once
// tests/contract/entry_store_contract.hpp: what every EntryStore must do, as one typed suite
// (after google/trillian's storage/testonly). Instantiate it with a type whose Make() returns a
// fresh store: MemoryEntryStore now, the PostgreSQL store with issue 3.

#include "ledger/entry_json.hpp"
#include "ledger/entry_store.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"
#include "ledger/sealer.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace wijkbudget::testing {

//! The sample ledger, sealed again from its entries, as the sequencer would seal it.
inline std::vector<ledger::SealedEntry> SealedSample()
{
    ledger::Sealer sealer;
    std::vector<ledger::SealedEntry> sealed;
    for (const auto& entry : SampleLedger())
        sealed.push_back(*sealer.Seal(entry));
    return sealed;
}

template <class Factory>
class EntryStoreContract : public ::testing::Test
{
protected:
    std::unique_ptr<ledger::EntryStore> m_store{Factory::Make()};
    std::vector<ledger::SealedEntry> m_sealed{SealedSample()};

    //! Appends sealed entries [first, first + count) as one batch.
    boost::system::result<void> Append(std::size_t first, std::size_t count)
    {
        auto head = m_store->Head();
        if (!head) return head.error();
        const std::span<const ledger::SealedEntry> part(m_sealed.data() + first, count);
        auto batch = ledger::MakeEntryBatch(*head, part, *m_store);
        if (!batch) return batch.error();
        return m_store->AppendBatch(*batch);
    }
};

TYPED_TEST_SUITE_P(EntryStoreContract);

TYPED_TEST_P(EntryStoreContract, EmptyStoreHasTheEmptyHead)
{
    auto head = this->m_store->Head();
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->size, 0U);
    EXPECT_EQ(head->root, ledger::EmptyTreeHash());
    EXPECT_TRUE(this->m_store->ReadRange(0, 10)->empty());
}

TYPED_TEST_P(EntryStoreContract, BatchesOfAnySizeReadBackWithTheirTree)
{
    std::size_t appended = 0;
    for (std::size_t count :
         {std::size_t{1}, std::size_t{3}, std::size_t{7}, this->m_sealed.size() - 11}) {
        ASSERT_TRUE(this->Append(appended, count).has_value());
        appended += count;
        auto head = this->m_store->Head();
        ASSERT_TRUE(head.has_value());
        EXPECT_EQ(head->size, appended);
        EXPECT_EQ(head->root, *ledger::TreeHash(appended, *this->m_store));
    }
    ASSERT_EQ(appended, this->m_sealed.size());
    auto entries = this->m_store->ReadRange(0, ledger::LEDGER_PAGE_ENTRIES_MAX);
    ASSERT_TRUE(entries.has_value());
    ASSERT_EQ(entries->size(), appended);
    for (std::size_t index = 0; index < appended; ++index)
        EXPECT_EQ((*entries)[index], this->m_sealed[index].bytes);
    const auto head = *this->m_store->Head();
    for (std::uint64_t index = 0; index < appended; ++index) {
        auto proof = ledger::ProveInclusion(index, appended, *this->m_store);
        ASSERT_TRUE(proof.has_value());
        EXPECT_TRUE(
            ledger::VerifyInclusion(index, appended, this->m_sealed[index].leaf, *proof, head.root)
                .has_value());
    }
    EXPECT_EQ(this->m_store->ReadRange(5, 3)->size(), 3U);
    EXPECT_EQ(this->m_store->ReadRange(appended - 1, 3)->size(), 1U);
}

TYPED_TEST_P(EntryStoreContract, BatchNotAtTheHeadIsASequenceConflictAndChangesNothing)
{
    ASSERT_TRUE(this->Append(0, 5).has_value());
    const auto head = *this->m_store->Head();
    auto batch = ledger::MakeEntryBatch(ledger::TreeHead{4, {}},
                                        std::span(this->m_sealed.data() + 4, 2), *this->m_store);
    ASSERT_TRUE(batch.has_value());
    EXPECT_EQ(this->m_store->AppendBatch(*batch).error(), ledger::Errc::sequence_conflict);
    EXPECT_EQ(*this->m_store->Head(), head);
    EXPECT_EQ(this->m_store->ReadRange(0, 100)->size(), 5U);
    // Sealed entries must continue the head's index, or no batch is made of them.
    EXPECT_EQ(ledger::MakeEntryBatch(head, std::span(this->m_sealed.data() + 6, 1), *this->m_store)
                  .error(),
              ledger::Errc::sequence_conflict);
}

TYPED_TEST_P(EntryStoreContract, ReadPastTheHeadIsOutOfRange)
{
    ASSERT_TRUE(this->Append(0, 4).has_value());
    EXPECT_TRUE(this->m_store->ReadRange(4, 10)->empty());
    EXPECT_EQ(this->m_store->ReadRange(5, 1).error(), ledger::Errc::index_out_of_range);
    const std::uint64_t beyond = ledger::StoredHashCount(4);
    EXPECT_EQ(this->m_store->ReadHashes(std::span(&beyond, 1)).error(),
              ledger::Errc::stored_hash_missing);
}

REGISTER_TYPED_TEST_SUITE_P(EntryStoreContract, EmptyStoreHasTheEmptyHead,
                            BatchesOfAnySizeReadBackWithTheirTree,
                            BatchNotAtTheHeadIsASequenceConflictAndChangesNothing,
                            ReadPastTheHeadIsOutOfRange);

} // namespace wijkbudget::testing
