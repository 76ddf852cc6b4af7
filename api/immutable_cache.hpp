#pragma once
// api/immutable_cache.hpp: bodies of responses that never change, kept in memory.
//
// An entry at an index, and a proof between fixed sizes, are the same for ever (DESIGN.md
// section 7), so once read they are served without the database. The caches are bounded: when
// full they drop the entries kept longest until a quarter of the bound is free, and fill again
// from the requests that follow, which keeps them simple and their memory at most about their
// byte bound (plus a copy of each key, in the order they came).
//
// Two of them: the router's ImmutableCache keeps bodies by its own keys, and the transport's
// ImmutableReplyCache keeps whole answers by request target, so that a session can answer a
// repeated GET on its I/O thread without the two thread hand-offs of the worker pool.

#include "api/handler.hpp"

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wijkbudget::api {

//! When a cache is full, it frees 1/EVICTED_PART_OF_BOUND of its bound at once.
inline constexpr std::size_t EVICTED_PART_OF_BOUND{4};
/** Bytes of cached bodies (and keys) at most: about 300,000 entries (0.8 KB each) or 190,000
 *  proofs (1.3 KB), years of a large municipality's ledger. At 64 MiB a ledger of 87,000 entries
 *  outgrew it: random readers then kept evicting one another's pages, and entry reads fell from
 *  18,000 to 6,700 a second (tests/bench/README.md, run J). */
inline constexpr std::size_t IMMUTABLE_CACHE_BYTES_MAX{256 * 1024 * 1024};
//! Bytes of whole answers (bodies, header fields and targets) the transport keeps at most; the
//! same order as the router's cache, which holds the same bodies.
inline constexpr std::size_t IMMUTABLE_REPLY_CACHE_BYTES_MAX{256 * 1024 * 1024};

class ImmutableCache
{
public:
    explicit ImmutableCache(std::size_t bytes_max = IMMUTABLE_CACHE_BYTES_MAX)
        : m_bytes_max{bytes_max}
    {}

    [[nodiscard]] std::optional<std::string> Find(const std::string& key) const;
    //! Keeps `body` under `key`; the caller guarantees it never changes.
    void Put(const std::string& key, const std::string& body);

private:
    std::size_t m_bytes_max;
    mutable std::shared_mutex m_mutex;
    std::unordered_map<std::string, std::string> m_bodies;
    std::deque<std::string> m_order; //!< m_bodies' keys, oldest first.
    std::size_t m_bytes{0};
};

//! A handler's whole answer to a GET that said it never changes, and the route that gave it.
struct ImmutableReply {
    Response response;
    std::string route;
    /** The answer's status line and header fields as they go on the wire, up to but without the
     *  per-request X-Request-Id and the blank line; none: the session serialises `response`. */
    std::string wire_head;
};

/** Whether an answer to a GET may be kept by target and given to every later GET of that target:
 *  a plain 200 whose Cache-Control says `public` and `immutable` (the service's promise to every
 *  shared cache, RFC 9111 and RFC 8246), with an ETag for conditional requests, and nothing that
 *  varies per client (Vary, Set-Cookie). */
bool IsImmutableReply(const Reply& reply);

/** The answer a cached reply gives `request`: 304 with the validators when the client already
 *  holds it (If-None-Match names its ETag), otherwise the reply itself. */
Reply AnswerFromImmutableReply(const ImmutableReply& cached, const Request& request);

class ImmutableReplyCache
{
public:
    explicit ImmutableReplyCache(std::size_t bytes_max = IMMUTABLE_REPLY_CACHE_BYTES_MAX)
        : m_bytes_max{bytes_max}
    {}

    [[nodiscard]] std::shared_ptr<const ImmutableReply> Find(std::string_view target) const;
    [[nodiscard]] bool Contains(std::string_view target) const;
    //! Keeps `reply` under `target`. @pre IsImmutableReply of it.
    void Put(std::string_view target, ImmutableReply reply);

private:
    //! Lets Find take the target as the parser holds it, without a copy into a std::string.
    struct TargetHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view target) const
        {
            return std::hash<std::string_view>{}(target);
        }
    };

    std::size_t m_bytes_max;
    mutable std::shared_mutex m_mutex;
    std::unordered_map<std::string, std::shared_ptr<const ImmutableReply>, TargetHash,
                       std::equal_to<>>
        m_replies;
    std::deque<std::string> m_order; //!< m_replies' keys, oldest first.
    std::size_t m_bytes{0};
};

} // namespace wijkbudget::api
