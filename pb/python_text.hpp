#pragma once
// pb/python_text.hpp: the two string operations of Python that pabutools applies to every field,
// so that a field means here what it means there.

#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::pb {

/** str.strip(): removes leading and trailing whitespace as Python defines it for str, which is
 *  more than ASCII: U+0085, U+00A0 (no-break space, common in Polish names), U+1680,
 *  U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and \x1c..\x1f too. */
std::string_view PyStrip(std::string_view text);

//! str.split(","): always at least one item, empty items kept.
std::vector<std::string_view> SplitCommas(std::string_view text);

//! ASCII lower case; enough to compare with "meta", "projects", "votes" and "none".
std::string AsciiLower(std::string_view text);

} // namespace wijkbudget::pb
