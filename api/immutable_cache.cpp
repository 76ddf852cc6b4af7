#include "api/immutable_cache.hpp"

#include "api/entity_tags.hpp"
#include "ledger/assert.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <vector>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;

bool EqualsIgnoringCase(std::string_view lhs, std::string_view rhs)
{
    return lhs.size() == rhs.size() &&
           std::equal(lhs.begin(), lhs.end(), rhs.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
           });
}

std::string_view Trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

//! Whether a Cache-Control value holds the directive `name` (a bare token, any case).
bool HasDirective(std::string_view cache_control, std::string_view name)
{
    while (true) {
        const auto comma = cache_control.find(',');
        if (EqualsIgnoringCase(Trimmed(cache_control.substr(0, comma)), name)) return true;
        if (comma == std::string_view::npos) return false;
        cache_control.remove_prefix(comma + 1);
    }
}

//! What a kept reply costs: its target, header fields, body and route.
std::size_t BytesOf(std::string_view target, const ImmutableReply& reply)
{
    std::size_t bytes =
        target.size() + reply.route.size() + reply.response.body().size() + reply.wire_head.size();
    for (const auto& field : reply.response)
        bytes += field.name_string().size() + field.value().size();
    return bytes;
}

/** Makes room for `needed` more bytes in a cache that holds `used` of `bound`: when they would
 *  not fit, it takes out the entries kept longest (`order` holds the keys oldest first), until a
 *  quarter of the bound is free. Readers of a ledger larger than the cache then keep finding
 *  about as much of it as fits, and what was just read ahead stays for the readers that follow;
 *  emptying the whole cache made every reader miss at once, again and again. The entries taken
 *  out go to `evicted`, for the caller to free once it has let go of the lock: freeing a quarter
 *  of a large cache takes milliseconds, and I/O threads wait for that lock. */
template <class Map, class BytesOfEntry>
void MakeRoom(Map& map, std::deque<std::string>& order, std::size_t& used, std::size_t needed,
              std::size_t bound, BytesOfEntry bytes_of,
              std::vector<typename Map::node_type>& evicted)
{
    if (used + needed <= bound) return;
    const std::size_t target = bound - bound / EVICTED_PART_OF_BOUND;
    while (!order.empty() && used + needed > target) {
        const auto oldest = map.find(order.front());
        WB_ASSERT(oldest != map.end()); // Keys leave the map only here, with their order entry.
        used -= bytes_of(*oldest);
        evicted.push_back(map.extract(oldest));
        order.pop_front();
    }
}

} // namespace

std::optional<std::string> ImmutableCache::Find(const std::string& key) const
{
    std::shared_lock lock{m_mutex};
    const auto found = m_bodies.find(key);
    if (found == m_bodies.end()) return std::nullopt;
    return found->second;
}

void ImmutableCache::Put(const std::string& key, const std::string& body)
{
    const std::size_t bytes = key.size() + body.size();
    if (bytes > m_bytes_max) return;
    std::vector<decltype(m_bodies)::node_type> evicted; // Freed after the lock, below.
    std::unique_lock lock{m_mutex};
    if (m_bodies.contains(key)) return;
    MakeRoom(
        m_bodies, m_order, m_bytes, bytes, m_bytes_max,
        [](const auto& kept) { return kept.first.size() + kept.second.size(); }, evicted);
    m_bodies.emplace(key, body);
    m_order.push_back(key);
    m_bytes += bytes;
}

bool IsImmutableReply(const Reply& reply)
{
    const Response& response = reply.response;
    if (reply.stream || response.result() != http::status::ok) return false;
    const auto cache_control = response.find(http::field::cache_control);
    if (cache_control == response.end() || !HasDirective(cache_control->value(), "public") ||
        !HasDirective(cache_control->value(), "immutable")) {
        return false;
    }
    return response.count(http::field::etag) == 1 && response.count(http::field::vary) == 0 &&
           response.count(http::field::set_cookie) == 0;
}

Reply AnswerFromImmutableReply(const ImmutableReply& cached, const Request& request)
{
    Reply reply;
    reply.route = cached.route;
    const auto etag = cached.response.find(http::field::etag);
    if (etag != cached.response.end() && IfNoneMatchNames(request, etag->value())) {
        // What the handlers answer for it (api/handlers/ledger_routes.cpp): the validators only.
        reply.response.result(http::status::not_modified);
        reply.response.set(http::field::cache_control, cached.response[http::field::cache_control]);
        reply.response.set(http::field::etag, etag->value());
        return reply;
    }
    reply.response = cached.response;
    return reply;
}

std::shared_ptr<const ImmutableReply> ImmutableReplyCache::Find(std::string_view target) const
{
    std::shared_lock lock{m_mutex};
    const auto found = m_replies.find(target);
    if (found == m_replies.end()) return nullptr;
    return found->second;
}

bool ImmutableReplyCache::Contains(std::string_view target) const
{
    std::shared_lock lock{m_mutex};
    return m_replies.find(target) != m_replies.end();
}

void ImmutableReplyCache::Put(std::string_view target, ImmutableReply reply)
{
    const std::size_t bytes = BytesOf(target, reply);
    if (bytes > m_bytes_max) return;
    auto kept = std::make_shared<const ImmutableReply>(std::move(reply));
    std::vector<decltype(m_replies)::node_type> evicted; // Freed after the lock, below.
    std::unique_lock lock{m_mutex};
    if (m_replies.find(target) != m_replies.end()) return;
    MakeRoom(
        m_replies, m_order, m_bytes, bytes, m_bytes_max,
        [](const auto& entry) { return BytesOf(entry.first, *entry.second); }, evicted);
    m_replies.emplace(std::string{target}, std::move(kept));
    m_order.emplace_back(target);
    m_bytes += bytes;
}

} // namespace wijkbudget::api
