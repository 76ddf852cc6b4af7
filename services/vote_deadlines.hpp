#pragma once
// services/vote_deadlines.hpp: closes the votes whose deadline has passed.
//
// Issue 4: a vote closes "by the opener, or automatically at the deadline". The service runs
// CloseDue now and then (api/main_serve.cpp); each due vote gets a close request as the system,
// which the sequencer decides like any other: if a member closed it first, the draft is refused
// and, since the request carries no idempotency claim, nothing is stored. Several processes may
// do this at once for the same reason.

#include "ledger/append.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/decisions.hpp"
#include "services/governance.hpp"
#include "services/system_closes.hpp"

#include <cstddef>
#include <string>

namespace wijkbudget::services {

//! The pseudonymous actor of entries the service records on its own.
inline constexpr std::string_view SYSTEM_ACTOR{"wijkbudget"};

class VoteDeadlines
{
public:
    VoteDeadlines(const CouncilRegistry& registry, const Governance& governance,
                  DecisionService& decisions, ledger::Appender& appender, Clock& clock)
        : m_registry{registry}, m_governance{governance},
          m_decisions{decisions}, m_clock{clock}, m_closes{appender}
    {}

    //! Queues a close for every open vote past its deadline that has none queued yet; returns
    //! how many it queued.
    std::size_t CloseDue();

private:
    const CouncilRegistry& m_registry;
    const Governance& m_governance;
    DecisionService& m_decisions;
    Clock& m_clock;
    SystemCloses m_closes; //!< Keyed by "council/vote".
};

} // namespace wijkbudget::services
