#include "services/round_deadlines.hpp"

#include "services/vote_deadlines.hpp"

namespace wijkbudget::services {

std::size_t RoundDeadlines::CloseDue()
{
    const ledger::Timestamp now = m_clock.Now();
    std::size_t queued = 0;
    for (const RoundSummary& round : m_rounds.List()) {
        // An imported past election is closed by its import, once every ballot is recorded:
        // its closing time passed before it was opened, so a scan here would count a part.
        if (round.Closed() || round.Imported() || now < round.opened.closes_at) continue;
        const Principal system{std::string(SYSTEM_ACTOR), ledger::Role::system,
                               ledger::Slug{std::string(SYSTEM_ACTOR)}, round.council};
        const bool submitted = m_closes.Submit(
            round.opened.round.value, [&] { return m_service.Close(system, round.opened.round); });
        if (submitted) ++queued;
    }
    return queued;
}

} // namespace wijkbudget::services
