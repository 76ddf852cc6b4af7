#pragma once
// ledger/money.hpp: euro cents, the only representation of money (STYLE.md section 5).

#include <boost/system/result.hpp>

#include <compare>
#include <cstdint>
#include <string>

namespace wijkbudget::ledger {

//! 10^13 cents (100 billion euro): below 2^53, so JSON numbers stay exact in browsers.
inline constexpr std::int64_t CENTS_MAX{10'000'000'000'000};

//! Euro cents. Integer only. An amount in an entry lies in 1..CENTS_MAX; a balance in
//! 0..CENTS_MAX. Signed so that a subtraction that would go negative is visible, not wrapped.
struct Cents {
    std::int64_t value{0};
    friend auto operator<=>(const Cents&, const Cents&) = default;
};

//! True for an amount an entry may carry: 1..CENTS_MAX.
constexpr bool AmountInRange(Cents amount)
{
    return amount.value >= 1 && amount.value <= CENTS_MAX;
}

//! True for a balance an account may hold: 0..CENTS_MAX.
constexpr bool BalanceInRange(Cents balance)
{
    return balance.value >= 0 && balance.value <= CENTS_MAX;
}

//! lhs + rhs; Errc::amount_out_of_range if the sum leaves -CENTS_MAX..CENTS_MAX.
boost::system::result<Cents> AddCents(Cents lhs, Cents rhs);
//! lhs - rhs; Errc::amount_out_of_range if the difference leaves -CENTS_MAX..CENTS_MAX.
boost::system::result<Cents> SubtractCents(Cents lhs, Cents rhs);

//! "€ 1.234,56": the one place where cents become Dutch text (logs and tool output).
std::string FormatEuroDutch(Cents amount);

namespace literals {
consteval Cents operator""_cents(unsigned long long value)
{
    if (value > static_cast<unsigned long long>(CENTS_MAX)) throw "amount above CENTS_MAX";
    return Cents{static_cast<std::int64_t>(value)};
}
} // namespace literals

} // namespace wijkbudget::ledger
