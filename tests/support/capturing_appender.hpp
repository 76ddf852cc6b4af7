#pragma once
// tests/support/capturing_appender.hpp: an Appender that keeps what is submitted and answers only
// when a test calls the kept `done`, as the sequencer does after its commit.

#include "ledger/append.hpp"

#include <new>
#include <utility>
#include <vector>

namespace wijkbudget::testing {

class CapturingAppender final : public ledger::Appender
{
public:
    void Submit(ledger::AppendRequest request, Done done) override
    {
        if (std::exchange(fail_next, false)) throw std::bad_alloc{}; // Nothing kept, as a queue.
        requests.push_back(std::move(request));
        dones.push_back(std::move(done));
    }
    std::vector<ledger::AppendRequest> requests;
    std::vector<Done> dones;
    //! The next Submit throws before it keeps anything (out of memory).
    bool fail_next{false};
};

} // namespace wijkbudget::testing
