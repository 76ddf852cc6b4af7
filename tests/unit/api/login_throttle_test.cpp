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
        throttle.RecordFailure("jan@haarlem.test", T0 + failure * 1s);
    EXPECT_FALSE(throttle.Refusal("jan@haarlem.test", T0 + 10s).has_value());
    throttle.RecordFailure("jan@haarlem.test", T0 + 10s);
    const auto wait = throttle.Refusal("jan@haarlem.test", T0 + 1min);
    ASSERT_TRUE(wait.has_value());
    EXPECT_EQ(*wait, LOGIN_FAILURE_WINDOW - 1min);
    EXPECT_FALSE(throttle.Refusal("piet@haarlem.test", T0 + 1min).has_value());
    EXPECT_FALSE(throttle.Refusal("jan@haarlem.test", T0 + LOGIN_FAILURE_WINDOW).has_value());
    // A new window starts from nothing.
    throttle.RecordFailure("jan@haarlem.test", T0 + LOGIN_FAILURE_WINDOW);
    EXPECT_FALSE(throttle.Refusal("jan@haarlem.test", T0 + LOGIN_FAILURE_WINDOW).has_value());
}

TEST(LoginThrottleTest, ARightPasswordForgetsTheFailures)
{
    LoginThrottle throttle;
    for (std::size_t failure = 0; failure + 1 < LOGIN_FAILURES_MAX; ++failure)
        throttle.RecordFailure("jan@haarlem.test", T0);
    throttle.RecordSuccess("jan@haarlem.test");
    throttle.RecordFailure("jan@haarlem.test", T0);
    EXPECT_FALSE(throttle.Refusal("jan@haarlem.test", T0).has_value());
}

TEST(LoginThrottleTest, TheNamesKeptAreBoundedAndTheOldestGoFirst)
{
    LoginThrottle throttle;
    for (std::size_t failure = 0; failure < LOGIN_FAILURES_MAX; ++failure)
        throttle.RecordFailure("oldest", T0);
    ASSERT_TRUE(throttle.Refusal("oldest", T0 + 1s).has_value());
    for (std::size_t name = 0; name < LOGIN_THROTTLE_NAMES_MAX; ++name)
        throttle.RecordFailure("name-" + std::to_string(name), T0 + 1s);
    EXPECT_FALSE(throttle.Refusal("oldest", T0 + 2s).has_value());
}

} // namespace
} // namespace wijkbudget::api
