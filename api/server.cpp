// api/server.cpp: the HTTPS server's threads, signals and drain.

#include "api/server.hpp"

#include "api/listener.hpp"
#include "api/request_log.hpp"
#include "api/tls.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <csignal>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace wijkbudget::api {

namespace net = boost::asio;
using net::ip::tcp;

class Server::Impl
{
public:
    // Declaration order is destruction order in reverse: the io_contexts, whose pending handlers
    // hold sessions, go before what sessions refer to (TLS context, shared state). The pool is
    // the exception: ~Impl destroys it first, for the reason at its declaration.
    ServerOptions m_options;
    RequestLog m_log;
    net::ssl::context m_tls;
    //! Destroyed first (~Impl): jobs it never started hold replies that post to the sessions'
    //! io_contexts, which must still exist then.
    std::optional<net::thread_pool> m_workers;
    ImmutableReplyCache m_replies;
    SessionShared m_shared;
    /** One io_context per I/O thread, each run by its thread alone; the listener hands the
     *  connections to them in turn. A connection's handlers then never run concurrently without
     *  a strand, whose queue and lock on every handler were a few percent of the I/O threads'
     *  CPU. The first also runs the listener and the drain. */
    std::vector<std::unique_ptr<net::io_context>> m_io_contexts;
    //! Keeps every io_context running while it has no connection, until the drain ends.
    std::vector<net::executor_work_guard<net::io_context::executor_type>> m_keep_running;
    //! Serialises the drain: the signal handler, Stop() and the last session may race.
    net::strand<net::io_context::executor_type> m_control;
    std::shared_ptr<Listener> m_listener;
    std::optional<net::signal_set> m_signals;
    net::steady_timer m_drain_timer;
    bool m_draining{false};

    Impl(ServerOptions options, Handler& handler, Metrics& metrics, std::ostream& log)
        : m_options{std::move(options)}, m_log{log}, m_tls{MakeServerTlsContext(
                                                         m_options.certificate_chain_path,
                                                         m_options.private_key_path)},
          m_workers{std::in_place, std::max<std::size_t>(1, m_options.worker_threads)},
          m_replies{m_options.immutable_reply_bytes_max},
          m_shared{m_tls, handler, *m_workers, metrics, m_log, m_replies, m_options.session, {}},
          m_io_contexts{MakeIoContexts(m_options.io_threads)},
          m_control{net::make_strand(*m_io_contexts.front())}, m_drain_timer{m_control}
    {
        const tcp::endpoint endpoint{net::ip::make_address(m_options.address), m_options.port};
        std::vector<net::io_context*> contexts;
        for (const auto& context : m_io_contexts) {
            contexts.push_back(context.get());
            m_keep_running.push_back(net::make_work_guard(*context));
        }
        m_listener = std::make_shared<Listener>(std::move(contexts), endpoint, m_shared);
    }

    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl()
    {
        // A drain that timed out can leave jobs queued on the pool; destroying them answers
        // their sessions, by a post to an io_context, so the pool goes while those still exist.
        m_workers.reset();
    }

    static std::vector<std::unique_ptr<net::io_context>> MakeIoContexts(std::size_t threads)
    {
        std::vector<std::unique_ptr<net::io_context>> contexts;
        for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) {
            // One thread each: the hint lets Asio skip waking other threads.
            contexts.push_back(std::make_unique<net::io_context>(1));
        }
        return contexts;
    }

    //! Lets every io_context return from run() once its work is done: the drain has ended.
    void LetIoContextsFinish()
    {
        for (auto& guard : m_keep_running)
            guard.reset();
    }

    void Run()
    {
        if (m_options.handle_signals) {
            m_signals.emplace(m_control, SIGINT, SIGTERM);
            m_signals->async_wait([this](const boost::system::error_code& ec, int /*signal*/) {
                if (!ec) BeginDrain();
            });
        }
        m_shared.registry.SetOnEmpty(
            [this] { net::post(m_control, [this] { m_drain_timer.cancel(); }); });
        m_listener->Run();

        std::vector<std::thread> threads;
        threads.reserve(m_io_contexts.size() - 1);
        for (std::size_t i = 1; i < m_io_contexts.size(); ++i) {
            threads.emplace_back([context = m_io_contexts[i].get()] { context->run(); });
        }
        m_io_contexts.front()->run();
        for (auto& thread : threads)
            thread.join();

        // From here on no session may post to the drain strand, and the pool's last jobs (a
        // handler that outlived the drain timeout) finish before the io_context can go away.
        m_shared.registry.SetOnEmpty(nullptr);
        m_workers->stop();
        m_workers->join();
    }

    void BeginDrain()
    {
        if (m_draining) return;
        m_draining = true;
        m_listener->Stop();
        if (m_signals) {
            // A second SIGTERM or Ctrl-C ends the process at once (the signals' default): the
            // way out of a drain that waits on something stuck.
            m_signals->cancel();
            boost::system::error_code ignored;
            m_signals->clear(ignored);
        }
        // The timer and the work guards keep the io_contexts running while a handler works on
        // the pool and no I/O is pending; the timer is cancelled when the last session ends.
        m_drain_timer.expires_after(m_options.drain_timeout);
        m_drain_timer.async_wait([this](const boost::system::error_code& ec) {
            LetIoContextsFinish();
            if (ec) return; // Cancelled: every session has ended.
            for (auto& context : m_io_contexts)
                context->stop(); // Timed out: abandon what is still in flight.
        });
        for (const auto& session : m_shared.registry.BeginDrain())
            session->Drain();
        if (m_shared.registry.Size() == 0) m_drain_timer.cancel();
    }
};

Server::Server(ServerOptions options, Handler& handler, Metrics& metrics, std::ostream& log)
    : m_impl{std::make_unique<Impl>(std::move(options), handler, metrics, log)}
{}

Server::~Server() = default;

std::uint16_t Server::Port() const
{
    return m_impl->m_listener->Port();
}

void Server::Run()
{
    m_impl->Run();
}

void Server::Stop()
{
    Impl* impl = m_impl.get();
    net::post(impl->m_control, [impl] { impl->BeginDrain(); });
}

} // namespace wijkbudget::api
