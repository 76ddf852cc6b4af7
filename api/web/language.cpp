#include "api/web/language.hpp"

namespace wijkbudget::api::web {

std::string_view CodeOf(Language language)
{
    return language == Language::en ? "en" : "nl";
}

std::optional<Language> LanguageOfCode(std::string_view code)
{
    if (code == "nl") return Language::nl;
    if (code == "en") return Language::en;
    return std::nullopt;
}

std::optional<Language> LanguageOfCookieHeader(std::string_view header)
{
    // "a=1; wb_lang=en; b=2": pairs separated by ';' and optional spaces (RFC 6265 5.4).
    while (!header.empty()) {
        const auto end = header.find(';');
        std::string_view pair = header.substr(0, end);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        const auto equals = pair.find('=');
        if (equals != std::string_view::npos && pair.substr(0, equals) == LANGUAGE_COOKIE)
            return LanguageOfCode(pair.substr(equals + 1));
        if (end == std::string_view::npos) break;
        header.remove_prefix(end + 1);
    }
    return std::nullopt;
}

std::string LanguageCookie(Language language)
{
    return std::string(LANGUAGE_COOKIE) + "=" + std::string(CodeOf(language)) +
           "; Path=/; Max-Age=" + std::to_string(LANGUAGE_COOKIE_SECONDS) +
           "; SameSite=Lax; Secure; HttpOnly";
}

} // namespace wijkbudget::api::web
