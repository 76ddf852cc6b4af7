#pragma once
// api/web/entry_summary.hpp: one line a resident can read for any ledger entry.

#include "api/web/language.hpp"
#include "ledger/entry.hpp"

#include <string>

namespace wijkbudget::api::web {

//! "€ 15.000,00 voor Openbare ruimte 2027": what the entry says, as plain text (not escaped).
[[nodiscard]] std::string Summarize(const ledger::Entry& entry, Language language);

} // namespace wijkbudget::api::web
