#include "ledger/money.hpp"

#include "ledger/errc.hpp"

namespace wijkbudget::ledger {
namespace {

bool InSignedRange(Cents amount)
{
    return amount.value >= -CENTS_MAX && amount.value <= CENTS_MAX;
}

boost::system::result<Cents> Checked(std::int64_t value)
{
    if (!InSignedRange(Cents{value})) return make_error_code(Errc::amount_out_of_range);
    return Cents{value};
}

} // namespace

boost::system::result<Cents> AddCents(Cents lhs, Cents rhs)
{
    // Operands within +-CENTS_MAX cannot overflow int64; larger ones are rejected first.
    if (!InSignedRange(lhs) || !InSignedRange(rhs))
        return make_error_code(Errc::amount_out_of_range);
    return Checked(lhs.value + rhs.value);
}

boost::system::result<Cents> SubtractCents(Cents lhs, Cents rhs)
{
    if (!InSignedRange(lhs) || !InSignedRange(rhs))
        return make_error_code(Errc::amount_out_of_range);
    return Checked(lhs.value - rhs.value);
}

std::string FormatEuroDutch(Cents amount)
{
    const bool negative = amount.value < 0;
    // CENTS_MAX is far from INT64_MIN, but a caller may pass anything: work in unsigned.
    const auto magnitude = negative ? 0ULL - static_cast<unsigned long long>(amount.value)
                                    : static_cast<unsigned long long>(amount.value);
    std::string euros = std::to_string(magnitude / 100);
    for (auto position = static_cast<std::ptrdiff_t>(euros.size()) - 3; position > 0;
         position -= 3) {
        // insert(pos, count, char): g++ 12 at -O3 warns, wrongly, -Wrestrict on the C-string form.
        euros.insert(static_cast<std::size_t>(position), 1, '.');
    }
    const auto cents = magnitude % 100;
    return std::string(negative ? "-€ " : "€ ") + euros + "," + (cents < 10 ? "0" : "") +
           std::to_string(cents);
}

} // namespace wijkbudget::ledger
