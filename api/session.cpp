// api/session.cpp: one TLS connection (after Beast's http_server_async_ssl, boost-1.81.0).

#include "api/session.hpp"

#include "api/http_date.hpp"
#include "api/problem.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/errc.hpp>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <functional>
#include <random>
#include <thread>
#include <utility>

namespace wijkbudget::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using beast::error_code;

namespace {

//! Bytes asked of the socket while waiting for the first byte of a request.
constexpr std::size_t WAIT_READ_BYTES{4096};
constexpr std::size_t REQUEST_ID_RANDOM_BYTES{16};
//! Strict-Transport-Security: a year, this host only (the municipality's other hosts are not ours).
constexpr std::string_view HSTS_POLICY{"max-age=31536000"};

bool IsRequestIdChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
}

/** A generator per thread, seeded once from the CSPRNG: an id only correlates log lines and is
 *  no secret (a client may choose its own), and asking OpenSSL's DRBG (and its lock) for every
 *  request cost a twentieth of the CPU of a cached read. Its ids can be predicted from enough
 *  earlier ones, so they must never serve as anything a client should not guess. RAND_bytes fails
 * only if the CSPRNG cannot be seeded; the clock and the thread then still make ids unique enough
 * for that. */
std::mt19937_64& RequestIdGenerator()
{
    thread_local std::mt19937_64 generator = [] {
        std::array<std::uint64_t, 4> seed{};
        if (RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()),
                       static_cast<int>(sizeof(seed))) != 1) {
            seed[0] = static_cast<std::uint64_t>(
                std::chrono::steady_clock::now().time_since_epoch().count());
            seed[1] = std::hash<std::thread::id>{}(std::this_thread::get_id());
        }
        std::seed_seq sequence(seed.begin(), seed.end());
        return std::mt19937_64{sequence};
    }();
    return generator;
}

std::string RandomRequestId()
{
    static_assert(REQUEST_ID_RANDOM_BYTES % sizeof(std::uint64_t) == 0);
    std::array<unsigned char, REQUEST_ID_RANDOM_BYTES> bytes{};
    for (std::size_t word = 0; word < bytes.size() / sizeof(std::uint64_t); ++word) {
        const std::uint64_t value = RequestIdGenerator()();
        for (std::size_t i = 0; i < sizeof(std::uint64_t); ++i)
            bytes[word * sizeof(std::uint64_t) + i] = static_cast<unsigned char>(value >> (8 * i));
    }
    constexpr std::string_view DIGITS{"0123456789abcdef"};
    std::string id;
    id.reserve(2 * bytes.size());
    for (const unsigned char byte : bytes) {
        id += DIGITS[byte >> 4U];
        id += DIGITS[byte & 0x0fU];
    }
    return id;
}

/** What every answer says, whatever route made it: browsers are to reach this server over HTTPS
 *  only from now on (RFC 6797; a year, renewed by every answer; ignored on a certificate the
 *  browser does not trust, such as the quick start's), and never to guess a content type other
 *  than the one sent (a feed or an export with text an officer typed is not HTML). A route may
 *  set its own. */
void AddTransportSecurity(Response& response)
{
    if (response.find(http::field::strict_transport_security) == response.end())
        response.set(http::field::strict_transport_security, HSTS_POLICY);
    if (response.find("X-Content-Type-Options") == response.end())
        response.set("X-Content-Type-Options", "nosniff");
}

/** An immutable 200 to keep, with its bytes up to the date as every later answer to its target
 *  sends them: the handler's fields, then those Deliver adds (Server, Content-Length); a field
 *  that only Deliver may set is not taken from the handler. The Date and the request id follow,
 *  each answer's own. */
ImmutableReply KeptAnswer(const Response& handlers_response, const std::string& route)
{
    ImmutableReply kept{handlers_response, route, {}};
    // Deliver adds these to what it sends; a neighbour kept from a read-ahead never went through
    // Deliver, and is written from these bytes alone.
    AddTransportSecurity(kept.response);
    const Response& response = kept.response;
    std::string& head = kept.wire_head;
    head.append("HTTP/1.1 ")
        .append(std::to_string(response.result_int()))
        .append(" ")
        .append(response.reason())
        .append("\r\n");
    for (const auto& field : response) {
        const auto name = field.name();
        if (name == http::field::content_length || name == http::field::server ||
            name == http::field::date || name == http::field::connection ||
            name == http::field::transfer_encoding ||
            beast::iequals(field.name_string(), "X-Request-Id"))
            continue;
        head.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
    }
    head.append("Server: ").append(SERVER_NAME).append("\r\n");
    head.append("Content-Length: ").append(std::to_string(response.body().size())).append("\r\n");
    return kept;
}

//! A parsed request's header as sent: its request line and fields (a trailer's too), each
//! with its separators and line end, and the empty line.
std::size_t HeaderBytes(const http::request_header<>& header)
{
    constexpr std::size_t LINE_END{2};
    constexpr std::size_t VERSION_AND_SPACES{sizeof(" HTTP/1.1") - 1 + 1};
    std::size_t bytes =
        header.method_string().size() + header.target().size() + VERSION_AND_SPACES + LINE_END;
    for (const auto& field : header)
        // One byte for the colon: a client may send no space after it.
        bytes += field.name_string().size() + 1 + field.value().size() + LINE_END;
    return bytes + LINE_END;
}

std::string FormatRemote(const net::ip::tcp::socket& socket)
{
    error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) return "unknown";
    const auto address = endpoint.address();
    const std::string host =
        address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return host + ":" + std::to_string(endpoint.port());
}

//! The peer went away: Beast's example explains that without a close_notify a truncated stream
//! is harmless for HTTP, because every message is length-delimited or chunked.
bool IsNormalClose(const error_code& ec)
{
    return ec == http::error::end_of_stream || ec == net::error::eof ||
           ec == ssl::error::stream_truncated || ec == net::error::operation_aborted ||
           ec == beast::error::timeout || ec == http::error::partial_message;
}

} // namespace

// --- SessionRegistry ---

bool SessionRegistry::Add(const std::shared_ptr<HttpsSession>& session)
{
    const std::lock_guard lock{m_mutex};
    if (m_draining) return false;
    m_sessions.emplace(session.get(), session);
    return true;
}

void SessionRegistry::Remove(const HttpsSession* session)
{
    std::function<void()> on_empty;
    {
        const std::lock_guard lock{m_mutex};
        if (m_sessions.erase(session) == 0) return;
        if (m_draining && m_sessions.empty()) on_empty = m_on_empty;
    }
    if (on_empty) on_empty();
}

std::vector<std::shared_ptr<HttpsSession>> SessionRegistry::BeginDrain()
{
    const std::lock_guard lock{m_mutex};
    m_draining = true;
    std::vector<std::shared_ptr<HttpsSession>> live;
    for (const auto& [key, weak] : m_sessions) {
        if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    return live;
}

std::size_t SessionRegistry::Size() const
{
    const std::lock_guard lock{m_mutex};
    return m_sessions.size();
}

void SessionRegistry::SetOnEmpty(std::function<void()> on_empty)
{
    const std::lock_guard lock{m_mutex};
    m_on_empty = std::move(on_empty);
}

std::string ChooseRequestId(std::string_view client_value)
{
    if (!client_value.empty() && client_value.size() <= REQUEST_ID_CHARS_MAX &&
        std::all_of(client_value.begin(), client_value.end(), IsRequestIdChar)) {
        return std::string{client_value};
    }
    return RandomRequestId();
}

// --- Responder: the `respond` a handler gets ---

/** Delivers exactly one reply to the session's I/O thread, from whichever thread answers. A second
 *  call is ignored; a handler that drops `respond` without calling it gets a 500 sent for it, so
 *  a bug in a handler cannot leave a client waiting until the timeout. */
class HttpsSession::Responder
{
public:
    explicit Responder(std::shared_ptr<HttpsSession> session) : m_session{std::move(session)} {}
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;
    ~Responder()
    {
        if (!m_responded.load()) {
            Respond(MakeProblem(http::status::internal_server_error, "internal_error",
                                "Internal server error", "The request was not answered."));
        }
    }

    void Respond(Reply reply)
    {
        if (m_responded.exchange(true)) return;
        auto session = m_session;
        net::post(session->m_stream.get_executor(), [session, reply = std::move(reply)]() mutable {
            session->Deliver(std::move(reply));
        });
    }

private:
    std::shared_ptr<HttpsSession> m_session;
    std::atomic<bool> m_responded{false};
};

// --- HttpsSession ---

HttpsSession::HttpsSession(net::ip::tcp::socket&& socket, SessionShared& shared,
                           std::shared_ptr<ClientSlots::Slot> client_slot)
    : m_shared{shared}, m_stream{std::move(socket), shared.tls},
      m_drain_read_timer{m_stream.get_executor()}, m_client_slot{std::move(client_slot)}
{
    m_remote = FormatRemote(beast::get_lowest_layer(m_stream).socket());
    // Each response leaves in one write; Nagle's algorithm would only hold it back while the
    // client's delayed ACK of the previous one is pending. A failure here costs latency, not
    // correctness, so it is ignored.
    error_code ec;
    beast::get_lowest_layer(m_stream).socket().set_option(net::ip::tcp::no_delay{true}, ec);
}

HttpsSession::~HttpsSession()
{
    m_shared.registry.Remove(this);
    --m_shared.connections; // Counted by the Listener that made this session.
}

void HttpsSession::Run()
{
    // The one thread of the socket's io_context runs every handler of this session, so none
    // needs a lock.
    net::dispatch(m_stream.get_executor(),
                  beast::bind_front_handler(&HttpsSession::OnRun, shared_from_this()));
}

void HttpsSession::Drain()
{
    net::post(m_stream.get_executor(),
              beast::bind_front_handler(&HttpsSession::OnDrain, shared_from_this()));
}

void HttpsSession::OnRun()
{
    if (!m_shared.registry.Add(shared_from_this())) return; // Draining: drop the connection.
    beast::get_lowest_layer(m_stream).expires_after(m_shared.options.handshake_timeout);
    m_stream.async_handshake(
        ssl::stream_base::server,
        beast::bind_front_handler(&HttpsSession::OnHandshake, shared_from_this()));
}

void HttpsSession::OnHandshake(error_code ec)
{
    if (ec) return; // A failed handshake (old TLS, port scanner, timeout) just ends.
    DoWait();
}

void HttpsSession::OnDrain()
{
    m_draining = true;
    // Idle connections close now; a request already arriving or in flight is answered first,
    // with Connection: close.
    if (m_phase == Phase::handshake || m_phase == Phase::waiting) {
        beast::get_lowest_layer(m_stream).cancel();
    } else if (m_phase == Phase::reading) {
        // The request still arriving has a short while, not what is left of READ_TIMEOUT. The
        // timer does not keep the session alive: a session that ends first cancels it.
        m_drain_read_timer.expires_after(m_shared.options.drain_read_timeout);
        m_drain_read_timer.async_wait([weak = weak_from_this()](error_code ec) {
            const auto self = weak.lock();
            if (ec || !self || self->m_phase != Phase::reading) return;
            beast::get_lowest_layer(self->m_stream).cancel();
        });
    }
}

void HttpsSession::DoWait()
{
    // Bytes of a pipelined request may already be buffered; otherwise wait for the first byte
    // under the idle deadline, and only then give the client READ_TIMEOUT for the whole request.
    if (m_buffer.size() > 0) return DoRead();
    if (m_draining) return DoShutdown();
    m_phase = Phase::waiting;
    beast::get_lowest_layer(m_stream).expires_after(
        m_requests == 0 ? m_shared.options.read_timeout : m_shared.options.keep_alive_idle_timeout);
    m_stream.async_read_some(m_buffer.prepare(WAIT_READ_BYTES),
                             beast::bind_front_handler(&HttpsSession::OnWait, shared_from_this()));
}

void HttpsSession::OnWait(error_code ec, std::size_t bytes)
{
    m_buffer.commit(bytes);
    if (ec == net::error::operation_aborted && m_draining) return DoShutdown();
    if (ec == net::error::eof) return DoShutdown(); // close_notify: answer it with ours.
    if (ec) return;                                 // Timeout, truncation: the connection ends.
    DoRead();
}

void HttpsSession::DoRead()
{
    m_phase = Phase::reading;
    m_exchange = Exchange{};
    m_exchange.start = std::chrono::steady_clock::now();
    m_exchange.start_time = std::chrono::system_clock::now();
    // A new parser per request (server-flex): the limits apply to each request afresh.
    m_parser.emplace();
    m_parser->header_limit(REQUEST_HEADER_BYTES_MAX);
    m_parser->body_limit(REQUEST_BODY_BYTES_MAX);
    // A request that came whole with its first bytes, as most do, is handled now: an
    // asynchronous read would find it in the buffer too, but pay a completion for it.
    error_code ec;
    if (ParseBufferedRequest(ec)) return Dispatch();
    if (ec) return AnswerReadError(ec);
    beast::get_lowest_layer(m_stream).expires_after(
        m_draining ? std::min(m_shared.options.drain_read_timeout, m_shared.options.read_timeout)
                   : m_shared.options.read_timeout);
    http::async_read(m_stream, m_buffer, *m_parser,
                     beast::bind_front_handler(&HttpsSession::OnRead, shared_from_this()));
}

bool HttpsSession::ParseBufferedRequest(error_code& ec)
{
    // As http::async_read does: the whole message, body included, in as many puts as it takes.
    m_parser->eager(true);
    while (m_buffer.size() > 0 && !m_parser->is_done()) {
        const std::size_t used = m_parser->put(m_buffer.data(), ec);
        m_buffer.consume(used);
        if (ec == http::error::need_more) {
            ec = {};
            return false;
        }
        if (ec || used == 0) return false;
    }
    return m_parser->is_done();
}

void HttpsSession::OnRead(error_code ec, std::size_t /*bytes*/)
{
    if (ec) return AnswerReadError(ec);
    Dispatch();
}

void HttpsSession::AnswerReadError(error_code ec)
{
    if (IsNormalClose(ec)) return RecordUnfinished(ec);
    Reply reply;
    if (ec == http::error::body_limit) {
        reply = MakeProblem(
            http::status::payload_too_large, "body_too_large", "Request body too large",
            "The request body exceeds " + std::to_string(REQUEST_BODY_BYTES_MAX) + " bytes.");
    } else if (ec == http::error::header_limit) {
        reply = MakeProblem(http::status::request_header_fields_too_large, "header_too_large",
                            "Request header too large",
                            "The request header exceeds " +
                                std::to_string(REQUEST_HEADER_BYTES_MAX) + " bytes.");
    } else if (ec.category() == http::make_error_code(http::error::bad_target).category() ||
               ec == http::error::buffer_overflow) {
        reply = MakeProblem(http::status::bad_request, "http_malformed", "Malformed HTTP request",
                            "The request is not valid HTTP/1.1: " + ec.message() + ".");
    } else {
        // A TLS or socket error (a reset): nobody is left to answer, but the request was begun.
        return RecordUnfinished(ec);
    }
    TakeWhatWasRead();
    m_phase = Phase::handling;
    // The rest of the request is unread, so the connection cannot carry another one.
    m_close_mode = CloseMode::linger;
    Deliver(std::move(reply));
}

void HttpsSession::TakeWhatWasRead()
{
    if (m_parser && m_parser->is_header_done()) {
        const auto& header = m_parser->get();
        m_exchange.method = header.method_string();
        m_exchange.target = header.target();
        m_exchange.version = header.version();
        m_exchange.request_id = ChooseRequestId(header["X-Request-Id"]);
    } else {
        m_exchange.request_id = ChooseRequestId({});
    }
    m_parser.reset();
}

void HttpsSession::RecordUnfinished(error_code ec)
{
    // A request was begun: reading starts only once its first byte came (DoWait; an idle
    // kept-alive connection that ends never gets here). It gets its log line and metric, with
    // the status it would have had. Nobody is left to answer: the stream's timeout closed the
    // socket, the peer went away, or the drain would not wait.
    TakeWhatWasRead();
    // A drain ends a read by its own short deadline, or by cancelling it.
    if (m_draining) {
        m_exchange.status = static_cast<unsigned>(http::status::service_unavailable);
    } else if (ec == beast::error::timeout) {
        m_exchange.status = static_cast<unsigned>(http::status::request_timeout);
    } else {
        m_exchange.status = static_cast<unsigned>(http::status::bad_request);
    }
    Record(Delivery::cut);
}

void HttpsSession::Dispatch()
{
    // Beast limits the request line and the fields each on its own, and a chunked body's trailer
    // not at all (its fields join the header): REQUEST_HEADER_BYTES_MAX is for all of them.
    if (HeaderBytes(m_parser->get()) > REQUEST_HEADER_BYTES_MAX)
        return AnswerReadError(http::error::header_limit);
    m_phase = Phase::handling;
    const auto& header = m_parser->get();
    m_exchange.method = header.method_string();
    m_exchange.target = header.target();
    m_exchange.version = header.version();
    m_exchange.keep_alive = header.keep_alive();
    m_exchange.head = header.method() == http::verb::head;
    m_exchange.get = header.method() == http::verb::get;
    m_exchange.request_id = ChooseRequestId(header["X-Request-Id"]);
    ++m_requests;
    m_close_mode =
        (m_exchange.keep_alive && m_requests < m_shared.options.requests_per_connection_max)
            ? CloseMode::keep_alive
            : CloseMode::shutdown;
    if (AnswerFromCache() || AnswerFromMemory()) return;

    RequestInfo info{m_exchange.request_id, m_remote};
    auto responder = std::make_shared<Responder>(shared_from_this());
    Handler::Respond respond = [responder](Reply reply) {
        responder->Respond(std::move(reply));
    };
    if (m_shared.handler.TakeWithoutBlocking(m_parser->get(), info, respond)) {
        m_parser.reset();
        return;
    }
    // The handler may block on the database, so it runs on the worker pool (STYLE.md section 6),
    // unless more requests wait for it than it can soon take.
    if (m_shared.queued_requests.fetch_add(1) >= m_shared.options.queued_requests_max) {
        --m_shared.queued_requests;
        m_parser.reset();
        Reply busy = MakeProblem(http::status::service_unavailable, "server_busy", "Server busy",
                                 "Too many requests are waiting; try again shortly.");
        busy.response.set(http::field::retry_after, BUSY_RETRY_AFTER_SECONDS);
        return respond(std::move(busy));
    }
    net::post(m_shared.workers, [&handler = m_shared.handler, &queued = m_shared.queued_requests,
                                 request = m_parser->release(), info = std::move(info), responder,
                                 respond = std::move(respond)]() mutable {
        --queued;
        try {
            handler.Handle(std::move(request), info, std::move(respond));
        } catch (const std::exception&) {
            // The router catches and logs its own errors; this is the last line of
            // defence.
            responder->Respond(MakeProblem(http::status::internal_server_error, "internal_error",
                                           "Internal server error",
                                           "The server failed to handle the request."));
        }
    });
}

bool HttpsSession::AnswerFromCache()
{
    if (!m_exchange.get) return false;
    auto cached = m_shared.replies.Find(m_exchange.target);
    if (!cached) return false;
    m_exchange.from_cache = true;
    // The common case in bytes, without copying and serialising the response again. Anything
    // else (HTTP/1.0, a last answer before closing, a conditional GET) takes the general way.
    const auto& header = m_parser->get();
    if (!cached->wire_head.empty() && m_exchange.version == 11 &&
        m_close_mode == CloseMode::keep_alive && !m_draining &&
        header.find(http::field::if_none_match) == header.end()) {
        m_parser.reset();
        WriteKeptAnswer(std::move(cached));
        return true;
    }
    Reply reply = AnswerFromImmutableReply(*cached, m_parser->get());
    m_parser.reset();
    Deliver(std::move(reply));
    return true;
}

bool HttpsSession::AnswerFromMemory()
{
    std::optional<Reply> reply;
    try {
        reply = m_shared.handler.AnswerFromMemory(m_parser->get());
    } catch (const std::exception&) {
        return false; // The worker pool tries again, and answers a failure properly.
    }
    if (!reply) return false;
    m_parser.reset();
    Deliver(std::move(*reply));
    return true;
}

void HttpsSession::WriteKeptAnswer(std::shared_ptr<const ImmutableReply> kept)
{
    m_exchange.route = kept->route.empty() ? "unmatched" : kept->route;
    m_exchange.status = kept->response.result_int();
    m_exchange.bytes = kept->response.body().size();
    m_phase = Phase::writing;
    m_kept_answer_tail.assign("Date: ")
        .append(HttpDateNow())
        .append("\r\nX-Request-Id: ")
        .append(m_exchange.request_id)
        .append("\r\n\r\n");
    m_kept_answer = std::move(kept);
    // One write, which the TLS stream cuts into records as it does any other answer (one up to
    // 16 KiB).
    const std::array<net::const_buffer, 3> buffers{net::buffer(m_kept_answer->wire_head),
                                                   net::buffer(m_kept_answer_tail),
                                                   net::buffer(m_kept_answer->response.body())};
    beast::get_lowest_layer(m_stream).expires_after(m_shared.options.write_timeout);
    net::async_write(m_stream, buffers,
                     beast::bind_front_handler(&HttpsSession::OnWrite, shared_from_this()));
}

void HttpsSession::KeepIfImmutable(const Reply& reply)
{
    // Only what a handler answered to a GET: the same target always gets this answer (its
    // Cache-Control promises so to every shared cache), so the handler need not run again.
    if (!m_exchange.get || m_exchange.from_cache || !IsImmutableReply(reply)) return;
    if (!m_shared.replies.Contains(m_exchange.target))
        m_shared.replies.Put(m_exchange.target, KeptAnswer(reply.response, reply.route));
    for (const auto& [target, response] : reply.read_ahead) {
        Reply other;
        other.response = response;
        if (!IsImmutableReply(other) || m_shared.replies.Contains(target)) continue;
        m_shared.replies.Put(target, KeptAnswer(response, reply.route));
    }
}

void HttpsSession::Deliver(Reply reply)
{
    if (m_phase != Phase::handling) return; // The connection failed while the handler ran.
    AddTransportSecurity(reply.response);   // KeptAnswer adds them to what it keeps as well.
    KeepIfImmutable(reply);
    if (m_draining && m_close_mode == CloseMode::keep_alive) m_close_mode = CloseMode::shutdown;
    Response& response = reply.response;
    response.version(m_exchange.version);
    response.set(http::field::server, SERVER_NAME);
    response.set(http::field::date, HttpDateNow());
    response.set("X-Request-Id", m_exchange.request_id);
    StampProblemRequestId(response, m_exchange.request_id);
    response.keep_alive(m_close_mode == CloseMode::keep_alive);
    m_exchange.route = reply.route.empty() ? "unmatched" : reply.route;
    m_exchange.status = response.result_int();
    m_phase = Phase::writing;
    if (reply.stream) return DoWriteStream(std::move(response), std::move(reply.stream));

    const bool bodiless = response.result() == http::status::no_content ||
                          response.result() == http::status::not_modified;
    // Neither a 204 nor a 304 carries a body (Beast refuses to prepare one that has), nor a
    // Content-Length: a 204 must not (RFC 9110 section 8.6), and a 304's could only be the 200's.
    if (bodiless) response.body().clear();
    response.prepare_payload();
    if (bodiless) {
        response.erase(http::field::content_length);
    } else if (m_exchange.head) {
        // A HEAD answer announces the length of the body it does not carry.
        const auto length = response.body().size();
        response.body().clear();
        response.content_length(length);
    }
    m_exchange.bytes = response.body().size();
    m_response.emplace(std::move(response));
    DoWrite();
}

void HttpsSession::DoWrite()
{
    beast::get_lowest_layer(m_stream).expires_after(m_shared.options.write_timeout);
    http::async_write(m_stream, *m_response,
                      beast::bind_front_handler(&HttpsSession::OnWrite, shared_from_this()));
}

void HttpsSession::OnWrite(error_code ec, std::size_t /*bytes*/)
{
    m_response.reset();
    m_kept_answer.reset();
    Record(ec ? Delivery::cut : Delivery::whole);
    if (ec) return;
    FinishExchange();
}

void HttpsSession::DoWriteStream(Response header, ChunkSource source)
{
    header.erase(http::field::content_length);
    // HTTP/1.0 knows no chunked coding (RFC 9112 section 6.1): its client would take the chunks'
    // size lines for part of the body. The body then ends where the connection does, with TLS's
    // close_notify; a cut (Cut) sends none, so the client still tells a truncated body apart.
    m_stream_until_close = m_exchange.version < 11;
    if (m_stream_until_close) {
        if (m_close_mode == CloseMode::keep_alive) m_close_mode = CloseMode::shutdown;
        header.keep_alive(false);
    }
    m_stream_header.emplace(std::move(header.base()));
    m_stream_header->chunked(!m_stream_until_close);
    m_stream_serializer.emplace(*m_stream_header);
    m_chunk_source = std::move(source);
    beast::get_lowest_layer(m_stream).expires_after(m_shared.options.write_timeout);
    http::async_write_header(
        m_stream, *m_stream_serializer,
        beast::bind_front_handler(&HttpsSession::OnWriteStreamHeader, shared_from_this()));
}

void HttpsSession::OnWriteStreamHeader(error_code ec, std::size_t /*bytes*/)
{
    if (ec) return Record(Delivery::cut);
    if (m_exchange.head) return OnWriteLastChunk({}, 0); // The header says it all.
    PullChunk();
}

void HttpsSession::PullChunk()
{
    // A chunk source may block (a database cursor), so it runs on the worker pool as the handler
    // does; the session does nothing else meanwhile, so m_chunk_source is not shared.
    net::post(m_shared.workers, [self = shared_from_this()] {
        boost::system::result<std::optional<std::string>> chunk{std::nullopt};
        try {
            chunk = self->m_chunk_source();
        } catch (const std::exception&) {
            chunk = boost::system::errc::make_error_code(boost::system::errc::io_error);
        }
        net::post(self->m_stream.get_executor(),
                  [self, chunk = std::move(chunk)]() mutable { self->OnChunk(std::move(chunk)); });
    });
}

void HttpsSession::OnChunk(boost::system::result<std::optional<std::string>> chunk)
{
    if (!chunk) {
        // Without the last chunk the client sees a truncated body, never a complete wrong one.
        Record(Delivery::cut);
        return Cut();
    }
    beast::get_lowest_layer(m_stream).expires_after(m_shared.options.write_timeout);
    if (!*chunk) {
        if (m_stream_until_close) return OnWriteLastChunk({}, 0);
        return net::async_write(
            m_stream, http::make_chunk_last(),
            beast::bind_front_handler(&HttpsSession::OnWriteLastChunk, shared_from_this()));
    }
    // An empty chunk would read as the last one.
    if ((*chunk)->empty()) return PullChunk();
    m_chunk = std::move(**chunk);
    m_exchange.bytes += m_chunk.size();
    if (m_stream_until_close) {
        return net::async_write(
            m_stream, net::buffer(m_chunk),
            beast::bind_front_handler(&HttpsSession::OnWriteChunk, shared_from_this()));
    }
    net::async_write(m_stream, http::make_chunk(net::buffer(m_chunk)),
                     beast::bind_front_handler(&HttpsSession::OnWriteChunk, shared_from_this()));
}

void HttpsSession::OnWriteChunk(error_code ec, std::size_t /*bytes*/)
{
    if (ec) return Record(Delivery::cut);
    PullChunk();
}

void HttpsSession::OnWriteLastChunk(error_code ec, std::size_t /*bytes*/)
{
    m_chunk_source = nullptr;
    m_chunk.clear();
    m_stream_serializer.reset();
    m_stream_header.reset();
    Record(ec ? Delivery::cut : Delivery::whole);
    if (ec) return;
    FinishExchange();
}

void HttpsSession::FinishExchange()
{
    switch (m_close_mode) {
    case CloseMode::keep_alive: return DoWait();
    case CloseMode::shutdown: return DoShutdown();
    case CloseMode::linger: return DoLingeringClose();
    }
}

void HttpsSession::Record(Delivery delivery)
{
    if (m_exchange.recorded) return;
    m_exchange.recorded = true;
    const auto duration = std::chrono::steady_clock::now() - m_exchange.start;
    m_shared.metrics.ObserveRequest(m_exchange.route, m_exchange.status, duration, delivery);
    m_shared.log.Write(RequestLogRecord{
        .time = m_exchange.start_time,
        .request_id = m_exchange.request_id,
        .method = m_exchange.method,
        .target = m_exchange.target,
        .route = m_exchange.route,
        .status = m_exchange.status,
        .bytes = m_exchange.bytes,
        .duration = std::chrono::duration_cast<std::chrono::nanoseconds>(duration),
        .cut = delivery == Delivery::cut,
    });
}

void HttpsSession::DoShutdown()
{
    m_phase = Phase::closing;
    beast::get_lowest_layer(m_stream).expires_after(m_shared.options.shutdown_timeout);
    m_stream.async_shutdown(
        beast::bind_front_handler(&HttpsSession::OnShutdown, shared_from_this()));
}

void HttpsSession::OnShutdown(error_code /*ec*/)
{
    // Whatever the outcome, the connection is done; the socket closes with the session.
}

void HttpsSession::DoLingeringClose()
{
    m_phase = Phase::closing;
    auto& socket = beast::get_lowest_layer(m_stream).socket();
    error_code ec;
    socket.shutdown(net::ip::tcp::socket::shutdown_send, ec);
    if (ec) return;
    // One deadline for the whole linger: a basic_stream timeout holds until it is set again.
    beast::get_lowest_layer(m_stream).expires_after(LINGER_TIMEOUT);
    beast::get_lowest_layer(m_stream).async_read_some(
        net::buffer(m_linger_buffer),
        beast::bind_front_handler(&HttpsSession::OnLinger, shared_from_this()));
}

void HttpsSession::OnLinger(error_code ec, std::size_t bytes)
{
    m_linger_bytes += bytes;
    if (ec || m_linger_bytes > LINGER_BYTES_MAX) return;
    beast::get_lowest_layer(m_stream).async_read_some(
        net::buffer(m_linger_buffer),
        beast::bind_front_handler(&HttpsSession::OnLinger, shared_from_this()));
}

void HttpsSession::Cut()
{
    m_phase = Phase::closing;
    error_code ec;
    beast::get_lowest_layer(m_stream).socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(m_stream).close();
}

} // namespace wijkbudget::api
