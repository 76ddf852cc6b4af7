#pragma once
// ledger/account.hpp: the accounts of the book and how their names are spelled in postings.
//
//   pool                                   the municipality's pool that grants come from
//   line:<council>:<year>:<category>       a budget line: what is available to commit
//   commitment:<council>:<commitment>      money held for one approved proposal
//   spent:<council>:<year>:<category>      what has been paid out, per line
//
// The pool is a debit account: its balance is what the municipality has granted out, net of
// returns. All others are credit accounts: their balance is money they hold. So every balance
// is 0..CENTS_MAX, and a debit-credit pair always balances.

#include "ledger/entry.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

enum class AccountType { pool, line, commitment, spent };

struct Account {
    AccountType type{AccountType::pool};
    Slug council;                                          //!< Empty for the pool.
    Year year;                                             //!< Lines and spent accounts only.
    BudgetCategory category{BudgetCategory::public_space}; //!< Lines and spent accounts only.
    Slug commitment;                                       //!< Commitments only.
    friend bool operator==(const Account&, const Account&) = default;
};

Account PoolAccount();
Account LineAccount(const Slug& council, Year year, BudgetCategory category);
Account CommitmentAccount(const Slug& council, const Slug& commitment);
Account SpentAccount(const Slug& council, Year year, BudgetCategory category);

std::string AccountName(const Account& account);
std::optional<Account> ParseAccountName(std::string_view name);

//! A transfer's two postings: a debit of `from` and a credit of `to`, balances left for
//! Book::Prepare (the Sealer) to fill in.
std::vector<Posting> TransferPostings(const Account& from, const Account& to, Cents amount);

//! A debit raises the pool's balance and lowers every other account's.
bool IsDebitAccount(AccountType type);

} // namespace wijkbudget::ledger
