// The login throttle: a few password checks at once, a login refused for a while after repeated
// failures (known or not), and a bounded memory of names.
#include "api/login_throttle.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::api {
namespace {

using namespace std::chrono_literals;
const LoginThrottle::Clock::time_point T0 = LoginThrottle::Clock::time_point{} + 24h;

TEST(LoginThrottleTest, OnlyAFewPasswordChecksRunAtOnce)
{
    LoginThrottle throttle;
    for (std::size_t check = 0; check < LOGIN_CHECKS_AT_ONCE_MAX; ++check)
        EXPECT_TRUE(throttle.TryBeginCheck());
    EXPECT_FALSE(throttle.TryBeginCheck());
    {
        const LoginThrottle::EndsCheck ends{throttle};
    }
    EXPECT_TRUE(throttle.TryBeginCheck()); // The place the ended check gave back.
    EXPECT_FALSE(throttle.TryBeginCheck());
}

TEST(LoginThrottleTest, ALoginIsRefusedAfterItsFailuresUntilTheirWindowHasPassed)
{
    LoginThrottle throttle;
    for (std::size_t failure = 0; failure + 1 < LOGIN_FAILURES_MAX; ++failure)
        throttle.RecordFailure("jan@haarlem.test", "192.0.2.1", T0 + failure * 1s);
    EXPECT_FALSE(throttle.Refusal("jan@haarlem.test", "192.0.2.1", T0 + 10s).has_value());
    throttle.RecordFailure("jan@haarlem.test", "192.0.2.1", T0 + 10s);
    const auto wait = throttle.Refusal("jan@haarlem.test", "192.0.2.1", T0 + 1min);
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(*wait, LOGIN_FAILURE_WINDOW - 1min);
    EXPECT_FALSE(throttle.Refusal("piet@haarlem.test", "192.0.2.1", T0 + 1min).has_value());
    EXPECT_FALSE(
        throttle.Refusal("jan@haarlem.test", "192.0.2.1", T0 + LOGIN_FAILURE_WINDOW).has_value());
    // A new window starts from nothing.
    throttle.RecordFailure("jan@haarlem.test", "192.0.2.1", T0 + LOGIN_FAILURE_WINDOW);
    EXPECT_FALSE(
        throttle.Refusal("jan@haarlem.test", "192.0.2.1", T0 + LOGIN_FAILURE_WINDOW).has_value());
}

TEST(LoginThrottleTest, ARightPasswordForgetsTheFailures)
{
    LoginThrottle throttle;
    for (std::size_t failure = 0; failure + 1 < LOGIN_FAILURES_MAX; ++failure)
        throttle.RecordFailure("jan@haarlem.test", "192.0.2.1", T0);
    throttle.RecordSuccess("jan@haarlem.test", "192.0.2.1");
    throttle.RecordFailure("jan@haarlem.test", "192.0.2.1", T0);
    EXPECT_FALSE(throttle.Refusal("jan@haarlem.test", "192.0.2.1", T0).has_value());
}

TEST(LoginThrottleTest, TheCountsKeptAreBoundedAndTheLeastFailedGoFirst)
{
    LoginThrottle throttle;
    for (std::size_t failure = 0; failure < LOGIN_FAILURES_MAX; ++failure)
        throttle.RecordFailure("wethouder", "192.0.2.1", T0);
    ASSERT_TRUE(throttle.Refusal("wethouder", "192.0.2.1", T0 + 1s).has_value());
    // Each failure keeps two counts (the name from its client, the name from all): half the
    // bound in made-up names fills it, and a few more make room. The oldest counts went before
    // (helper review): the name under attack was free again after about 5,000 failures.
    for (std::size_t name = 0; name < LOGIN_THROTTLE_NAMES_MAX / 2 + 10; ++name)
        throttle.RecordFailure("name-" + std::to_string(name), "198.51.100.7", T0 + 1s);
    EXPECT_TRUE(throttle.Refusal("wethouder", "192.0.2.1", T0 + 2s).has_value());
    // The bound holds: a made-up name that failed once then fails four more times from its
    // client is refused, so its counts are kept while the flood goes on.
    for (std::size_t failure = 1; failure < LOGIN_FAILURES_MAX; ++failure)
        throttle.RecordFailure("name-0", "198.51.100.7", T0 + 2s);
    EXPECT_FALSE(throttle.Refusal("name-0", "198.51.100.7", T0 + 3s).has_value())
        << "name-0's first failure was among the first to go";
}

TEST(LoginThrottleTest, AClientsFailuresHoldTheNameBackFromThatClientOnly)
{
    // A stranger who knows an officer's login cannot keep the officer out with five requests.
    LoginThrottle throttle;
    for (std::size_t failure = 0; failure < LOGIN_FAILURES_MAX; ++failure)
        throttle.RecordFailure("wethouder", "198.51.100.9", T0);
    EXPECT_TRUE(throttle.Refusal("wethouder", "198.51.100.9", T0).has_value());
    EXPECT_FALSE(throttle.Refusal("wethouder", "192.0.2.1", T0).has_value());
}

TEST(LoginThrottleTest, ANameFailedFromManyClientsIsHeldBackFromAll)
{
    // Guessing from many addresses is bounded by the count per name.
    LoginThrottle throttle;
    for (std::size_t failure = 0; failure < LOGIN_NAME_FAILURES_MAX; ++failure)
        throttle.RecordFailure("wethouder", "10.0.0." + std::to_string(failure), T0);
    EXPECT_TRUE(throttle.Refusal("wethouder", "192.0.2.1", T0 + 1s).has_value());
    EXPECT_FALSE(throttle.Refusal("wethouder", "192.0.2.1", T0 + LOGIN_FAILURE_WINDOW).has_value());
}

TEST(LoginThrottleTest, AClientIsItsAddressWithoutThePortAndAnIpv6AddressItsSlash64)
{
    EXPECT_EQ(LoginClientOf("192.0.2.1:5555"), "192.0.2.1");
    EXPECT_EQ(LoginClientOf("[2001:db8:1:2:3:4:5:6]:443"), "20010db800010002/64");
    EXPECT_EQ(LoginClientOf("[2001:db8:1:2::9]:443"), LoginClientOf("[2001:db8:1:2:ffff::1]:1"));
    EXPECT_NE(LoginClientOf("[2001:db8:1:2::9]:443"), LoginClientOf("[2001:db8:1:3::9]:443"));
    EXPECT_EQ(LoginClientOf("unknown"), "unknown");
    // IPv4 peers of a listener on "::": each its own client, as on an IPv4 listener.
    EXPECT_EQ(LoginClientOf("[::ffff:192.0.2.1]:5555"), "192.0.2.1");
    EXPECT_NE(LoginClientOf("[::ffff:192.0.2.1]:5555"),
              LoginClientOf("[::ffff:198.51.100.7]:5555"));
}

} // namespace
} // namespace wijkbudget::api
