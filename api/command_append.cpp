#include "api/command_append.hpp"

#include "ledger/assert.hpp"

#include <future>
#include <thread>

namespace wijkbudget::api {

boost::system::result<ledger::AppendReply, ledger::AppendFailure>
AppendAndWait(ledger::Appender& appender, const ledger::AppendRequest& request,
              const CommandSleep& sleep)
{
    WB_ASSERT(request.claim.has_value());
    using Reply = boost::system::result<ledger::AppendReply, ledger::AppendFailure>;
    std::chrono::milliseconds wait = COMMAND_APPEND_FIRST_WAIT;
    for (int tried = 1;; ++tried) {
        std::promise<Reply> answered;
        appender.Submit(request,
                        [&answered](Reply reply) { answered.set_value(std::move(reply)); });
        Reply reply = answered.get_future().get();
        if (reply) return reply;
        // After an `unavailable` the outcome stays unknown until a try answers: a later refusal
        // that wrote nothing (read_only, shutting_down) says nothing of the earlier commit.
        if (reply.error() != ledger::AppendFailure::unavailable) {
            return tried == 1 ? reply : Reply{ledger::AppendFailure::unavailable};
        }
        if (tried == COMMAND_APPEND_TRIES_MAX) return reply;
        if (sleep) {
            sleep(wait);
        } else {
            std::this_thread::sleep_for(wait);
        }
        wait *= 2;
    }
}

} // namespace wijkbudget::api
