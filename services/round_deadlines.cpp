#include "services/round_deadlines.hpp"

#include "services/vote_deadlines.hpp"

namespace wijkbudget::services {

std::size_t RoundDeadlines::CloseDue()
{
    const ledger::Timestamp now = m_clock.Now();
    std::size_t queued = 0;
    for (const RoundSummary& round : m_rounds.List()) {
        if (round.Closed() || now < round.opened.closes_at) continue;
        const std::string key = round.opened.round.value;
        {
            std::lock_guard lock{m_mutex};
            if (!m_queued.insert(key).second) continue;
        }
        const Principal system{std::string(SYSTEM_ACTOR), ledger::Role::system,
                               ledger::Slug{std::string(SYSTEM_ACTOR)}, round.council};
        auto draft = m_service.Close(system, round.opened.round);
        if (!draft) {
            std::lock_guard lock{m_mutex};
            m_queued.erase(key);
            continue;
        }
        ledger::AppendRequest request;
        request.make_draft = std::move(*draft);
        // Nobody waits for this answer: the outcome is on the ledger, or another closed it.
        request.answer = [](const auto&) {
            return ledger::StoredAnswer{};
        };
        m_appender.Submit(std::move(request), [this, key](const auto&) {
            std::lock_guard lock{m_mutex};
            m_queued.erase(key);
        });
        ++queued;
    }
    return queued;
}

} // namespace wijkbudget::services
