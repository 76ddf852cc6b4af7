#include "api/entity_tags.hpp"

#include <cstddef>

namespace wijkbudget::api {
namespace {

//! RFC 9110's optional whitespace.
bool IsWhitespace(char c)
{
    return c == ' ' || c == '\t';
}

//! etagc: a visible character other than the double quote, or obs-text.
bool IsEntityTagCharacter(char c)
{
    const auto octet = static_cast<unsigned char>(c);
    return octet == 0x21 || (octet >= 0x23 && octet != 0x7F);
}

} // namespace

bool EntityTagListMatches(std::string_view field, std::string_view etag)
{
    const std::size_t first = field.find_first_not_of(" \t");
    if (first == std::string_view::npos) return false;
    field = field.substr(first, field.find_last_not_of(" \t") - first + 1);
    if (field == "*") return true;
    bool matched = false;
    bool after_tag = false;
    std::size_t at = 0;
    while (at < field.size()) {
        if (IsWhitespace(field[at])) {
            ++at;
            continue;
        }
        if (field[at] == ',') { // Empty elements (", ,") are allowed (RFC 9110 section 5.6.1).
            after_tag = false;
            ++at;
            continue;
        }
        if (after_tag) return false; // Two tags without a comma between them.
        if (field.substr(at).starts_with("W/")) at += 2;
        if (at >= field.size() || field[at] != '"') return false;
        const std::size_t begin = at++;
        while (at < field.size() && IsEntityTagCharacter(field[at]))
            ++at;
        if (at >= field.size() || field[at] != '"') return false;
        ++at;
        matched = matched || field.substr(begin, at - begin) == etag;
        after_tag = true;
    }
    return matched;
}

} // namespace wijkbudget::api
