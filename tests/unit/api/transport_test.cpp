// tests/unit/api/transport_test.cpp: the HTTPS transport against a real listener on 127.0.0.1:0,
// a fake Handler and the test client (tests/support/https/). It lives with the unit tests because
// it needs no database and runs in about two seconds.

#include "api/handler.hpp"
#include "api/metrics.hpp"
#include "api/problem.hpp"
#include "api/server.hpp"
#include "tests/support/https/https_client.hpp"
#include "tests/unit/api/date_field.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/json.hpp>
#include <boost/system/errc.hpp>
#include <boost/system/system_error.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using test::HttpsClient;
using test::HttpsClientOptions;
using test::TlsVersion;

const std::string CERTIFICATE_PATH{WB_TEST_DATA_DIR "/support/tls/cert.pem"};
const std::string KEY_PATH{WB_TEST_DATA_DIR "/support/tls/key.pem"};
constexpr std::size_t STREAM_CHUNKS{50};

std::string StreamChunk(std::size_t index)
{
    return "chunk-" + std::to_string(index) + ";";
}

Reply TextReply(std::string body, std::string route)
{
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "text/plain");
    reply.response.body() = std::move(body);
    reply.route = std::move(route);
    return reply;
}

//! Answers by target; records what the transport handed it and on which thread.
//! The chunks of /endless, which never ends.
constexpr std::size_t ENDLESS_CHUNK_BYTES{64 * 1024};

class FakeHandler : public Handler
{
public:
    void Handle(Request request, const RequestInfo& info, Respond respond) override
    {
        {
            const std::lock_guard lock{m_mutex};
            m_threads.push_back(std::this_thread::get_id());
            m_request_ids.push_back(info.request_id);
        }
        ++m_calls;
        const std::string full_target{request.target()};
        const std::string target = full_target.substr(0, full_target.find('?'));
        if (target == "/echo") return respond(TextReply(request.body(), "POST /echo"));
        if (target == "/slow") {
            m_slow_entered.set_value();
            m_slow_release.get_future().wait();
            return respond(TextReply("slow done", "GET /slow"));
        }
        if (target == "/stream" || target == "/stream-error") {
            const bool fail = target == "/stream-error";
            Reply reply = TextReply({}, "GET /stream");
            auto next = std::make_shared<std::size_t>(0);
            reply.stream = [next, fail]() -> boost::system::result<std::optional<std::string>> {
                const std::size_t index = (*next)++;
                if (fail && index == 3) {
                    return boost::system::errc::make_error_code(boost::system::errc::io_error);
                }
                if (index == STREAM_CHUNKS) return std::optional<std::string>{};
                return std::optional<std::string>{StreamChunk(index)};
            };
            return respond(std::move(reply));
        }
        if (target == "/endless") {
            // More than any socket buffer holds, for a client that never reads.
            Reply reply = TextReply({}, "GET /endless");
            reply.stream = [this]() -> boost::system::result<std::optional<std::string>> {
                ++m_endless_chunks;
                return std::optional<std::string>{std::string(ENDLESS_CHUNK_BYTES, 'x')};
            };
            return respond(std::move(reply));
        }
        if (target == "/no-content") {
            // With ?stray, a handler that leaves text in a 204's body: it must not be sent.
            Reply reply =
                TextReply(full_target.ends_with("?stray") ? "stray" : "", "DELETE /no-content");
            reply.response.result(http::status::no_content);
            return respond(std::move(reply));
        }
        if (target == "/throw") throw std::runtime_error{"handler bug"};
        if (target == "/later") {
            // Answer from a thread of its own, as the sequencer does after a commit.
            // Joined before the server goes: a respond callable keeps its session alive.
            const std::lock_guard lock{m_mutex};
            m_answer_threads.emplace_back([respond = std::move(respond)] {
                std::this_thread::sleep_for(10ms);
                respond(TextReply("later", "GET /later"));
            });
            return;
        }
        respond(MakeProblem(http::status::not_found, "not_found", "Not found", "No such route."));
    }

    //! `/where` is answered on the I/O thread, which it records: the connection's thread.
    std::optional<Reply> AnswerFromMemory(const Request& request) override
    {
        if (request.target() != "/where") return std::nullopt;
        const std::lock_guard lock{m_mutex};
        m_io_threads.insert(std::this_thread::get_id());
        return TextReply("here", "GET /where");
    }
    /** POST `/taken` is taken on the I/O thread, which it records, and answered from a thread
     *  of its own, as a write is once its batch committed; `/taken-now` is answered at once. */
    bool TakeWithoutBlocking(const Request& request, const RequestInfo& /*info*/,
                             const Respond& respond) override
    {
        if (request.target() != "/taken" && request.target() != "/taken-now") return false;
        const std::lock_guard lock{m_mutex};
        m_io_threads.insert(std::this_thread::get_id());
        if (request.target() == "/taken-now") {
            respond(TextReply("now", "POST /taken-now"));
            return true;
        }
        m_answer_threads.emplace_back([respond, body = request.body()] {
            std::this_thread::sleep_for(10ms);
            respond(TextReply(body, "POST /taken"));
        });
        return true;
    }
    std::set<std::thread::id> IoThreads()
    {
        const std::lock_guard lock{m_mutex};
        return m_io_threads;
    }

    std::vector<std::thread::id> Threads()
    {
        const std::lock_guard lock{m_mutex};
        return m_threads;
    }
    void JoinAnswerThreads()
    {
        const std::lock_guard lock{m_mutex};
        for (auto& thread : m_answer_threads)
            thread.join();
        m_answer_threads.clear();
    }
    std::vector<std::string> RequestIds()
    {
        const std::lock_guard lock{m_mutex};
        return m_request_ids;
    }

    std::atomic<int> m_calls{0};
    std::atomic<int> m_endless_chunks{0};
    std::promise<void> m_slow_entered;
    std::promise<void> m_slow_release;

private:
    std::mutex m_mutex;
    std::vector<std::thread::id> m_threads;
    std::set<std::thread::id> m_io_threads;
    std::vector<std::string> m_request_ids;
    std::vector<std::thread> m_answer_threads;
};

class TransportTest : public ::testing::Test
{
protected:
    FakeHandler m_handler;
    Metrics m_metrics;
    std::ostringstream m_log; //!< Read only after StopServer(): the server writes it.
    std::unique_ptr<Server> m_server;
    std::future<void> m_run;
    std::thread::id m_io_thread;

    static ServerOptions FastOptions()
    {
        ServerOptions options;
        options.port = 0;
        options.io_threads = 1;
        options.worker_threads = 4;
        options.certificate_chain_path = CERTIFICATE_PATH;
        options.private_key_path = KEY_PATH;
        options.handle_signals = false;
        options.session.handshake_timeout = 2s;
        options.session.read_timeout = 2s;
        options.session.write_timeout = 2s;
        options.session.keep_alive_idle_timeout = 10s;
        options.session.shutdown_timeout = 500ms;
        options.drain_timeout = 5s;
        return options;
    }

    void StartServer(ServerOptions options = FastOptions())
    {
        m_server = std::make_unique<Server>(std::move(options), m_handler, m_metrics, m_log);
        std::promise<std::thread::id> started;
        auto io_thread = started.get_future();
        m_run = std::async(std::launch::async, [this, &started] {
            started.set_value(std::this_thread::get_id());
            m_server->Run();
        });
        m_io_thread = io_thread.get();
    }

    //! Stops the server and waits for Run() to return; false if it did not within 10 s.
    bool StopServer()
    {
        if (!m_server) return true;
        m_server->Stop();
        const bool stopped = m_run.wait_for(10s) == std::future_status::ready;
        m_handler.JoinAnswerThreads();
        if (stopped) m_server.reset();
        return stopped;
    }

    void TearDown() override
    {
        try {
            m_handler.m_slow_release.set_value(); // Never leave a worker blocked.
        } catch (const std::future_error&) {
        }
        ASSERT_TRUE(StopServer());
    }

    /** With the drain begun and /slow's handler held: Run() has not returned; once released,
     *  the request is answered in full, as the connection's last, and then Run() returns. */
    void ExpectTheDrainWaitsForTheSlowRequest(std::future<test::HttpsResponse>& slow)
    {
        EXPECT_NE(m_run.wait_for(100ms), std::future_status::ready)
            << "stopped with a request in flight";
        m_handler.m_slow_release.set_value();
        const auto response = slow.get();
        EXPECT_EQ(response.status, 200U);
        EXPECT_EQ(response.body, "slow done");
        EXPECT_FALSE(response.keep_alive);
        EXPECT_EQ(m_run.wait_for(5s), std::future_status::ready);
    }

    HttpsClient Connect(TlsVersion version = TlsVersion::any)
    {
        HttpsClientOptions options;
        options.tls_version = version;
        options.trusted_certificate_path = CERTIFICATE_PATH;
        options.timeout = 3s;
        return HttpsClient{"127.0.0.1", m_server->Port(), options};
    }

    //! With a server that takes two connections: a third is closed at once, and once the first ends
    //! a new one is served (the server learns of the end a little later).
    void ExpectATwoConnectionLimit()
    {
        auto first = Connect();
        auto second = Connect();
        EXPECT_EQ(first.Send("POST", "/echo", "x").status, 200U);
        EXPECT_EQ(second.Send("POST", "/echo", "y").status, 200U);
        EXPECT_THROW(Connect(), boost::system::system_error);
        first.Close();
        bool connected = false;
        for (int attempt = 0; attempt < 100 && !connected; ++attempt) {
            try {
                auto third = Connect();
                connected = third.Send("POST", "/echo", "z").status == 200U;
            } catch (const boost::system::system_error&) {
                std::this_thread::sleep_for(20ms);
            }
        }
        EXPECT_TRUE(connected);
    }

    //! A request that stops short (`bytes`, then nothing) is let go at a 200 ms read timeout.
    //! The log's records, once the server stopped.
    std::vector<boost::json::object> LogRecords()
    {
        EXPECT_TRUE(StopServer());
        std::istringstream lines{m_log.str()};
        std::vector<boost::json::object> records;
        for (std::string line; std::getline(lines, line);)
            records.push_back(boost::json::parse(line).as_object());
        return records;
    }

    //! A request begun and never finished is let go, and logged as cut with `status`.
    void ExpectOneUnfinishedRequestLogged(unsigned status, std::string_view method)
    {
        const auto records = LogRecords();
        ASSERT_EQ(records.size(), 1U) << m_log.str();
        EXPECT_EQ(records[0].at("status").as_int64(), status);
        EXPECT_EQ(records[0].at("cut").as_bool(), true);
        EXPECT_EQ(records[0].at("method").as_string(), method);
        EXPECT_NE(
            m_metrics.Render().find("wijkbudget_http_responses_cut_total{route=\"unmatched\"} 1\n"),
            std::string::npos);
    }

    void ExpectAPartialRequestLetGoAtTheReadTimeout(std::string_view bytes, std::string_view method)
    {
        auto options = FastOptions();
        options.session.read_timeout = 200ms;
        StartServer(options);
        auto client = Connect();
        client.WriteRaw(bytes);
        const auto start = std::chrono::steady_clock::now();
        EXPECT_NE(client.WaitForClose(3s), boost::beast::error::timeout);
        EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
        ExpectOneUnfinishedRequestLogged(408, method);
    }

    //! Sends `request` as it is on a new connection: the answer must be the problem `status`
    //! with `code`, on a connection the server then closes.
    void ExpectRawRequestRefused(const std::string& request, unsigned status, std::string_view code)
    {
        auto client = Connect();
        client.WriteRaw(request);
        const auto response = client.TryReadResponse();
        ASSERT_TRUE(response.has_value()) << response.error().message();
        EXPECT_EQ(response->status, status);
        EXPECT_EQ(ProblemBody(*response).at("code").as_string(), code);
        EXPECT_FALSE(response->keep_alive);
    }

    static boost::json::object ProblemBody(const test::HttpsResponse& response)
    {
        EXPECT_EQ(response.Header("Content-Type"), PROBLEM_CONTENT_TYPE);
        return boost::json::parse(response.body).as_object();
    }
};

bool IsRandomRequestId(const std::string& id)
{
    return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_F(TransportTest, KeepAliveServesSeveralRequestsOnOneConnection)
{
    StartServer();
    auto client = Connect();
    const std::time_t start = std::time(nullptr);
    for (int i = 0; i < 3; ++i) {
        const std::string body = "request " + std::to_string(i);
        const auto response = client.Send("POST", "/echo", body);
        EXPECT_EQ(response.status, 200U);
        EXPECT_EQ(response.body, body);
        EXPECT_TRUE(response.keep_alive);
        EXPECT_EQ(response.Header("Server"), SERVER_NAME);
        EXPECT_TRUE(test::IsDateSince(response.Header("Date"), start)) << response.Header("Date");
        EXPECT_TRUE(IsRandomRequestId(response.Header("X-Request-Id")));
    }
    EXPECT_EQ(m_handler.m_calls.load(), 3);
}

TEST_F(TransportTest, NoContentCarriesNeitherBodyNorContentLength)
{
    StartServer();
    auto client = Connect();
    // RFC 9110 section 8.6: a 204 has no Content-Length. The connection stays usable after it.
    for (const std::string target : {"/no-content", "/no-content?stray"}) {
        const auto answered = client.Send("DELETE", target);
        EXPECT_EQ(answered.status, 204U) << target;
        EXPECT_TRUE(answered.body.empty()) << target;
        EXPECT_EQ(answered.Header("Content-Length"), "") << target;
        EXPECT_TRUE(answered.keep_alive) << target;
    }
    const auto next = client.Send("POST", "/echo", "after");
    EXPECT_EQ(next.status, 200U);
    EXPECT_EQ(next.body, "after");
}

TEST_F(TransportTest, PipelinedAndSplitRequestsAreEachAnsweredOnce)
{
    StartServer();
    auto client = Connect();
    // Two whole requests in one write: both parsed from what the first read buffered.
    client.WriteRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\none"
                    "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\ntwo");
    for (const std::string expected : {"one", "two"}) {
        const auto response = client.TryReadResponse();
        ASSERT_TRUE(response.has_value()) << response.error().message();
        EXPECT_EQ(response->status, 200U);
        EXPECT_EQ(response->body, expected);
    }
    // One request in three writes, the header cut in two and the body after a pause: what the
    // first read buffered is not a request yet, so the rest is read as it comes.
    client.WriteRaw("POST /echo HTTP/1.1\r\nHost: loc");
    std::this_thread::sleep_for(50ms);
    client.WriteRaw("alhost\r\nContent-Length: 5\r\n\r\nth");
    std::this_thread::sleep_for(50ms);
    client.WriteRaw("ree");
    const auto split = client.TryReadResponse();
    ASSERT_TRUE(split.has_value()) << split.error().message();
    EXPECT_EQ(split->status, 200U);
    EXPECT_EQ(split->body, "three");
    EXPECT_TRUE(split->keep_alive);
    EXPECT_EQ(m_handler.m_calls.load(), 3);
}

TEST_F(TransportTest, HandlerRunsOnWorkerPoolAndMayAnswerFromAnyThread)
{
    StartServer();
    auto client = Connect();
    EXPECT_EQ(client.Send("GET", "/later").body, "later");
    EXPECT_EQ(client.Send("POST", "/echo", "x").body, "x");
    for (const auto& thread : m_handler.Threads())
        EXPECT_NE(thread, m_io_thread);
}

TEST_F(TransportTest, ATakenRequestSkipsTheWorkerPoolAndMayBeAnsweredFromAnyThread)
{
    StartServer();
    auto client = Connect();
    EXPECT_EQ(client.Send("POST", "/taken", "kept").body, "kept");
    EXPECT_EQ(client.Send("POST", "/taken-now").body, "now");
    EXPECT_EQ(client.Send("POST", "/echo", "x").body, "x"); // Not taken: the worker pool's.
    const auto second = client.Send("POST", "/taken", "again");
    EXPECT_EQ(second.body, "again");
    EXPECT_TRUE(second.keep_alive);
    EXPECT_EQ(m_handler.m_calls.load(), 1) << "a taken request went to the worker pool too";
    EXPECT_EQ(m_handler.IoThreads(), std::set<std::thread::id>{m_io_thread});
}

TEST_F(TransportTest, ClosesConnectionAfterRequestsPerConnectionMax)
{
    auto options = FastOptions();
    options.session.requests_per_connection_max = 2;
    StartServer(options);
    auto client = Connect();
    EXPECT_TRUE(client.Send("POST", "/echo", "1").keep_alive);
    const auto second = client.Send("POST", "/echo", "2");
    EXPECT_EQ(second.status, 200U);
    EXPECT_FALSE(second.keep_alive);
    EXPECT_NE(client.WaitForClose(2s), boost::beast::error::timeout);
}

TEST_F(TransportTest, BodyAtTheLimitIsServed)
{
    StartServer();
    auto client = Connect();
    const std::string body(REQUEST_BODY_BYTES_MAX, 'b');
    const auto response = client.Send("POST", "/echo", body);
    EXPECT_EQ(response.status, 200U);
    EXPECT_EQ(response.body.size(), body.size());
}

TEST_F(TransportTest, OversizedBodyGets413BeforeTheBodyIsSent)
{
    StartServer();
    auto client = Connect();
    // Only the header and ten bytes: the answer must come from the Content-Length alone.
    client.WriteRaw("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " +
                    std::to_string(REQUEST_BODY_BYTES_MAX + 1) + "\r\n\r\n0123456789");
    const auto response = client.TryReadResponse();
    ASSERT_TRUE(response.has_value()) << response.error().message();
    EXPECT_EQ(response->status, 413U);
    const auto problem = ProblemBody(*response);
    EXPECT_EQ(problem.at("code").as_string(), "body_too_large");
    EXPECT_EQ(problem.at("status").as_int64(), 413);
    EXPECT_EQ(problem.at("request_id").as_string(), response->Header("X-Request-Id"));
    EXPECT_FALSE(response->keep_alive);
    EXPECT_EQ(m_handler.m_calls.load(), 0);
}

TEST_F(TransportTest, OversizedBodySentWholeStillGets413)
{
    StartServer();
    auto client = Connect();
    // The client writes all 64 KiB + 1 before it reads: the server's lingering close keeps the
    // unread bytes from turning into a reset that would destroy the answer.
    const auto response =
        client.Send("POST", "/echo", std::string(REQUEST_BODY_BYTES_MAX + 1, 'b'));
    EXPECT_EQ(response.status, 413U);
    EXPECT_EQ(m_handler.m_calls.load(), 0);
}

TEST_F(TransportTest, OversizedHeaderGets431)
{
    StartServer();
    auto client = Connect();
    const auto response = client.Send("GET", "/echo", {},
                                      {{"X-Padding", std::string(REQUEST_HEADER_BYTES_MAX, 'p')}});
    EXPECT_EQ(response.status, 431U);
    EXPECT_EQ(ProblemBody(response).at("code").as_string(), "header_too_large");
    EXPECT_FALSE(response.Header("X-Request-Id").empty());
    EXPECT_EQ(m_handler.m_calls.load(), 0);

    // Beast's parser limits the request line and the fields each on its own, and a chunked
    // body's trailer (whose fields it adds to the header) not at all: the limit is for them
    // together. A long target with fields just under the limit, and fields in a trailer.
    const std::string padding(REQUEST_HEADER_BYTES_MAX - 100, 'p');
    const std::string long_target = "/echo?" + std::string(2000, 'q');
    const std::string in_trailer = "POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n"
                                   "X-Trailer: " +
                                   padding + "\r\nX-More: " + padding + "\r\n\r\n";
    for (const std::string& request :
         {"GET " + long_target + " HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + padding +
              "\r\n\r\n",
          in_trailer})
        ExpectRawRequestRefused(request, 431, "header_too_large");
    EXPECT_EQ(m_handler.m_calls.load(), 0);
    // The long target alone, within the limit, is served (the 431 closed the first connection).
    EXPECT_EQ(Connect().Send("GET", long_target).status, 200U);
}

TEST_F(TransportTest, GarbageGets400AndTheConnectionCloses)
{
    StartServer();
    auto client = Connect();
    client.WriteRaw("HELLO THERE\r\n\r\n");
    const auto response = client.TryReadResponse();
    ASSERT_TRUE(response.has_value()) << response.error().message();
    EXPECT_EQ(response->status, 400U);
    EXPECT_EQ(ProblemBody(*response).at("code").as_string(), "http_malformed");
    EXPECT_FALSE(response->keep_alive);
    EXPECT_NE(client.WaitForClose(2s), boost::beast::error::timeout);
}

TEST_F(TransportTest, AnEndlessChunkHeaderOrTrailerGets400InsteadOfGrowingTheBuffer)
{
    StartServer();
    // Beast's parser bounds neither a chunk's extensions nor the trailer: only the session's
    // buffer does. Without that bound the server read on until its deadline and never answered.
    const std::string start{"POST /echo HTTP/1.1\r\nHost: localhost\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n"};
    for (const std::string& endless :
         {start + "1;" + std::string(REQUEST_BUFFER_BYTES_MAX, 'x'),
          start + "2\r\nab\r\n0\r\nX-Trailer: " + std::string(REQUEST_BUFFER_BYTES_MAX, 't')})
        ExpectRawRequestRefused(endless, 400, "http_malformed");
    // A chunked body within the limits is still read whole.
    auto client = Connect();
    client.WriteRaw(start + "3;note=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n");
    const auto echoed = client.TryReadResponse();
    ASSERT_TRUE(echoed.has_value()) << echoed.error().message();
    EXPECT_EQ(echoed->status, 200U);
    EXPECT_EQ(echoed->body, "abcde");
    EXPECT_EQ(m_handler.m_calls.load(), 1);
}

TEST_F(TransportTest, RequestIdFromClientIsKeptWhenSafe)
{
    StartServer();
    auto client = Connect();
    const auto kept = client.Send("POST", "/echo", "x", {{"X-Request-Id", "trace-42.a:b_c"}});
    EXPECT_EQ(kept.Header("X-Request-Id"), "trace-42.a:b_c");
    const auto replaced = client.Send("POST", "/echo", "x", {{"X-Request-Id", "bad id\"}"}});
    EXPECT_TRUE(IsRandomRequestId(replaced.Header("X-Request-Id")));
    const auto too_long = client.Send(
        "POST", "/echo", "x", {{"X-Request-Id", std::string(REQUEST_ID_CHARS_MAX + 1, 'a')}});
    EXPECT_TRUE(IsRandomRequestId(too_long.Header("X-Request-Id")));
    const auto ids = m_handler.RequestIds();
    ASSERT_EQ(ids.size(), 3U);
    EXPECT_EQ(ids[0], "trace-42.a:b_c");
    EXPECT_EQ(ids[1], replaced.Header("X-Request-Id"));
}

TEST_F(TransportTest, ProblemFromHandlerCarriesTheRequestId)
{
    StartServer();
    auto client = Connect();
    const auto response = client.Send("GET", "/nowhere");
    EXPECT_EQ(response.status, 404U);
    const auto problem = ProblemBody(response);
    EXPECT_EQ(problem.at("code").as_string(), "not_found");
    EXPECT_EQ(problem.at("request_id").as_string(), response.Header("X-Request-Id"));
    EXPECT_EQ(problem.at("type").as_string(), "urn:wijkbudget:problem:not_found");
}

TEST_F(TransportTest, StreamedReplyArrivesChunkedAndIntact)
{
    StartServer();
    auto client = Connect();
    const auto response = client.Send("GET", "/stream");
    EXPECT_EQ(response.status, 200U);
    EXPECT_TRUE(response.chunked);
    std::string expected;
    for (std::size_t i = 0; i < STREAM_CHUNKS; ++i)
        expected += StreamChunk(i);
    EXPECT_EQ(response.body, expected);
    // The connection stays usable after the last chunk.
    EXPECT_EQ(client.Send("POST", "/echo", "after").body, "after");
}

TEST_F(TransportTest, StreamedReplyToHttp10EndsWithTheConnectionInsteadOfInChunks)
{
    StartServer();
    auto client = Connect();
    // HTTP/1.0 has no chunked coding: such a client would read the size lines as the body.
    client.WriteRaw("GET /stream HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n");
    const auto response = client.TryReadResponse();
    ASSERT_TRUE(response.has_value()) << response.error().message();
    EXPECT_EQ(response->status, 200U);
    EXPECT_FALSE(response->chunked);
    EXPECT_EQ(response->Header("Transfer-Encoding"), "");
    EXPECT_FALSE(response->keep_alive);
    std::string expected;
    for (std::size_t i = 0; i < STREAM_CHUNKS; ++i)
        expected += StreamChunk(i);
    EXPECT_EQ(response->body, expected);
    // A failed stream ends without TLS's close_notify, so it still cannot pass for complete.
    auto failing = Connect();
    failing.WriteRaw("GET /stream-error HTTP/1.0\r\nHost: localhost\r\n\r\n");
    EXPECT_FALSE(failing.TryReadResponse().has_value());
}

TEST_F(TransportTest, StreamErrorCutsTheConnectionWithoutTheLastChunk)
{
    StartServer();
    auto client = Connect();
    client.WriteRaw("GET /stream-error HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const auto response = client.TryReadResponse();
    ASSERT_FALSE(response.has_value()) << "a failed stream must not look complete";
    EXPECT_NE(response.error(), boost::beast::error::timeout);
    // Its 200 went out, but the log and the metrics say the answer was cut off.
    ASSERT_TRUE(StopServer());
    const auto record = boost::json::parse(m_log.str()).as_object();
    EXPECT_EQ(record.at("status").as_int64(), 200);
    EXPECT_EQ(record.at("cut").as_bool(), true);
    EXPECT_NE(
        m_metrics.Render().find("wijkbudget_http_responses_cut_total{route=\"GET /stream\"} 1\n"),
        std::string::npos);
}

TEST_F(TransportTest, HandlerExceptionGives500)
{
    StartServer();
    auto client = Connect();
    const auto response = client.Send("GET", "/throw");
    EXPECT_EQ(response.status, 500U);
    EXPECT_EQ(ProblemBody(response).at("code").as_string(), "internal_error");
    EXPECT_EQ(client.Send("POST", "/echo", "still here").status, 200U);
}

TEST_F(TransportTest, HalfAHeaderIsDisconnectedAfterTheReadTimeout)
{
    // The header never ended, so neither its method nor its target is known.
    ExpectAPartialRequestLetGoAtTheReadTimeout("GET /echo HTTP/1.1\r\nHost: local", "");
}

TEST_F(TransportTest, HalfABodyIsDisconnectedAfterTheReadTimeout)
{
    ExpectAPartialRequestLetGoAtTheReadTimeout(
        "POST /echo HTTP/1.1\r\nHost: local\r\nContent-Length: 100\r\n\r\n0123456789", "POST");
    EXPECT_EQ(m_handler.m_calls.load(), 0);
}

TEST_F(TransportTest, ARequestCutOffByAResetIsLoggedAsUnfinished)
{
    StartServer();
    auto client = Connect();
    client.WriteRaw("POST /echo HTTP/1.1\r\nHost: local\r\nContent-Length: 100\r\n\r\n0123");
    std::this_thread::sleep_for(100ms); // The server is reading the body when the reset comes.
    client.Reset();
    // Not a timeout: the server learns of the reset at once and logs the request it will not
    // answer. Read after the drain, which waits for that.
    std::this_thread::sleep_for(200ms);
    ExpectOneUnfinishedRequestLogged(400, "POST");
    EXPECT_EQ(m_handler.m_calls.load(), 0);
}

TEST_F(TransportTest, ATcpClientThatNeverBeginsTlsIsDisconnectedAfterTheHandshakeTimeout)
{
    auto options = FastOptions();
    options.session.handshake_timeout = 200ms;
    StartServer(options);
    const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(socket, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_server->Port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    timeval wait{3, 0}; // recv gives up after 3 s: a server that never closes fails the test.
    ASSERT_EQ(::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait), 0);
    const auto start = std::chrono::steady_clock::now();
    char byte = 0;
    const ssize_t received = ::recv(socket, &byte, 1, 0);
    const int error = errno;
    const auto waited = std::chrono::steady_clock::now() - start;
    ::close(socket);
    // Closed (0) or reset, not timed out (EAGAIN): the server let go of the silent connection.
    EXPECT_TRUE(received == 0 || (received < 0 && error != EAGAIN && error != EWOULDBLOCK))
        << received << " " << std::strerror(error);
    EXPECT_LT(waited, 2s);
}

TEST_F(TransportTest, AClientThatNeverReadsIsDisconnectedAfterTheWriteTimeout)
{
    auto options = FastOptions();
    options.session.write_timeout = 200ms;
    StartServer(options);
    auto client = Connect();
    client.WriteRaw("GET /endless HTTP/1.1\r\nHost: local\r\n\r\n");
    // Not reading: the socket buffers fill, the server's write waits, and its deadline passes.
    std::this_thread::sleep_for(1500ms);
    const int produced = m_handler.m_endless_chunks.load();
    EXPECT_GT(produced, 0);
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(m_handler.m_endless_chunks.load(), produced) << "the server still writes";
    // What the buffers held arrives, then the end: the connection was closed, not kept.
    EXPECT_NE(client.WaitForClose(3s), boost::beast::error::timeout);
}

TEST_F(TransportTest, IdleKeepAliveConnectionIsClosedAfterItsTimeout)
{
    auto options = FastOptions();
    options.session.keep_alive_idle_timeout = 200ms;
    StartServer(options);
    auto client = Connect();
    EXPECT_EQ(client.Send("POST", "/echo", "x").status, 200U);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_NE(client.WaitForClose(3s), boost::beast::error::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    // No request was begun after the answer: one line, the answered one.
    const auto records = LogRecords();
    ASSERT_EQ(records.size(), 1U) << m_log.str();
    EXPECT_EQ(records[0].at("status").as_int64(), 200);
    EXPECT_FALSE(records[0].contains("cut"));
}

TEST_F(TransportTest, RequestsBeyondTheWorkersQueueGet503AtOnce)
{
    auto options = FastOptions();
    options.worker_threads = 1;
    options.session.queued_requests_max = 2;
    StartServer(options);
    // The only worker is held; two more requests wait for it, which the queue allows.
    auto holder = Connect();
    auto slow = std::async(std::launch::async, [&holder] { return holder.Send("GET", "/slow"); });
    m_handler.m_slow_entered.get_future().wait();
    auto queued_a = Connect();
    auto queued_b = Connect();
    std::vector<std::future<test::HttpsResponse>> waiting;
    for (HttpsClient* client : {&queued_a, &queued_b})
        waiting.push_back(std::async(std::launch::async,
                                     [client] { return client->Send("POST", "/echo", "queued"); }));
    // Both reach the queue: each is sent at once, and a second is ample even under ASan.
    std::this_thread::sleep_for(1s);

    auto late = Connect();
    const auto start = std::chrono::steady_clock::now();
    const auto busy = late.Send("POST", "/echo", "late");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "it waited for the worker";
    EXPECT_EQ(busy.status, 503U) << busy.body;
    EXPECT_EQ(ProblemBody(busy).at("code").as_string(), "server_busy");
    EXPECT_EQ(busy.Header("Retry-After"), "1");

    // The queued ones are served once the worker is free, and so is a request after them.
    m_handler.m_slow_release.set_value();
    EXPECT_EQ(slow.get().status, 200U);
    for (auto& response : waiting) {
        const auto answered = response.get();
        EXPECT_EQ(answered.status, 200U);
        EXPECT_EQ(answered.body, "queued");
    }
    EXPECT_EQ(late.Send("POST", "/echo", "again").status, 200U);
}

TEST_F(TransportTest, ConnectionsBeyondTheLimitAreClosedAtOnce)
{
    auto options = FastOptions();
    options.session.connections_max = 2;
    StartServer(options);
    ExpectATwoConnectionLimit();
}

TEST_F(TransportTest, OneClientsConnectionsBeyondItsOwnLimitAreClosedAtOnce)
{
    // One client must not take every place: here the server's limit is far above the client's.
    auto options = FastOptions();
    options.session.connections_per_client_max = 2;
    options.session.limit_loopback_clients = true; // The test's client is on loopback.
    StartServer(options);
    ExpectATwoConnectionLimit();
}

TEST_F(TransportTest, LoopbackIsNotLimitedPerClientUnlessAsked)
{
    // A reverse proxy on this host is every client at once.
    auto options = FastOptions();
    options.session.connections_per_client_max = 1;
    StartServer(options);
    auto first = Connect();
    auto second = Connect();
    EXPECT_EQ(first.Send("POST", "/echo", "x").status, 200U);
    EXPECT_EQ(second.Send("POST", "/echo", "y").status, 200U);
}

TEST_F(TransportTest, SigtermDrainsInFlightRequestAndRefusesNewConnections)
{
    auto options = FastOptions();
    options.handle_signals = true;
    options.session.keep_alive_idle_timeout = 30s; // The drain, not the timeout, must close it.
    StartServer(options);
    auto idle = Connect();
    EXPECT_EQ(idle.Send("POST", "/echo", "x").status, 200U);
    auto busy = Connect();
    auto slow = std::async(std::launch::async, [&busy] { return busy.Send("GET", "/slow"); });
    m_handler.m_slow_entered.get_future().wait();

    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    bool refused = false;
    for (int attempt = 0; attempt < 100 && !refused; ++attempt) {
        try {
            Connect();
            std::this_thread::sleep_for(20ms);
        } catch (const boost::system::system_error&) {
            refused = true;
        }
    }
    EXPECT_TRUE(refused);
    // The drain gave the signals back: a second one would end the process at once.
    for (const int signal : {SIGTERM, SIGINT}) {
        struct sigaction action {
        };
        ASSERT_EQ(::sigaction(signal, nullptr, &action), 0);
        EXPECT_EQ(action.sa_handler, SIG_DFL) << "signal " << signal << " is still caught";
    }
    EXPECT_NE(idle.WaitForClose(3s), boost::beast::error::timeout);
    ExpectTheDrainWaitsForTheSlowRequest(slow);
}

TEST_F(TransportTest, StopClosesIdleConnectionsPromptly)
{
    StartServer(); // Keep-alive idle timeout 10 s: Run() must not wait for it.
    auto client = Connect();
    EXPECT_EQ(client.Send("POST", "/echo", "x").status, 200U);
    const auto start = std::chrono::steady_clock::now();
    m_server->Stop();
    EXPECT_EQ(m_run.wait_for(5s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(TransportTest, ADrainGivesARequestStillArrivingOnlyAShortWhile)
{
    auto options = FastOptions();
    options.session.read_timeout = 10s; // Longer than the drain: it must not be waited for.
    options.session.drain_read_timeout = 200ms;
    options.drain_timeout = 5s;
    StartServer(options);
    auto client = Connect();
    client.WriteRaw("GET /echo HTTP/1.1\r\nHost: local"); // Half a header, then nothing.
    std::this_thread::sleep_for(200ms);
    const auto start = std::chrono::steady_clock::now();
    m_server->Stop();
    EXPECT_EQ(m_run.wait_for(5s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s) << "the drain waited for the trickle";
    ExpectOneUnfinishedRequestLogged(503, "");
}

TEST_F(TransportTest, SeveralIoThreadsShareTheConnectionsAndStopEndsThemAll)
{
    // One io_context per I/O thread: the connections go to each in turn, and the drain must let
    // every one of them finish, the idle ones too.
    auto options = FastOptions();
    options.io_threads = 3;
    StartServer(options);
    HttpsClientOptions client_options;
    client_options.trusted_certificate_path = CERTIFICATE_PATH;
    client_options.timeout = 3s;
    std::list<HttpsClient> clients; // Neither copied nor moved: made in place.
    for (int i = 0; i < 7; ++i)
        clients.emplace_back("127.0.0.1", m_server->Port(), client_options);
    for (auto& client : clients)
        EXPECT_EQ(client.Send("GET", "/where").body, "here");
    EXPECT_EQ(m_handler.IoThreads().size(), 3U) << "the connections were not handed out in turn";
    for (int round = 0; round < 2; ++round) {
        int i = 0;
        for (auto& client : clients) {
            const std::string body = std::to_string(round) + "/" + std::to_string(i++);
            const auto response = client.Send("POST", "/echo", body);
            EXPECT_EQ(response.status, 200U);
            EXPECT_EQ(response.body, body);
        }
    }
    const auto start = std::chrono::steady_clock::now();
    m_server->Stop();
    EXPECT_EQ(m_run.wait_for(5s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    for (auto& client : clients)
        EXPECT_NE(client.WaitForClose(2s), boost::beast::error::timeout);
}

TEST_F(TransportTest, SeveralIoThreadsDrainARequestInFlightOnAnyOfThem)
{
    // The slow request's connection is the third, so it lives on the third I/O thread, which has
    // nothing else to do while its handler works on the pool: the drain must keep it running.
    auto options = FastOptions();
    options.io_threads = 3;
    StartServer(options);
    auto first = Connect();
    auto second = Connect();
    auto busy = Connect();
    EXPECT_EQ(busy.Send("GET", "/where").body, "here");
    auto slow = std::async(std::launch::async, [&busy] { return busy.Send("GET", "/slow"); });
    m_handler.m_slow_entered.get_future().wait();
    m_server->Stop();
    EXPECT_NE(first.WaitForClose(3s), boost::beast::error::timeout);
    ExpectTheDrainWaitsForTheSlowRequest(slow);
}

TEST_F(TransportTest, SeveralIoThreadsWithoutAConnectionStopAtOnce)
{
    auto options = FastOptions();
    options.io_threads = 4;
    StartServer(options);
    const auto start = std::chrono::steady_clock::now();
    m_server->Stop();
    EXPECT_EQ(m_run.wait_for(5s), std::future_status::ready);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(TransportTest, MetricsCountRequestsByRouteAndStatus)
{
    StartServer();
    auto client = Connect();
    client.Send("POST", "/echo", "1");
    client.Send("POST", "/echo", "2");
    client.Send("GET", "/nowhere");
    // A request is recorded once its response is written, which the client may see first.
    ASSERT_TRUE(StopServer());
    const std::string text = m_metrics.Render();
    EXPECT_NE(text.find("wijkbudget_http_requests_total{route=\"POST /echo\",status=\"200\"} 2\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("wijkbudget_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("wijkbudget_http_request_duration_seconds_count{route=\"POST /echo\"} 2\n"),
              std::string::npos);
}

TEST_F(TransportTest, LogsOneJsonLinePerRequestWithoutSecrets)
{
    StartServer();
    auto client = Connect();
    client.Send("POST", "/echo?council=12", "secret-body",
                {{"Authorization", "Bearer s3cr3t-token"}, {"X-Request-Id", "log-test"}});
    client.Send("GET", "/nowhere");
    const auto records = LogRecords();
    const std::string log = m_log.str();
    EXPECT_EQ(log.find("s3cr3t-token"), std::string::npos);
    EXPECT_EQ(log.find("secret-body"), std::string::npos);
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].at("request_id").as_string(), "log-test");
    EXPECT_EQ(records[0].at("method").as_string(), "POST");
    EXPECT_EQ(records[0].at("target").as_string(), "/echo?council=12");
    EXPECT_EQ(records[0].at("route").as_string(), "POST /echo");
    EXPECT_EQ(records[0].at("status").as_int64(), 200);
    EXPECT_EQ(records[0].at("bytes").as_int64(), 11);
    EXPECT_FALSE(records[0].contains("remote")); // No address: api/request_log.hpp says why.
    EXPECT_TRUE(records[0].contains("duration_ms"));
    EXPECT_TRUE(records[0].contains("time"));
    EXPECT_EQ(records[1].at("route").as_string(), "unmatched");
    EXPECT_EQ(records[1].at("status").as_int64(), 404);
}

TEST_F(TransportTest, Tls12AndTls13Succeed)
{
    StartServer();
    for (const auto version : {TlsVersion::tls1_2, TlsVersion::tls1_3}) {
        auto client = Connect(version);
        EXPECT_EQ(client.Send("POST", "/echo", "tls").status, 200U);
    }
}

TEST_F(TransportTest, Tls11HandshakeFails)
{
    StartServer();
    EXPECT_THROW(Connect(TlsVersion::tls1_1), boost::system::system_error);
}

} // namespace
} // namespace wijkbudget::api
