#pragma once
// api/listener.hpp: accepts TCP connections and starts a session for each.

#include "api/session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

namespace wijkbudget::api {

//! The pause before accepting again after an accept error such as EMFILE, so that running out of
//! descriptors does not become a busy loop, nor stop the server for good.
inline constexpr std::chrono::milliseconds ACCEPT_RETRY_DELAY{100};

class Listener : public std::enable_shared_from_this<Listener>
{
public:
    /** Opens, binds and listens on `endpoint` (port 0: the kernel picks one), accepting on the
     *  first of `io_contexts` and handing the connections to all of them in turn.
     *  @pre `io_contexts` is not empty, each run by one thread, and they outlive the listener.
     *  @throws boost::system::system_error when the address cannot be bound. */
    Listener(std::vector<boost::asio::io_context*> io_contexts,
             const boost::asio::ip::tcp::endpoint& endpoint, SessionShared& shared);

    //! The port actually bound.
    [[nodiscard]] std::uint16_t Port() const { return m_port; }
    void Run();
    //! From any thread: stop accepting. The port is released, so new connections are refused.
    void Stop();

private:
    std::vector<boost::asio::io_context*> m_io_contexts;
    std::size_t m_next_context{0}; //!< Where the next connection goes.
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry_timer;
    SessionShared& m_shared;
    std::uint16_t m_port{0};
    bool m_stopped{false};

    void DoAccept();
    void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
};

} // namespace wijkbudget::api
