#include "ledger/base64.hpp"

#include <openssl/crypto.h>

#include <array>

namespace wijkbudget::ledger {
namespace {

constexpr std::string_view ALPHABET{
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"};
constexpr char PAD{'='};
//! Marks a byte that is not in ALPHABET in DECODE_TABLE.
constexpr std::uint8_t NOT_BASE64{0xFF};

constexpr std::array<std::uint8_t, 256> MakeDecodeTable()
{
    std::array<std::uint8_t, 256> table{};
    table.fill(NOT_BASE64);
    for (std::size_t value = 0; value < ALPHABET.size(); ++value) {
        table[static_cast<unsigned char>(ALPHABET[value])] = static_cast<std::uint8_t>(value);
    }
    return table;
}

constexpr std::array<std::uint8_t, 256> DECODE_TABLE{MakeDecodeTable()};

std::uint8_t SextetOf(char digit)
{
    return DECODE_TABLE[static_cast<unsigned char>(digit)];
}

char DigitOf(std::uint32_t sextet)
{
    return ALPHABET[sextet & 0x3FU];
}

} // namespace

std::string ToBase64(std::span<const std::uint8_t> bytes)
{
    std::string text;
    text.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t position = 0;
    for (; position + 3 <= bytes.size(); position += 3) {
        const std::uint32_t group = (std::uint32_t{bytes[position]} << 16U) |
                                    (std::uint32_t{bytes[position + 1]} << 8U) |
                                    std::uint32_t{bytes[position + 2]};
        text.push_back(DigitOf(group >> 18U));
        text.push_back(DigitOf(group >> 12U));
        text.push_back(DigitOf(group >> 6U));
        text.push_back(DigitOf(group));
    }
    const std::size_t rest = bytes.size() - position;
    if (rest == 1) {
        const std::uint32_t group = std::uint32_t{bytes[position]} << 16U;
        text.push_back(DigitOf(group >> 18U));
        text.push_back(DigitOf(group >> 12U));
        text.append(2, PAD);
    } else if (rest == 2) {
        const std::uint32_t group =
            (std::uint32_t{bytes[position]} << 16U) | (std::uint32_t{bytes[position + 1]} << 8U);
        text.push_back(DigitOf(group >> 18U));
        text.push_back(DigitOf(group >> 12U));
        text.push_back(DigitOf(group >> 6U));
        text.push_back(PAD);
    }
    return text;
}

std::optional<std::vector<std::uint8_t>> FromBase64(std::string_view text)
{
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    if (!text.empty() && text.back() == PAD) padding = 1;
    if (padding == 1 && text[text.size() - 2] == PAD) padding = 2;
    // Only the tail may be '='; a '=' anywhere else fails the table look-up below.
    const std::string_view digits = text.substr(0, text.size() - padding);

    std::vector<std::uint8_t> bytes;
    bytes.reserve(text.size() / 4 * 3);
    std::uint32_t accumulator = 0;
    std::size_t bits = 0;
    // Key texts hold secrets: what was decoded before a failure is cleared, not just freed.
    const auto reject = [&bytes] {
        OPENSSL_cleanse(bytes.data(), bytes.size());
        return std::nullopt;
    };
    for (char digit : digits) {
        const std::uint8_t sextet = SextetOf(digit);
        if (sextet == NOT_BASE64) return reject();
        accumulator = ((accumulator << 6U) | sextet) & 0xFFFFU;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(static_cast<std::uint8_t>(accumulator >> bits));
        }
    }
    // The bits left over after the last whole byte must be zero: otherwise two spellings
    // ("QQ==" and "QR==") would decode to the same byte.
    const std::uint32_t leftover_mask = (1U << bits) - 1U;
    if ((accumulator & leftover_mask) != 0) return reject();
    return bytes;
}

} // namespace wijkbudget::ledger
