// pb/python_text.cpp: see python_text.hpp.
#include "pb/python_text.hpp"

#include <array>
#include <cstddef>

namespace wijkbudget::pb {

namespace {

//! Python's non-ASCII whitespace, UTF-8 encoded.
constexpr std::array<std::string_view, 17> UNICODE_SPACES{
    "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
    "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
    "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF"};
constexpr std::array<std::string_view, 2> MORE_UNICODE_SPACES{"\xE2\x81\x9F", "\xE3\x80\x80"};

bool IsAsciiSpace(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1C' && c <= '\x1F');
}

//! Byte length of the Python whitespace character at the front (or back) of `text`, or 0.
std::size_t SpaceAt(std::string_view text, bool at_front)
{
    if (text.empty()) return 0;
    const char edge = at_front ? text.front() : text.back();
    if (IsAsciiSpace(edge)) return 1;
    // Every other space is two or three bytes, never ASCII: most fields end here.
    if (static_cast<unsigned char>(edge) < 0x80) return 0;
    const auto matches = [&](std::string_view space) {
        return at_front ? text.starts_with(space) : text.ends_with(space);
    };
    for (const auto space : UNICODE_SPACES) {
        if (matches(space)) return space.size();
    }
    for (const auto space : MORE_UNICODE_SPACES) {
        if (matches(space)) return space.size();
    }
    return 0;
}

} // namespace

std::string_view PyStrip(std::string_view text)
{
    for (std::size_t length = SpaceAt(text, true); length != 0; length = SpaceAt(text, true)) {
        text.remove_prefix(length);
    }
    for (std::size_t length = SpaceAt(text, false); length != 0; length = SpaceAt(text, false)) {
        text.remove_suffix(length);
    }
    return text;
}

std::vector<std::string_view> SplitCommas(std::string_view text)
{
    std::vector<std::string_view> items;
    std::size_t start{0};
    for (std::size_t comma = text.find(','); comma != std::string_view::npos;
         comma = text.find(',', start)) {
        items.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    items.push_back(text.substr(start));
    return items;
}

std::string AsciiLower(std::string_view text)
{
    std::string lower{text};
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return lower;
}

} // namespace wijkbudget::pb
