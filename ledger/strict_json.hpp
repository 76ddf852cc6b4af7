#pragma once
// ledger/strict_json.hpp: the one JSON reader for input from outside.
//
// Boost.JSON alone accepts an object that repeats a key (the last one wins). A repeated key
// lets two readers see two different documents in the same bytes, so this reader rejects it,
// together with invalid UTF-8, comments, trailing commas, and text beyond the named limits.

#include "ledger/errc.hpp"

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <string_view>

namespace wijkbudget::ledger {

//! Nesting deeper than this is rejected; our formats need less than ten levels.
inline constexpr std::size_t JSON_DEPTH_MAX{32};
//! An object with more keys is rejected; our largest object has about twenty.
inline constexpr std::size_t JSON_OBJECT_KEYS_MAX{256};

/**
 * Parses one JSON text of at most bytes_max bytes.
 * Fails with json_too_large (over bytes_max), json_malformed (syntax, invalid UTF-8, trailing
 * bytes, deeper than JSON_DEPTH_MAX, an object over JSON_OBJECT_KEYS_MAX) or json_duplicate_key;
 * `where` gives the byte offset or the repeated key.
 */
boost::system::result<boost::json::value, Failure> ParseStrictJson(std::string_view text,
                                                                   std::size_t bytes_max);

} // namespace wijkbudget::ledger
