#pragma once
// ledger/canonical_json.hpp: RFC 8785 (JSON Canonicalization Scheme) serialisation.
//
// An entry's leaf bytes are its canonical JSON, so the same entry gives the same bytes in C++
// and in a browser: object keys sorted by UTF-16 code units, no insignificant white space,
// strings escaped exactly as ECMAScript's JSON.stringify does. Our formats hold integers only;
// a fraction, or an integer beyond 2^53 that a browser could not hold exactly, is refused.

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace wijkbudget::ledger {

//! The largest integer every JSON reader holds exactly (IEEE 754 doubles): 2^53.
inline constexpr std::int64_t JSON_INTEGER_MAX{9'007'199'254'740'992};

//! The RFC 8785 bytes of `value`; Errc::field_invalid for a double or an integer beyond 2^53.
boost::system::result<std::string> SerialiseCanonical(const boost::json::value& value);

//! Appends the RFC 8785 string literal (quotes included) of UTF-8 text to out.
void AppendCanonicalString(std::string& out, std::string_view text);

//! True when key a sorts before key b in RFC 8785 order (UTF-16 code units).
bool CanonicalKeyLess(std::string_view a, std::string_view b);

} // namespace wijkbudget::ledger
