#pragma once
// api/session.hpp: one TLS connection, HTTP/1.1 with keep-alive, one request at a time.
//
// The shape is Beast's http_server_async_ssl example (boost-1.81.0) with server-flex's parser
// limits: the session owns its ssl::stream, keeps itself alive with shared_from_this(), and sets
// a deadline before every asynchronous operation, so no peer can hold a connection open for free.
// It knows nothing of routes: each request goes to the Handler on the worker pool, and the answer
// hops back to the session's I/O thread. The one exception is a GET whose answer the handler
// marked immutable before (api/immutable_cache.hpp): that is answered from memory there, without
// the two hand-offs, which cost more than the answer itself.
//
// The TLS stream is Beast's ssl_stream, which flattens a response's header and body into one
// write: Asio's ssl::stream writes only the first buffer of a sequence per call, so a plain one
// sends each response as two TLS records and two system calls.

#include "api/client_slots.hpp"
#include "api/handler.hpp"
#include "api/immutable_cache.hpp"
#include "api/metrics.hpp"
#include "api/request_log.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace wijkbudget::api {

//! Limits on what a client may send (STYLE.md section 4): larger requests get 431 or 413.
inline constexpr std::uint32_t REQUEST_HEADER_BYTES_MAX{8 * 1024};
inline constexpr std::uint64_t REQUEST_BODY_BYTES_MAX{64 * 1024};
/** Bytes a connection's read buffer holds at most; beyond it the request gets 400. Beast's
 *  parser (Boost 1.81) limits neither a chunk's extensions nor a chunked body's trailer, so an
 *  endless chunk-size line would grow the buffer for as long as the read's deadline allows.
 *  A request never needs more than its header still unparsed and what one read brings (Beast
 *  reads up to 64 KiB at a time: body bytes leave the buffer as they are parsed); the body's
 *  limit on top is a margin. */
inline constexpr std::size_t REQUEST_BUFFER_BYTES_MAX{REQUEST_HEADER_BYTES_MAX +
                                                      REQUEST_BODY_BYTES_MAX + 64 * 1024};
/** Requests served on one connection before the server asks the client to reconnect (it sends
 *  Connection: close). Keep-alive saves a TLS handshake per request, but a connection that lives
 *  for ever pins one client to one instance behind a load balancer; a thousand requests keeps
 *  almost all of the saving. */
inline constexpr std::size_t REQUESTS_PER_CONNECTION_MAX{1000};
//! The longest X-Request-Id taken from a client; a longer one is replaced by a fresh id.
inline constexpr std::size_t REQUEST_ID_CHARS_MAX{64};

//! Deadlines for a peer: the TLS handshake, reading one request (from its first byte), writing
//! one response or chunk, waiting for the next request on a kept-alive connection.
inline constexpr std::chrono::milliseconds HANDSHAKE_TIMEOUT{std::chrono::seconds{10}};
inline constexpr std::chrono::milliseconds READ_TIMEOUT{std::chrono::seconds{30}};
inline constexpr std::chrono::milliseconds WRITE_TIMEOUT{std::chrono::seconds{30}};
inline constexpr std::chrono::milliseconds KEEP_ALIVE_IDLE_TIMEOUT{std::chrono::seconds{30}};
/** During a drain, what a request still arriving has left to arrive whole. A client that trickles
 *  its request must not hold the drain until drain_timeout, when whatever is still in flight on
 *  other connections is cut off unanswered. */
inline constexpr std::chrono::milliseconds DRAIN_READ_TIMEOUT{std::chrono::seconds{2}};
//! The TLS close_notify exchange at the end of a connection.
inline constexpr std::chrono::milliseconds SHUTDOWN_TIMEOUT{std::chrono::seconds{5}};
/** After an error answer (400, 413, 431) the client may still be sending: the server half-closes
 *  and discards what arrives, up to these bounds, so that the close does not turn into a TCP
 *  reset that destroys the answer before the client has read it (a "lingering close"). */
inline constexpr std::chrono::milliseconds LINGER_TIMEOUT{std::chrono::seconds{2}};
inline constexpr std::size_t LINGER_BYTES_MAX{256 * 1024};

/** Connections one server keeps at most. Each holds a socket, TLS state and buffers of up to
 *  about 150 KiB; beyond this a new connection is closed at once, so that a flood of silent
 *  connections costs memory and descriptors up to a bound (the database's connections need
 *  descriptors too) and every one of them is let go at its handshake or read timeout. */
inline constexpr std::size_t CONNECTIONS_MAX{1024};
/** Of those, for one client (an IPv4 address or an IPv6 /64, as the login throttle counts), so
 *  that one client's silent connections cannot take every place and lock everyone else out. A
 *  browser opens about six; an office or a carrier's NAT puts many people behind one address.
 *  Loopback is not limited: a reverse proxy on this host is every client at once, and it limits
 *  its own clients. */
inline constexpr std::size_t CONNECTIONS_PER_CLIENT_MAX{128};
/** Requests waiting for a worker at most (not counting those a worker runs). Each holds its
 *  body; beyond this a request is answered 503 at once, with Retry-After, instead of waiting
 *  behind work that already takes the workers longer than a client waits. */
inline constexpr std::size_t QUEUED_REQUESTS_MAX{256};
//! What a client that found the workers' queue full is told to wait, in seconds.
inline constexpr std::string_view BUSY_RETRY_AFTER_SECONDS{"1"};

//! The value of the Server header.
inline constexpr std::string_view SERVER_NAME{"wijkbudget"};

struct SessionOptions {
    std::chrono::milliseconds handshake_timeout{HANDSHAKE_TIMEOUT};
    std::chrono::milliseconds read_timeout{READ_TIMEOUT};
    std::chrono::milliseconds write_timeout{WRITE_TIMEOUT};
    std::chrono::milliseconds keep_alive_idle_timeout{KEEP_ALIVE_IDLE_TIMEOUT};
    std::chrono::milliseconds shutdown_timeout{SHUTDOWN_TIMEOUT};
    std::chrono::milliseconds drain_read_timeout{DRAIN_READ_TIMEOUT};
    std::size_t requests_per_connection_max{REQUESTS_PER_CONNECTION_MAX};
    std::size_t connections_max{CONNECTIONS_MAX};                       //!< Of the whole server.
    std::size_t connections_per_client_max{CONNECTIONS_PER_CLIENT_MAX}; //!< Of one client.
    //! Loopback clients count as others too (tests): by default they are not limited.
    bool limit_loopback_clients{false};
    std::size_t queued_requests_max{QUEUED_REQUESTS_MAX}; //!< Of the whole server.
};

class HttpsSession;

//! The live sessions, so that a drain can reach each of them. Thread-safe.
class SessionRegistry
{
public:
    //! False once draining: the caller must close the connection instead of serving it.
    bool Add(const std::shared_ptr<HttpsSession>& session);
    void Remove(const HttpsSession* session);
    //! Marks the registry as draining and returns the sessions alive at that moment.
    std::vector<std::shared_ptr<HttpsSession>> BeginDrain();
    [[nodiscard]] std::size_t Size() const;
    //! Called (from the thread that ended the last session) when a drain empties the registry.
    void SetOnEmpty(std::function<void()> on_empty);

private:
    mutable std::mutex m_mutex;
    std::unordered_map<const HttpsSession*, std::weak_ptr<HttpsSession>> m_sessions;
    bool m_draining{false};
    std::function<void()> m_on_empty;
};

//! What every session of one server shares. @pre each reference outlives every session.
struct SessionShared {
    boost::asio::ssl::context& tls;
    Handler& handler;
    boost::asio::thread_pool& workers;
    Metrics& metrics;
    RequestLog& log;
    //! Whole immutable answers by target, served on the I/O thread.
    ImmutableReplyCache& replies;
    SessionOptions options;
    SessionRegistry registry;
    //! Requests posted to the workers that none has begun yet (options.queued_requests_max).
    std::atomic<std::size_t> queued_requests{0};
    //! Sessions alive, counted from the accept (options.connections_max): the registry learns
    //! of a session only once its own io_context runs it, which a burst may outpace.
    std::atomic<std::size_t> connections{0};
    //! Each client's connections (options.connections_per_client_max); a session holds its slot.
    ClientSlots client_connections{options.connections_max, options.connections_per_client_max};
};

//! The request id to use: the client's X-Request-Id when it has 1..REQUEST_ID_CHARS_MAX
//! characters from [A-Za-z0-9._:-] (safe in a header and a log), otherwise 16 random bytes in hex.
std::string ChooseRequestId(std::string_view client_value);

class HttpsSession : public std::enable_shared_from_this<HttpsSession>
{
public:
    //! @pre `socket` runs on an io_context that one thread runs (the Listener's, in turn).
    //! `client_slot`: the place among its client's connections it holds while it lives (none for
    //! a client that is not limited).
    HttpsSession(boost::asio::ip::tcp::socket&& socket, SessionShared& shared,
                 std::shared_ptr<ClientSlots::Slot> client_slot = {});
    ~HttpsSession();
    HttpsSession(const HttpsSession&) = delete;
    HttpsSession& operator=(const HttpsSession&) = delete;

    //! Starts the handshake; the session then runs until the connection ends.
    void Run();
    //! From any thread: close the connection if it is idle, otherwise answer the request in
    //! flight with Connection: close and then close.
    void Drain();

private:
    class Responder;
    enum class Phase { handshake, waiting, reading, handling, writing, closing };
    enum class CloseMode { keep_alive, shutdown, linger };

    //! One request and its answer, for the log line and the metrics.
    struct Exchange {
        std::string request_id;
        std::string method;
        std::string target;
        std::string route{"unmatched"};
        unsigned version{11};
        unsigned status{0};
        std::uint64_t bytes{0};
        bool keep_alive{false};
        bool head{false};
        bool get{false};
        bool from_cache{false}; //!< Answered from m_shared.replies, not by the handler.
        bool recorded{false};
        std::chrono::steady_clock::time_point start;
        std::chrono::system_clock::time_point start_time;
    };

    SessionShared& m_shared;
    boost::beast::ssl_stream<boost::beast::tcp_stream> m_stream;
    //! Ends a read still in progress when a drain began (DRAIN_READ_TIMEOUT): Beast's stream
    //! timeout cannot be shortened under a read already waiting.
    boost::asio::steady_timer m_drain_read_timer;
    boost::beast::flat_buffer m_buffer{REQUEST_BUFFER_BYTES_MAX};
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_parser;
    std::string m_remote;
    std::shared_ptr<ClientSlots::Slot> m_client_slot;
    Phase m_phase{Phase::handshake};
    bool m_draining{false};
    std::size_t m_requests{0};
    Exchange m_exchange;
    CloseMode m_close_mode{CloseMode::shutdown};
    //! The response being written; async_write needs it alive until it completes.
    std::optional<Response> m_response;
    //! Or a kept answer written as it is (WriteKeptAnswer), and this answer's Date and request id.
    std::shared_ptr<const ImmutableReply> m_kept_answer;
    std::string m_kept_answer_tail;
    //! A streamed response: its header, the serializer that writes it, the chunk source and the
    //! chunk being written.
    std::optional<boost::beast::http::response<boost::beast::http::empty_body>> m_stream_header;
    std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
        m_stream_serializer;
    ChunkSource m_chunk_source;
    std::string m_chunk;
    //! The streamed body goes unchunked, ended by closing the connection: an HTTP/1.0 client's.
    bool m_stream_until_close{false};
    std::array<char, 4096> m_linger_buffer{};
    std::size_t m_linger_bytes{0};

    void OnRun();
    void OnHandshake(boost::beast::error_code ec);
    void DoWait();
    void OnWait(boost::beast::error_code ec, std::size_t bytes);
    void DoRead();
    /** Feeds the parser what is buffered; true when that completes the request. Sets `ec` to a
     *  parse error (the limits included), and leaves it clear when more bytes are needed. */
    bool ParseBufferedRequest(boost::beast::error_code& ec);
    void OnRead(boost::beast::error_code ec, std::size_t bytes);
    void OnDrain();
    void Dispatch();
    //! An immutable answer the transport kept for this target (ImmutableReplyCache).
    bool AnswerFromCache();
    //! Writes a kept answer's bytes as they are, with this request's id (an HTTP/1.1 GET on a
    //! connection that stays open and no validator to compare).
    void WriteKeptAnswer(std::shared_ptr<const ImmutableReply> kept);
    //! What the handler can answer from memory on this thread (Handler::AnswerFromMemory).
    bool AnswerFromMemory();
    void KeepIfImmutable(const Reply& reply);
    void AnswerReadError(boost::beast::error_code ec);
    void Deliver(Reply reply);
    void DoWrite();
    void OnWrite(boost::beast::error_code ec, std::size_t bytes);
    void DoWriteStream(Response header, ChunkSource source);
    void OnWriteStreamHeader(boost::beast::error_code ec, std::size_t bytes);
    void PullChunk();
    void OnChunk(boost::system::result<std::optional<std::string>> chunk);
    void OnWriteChunk(boost::beast::error_code ec, std::size_t bytes);
    void OnWriteLastChunk(boost::beast::error_code ec, std::size_t bytes);
    void FinishExchange();
    //! The exchange's log line and metrics, once; `delivery` says whether its answer reached the
    //! socket whole (Metrics' Delivery).
    void Record(Delivery delivery);
    //! The method, target and request id of what the parser read, for an answer without the
    //! handler; the parser is done with.
    void TakeWhatWasRead();
    //! A request begun but never finished (`ec` a normal close): logged and counted as cut.
    void RecordUnfinished(boost::beast::error_code ec);
    void DoShutdown();
    void OnShutdown(boost::beast::error_code ec);
    void DoLingeringClose();
    void OnLinger(boost::beast::error_code ec, std::size_t bytes);
    void Cut();
};

} // namespace wijkbudget::api
