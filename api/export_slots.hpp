#pragma once
// api/export_slots.hpp: how many exports stream at once: the whole ledger's (GET
// /api/v1/ledger/export) and rounds' ballot files (GET /api/v1/rounds/{round}/export.pb, whole in
// memory while it is sent), together.
//
// An export is public and as long as the ledger. While it streams it holds a chunk of entries
// (about half a megabyte) in memory and reads the database for every chunk, for as long as its
// client takes to read it all. Unbounded, a few hundred connections each asking for one would take
// the server's memory and the database's sessions from everyone else. So EXPORTS_AT_ONCE_MAX
// stream at once, at most EXPORTS_PER_CLIENT_AT_ONCE_MAX of them for one client (counted as the
// login throttle counts: an IPv4 address, or an IPv6 /64), so that one client cannot hold them all;
// beyond that an export is answered 503 `export_busy` at once, with Retry-After. Per process.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace wijkbudget::api {

//! Exports streaming at once at most: about 8 MB of chunks in memory.
inline constexpr std::size_t EXPORTS_AT_ONCE_MAX{16};
//! Of those, for one client: a verifier needs one, a mirror keeping up perhaps two.
inline constexpr std::size_t EXPORTS_PER_CLIENT_AT_ONCE_MAX{2};
//! What a refused export is told to wait, in seconds: an export of a large ledger takes minutes.
inline constexpr std::string_view EXPORT_BUSY_RETRY_AFTER_SECONDS{"30"};

/** Thread-safe. A slot stays taken while its Slot lives (the export's chunk source holds it), and
 *  may outlive the ExportSlots that gave it. */
class ExportSlots
{
public:
    explicit ExportSlots(std::size_t at_once_max = EXPORTS_AT_ONCE_MAX,
                         std::size_t per_client_max = EXPORTS_PER_CLIENT_AT_ONCE_MAX);

    class Slot;
    //! A slot for `client` (LoginClientOf the peer); none while the limits are reached.
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
