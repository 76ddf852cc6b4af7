// The routes that read the in-memory projections (councils, decisions, open data, rounds, and the
// site's pages over them) bring them up to date first, and answer 503 instead of reading them
// when RouterPorts::sync_registry says they cannot be served: after a batch that failed to
// commit, or while they are rebuilt from the ledger, they hold entries that never were, or only
// part of the ledger. The ledger's own routes read the database and are not held back.
#include "services/voting_codes.hpp"
#include "tests/unit/api/router_under_test.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;

using router_test::TOKEN;

class RouterProjectionsTest : public router_test::RouterUnderTest
{
protected:
    //! The router's one answer to `request`, which these routes give before returning.
    Reply Answer(Request request)
    {
        std::vector<Reply> replies;
        m_router.Handle(std::move(request), RequestInfo{"test", "127.0.0.1:1"},
                        [&replies](Reply reply) { replies.push_back(std::move(reply)); });
        EXPECT_EQ(replies.size(), 1U);
        return replies.empty() ? Reply{} : replies.front();
    }

    static Request Get(const std::string& target) { return Request{http::verb::get, target, 11}; }
};

//! Every GET that reads a projection, in the API and on the site.
const std::vector<std::string> PROJECTION_READS{
    "/api/v1/councils",
    "/api/v1/councils/burgwal",
    "/api/v1/councils/burgwal/mandates",
    "/api/v1/councils/burgwal/bylaws",
    "/api/v1/councils/burgwal/proposals",
    "/api/v1/councils/burgwal/proposals/bankjes",
    "/api/v1/councils/burgwal/votes",
    "/api/v1/councils/burgwal/votes/v1",
    "/api/v1/councils/burgwal/commitments",
    "/api/v1/councils/burgwal/spendings",
    "/api/v1/councils/burgwal/spending-submissions",
    "/api/v1/councils/burgwal/budget-lines",
    "/api/v1/councils/burgwal/export.csv?year=2027",
    "/api/v1/councils/burgwal/export.json?year=2027",
    "/api/v1/feed.atom",
    "/api/v1/councils/burgwal/rounds",
    "/api/v1/rounds",
    "/api/v1/rounds/parkfestival",
    "/api/v1/rounds/parkfestival/export.pb",
    "/",
    "/councils/burgwal",
    "/councils/burgwal/proposals/bankjes",
    "/rounds",
    "/rounds/parkfestival",
};

TEST_F(RouterProjectionsTest, ReadsOfProjectionsBeingRebuiltAnswer503)
{
    projections_current = false;
    for (const std::string& target : PROJECTION_READS) {
        const int asked = syncs.load();
        const Reply reply = Answer(Get(target));
        EXPECT_EQ(reply.response.result(), http::status::service_unavailable) << target;
        EXPECT_EQ(syncs.load(), asked + 1) << target << ": the projections were not synced once";
        const std::string type{reply.response[http::field::content_type]};
        if (target.starts_with("/api/")) {
            EXPECT_EQ(type, "application/problem+json") << target;
            EXPECT_NE(reply.response.body().find(R"("code":"storage_unavailable")"),
                      std::string::npos)
                << target << ": " << reply.response.body();
        } else {
            EXPECT_TRUE(type.starts_with("text/html")) << target << ": " << type;
            // Dutch, the default language.
            EXPECT_NE(reply.response.body().find("opnieuw uit het grootboek opgebouwd"),
                      std::string::npos)
                << target;
        }
    }
}

TEST_F(RouterProjectionsTest, ReadsOfCurrentProjectionsAreAnswered)
{
    const int asked = syncs.load();
    const Reply councils = Answer(Get("/api/v1/councils"));
    EXPECT_EQ(councils.response.result(), http::status::ok);
    EXPECT_EQ(councils.response.body(), R"({"councils":[]})");
    const Reply unknown = Answer(Get("/api/v1/councils/burgwal"));
    EXPECT_EQ(unknown.response.result(), http::status::not_found);
    EXPECT_EQ(syncs.load(), asked + 2);
}

TEST_F(RouterProjectionsTest, TheHomePageWaitsWhenTheCheckpointCannotBeRead)
{
    // Not "no checkpoint signed yet", which would be a false statement about the ledger.
    EXPECT_EQ(Answer(Get("/")).response.result(), http::status::ok);
    m_checkpoints.unreadable = true;
    const Reply down = Answer(Get("/"));
    EXPECT_EQ(down.response.result(), http::status::service_unavailable);
    EXPECT_NE(down.response.body().find("Het grootboek is nu niet bereikbaar."), std::string::npos)
        << down.response.body();
    EXPECT_EQ(down.response.body().find("Nog geen controlepunt ondertekend."), std::string::npos);
}

TEST_F(RouterProjectionsTest, TheLedgersOwnRoutesAreNotHeldBack)
{
    projections_current = false;
    for (const char* target : {"/healthz", "/api/v1/ledger/vkey", "/api/v1/ledger/entries"}) {
        const Reply reply = Answer(Get(target));
        EXPECT_EQ(reply.response.result(), http::status::ok) << target;
    }
    EXPECT_EQ(syncs.load(), 0);
}

TEST_F(RouterProjectionsTest, WritesThatCheckARoundFirstQueueNothingWhileItIsRebuilt)
{
    KeepToken();
    projections_current = false;
    Request close{http::verb::post, "/api/v1/rounds/parkfestival/close", 11};
    close.set(http::field::authorization, "Bearer " + TOKEN);
    close.set("Idempotency-Key", "close-1");
    const Reply closed = Answer(close);
    EXPECT_EQ(closed.response.result(), http::status::service_unavailable)
        << closed.response.body();
    Request ballot{http::verb::post, "/api/v1/rounds/parkfestival/ballots", 11};
    ballot.set("Idempotency-Key", "ballot-1");
    ballot.set(http::field::content_type, "application/json");
    const std::array<std::uint8_t, services::VOTING_CODE_RANDOM_BYTES> random{7};
    ballot.body() = R"({"code":")" + services::MakeVotingCode(random) +
                    R"(","choices":[{"project":"bankjes","points":1}]})";
    ballot.prepare_payload();
    const Reply cast = Answer(ballot);
    EXPECT_EQ(cast.response.result(), http::status::service_unavailable) << cast.response.body();
    EXPECT_TRUE(m_appender.requests.empty());
}

} // namespace
} // namespace wijkbudget::api
