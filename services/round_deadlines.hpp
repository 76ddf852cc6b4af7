#pragma once
// services/round_deadlines.hpp: closes the residents' rounds whose closing time has passed.
//
// Issue 6: a round is counted once its voting window ends, whoever asks. The service runs
// CloseDue now and then (api/main_serve.cpp, beside VoteDeadlines); each due round gets a close
// request as the system, which the sequencer decides like any other: if the municipality or a
// council member closed it first, the draft is refused (round_closed) and, since the request
// carries no idempotency claim, nothing is stored. Several processes may do this at once.

#include "ledger/append.hpp"
#include "services/clock.hpp"
#include "services/round_service.hpp"
#include "services/rounds.hpp"
#include "services/system_closes.hpp"

#include <cstddef>
#include <string>

namespace wijkbudget::services {

class RoundDeadlines
{
public:
    RoundDeadlines(const Rounds& rounds, RoundService& service, ledger::Appender& appender,
                   Clock& clock)
        : m_rounds{rounds}, m_service{service}, m_clock{clock}, m_closes{appender}
    {}

    //! Queues a close for every open round past its closing time that has none queued yet;
    //! returns how many it queued.
    std::size_t CloseDue();

private:
    const Rounds& m_rounds;
    RoundService& m_service;
    Clock& m_clock;
    SystemCloses m_closes; //!< Keyed by round.
};

} // namespace wijkbudget::services
