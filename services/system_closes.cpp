#include "services/system_closes.hpp"

#include <algorithm>

namespace wijkbudget::services {
namespace {

//! Refusals in a row beyond which the skips no longer grow: 2^6 passes SYSTEM_CLOSE_SKIPS_MAX.
constexpr unsigned REFUSALS_COUNTED_MAX{6};
static_assert((1U << REFUSALS_COUNTED_MAX) >= SYSTEM_CLOSE_SKIPS_MAX);

} // namespace

bool SystemCloses::Submit(const std::string& key, const std::function<Drafted()>& draft)
{
    {
        std::lock_guard lock{m_mutex};
        if (m_queued.contains(key)) return false;
        if (auto refused = m_refused.find(key);
            refused != m_refused.end() && refused->second.scans_to_skip > 0) {
            --refused->second.scans_to_skip;
            return false;
        }
        m_queued.insert(key);
    }
    auto drafted = draft();
    if (!drafted) {
        std::lock_guard lock{m_mutex};
        m_queued.erase(key);
        return false;
    }
    ledger::AppendRequest request;
    request.make_draft = std::move(*drafted);
    // Nobody waits for this answer: the close is on the ledger, or its draft was refused (say,
    // another closed it first), which only decides how soon it is tried again.
    const auto refused = std::make_shared<bool>(false);
    request.answer = [refused](const auto& outcome) {
        *refused = !outcome.has_value();
        return ledger::StoredAnswer{};
    };
    m_appender.Submit(std::move(request), [this, key, refused](const auto& reply) {
        std::lock_guard lock{m_mutex};
        m_queued.erase(key);
        // A batch that failed (the database away) decided nothing: its refusals stand as they
        // were, and the close goes again at the next scan.
        if (!reply) return;
        if (!*refused) {
            m_refused.erase(key);
            return;
        }
        if (m_refused.size() >= SYSTEM_CLOSE_REFUSALS_KEPT_MAX) m_refused.clear();
        Refusals& refusals = m_refused[key];
        refusals.in_a_row = std::min(refusals.in_a_row + 1, REFUSALS_COUNTED_MAX);
        refusals.scans_to_skip = std::min(1U << refusals.in_a_row, SYSTEM_CLOSE_SKIPS_MAX);
    });
    return true;
}

} // namespace wijkbudget::services
