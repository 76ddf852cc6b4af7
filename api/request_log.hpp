#pragma once
// api/request_log.hpp: one JSON object per line for every answered request (DESIGN.md section 8).
//
// A record holds exactly the fields below and nothing taken from headers or bodies, so neither
// the Authorization header nor a voting code in a body can reach the log by accident. Nor is the
// sender's address written: a resident's ballot is never linked to a person (DESIGN.md section
// 4), and the ledger shows each ballot's time, as the log would the address of whoever cast it,
// or read that ballot's entry from its receipt a moment later. An address is personal data too.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace wijkbudget::api {

struct RequestLogRecord {
    std::chrono::system_clock::time_point time; //!< When the request started.
    std::string request_id;
    std::string method;
    std::string target; //!< Path and query as sent.
    std::string route;  //!< The route template, or "unmatched".
    unsigned status{0};
    std::uint64_t bytes{0}; //!< Response body bytes sent (the chunks' payload when streamed).
    std::chrono::nanoseconds duration{0};
    //! The answer did not reach the client whole (Delivery::cut): written as "cut":true.
    bool cut{false};
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
