// DecisionService: roll-call votes, from opening to the recorded decision.
#include "ledger/account.hpp"
#include "services/calendar.hpp"
#include "services/decision_checks.hpp"
#include "services/decision_rule.hpp"
#include "services/decisions.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace wijkbudget::services {
namespace {

using namespace decision_checks;
using ledger::Role;
using EntryResult = boost::system::result<ledger::Entry, ledger::Failure>;

bool Contains(const std::vector<ledger::Slug>& members, const ledger::Slug& member)
{
    return std::find(members.begin(), members.end(), member) != members.end();
}

bool HasVoted(const VoteView& vote, const ledger::Slug& member)
{
    return std::any_of(vote.ballots.begin(), vote.ballots.end(),
                       [&](const BallotView& ballot) { return ballot.member == member; });
}

//! A vote that still takes ballots and recusals at `at`.
boost::system::result<VoteView, ledger::Failure> OpenVoteOf(const Governance& governance,
                                                            const ledger::Slug& council,
                                                            const ledger::Slug& vote,
                                                            ledger::Timestamp at)
{
    auto found = governance.FindVote(council, vote);
    if (!found) return Refusal(Errc::vote_unknown, "vote " + vote.value);
    if (found->Closed() || at >= found->closes_at) {
        return Refusal(Errc::vote_closed, "vote " + vote.value);
    }
    return *found;
}

//! The caller may still act in the vote: in its electorate, not recused, not yet voted.
boost::system::result<void, ledger::Failure> CheckVoter(const VoteView& vote,
                                                        const ledger::Slug& member)
{
    if (!Contains(vote.electorate, member)) {
        return Refusal(Errc::not_in_electorate, "member " + member.value);
    }
    if (Contains(vote.recused, member)) return Refusal(Errc::recused, "member " + member.value);
    if (HasVoted(vote, member)) return Refusal(Errc::already_voted, "member " + member.value);
    return {};
}

constexpr std::initializer_list<Role> MEMBER_ROLES{Role::council_member, Role::treasurer};

/** Members of the vote's electorate who may still vote on `day` (seated, not recused, not voted
 *  yet): what waiting for the deadline could change. */
std::size_t StillToVote(const Governance& governance, const VoteView& vote, ledger::Date day)
{
    return static_cast<std::size_t>(std::count_if(
        vote.electorate.begin(), vote.electorate.end(), [&](const ledger::Slug& member) {
            return !Contains(vote.recused, member) && !HasVoted(vote, member) &&
                   governance.IsSeated(vote.council, member, day);
        }));
}

} // namespace

DecisionService::Drafted DecisionService::OpenVote(const Principal& principal,
                                                   const ledger::Slug& council, VoteOpening request)
{
    if (auto allowed = RequireCouncilRole(principal, council, MEMBER_ROLES); !allowed) {
        return allowed.error();
    }
    return DraftMaker{[this, principal, council, request = std::move(request)]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
        const auto proposal = m_governance.FindProposal(council, request.proposal);
        if (!proposal) return Refusal(Errc::proposal_unknown, "proposal " + request.proposal.value);
        if (proposal->status != ProposalStatus::open) {
            return Refusal(Errc::proposal_not_open,
                           "status " + std::string(SpellingOf(proposal->status)));
        }
        // Its submitter puts a proposal to the vote, or the chair: the opener chooses the deadline,
        // and a vote the others did not see coming could reject it for good (no quorum).
        if (principal.member != proposal->submitter &&
            !m_governance.HoldsSeat(council, principal.member, ledger::Seat::chair, DateOf(at))) {
            return Refusal(Errc::not_submitter,
                           "only the proposal's submitter or the council's chair opens its vote");
        }
        // Submitted before its year closed: an approval now could only record period_closed, and
        // the proposal would be approved for good with no money held.
        if (m_governance.IsPeriodClosed(council, proposal->year)) {
            return ledger::MakeFailure(ledger::Errc::period_closed,
                                       "year " + std::to_string(proposal->year.value));
        }
        if (m_governance.FindVote(council, request.id)) {
            return Refusal(Errc::vote_exists, "id " + request.id.value);
        }
        const auto bylaws = m_governance.BylawsInForce(council);
        if (!bylaws) return Refusal(Errc::bylaws_missing, "council " + council.value);
        if (bylaws->rules.tie_rule == ledger::TieRule::lot) {
            return Refusal(Errc::tie_rule_unsupported, "bylaws");
        }
        if (request.closes_at <= at) return Refusal(Errc::closes_at_passed, "closes_at");
        // Days as Dutch clocks count them: 14 days from 20:00 summer time end at 20:00 winter
        // time, an hour more by UTC (an hour less in spring).
        const auto days = static_cast<std::int64_t>(bylaws->rules.voting_period_days_max);
        if (LocalMilliseconds(request.closes_at) - LocalMilliseconds(at) >
            days * MILLISECONDS_PER_DAY) {
            return Refusal(Errc::voting_period_too_long, "closes_at");
        }
        // Members get the time the bylaws give them: a deadline minutes away would let whoever
        // opens the vote have it close without quorum, which rejects the proposal for good.
        if (const auto hours = bylaws->rules.voting_period_hours_min;
            hours && request.closes_at.milliseconds - at.milliseconds <
                         static_cast<std::int64_t>(*hours) * MILLISECONDS_PER_HOUR) {
            return Refusal(Errc::voting_period_too_short, "closes_at");
        }
        auto electorate = m_governance.SeatedOn(council, DateOf(at));
        if (electorate.size() < COUNCIL_MEMBERS_MIN) {
            return Refusal(Errc::too_few_members, std::to_string(electorate.size()) + " seated");
        }
        if (electorate.size() > ledger::ELECTORATE_MAX) {
            return ledger::MakeFailure(ledger::Errc::field_too_long, "electorate");
        }
        return Draft(principal, council, at,
                     ledger::VoteOpened{request.id,
                                        request.proposal,
                                        bylaws->rules.version,
                                        request.closes_at,
                                        {std::move(electorate)}});
    }};
}

DecisionService::Drafted DecisionService::CastVote(const Principal& principal,
                                                   const ledger::Slug& council,
                                                   const ledger::Slug& vote, Ballot request)
{
    if (auto allowed = RequireCouncilRole(principal, council, MEMBER_ROLES); !allowed) {
        return allowed.error();
    }
    return ActInOpenVote(principal, council, vote, [principal, vote, request] {
        return ledger::Payload{ledger::VoteCast{vote, principal.member, request.choice}};
    });
}

DecisionService::Drafted DecisionService::Recuse(const Principal& principal,
                                                 const ledger::Slug& council,
                                                 const ledger::Slug& vote, Reasoned request)
{
    if (auto allowed = RequireCouncilRole(principal, council, MEMBER_ROLES); !allowed) {
        return allowed.error();
    }
    return ActInOpenVote(principal, council, vote, [principal, vote, request = std::move(request)] {
        return ledger::Payload{ledger::VoteRecused{vote, principal.member, request.reason}};
    });
}

DecisionService::Drafted DecisionService::ActInOpenVote(const Principal& principal,
                                                        const ledger::Slug& council,
                                                        const ledger::Slug& vote,
                                                        std::function<ledger::Payload()> payload)
{
    return DraftMaker{
        [this, principal, council, vote, payload = std::move(payload)]() -> EntryResult {
            const ledger::Timestamp at = Now();
            if (!m_registry.Contains(council)) {
                return Refusal(Errc::council_unknown, "council " + council.value);
            }
            auto open = OpenVoteOf(m_governance, council, vote, at);
            if (!open) return open.error();
            if (auto voter = CheckVoter(*open, principal.member); !voter) return voter.error();
            // In the electorate, but the mandate may have ended since the vote opened.
            if (auto actor = CheckActor(principal, council, at); !actor) return actor.error();
            return Draft(principal, council, at, payload());
        }};
}

DecisionService::Drafted DecisionService::CloseVote(const Principal& principal,
                                                    const ledger::Slug& council,
                                                    const ledger::Slug& vote)
{
    if (principal.role != Role::system) {
        if (auto allowed = RequireCouncilRole(principal, council, MEMBER_ROLES); !allowed) {
            return allowed.error();
        }
    }
    return DraftMaker{[this, principal, council, vote]() -> EntryResult {
        const ledger::Timestamp at = Now();
        if (!m_registry.Contains(council)) {
            return Refusal(Errc::council_unknown, "council " + council.value);
        }
        const auto found = m_governance.FindVote(council, vote);
        if (!found) return Refusal(Errc::vote_unknown, "vote " + vote.value);
        if (found->Closed()) return Refusal(Errc::vote_closed, "vote " + vote.value);
        const bool by_opener = principal.role != Role::system && principal.member == found->opener;
        if (!by_opener && at < found->closes_at) return Refusal(Errc::vote_still_open, "closes_at");
        // Early only when waiting could change nothing: else an opener could close as soon as
        // their own side had voted.
        if (const std::size_t waiting = StillToVote(m_governance, *found, DateOf(at));
            at < found->closes_at && waiting > 0) {
            return Refusal(Errc::vote_still_open,
                           "closes_at: " + std::to_string(waiting) +
                               (waiting == 1 ? " member has" : " members have") +
                               " still to vote or recuse");
        }
        return Decide(principal, *found, at);
    }};
}

namespace {

//! The roll-call's counts: ballots of the electorate less recusals, and the chair's choice.
RollCallCounts CountsOf(const VoteView& vote, const std::optional<ledger::Slug>& chair)
{
    RollCallCounts counts;
    std::size_t recused = 0;
    for (const auto& member : vote.electorate) {
        if (Contains(vote.recused, member)) ++recused;
    }
    counts.electorate = vote.electorate.size() - recused;
    counts.recused = recused;
    std::vector<ledger::Slug> counted;
    for (const auto& ballot : vote.ballots) {
        // Defence in depth: the use cases let no one else cast, nor anyone twice, but the ledger
        // does not know; counting such a ballot could pass the electorate and fail an assertion.
        if (!Contains(vote.electorate, ballot.member) || Contains(vote.recused, ballot.member) ||
            Contains(counted, ballot.member)) {
            continue;
        }
        counted.push_back(ballot.member);
        if (ballot.choice == ledger::VoteChoice::in_favour) ++counts.votes_for;
        if (ballot.choice == ledger::VoteChoice::against) ++counts.votes_against;
        if (ballot.choice == ledger::VoteChoice::abstain) ++counts.abstentions;
        if (chair && ballot.member == *chair) counts.chair_choice = ballot.choice;
    }
    return counts;
}

} // namespace

boost::system::result<ledger::Entry, ledger::Failure>
DecisionService::Decide(const Principal& principal, const VoteView& vote,
                        ledger::Timestamp at) const
{
    const auto bylaws = m_governance.BylawsVersion(vote.council, vote.bylaws_version);
    if (!bylaws) return Refusal(Errc::bylaws_missing, "bylaws_version");
    const auto proposal = m_governance.FindProposal(vote.council, vote.proposal);
    if (!proposal) return Refusal(Errc::proposal_unknown, "proposal " + vote.proposal.value);
    const auto& rules = bylaws->rules;
    const auto counts = CountsOf(vote, m_governance.ChairWhenOpened(vote));
    const auto outcome =
        DecideRollCall(counts, {rules.quorum_percent, rules.majority, rules.tie_rule});

    ledger::VoteClosed decision;
    decision.vote = vote.id;
    decision.proposal = vote.proposal;
    decision.bylaws_version = rules.version;
    decision.electorate.items = vote.electorate;
    decision.recused.items = vote.recused;
    decision.votes_for = counts.votes_for;
    decision.votes_against = counts.votes_against;
    decision.abstentions = counts.abstentions;
    decision.quorum_met = outcome.quorum_met;
    decision.majority = rules.majority;
    decision.tie_rule = rules.tie_rule;
    decision.result = outcome.result;
    std::vector<ledger::Posting> postings;
    // Above the co-approval limit the approval waits for Cosign: no commitment, no reason.
    if (outcome.result == ledger::DecisionResult::approved &&
        proposal->amount <= rules.cosign_above) {
        const auto line = m_governance.FindLine(vote.council, proposal->year, proposal->category);
        const bool closed = m_governance.IsPeriodClosed(vote.council, proposal->year);
        const bool covered = line && line->totals.available >= proposal->amount && !closed;
        if (covered) {
            decision.commitment = proposal->id;
            postings = ledger::TransferPostings(
                ledger::LineAccount(vote.council, proposal->year, proposal->category),
                ledger::CommitmentAccount(vote.council, proposal->id), proposal->amount);
        } else {
            // The year closed while the vote ran: no line of it holds anything any more.
            const auto reason =
                closed ? ledger::Errc::period_closed : ledger::Errc::exceeds_budget_line;
            decision.commitment_refused = ledger::Token{std::string(ledger::CodeName(reason))};
        }
    }
    ledger::Entry entry = Draft(principal, vote.council, at, std::move(decision));
    entry.postings = std::move(postings);
    return entry;
}

} // namespace wijkbudget::services
