#include "services/voting_codes.hpp"

#include "ledger/assert.hpp"
#include "ledger/sha256.hpp"

#include <algorithm>

namespace wijkbudget::services {
namespace {

constexpr std::string_view ALPHABET{"0123456789ABCDEFGHJKMNPQRSTVWXYZ"};
constexpr std::size_t BASE{ALPHABET.size()};
static_assert(BASE == 32);
constexpr std::size_t CODE_SYMBOLS{VOTING_CODE_RANDOM_SYMBOLS + 1};
constexpr std::size_t GROUP_SYMBOLS{4};

//! The value of a typed symbol, read the forgiving way, or nothing.
std::optional<std::size_t> SymbolValue(char typed)
{
    char c = typed >= 'a' && typed <= 'z' ? static_cast<char>(typed - 'a' + 'A') : typed;
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    const auto position = ALPHABET.find(c);
    if (position == std::string_view::npos) return std::nullopt;
    return position;
}

//! Luhn mod 32 over symbol values, rightmost first, doubling every second from the right of the
//! check symbol's place. Returns the sum mod 32.
std::size_t LuhnSum(const std::vector<std::size_t>& values, bool doubling_first)
{
    std::size_t sum = 0;
    bool doubling = doubling_first;
    for (auto value = values.rbegin(); value != values.rend(); ++value) {
        std::size_t addend = doubling ? *value * 2 : *value;
        addend = addend / BASE + addend % BASE;
        sum += addend;
        doubling = !doubling;
    }
    return sum % BASE;
}

} // namespace

ledger::Hash RoundLabelledHash(std::string_view label, const ledger::Slug& round,
                               std::string_view text)
{
    ledger::Sha256 hasher;
    hasher.Update(label);
    hasher.Update(std::string_view{"\0", 1});
    hasher.Update(round.value);
    hasher.Update(std::string_view{"\0", 1});
    hasher.Update(text);
    return hasher.Finish();
}

std::string MakeVotingCode(std::span<const std::uint8_t, VOTING_CODE_RANDOM_BYTES> random)
{
    std::vector<std::size_t> values;
    std::size_t bit = 0;
    for (std::size_t symbol = 0; symbol < VOTING_CODE_RANDOM_SYMBOLS; ++symbol) {
        std::size_t value = 0;
        for (std::size_t i = 0; i < 5; ++i, ++bit) {
            value = value << 1 | ((random[bit / 8] >> (7 - bit % 8)) & 1U);
        }
        values.push_back(value);
    }
    values.push_back((BASE - LuhnSum(values, true)) % BASE);
    std::string printed;
    for (std::size_t position = 0; position < values.size(); ++position) {
        if (position > 0 && position % GROUP_SYMBOLS == 0) printed += '-';
        printed += ALPHABET[values[position]];
    }
    return printed;
}

std::optional<std::string> CanonicalVotingCode(std::string_view typed)
{
    if (typed.size() > VOTING_CODE_TYPED_BYTES_MAX) return std::nullopt;
    std::vector<std::size_t> values;
    for (const char c : typed) {
        if (c == '-' || c == ' ') continue;
        const auto value = SymbolValue(c);
        if (!value) return std::nullopt;
        values.push_back(*value);
    }
    if (values.size() != CODE_SYMBOLS || LuhnSum(values, false) != 0) return std::nullopt;
    std::string canonical;
    for (const std::size_t value : values)
        canonical += ALPHABET[value];
    return canonical;
}

ledger::Hash VotingCodeHash(const ledger::Slug& round, std::string_view canonical)
{
    return RoundLabelledHash("wijkbudget voting code v1", round, canonical);
}

ledger::Hash NullifierOf(const ledger::Slug& round, std::string_view canonical)
{
    return RoundLabelledHash("wijkbudget nullifier v1", round, canonical);
}

ledger::Hash CodesDigest(std::vector<ledger::Hash> hashes)
{
    std::sort(hashes.begin(), hashes.end());
    ledger::Sha256 hasher;
    for (const ledger::Hash& hash : hashes)
        hasher.Update(std::span<const std::uint8_t>{hash});
    return hasher.Finish();
}

} // namespace wijkbudget::services
