// The transport's cache of whole immutable answers: which answers qualify, what a hit gives a
// conditional request, and the bound.
#include "api/immutable_cache.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view IMMUTABLE{"public, max-age=31536000, immutable"};

Reply ImmutableOk(std::string body, std::string etag = "\"abc\"")
{
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "application/json");
    reply.response.set(http::field::cache_control, IMMUTABLE);
    reply.response.set(http::field::etag, etag);
    reply.response.body() = std::move(body);
    reply.response.prepare_payload();
    reply.route = "GET /things/{id}";
    return reply;
}

TEST(ImmutableReplyTest, OnlyPublicImmutableOkAnswersWithAnEtagQualify)
{
    EXPECT_TRUE(IsImmutableReply(ImmutableOk("{}")));

    Reply upper_case = ImmutableOk("{}");
    upper_case.response.set(http::field::cache_control, "Public,Immutable");
    EXPECT_TRUE(IsImmutableReply(upper_case));

    Reply no_store = ImmutableOk("{}");
    no_store.response.set(http::field::cache_control, "no-store");
    EXPECT_FALSE(IsImmutableReply(no_store));

    Reply private_reply = ImmutableOk("{}");
    private_reply.response.set(http::field::cache_control, "private, immutable");
    EXPECT_FALSE(IsImmutableReply(private_reply));

    Reply lookalike = ImmutableOk("{}");
    lookalike.response.set(http::field::cache_control, "public, x-immutable-ish");
    EXPECT_FALSE(IsImmutableReply(lookalike));

    Reply not_found = ImmutableOk("{}");
    not_found.response.result(http::status::not_found);
    EXPECT_FALSE(IsImmutableReply(not_found));

    Reply without_etag = ImmutableOk("{}");
    without_etag.response.erase(http::field::etag);
    EXPECT_FALSE(IsImmutableReply(without_etag));

    Reply varies = ImmutableOk("{}");
    varies.response.set(http::field::vary, "Authorization");
    EXPECT_FALSE(IsImmutableReply(varies));

    Reply cookie = ImmutableOk("{}");
    cookie.response.set(http::field::set_cookie, "a=b");
    EXPECT_FALSE(IsImmutableReply(cookie));

    Reply streamed = ImmutableOk("{}");
    streamed.stream = [] {
        return boost::system::result<std::optional<std::string>>{};
    };
    EXPECT_FALSE(IsImmutableReply(streamed));
}

TEST(ImmutableReplyTest, AHitGivesTheReplyOr304WhenTheClientHoldsIt)
{
    const Reply original = ImmutableOk("{\"n\":1}");
    const ImmutableReply cached{original.response, original.route, {}};

    Request plain{http::verb::get, "/things/1", 11};
    const Reply full = AnswerFromImmutableReply(cached, plain);
    EXPECT_EQ(full.response.result(), http::status::ok);
    EXPECT_EQ(full.response.body(), "{\"n\":1}");
    EXPECT_EQ(full.response[http::field::etag], "\"abc\"");
    EXPECT_EQ(full.response[http::field::content_type], "application/json");
    EXPECT_EQ(full.route, "GET /things/{id}");

    Request conditional{http::verb::get, "/things/1", 11};
    conditional.set(http::field::if_none_match, "\"abc\"");
    const Reply not_modified = AnswerFromImmutableReply(cached, conditional);
    EXPECT_EQ(not_modified.response.result(), http::status::not_modified);
    EXPECT_TRUE(not_modified.response.body().empty());
    EXPECT_EQ(not_modified.response[http::field::etag], "\"abc\"");
    EXPECT_EQ(not_modified.response[http::field::cache_control], IMMUTABLE);
    EXPECT_EQ(not_modified.route, "GET /things/{id}");

    Request other{http::verb::get, "/things/1", 11};
    other.set(http::field::if_none_match, "\"other\"");
    EXPECT_EQ(AnswerFromImmutableReply(cached, other).response.result(), http::status::ok);
}

TEST(ImmutableReplyCacheTest, FindsWhatWasPutAndKeepsTheFirstReply)
{
    ImmutableReplyCache cache{4096};
    EXPECT_EQ(cache.Find("/things/1"), nullptr);
    EXPECT_FALSE(cache.Contains("/things/1"));
    const Reply first = ImmutableOk("one");
    cache.Put("/things/1", ImmutableReply{first.response, first.route, {}});
    const Reply second = ImmutableOk("changed");
    cache.Put("/things/1", ImmutableReply{second.response, second.route, {}});
    ASSERT_NE(cache.Find("/things/1"), nullptr);
    EXPECT_TRUE(cache.Contains("/things/1"));
    EXPECT_EQ(cache.Find("/things/1")->response.body(), "one");
    EXPECT_EQ(cache.Find("/things/2"), nullptr);
}

TEST(ImmutableReplyCacheTest, NeverPassesItsBound)
{
    // Each reply costs its body, header fields, route and target: about 160 bytes here.
    ImmutableReplyCache cache{400};
    const Reply reply = ImmutableOk(std::string(40, 'x'));
    cache.Put("/a", ImmutableReply{reply.response, reply.route, {}});
    cache.Put("/b", ImmutableReply{reply.response, reply.route, {}});
    EXPECT_TRUE(cache.Contains("/a"));
    EXPECT_TRUE(cache.Contains("/b"));
    cache.Put("/c", ImmutableReply{reply.response, reply.route, {}}); // Past 400: room made, kept.
    EXPECT_FALSE(cache.Contains("/a"));
    EXPECT_FALSE(cache.Contains("/b"));
    EXPECT_TRUE(cache.Contains("/c"));
    const Reply huge = ImmutableOk(std::string(1000, 'h')); // Larger than the whole cache.
    cache.Put("/huge", ImmutableReply{huge.response, huge.route, {}});
    EXPECT_FALSE(cache.Contains("/huge"));
    EXPECT_TRUE(cache.Contains("/c"));
    // The kept wire bytes count too: a small reply with a large head does not fit either.
    ImmutableReply headed{reply.response, reply.route, std::string(1000, 'w')};
    cache.Put("/headed", std::move(headed));
    EXPECT_FALSE(cache.Contains("/headed"));
}

TEST(ImmutableReplyCacheTest, DropsTheOldestQuarterRatherThanEverything)
{
    const Reply reply = ImmutableOk(std::string(40, 'x'));
    // About 40 replies of this size fill the cache; each later one makes room: most stay.
    ImmutableReplyCache cache{40 * 160};
    for (int n = 10; n < 50; ++n)
        cache.Put("/t" + std::to_string(n), ImmutableReply{reply.response, reply.route, {}});
    for (int n = 50; n < 90; ++n) {
        cache.Put("/t" + std::to_string(n), ImmutableReply{reply.response, reply.route, {}});
        int kept = 0;
        for (int old = 10; old <= n; ++old)
            kept += cache.Contains("/t" + std::to_string(old)) ? 1 : 0;
        EXPECT_GE(kept, 25) << "after /t" << n; // About three quarters of 40 stay, at least.
        EXPECT_TRUE(cache.Contains("/t" + std::to_string(n)));
        EXPECT_TRUE(cache.Contains("/t" + std::to_string(n - 1))); // Just read ahead: stays.
    }
    EXPECT_FALSE(cache.Contains("/t10")); // The oldest went first.
    EXPECT_TRUE(cache.Contains("/t80"));
}

} // namespace
} // namespace wijkbudget::api
