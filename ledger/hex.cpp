#include "ledger/hex.hpp"

namespace wijkbudget::ledger {
namespace {

constexpr std::string_view DIGITS{"0123456789abcdef"};

int NibbleOf(char digit)
{
    if (digit >= '0' && digit <= '9') return digit - '0';
    if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
    if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
    return -1;
}

} // namespace

std::string ToHex(std::span<const std::uint8_t> bytes)
{
    std::string text;
    text.reserve(bytes.size() * 2);
    for (std::uint8_t byte : bytes) {
        text.push_back(DIGITS[byte >> 4U]);
        text.push_back(DIGITS[byte & 0x0FU]);
    }
    return text;
}

std::optional<std::vector<std::uint8_t>> FromHex(std::string_view text)
{
    if (text.size() % 2 != 0) return std::nullopt;
    std::vector<std::uint8_t> bytes;
    bytes.reserve(text.size() / 2);
    for (std::size_t position = 0; position < text.size(); position += 2) {
        const int high = NibbleOf(text[position]);
        const int low = NibbleOf(text[position + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
    }
    return bytes;
}

std::optional<Hash> HashFromHex(std::string_view text)
{
    // Lowercase only: one spelling per hash, so canonical bytes stay canonical.
    const auto lower_nibble = [](char digit) {
        if (digit >= '0' && digit <= '9') return digit - '0';
        if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
        return -1;
    };
    if (text.size() != HASH_BYTES * 2) return std::nullopt;
    Hash hash{};
    for (std::size_t position = 0; position < HASH_BYTES; ++position) {
        const int high = lower_nibble(text[2 * position]);
        const int low = lower_nibble(text[2 * position + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        hash[position] = static_cast<std::uint8_t>(high * 16 + low);
    }
    return hash;
}

} // namespace wijkbudget::ledger
