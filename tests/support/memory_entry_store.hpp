#pragma once
// tests/support/memory_entry_store.hpp: EntryStore in memory, and one that fails on cue.

#include "ledger/entry_store.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace wijkbudget::testing {

class MemoryEntryStore final : public ledger::EntryStore
{
public:
    boost::system::result<void> AppendBatch(const ledger::EntryBatch& batch) override;
    boost::system::result<std::vector<std::string>> ReadRange(std::uint64_t first,
                                                              std::size_t count) const override;
    boost::system::result<ledger::TreeHead> Head() const override;
    boost::system::result<std::vector<ledger::Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override;

private:
    std::vector<std::string> m_entries;
    std::vector<ledger::Hash> m_hashes; //!< At their stored-hash index.
    ledger::TreeHead m_head{0, ledger::EmptyTreeHash()};
};

/**
 * Passes calls to `store` and fails the n-th one (counting from 1) with storage_unavailable,
 * changing nothing: like Beast's test::fail_count, a test raises n until the operation
 * succeeds, so that every failure path is taken once.
 */
class FailingEntryStore final : public ledger::EntryStore
{
public:
    FailingEntryStore(ledger::EntryStore& store, std::size_t fail_at)
        : m_store{store}, m_fail_at{fail_at}
    {}

    boost::system::result<void> AppendBatch(const ledger::EntryBatch& batch) override;
    boost::system::result<std::vector<std::string>> ReadRange(std::uint64_t first,
                                                              std::size_t count) const override;
    boost::system::result<ledger::TreeHead> Head() const override;
    boost::system::result<std::vector<ledger::Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override;

private:
    //! True when this call is the one to fail.
    bool Fails() const { return ++m_calls == m_fail_at; }

    ledger::EntryStore& m_store;
    std::size_t m_fail_at;
    mutable std::size_t m_calls{0};
};

} // namespace wijkbudget::testing
