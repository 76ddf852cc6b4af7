// Router::TakeWithoutBlocking: which requests the router takes on an I/O thread (a grant or a
// council's registration whose token the cache holds), and that taking one never reaches the
// database's token lookup. The ports are in memory (router_under_test.hpp); the credential store
// counts its lookups.
#include "tests/unit/api/router_under_test.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;

using router_test::TOKEN;

class RouterIoThreadTest : public router_test::RouterUnderTest
{
};

TEST_F(RouterIoThreadTest, AGrantWithACachedTokenIsTakenAndAnsweredWithItsRoute)
{
    KeepToken();
    ASSERT_TRUE(Take(Post("/api/v1/councils/burgwal/grants", GRANT_BODY)));
    EXPECT_EQ(m_credentials.lookups.load(), 0) << "an I/O thread reached the database";
    ASSERT_EQ(m_appender.requests.size(), 1U);
    EXPECT_TRUE(m_appender.requests[0].credential.has_value()); // Confirmed by the batch.
    EXPECT_TRUE(m_replies.empty()) << "answered before the sequencer did";
    // The sequencer answers after its commit: the reply carries the route's label.
    m_appender.dones[0](ledger::AppendReply{ledger::StoredAnswer{201, "{}"}, false});
    ASSERT_EQ(m_replies.size(), 1U);
    EXPECT_EQ(m_replies[0].response.result_int(), 201U);
    EXPECT_EQ(m_replies[0].route, "POST /api/v1/councils/{id}/grants");
}

TEST_F(RouterIoThreadTest, AWriteTheQueueCouldNotTakeLeavesItsKeyFreeForARetry)
{
    KeepToken();
    m_appender.fail_next = true;
    ASSERT_TRUE(Take(Post("/api/v1/councils/burgwal/grants", GRANT_BODY)));
    ASSERT_EQ(m_replies.size(), 1U);
    EXPECT_EQ(m_replies[0].response.result_int(), 500U);
    EXPECT_TRUE(m_appender.requests.empty());
    // Nothing was queued under the key, so the retry is not "in flight" (409): it is queued.
    ASSERT_TRUE(Take(Post("/api/v1/councils/burgwal/grants", GRANT_BODY)));
    EXPECT_EQ(m_replies.size(), 1U) << m_replies.back().response.body();
    EXPECT_EQ(m_appender.requests.size(), 1U);
}

TEST_F(RouterIoThreadTest, ACouncilRegistrationWithACachedTokenIsTaken)
{
    KeepToken();
    EXPECT_TRUE(Take(Post("/api/v1/councils",
                          R"({"id": "nieuw", "name": "Wijkraad Nieuw", "district": "centrum"})")));
    EXPECT_EQ(m_credentials.lookups.load(), 0);
    ASSERT_EQ(m_appender.requests.size(), 1U);
    EXPECT_TRUE(m_appender.requests[0].credential.has_value());
    EXPECT_TRUE(m_replies.empty());
    m_appender.dones[0](ledger::AppendReply{ledger::StoredAnswer{201, "{}"}, false});
    ASSERT_EQ(m_replies.size(), 1U);
    EXPECT_EQ(m_replies[0].route, "POST /api/v1/councils");
}

TEST_F(RouterIoThreadTest, ABadRequestWithACachedTokenIsAnsweredAtOnceWithoutTheQueue)
{
    KeepToken();
    ASSERT_TRUE(Take(Post("/api/v1/councils/burgwal/grants", R"({"year": "2027"})")));
    EXPECT_TRUE(m_appender.requests.empty());
    ASSERT_EQ(m_replies.size(), 1U);
    EXPECT_EQ(m_replies[0].response.result_int(), 400U);
    EXPECT_EQ(m_replies[0].route, "POST /api/v1/councils/{id}/grants");
}

TEST_F(RouterIoThreadTest, WhatMightBlockOrIsNotMarkedIsLeftToTheWorkerPool)
{
    // A token only the database knows.
    EXPECT_FALSE(Take(Post("/api/v1/councils/burgwal/grants", GRANT_BODY)));
    KeepToken();
    // A query string (which no marked route's last segment would match either), a route not
    // marked (its handler would answer at once, and Take say true), a GET, an unknown path.
    EXPECT_FALSE(Take(Post("/api/v1/councils/burgwal/grants?x=1", GRANT_BODY)));
    EXPECT_FALSE(Take(Post("/api/v1/councils/burgwal/mandates", "{}")));
    Request get{http::verb::get, "/api/v1/councils/burgwal", 11};
    get.set(http::field::authorization, "Bearer " + TOKEN);
    EXPECT_FALSE(Take(get));
    EXPECT_FALSE(Take(Post("/api/v1/nowhere", "{}")));
    // Left untouched: no lookup, no queue, no answer.
    EXPECT_EQ(m_credentials.lookups.load(), 0);
    EXPECT_TRUE(m_appender.requests.empty());
    EXPECT_TRUE(m_replies.empty());
}

} // namespace
} // namespace wijkbudget::api
