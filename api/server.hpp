#pragma once
// api/server.hpp: the HTTPS server: I/O threads, the worker pool, the listener, signals, drain.
//
// Construct it with options and a Handler, then call Run() on a thread of your own: it blocks
// until SIGTERM or SIGINT (or Stop()) has drained the server. api/main.cpp builds the options
// from config; tests bind 127.0.0.1 port 0 and read Port().

#include "api/handler.hpp"
#include "api/metrics.hpp"
#include "api/session.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>

namespace wijkbudget::api {

//! How long a drain waits for requests in flight before it stops the server anyway.
inline constexpr std::chrono::milliseconds DRAIN_TIMEOUT{std::chrono::seconds{30}};

struct ServerOptions {
    std::string address{"127.0.0.1"};
    std::uint16_t port{8443}; //!< 0: the kernel picks one; Server::Port() tells which.
    std::size_t io_threads{1};
    //! Threads that run handlers; equal to the database connection pool (STYLE.md section 6).
    std::size_t worker_threads{4};
    std::string certificate_chain_path; //!< PEM, leaf first.
    std::string private_key_path;       //!< PEM.
    SessionOptions session;             //!< Timeouts and the per-connection request cap.
    //! Bytes of immutable answers the sessions keep to answer repeated GETs on the I/O threads.
    std::size_t immutable_reply_bytes_max{IMMUTABLE_REPLY_CACHE_BYTES_MAX};
    std::chrono::milliseconds drain_timeout{DRAIN_TIMEOUT};
    //! Whether Run() drains on SIGTERM and SIGINT; a test that runs several servers may say no.
    bool handle_signals{true};
};

class Server
{
public:
    /** Loads the certificate and binds the port, so errors show before Run().
     *  @throws boost::system::system_error on a bad certificate or key, or an address in use.
     *  @pre handler, metrics and log outlive the server; every `respond` the handler got is called
     *  or destroyed before the server is (it holds the connection's session). */
    Server(ServerOptions options, Handler& handler, Metrics& metrics,
           std::ostream& log = std::cout);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    //! The port bound.
    [[nodiscard]] std::uint16_t Port() const;

    /** Serves until a drain ends: SIGTERM, SIGINT or Stop() stop accepting, close idle
     *  connections, let requests in flight finish (for at most drain_timeout), then return. Runs
     *  the I/O on this thread and io_threads - 1 more. Call it once. */
    void Run();
    //! From any thread, also before Run(): begins the drain.
    void Stop();

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace wijkbudget::api
