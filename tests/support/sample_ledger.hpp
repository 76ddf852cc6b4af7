#pragma once
// tests/support/sample_ledger.hpp: a small, coherent ledger with an entry of every kind.
//
// Built through Book::Prepare, so every posting carries the right balance and version; the
// golden files, the verifier tests and the fuzz seeds all start from it.

#include "ledger/entry.hpp"

#include <string_view>
#include <vector>

namespace wijkbudget::testing {

//! Entries in index order: council, mandates, bylaws, grants, proposals, votes, commitments,
//! spending and its reversal, a release, a round, a finding, a year end and a checkpoint, then
//! a recusal, a spending confirmed by a second member, and the release of a commitment that
//! carried over the year end (to next year's line).
std::vector<ledger::Entry> SampleLedger();

//! The first entry of SampleLedger() of the given kind ("budget.granted").
ledger::Entry SampleOfKind(std::string_view kind);

//! An entry of a council, recorded by the usual role for its kind (RolesAllowed), at a fixed
//! time; index and link are left for LedgerWriter or the test to set.
ledger::Entry CouncilEntry(const ledger::Slug& council, ledger::Payload payload,
                           std::vector<ledger::Posting> postings = {});

//! Shorthand for a transfer's two postings, balances left for Book::Prepare to fill in.
std::vector<ledger::Posting> TransferPostings(const std::string& from, const std::string& to,
                                              ledger::Cents amount);

} // namespace wijkbudget::testing
