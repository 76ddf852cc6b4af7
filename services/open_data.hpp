#pragma once
// services/open_data.hpp: what the open-data routes publish (issue 5): every movement of money on
// a council's accounts per budget year, and the newest decisions and spendings for the feed.
//
// A projection like Governance (STYLE.md section 11): it holds nothing the ledger does not, is fed
// every entry once, in order, by the sequencer, and answers request threads with copies under a
// shared lock. An export is then a copy of one council's year, never a scan of the ledger.
//
// A movement is one posting on one of a council's accounts (ledger/account.hpp): a line, a
// commitment or a spent account. Each transfer of the book is two postings, so a transfer between
// two of the council's accounts (a commitment holding money of a line) is two movements, and a
// grant from the pool is one. Amounts are signed from the account's side: positive when the
// posting raises its balance (money comes in), negative when it lowers it. A commitment has no
// year in its name; its movements count in the year and category of the line it holds money of.

#include "ledger/account.hpp"
#include "ledger/append.hpp"
#include "ledger/entry.hpp"
#include "ledger/sha256.hpp"
#include "services/governance_views.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wijkbudget::services {

//! The feed keeps the newest this many decisions, spendings and reversals (GET /feed.atom).
inline constexpr std::size_t FEED_ITEMS_MAX{50};

//! What a movement does to a budget line; the totals of budget-lines add up from these.
enum class MovementKind {
    grant,      //!< From the pool to the line.
    commitment, //!< From the line to a commitment: money held for an approved proposal.
    spending,   //!< From a commitment to the line's spent account.
    reversal,   //!< Back from the spent account to the commitment.
    release,    //!< From a commitment back to its own line, while the line's year is open.
    carried_in, //!< Into the line from an earlier year: its year end, or a late release.
    closed_out, //!< Out at the year end, to the pool or a later year; or a release after it.
    allocation, //!< From a round's hold to a funded project's commitment, on the same line.
};
//! "grant", "commitment", ...: the exports' spelling.
std::string_view SpellingOf(MovementKind kind);

struct Movement {
    ledger::LeafIndex index;
    ledger::Timestamp recorded_at;
    std::string_view entry_kind; //!< "budget.granted", ...: one of the payloads' KIND constants.
    MovementKind kind{MovementKind::grant};
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
    ledger::AccountType account_type{ledger::AccountType::line};
    std::string account;         //!< The council's account, "line:burgwal:2027:social".
    std::string counter_account; //!< The other side of the transfer.
    ledger::Cents amount;        //!< Signed: the change of the account's balance.
    ledger::Cents balance_after; //!< The account's balance after the posting.
    std::optional<ledger::Slug> commitment;
    std::optional<ledger::Slug> proposal;
    std::optional<ledger::Title> title; //!< The proposal's title when the entry was recorded.
    std::optional<ledger::Title> payee; //!< Of a spending, and of the spending a reversal undoes.
    //! A spending's description, or the reason of a reversal or release.
    std::optional<ledger::Description> description;
    //! The spending a reversal undoes, or the submission a spending confirms.
    std::optional<ledger::LeafIndex> refers_to;
    ledger::Hash leaf{}; //!< The entry's leaf hash.
};

//! A council's movements in one budget year, as the ledger stood at one size.
struct YearMovements {
    std::uint64_t ledger_size{0};    //!< Entries 0..ledger_size-1 were seen: the export's "as of".
    std::vector<Movement> movements; //!< In ledger order.
};

/** The totals of one year's movements per category, as budget-lines reports them: granted and
 *  carried_in are the grant and carried_in movements, held the sum on commitment accounts, spent
 *  the sum on spent accounts, closed_out the closed_out movements (as a positive amount), available
 *  the sum on line accounts. */
std::map<ledger::BudgetCategory, LineTotals> TotalsOf(const std::vector<Movement>& movements);

//! A decision (vote.closed), a spending (spending.recorded) or a reversal (spending.reversed).
struct FeedItem {
    ledger::LeafIndex index;
    ledger::Timestamp recorded_at;
    std::string_view entry_kind; //!< One of the three payloads' KIND constants.
    ledger::Slug council;
    ledger::Title council_name;
    std::optional<ledger::Slug> proposal;
    std::optional<ledger::Title> title; //!< The proposal's.
    //! Decisions: the result and the counts.
    std::optional<ledger::DecisionResult> result;
    std::uint64_t votes_for{0};
    std::uint64_t votes_against{0};
    std::uint64_t abstentions{0};
    bool quorum_met{false};
    //! Spendings and reversals: the spending's amount, payee and description; the reversal's
    //! reason; as in Movement, the spending a reversal undoes or the submission a spending
    //! confirms.
    std::optional<ledger::Cents> amount;
    std::optional<ledger::Title> payee;
    std::optional<ledger::Description> description;
    std::optional<ledger::LeafIndex> refers_to;
};

class OpenData final : public ledger::EntryObserver
{
public:
    void Reset() override;
    void Observe(const ledger::Entry& entry) override;
    void ObserveSealed(const ledger::Entry& entry, const ledger::Hash& leaf) override;

    //! The council's movements in budget year `year`; none if it has no line in that year.
    [[nodiscard]] YearMovements Movements(const ledger::Slug& council, ledger::Year year) const;
    //! The newest FEED_ITEMS_MAX feed items at most, newest first.
    [[nodiscard]] std::vector<FeedItem> Feed() const;
    //! As CouncilRegistry::LastRecordedAt.
    [[nodiscard]] ledger::Timestamp LastRecordedAt() const;
    [[nodiscard]] std::uint64_t Size() const;

private:
    //! Where a commitment's money came from, and for which proposal.
    struct CommitmentOrigin {
        ledger::Year year;
        ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
        std::optional<ledger::Slug> proposal;
        //! A residents' round's funded project: its title (from round.opened), as no proposal
        //! of the council carries it, and a proposal may bear the project's id.
        std::optional<ledger::Title> title;
    };
    struct SpendingFacts {
        ledger::Cents amount;
        ledger::Title payee;
        std::optional<ledger::Slug> proposal;
        std::optional<ledger::Title> title; //!< As CommitmentOrigin::title.
    };
    //! A project of an opened round, by the account of the commitment it gets if funded.
    struct RoundProjectFacts {
        ledger::Slug project;
        ledger::Title title;
    };
    //! What an entry's movements and feed item share: its payload, and what came before it.
    struct EntryFacts {
        std::optional<ledger::Slug> proposal;
        std::optional<ledger::Title> title;  //!< Set for a funded project (CommitmentOrigin).
        std::optional<ledger::Cents> amount; //!< A spending's, also of the one a reversal undoes.
        std::optional<ledger::Title> payee;
        std::optional<ledger::Description> description;
        std::optional<ledger::LeafIndex> refers_to;
    };

    //! One side of a transfer: the posting and its account, parsed.
    struct Leg {
        const ledger::Posting& posting;
        const ledger::Account& account;
    };

    void RememberFacts(const ledger::Entry& entry, const EntryFacts& facts);
    [[nodiscard]] EntryFacts FactsOf(const ledger::Entry& entry) const;
    void AddMovements(const ledger::Entry& entry, const EntryFacts& facts,
                      const ledger::Hash& leaf);
    //! One posting's movement, or none for the pool's side of a transfer.
    void AddMovement(const ledger::Entry& entry, const EntryFacts& facts, const ledger::Hash& leaf,
                     const Leg& leg, const Leg& counter, MovementKind kind);
    void AddToFeed(const ledger::Entry& entry, const EntryFacts& facts);
    [[nodiscard]] std::optional<ledger::Title>
    TitleOf(const ledger::Slug& council, const std::optional<ledger::Slug>& proposal) const;

    mutable std::shared_mutex m_mutex;
    //! Council -> year -> movements in ledger order.
    std::map<std::string, std::map<std::int32_t, std::vector<Movement>>> m_movements;
    std::map<std::string, ledger::Title> m_council_names;
    //! (council, proposal) -> the proposal's title as last submitted or amended.
    std::map<std::pair<std::string, std::string>, ledger::Title> m_titles;
    //! Commitment account name -> its origin.
    std::map<std::string, CommitmentOrigin> m_commitments;
    //! Commitment account name -> the open or closed round's project it is named for.
    std::map<std::string, RoundProjectFacts> m_round_projects;
    //! spending.recorded index -> what a reversal of it needs.
    std::map<std::uint64_t, SpendingFacts> m_spendings;
    std::deque<FeedItem> m_feed; //!< Oldest first, at most FEED_ITEMS_MAX.
    ledger::Timestamp m_last_recorded_at;
    std::uint64_t m_size{0};
};

} // namespace wijkbudget::services
