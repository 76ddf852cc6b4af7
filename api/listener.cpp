// api/listener.cpp: the accept loop (after Beast's http_server_async_ssl, boost-1.81.0).

#include "api/listener.hpp"

#include "api/login_throttle.hpp"
#include "api/tls.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wijkbudget::api {

namespace beast = boost::beast;
namespace net = boost::asio;
using net::ip::tcp;

namespace {

//! A loopback peer, also as an IPv4-mapped address (a listener on "::").
bool IsLoopback(const net::ip::address& address)
{
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).is_loopback();
    return address.is_loopback();
}

/** The place of a new connection among its client's (SessionOptions): none needed (loopback),
 *  taken, or refused (std::nullopt: the client holds its most already, or the peer is gone). */
std::optional<std::shared_ptr<ClientSlots::Slot>> TakeClientPlace(const tcp::socket& socket,
                                                                  SessionShared& shared)
{
    beast::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    if (ec) return std::nullopt;
    const auto address = peer.address();
    if (!shared.options.limit_loopback_clients && IsLoopback(address))
        return std::shared_ptr<ClientSlots::Slot>{};
    // As the session writes its peer, which LoginClientOf reads (the port does not count).
    const std::string remote =
        address.is_v6() ? "[" + address.to_string() + "]:0" : address.to_string() + ":0";
    auto slot = shared.client_connections.TryTake(LoginClientOf(remote));
    if (!slot) return std::nullopt;
    return slot;
}

} // namespace

Listener::Listener(std::vector<net::io_context*> io_contexts, const tcp::endpoint& endpoint,
                   SessionShared& shared)
    : m_io_contexts{std::move(io_contexts)}, m_acceptor{net::make_strand(*m_io_contexts.at(0))},
      m_retry_timer{m_acceptor.get_executor()}, m_shared{shared}
{
    // Each step's failure names the address (server.address, server.port): "Address already in
    // use" alone leaves the operator guessing which.
    const auto fail = [&endpoint](std::string_view step, const beast::error_code& error) {
        throw UnusableSetting("cannot " + std::string(step) + " " + endpoint.address().to_string() +
                              " port " + std::to_string(endpoint.port()) +
                              " (server.address, server.port): " + error.message());
    };
    beast::error_code error;
    if (m_acceptor.open(endpoint.protocol(), error); error) fail("open a socket for", error);
    // A restarted server must not wait for the old socket's TIME_WAIT to end.
    if (m_acceptor.set_option(net::socket_base::reuse_address(true), error); error)
        fail("set up a socket for", error);
    if (m_acceptor.bind(endpoint, error); error) fail("listen on", error);
    if (m_acceptor.listen(net::socket_base::max_listen_connections, error); error)
        fail("listen on", error);
    m_port = m_acceptor.local_endpoint().port();
}

void Listener::Run()
{
    net::dispatch(m_acceptor.get_executor(),
                  beast::bind_front_handler(&Listener::DoAccept, shared_from_this()));
}

void Listener::Stop()
{
    net::dispatch(m_acceptor.get_executor(), [self = shared_from_this()] {
        self->m_stopped = true;
        beast::error_code ec;
        self->m_acceptor.close(ec);
        self->m_retry_timer.cancel();
    });
}

void Listener::DoAccept()
{
    if (m_stopped) return;
    // Each connection lives on one io_context, which one thread runs: its handlers never run
    // concurrently, without a strand's queue and lock on every one of them.
    net::io_context& next = *m_io_contexts[m_next_context];
    m_next_context = (m_next_context + 1) % m_io_contexts.size();
    m_acceptor.async_accept(next.get_executor(),
                            beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(beast::error_code ec, tcp::socket socket)
{
    if (m_stopped || ec == net::error::operation_aborted) return;
    if (ec) {
        m_retry_timer.expires_after(ACCEPT_RETRY_DELAY);
        m_retry_timer.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
            if (!wait_ec) self->DoAccept();
        });
        return;
    }
    std::optional<std::shared_ptr<ClientSlots::Slot>> place;
    if (m_shared.connections.fetch_add(1) >= m_shared.options.connections_max ||
        !(place = TakeClientPlace(socket, m_shared))) {
        // Closed before any TLS work: the cheapest refusal, and the client sees it at once.
        --m_shared.connections;
        beast::error_code ignored;
        socket.close(ignored);
    } else {
        // ~HttpsSession gives both places back.
        std::make_shared<HttpsSession>(std::move(socket), m_shared, std::move(*place))->Run();
    }
    DoAccept();
}

} // namespace wijkbudget::api
