#include "api/login_throttle.hpp"

#include "ledger/assert.hpp"

#include <algorithm>

namespace wijkbudget::api {

bool LoginThrottle::TryBeginCheck()
{
    const std::lock_guard lock{m_mutex};
    if (m_checks >= LOGIN_CHECKS_AT_ONCE_MAX) return false;
    ++m_checks;
    return true;
}

void LoginThrottle::EndCheck()
{
    const std::lock_guard lock{m_mutex};
    WB_ASSERT(m_checks > 0);
    --m_checks;
}

std::optional<LoginThrottle::Clock::duration> LoginThrottle::Refusal(std::string_view login,
                                                                     Clock::time_point now)
{
    const std::lock_guard lock{m_mutex};
    const auto found = m_failures.find(login);
    if (found == m_failures.end()) return std::nullopt;
    const Clock::time_point ends = found->second.first + LOGIN_FAILURE_WINDOW;
    if (now >= ends || found->second.count < LOGIN_FAILURES_MAX) return std::nullopt;
    return ends - now;
}

void LoginThrottle::RecordFailure(std::string_view login, Clock::time_point now)
{
    const std::lock_guard lock{m_mutex};
    auto found = m_failures.find(login);
    if (found == m_failures.end()) {
        MakeRoom(now);
        found = m_failures.emplace(std::string(login), Failures{0, now}).first;
    }
    Failures& failures = found->second;
    if (now >= failures.first + LOGIN_FAILURE_WINDOW) failures = Failures{0, now};
    ++failures.count;
}

void LoginThrottle::RecordSuccess(std::string_view login)
{
    const std::lock_guard lock{m_mutex};
    if (const auto found = m_failures.find(login); found != m_failures.end())
        m_failures.erase(found);
}

void LoginThrottle::MakeRoom(Clock::time_point now)
{
    if (m_failures.size() < LOGIN_THROTTLE_NAMES_MAX) return;
    std::erase_if(m_failures, [now](const auto& entry) {
        return now >= entry.second.first + LOGIN_FAILURE_WINDOW;
    });
    if (m_failures.size() < LOGIN_THROTTLE_NAMES_MAX) return;
    // Every window is still open: the oldest goes, which keeps the bound whatever is sent.
    const auto oldest = std::min_element(
        m_failures.begin(), m_failures.end(),
        [](const auto& left, const auto& right) { return left.second.first < right.second.first; });
    m_failures.erase(oldest);
}

} // namespace wijkbudget::api
