#pragma once
// api/web/phrases.hpp: the words more than one page uses, and the ledger's enumerations in
// both languages. A page's own sentences live at the top of its file.

#include "api/web/language.hpp"
#include "ledger/entry.hpp"
#include "services/governance_views.hpp"

#include <string_view>

namespace wijkbudget::api::web::phrase {

inline constexpr Phrase SITE_NAME{"Wijkbudget Haarlem", "Wijkbudget Haarlem"};
inline constexpr Phrase MUNICIPALITY{"Gemeente", "Municipality"};
inline constexpr Phrase ROUNDS{"Bewonersstemmingen", "Residents' rounds"};
inline constexpr Phrase LEDGER{"Grootboek", "Ledger"};
inline constexpr Phrase VERIFY{"Controleren", "Verify"};
inline constexpr Phrase COUNCIL{"Wijkraad", "Council"};
inline constexpr Phrase DISTRICT{"Stadsdeel", "District"};
inline constexpr Phrase YEAR{"Jaar", "Year"};
inline constexpr Phrase CATEGORY{"Categorie", "Category"};
inline constexpr Phrase GRANTED{"Toegekend", "Granted"};
inline constexpr Phrase COMMITTED{"Vastgelegd", "Committed"};
inline constexpr Phrase SPENT{"Uitgegeven", "Spent"};
inline constexpr Phrase AVAILABLE{"Beschikbaar", "Available"};
inline constexpr Phrase CARRIED_IN{"Overgeheveld", "Carried in"};
inline constexpr Phrase CLOSED_OUT{"Bij jaarafsluiting", "At year end"};
inline constexpr Phrase AMOUNT{"Bedrag", "Amount"};
inline constexpr Phrase STATUS{"Status", "Status"};
inline constexpr Phrase ENTRY{"Registratie", "Entry"};
inline constexpr Phrase TOTAL{"Totaal", "Total"};
inline constexpr Phrase MEMBER{"Lid", "Member"};
inline constexpr Phrase DATE{"Datum", "Date"};
inline constexpr Phrase PAYEE{"Ontvanger", "Payee"};
inline constexpr Phrase REVERSED{"Teruggedraaid", "Reversed"};
inline constexpr Phrase COUNCIL_UNKNOWN{"Er is geen wijkraad met dit adres.",
                                        "There is no council at this address."};
//! A stored entry whose bytes do not parse, in a list: its own page shows them and what fails.
inline constexpr Phrase ENTRY_UNREADABLE{"(niet te lezen; open de registratie)",
                                         "(unreadable; open the entry)"};
inline constexpr Phrase NONE_YET{"Nog niets.", "Nothing yet."};
inline constexpr Phrase CHART_ALT{"dezelfde cijfers staan in de tabel hieronder",
                                  "the table below holds the same figures"};
inline constexpr Phrase TIMES_IN_DUTCH_TIME{"Tijden in Nederlandse tijd.",
                                            "Times in Netherlands time."};
//! What "committed" means on every page that shows it.
inline constexpr Phrase COMMITTED_MEANS{
    "Vastgelegd: door een besluit toegezegd en nog niet uitgegeven. Overgeheveld: uit een "
    "eerder jaar meegenomen; bij jaarafsluiting: teruggegaan naar de gemeente of naar het "
    "volgende jaar. Toegekend en overgeheveld samen zijn vastgelegd, uitgegeven, bij "
    "jaarafsluiting en beschikbaar samen.",
    "Committed: promised by a decision and not yet spent. Carried in: brought from an earlier "
    "year; at year end: returned to the municipality or carried to the next year. Granted and "
    "carried in together equal committed, spent, at year end and available together."};

[[nodiscard]] Phrase Of(ledger::BudgetCategory category);
[[nodiscard]] Phrase Of(services::ProposalStatus status);
[[nodiscard]] Phrase Of(ledger::VoteChoice choice);
[[nodiscard]] Phrase Of(ledger::DecisionResult result);
[[nodiscard]] Phrase Of(ledger::MajorityRule rule);
[[nodiscard]] Phrase Of(ledger::TieRule rule);
[[nodiscard]] Phrase Of(ledger::Seat seat);
[[nodiscard]] Phrase Of(ledger::Role role);
[[nodiscard]] Phrase Of(ledger::YearEndRule rule);
//! The kind of an entry ("budget.granted") as a name: "Budget toegekend".
[[nodiscard]] Phrase OfKind(std::string_view kind);

} // namespace wijkbudget::api::web::phrase
