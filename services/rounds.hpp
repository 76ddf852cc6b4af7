#pragma once
// services/rounds.hpp: residents' participatory-budgeting rounds as the ledger says (issue 6,
// DESIGN.md section 6): each round's opening, the voting codes issued for it, its ballots and
// their nullifiers, and its close.
//
// A projection like Governance (STYLE.md section 11): fed every entry once by the sequencer,
// read by request threads under a shared lock, by draft makers under the sequencer's lock.
// Ballots can be many (one per resident who voted), so the checks a ballot needs (is the round
// open, is this nullifier used) are answered without copying them.

#include "ledger/account.hpp"
#include "ledger/append.hpp"
#include "ledger/entry.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

namespace wijkbudget::services {

//! One batch of voting codes, as codes.issued recorded it.
struct CodesBatchView {
    std::uint64_t count{0};
    ledger::Hash digest{};
    ledger::LeafIndex index;
};

struct RoundBallotView {
    ledger::Hash nullifier{};
    std::vector<ledger::BallotChoice> choices;
    ledger::LeafIndex index;
};

//! A round without its ballots: what listing and checking need.
struct RoundSummary {
    ledger::RoundOpened opened;
    ledger::Slug council;
    ledger::Actor opened_by;
    ledger::LeafIndex opened_index;
    ledger::Timestamp opened_at; //!< When round.opened was recorded.
    std::vector<CodesBatchView> codes;
    std::uint64_t ballots_cast{0};
    std::optional<ledger::RoundClosed> closed;
    std::optional<ledger::LeafIndex> closed_index;
    /** Where the close put what the round did not fund: the council's line, the next year's line
     *  (carried over), or the pool (its year closed, the line's grants said return). */
    std::optional<ledger::Account> rest_to;
    [[nodiscard]] std::uint64_t CodesIssued() const;
    [[nodiscard]] bool Closed() const { return closed.has_value(); }
    //! A past election recorded after the fact (services/round_import.hpp): its window had
    //! passed when it was opened on the ledger.
    [[nodiscard]] bool Imported() const { return opened.closes_at <= opened_at; }
};

/** Which state of a round a reader saw. Within one generation of the projection (Reset begins
 *  the next, when the sequencer replays the ledger after a batch that failed) a round only gains
 *  entries: the same generation and number of entries about the round mean the same opening,
 *  codes, ballots and close. */
struct RoundVersion {
    std::uint64_t generation{0};
    std::uint64_t entries{0};
    bool operator==(const RoundVersion&) const = default;
};

//! A round with every ballot, in ledger order: what counting and exporting need.
struct RoundView {
    RoundSummary summary;
    std::vector<RoundBallotView> ballots;
    RoundVersion version;
};

class Rounds final : public ledger::EntryObserver
{
public:
    void Reset() override;
    void Observe(const ledger::Entry& entry) override;

    [[nodiscard]] std::optional<RoundSummary> FindRound(const ledger::Slug& round) const;
    [[nodiscard]] std::optional<RoundView> FindRoundWithBallots(const ledger::Slug& round) const;
    //! The state of the round now, as FindRoundWithBallots would give it, without the copy.
    [[nodiscard]] std::optional<RoundVersion> VersionOf(const ledger::Slug& round) const;
    //! Every round, by id.
    [[nodiscard]] std::vector<RoundSummary> List() const;
    //! The rounds of one council, by id.
    [[nodiscard]] std::vector<RoundSummary> OfCouncil(const ledger::Slug& council) const;
    //! Whether the batch of codes with this digest was recorded for the round.
    [[nodiscard]] bool IsBatchIssued(const ledger::Slug& round, const ledger::Hash& digest) const;
    //! The index of the ballot cast with this nullifier, if one was.
    [[nodiscard]] std::optional<ledger::LeafIndex> BallotOf(const ledger::Slug& round,
                                                            const ledger::Hash& nullifier) const;

private:
    struct RoundState {
        RoundSummary summary;
        std::vector<RoundBallotView> ballots;
        std::map<ledger::Hash, ledger::LeafIndex> by_nullifier;
        std::uint64_t entries{0}; //!< Entries about the round that changed it.
    };

    mutable std::shared_mutex m_mutex;
    std::map<std::string, RoundState> m_rounds;
    std::uint64_t m_size{0};
    std::uint64_t m_generation{0}; //!< Resets so far.
};

} // namespace wijkbudget::services
