#pragma once
// services/round_service.hpp: residents' participatory-budgeting rounds (issue 6, DESIGN.md
// section 6): opening a round, issuing its voting codes, casting ballots, closing it.
//
// As DecisionService: the caller's role is checked at once, the rest by the draft maker the
// sequencer runs under its lock, against the projections as they stand just before the entry.
//
//   - A council opens its own round by a decision (a council member, seated, names a closed,
//     approving vote whose proposal's commitment is untouched and equals the round's budget, year
//     and category): the round takes that commitment over as its hold. The municipality opens a
//     district's round on a council of that district, holding the budget anew from the line.
//     Either way the round opens in the future, and its tie order is drawn now from `tie_seed`.
//   - The municipality issues codes before the round opens (voting_started after).
//   - Anyone with a valid, unused code of the round ballots while it is open; the ballot names
//     only the round's projects, each once: approval ballots give 1 point each and respect the
//     minimum and maximum number of projects and the maximum total cost; cumulative ballots give
//     1..points_per_project_max points each and at most points_total in all.
//   - After its closing time the round is closed by the system, the municipality, or a member of
//     its council: counted (services/round_count.hpp), binding when the turnout is met. A binding
//     round's winners become commitments split off the hold, and the rest is released; an
//     advisory round releases the whole hold.

#include "ledger/append.hpp"
#include "ledger/entry.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/councils.hpp"
#include "services/governance.hpp"
#include "services/principal.hpp"
#include "services/round_import.hpp"
#include "services/round_requests.hpp"
#include "services/rounds.hpp"
#include "services/voting_codes.hpp"

#include <boost/system/result.hpp>

#include <atomic>
#include <cstdint>
#include <memory>

namespace wijkbudget::services {

//! How far ahead a round may be opened, and how long it may take its votes. Its budget is held
//! from the opening entry until its close, which nobody can bring forward and nobody but the
//! close may spend or release: without these, one member could keep a line's money from the
//! council for ever by opening a round on its decision that closes in 9999.
inline constexpr std::int64_t ROUND_LEAD_DAYS_MAX{366};
inline constexpr std::int64_t ROUND_VOTING_DAYS_MAX{92};

//! The pseudonymous actor of every ballot: residents are never named, not even by a token.
inline constexpr std::string_view BALLOT_ACTOR{"voter"};

class RoundService
{
public:
    using Drafted = boost::system::result<DraftMaker, ledger::Failure>;

    RoundService(const CouncilRegistry& registry, const Governance& governance,
                 const Rounds& rounds, VotingCodeStore& codes, Clock& clock)
        : m_registry{registry},
          m_governance{governance}, m_rounds{rounds}, m_codes{codes}, m_clock{clock}
    {}

    //! `tie_seed` comes from a cryptographic random source (the caller's).
    Drafted Open(const Principal& principal, const ledger::Slug& council, RoundOpening request,
                 const ledger::Hash& tie_seed);
    //! Municipality. Stores the batch's hashes first (VotingCodeStore), then drafts codes.issued.
    Drafted IssueCodes(const Principal& principal, const ledger::Slug& round,
                       const std::vector<ledger::Hash>& code_hashes);
    //! Anyone: the code is the credential. code_invalid, code_unknown, code_used,
    //! round_not_open, ballot_invalid.
    Drafted CastBallot(const ledger::Slug& round, BallotSubmission request);
    /** Counts the round on the caller's thread when its closing time has passed, and drafts the
     *  close with that count if the round is as it was then (RoundVersion): a round of many
     *  ballots counts for seconds, and the draft maker runs under the sequencer's lock, which
     *  every append waits for. */
    Drafted Close(const Principal& principal, const ledger::Slug& round);
    //! Closes whose round changed between the count and the draft, so that they were counted
    //! again in the draft maker.
    [[nodiscard]] std::uint64_t CountsInDraftMakers() const { return m_counts_in_draft_makers; }

    // ---- A past election from a .pb file (services/round_import.hpp), by the municipality. ----
    //! As Open for a district's round, but the window has passed and the tie order is the file's
    //! id order (ID_ORDER_SEED). Codes are issued for it as for any round, before it closes.
    Drafted OpenPast(const Principal& principal, const ledger::Slug& council, RoundOpening request);
    //! One imported ballot, as the file has it: only into an imported round not yet closed.
    Drafted RecordPastBallot(const Principal& principal, const ledger::Slug& round,
                             PastBallot ballot);

private:
    //! A close's count, made before its draft, and the state of the round it counted.
    struct Precount {
        RoundVersion version;
        boost::system::result<ledger::RoundClosed, ledger::Failure> closed;
    };

    [[nodiscard]] ledger::Timestamp Now() const;
    boost::system::result<void, ledger::Failure> CheckCouncilHold(const Principal& principal,
                                                                  const ledger::Slug& council,
                                                                  const RoundOpening& request,
                                                                  ledger::Timestamp at,
                                                                  ledger::RoundOpened& round) const;
    boost::system::result<void, ledger::Failure> CheckDistrictHold(const ledger::Slug& council,
                                                                   const RoundOpening& request,
                                                                   ledger::Entry& entry) const;
    //! What opening a round, live or past, shares once its timing is checked.
    boost::system::result<ledger::Entry, ledger::Failure> DraftOpening(const Principal& principal,
                                                                       const ledger::Slug& council,
                                                                       const RoundOpening& request,
                                                                       const ledger::Hash& tie_seed,
                                                                       ledger::Timestamp at) const;
    boost::system::result<ledger::Entry, ledger::Failure>
    DraftClose(const Principal& principal, const RoundSummary& round, ledger::Timestamp at,
               const std::shared_ptr<const Precount>& precount) const;

    const CouncilRegistry& m_registry;
    const Governance& m_governance;
    const Rounds& m_rounds;
    VotingCodeStore& m_codes;
    Clock& m_clock;
    mutable std::atomic<std::uint64_t> m_counts_in_draft_makers{0};
};

//! The first choice naming no project of the round ("choices[2].project"), or nothing.
std::optional<std::string> ChoiceOutsideRound(const ledger::RoundOpened& round,
                                              const std::vector<ledger::BallotChoice>& choices);
//! Why a ballot breaks the round's rules ("choices[2].points"), or nothing when it keeps them.
std::optional<std::string> BallotBreach(const ledger::RoundOpened& round,
                                        const std::vector<ledger::BallotChoice>& choices);

} // namespace wijkbudget::services
