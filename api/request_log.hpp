#pragma once
// api/request_log.hpp: one JSON object per line for every answered request (DESIGN.md section 8).
//
// A record holds exactly the fields below and nothing taken from headers or bodies, so neither
// the Authorization header nor a voting code in a body can reach the log by accident.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace wijkbudget::api {

//! The routes of residents' ballots, whose lines leave the remote address out (DESIGN.md section
//! 4: a ballot is never linked to a person; the ledger shows each ballot's time).
inline constexpr std::string_view RESIDENT_BALLOT_API_ROUTE{"POST /api/v1/rounds/{round}/ballots"};
inline constexpr std::string_view RESIDENT_BALLOT_FORM_ROUTE{"POST /rounds/{round}/ballot"};

struct RequestLogRecord {
    std::chrono::system_clock::time_point time; //!< When the request started.
    std::string request_id;
    std::string remote; //!< Peer address and port (not written for residents' ballots).
    std::string method;
    std::string target; //!< Path and query as sent.
    std::string route;  //!< The route template, or "unmatched".
    unsigned status{0};
    std::uint64_t bytes{0}; //!< Response body bytes sent (the chunks' payload when streamed).
    std::chrono::nanoseconds duration{0};
};

//! {"time":"2024-05-01T12:00:00.123Z","request_id":...,"duration_ms":1.25}, without a newline.
std::string FormatRequestLogLine(const RequestLogRecord& record);

class RequestLog
{
public:
    //! @pre `out` outlives this log.
    explicit RequestLog(std::ostream& out) : m_out{out} {}

    //! Writes one line and flushes it, so that lines from threads never interleave and a crash
    //! loses none that were written.
    void Write(const RequestLogRecord& record);

private:
    std::mutex m_mutex;
    std::ostream& m_out;
};

} // namespace wijkbudget::api
