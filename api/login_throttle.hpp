#pragma once
// api/login_throttle.hpp: what keeps password logins from being a cheap way in or a cheap way to
// stop the service (POST /api/v1/session).
//
// A password check is Argon2id: about a tenth of a second of a core and 64 MiB. Unchecked, a few
// clients posting logins fill the worker pool with hashes, and every other request waits behind
// them; and one login can be guessed at without end. So a few checks run at once (beyond that a
// login is answered 503 at once, with Retry-After), and a login name that failed
// LOGIN_FAILURES_MAX times from one client (an IPv4 address, or an IPv6 /64) within
// LOGIN_FAILURE_WINDOW is refused to that client (429) until the window ends, and to everyone once
// it failed LOGIN_NAME_FAILURES_MAX times from any clients. Known logins and unknown ones alike,
// so that a refusal tells nothing about which exist. Per client first, so that a stranger
// cannot hold an officer's login back with a handful of requests; the ceiling per name bounds
// guessing from many addresses. A login refused so costs no hash. The memory is per process
// and bounded.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::api {

//! Password checks running at once at most (two cores' worth on the machines we run on).
inline constexpr std::size_t LOGIN_CHECKS_AT_ONCE_MAX{2};
//! Failed logins of one login name from one client within LOGIN_FAILURE_WINDOW before it is
//! refused to that client.
inline constexpr std::size_t LOGIN_FAILURES_MAX{5};
//! Failed logins of one login name from all clients within the window before it is refused.
inline constexpr std::size_t LOGIN_NAME_FAILURES_MAX{50};
inline constexpr std::chrono::minutes LOGIN_FAILURE_WINDOW{15};
//! Counts of failures (per client and name, and per name) kept at most; beyond it expired
//! windows go, then the count with the fewest failures (the oldest of those).
inline constexpr std::size_t LOGIN_THROTTLE_NAMES_MAX{10'000};

/** Who a login comes from, for the throttle: the address of `remote` ("1.2.3.4:port" or
 *  "[v6]:port", as the session writes it) without the port, an IPv6 address cut to its /64 (one
 *  subscriber may hold all of a /64), and an IPv4-mapped one (a listener on "::") as its IPv4. */
std::string LoginClientOf(std::string_view remote);

/** Thread-safe. */
class LoginThrottle
{
public:
    using Clock = std::chrono::steady_clock;

    //! Begins a password check; false while LOGIN_CHECKS_AT_ONCE_MAX run. A true must be
    //! paired with EndCheck (an EndsCheck does it).
    [[nodiscard]] bool TryBeginCheck();
    void EndCheck();

    //! Ends a begun check when it goes out of scope, however the check ends.
    class EndsCheck
    {
    public:
        explicit EndsCheck(LoginThrottle& throttle) : m_throttle{throttle} {}
        ~EndsCheck() { m_throttle.EndCheck(); }
        EndsCheck(const EndsCheck&) = delete;
        EndsCheck& operator=(const EndsCheck&) = delete;

    private:
        LoginThrottle& m_throttle;
    };

    //! How long `login` is still refused to `client` at `now`; none when it may try.
    [[nodiscard]] std::optional<Clock::duration>
    Refusal(std::string_view login, std::string_view client, Clock::time_point now);
    void RecordFailure(std::string_view login, std::string_view client, Clock::time_point now);
    //! A right password: the failures of the name, and of the name from this client, are
    //! forgotten.
    void RecordSuccess(std::string_view login, std::string_view client);

private:
    struct Failures {
        std::size_t count{0};
        Clock::time_point first; //!< Of the window the count belongs to.
    };
    void MakeRoom(Clock::time_point now);
    //! @pre m_mutex held.
    [[nodiscard]] std::optional<Clock::duration>
    RefusalOf(const std::string& key, std::size_t failures_max, Clock::time_point now) const;
    //! @pre m_mutex held.
    void Count(std::string key, Clock::time_point now);

    std::mutex m_mutex;
    std::size_t m_checks{0};
    std::map<std::string, Failures, std::less<>> m_failures;
};

} // namespace wijkbudget::api
