#pragma once
// ledger/values.hpp: the small value types that entries are made of, each with its own rule.
//
// A field's C++ type says what it may hold: a Slug is an identifier, a Title is one line of
// text, a Timestamp is UTC to the millisecond. The JSON reader (ledger/fields.hpp) checks the
// rule of the type, so a rule is written once however many fields use it.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

//! Identifiers (council, district, member, proposal, vote, commitment, round, project):
//! lowercase ASCII letters, digits and inner hyphens.
inline constexpr std::size_t SLUG_BYTES_MAX{64};
//! One line of human text: a name, a title, a payee.
inline constexpr std::size_t TITLE_BYTES_MAX{200};
//! Free text: a description, a reason.
inline constexpr std::size_t DESCRIPTION_BYTES_MAX{4000};
//! A signature line or other printable token.
inline constexpr std::size_t TOKEN_BYTES_MAX{512};

//! The checks a kind of text must pass; `Check` returns false for a value it refuses.
struct SlugRule {
    static constexpr std::size_t BYTES_MAX{SLUG_BYTES_MAX};
    static bool Check(std::string_view text);
};
struct TitleRule {
    static constexpr std::size_t BYTES_MAX{TITLE_BYTES_MAX};
    static bool Check(std::string_view text);
};
struct DescriptionRule {
    static constexpr std::size_t BYTES_MAX{DESCRIPTION_BYTES_MAX};
    static bool Check(std::string_view text);
};
struct TokenRule {
    static constexpr std::size_t BYTES_MAX{TOKEN_BYTES_MAX};
    static bool Check(std::string_view text);
};

//! Text that obeys Rule. Length is checked in bytes of UTF-8.
template <class Rule>
struct Text {
    using RuleType = Rule;
    std::string value;
    friend auto operator<=>(const Text&, const Text&) = default;
};

using Slug = Text<SlugRule>;
using Title = Text<TitleRule>;
using Description = Text<DescriptionRule>;
using Token = Text<TokenRule>;

//! UTC time in milliseconds since 1970; written "2027-01-15T10:00:00.000Z" (RFC 3339).
struct Timestamp {
    std::int64_t milliseconds{0};
    // clang-tidy 14 misreads the defaulted comparison as a literal 0 pointer.
    friend auto operator<=>(const Timestamp&,
                            const Timestamp&) = default; // NOLINT(modernize-use-nullptr)
};

//! A calendar day, written "2027-01-15"; days since 1970-01-01.
struct Date {
    std::int32_t days{0};
    // clang-tidy 14 misreads the defaulted comparison as a literal 0 pointer.
    friend auto operator<=>(const Date&, const Date&) = default; // NOLINT(modernize-use-nullptr)
};

//! A budget year. Years outside YEAR_MIN..YEAR_MAX are refused as typing errors.
struct Year {
    std::int32_t value{0};
    friend auto operator<=>(const Year&, const Year&) = default;
};
inline constexpr std::int32_t YEAR_MIN{2000};
inline constexpr std::int32_t YEAR_MAX{2200};

//! A position in the ledger: leaf indices are dense, 0..size-1.
struct LeafIndex {
    std::uint64_t value{0};
    friend auto operator<=>(const LeafIndex&, const LeafIndex&) = default;
};

//! A list of at most ITEMS_MAX values (a named limit per field).
template <class T, std::size_t ITEMS_MAX>
struct BoundedList {
    static constexpr std::size_t MAX{ITEMS_MAX};
    std::vector<T> items;
    friend bool operator==(const BoundedList&, const BoundedList&) = default;
};

std::string FormatTimestamp(Timestamp time);
std::optional<Timestamp> ParseTimestamp(std::string_view text);
std::string FormatDate(Date date);
std::optional<Date> ParseDate(std::string_view text);

//! True when text is valid UTF-8 without overlong forms, surrogates or code points > U+10FFFF.
bool IsValidUtf8(std::string_view text);

} // namespace wijkbudget::ledger
