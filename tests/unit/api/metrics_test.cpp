// tests/unit/api/metrics_test.cpp: the Prometheus text exposition.

#include "api/metrics.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace wijkbudget::api {
namespace {

using namespace std::chrono_literals;

bool Contains(const std::string& text, const std::string& line)
{
    return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, CountsRequestsByRouteAndStatus)
{
    Metrics metrics;
    metrics.ObserveRequest("GET /healthz", 200, 1ms);
    metrics.ObserveRequest("GET /healthz", 200, 1ms);
    metrics.ObserveRequest("GET /healthz", 503, 1ms);
    metrics.ObserveRequest("", 404, 1ms);
    const std::string text = metrics.Render();
    EXPECT_TRUE(Contains(text, "# TYPE wijkbudget_http_requests_total counter"));
    EXPECT_TRUE(
        Contains(text, R"(wijkbudget_http_requests_total{route="GET /healthz",status="200"} 2)"));
    EXPECT_TRUE(
        Contains(text, R"(wijkbudget_http_requests_total{route="GET /healthz",status="503"} 1)"));
    EXPECT_TRUE(
        Contains(text, R"(wijkbudget_http_requests_total{route="unmatched",status="404"} 1)"));
    // No answer was cut off: the counter has its type and no series.
    EXPECT_TRUE(Contains(text, "# TYPE wijkbudget_http_responses_cut_total counter"));
    EXPECT_EQ(text.find("wijkbudget_http_responses_cut_total{"), std::string::npos);
}

TEST(MetricsTest, CountsAnswersCutOffByRouteBesideTheirStatus)
{
    Metrics metrics;
    metrics.ObserveRequest("GET /api/v1/ledger/export", 200, 1ms, Delivery::cut);
    metrics.ObserveRequest("GET /api/v1/ledger/export", 200, 1ms, Delivery::whole);
    metrics.ObserveRequest("GET /api/v1/ledger/export", 200, 1ms, Delivery::cut);
    const std::string text = metrics.Render();
    EXPECT_TRUE(Contains(
        text,
        R"(wijkbudget_http_requests_total{route="GET /api/v1/ledger/export",status="200"} 3)"));
    EXPECT_TRUE(Contains(
        text, R"(wijkbudget_http_responses_cut_total{route="GET /api/v1/ledger/export"} 2)"));
}

TEST(MetricsTest, LatencyHistogramIsCumulative)
{
    Metrics metrics;
    metrics.ObserveRequest("r", 200, 3ms);   // bucket le=0.005
    metrics.ObserveRequest("r", 200, 300ms); // bucket le=0.5
    metrics.ObserveRequest("r", 200, 20s);   // +Inf only
    const std::string text = metrics.Render();
    const std::string name = "wijkbudget_http_request_duration_seconds";
    EXPECT_TRUE(Contains(text, "# TYPE " + name + " histogram"));
    EXPECT_TRUE(Contains(text, name + R"(_bucket{route="r",le="0.0025"} 0)"));
    EXPECT_TRUE(Contains(text, name + R"(_bucket{route="r",le="0.005"} 1)"));
    EXPECT_TRUE(Contains(text, name + R"(_bucket{route="r",le="0.25"} 1)"));
    EXPECT_TRUE(Contains(text, name + R"(_bucket{route="r",le="0.5"} 2)"));
    EXPECT_TRUE(Contains(text, name + R"(_bucket{route="r",le="10"} 2)"));
    EXPECT_TRUE(Contains(text, name + R"(_bucket{route="r",le="+Inf"} 3)"));
    EXPECT_TRUE(Contains(text, name + R"(_count{route="r"} 3)"));
    EXPECT_TRUE(Contains(text, name + R"(_sum{route="r"} 20.303)"));
}

TEST(MetricsTest, BatchSizesAndLedgerSize)
{
    Metrics metrics;
    metrics.ObserveBatch(1);
    metrics.ObserveBatch(3);
    metrics.ObserveBatch(1000);
    metrics.SetLedgerSize(12345);
    const std::string text = metrics.Render();
    EXPECT_TRUE(Contains(text, R"(wijkbudget_sequencer_batch_entries_bucket{le="1"} 1)"));
    EXPECT_TRUE(Contains(text, R"(wijkbudget_sequencer_batch_entries_bucket{le="2"} 1)"));
    EXPECT_TRUE(Contains(text, R"(wijkbudget_sequencer_batch_entries_bucket{le="4"} 2)"));
    EXPECT_TRUE(Contains(text, R"(wijkbudget_sequencer_batch_entries_bucket{le="512"} 2)"));
    EXPECT_TRUE(Contains(text, R"(wijkbudget_sequencer_batch_entries_bucket{le="+Inf"} 3)"));
    EXPECT_TRUE(Contains(text, "wijkbudget_sequencer_batch_entries_sum 1004"));
    EXPECT_TRUE(Contains(text, "wijkbudget_sequencer_batch_entries_count 3"));
    EXPECT_TRUE(Contains(text, "# TYPE wijkbudget_ledger_entries gauge"));
    EXPECT_TRUE(Contains(text, "wijkbudget_ledger_entries 12345"));
}

TEST(MetricsTest, LabelValuesAreEscaped)
{
    Metrics metrics;
    metrics.ObserveRequest("a\"b\\c\nd", 200, 1ms);
    EXPECT_TRUE(Contains(metrics.Render(),
                         R"(wijkbudget_http_requests_total{route="a\"b\\c\nd",status="200"} 1)"));
}

TEST(MetricsTest, RouteLabelsAreCapped)
{
    Metrics metrics;
    for (std::size_t i = 0; i < ROUTE_LABELS_MAX + 10; ++i) {
        metrics.ObserveRequest("route " + std::to_string(i), 200, 1ms);
    }
    const std::string text = metrics.Render();
    EXPECT_TRUE(
        Contains(text, R"(wijkbudget_http_requests_total{route="overflow",status="200"} 10)"));
    EXPECT_EQ(text.find("route=\"route " + std::to_string(ROUTE_LABELS_MAX) + "\""),
              std::string::npos);
}

TEST(MetricsTest, ConcurrentObservationsAreAllCounted)
{
    Metrics metrics;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&metrics] {
            for (int i = 0; i < 1000; ++i) {
                metrics.ObserveRequest("r", 200, 1ms);
                metrics.ObserveBatch(2);
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    const std::string text = metrics.Render();
    EXPECT_TRUE(Contains(text, R"(wijkbudget_http_requests_total{route="r",status="200"} 4000)"));
    EXPECT_TRUE(Contains(text, "wijkbudget_sequencer_batch_entries_count 4000"));
}

} // namespace
} // namespace wijkbudget::api
