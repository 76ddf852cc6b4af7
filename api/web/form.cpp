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

//! Digits of a number box's value read at most (the form's limit bounds it anyway).
constexpr std::size_t NUMBER_BOX_DIGITS_MAX{64};
//! Significant digits of an exponent read at most: beyond, a number that is not zero is a
//! fraction or past 2^64 either way.
constexpr std::size_t NUMBER_BOX_EXPONENT_DIGITS_MAX{4};
//! The most digits a uint64 has.
constexpr std::size_t UINT64_DIGITS_MAX{20};

bool AllDigits(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view WithoutLeadingZeros(std::string_view digits)
{
    const auto first = digits.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view{} : digits.substr(first);
}

} // namespace

std::optional<std::uint64_t> WholeNumberOfNumberBox(std::string_view text)
{
    bool negative = false;
    if (!text.empty() && text.front() == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    // The exponent: [eE][+-]?digits, its value only if it has few significant digits.
    std::string_view power;
    bool power_down = false;
    if (const auto at = text.find_first_of("eE"); at != std::string_view::npos) {
        power = text.substr(at + 1);
        text = text.substr(0, at);
        if (!power.empty() && (power.front() == '+' || power.front() == '-')) {
            power_down = power.front() == '-';
            power.remove_prefix(1);
        }
        if (power.empty() || !AllDigits(power)) return std::nullopt;
    }
    // The mantissa: digits, or digits and a fraction, or a fraction alone (".5").
    std::string_view whole = text;
    std::string_view fraction;
    if (const auto dot = text.find('.'); dot != std::string_view::npos) {
        whole = text.substr(0, dot);
        fraction = text.substr(dot + 1);
        if (fraction.empty()) return std::nullopt; // "2." is no valid floating-point number.
    } else if (whole.empty()) {
        return std::nullopt;
    }
    if (!AllDigits(whole) || !AllDigits(fraction) ||
        whole.size() + fraction.size() > NUMBER_BOX_DIGITS_MAX)
        return std::nullopt;
    std::string digits = std::string(whole) + std::string(fraction);
    if (WithoutLeadingZeros(digits).empty()) return 0; // Zero, however spelled and scaled.
    const std::string_view significant_power = WithoutLeadingZeros(power);
    if (significant_power.size() > NUMBER_BOX_EXPONENT_DIGITS_MAX) return std::nullopt;
    int exponent = 0;
    if (!significant_power.empty()) {
        std::from_chars(significant_power.data(),
                        significant_power.data() + significant_power.size(), exponent);
    }
    if (power_down) exponent = -exponent;
    exponent -= static_cast<int>(fraction.size());
    if (exponent < 0) {
        // The digits moved past the point must all be zeros, or it is a fraction.
        const auto cut = static_cast<std::size_t>(-exponent);
        if (cut > digits.size() ||
            digits.find_first_not_of('0', digits.size() - cut) != std::string::npos)
            return std::nullopt;
        digits.resize(digits.size() - cut);
    }
    std::string_view significant = WithoutLeadingZeros(digits);
    if (significant.size() + static_cast<std::size_t>(std::max(exponent, 0)) > UINT64_DIGITS_MAX)
        return std::nullopt;
    std::string number{significant};
    number.append(static_cast<std::size_t>(std::max(exponent, 0)), '0');
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error != std::errc{} || end != number.data() + number.size()) return std::nullopt;
    if (negative) return std::nullopt; // Not zero (above), so below zero.
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
