#include "api/login_throttle.hpp"

#include "ledger/assert.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>

#include <algorithm>

namespace wijkbudget::api {

bool LoginThrottle::TryBeginCheck()
{
    const std::lock_guard lock{m_mutex};
    if (m_checks >= LOGIN_CHECKS_AT_ONCE_MAX) return false;
    ++m_checks;
    return true;
}

void LoginThrottle::EndCheck()
{
    const std::lock_guard lock{m_mutex};
    WB_ASSERT(m_checks > 0);
    --m_checks;
}

namespace {

//! The keys of the two counts: the name from one client, and the name from all.
std::string ClientKey(std::string_view login, std::string_view client)
{
    std::string key{"c\n"};
    key.append(client).append("\n").append(login);
    return key;
}
std::string NameKey(std::string_view login)
{
    return std::string{"n\n"}.append(login);
}

} // namespace

std::string LoginClientOf(std::string_view remote)
{
    if (remote.starts_with('[')) {
        const auto close = remote.find(']');
        const std::string text{remote.substr(1, close == std::string_view::npos ? 0 : close - 1)};
        boost::system::error_code error;
        const auto address = boost::asio::ip::make_address_v6(text, error);
        if (error) return text;
        // A listener on "::" takes IPv4 peers as ::ffff:a.b.c.d: their first 64 bits are all
        // zero, which would make every IPv4 client one. They count by their IPv4 address.
        if (address.is_v4_mapped())
            return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address)
                .to_string();
        const auto bytes = address.to_bytes();
        constexpr std::string_view DIGITS{"0123456789abcdef"};
        std::string prefix;
        for (std::size_t position = 0; position < 8; ++position) {
            prefix.push_back(DIGITS[bytes[position] >> 4U]);
            prefix.push_back(DIGITS[bytes[position] & 0x0fU]);
        }
        return prefix + "/64";
    }
    return std::string(remote.substr(0, remote.rfind(':')));
}

std::optional<LoginThrottle::Clock::duration> LoginThrottle::RefusalOf(const std::string& key,
                                                                       std::size_t failures_max,
                                                                       Clock::time_point now) const
{
    const auto found = m_failures.find(key);
    if (found == m_failures.end()) return std::nullopt;
    const Clock::time_point ends = found->second.first + LOGIN_FAILURE_WINDOW;
    if (now >= ends || found->second.count < failures_max) return std::nullopt;
    return ends - now;
}

std::optional<LoginThrottle::Clock::duration>
LoginThrottle::Refusal(std::string_view login, std::string_view client, Clock::time_point now)
{
    const std::lock_guard lock{m_mutex};
    const auto by_client = RefusalOf(ClientKey(login, client), LOGIN_FAILURES_MAX, now);
    const auto by_name = RefusalOf(NameKey(login), LOGIN_NAME_FAILURES_MAX, now);
    if (by_client && by_name) return std::max(*by_client, *by_name);
    return by_client ? by_client : by_name;
}

void LoginThrottle::RecordFailure(std::string_view login, std::string_view client,
                                  Clock::time_point now)
{
    const std::lock_guard lock{m_mutex};
    Count(ClientKey(login, client), now);
    Count(NameKey(login), now);
}

void LoginThrottle::Count(std::string key, Clock::time_point now)
{
    auto found = m_failures.find(key);
    if (found == m_failures.end()) {
        MakeRoom(now);
        found = m_failures.emplace(std::move(key), Failures{0, now}).first;
    }
    Failures& failures = found->second;
    if (now >= failures.first + LOGIN_FAILURE_WINDOW) failures = Failures{0, now};
    ++failures.count;
}

void LoginThrottle::RecordSuccess(std::string_view login, std::string_view client)
{
    const std::lock_guard lock{m_mutex};
    m_failures.erase(ClientKey(login, client));
    m_failures.erase(NameKey(login));
}

void LoginThrottle::MakeRoom(Clock::time_point now)
{
    if (m_failures.size() < LOGIN_THROTTLE_NAMES_MAX) return;
    std::erase_if(m_failures, [now](const auto& entry) {
        return now >= entry.second.first + LOGIN_FAILURE_WINDOW;
    });
    if (m_failures.size() < LOGIN_THROTTLE_NAMES_MAX) return;
    // Every window is still open: the count with the fewest failures goes, the oldest of those
    // first, which keeps the bound whatever is sent. Not simply the oldest: a flood of failures on
    // made-up names would then push out the counts that hold back a name under attack.
    const auto least = std::min_element(
        m_failures.begin(), m_failures.end(), [](const auto& left, const auto& right) {
            return std::pair{left.second.count, left.second.first} <
                   std::pair{right.second.count, right.second.first};
        });
    m_failures.erase(least);
}

} // namespace wijkbudget::api
