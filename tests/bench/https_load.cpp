// tests/bench/https_load.cpp: a closed-loop HTTPS load generator for tests/bench/service_bench.sh.
//
// Each connection is one keep-alive TLS connection that sends its next request as soon as the
// previous answer is read (closed loop: the rate is what the server sustains at that concurrency,
// and the latency is that of a server kept busy, not of an idle one). The connections are spread
// over --threads threads (default: min(2, connections), as service_bench.sh gives pgbench -j),
// each running its connections' completion handlers on an io_context of its own: a thread per
// connection cost the client three times pgbench's CPU per request (mostly switching threads),
// CPU the servers it measures share on a small machine. Requests that start during the warm-up
// are not counted; the measured window follows it. Every answer outside 2xx is an error. When the
// server asks to close (Connection: close, as both wijkbudget and nginx do after 1000 requests)
// the connection reconnects; the handshake counts in the window's wall time but in no request's
// latency, and the number of reconnects is printed.
//
// usage: https_load --port P --mode grant|entry|proof|static [--host H] [--connections N]
//                   [--threads T] [--seconds S] [--warmup S] [--token T] [--council C]
//                   [--path P] [--max-index I] [--year Y]
// Prints one line of JSON on stdout: mode, connections, threads, requests, errors, reconnects,
// seconds, rps, p50_ms, p99_ms. The first few errors go to stderr, from the warm-up on; a failed
// request counts as an error if it began in the window, even if its timeout fires after it.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

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
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using Clock = std::chrono::steady_clock;
using Stream = ssl::stream<beast::tcp_stream>;

//! Errors described on stderr; the rest are only counted, so a failing run stays readable.
constexpr std::uint64_t ERRORS_SHOWN_MAX{5};
//! Characters of an error body shown.
constexpr std::size_t ERROR_BODY_SHOWN_MAX{200};
//! Pause after a failed connect or handshake, so a server that is down is not hammered.
constexpr std::chrono::milliseconds RECONNECT_PAUSE{20};
constexpr std::size_t CONNECTIONS_MAX{1024};
constexpr std::size_t THREADS_MAX{64};
//! Every connect, handshake, write and read is bounded, so a stuck server ends the run.
constexpr std::chrono::seconds OPERATION_TIMEOUT{10};
//! An answer's body at most (a static file in static mode may be large).
constexpr std::uint64_t RESPONSE_BODY_BYTES_MAX{std::uint64_t{1} << 30};

enum class Mode { grant, entry, proof, static_file };

struct Options {
    std::string host{"127.0.0.1"};
    std::uint16_t port{0};
    std::size_t connections{1};
    std::size_t threads{0}; //!< 0: min(2, connections).
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
              << "                  [--connections N] [--threads T] [--seconds S] [--warmup S]\n"
              << "                  [--token T] [--council C] [--path P] [--max-index I]\n"
              << "                  [--year Y]\n";
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
        } else if (name == "--threads") {
            options.threads = ParseNumber<std::size_t>(name, value);
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
    if (options.threads == 0) options.threads = std::min<std::size_t>(2, options.connections);
    if (options.threads > THREADS_MAX || options.threads > options.connections) {
        Usage("--threads must be 1.." + std::to_string(THREADS_MAX) + " and at most --connections");
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
    std::vector<std::pair<std::string, std::string>> headers;
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

using Endpoints = net::ip::tcp::resolver::results_type;

//! Whether `host` is a name (which goes into SNI), not an IPv4 or IPv6 address.
bool IsHostName(const std::string& host)
{
    return std::none_of(host.begin(), host.end(), [](char c) { return c == ':'; }) &&
           !std::all_of(host.begin(), host.end(),
                        [](char c) { return c == '.' || (c >= '0' && c <= '9'); });
}

/**
 * One keep-alive connection's closed loop, driven by completion handlers on its thread's
 * io_context: connect, handshake, then write a request and read its answer until the window ends;
 * a connection the server closes starts over at once, one that fails after a pause. Owned by the
 * handlers in flight.
 */
class Connection : public std::enable_shared_from_this<Connection>
{
public:
    Connection(net::io_context& io_context, ssl::context& tls, const Options& options,
               const Endpoints& server, Shared& shared, RequestMaker& maker, ThreadResult& result)
        : m_io_context{io_context}, m_tls{tls}, m_options{options}, m_server{server},
          m_shared{shared}, m_maker{maker}, m_result{result}, m_pause{io_context}, m_host_name{
                                                                                       options.host}
    {}

    void Start() { Connect(); }

private:
    void Connect()
    {
        m_start = Clock::now();
        if (m_start >= m_shared.measure_end) return;
        m_stream.emplace(m_io_context, m_tls);
        if (IsHostName(m_options.host)) {
            // SSL_set_tlsext_host_name is a macro with a C-style cast.
            SSL_ctrl(m_stream->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                     TLSEXT_NAMETYPE_host_name, m_host_name.data());
        }
        m_buffer.clear();
        beast::get_lowest_layer(*m_stream).expires_after(OPERATION_TIMEOUT);
        beast::get_lowest_layer(*m_stream).async_connect(
            m_server, [self = shared_from_this()](beast::error_code error,
                                                  const net::ip::tcp::endpoint& /*endpoint*/) {
                if (error) return self->Failed("connect", error, true);
                beast::get_lowest_layer(*self->m_stream).expires_after(OPERATION_TIMEOUT);
                self->m_stream->async_handshake(
                    ssl::stream_base::client, [self](beast::error_code handshake) {
                        if (handshake) return self->Failed("handshake", handshake, true);
                        if (self->m_connected) ++self->m_result.reconnects;
                        self->m_connected = true;
                        self->SendNext();
                    });
            });
    }

    void SendNext()
    {
        if (Clock::now() >= m_shared.measure_end) return; // Done: the handlers let go of it.
        Request next = m_maker.Next();
        m_request = {};
        m_request.method_string(next.method);
        m_request.target(next.target);
        m_request.version(11);
        m_request.set(http::field::host, m_options.host);
        m_request.set(http::field::user_agent, "wijkbudget-https-load");
        for (const auto& [name, value] : next.headers)
            m_request.set(name, value);
        m_request.body() = std::move(next.body);
        m_request.prepare_payload();
        m_parser.emplace();
        m_parser->body_limit(RESPONSE_BODY_BYTES_MAX);
        m_start = Clock::now();
        beast::get_lowest_layer(*m_stream).expires_after(OPERATION_TIMEOUT);
        http::async_write(
            *m_stream, m_request,
            [self = shared_from_this()](beast::error_code error, std::size_t) {
                if (error) return self->Failed("write", error, false);
                beast::get_lowest_layer(*self->m_stream).expires_after(OPERATION_TIMEOUT);
                http::async_read(
                    *self->m_stream, self->m_buffer, *self->m_parser,
                    [self](beast::error_code read, std::size_t) { self->OnResponse(read); });
            });
    }

    void OnResponse(beast::error_code error)
    {
        if (error) return Failed("read", error, false);
        const Clock::time_point end = Clock::now();
        const bool counted = m_start >= m_shared.measure_start && end <= m_shared.measure_end;
        const auto& response = m_parser->get();
        const unsigned status = response.result_int();
        if (status < 200 || status > 299) {
            if (counted) ++m_result.errors;
            m_shared.ShowError(std::to_string(status) + " on " +
                               std::string(m_request.method_string()) + " " +
                               std::string(m_request.target()) + ": " +
                               response.body().substr(0, ERROR_BODY_SHOWN_MAX));
        } else if (counted) {
            const auto micros =
                std::chrono::duration_cast<std::chrono::microseconds>(end - m_start).count();
            m_result.latencies_us.push_back(static_cast<std::uint32_t>(micros));
        }
        if (response.keep_alive()) return SendNext();
        Connect();
    }

    /** A failure is counted when the request (or the connect) it ended began in the window,
     *  whenever it ended: a server that hangs shows as errors once the timeouts fire, though
     *  that is after the window. Always shown (the first few). A failed connect or handshake is
     *  retried after a pause, so a server that is down is not hammered in a tight loop; a
     *  connection lost otherwise starts over at once. */
    void Failed(const char* what, beast::error_code error, bool connecting)
    {
        if (m_start >= m_shared.measure_start && m_start < m_shared.measure_end) ++m_result.errors;
        m_shared.ShowError(std::string(what) + ": " + error.message());
        m_stream.reset();
        if (!connecting) return Connect();
        m_pause.expires_after(RECONNECT_PAUSE);
        m_pause.async_wait([self = shared_from_this()](beast::error_code) { self->Connect(); });
    }

    net::io_context& m_io_context;
    ssl::context& m_tls;
    const Options& m_options;
    const Endpoints& m_server;
    Shared& m_shared;
    RequestMaker& m_maker;
    ThreadResult& m_result;
    net::steady_timer m_pause;
    std::string m_host_name; //!< For SNI, which OpenSSL takes as a mutable C string.
    std::optional<Stream> m_stream;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_request;
    std::optional<http::response_parser<http::string_body>> m_parser;
    //! When the request in flight, or the connect under way, began.
    Clock::time_point m_start;
    bool m_connected{false}; //!< A handshake succeeded before: the next one is a reconnect.
};

//! One thread's connections, on an io_context of its own, until the window ends.
void RunThread(const Options& options, Shared& shared, const Endpoints& server, std::size_t thread,
               std::size_t connections, ThreadResult& result)
{
    net::io_context io_context{1};
    ssl::context tls{ssl::context::tls_client};
    tls.set_verify_mode(
        ssl::verify_none); // Load, not trust: the servers' certificate is a test one.
    RequestMaker maker{options, shared, thread};
    for (std::size_t connection = 0; connection < connections; ++connection) {
        std::make_shared<Connection>(io_context, tls, options, server, shared, maker, result)
            ->Start();
    }
    try {
        io_context.run();
    } catch (const std::exception& error) {
        // Out of memory and the like: this thread's connections end, counted as one error.
        ++result.errors;
        shared.ShowError(std::string("load thread: ") + error.what());
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

    net::io_context resolving;
    net::ip::tcp::resolver resolver{resolving};
    beast::error_code resolve_error;
    const Endpoints server =
        resolver.resolve(options.host, std::to_string(options.port), resolve_error);
    if (resolve_error || server.empty()) Usage("cannot resolve " + options.host);

    std::vector<ThreadResult> results(options.threads);
    std::vector<std::thread> threads;
    threads.reserve(options.threads);
    for (std::size_t thread = 0; thread < options.threads; ++thread) {
        // The connections split as evenly as they go: the first threads take one more.
        const std::size_t connections = options.connections / options.threads +
                                        (thread < options.connections % options.threads ? 1 : 0);
        threads.emplace_back(RunThread, std::cref(options), std::ref(shared), std::cref(server),
                             thread, connections, std::ref(results[thread]));
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
    std::printf("{\"mode\":\"%s\",\"connections\":%zu,\"threads\":%zu,\"requests\":%zu,"
                "\"errors\":%llu,"
                "\"reconnects\":%llu,\"seconds\":%.1f,\"rps\":%.1f,\"p50_ms\":%.3f,"
                "\"p99_ms\":%.3f}\n",
                options.mode_name.c_str(), options.connections, options.threads, latencies.size(),
                static_cast<unsigned long long>(errors),
                static_cast<unsigned long long>(reconnects), options.seconds, rps,
                Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    return errors == 0 ? 0 : 1;
}
