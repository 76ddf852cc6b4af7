#include "api/web/form.hpp"

#include "api/query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

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

namespace {

//! The longest exponent read: 10^19 already passes 2^64, so more only spells zeros or overflow.
constexpr int NUMBER_BOX_EXPONENT_MAX{19};
//! Digits of a number box's value read at most (the form's limit bounds it anyway).
constexpr std::size_t NUMBER_BOX_DIGITS_MAX{64};

bool AllDigits(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::optional<std::uint64_t> WholeNumberOfNumberBox(std::string_view text)
{
    bool negative = false;
    if (!text.empty() && text.front() == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    int exponent = 0;
    if (const auto at = text.find_first_of("eE"); at != std::string_view::npos) {
        std::string_view power = text.substr(at + 1);
        text = text.substr(0, at);
        bool down = false;
        if (!power.empty() && (power.front() == '+' || power.front() == '-')) {
            down = power.front() == '-';
            power.remove_prefix(1);
        }
        if (power.empty() || power.size() > 2 || !AllDigits(power)) return std::nullopt;
        exponent = std::stoi(std::string(power));
        if (exponent > NUMBER_BOX_EXPONENT_MAX) return std::nullopt;
        if (down) exponent = -exponent;
    }
    std::string_view whole = text;
    std::string_view fraction;
    if (const auto dot = text.find('.'); dot != std::string_view::npos) {
        whole = text.substr(0, dot);
        fraction = text.substr(dot + 1);
        if (fraction.empty()) return std::nullopt; // "2." is no valid floating-point number.
    }
    if (whole.empty() || !AllDigits(whole) || !AllDigits(fraction) ||
        whole.size() + fraction.size() > NUMBER_BOX_DIGITS_MAX)
        return std::nullopt;
    std::string digits = std::string(whole) + std::string(fraction);
    exponent -= static_cast<int>(fraction.size());
    if (exponent < 0) {
        // The digits moved past the point must all be zeros, or it is a fraction.
        const auto cut = static_cast<std::size_t>(-exponent);
        if (cut > digits.size()) {
            if (digits.find_first_not_of('0') != std::string::npos) return std::nullopt;
            digits = "0";
        } else {
            if (digits.find_first_not_of('0', digits.size() - cut) != std::string::npos)
                return std::nullopt;
            digits.resize(digits.size() - cut);
        }
    } else {
        digits.append(static_cast<std::size_t>(exponent), '0');
    }
    const auto first = digits.find_first_not_of('0');
    digits = first == std::string::npos ? "0" : digits.substr(first);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    if (negative && value != 0) return std::nullopt;
    return value;
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
