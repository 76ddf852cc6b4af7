#include "api/client_slots.hpp"

#include "ledger/assert.hpp"

namespace wijkbudget::api {

ClientSlots::ClientSlots(std::size_t at_once_max, std::size_t per_client_max)
    : m_state{std::make_shared<State>()}
{
    WB_ASSERT(at_once_max > 0 && per_client_max > 0);
    m_state->at_once_max = at_once_max;
    m_state->per_client_max = per_client_max;
}

std::shared_ptr<ClientSlots::Slot> ClientSlots::TryTake(std::string_view client)
{
    const std::lock_guard lock{m_state->mutex};
    if (m_state->taken >= m_state->at_once_max) return nullptr;
    auto found = m_state->taken_by_client.find(client);
    if (found != m_state->taken_by_client.end() && found->second >= m_state->per_client_max)
        return nullptr;
    if (found == m_state->taken_by_client.end())
        found = m_state->taken_by_client.emplace(std::string(client), 0).first;
    ++found->second;
    ++m_state->taken;
    return std::make_shared<Slot>(m_state, std::string(client));
}

ClientSlots::Slot::~Slot()
{
    const std::lock_guard lock{m_state->mutex};
    auto found = m_state->taken_by_client.find(m_client);
    WB_ASSERT(found != m_state->taken_by_client.end() && found->second > 0 && m_state->taken > 0);
    // Clients holding no slot are forgotten: the map holds at most the slots' count.
    if (--found->second == 0) m_state->taken_by_client.erase(found);
    --m_state->taken;
}

} // namespace wijkbudget::api
