#include "api/query.hpp"

namespace wijkbudget::api {
namespace {

std::optional<unsigned> HexDigit(char c)
{
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    return std::nullopt;
}

} // namespace

std::optional<std::string> DecodeQueryComponent(std::string_view text)
{
    std::string decoded;
    for (std::size_t position = 0; position < text.size(); ++position) {
        const char c = text[position];
        if (c == '+') {
            decoded.push_back(' ');
        } else if (c != '%') {
            decoded.push_back(c);
        } else {
            if (position + 2 >= text.size()) return std::nullopt;
            const auto high = HexDigit(text[position + 1]);
            const auto low = HexDigit(text[position + 2]);
            if (!high || !low) return std::nullopt;
            const unsigned value = *high * 16U + *low;
            decoded.push_back(static_cast<char>(value));
            position += 2;
        }
    }
    return decoded;
}

std::optional<std::map<std::string, std::string>> ParseQuery(std::string_view query)
{
    std::map<std::string, std::string> parameters;
    if (query.size() > QUERY_BYTES_MAX) return std::nullopt;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        auto name = DecodeQueryComponent(pair.substr(0, equals));
        auto value =
            DecodeQueryComponent(equals == std::string_view::npos ? "" : pair.substr(equals + 1));
        if (!name || !value || parameters.size() >= QUERY_PARAMETERS_MAX) return std::nullopt;
        if (!parameters.emplace(std::move(*name), std::move(*value)).second) return std::nullopt;
    }
    return parameters;
}

} // namespace wijkbudget::api
