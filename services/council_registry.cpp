#include "services/council_registry.hpp"

#include "ledger/account.hpp"
#include "ledger/assert.hpp"

#include <mutex>
#include <type_traits>
#include <variant>

namespace wijkbudget::services {

void CouncilRegistry::Reset()
{
    std::unique_lock lock{m_mutex};
    m_councils.clear();
    m_last_recorded_at = {};
    m_size = 0;
}

void CouncilRegistry::Observe(const ledger::Entry& entry)
{
    std::unique_lock lock{m_mutex};
    WB_ASSERT(entry.index.value == m_size); // Every entry once, in order.
    ++m_size;
    m_last_recorded_at = std::max(m_last_recorded_at, entry.recorded_at);
    if (const auto* registered = std::get_if<ledger::CouncilRegistered>(&entry.payload)) {
        WB_ASSERT(entry.council.has_value());
        CouncilState& state = m_councils[entry.council->value];
        state.name = registered->name;
        state.district = registered->district;
        state.registered_at = entry.index.value;
    }
    if (const auto* granted = std::get_if<ledger::BudgetGranted>(&entry.payload)) {
        WB_ASSERT(entry.council.has_value());
        auto& line =
            m_councils[entry.council->value].lines[{granted->year.value, granted->category}];
        line.granted.value += granted->amount.value; // Bounded: the line's balance fits CENTS_MAX.
        if (!line.at_year_end) line.at_year_end = granted->at_year_end;
    }
    if (const auto* closed = std::get_if<ledger::PeriodClosed>(&entry.payload)) {
        WB_ASSERT(entry.council.has_value());
        auto& latest = m_councils[entry.council->value].latest_closed_year;
        if (!latest || latest->value < closed->year.value) latest = closed->year;
    }
    for (const auto& posting : entry.postings)
        ApplyPosting(posting);
}

void CouncilRegistry::ApplyPosting(const ledger::Posting& posting)
{
    const auto account = ledger::ParseAccountName(posting.account.value);
    WB_ASSERT(account.has_value()); // The Sealer checked every posting's account.
    if (account->type != ledger::AccountType::line && account->type != ledger::AccountType::spent)
        return;
    auto& line = m_councils[account->council.value].lines[{account->year.value, account->category}];
    if (account->type == ledger::AccountType::line) {
        line.available = posting.balance_after.cents;
    } else {
        line.spent = posting.balance_after.cents;
    }
}

bool CouncilRegistry::Contains(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto found = m_councils.find(council.value);
    // A line's postings alone do not make a council: only its registration does.
    return found != m_councils.end() && !found->second.name.value.empty();
}

std::optional<CouncilView> CouncilRegistry::Find(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto found = m_councils.find(council.value);
    if (found == m_councils.end() || found->second.name.value.empty()) return std::nullopt;
    return ViewOf(found->first, found->second);
}

std::vector<CouncilView> CouncilRegistry::List() const
{
    std::shared_lock lock{m_mutex};
    std::vector<CouncilView> views;
    views.reserve(m_councils.size());
    for (const auto& [id, state] : m_councils) {
        if (!state.name.value.empty()) views.push_back(ViewOf(id, state));
    }
    return views;
}

ledger::Timestamp CouncilRegistry::LastRecordedAt() const
{
    std::shared_lock lock{m_mutex};
    return m_last_recorded_at;
}

std::uint64_t CouncilRegistry::Size() const
{
    std::shared_lock lock{m_mutex};
    return m_size;
}

CouncilView CouncilRegistry::ViewOf(const std::string& id, const CouncilState& state) const
{
    CouncilView view{ledger::Slug{id}, state.name, state.district, state.registered_at, {}};
    for (const auto& [key, totals] : state.lines) {
        view.lines.push_back(
            {ledger::Year{key.first}, key.second, totals.granted, totals.available, totals.spent});
    }
    return view;
}

std::optional<ledger::YearEndRule>
CouncilRegistry::YearEndRuleOf(const ledger::Slug& council, ledger::Year year,
                               ledger::BudgetCategory category) const
{
    std::shared_lock lock{m_mutex};
    const auto found = m_councils.find(council.value);
    if (found == m_councils.end()) return std::nullopt;
    const auto line = found->second.lines.find({year.value, category});
    if (line == found->second.lines.end()) return std::nullopt;
    return line->second.at_year_end;
}

std::optional<ledger::Year> CouncilRegistry::LatestClosedYear(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto found = m_councils.find(council.value);
    if (found == m_councils.end()) return std::nullopt;
    return found->second.latest_closed_year;
}

} // namespace wijkbudget::services
