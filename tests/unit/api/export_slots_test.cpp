// A whole-ledger export holds a slot while it streams (api/export_slots.hpp): beyond the limits,
// in all and per client, GET /api/v1/ledger/export is 503 export_busy with Retry-After at once,
// and a slot comes back when its export's stream is gone.
#include "api/export_slots.hpp"
#include "tests/unit/api/router_under_test.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;

TEST(ExportSlotsTest, BoundsAllAndEachClientAndGivesSlotsBack)
{
    ExportSlots slots{3, 2};
    auto first = slots.TryTake("192.0.2.1");
    auto second = slots.TryTake("192.0.2.1");
    ASSERT_TRUE(first && second);
    EXPECT_FALSE(slots.TryTake("192.0.2.1")) << "a third for one client";
    auto other = slots.TryTake("2001:db8::");
    ASSERT_TRUE(other);
    EXPECT_FALSE(slots.TryTake("198.51.100.7")) << "a fourth in all";

    first.reset();
    auto again = slots.TryTake("198.51.100.7");
    EXPECT_TRUE(again) << "a slot given back is taken again";
    EXPECT_FALSE(slots.TryTake("192.0.2.1"));
    second.reset();
    other.reset();
    EXPECT_TRUE(slots.TryTake("192.0.2.1"));
}

TEST(ExportSlotsTest, ASlotMayOutliveItsSlots)
{
    std::shared_ptr<ExportSlots::Slot> slot;
    {
        ExportSlots slots{1, 1};
        slot = slots.TryTake("192.0.2.1");
        ASSERT_TRUE(slot);
    }
    slot.reset(); // Gives its slot back to a state it shares, not to the ExportSlots gone.
}

class ExportRouteTest : public router_test::RouterUnderTest
{
protected:
    Reply Export(const std::string& remote, const std::string& target = "/api/v1/ledger/export")
    {
        std::vector<Reply> replies;
        m_router.Handle(Request{http::verb::get, target, 11}, RequestInfo{"test", remote},
                        [&replies](Reply reply) { replies.push_back(std::move(reply)); });
        EXPECT_EQ(replies.size(), 1U);
        return replies.empty() ? Reply{} : replies.front();
    }

    static void ExpectBusy(const Reply& reply)
    {
        EXPECT_EQ(reply.response.result(), http::status::service_unavailable);
        EXPECT_NE(reply.response.body().find("\"code\":\"export_busy\""), std::string::npos)
            << reply.response.body();
        EXPECT_EQ(reply.response[http::field::retry_after], EXPORT_BUSY_RETRY_AFTER_SECONDS);
        EXPECT_FALSE(reply.stream);
    }
};

TEST_F(ExportRouteTest, IsRefusedBeyondTheSlotsUntilAnExportEnds)
{
    std::vector<Reply> streaming;
    // Two from one client, on ports of its own: the client is the address.
    for (const char* remote : {"192.0.2.1:40000", "192.0.2.1:40001", "[2001:db8::1]:443"}) {
        streaming.push_back(Export(remote));
        EXPECT_EQ(streaming.back().response.result(), http::status::ok) << remote;
        EXPECT_TRUE(streaming.back().stream) << remote;
    }
    ExpectBusy(Export("198.51.100.7:1"));

    streaming.pop_back(); // The IPv6 client's export is done with.
    ExpectBusy(Export("192.0.2.1:40002"));
    EXPECT_TRUE(Export("[2001:db8::2]:443").stream) << "the same /64 again, once";
}

TEST_F(ExportRouteTest, ARoundsPbFileTakesASlotToo)
{
    // A round's .pb file holds every ballot: as public and as large as an export.
    std::vector<Reply> streaming;
    for (const char* remote : {"192.0.2.1:40000", "192.0.2.1:40001"})
        streaming.push_back(Export(remote));
    ExpectBusy(Export("192.0.2.1:40002", "/api/v1/rounds/parkfestival/export.pb"));
    // Another client gets a slot; with no such round there is no file, and the slot goes back.
    const Reply unknown = Export("198.51.100.7:1", "/api/v1/rounds/parkfestival/export.pb");
    EXPECT_EQ(unknown.response.result(), http::status::not_found) << unknown.response.body();
    EXPECT_TRUE(Export("203.0.113.9:1").stream) << "the third slot is free again";
}

} // namespace
} // namespace wijkbudget::api
