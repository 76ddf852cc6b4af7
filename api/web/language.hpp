#pragma once
// api/web/language.hpp: the site's two languages, and text that exists in both.
//
// Every text a page shows is a Phrase: Dutch and English side by side, so a text cannot exist in
// one language only (issue 5: "every text in both languages"). Dutch is the default; a reader's
// choice travels in the `lang` query parameter once and is remembered in a cookie.

#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::api::web {

enum class Language { nl, en };

struct Phrase {
    std::string_view nl;
    std::string_view en;
};

[[nodiscard]] constexpr std::string_view Say(const Phrase& phrase, Language language)
{
    return language == Language::en ? phrase.en : phrase.nl;
}

//! "nl" or "en": the value of <html lang>, of the query parameter and of the cookie.
[[nodiscard]] std::string_view CodeOf(Language language);
//! The language of a code; none for anything but "nl" and "en".
[[nodiscard]] std::optional<Language> LanguageOfCode(std::string_view code);

//! The cookie that remembers the reader's choice.
inline constexpr std::string_view LANGUAGE_COOKIE{"wb_lang"};
//! A year: the choice outlives a session but not a move to another computer's owner.
inline constexpr int LANGUAGE_COOKIE_SECONDS{365 * 24 * 60 * 60};

//! The language remembered in a Cookie header; none if the header holds no valid choice.
[[nodiscard]] std::optional<Language> LanguageOfCookieHeader(std::string_view header);
//! The Set-Cookie value that remembers `language`.
[[nodiscard]] std::string LanguageCookie(Language language);

} // namespace wijkbudget::api::web
