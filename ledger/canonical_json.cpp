#include "ledger/canonical_json.hpp"

#include "ledger/errc.hpp"

#include <algorithm>
#include <vector>

namespace wijkbudget::ledger {
namespace {

namespace json = boost::json;

//! Decodes valid UTF-8 (the parser has checked it) into UTF-16 code units.
std::u16string ToUtf16(std::string_view text)
{
    std::u16string units;
    std::size_t position = 0;
    while (position < text.size()) {
        const auto lead = static_cast<unsigned char>(text[position]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        std::uint32_t code_point = length == 1   ? lead
                                   : length == 2 ? (lead & 0x1FU)
                                   : length == 3 ? (lead & 0x0FU)
                                                 : (lead & 0x07U);
        for (std::size_t next = 1; next < length && position + next < text.size(); ++next) {
            code_point =
                (code_point << 6U) | (static_cast<unsigned char>(text[position + next]) & 0x3FU);
        }
        position += length;
        if (code_point >= 0x10000) {
            code_point -= 0x10000;
            units.push_back(static_cast<char16_t>(0xD800 + (code_point >> 10U)));
            units.push_back(static_cast<char16_t>(0xDC00 + (code_point & 0x3FFU)));
        } else {
            units.push_back(static_cast<char16_t>(code_point));
        }
    }
    return units;
}

boost::system::result<void> AppendValue(std::string& out, const json::value& value);

boost::system::result<void> AppendObject(std::string& out, const json::object& object)
{
    std::vector<const json::key_value_pair*> members;
    members.reserve(object.size());
    for (const auto& member : object) {
        members.push_back(&member);
    }
    std::sort(members.begin(), members.end(),
              [](const auto* a, const auto* b) { return CanonicalKeyLess(a->key(), b->key()); });
    out.push_back('{');
    bool first = true;
    for (const auto* member : members) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalString(out, member->key());
        out.push_back(':');
        auto appended = AppendValue(out, member->value());
        if (!appended) return appended;
    }
    out.push_back('}');
    return {};
}

boost::system::result<void> AppendValue(std::string& out, const json::value& value)
{
    switch (value.kind()) {
    case json::kind::null: out += "null"; return {};
    case json::kind::bool_: out += value.get_bool() ? "true" : "false"; return {};
    case json::kind::int64: {
        const std::int64_t number = value.get_int64();
        if (number > JSON_INTEGER_MAX || number < -JSON_INTEGER_MAX) {
            return make_error_code(Errc::field_invalid);
        }
        out += std::to_string(number);
        return {};
    }
    case json::kind::uint64: {
        const std::uint64_t number = value.get_uint64();
        if (number > static_cast<std::uint64_t>(JSON_INTEGER_MAX)) {
            return make_error_code(Errc::field_invalid);
        }
        out += std::to_string(number);
        return {};
    }
    case json::kind::double_: return make_error_code(Errc::field_invalid);
    case json::kind::string: AppendCanonicalString(out, value.get_string()); return {};
    case json::kind::array: {
        out.push_back('[');
        bool first = true;
        for (const auto& element : value.get_array()) {
            if (!first) out.push_back(',');
            first = false;
            auto appended = AppendValue(out, element);
            if (!appended) return appended;
        }
        out.push_back(']');
        return {};
    }
    case json::kind::object: return AppendObject(out, value.get_object());
    }
    return make_error_code(Errc::field_invalid);
}

} // namespace

bool CanonicalKeyLess(std::string_view a, std::string_view b)
{
    // UTF-8 byte order equals code point order, which differs from UTF-16 order only when
    // a surrogate pair meets a code point in U+E000..U+FFFF. When the first differing bytes
    // are both ASCII, the prefixes are equal whole characters and those two bytes decide.
    const auto [a_end, b_end] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    const bool a_ascii = a_end == a.end() || static_cast<unsigned char>(*a_end) < 0x80;
    const bool b_ascii = b_end == b.end() || static_cast<unsigned char>(*b_end) < 0x80;
    if (a_ascii && b_ascii) return a < b;
    return ToUtf16(a) < ToUtf16(b);
}

void AppendCanonicalString(std::string& out, std::string_view text)
{
    constexpr std::string_view HEX{"0123456789abcdef"};
    out.push_back('"');
    // Copy runs of plain bytes at once; only quotes, backslashes and controls are escaped.
    std::size_t run_start = 0;
    for (std::size_t position = 0; position < text.size(); ++position) {
        const auto byte = static_cast<unsigned char>(text[position]);
        if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
        out.append(text.substr(run_start, position - run_start));
        run_start = position + 1;
        switch (byte) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out.push_back(HEX[byte >> 4U]);
            out.push_back(HEX[byte & 0x0FU]);
        }
    }
    out.append(text.substr(run_start));
    out.push_back('"');
}

boost::system::result<std::string> SerialiseCanonical(const json::value& value)
{
    std::string out;
    out.reserve(1024);
    auto appended = AppendValue(out, value);
    if (!appended) return appended.error();
    return out;
}

} // namespace wijkbudget::ledger
