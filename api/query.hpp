#pragma once
// api/query.hpp: the query string of a request target, strictly.
//
// Standard library only, so the fuzz target (tests/fuzz/fuzz_request_parse.cpp) builds it
// without Asio or Beast.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::api {

//! Query parameters a request may carry at most, and the longest query string.
inline constexpr std::size_t QUERY_PARAMETERS_MAX{8};
inline constexpr std::size_t QUERY_BYTES_MAX{1024};

//! Percent-decoding of a query component; '+' is a space. None for a malformed escape.
std::optional<std::string> DecodeQueryComponent(std::string_view text);

/** name=value pairs separated by '&', percent-decoded. None if the query is longer than
 *  QUERY_BYTES_MAX, has more than QUERY_PARAMETERS_MAX parameters, repeats a name, or holds a
 *  malformed escape: a repeated "after" must not mean whichever one a proxy kept. */
std::optional<std::map<std::string, std::string>> ParseQuery(std::string_view query);

} // namespace wijkbudget::api
