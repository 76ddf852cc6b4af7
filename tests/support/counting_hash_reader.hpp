#pragma once
// tests/support/counting_hash_reader.hpp: a HashReader that counts what it is asked, and fails
// every read while told to.

#include "ledger/errc.hpp"
#include "ledger/hash_store.hpp"

#include <atomic>
#include <cstddef>

namespace wijkbudget::testing {

class CountingHashReader final : public ledger::HashReader
{
public:
    //! @pre `inner` outlives this.
    explicit CountingHashReader(const ledger::HashReader& inner) : m_inner{inner} {}

    boost::system::result<std::vector<ledger::Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override
    {
        ++calls;
        hashes_read += indices.size();
        if (failing) return make_error_code(ledger::Errc::storage_unavailable);
        return m_inner.ReadHashes(indices);
    }

    mutable std::atomic<std::size_t> calls{0};
    mutable std::atomic<std::size_t> hashes_read{0};
    //! While set, every read fails with Errc::storage_unavailable (and is still counted).
    std::atomic<bool> failing{false};

private:
    const ledger::HashReader& m_inner;
};

} // namespace wijkbudget::testing
