#pragma once
// ledger/check_entry.hpp: the checks an entry passes on its own, before any context.
//
// Like Bitcoin's CheckTransaction: what can be decided from the entry alone is decided here
// (postings balance, name accounts of the entry's council, have the shape the kind allows,
// and agree with the payload; dates and counts are in order). What depends on earlier
// entries (balances, commitments, reversals, closed years) is Book::Apply's.

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"

#include <boost/system/result.hpp>

namespace wijkbudget::ledger {

boost::system::result<void, Failure> CheckEntry(const Entry& entry);

} // namespace wijkbudget::ledger
