// api/metrics.cpp: Prometheus text exposition.

#include "api/metrics.hpp"

#include <algorithm>
#include <charconv>

namespace wijkbudget::api {

namespace {

//! Label values may hold any UTF-8; the format reserves backslash, double quote and newline.
std::string EscapeLabel(std::string_view value)
{
    std::string escaped;
    escaped.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            escaped += "\\\\";
        } else if (c == '"') {
            escaped += "\\\"";
        } else if (c == '\n') {
            escaped += "\\n";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

//! Shortest text that reads back as the same double ("0.005", "10", "2.5").
std::string FormatNumber(double value)
{
    std::array<char, 32> text{};
    const auto result = std::to_chars(text.data(), text.data() + text.size(), value);
    return std::string{text.data(), result.ptr};
}

template <std::size_t N>
void Observe(std::array<std::uint64_t, N>& bucket_counts, const std::array<double, N>& bounds,
             double value)
{
    const auto bucket = std::lower_bound(bounds.begin(), bounds.end(), value);
    if (bucket != bounds.end()) ++bucket_counts[static_cast<std::size_t>(bucket - bounds.begin())];
}

//! The _bucket, _sum and _count lines of one histogram; `labels` is empty or ends with a comma.
template <std::size_t N>
void RenderHistogram(std::string& out, std::string_view name, const std::string& labels,
                     const std::array<double, N>& bounds,
                     const std::array<std::uint64_t, N>& bucket_counts, std::uint64_t count,
                     double sum)
{
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < N; ++i) {
        cumulative += bucket_counts[i];
        out += std::string{name} + "_bucket{" + labels + "le=\"" + FormatNumber(bounds[i]) +
               "\"} " + std::to_string(cumulative) + "\n";
    }
    out += std::string{name} + "_bucket{" + labels + "le=\"+Inf\"} " + std::to_string(count) + "\n";
    const std::string plain_labels =
        labels.empty() ? "" : "{" + labels.substr(0, labels.size() - 1) + "}";
    out += std::string{name} + "_sum" + plain_labels + " " + FormatNumber(sum) + "\n";
    out += std::string{name} + "_count" + plain_labels + " " + std::to_string(count) + "\n";
}

} // namespace

void Metrics::ObserveRequest(std::string_view route, unsigned status,
                             std::chrono::nanoseconds latency, Delivery delivery)
{
    const double seconds = std::chrono::duration<double>(latency).count();
    const std::lock_guard lock{m_mutex};
    std::string label{route.empty() ? "unmatched" : route};
    if (!m_latency.contains(label) && m_latency.size() >= ROUTE_LABELS_MAX) label = "overflow";
    ++m_requests[{label, status}];
    if (delivery == Delivery::cut) ++m_cut[label];
    auto& histogram = m_latency[label];
    Observe(histogram.bucket_counts, REQUEST_LATENCY_BUCKETS_SECONDS, seconds);
    ++histogram.count;
    histogram.sum += seconds;
}

void Metrics::ObserveBatch(std::size_t entries)
{
    const std::lock_guard lock{m_mutex};
    Observe(m_batch_sizes.bucket_counts, BATCH_SIZE_BUCKETS_ENTRIES, static_cast<double>(entries));
    ++m_batch_sizes.count;
    m_batch_sizes.sum += static_cast<double>(entries);
}

void Metrics::SetLedgerSize(std::uint64_t entries)
{
    const std::lock_guard lock{m_mutex};
    m_ledger_size = entries;
}

std::string Metrics::Render() const
{
    const std::lock_guard lock{m_mutex};
    std::string out;
    out += "# HELP wijkbudget_http_requests_total HTTP requests, by route and status (one begun "
           "but never finished counts under the status it would have had, and as cut).\n";
    out += "# TYPE wijkbudget_http_requests_total counter\n";
    for (const auto& [key, count] : m_requests) {
        out += "wijkbudget_http_requests_total{route=\"" + EscapeLabel(key.first) + "\",status=\"" +
               std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    out += "# HELP wijkbudget_http_responses_cut_total Answers that did not reach the client "
           "whole (a write failed, or a streamed body's source did), by route.\n";
    out += "# TYPE wijkbudget_http_responses_cut_total counter\n";
    for (const auto& [route, count] : m_cut) {
        out += "wijkbudget_http_responses_cut_total{route=\"" + EscapeLabel(route) + "\"} " +
               std::to_string(count) + "\n";
    }
    out += "# HELP wijkbudget_http_request_duration_seconds Time from the first byte of a request "
           "to the last byte of its response (or to the end of a request never finished).\n";
    out += "# TYPE wijkbudget_http_request_duration_seconds histogram\n";
    for (const auto& [route, histogram] : m_latency) {
        RenderHistogram(out, "wijkbudget_http_request_duration_seconds",
                        "route=\"" + EscapeLabel(route) + "\",", REQUEST_LATENCY_BUCKETS_SECONDS,
                        histogram.bucket_counts, histogram.count, histogram.sum);
    }
    out += "# HELP wijkbudget_sequencer_batch_entries Entries per batch the sequencer committed.\n";
    out += "# TYPE wijkbudget_sequencer_batch_entries histogram\n";
    RenderHistogram(out, "wijkbudget_sequencer_batch_entries", "", BATCH_SIZE_BUCKETS_ENTRIES,
                    m_batch_sizes.bucket_counts, m_batch_sizes.count, m_batch_sizes.sum);
    out += "# HELP wijkbudget_ledger_entries Entries in the ledger after the latest commit.\n";
    out += "# TYPE wijkbudget_ledger_entries gauge\n";
    out += "wijkbudget_ledger_entries " + std::to_string(m_ledger_size) + "\n";
    return out;
}

} // namespace wijkbudget::api
