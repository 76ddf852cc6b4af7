#pragma once
// ledger/book.hpp: the double-entry book, replayed entry by entry in index order.
//
// Book::Apply is the contextual check (Bitcoin's ConnectBlock to CheckEntry's
// CheckTransaction): given everything before it, may this entry post? Its rules:
//   - a budget line never goes below zero; holds already count, since a commitment moves
//     the money off the line;
//   - a commitment is created once, is spent at most up to what it holds, and resolves once:
//     its release returns exactly what is left and closes it;
//   - a spending is reversed at most once, by postings that mirror it;
//   - after a year is closed its lines are empty and nothing posts to them again; what a line
//     held went to the pool or to next year's line, as its grants said (one rule per line);
//   - open commitments carry over the year end, and their release goes where the line's own
//     year end went (ReleaseDestination): to the commitment's line while its year is open; once
//     closed, to the same category's line of the next year when the line's grants said
//     carry_over, else to the pool. A closed next year is followed on the same way, so a
//     carried-over line keeps carrying and a returning one ends in the pool;
//   - a round holds its budget as one commitment: a district's round creates it from a line, a
//     council's round takes over, untouched, the commitment its decision created. Nothing else
//     spends or releases a round's hold; its close empties it, splitting it into one new
//     commitment per funded project (held on the same line) and releasing the rest;
//   - every posting states the account's balance and version after it, and they must be right.
// Apply changes nothing when it fails. Prepare fills in the balances for a new entry.

#include "ledger/account.hpp"
#include "ledger/entry.hpp"
#include "ledger/errc.hpp"

#include <boost/system/result.hpp>

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wijkbudget::ledger {

struct AccountState {
    Cents balance;
    std::uint64_t version{0}; //!< Postings applied so far; 0 for an account never posted to.
    friend bool operator==(const AccountState&, const AccountState&) = default;
};

class Book
{
public:
    /**
     * Checks `entry`, to be placed at `index`, against the book and applies it.
     * @pre CheckEntry(entry) succeeded, and index is one past the last entry applied.
     */
    boost::system::result<void, Failure> Apply(const Entry& entry, LeafIndex index);

    //! Writes balance_after and version_after into each posting of a new entry, as Apply
    //! will compute them; fails, changing nothing, with the reason Apply would give.
    boost::system::result<void, Failure> Prepare(Entry& entry) const;

    [[nodiscard]] AccountState StateOf(const std::string& account_name) const;
    [[nodiscard]] bool IsResolved(const std::string& commitment_account) const;
    [[nodiscard]] bool IsPeriodClosed(const Slug& council, Year year) const;
    /**
     * The account a release of a commitment held on `origin_line` must post to now: the line
     * itself while its year is open, else where the line's year end went, followed over closed
     * years until an open year's line or the pool. A carry-over line of YEAR_MAX has no next
     * year, so it ends in the pool.
     * @pre origin_line names a budget line.
     */
    [[nodiscard]] std::string ReleaseDestination(const std::string& origin_line) const;

private:
    struct CommitmentState {
        std::string origin_line; //!< The line the hold came from (see ReleaseDestination).
        bool resolved{false};
        bool round_hold{false}; //!< A round's budget: only the round's close moves it.
    };
    struct RoundState {
        std::string hold; //!< The commitment account holding the round's budget.
        bool closed{false};
    };
    struct SpendingRecord {
        std::string commitment;
        std::string spent;
        Cents amount;
        bool reversed{false};
    };
    //! The account states an entry produces, before they are committed.
    using Scratch = std::unordered_map<std::string, AccountState>;

    boost::system::result<Scratch, Failure> Post(const Entry& entry, bool fill_in,
                                                 std::vector<Posting>* filled) const;
    //! Rules about what the entry refers to: commitments, spendings, closed years.
    boost::system::result<void, Failure> CheckReferences(const Entry& entry) const;
    //! A round's opening and close against the rounds and commitments so far.
    boost::system::result<void, Failure> CheckRoundReferences(const Entry& entry) const;
    //! Where a spending or release of the commitment held on `origin_line` may post: spending
    //! to the spent account of that line's year and category, a release to ReleaseDestination.
    boost::system::result<void, Failure> CheckTarget(const Entry& entry,
                                                     const std::string& origin_line) const;
    //! Each line closes the way its grants said: to the pool, or to next year's line.
    boost::system::result<void, Failure> CheckYearEndRules(const Entry& entry) const;
    //! Rules about the balances the entry leaves behind.
    boost::system::result<void, Failure> CheckOutcome(const Entry& entry,
                                                      const Scratch& scratch) const;
    void Record(const Entry& entry, LeafIndex index);
    //! What the line's grants said about the year end; a line without grants returns.
    [[nodiscard]] YearEndRule YearEndRuleOf(const std::string& line) const;

    std::unordered_map<std::string, AccountState> m_accounts;
    std::unordered_map<std::string, CommitmentState> m_commitments;
    std::unordered_map<std::string, RoundState> m_rounds;
    std::unordered_map<std::uint64_t, SpendingRecord> m_spendings;
    std::set<std::pair<std::string, std::int32_t>> m_closed_periods;
    //! The budget lines of each council and year, for closing the year without a full scan.
    std::map<std::pair<std::string, std::int32_t>, std::vector<std::string>> m_lines_by_period;
    //! What each line's grants said about the year end; a line without grants returns.
    std::unordered_map<std::string, YearEndRule> m_year_end_rules;
};

} // namespace wijkbudget::ledger
