#include "services/vote_deadlines.hpp"

namespace wijkbudget::services {

std::size_t VoteDeadlines::CloseDue()
{
    const ledger::Timestamp now = m_clock.Now();
    std::size_t queued = 0;
    for (const auto& council : m_registry.List()) {
        for (const auto& vote : m_governance.Votes(council.id)) {
            if (vote.Closed() || now < vote.closes_at) continue;
            const Principal system{std::string(SYSTEM_ACTOR), ledger::Role::system,
                                   ledger::Slug{std::string(SYSTEM_ACTOR)}, council.id};
            const bool submitted = m_closes.Submit(council.id.value + "/" + vote.id.value, [&] {
                return m_decisions.CloseVote(system, council.id, vote.id);
            });
            if (submitted) ++queued;
        }
    }
    return queued;
}

} // namespace wijkbudget::services
