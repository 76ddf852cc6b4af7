// pb/number.cpp: see number.hpp.
#include "pb/number.hpp"

#include <cctype>
#include <cstddef>

namespace wijkbudget::pb {

namespace {

bool IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool IsSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view text)
{
    while (!text.empty() && IsSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && IsSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

//! Consumes a run of digits from the front of `text` into `digits`; returns how many there were.
std::size_t TakeDigits(std::string_view& text, std::string& digits)
{
    std::size_t count{0};
    while (!text.empty() && IsDigit(text.front())) {
        digits.push_back(text.front());
        text.remove_prefix(1);
        ++count;
    }
    return count;
}

std::optional<mpz_class> ParseInteger(std::string_view text)
{
    std::string digits;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        if (text.front() == '-') digits.push_back('-');
        text.remove_prefix(1);
    }
    if (TakeDigits(text, digits) == 0 || !text.empty()) return std::nullopt;
    return mpz_class{digits, 10};
}

std::optional<mpq_class> ParseQuotient(std::string_view text, std::size_t slash)
{
    const auto numerator = ParseInteger(Trim(text.substr(0, slash)));
    const auto denominator = ParseInteger(Trim(text.substr(slash + 1)));
    if (!numerator || !denominator || *denominator == 0) return std::nullopt;
    mpq_class value{*numerator, *denominator};
    value.canonicalize();
    return value;
}

std::optional<long> ParseExponent(std::string_view text)
{
    bool negative{false};
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::string digits;
    if (TakeDigits(text, digits) == 0 || !text.empty()) return std::nullopt;
    long exponent{0};
    for (const char digit : digits) {
        exponent = exponent * 10 + (digit - '0');
        if (exponent > NUMBER_EXPONENT_MAX) return std::nullopt;
    }
    return negative ? -exponent : exponent;
}

std::optional<mpq_class> ParseDecimal(std::string_view text)
{
    std::string digits;
    bool negative{false};
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    std::size_t count = TakeDigits(text, digits);
    long exponent{0};
    if (!text.empty() && text.front() == '.') {
        text.remove_prefix(1);
        const std::size_t fraction = TakeDigits(text, digits);
        count += fraction;
        exponent -= static_cast<long>(fraction);
    }
    if (count == 0) return std::nullopt;
    if (!text.empty() && (text.front() == 'e' || text.front() == 'E')) {
        text.remove_prefix(1);
        const auto written = ParseExponent(text);
        if (!written) return std::nullopt;
        exponent += *written;
        text = {};
    }
    if (!text.empty()) return std::nullopt;
    mpq_class value{mpz_class{digits, 10}};
    mpz_class scale;
    mpz_ui_pow_ui(scale.get_mpz_t(), 10,
                  static_cast<unsigned long>(exponent < 0 ? -exponent : exponent));
    if (exponent < 0) {
        value /= scale;
    } else {
        value *= scale;
    }
    if (negative) value = -value;
    return value;
}

} // namespace

std::optional<mpq_class> ParseRational(std::string_view text)
{
    text = Trim(text);
    if (text.empty() || text.size() > NUMBER_CHARS_MAX) return std::nullopt;
    if (const auto slash = text.find('/'); slash != std::string_view::npos) {
        return ParseQuotient(text, slash);
    }
    return ParseDecimal(text);
}

std::string FormatRational(const mpq_class& value)
{
    if (value.get_den() == 1) return value.get_num().get_str();
    return value.get_num().get_str() + "/" + value.get_den().get_str();
}

} // namespace wijkbudget::pb
