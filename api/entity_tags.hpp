#pragma once
// api/entity_tags.hpp: whether an If-None-Match field names the representation a client holds.
//
// Standard library only, so the fuzz target (tests/fuzz/fuzz_request_parse.cpp) builds it
// without Asio or Beast.

#include <string_view>

namespace wijkbudget::api {

/** Whether `field`, the value of an If-None-Match header (RFC 9110 section 13.1.2: "*" or a
 *  comma-separated list of entity tags, each "..." or W/"..."), names `etag` (quoted, as the
 *  ETag header carries it) by the weak comparison the section requires: the quoted part alone,
 *  octet for octet. A field that does not parse names nothing, so the client gets the full
 *  answer rather than a 304 it might misread. */
bool EntityTagListMatches(std::string_view field, std::string_view etag);

//! Whether any If-None-Match field of `fields` (a request's, as Beast holds them) names `etag`:
//! several field lines make one list (RFC 9110 section 5.3).
template <class Fields>
bool IfNoneMatchNames(const Fields& fields, std::string_view etag)
{
    const auto [begin, end] = fields.equal_range("If-None-Match");
    for (auto field = begin; field != end; ++field) {
        if (EntityTagListMatches(field->value(), etag)) return true;
    }
    return false;
}

} // namespace wijkbudget::api
