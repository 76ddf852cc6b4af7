#pragma once
// ledger/checkpoint_store.hpp: the port from which readers get the latest signed checkpoint.

#include "ledger/values.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace wijkbudget::ledger {

struct StoredCheckpoint {
    std::uint64_t size{0};
    std::string note; //!< The signed note, verbatim (ledger/checkpoint.hpp).
    //! When the store received it; none where the store keeps no time (test doubles).
    std::optional<Timestamp> signed_at;
};

class CheckpointReader
{
public:
    virtual ~CheckpointReader() = default;
    //! The checkpoint of the largest tree signed so far; none before the first batch.
    //! Errc::storage_unavailable if the store could not be read.
    virtual boost::system::result<std::optional<StoredCheckpoint>> LatestCheckpoint() const = 0;
};

} // namespace wijkbudget::ledger
