#pragma once
// ledger/hex.hpp: lowercase hexadecimal, the only hash spelling in our files and JSON.

#include "ledger/sha256.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

std::string ToHex(std::span<const std::uint8_t> bytes);

//! Decodes lowercase or uppercase hex; nullopt on an odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> FromHex(std::string_view text);

//! Decodes exactly 64 lowercase hex digits (the strict form our formats write).
std::optional<Hash> HashFromHex(std::string_view text);

} // namespace wijkbudget::ledger
