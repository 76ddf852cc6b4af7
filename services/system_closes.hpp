#pragma once
// services/system_closes.hpp: closes the service records on its own (a vote at its deadline, a
// round after its window), each submitted once while it is in flight.
//
// A close is an append request without an idempotency claim: if someone closed the same thing
// first, its draft is refused under the sequencer's lock and nothing is stored. The queue only
// keeps one process from submitting the same close again before the first is answered.

#include "ledger/append.hpp"
#include "services/councils.hpp"

#include <boost/system/result.hpp>

#include <functional>
#include <mutex>
#include <set>
#include <string>

namespace wijkbudget::services {

class SystemCloses
{
public:
    using Drafted = boost::system::result<DraftMaker, ledger::Failure>;

    explicit SystemCloses(ledger::Appender& appender) : m_appender{appender} {}

    //! Submits the close `draft` makes under `key`, unless one is in flight or the use case
    //! refuses at once; true when submitted.
    bool Submit(const std::string& key, const std::function<Drafted()>& draft);

private:
    ledger::Appender& m_appender;
    std::mutex m_mutex;
    std::set<std::string> m_queued; //!< Keys of closes submitted and not yet answered.
};

} // namespace wijkbudget::services
