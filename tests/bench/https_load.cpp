// tests/bench/https_load.cpp: a closed-loop HTTPS load generator for tests/bench/service_bench.sh.
//
// Each connection is a thread with one keep-alive TLS connection that sends its next request as
// soon as the previous answer is read (closed loop: the rate is what the server sustains at that
// concurrency, and the latency is that of a server kept busy, not of an idle one). Requests that
// start during the warm-up are not counted; the measured window follows it. Every answer outside
// 2xx is an error. When the server asks to close (Connection: close, as both wijkbudget and nginx
// do after 1000 requests) the thread reconnects; the handshake counts in the window's wall time
// but in no request's latency, and the number of reconnects is printed.
//
// usage: https_load --port P --mode grant|entry|proof|static [--host H] [--connections N]
//                   [--seconds S] [--warmup S] [--token T] [--council C] [--path P]
//                   [--max-index I] [--year Y]
// Prints one line of JSON on stdout: mode, connections, requests, errors, reconnects, seconds,
// rps, p50_ms, p99_ms. The first few errors go to stderr.

#include "tests/support/https/https_client.hpp"

#include <boost/system/system_error.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using wijkbudget::test::HttpsClient;
using wijkbudget::test::HttpsClientOptions;

//! Errors described on stderr; the rest are only counted, so a failing run stays readable.
constexpr std::uint64_t ERRORS_SHOWN_MAX{5};
//! Characters of an error body shown.
constexpr std::size_t ERROR_BODY_SHOWN_MAX{200};
//! Pause after a failed connect, so a server that is down is not hammered in a tight loop.
constexpr std::chrono::milliseconds RECONNECT_PAUSE{20};
constexpr std::size_t CONNECTIONS_MAX{1024};

enum class Mode { grant, entry, proof, static_file };

struct Options {
    std::string host{"127.0.0.1"};
    std::uint16_t port{0};
    std::size_t connections{1};
    double seconds{10};
    double warmup{2};
    Mode mode{Mode::static_file};
    std::string mode_name;
    std::string token;
    std::string council{"burgwal"};
    std::string path{"/"};
    std::uint64_t max_index{0};
    unsigned year{2027};
};

[[noreturn]] void Usage(const std::string& problem)
{
    std::cerr << "https_load: " << problem << "\n"
              << "usage: https_load --port P --mode grant|entry|proof|static [--host H]\n"
              << "                  [--connections N] [--seconds S] [--warmup S] [--token T]\n"
              << "                  [--council C] [--path P] [--max-index I] [--year Y]\n";
    std::exit(2);
}

template <class Number>
Number ParseNumber(std::string_view name, std::string_view text)
{
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        Usage(std::string(name) + ": not a number: " + std::string(text));
    }
    return value;
}

Options ParseOptions(int argc, char** argv)
{
    Options options;
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.size() % 2 != 0) Usage("every option takes a value");
    for (std::size_t i = 0; i < args.size(); i += 2) {
        const std::string_view name = args[i];
        const std::string_view value = args[i + 1];
        if (name == "--host") {
            options.host = value;
        } else if (name == "--port") {
            options.port = ParseNumber<std::uint16_t>(name, value);
        } else if (name == "--connections") {
            options.connections = ParseNumber<std::size_t>(name, value);
        } else if (name == "--seconds") {
            options.seconds = ParseNumber<double>(name, value);
        } else if (name == "--warmup") {
            options.warmup = ParseNumber<double>(name, value);
        } else if (name == "--mode") {
            options.mode_name = value;
        } else if (name == "--token") {
            options.token = value;
        } else if (name == "--council") {
            options.council = value;
        } else if (name == "--path") {
            options.path = value;
        } else if (name == "--max-index") {
            options.max_index = ParseNumber<std::uint64_t>(name, value);
        } else if (name == "--year") {
            options.year = ParseNumber<unsigned>(name, value);
        } else {
            Usage("unknown option " + std::string(name));
        }
    }
    static const std::map<std::string_view, Mode> modes{{"grant", Mode::grant},
                                                        {"entry", Mode::entry},
                                                        {"proof", Mode::proof},
                                                        {"static", Mode::static_file}};
    const auto mode = modes.find(options.mode_name);
    if (mode == modes.end()) Usage("--mode must be grant, entry, proof or static");
    options.mode = mode->second;
    if (options.port == 0) Usage("--port is required");
    if (options.connections == 0 || options.connections > CONNECTIONS_MAX) {
        Usage("--connections must be 1.." + std::to_string(CONNECTIONS_MAX));
    }
    if (!(options.seconds > 0) || options.warmup < 0) Usage("--seconds > 0 and --warmup >= 0");
    if (options.mode == Mode::grant && options.token.empty()) Usage("grant mode needs --token");
    if ((options.mode == Mode::entry || options.mode == Mode::proof) && options.max_index == 0) {
        Usage("entry and proof modes need --max-index (the ledger's size)");
    }
    return options;
}

//! What every thread shares: the window and the error report.
struct Shared {
    Clock::time_point measure_start;
    Clock::time_point measure_end;
    //! A per-process prefix of Idempotency-Keys, so runs against one ledger never collide.
    std::string key_prefix;
    std::atomic<std::uint64_t> errors_shown{0};
    std::mutex stderr_mutex;

    void ShowError(const std::string& text)
    {
        if (errors_shown.fetch_add(1) >= ERRORS_SHOWN_MAX) return;
        const std::lock_guard lock{stderr_mutex};
        std::cerr << "https_load: " << text << "\n";
    }
};

struct ThreadResult {
    std::vector<std::uint32_t> latencies_us; //!< Of successful requests in the window.
    std::uint64_t errors{0};
    std::uint64_t reconnects{0};
};

struct Request {
    std::string_view method;
    std::string target;
    std::string body;
    wijkbudget::test::Headers headers;
};

class RequestMaker
{
public:
    RequestMaker(const Options& options, const Shared& shared, std::size_t thread)
        : m_options{options}, m_shared{shared}, m_thread{thread}, m_random{std::random_device{}() +
                                                                           thread}
    {
        if (options.mode == Mode::grant) {
            // Small amounts: the benchmark must never run the pool or a budget line dry.
            m_grant_body = "{\"year\":" + std::to_string(options.year) +
                           ",\"category\":\"public_space\",\"amount_cents\":1}";
        }
    }

    Request Next()
    {
        switch (m_options.mode) {
        case Mode::grant: {
            Request request{
                "POST", "/api/v1/councils/" + m_options.council + "/grants", m_grant_body, {}};
            request.headers = {{"Authorization", "Bearer " + m_options.token},
                               {"Content-Type", "application/json"},
                               {"Idempotency-Key", m_shared.key_prefix + "-" +
                                                       std::to_string(m_thread) + "-" +
                                                       std::to_string(m_counter++)}};
            return request;
        }
        case Mode::entry:
            return {"GET", "/api/v1/ledger/entries/" + std::to_string(RandomIndex()), {}, {}};
        case Mode::proof:
            return {"GET",
                    "/api/v1/ledger/proofs/inclusion?index=" + std::to_string(RandomIndex()) +
                        "&size=" + std::to_string(m_options.max_index),
                    {},
                    {}};
        case Mode::static_file: return {"GET", m_options.path, {}, {}};
        }
        return {};
    }

private:
    std::uint64_t RandomIndex()
    {
        return std::uniform_int_distribution<std::uint64_t>{0, m_options.max_index - 1}(m_random);
    }

    const Options& m_options;
    const Shared& m_shared;
    std::size_t m_thread;
    std::mt19937_64 m_random;
    std::uint64_t m_counter{0};
    std::string m_grant_body;
};

void RunConnection(const Options& options, Shared& shared, std::size_t thread, ThreadResult& result)
{
    RequestMaker maker{options, shared, thread};
    std::optional<HttpsClient> client;
    bool first_connect = true;
    while (Clock::now() < shared.measure_end) {
        if (!client) {
            try {
                client.emplace(options.host, options.port, HttpsClientOptions{});
                if (!first_connect) ++result.reconnects;
                first_connect = false;
            } catch (const std::exception& error) {
                if (Clock::now() >= shared.measure_start) ++result.errors;
                shared.ShowError(std::string("connect: ") + error.what());
                std::this_thread::sleep_for(RECONNECT_PAUSE);
                continue;
            }
        }
        Request request = maker.Next();
        const Clock::time_point start = Clock::now();
        const bool counted = start >= shared.measure_start;
        try {
            const auto response = client->Send(request.method, request.target,
                                               std::move(request.body), request.headers);
            const Clock::time_point end = Clock::now();
            if (!response.keep_alive) client.reset();
            if (!counted || end > shared.measure_end) continue;
            if (response.status < 200 || response.status > 299) {
                ++result.errors;
                shared.ShowError(std::to_string(response.status) + " on " +
                                 std::string(request.method) + " " + request.target + ": " +
                                 response.body.substr(0, ERROR_BODY_SHOWN_MAX));
                continue;
            }
            const auto micros =
                std::chrono::duration_cast<std::chrono::microseconds>(end - start).count();
            result.latencies_us.push_back(static_cast<std::uint32_t>(micros));
        } catch (const std::exception& error) {
            client.reset();
            if (counted) ++result.errors;
            shared.ShowError(std::string(request.method) + " " + request.target + ": " +
                             error.what());
        }
    }
}

double Percentile(std::vector<std::uint32_t>& sorted_micros, double fraction)
{
    if (sorted_micros.empty()) return 0;
    const auto rank =
        static_cast<std::size_t>(fraction * static_cast<double>(sorted_micros.size() - 1));
    return static_cast<double>(sorted_micros[rank]) / 1000.0;
}

} // namespace

int main(int argc, char** argv)
{
    const Options options = ParseOptions(argc, argv);
    Shared shared;
    const auto now = Clock::now();
    shared.measure_start = now + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>{options.warmup});
    shared.measure_end = shared.measure_start + std::chrono::duration_cast<Clock::duration>(
                                                    std::chrono::duration<double>{options.seconds});
    shared.key_prefix =
        "bench-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());

    std::vector<ThreadResult> results(options.connections);
    std::vector<std::thread> threads;
    threads.reserve(options.connections);
    for (std::size_t thread = 0; thread < options.connections; ++thread) {
        threads.emplace_back(RunConnection, std::cref(options), std::ref(shared), thread,
                             std::ref(results[thread]));
    }
    for (auto& thread : threads)
        thread.join();

    std::vector<std::uint32_t> latencies;
    std::uint64_t errors = 0;
    std::uint64_t reconnects = 0;
    for (const auto& result : results) {
        latencies.insert(latencies.end(), result.latencies_us.begin(), result.latencies_us.end());
        errors += result.errors;
        reconnects += result.reconnects;
    }
    std::sort(latencies.begin(), latencies.end());
    const double rps = static_cast<double>(latencies.size()) / options.seconds;
    std::printf("{\"mode\":\"%s\",\"connections\":%zu,\"requests\":%zu,\"errors\":%llu,"
                "\"reconnects\":%llu,\"seconds\":%.1f,\"rps\":%.1f,\"p50_ms\":%.3f,"
                "\"p99_ms\":%.3f}\n",
                options.mode_name.c_str(), options.connections, latencies.size(),
                static_cast<unsigned long long>(errors),
                static_cast<unsigned long long>(reconnects), options.seconds, rps,
                Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    return errors == 0 ? 0 : 1;
}
