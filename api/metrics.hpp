#pragma once
// api/metrics.hpp: the service's Prometheus metrics, rendered for GET /metrics.
//
// Thread-safe: sessions record from every I/O thread and the sequencer from its own. The route
// label comes from Reply::route (route templates, never raw targets), and the number of distinct
// routes is capped anyway, so a scanner cannot grow the label set without bound.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace wijkbudget::api {

//! Upper bounds (seconds) of the request latency histogram; +Inf is implied.
inline constexpr std::array<double, 12> REQUEST_LATENCY_BUCKETS_SECONDS{
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0};
//! Upper bounds (entries) of the sequencer batch size histogram; +Inf is implied.
inline constexpr std::array<double, 10> BATCH_SIZE_BUCKETS_ENTRIES{1,  2,  4,   8,   16,
                                                                   32, 64, 128, 256, 512};
//! Distinct route labels kept; later ones are counted under "overflow".
inline constexpr std::size_t ROUTE_LABELS_MAX{256};

//! Whether an answer reached the socket whole, or was cut off: a write failed (a timeout, a
//! reset), or a streamed body's source did after its status had gone out.
enum class Delivery { whole, cut };

class Metrics
{
public:
    //! One answered request: its route template ("unmatched" if none), status and latency; a cut
    //! one is counted under its status too, and in wijkbudget_http_responses_cut_total.
    void ObserveRequest(std::string_view route, unsigned status, std::chrono::nanoseconds latency,
                        Delivery delivery = Delivery::whole);
    //! One batch the sequencer committed, by its number of entries.
    void ObserveBatch(std::size_t entries);
    //! The number of entries in the ledger after the latest commit.
    void SetLedgerSize(std::uint64_t entries);

    //! The Prometheus text exposition format, version 0.0.4.
    [[nodiscard]] std::string Render() const;

    //! The Content-Type of Render()'s output.
    static constexpr std::string_view CONTENT_TYPE{"text/plain; version=0.0.4; charset=utf-8"};

private:
    template <std::size_t N>
    struct Histogram {
        std::array<std::uint64_t, N> bucket_counts{}; //!< Not cumulative; summed when rendered.
        std::uint64_t count{0};
        double sum{0};
    };

    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> m_requests;
    std::map<std::string, std::uint64_t> m_cut; //!< By route label.
    std::map<std::string, Histogram<REQUEST_LATENCY_BUCKETS_SECONDS.size()>> m_latency;
    Histogram<BATCH_SIZE_BUCKETS_ENTRIES.size()> m_batch_sizes;
    std::uint64_t m_ledger_size{0};
};

} // namespace wijkbudget::api
