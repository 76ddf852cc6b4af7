#pragma once
// api/client_slots.hpp: a bounded number of places held at once, in all and for each client, so
// that one client cannot take them all: exports streaming (export_slots.hpp), connections open
// (session.hpp). A client is counted as the login throttle counts it (LoginClientOf): an IPv4
// address, or an IPv6 /64.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace wijkbudget::api {

/** Thread-safe. A slot stays taken while its Slot lives, and may outlive the ClientSlots that gave
 *  it. */
class ClientSlots
{
public:
    //! @pre both limits above 0
    ClientSlots(std::size_t at_once_max, std::size_t per_client_max);

    class Slot;
    //! A slot for `client` (LoginClientOf the peer); none while either limit is reached.
    [[nodiscard]] std::shared_ptr<Slot> TryTake(std::string_view client);

private:
    struct State {
        std::mutex mutex;
        std::size_t at_once_max;
        std::size_t per_client_max;
        std::size_t taken{0};
        std::map<std::string, std::size_t, std::less<>> taken_by_client;
    };
    std::shared_ptr<State> m_state;

public:
    //! Gives its slot back when destroyed.
    class Slot
    {
    public:
        Slot(std::shared_ptr<State> state, std::string client)
            : m_state{std::move(state)}, m_client{std::move(client)}
        {}
        ~Slot();
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;

    private:
        std::shared_ptr<State> m_state;
        std::string m_client;
    };
};

} // namespace wijkbudget::api
