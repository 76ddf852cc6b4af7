#pragma once
// services/clock.hpp: the port for "now", so tests fix time (cf. Trillian util/clock).

#include "ledger/values.hpp"

namespace wijkbudget::services {

class Clock
{
public:
    virtual ~Clock() = default;
    virtual ledger::Timestamp Now() = 0;
};

//! The system's UTC clock, in milliseconds.
class SystemClock final : public Clock
{
public:
    ledger::Timestamp Now() override;
};

//! A clock that says what the test set, and moves only when told.
class FixedClock final : public Clock
{
public:
    explicit FixedClock(ledger::Timestamp now) : m_now{now} {}
    ledger::Timestamp Now() override { return m_now; }
    void Advance(std::int64_t milliseconds) { m_now.milliseconds += milliseconds; }

private:
    ledger::Timestamp m_now;
};

} // namespace wijkbudget::services
