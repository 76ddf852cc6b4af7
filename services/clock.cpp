#include "services/clock.hpp"

#include <chrono>

namespace wijkbudget::services {

ledger::Timestamp SystemClock::Now()
{
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return {std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count()};
}

} // namespace wijkbudget::services
