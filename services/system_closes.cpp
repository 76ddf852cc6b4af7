#include "services/system_closes.hpp"

namespace wijkbudget::services {

bool SystemCloses::Submit(const std::string& key, const std::function<Drafted()>& draft)
{
    {
        std::lock_guard lock{m_mutex};
        if (!m_queued.insert(key).second) return false;
    }
    auto drafted = draft();
    if (!drafted) {
        std::lock_guard lock{m_mutex};
        m_queued.erase(key);
        return false;
    }
    ledger::AppendRequest request;
    request.make_draft = std::move(*drafted);
    // Nobody waits for this answer: the close is on the ledger, or another closed it first.
    request.answer = [](const auto&) {
        return ledger::StoredAnswer{};
    };
    m_appender.Submit(std::move(request), [this, key](const auto&) {
        std::lock_guard lock{m_mutex};
        m_queued.erase(key);
    });
    return true;
}

} // namespace wijkbudget::services
