#pragma once
// api/web/format.hpp: amounts, dates and times as a reader of each language writes them.
//
// Dutch "€ 1.234,56" and "28 november 2026"; English "€1,234.56" and "28 November 2026". Times
// are shown in UTC, said so on the page, because the ledger records UTC and a reader compares
// them with the entry's bytes.

#include "api/web/language.hpp"
#include "ledger/money.hpp"
#include "ledger/values.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::api::web {

[[nodiscard]] std::string FormatAmount(ledger::Cents amount, Language language);
[[nodiscard]] std::string FormatDay(ledger::Date date, Language language);
//! The day and the time to the minute in Dutch time (Europe/Amsterdam), saying so.
[[nodiscard]] std::string FormatMoment(ledger::Timestamp time, Language language);
//! A whole number with the language's thousands separator: "1.234" or "1,234".
[[nodiscard]] std::string FormatCount(std::uint64_t count, Language language);
/** An exact amount of euros as pb writes it ("1250/3", "500") in cents, rounded half up; none
 *  if it is not such a fraction, or a part of it is over 10^15, or it is over CENTS_MAX. */
[[nodiscard]] std::optional<ledger::Cents> CentsOfEuros(std::string_view fraction);
//! `part` of `whole` as a percentage with one decimal: "66,7%" or "66.7%"; "–" if whole is 0.
[[nodiscard]] std::string FormatShare(std::uint64_t part, std::uint64_t whole, Language language);

} // namespace wijkbudget::api::web
