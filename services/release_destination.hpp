#pragma once
// services/release_destination.hpp: where a release of a commitment posts now, as the book's
// ReleaseDestination decides (ledger/book.hpp): a council's release, and a round's close.

#include "ledger/account.hpp"
#include "services/governance.hpp"

namespace wijkbudget::services {

/**
 * Where a release of `commitment` posts, as Book::ReleaseDestination decides: its own line while
 * the year is open; once closed, where the line's year end went (the next year's line of the
 * category when its grants said carry_over, else the pool), followed over closed years.
 */
ledger::Account ReleaseDestination(const Governance& governance, const CommitmentView& commitment);

} // namespace wijkbudget::services
