#pragma once
// services/system_closes.hpp: closes the service records on its own (a vote at its deadline, a
// round after its window), each submitted once while it is in flight.
//
// A close is an append request without an idempotency claim: if someone closed the same thing
// first, its draft is refused under the sequencer's lock and nothing is stored. The queue only
// keeps one process from submitting the same close again before the first is answered.
//
// A close whose draft is refused is tried again less and less often: a refusal is decided on the
// sequencer's thread, under its lock, and a round's count can take a while (it is made before the
// draft, on the scanning thread, but made again under the lock if the round changed meanwhile). A
// round whose count cannot finish would otherwise take that time with each scan, for good.

#include "ledger/append.hpp"
#include "services/councils.hpp"

#include <boost/system/result.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace wijkbudget::services {

//! After n refusals in a row a close skips the next min(2^n, this) scans: at most about five
//! minutes apart at the five-second scan of api/main_serve.cpp.
inline constexpr unsigned SYSTEM_CLOSE_SKIPS_MAX{60};
//! Refused keys remembered at most; beyond, all are forgotten (each is tried at the next scan).
//! A key stays until its close succeeds, and one closed by somebody else is not tried again.
inline constexpr std::size_t SYSTEM_CLOSE_REFUSALS_KEPT_MAX{10'000};

class SystemCloses
{
public:
    using Drafted = boost::system::result<DraftMaker, ledger::Failure>;

    explicit SystemCloses(ledger::Appender& appender) : m_appender{appender} {}

    //! Submits the close `draft` makes under `key`, unless one is in flight, its refusals hold
    //! it back this scan, or the use case refuses at once; true when submitted.
    bool Submit(const std::string& key, const std::function<Drafted()>& draft);

private:
    ledger::Appender& m_appender;
    std::mutex m_mutex;
    struct Refusals {
        unsigned in_a_row{0};
        unsigned scans_to_skip{0};
    };
    std::set<std::string> m_queued;            //!< Keys of closes submitted and not yet answered.
    std::map<std::string, Refusals> m_refused; //!< Keys whose last close was refused.
};

} // namespace wijkbudget::services
