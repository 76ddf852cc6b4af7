#include "api/web/form.hpp"

#include "api/query.hpp"

#include <algorithm>
#include <cctype>

namespace wijkbudget::api::web {
namespace {

//! A control character other than tab has no business in a form's text: refused, not cleaned.
bool HasControlCharacter(std::string_view text)
{
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t') || byte == 0x7F;
    });
}

} // namespace

std::optional<FormFields> ParseFormBody(std::string_view body)
{
    if (body.size() > FORM_BYTES_MAX) return std::nullopt;
    FormFields fields;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos || equals == 0) return std::nullopt;
        auto name = DecodeQueryComponent(pair.substr(0, equals));
        auto value = DecodeQueryComponent(pair.substr(equals + 1));
        if (!name || !value || HasControlCharacter(*name) || HasControlCharacter(*value))
            return std::nullopt;
        if (fields.size() >= FORM_FIELDS_MAX) return std::nullopt;
        fields.emplace_back(std::move(*name), std::move(*value));
    }
    return fields;
}

bool IsFormContentType(std::string_view content_type)
{
    const std::string_view media = content_type.substr(0, content_type.find(';'));
    std::string_view trimmed = media;
    while (!trimmed.empty() && trimmed.back() == ' ')
        trimmed.remove_suffix(1);
    return trimmed.size() == FORM_CONTENT_TYPE.size() &&
           std::equal(
               trimmed.begin(), trimmed.end(), FORM_CONTENT_TYPE.begin(),
               [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

} // namespace wijkbudget::api::web
