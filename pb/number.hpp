#pragma once
// pb/number.hpp: exact numbers as a Pabulib file writes them, read the way pabutools 1.2.3 reads
// them (gmpy2.mpq of the text): "12", "2458488.22", "1e3", "3/2". Never through a double.

#include <gmpxx.h>

#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::pb {

//! Longest number text accepted: far beyond any real amount, short enough that no input can make
//! the parser build a huge integer.
inline constexpr std::size_t NUMBER_CHARS_MAX{64};
//! Largest decimal exponent accepted ("1e40"); bounds the size of the integer "1e999999" would
//! make.
inline constexpr long NUMBER_EXPONENT_MAX{40};

/** The exact value of `text` (surrounding spaces allowed): an optionally signed decimal with an
 *  optional fraction part and exponent, or "p/q" with integers p, q and q != 0. Nothing otherwise.
 */
std::optional<mpq_class> ParseRational(std::string_view text);

//! "p/q" in lowest terms, or "p" when q is 1: the exact form the explanations print.
std::string FormatRational(const mpq_class& value);

} // namespace wijkbudget::pb
