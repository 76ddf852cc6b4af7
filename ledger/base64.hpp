#pragma once
// ledger/base64.hpp: standard base64 with padding (RFC 4648, section 4), the encoding of keys,
// signatures and root hashes in C2SP signed notes and checkpoints.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

std::string ToBase64(std::span<const std::uint8_t> bytes);

/** Decodes padded standard base64, strictly.
 *
 * Rejects (nullopt) a length that is not a multiple of four, a character outside the alphabet,
 * '=' anywhere but the last two places, and non-zero unused bits in the last character. So each
 * byte string has exactly one accepted spelling: a signature or a root hash cannot be re-encoded
 * into different bytes that still verify, which keeps notes comparable byte for byte.
 */
std::optional<std::vector<std::uint8_t>> FromBase64(std::string_view text);

} // namespace wijkbudget::ledger
