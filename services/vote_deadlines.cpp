#include "services/vote_deadlines.hpp"

namespace wijkbudget::services {

std::size_t VoteDeadlines::CloseDue()
{
    const ledger::Timestamp now = m_clock.Now();
    std::size_t queued = 0;
    for (const auto& council : m_registry.List()) {
        for (const auto& vote : m_governance.Votes(council.id)) {
            if (vote.Closed() || now < vote.closes_at) continue;
            const std::string key = council.id.value + "/" + vote.id.value;
            {
                std::lock_guard lock{m_mutex};
                if (!m_queued.insert(key).second) continue;
            }
            const Principal system{std::string(SYSTEM_ACTOR), ledger::Role::system,
                                   ledger::Slug{std::string(SYSTEM_ACTOR)}, council.id};
            auto draft = m_decisions.CloseVote(system, council.id, vote.id);
            if (!draft) {
                std::lock_guard lock{m_mutex};
                m_queued.erase(key);
                continue;
            }
            ledger::AppendRequest request;
            request.make_draft = std::move(*draft);
            // Nobody waits for this answer: the decision is on the ledger, or another closed it.
            request.answer = [](const auto&) {
                return ledger::StoredAnswer{};
            };
            m_appender.Submit(std::move(request), [this, key](const auto&) {
                std::lock_guard lock{m_mutex};
                m_queued.erase(key);
            });
            ++queued;
        }
    }
    return queued;
}

} // namespace wijkbudget::services
