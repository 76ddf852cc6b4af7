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

#include "api/client_slots.hpp"

#include <cstddef>
#include <string_view>

namespace wijkbudget::api {

//! Exports streaming at once at most: about 8 MB of chunks in memory.
inline constexpr std::size_t EXPORTS_AT_ONCE_MAX{16};
//! Of those, for one client: a verifier needs one, a mirror keeping up perhaps two.
inline constexpr std::size_t EXPORTS_PER_CLIENT_AT_ONCE_MAX{2};
//! What a refused export is told to wait, in seconds: an export of a large ledger takes minutes.
inline constexpr std::string_view EXPORT_BUSY_RETRY_AFTER_SECONDS{"30"};

//! The export's slot stays taken while its Slot lives (the export's chunk source holds it).
class ExportSlots final : public ClientSlots
{
public:
    explicit ExportSlots(std::size_t at_once_max = EXPORTS_AT_ONCE_MAX,
                         std::size_t per_client_max = EXPORTS_PER_CLIENT_AT_ONCE_MAX)
        : ClientSlots{at_once_max, per_client_max}
    {}
};

} // namespace wijkbudget::api
