// A command's append: a database failure, which may have hidden a commit, is tried again under the
// same claim, with growing waits, a bounded number of times; any other answer is final at once.
#include "api/command_append.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

namespace wijkbudget::api {
namespace {

using Reply = boost::system::result<ledger::AppendReply, ledger::AppendFailure>;
using std::chrono::milliseconds;

//! Answers each Submit with the next scripted reply, and keeps the claims it was sent.
class ScriptedAppender final : public ledger::Appender
{
public:
    explicit ScriptedAppender(std::deque<Reply> replies) : m_replies{std::move(replies)} {}
    void Submit(ledger::AppendRequest request, Done done) override
    {
        ASSERT_FALSE(m_replies.empty()) << "submitted more often than scripted";
        claims.push_back(*request.claim);
        Reply reply = m_replies.front();
        m_replies.pop_front();
        done(std::move(reply));
    }
    std::vector<ledger::IdempotencyClaim> claims;

private:
    std::deque<Reply> m_replies;
};

ledger::AppendRequest Request()
{
    return ledger::AppendRequest{
        ledger::IdempotencyClaim{"codes", "codes:ab12", ledger::Sha256Of(std::string_view{"x"})},
        [] { return boost::system::result<ledger::Entry, ledger::Failure>(ledger::Failure{}); },
        [](const auto&) {
            return ledger::StoredAnswer{422, "refused"};
        }};
}

TEST(CommandAppendTest, TriesAgainUnderTheSameClaimAfterTheDatabaseFailed)
{
    ScriptedAppender appender{{ledger::AppendFailure::unavailable,
                               ledger::AppendFailure::unavailable,
                               ledger::AppendReply{ledger::StoredAnswer{201, "7"}, true}}};
    std::vector<milliseconds> waits;
    const auto reply =
        AppendAndWait(appender, Request(), [&waits](milliseconds wait) { waits.push_back(wait); });
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->answer, (ledger::StoredAnswer{201, "7"}));
    EXPECT_TRUE(reply->replayed); // The first try's commit had gone through after all.
    ASSERT_EQ(appender.claims.size(), 3U);
    for (const auto& claim : appender.claims) {
        EXPECT_EQ(claim.principal, "codes");
        EXPECT_EQ(claim.key, "codes:ab12");
        EXPECT_EQ(claim.request_hash, ledger::Sha256Of(std::string_view{"x"}));
    }
    EXPECT_EQ(waits, (std::vector<milliseconds>{COMMAND_APPEND_FIRST_WAIT,
                                                2 * COMMAND_APPEND_FIRST_WAIT}));
}

TEST(CommandAppendTest, GivesUpAfterTheLastTryAndSaysTheDatabaseFailed)
{
    std::deque<Reply> replies(COMMAND_APPEND_TRIES_MAX, ledger::AppendFailure::unavailable);
    ScriptedAppender appender{replies};
    std::vector<milliseconds> waits;
    const auto reply =
        AppendAndWait(appender, Request(), [&waits](milliseconds wait) { waits.push_back(wait); });
    ASSERT_FALSE(reply.has_value());
    EXPECT_EQ(reply.error(), ledger::AppendFailure::unavailable);
    EXPECT_EQ(appender.claims.size(), static_cast<std::size_t>(COMMAND_APPEND_TRIES_MAX));
    EXPECT_EQ(waits.size(), static_cast<std::size_t>(COMMAND_APPEND_TRIES_MAX - 1));
    EXPECT_EQ(waits.back(), COMMAND_APPEND_FIRST_WAIT * (1 << (COMMAND_APPEND_TRIES_MAX - 2)));
}

TEST(CommandAppendTest, AFailureAfterAnUnknownCommitLeavesTheOutcomeUnknown)
{
    // The first try's commit may have gone through; the sequencer stopping on the second says
    // nothing of it, so the caller must not take it for "nothing was written".
    ScriptedAppender appender{
        {ledger::AppendFailure::unavailable, ledger::AppendFailure::shutting_down}};
    const auto reply = AppendAndWait(appender, Request(), [](milliseconds) {});
    ASSERT_FALSE(reply.has_value());
    EXPECT_EQ(reply.error(), ledger::AppendFailure::unavailable);
    EXPECT_EQ(appender.claims.size(), 2U);
}

TEST(CommandAppendTest, AnswersThatWroteNothingOrWereDecidedAreFinalAtOnce)
{
    for (const Reply& final :
         {Reply{ledger::AppendFailure::key_reused}, Reply{ledger::AppendFailure::read_only},
          Reply{ledger::AppendFailure::shutting_down},
          Reply{ledger::AppendFailure::credential_refused},
          Reply{ledger::AppendReply{ledger::StoredAnswer{422, "no"}, false}},
          Reply{ledger::AppendReply{ledger::StoredAnswer{201, "3"}, false}}}) {
        ScriptedAppender appender{{final}};
        int waits = 0;
        const auto reply = AppendAndWait(appender, Request(), [&waits](milliseconds) { ++waits; });
        EXPECT_EQ(appender.claims.size(), 1U);
        EXPECT_EQ(waits, 0);
        EXPECT_EQ(reply.has_value(), final.has_value());
        if (reply && final) {
            EXPECT_EQ(reply->answer, final->answer);
        } else if (!reply && !final) {
            EXPECT_EQ(reply.error(), final.error());
        }
    }
}

} // namespace
} // namespace wijkbudget::api
