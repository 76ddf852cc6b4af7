#pragma once
// api/web/form.hpp: an HTML form's body (application/x-www-form-urlencoded), read strictly.
//
// The site's one form is the ballot (api/web/page_round_ballot.cpp). A browser sends a checkbox
// group as one name repeated, so the fields come back in order, as sent, and the caller decides
// which names may repeat. Limits are named here, because a form, unlike the API's JSON, is
// posted by anyone's browser.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wijkbudget::api::web {

//! The largest form body read: a ballot of 64 projects with long ids is about 6 KiB.
inline constexpr std::size_t FORM_BYTES_MAX{16 * 1024};
//! The most fields a form may have: a code and a field per project of the largest round.
inline constexpr std::size_t FORM_FIELDS_MAX{128};
//! The media type of a form without files, the only one the site reads.
inline constexpr std::string_view FORM_CONTENT_TYPE{"application/x-www-form-urlencoded"};

using FormFields = std::vector<std::pair<std::string, std::string>>;

/** The name=value pairs of a form body, percent-decoded ('+' is a space), in order. None if the
 *  body is longer than FORM_BYTES_MAX, has more than FORM_FIELDS_MAX fields, a field without '='
 *  or with an empty name, a malformed escape, or a byte that decodes to a control character. */
std::optional<FormFields> ParseFormBody(std::string_view body);

/** A number box's whole number. A browser sends what was typed when it reads as a number, so
 *  "2.0", "1e1", "20E-1" and "-0" reach the server as well as "2": each spelling of a whole number
 *  that is not negative counts (HTML's valid floating-point number, -?(D|D?.D)([eE][+-]?D)?). None
 *  for a fraction, a negative number, any other text, or more than 2^64 - 1. */
std::optional<std::uint64_t> WholeNumberOfNumberBox(std::string_view text);

//! Whether a Content-Type header names a form: the media type, case-insensitive, with optional
//! parameters (a browser may add "; charset=UTF-8").
bool IsFormContentType(std::string_view content_type);

} // namespace wijkbudget::api::web
