// tests/unit/api/transport_cache_test.cpp: a GET whose earlier answer was public and immutable is
// answered again by the session itself, the same bytes the handler gave, without the handler; any
// other request still goes to the handler. A handler's answer from memory is taken on the I/O
// thread, without the worker pool.

#include "api/handler.hpp"
#include "api/metrics.hpp"
#include "api/server.hpp"
#include "tests/support/https/https_client.hpp"
#include "tests/unit/api/date_field.hpp"

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using test::HttpsClient;
using test::HttpsClientOptions;

const std::string CERTIFICATE_PATH{WB_TEST_DATA_DIR "/support/tls/cert.pem"};
const std::string KEY_PATH{WB_TEST_DATA_DIR "/support/tls/key.pem"};

//! Answers /immutable/... as the ledger's entries are answered, anything else as no-store; counts
//! its calls, which a cached answer does not make.
class CountingHandler : public Handler
{
public:
    void Handle(Request request, const RequestInfo& /*info*/, Respond respond) override
    {
        const int call = ++m_calls;
        const std::string target{request.target()};
        Reply reply;
        reply.response.result(http::status::ok);
        reply.response.set(http::field::content_type, "application/json");
        reply.response.body() =
            "{\"target\":\"" + target + "\",\"call\":" + std::to_string(call) + "}";
        if (target.starts_with("/immutable/")) {
            reply.response.set(http::field::cache_control, "public, max-age=31536000, immutable");
            reply.response.set(http::field::etag, "\"" + target.substr(11) + "\"");
            reply.route = "GET /immutable/{id}";
        } else {
            reply.response.set(http::field::cache_control, "no-store");
            reply.route = "GET /mutable";
        }
        reply.response.prepare_payload();
        if (target == "/immutable/with-neighbours") {
            // Read ahead: an immutable neighbour, and one that may not be kept (no-store).
            Response neighbour = reply.response;
            neighbour.set(http::field::etag, "\"neighbour\"");
            neighbour.body() = "{\"neighbour\":true}";
            neighbour.prepare_payload();
            reply.read_ahead.emplace_back("/immutable/neighbour", neighbour);
            Response changing = neighbour;
            changing.set(http::field::cache_control, "no-store");
            reply.read_ahead.emplace_back("/immutable/changing", changing);
        }
        respond(std::move(reply));
    }

    //! /memory/... from memory; /memory-fails throws there (the worker pool then answers it).
    std::optional<Reply> AnswerFromMemory(const Request& request) override
    {
        ++m_memory_calls;
        const std::string target{request.target()};
        if (target == "/memory-fails") throw std::runtime_error("not in memory after all");
        if (!target.starts_with("/memory/")) return std::nullopt;
        Reply reply;
        reply.response.result(http::status::ok);
        reply.response.set(http::field::cache_control, "no-store");
        reply.response.body() = "from memory: " + target;
        reply.response.prepare_payload();
        reply.route = "GET /memory/{id}";
        return reply;
    }

    std::atomic<int> m_calls{0};
    std::atomic<int> m_memory_calls{0};
};

class TransportCacheTest : public ::testing::Test
{
protected:
    CountingHandler m_handler;
    Metrics m_metrics;
    std::ostringstream m_log; //!< Read only after the server stopped: the server writes it.
    std::unique_ptr<Server> m_server;
    std::future<void> m_run;

    void StartServer(std::size_t reply_bytes_max = IMMUTABLE_REPLY_CACHE_BYTES_MAX)
    {
        ServerOptions options;
        options.port = 0;
        options.io_threads = 1;
        options.worker_threads = 2;
        options.certificate_chain_path = CERTIFICATE_PATH;
        options.private_key_path = KEY_PATH;
        options.handle_signals = false;
        options.immutable_reply_bytes_max = reply_bytes_max;
        m_server = std::make_unique<Server>(std::move(options), m_handler, m_metrics, m_log);
        m_run = std::async(std::launch::async, [this] { m_server->Run(); });
    }

    void StopServer()
    {
        if (!m_server) return;
        m_server->Stop();
        ASSERT_EQ(m_run.wait_for(10s), std::future_status::ready);
        m_server.reset();
    }

    void TearDown() override { StopServer(); }

    HttpsClient Connect()
    {
        HttpsClientOptions options;
        options.trusted_certificate_path = CERTIFICATE_PATH;
        options.timeout = 3s;
        return HttpsClient{"127.0.0.1", m_server->Port(), options};
    }
};

TEST_F(TransportCacheTest, RepeatedImmutableGetIsAnsweredWithoutTheHandler)
{
    StartServer();
    auto client = Connect();
    const std::time_t start = std::time(nullptr);
    const auto first = client.Send("GET", "/immutable/7");
    ASSERT_EQ(first.status, 200U);
    auto other = Connect(); // Another connection shares the cache.
    const auto second = other.Send("GET", "/immutable/7");
    EXPECT_EQ(m_handler.m_calls.load(), 1);
    EXPECT_EQ(second.status, 200U);
    EXPECT_EQ(second.body, first.body);
    EXPECT_EQ(second.Header("ETag"), "\"7\"");
    EXPECT_EQ(second.Header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(second.Header("Content-Type"), "application/json");
    EXPECT_EQ(second.Header("Server"), SERVER_NAME);
    EXPECT_EQ(second.Header("Content-Length"), std::to_string(first.body.size()));
    // Whatever the route, every answer, a kept one too, is HTTPS-only and of the type it says.
    for (const auto* answer : {&first, &second}) {
        EXPECT_EQ(answer->Header("Strict-Transport-Security"), "max-age=31536000");
        EXPECT_EQ(answer->Header("X-Content-Type-Options"), "nosniff");
    }
    EXPECT_NE(second.Header("X-Request-Id"), first.Header("X-Request-Id"));
    EXPECT_TRUE(second.keep_alive);
    // Written from its kept bytes: the same again on the same connection, each with its own id
    // (and, a second later, its own Date).
    std::this_thread::sleep_for(1100ms);
    const auto third = other.Send("GET", "/immutable/7", {}, {{"X-Request-Id", "mine-3"}});
    EXPECT_EQ(third.status, 200U);
    EXPECT_EQ(third.body, first.body);
    EXPECT_EQ(third.Header("X-Request-Id"), "mine-3");
    EXPECT_EQ(third.Header("ETag"), "\"7\"");
    // Each with the time it was written (RFC 9110 section 6.6.1), never the kept answer's.
    for (const auto* answer : {&first, &second, &third})
        EXPECT_TRUE(test::IsDateSince(answer->Header("Date"), start)) << answer->Header("Date");
    EXPECT_NE(third.Header("Date"), first.Header("Date"));
    // The same fields as the handler's answer, each once (none added twice on the way).
    auto names = [](const test::HttpsResponse& response) {
        std::multiset<std::string> lowered;
        for (const auto& [name, value] : response.headers) {
            std::string lower = name;
            for (char& c : lower)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            lowered.insert(lower);
        }
        return lowered;
    };
    EXPECT_EQ(names(third), names(first));

    const auto conditional = other.Send("GET", "/immutable/7", {}, {{"If-None-Match", "\"7\""}});
    EXPECT_EQ(conditional.status, 304U);
    EXPECT_TRUE(conditional.body.empty());
    EXPECT_EQ(conditional.Header("ETag"), "\"7\"");
    // A 304 carries no Content-Length of its own (RFC 9110 section 8.6).
    EXPECT_EQ(conditional.Header("Content-Length"), "");
    // Weak comparison over a list (RFC 9110 section 13.1.2), and "*".
    for (const std::string field : {"\"6\", \"7\"", "W/\"7\"", "*"}) {
        EXPECT_EQ(other.Send("GET", "/immutable/7", {}, {{"If-None-Match", field}}).status, 304U)
            << field;
    }
    EXPECT_EQ(other.Send("GET", "/immutable/7", {}, {{"If-None-Match", "\"6\", \"8\""}}).status,
              200U);
    EXPECT_EQ(m_handler.m_calls.load(), 1);

    // Another target, even one that differs only in its query, is another resource.
    EXPECT_EQ(client.Send("GET", "/immutable/7?x=1").status, 200U);
    EXPECT_EQ(m_handler.m_calls.load(), 2);

    StopServer(); // A request is recorded once its answer is written: read metrics after.
    const std::string text = m_metrics.Render();
    EXPECT_NE(text.find("route=\"GET /immutable/{id}\",status=\"200\"} 5\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("route=\"GET /immutable/{id}\",status=\"304\"} 4\n"), std::string::npos)
        << text;
}

TEST_F(TransportCacheTest, ImmutableAnswersReadAheadAreKeptByTheirTargets)
{
    StartServer();
    auto client = Connect();
    const std::time_t start = std::time(nullptr);
    ASSERT_EQ(client.Send("GET", "/immutable/with-neighbours").status, 200U);
    EXPECT_EQ(m_handler.m_calls.load(), 1);
    const auto neighbour = client.Send("GET", "/immutable/neighbour");
    EXPECT_EQ(m_handler.m_calls.load(), 1); // Kept when its neighbour was answered.
    EXPECT_EQ(neighbour.status, 200U);
    EXPECT_EQ(neighbour.body, "{\"neighbour\":true}");
    EXPECT_EQ(neighbour.Header("ETag"), "\"neighbour\"");
    // Written from its kept bytes without going through Deliver: it still says what every
    // answer says.
    EXPECT_EQ(neighbour.Header("Strict-Transport-Security"), "max-age=31536000");
    EXPECT_EQ(neighbour.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_TRUE(test::IsDateSince(neighbour.Header("Date"), start)) << neighbour.Header("Date");
    // One that is not immutable is not kept: the handler answers it.
    EXPECT_EQ(client.Send("GET", "/immutable/changing").status, 200U);
    EXPECT_EQ(m_handler.m_calls.load(), 2);
}

TEST_F(TransportCacheTest, OtherAnswersAndMethodsStillGoToTheHandler)
{
    StartServer();
    auto client = Connect();
    client.Send("GET", "/mutable");
    client.Send("GET", "/mutable");
    EXPECT_EQ(m_handler.m_calls.load(), 2);
    client.Send("GET", "/immutable/1");
    client.Send("POST", "/immutable/1", "{}");
    EXPECT_EQ(m_handler.m_calls.load(), 4);
}

TEST_F(TransportCacheTest, AnswerFromMemorySkipsTheWorkerPoolAndFallsBackToIt)
{
    StartServer();
    {
        auto client = Connect();
        const auto from_memory = client.Send("GET", "/memory/3");
        EXPECT_EQ(from_memory.status, 200U);
        EXPECT_EQ(from_memory.body, "from memory: /memory/3");
        EXPECT_FALSE(from_memory.Header("X-Request-Id").empty()); // Delivered like any answer.
        EXPECT_TRUE(from_memory.keep_alive);
        EXPECT_EQ(m_handler.m_calls.load(), 0);
        EXPECT_EQ(m_handler.m_memory_calls.load(), 1);
        // No answer from memory, or a failure there: the handler answers on the worker pool.
        EXPECT_EQ(client.Send("GET", "/mutable").status, 200U);
        EXPECT_EQ(client.Send("GET", "/memory-fails").status, 200U);
        EXPECT_EQ(m_handler.m_calls.load(), 2);
        // A kept immutable answer comes before the handler is asked at all.
        ASSERT_EQ(client.Send("GET", "/immutable/4").status, 200U);
        const int asked = m_handler.m_memory_calls.load();
        ASSERT_EQ(client.Send("GET", "/immutable/4").status, 200U);
        EXPECT_EQ(m_handler.m_memory_calls.load(), asked);
    } // The client closes first, so the server stops without waiting for it.
    StopServer();
    EXPECT_NE(m_metrics.Render().find("route=\"GET /memory/{id}\",status=\"200\"} 1\n"),
              std::string::npos);
}

TEST_F(TransportCacheTest, NoBytesMeansNoCache)
{
    StartServer(0);
    auto client = Connect();
    client.Send("GET", "/immutable/1");
    client.Send("GET", "/immutable/1");
    EXPECT_EQ(m_handler.m_calls.load(), 2);
}

} // namespace
} // namespace wijkbudget::api
