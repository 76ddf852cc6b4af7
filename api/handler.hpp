#pragma once
// api/handler.hpp: what the HTTPS transport hands a request to, and what it gets back.
//
// The transport (listener, session, TLS, limits, timeouts, logs, metrics) knows nothing of
// routes; the router (api/router.hpp) knows nothing of sockets. A handler runs on the worker pool,
// because it may block on the database, unless it says it can answer or take a request without
// blocking (AnswerFromMemory, TakeWithoutBlocking); it answers by calling `respond` exactly once,
// from any thread (appends answer from the sequencer's thread after the commit).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/result.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::api {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

//! The next piece of a streamed body, called on the worker pool (it may block): a chunk, none
//! at the end, or an error, after which the transport cuts the connection (the client sees a
//! truncated chunked body, never a complete-looking wrong one).
using ChunkSource = std::function<boost::system::result<std::optional<std::string>>()>;

struct Reply {
    Response response;
    //! When set, the body is sent with chunked transfer encoding from these chunks, and
    //! response.body() is ignored.
    ChunkSource stream;
    //! The route template, for metrics and logs: "GET /api/v1/ledger/entries/{index}". Unknown
    //! routes report "unmatched", so a scanner cannot blow up the metrics' label set.
    std::string route{"unmatched"};
    /** Answers to other GET targets that the handler computed along with this one and that
     *  never change either (an entry's neighbours, read in the same query): the transport keeps
     *  them by target as if they had been asked for, when this reply is kept (a GET's immutable
     *  200). Each is a whole response by its exact target, as IsImmutableReply requires. */
    std::vector<std::pair<std::string, Response>> read_ahead;
};

struct RequestInfo {
    std::string request_id; //!< Also sent back as the X-Request-Id header.
    std::string remote;     //!< Peer address, for logs.
};

class Handler
{
public:
    virtual ~Handler() = default;
    using Respond = std::function<void(Reply)>;
    virtual void Handle(Request request, const RequestInfo& info, Respond respond) = 0;
    /** The reply, if this handler can give it from memory alone (no database, no waiting), on
     *  the calling I/O thread; none: the transport hands the request to Handle on the worker
     *  pool. It saves the two thread hops of a request that needs nothing blocking. */
    virtual std::optional<Reply> AnswerFromMemory(const Request& /*request*/)
    {
        return std::nullopt;
    }
    /** Takes the request if this handler can handle it on the calling I/O thread without
     *  blocking (memory, a short lock, a queue), answering through `respond` now or later (a
     *  write answers from the sequencer's thread once its batch committed). False: it neither
     *  kept the request nor called `respond`, and the transport hands the request to Handle on
     *  the worker pool. `request` is valid during the call only. It must not throw (it runs on
     *  an I/O thread). It saves the hand-off to the worker pool and that thread's wake-up. */
    virtual bool TakeWithoutBlocking(const Request& /*request*/, const RequestInfo& /*info*/,
                                     const Respond& /*respond*/)
    {
        return false;
    }
};

} // namespace wijkbudget::api
