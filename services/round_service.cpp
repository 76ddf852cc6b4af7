#include "services/round_service.hpp"

#include "ledger/account.hpp"
#include "ledger/assert.hpp"
#include "ledger/round_rules.hpp"
#include "services/calendar.hpp"
#include "services/decision_checks.hpp"
#include "services/release_destination.hpp"
#include "services/round_count.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace wijkbudget::services {
namespace {

using namespace decision_checks;
using ledger::Role;
using EntryResult = boost::system::result<ledger::Entry, ledger::Failure>;

ledger::Entry Draft(const Principal& principal, const ledger::Slug& council, ledger::Timestamp at,
                    ledger::Payload payload)
{
    ledger::Entry entry;
    entry.actor = {principal.role, principal.member};
    entry.recorded_at = at;
    entry.council = council;
    entry.payload = std::move(payload);
    return entry;
}

ledger::RoundOpened RoundOf(const RoundOpening& request, const ledger::Hash& tie_seed)
{
    ledger::RoundOpened round;
    round.round = request.id;
    round.title = request.title;
    round.district = request.district;
    round.year = request.year;
    round.category = request.category;
    round.budget = request.budget;
    round.decision = request.decision;
    round.opens_at = request.opens_at;
    round.closes_at = request.closes_at;
    round.ballot_type = request.ballot_type;
    round.min_projects = request.min_projects;
    round.max_projects = request.max_projects;
    round.max_cost = request.max_cost;
    round.points_total = request.points_total;
    round.points_per_project_max = request.points_per_project_max;
    round.rule = request.rule;
    round.min_turnout_percent = request.min_turnout_percent;
    round.projects = request.projects;
    round.tie_seed = tie_seed;
    round.tie_order.items = ledger::TieOrderOf(tie_seed, round.projects.items);
    return round;
}

std::optional<std::string> ApprovalBreach(const ledger::RoundOpened& round,
                                          const std::vector<ledger::BallotChoice>& choices)
{
    std::int64_t total = 0;
    for (std::size_t position = 0; position < choices.size(); ++position) {
        if (choices[position].points != 1) {
            return "choices[" + std::to_string(position) + "].points";
        }
        const auto project =
            std::find_if(round.projects.items.begin(), round.projects.items.end(),
                         [&](const auto& p) { return p.id == choices[position].project; });
        total += project->cost.value;
    }
    if (choices.size() < round.min_projects.value_or(1)) return "choices: too few projects";
    if (round.max_projects && choices.size() > *round.max_projects) {
        return "choices: too many projects";
    }
    if (round.max_cost && total > round.max_cost->value) return "choices: total cost too high";
    return std::nullopt;
}

std::optional<std::string> CumulativeBreach(const ledger::RoundOpened& round,
                                            const std::vector<ledger::BallotChoice>& choices)
{
    std::uint64_t total = 0;
    for (std::size_t position = 0; position < choices.size(); ++position) {
        const std::uint64_t points = choices[position].points;
        if (points < 1 || points > *round.points_per_project_max) {
            return "choices[" + std::to_string(position) + "].points";
        }
        total += points;
    }
    if (choices.empty()) return "choices: too few projects";
    if (total > *round.points_total) return "choices: too many points";
    return std::nullopt;
}

} // namespace

std::optional<std::string> ChoiceOutsideRound(const ledger::RoundOpened& round,
                                              const std::vector<ledger::BallotChoice>& choices)
{
    for (std::size_t position = 0; position < choices.size(); ++position) {
        const ledger::Slug& id = choices[position].project;
        if (std::none_of(round.projects.items.begin(), round.projects.items.end(),
                         [&](const ledger::RoundProject& p) { return p.id == id; }))
            return "choices[" + std::to_string(position) + "].project";
    }
    return std::nullopt;
}

std::optional<std::string> BallotBreach(const ledger::RoundOpened& round,
                                        const std::vector<ledger::BallotChoice>& choices)
{
    if (auto outside = ChoiceOutsideRound(round, choices)) return outside;
    std::set<std::string> seen;
    for (std::size_t position = 0; position < choices.size(); ++position) {
        if (!seen.insert(choices[position].project.value).second)
            return "choices[" + std::to_string(position) + "].project";
    }
    return round.ballot_type == ledger::BallotType::approval ? ApprovalBreach(round, choices)
                                                             : CumulativeBreach(round, choices);
}

ledger::Timestamp RoundService::Now() const
{
    return std::max({m_clock.Now(), m_registry.LastRecordedAt(), m_governance.LastRecordedAt()});
}

boost::system::result<void, ledger::Failure>
RoundService::CheckCouncilHold(const Principal& principal, const ledger::Slug& council,
                               const RoundOpening& request, ledger::Timestamp at,
                               ledger::RoundOpened& round) const
{
    const auto vote = m_governance.FindVote(council, *request.decision);
    if (!vote) return Refusal(Errc::vote_unknown, "decision");
    const auto proposal = m_governance.FindProposal(council, vote->proposal);
    const bool approved =
        vote->decision && vote->decision->result == ledger::DecisionResult::approved;
    if (!approved || !proposal || !proposal->commitment) {
        return Refusal(Errc::decision_unsuitable, "decision");
    }
    // As with its vote: the one who proposed it, or the chair. Any member could otherwise take
    // a commitment the council voted for away from its treasurer into a round of their making.
    if (principal.member != proposal->submitter &&
        !m_governance.HoldsSeat(council, principal.member, ledger::Seat::chair, DateOf(at))) {
        return Refusal(Errc::not_submitter,
                       "only the decided proposal's submitter or the council's chair holds a "
                       "round on its commitment");
    }
    const auto held = m_governance.FindCommitment(council, *proposal->commitment);
    if (!held || held->resolved || held->round || held->spent.value != 0 ||
        held->released.value != 0 || held->amount != request.budget || held->year != request.year ||
        held->category != request.category) {
        return Refusal(Errc::decision_unsuitable, "decision");
    }
    // Untouched: a spending reversed since leaves nothing spent, but the book takes as the hold
    // only an account nothing moved on since it was made.
    const auto spendings = m_governance.Spendings(council);
    if (std::any_of(spendings.begin(), spendings.end(), [&held](const SpendingView& spending) {
            return spending.commitment == held->id;
        })) {
        return Refusal(Errc::decision_unsuitable, "decision: its commitment was spent on");
    }
    round.hold = held->id;
    return {};
}

boost::system::result<void, ledger::Failure>
RoundService::CheckDistrictHold(const ledger::Slug& council, const RoundOpening& request,
                                ledger::Entry& entry) const
{
    const auto found = m_registry.Find(council);
    if (!found || found->district != *request.district) {
        return Refusal(Errc::district_mismatch, "district");
    }
    if (m_governance.FindCommitment(council, request.id)) {
        return ledger::Failure{ledger::Errc::commitment_exists, "id"};
    }
    entry.postings =
        ledger::TransferPostings(ledger::LineAccount(council, request.year, request.category),
                                 ledger::CommitmentAccount(council, request.id), request.budget);
    return {};
}

namespace {

/** Why no ballot could meet `request`'s rules, if none can: an approval ballot names at least
 *  min_projects (else one) projects, and the cheapest that many must fit within max_cost.
 *  Opened anyway, every resident's ballot would be refused while the budget stays held. */
std::optional<ledger::Failure> NoBallotPossible(const RoundOpening& request)
{
    if (request.ballot_type != ledger::BallotType::approval || !request.max_cost) return {};
    std::vector<std::int64_t> costs;
    for (const auto& project : request.projects.items)
        costs.push_back(project.cost.value);
    std::sort(costs.begin(), costs.end());
    const std::size_t fewest = request.min_projects.value_or(1);
    if (fewest > costs.size()) return {}; // The ledger's own check names min_projects.
    std::int64_t cheapest = 0;
    for (std::size_t position = 0; position < fewest; ++position)
        cheapest += costs[position];
    if (cheapest <= request.max_cost->value) return {};
    return ledger::Failure{make_error_code(Errc::no_ballot_possible),
                           "max_cost_cents: the " +
                               (fewest == 1 ? std::string("cheapest project costs ")
                                            : "cheapest " + std::to_string(fewest) +
                                                  " projects (min_projects) cost ") +
                               std::to_string(cheapest) + " cents, more than " +
                               std::to_string(request.max_cost->value)};
}

//! Who may open a round, and what each must name: a council member its decision, the
//! municipality the district.
boost::system::result<void, ledger::Failure>
CheckOpener(const Principal& principal, const ledger::Slug& council, const RoundOpening& request)
{
    if (principal.role == Role::municipality) {
        if (!request.district) return ledger::Failure{ledger::Errc::field_missing, "district"};
        if (request.decision) return ledger::Failure{ledger::Errc::field_unknown, "decision"};
    } else {
        if (auto allowed = RequireCouncilRole(principal, council, {Role::council_member});
            !allowed) {
            return allowed.error();
        }
        if (!request.decision) return ledger::Failure{ledger::Errc::field_missing, "decision"};
        if (request.district) return ledger::Failure{ledger::Errc::field_unknown, "district"};
    }
    // Each funded project becomes the commitment "<round>-<project>", itself a slug.
    for (std::size_t position = 0; position < request.projects.items.size(); ++position) {
        const auto& id = request.projects.items[position].id;
        if (request.id.value.size() + 1 + id.value.size() > ledger::SLUG_BYTES_MAX) {
            return ledger::Failure{ledger::Errc::field_too_long,
                                   "projects[" + std::to_string(position) + "].id"};
        }
    }
    return {};
}

} // namespace

boost::system::result<ledger::Entry, ledger::Failure>
RoundService::DraftOpening(const Principal& principal, const ledger::Slug& council,
                           const RoundOpening& request, const ledger::Hash& tie_seed,
                           ledger::Timestamp at) const
{
    if (!m_registry.Contains(council)) {
        return Refusal(Errc::council_unknown, "council " + council.value);
    }
    if (principal.role == Role::council_member &&
        !m_governance.IsSeated(council, principal.member, DateOf(at))) {
        return Refusal(Errc::mandate_invalid, "member " + principal.member.value);
    }
    if (m_rounds.FindRound(request.id)) return ledger::Failure{ledger::Errc::round_exists, "id"};
    // The commitments it makes bear its id (a district's hold) and "<id>-<project>" (funded
    // projects): none may be a proposal's, whose commitment bears its id, or a commitment's, or
    // the book refuses them when the vote or the round closes, which then never can.
    std::vector<ledger::Slug> names;
    if (!request.decision) names.push_back(request.id);
    for (const auto& project : request.projects.items)
        names.push_back(FundedCommitmentId(request.id, project.id));
    for (const auto& name : names) {
        if (m_governance.FindProposal(council, name) ||
            m_governance.IsCommitmentNameTaken(council, name))
            return ledger::MakeFailure(ledger::Errc::commitment_exists,
                                       "id: " + name.value + " names a proposal or commitment");
    }
    ledger::RoundOpened round = RoundOf(request, tie_seed);
    round.hold = request.id;
    ledger::Entry entry = Draft(principal, council, at, ledger::RoundOpened{});
    if (request.decision) {
        if (auto held = CheckCouncilHold(principal, council, request, at, round); !held) {
            return held.error();
        }
    } else if (auto held = CheckDistrictHold(council, request, entry); !held) {
        return held.error();
    }
    entry.payload = std::move(round);
    return entry;
}

RoundService::Drafted RoundService::Open(const Principal& principal, const ledger::Slug& council,
                                         RoundOpening request, const ledger::Hash& tie_seed)
{
    if (auto opener = CheckOpener(principal, council, request); !opener) return opener.error();
    if (auto impossible = NoBallotPossible(request)) return *impossible;
    // Past rounds (OpenPast) are history and hold nothing for long: these bound live ones only.
    if (request.closes_at.milliseconds - request.opens_at.milliseconds >
        ROUND_VOTING_DAYS_MAX * MILLISECONDS_PER_DAY) {
        return Refusal(Errc::round_too_long, "closes_at: more than " +
                                                 std::to_string(ROUND_VOTING_DAYS_MAX) +
                                                 " days after opens_at");
    }
    return DraftMaker{
        [this, principal, council, request = std::move(request), tie_seed]() -> EntryResult {
            const ledger::Timestamp at = Now();
            // The tie order is drawn now, so the round must open later.
            if (request.opens_at <= at) return Refusal(Errc::opens_at_passed, "opens_at");
            if (request.opens_at.milliseconds - at.milliseconds >
                ROUND_LEAD_DAYS_MAX * MILLISECONDS_PER_DAY) {
                return Refusal(Errc::round_too_long, "opens_at: more than " +
                                                         std::to_string(ROUND_LEAD_DAYS_MAX) +
                                                         " days ahead");
            }
            return DraftOpening(principal, council, request, tie_seed, at);
        }};
}

RoundService::Drafted RoundService::OpenPast(const Principal& principal,
                                             const ledger::Slug& council, RoundOpening request)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    if (auto opener = CheckOpener(principal, council, request); !opener) return opener.error();
    return DraftMaker{[this, principal, council, request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (request.closes_at > at) return Refusal(Errc::round_still_open, "closes_at");
        return DraftOpening(principal, council, request, ledger::ID_ORDER_SEED, at);
    }};
}

RoundService::Drafted RoundService::RecordPastBallot(const Principal& principal,
                                                     const ledger::Slug& round, PastBallot ballot)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    return DraftMaker{[this, principal, round, ballot = std::move(ballot)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        const auto found = m_rounds.FindRound(round);
        if (!found) return ledger::Failure{ledger::Errc::round_unknown, "round " + round.value};
        if (!found->Imported() || found->Closed()) {
            return Refusal(Errc::round_not_open, "round " + round.value);
        }
        if (m_rounds.BallotOf(round, ballot.nullifier)) return Refusal(Errc::code_used, "voter");
        // The electorate is recorded first; nobody outside it votes.
        if (found->ballots_cast >= found->CodesIssued())
            return Refusal(Errc::code_unknown, "voter");
        // The file's votes keep their own shape (pabutools takes any), but name the round's
        // projects: a ballot of another file (an interrupted import resumed on other input)
        // would otherwise be recorded, and its unknown projects counted as nothing.
        if (auto outside = ChoiceOutsideRound(found->opened, ballot.choices))
            return Refusal(Errc::ballot_invalid, *outside);
        ledger::BallotCast cast{round, ballot.nullifier, {}};
        cast.choices.items = ballot.choices;
        const Principal voter{"", Role::resident, ledger::Slug{std::string(BALLOT_ACTOR)},
                              std::nullopt};
        return Draft(voter, found->council, at, std::move(cast));
    }};
}

RoundService::Drafted RoundService::IssueCodes(const Principal& principal,
                                               const ledger::Slug& round,
                                               const std::vector<ledger::Hash>& code_hashes)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    if (code_hashes.empty() || code_hashes.size() > ledger::ROUND_CODES_MAX) {
        return ledger::Failure{ledger::Errc::field_invalid, "count"};
    }
    const auto found = m_rounds.FindRound(round);
    if (!found) return ledger::Failure{ledger::Errc::round_unknown, "round " + round.value};
    const ledger::Hash digest = CodesDigest(code_hashes);
    // Stored first: a batch counts only once its codes.issued is on the ledger, so a batch
    // whose entry fails admits nobody.
    if (auto stored = m_codes.PutBatch(round, digest, code_hashes); !stored) {
        return stored.error();
    }
    const std::uint64_t count = code_hashes.size();
    return DraftMaker{[this, principal, round, digest, count]() -> EntryResult {
        const ledger::Timestamp at = Now();
        const auto current = m_rounds.FindRound(round);
        if (!current) return ledger::Failure{ledger::Errc::round_unknown, "round " + round.value};
        // A past election gets its electorate recorded after the fact, before its close.
        const bool in_time = current->Imported() || at < current->opened.opens_at;
        if (current->Closed() || !in_time) {
            return Refusal(Errc::voting_started, "round " + round.value);
        }
        if (m_rounds.IsBatchIssued(round, digest)) {
            return ledger::Failure{ledger::Errc::field_invalid,
                                   "codes: this batch is issued already"};
        }
        if (current->CodesIssued() + count > ledger::ROUND_CODES_MAX) {
            return ledger::Failure{ledger::Errc::field_invalid, "count"};
        }
        return Draft(principal, current->council, at, ledger::CodesIssued{round, count, digest});
    }};
}

RoundService::Drafted RoundService::CastBallot(const ledger::Slug& round, BallotSubmission request)
{
    const auto canonical = CanonicalVotingCode(request.code.value);
    if (!canonical) return Refusal(Errc::code_invalid, "code");
    const auto batch = m_codes.BatchOf(round, VotingCodeHash(round, *canonical));
    if (!batch) return batch.error();
    if (!*batch) return Refusal(Errc::code_unknown, "code");
    const ledger::Hash nullifier = NullifierOf(round, *canonical);
    return DraftMaker{[this, round, nullifier, digest = **batch,
                       choices = std::move(request.choices)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        const auto found = m_rounds.FindRound(round);
        if (!found) return ledger::Failure{ledger::Errc::round_unknown, "round " + round.value};
        // Against the ledger as it stands under the sequencer: a batch another process issued
        // a moment ago counts, one whose entry never came does not.
        if (!m_rounds.IsBatchIssued(round, digest)) return Refusal(Errc::code_unknown, "code");
        // A code that voted is told so, also after the window: "not open" would tell a voter
        // who sends their code again with other choices that it was never used.
        if (m_rounds.BallotOf(round, nullifier)) return Refusal(Errc::code_used, "code");
        if (found->Closed() || at < found->opened.opens_at || at >= found->opened.closes_at) {
            return Refusal(Errc::round_not_open, "round " + round.value);
        }
        if (auto breach = BallotBreach(found->opened, choices.items)) {
            return Refusal(Errc::ballot_invalid, *breach);
        }
        const Principal voter{"", Role::resident, ledger::Slug{std::string(BALLOT_ACTOR)},
                              std::nullopt};
        return Draft(voter, found->council, at, ledger::BallotCast{round, nullifier, choices});
    }};
}

RoundService::Drafted RoundService::Close(const Principal& principal, const ledger::Slug& round)
{
    const auto found = m_rounds.FindRound(round);
    if (!found) return ledger::Failure{ledger::Errc::round_unknown, "round " + round.value};
    if (principal.role != Role::system) {
        if (auto allowed =
                RequireMunicipalityOrCouncilRole(principal, found->council, {Role::council_member});
            !allowed) {
            return allowed.error();
        }
    }
    // Counted here rather than in the draft maker, which the sequencer runs under its lock (see
    // Close in the header). Only for a close the draft will not refuse at once for its timing or
    // its closer (checked again there): a count of a large round takes seconds of this thread,
    // and holds the projection's lock against the sequencer while its ballots are copied.
    const bool closer_refused = found->Imported() && (principal.role == Role::system ||
                                                      principal.role != found->opened_by.role ||
                                                      principal.member != found->opened_by.id);
    std::shared_ptr<const Precount> precount;
    if (!found->Closed() && !closer_refused && Now() >= found->opened.closes_at) {
        if (auto full = m_rounds.FindRoundWithBallots(round)) {
            precount = std::make_shared<const Precount>(Precount{full->version, CountRound(*full)});
        }
    }
    return DraftMaker{[this, principal, round, precount]() -> EntryResult {
        const ledger::Timestamp at = Now();
        const auto current = m_rounds.FindRound(round);
        // Rounds are never forgotten once committed, but the check above may have seen one that
        // only a batch that later failed held (the projections run ahead of the commit).
        if (!current) return ledger::Failure{ledger::Errc::round_unknown, "round " + round.value};
        if (current->Closed()) return ledger::Failure{ledger::Errc::round_closed, "round"};
        // Not by a deadline scan (RoundDeadlines skips them too): an imported round is closed
        // by its import, after the last of its ballots.
        if (current->Imported() && principal.role == Role::system)
            return Refusal(Errc::not_permitted, "an imported round is closed by its import");
        // Nor by a person while the import appends its ballots one by one (or after it stopped
        // halfway): counted on part of them, its result would stand for good.
        if (current->Imported() && (principal.role != current->opened_by.role ||
                                    principal.member != current->opened_by.id)) {
            return Refusal(Errc::not_permitted, "an imported round is closed by its import (" +
                                                    current->opened_by.id.value +
                                                    "), after its last ballot");
        }
        // The close names its closer, as the opening does: a member's login outlives the seat.
        if (principal.role == Role::council_member &&
            !m_governance.IsSeated(current->council, principal.member, DateOf(at))) {
            return Refusal(Errc::mandate_invalid, "member " + principal.member.value);
        }
        if (at < current->opened.closes_at) return Refusal(Errc::round_still_open, "closes_at");
        return DraftClose(principal, *current, at, precount);
    }};
}

boost::system::result<ledger::Entry, ledger::Failure>
RoundService::DraftClose(const Principal& principal, const RoundSummary& round,
                         ledger::Timestamp at,
                         const std::shared_ptr<const Precount>& precount) const
{
    // The count made before the draft holds if the round is as it was then; it is not if a
    // ballot came meanwhile, or the projection was rebuilt after a batch that failed (the count
    // may have seen a ballot that was never stored).
    auto closed = [&]() -> boost::system::result<ledger::RoundClosed, ledger::Failure> {
        if (precount && m_rounds.VersionOf(round.opened.round) == precount->version)
            return precount->closed;
        ++m_counts_in_draft_makers;
        const auto full = m_rounds.FindRoundWithBallots(round.opened.round);
        WB_ASSERT(full.has_value());
        return CountRound(*full);
    }();
    if (!closed) return closed.error();
    const auto hold = m_governance.FindCommitment(round.council, round.opened.hold);
    WB_ASSERT(hold.has_value()); // The book made the round's hold.
    const ledger::Account from = ledger::CommitmentAccount(round.council, hold->id);
    std::vector<ledger::Posting> postings;
    std::int64_t left = hold->Left().value;
    if (closed->binding) {
        for (const ledger::RoundWinner& winner : closed->winners.items) {
            if (m_governance.FindCommitment(round.council, *winner.commitment)) {
                return ledger::Failure{ledger::Errc::commitment_exists, winner.commitment->value};
            }
            auto split = ledger::TransferPostings(
                from, ledger::CommitmentAccount(round.council, *winner.commitment), winner.cost);
            postings.insert(postings.end(), split.begin(), split.end());
            left -= winner.cost.value;
        }
    }
    WB_ASSERT(left >= 0); // Every rule spends at most the budget.
    if (left > 0) {
        auto rest = ledger::TransferPostings(from, ReleaseDestination(m_governance, *hold),
                                             ledger::Cents{left});
        postings.insert(postings.end(), rest.begin(), rest.end());
    }
    ledger::Entry entry = Draft(principal, round.council, at, std::move(*closed));
    entry.postings = std::move(postings);
    if (!LeavePricesOutUntilItFits(entry)) {
        // Not seen even at the limits (64 projects, 64-byte ids): the Sealer refuses it, and
        // SystemCloses tries it less and less often.
        return ledger::MakeFailure(ledger::Errc::field_too_long, "round.closed");
    }
    return entry;
}

} // namespace wijkbudget::services
