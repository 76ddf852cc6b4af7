#include "services/round_count.hpp"

#include "ledger/assert.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/round_rules.hpp"
#include "pb/number.hpp"
#include "pb/outcome.hpp"
#include "pb/satisfaction.hpp"

#include <algorithm>
#include <map>

namespace wijkbudget::services {
namespace {

constexpr long CENTS_PER_EURO{100};

mpq_class Euros(ledger::Cents cents)
{
    mpq_class euros{cents.value, CENTS_PER_EURO};
    euros.canonicalize();
    return euros;
}

} // namespace

std::optional<ledger::Token> FractionToken(std::string fraction)
{
    if (fraction.size() > ledger::TOKEN_BYTES_MAX) return std::nullopt;
    return ledger::Token{std::move(fraction)};
}

bool LeavePricesOutUntilItFits(ledger::Entry& draft)
{
    auto& closed = std::get<ledger::RoundClosed>(draft.payload);
    const std::size_t added =
        SEALING_BYTES_ADDED_MAX + draft.postings.size() * SEALING_BYTES_ADDED_PER_POSTING_MAX;
    while (ledger::SerialiseEntry(draft).size() + added > ledger::ENTRY_BYTES_MAX) {
        std::optional<ledger::Token>* longest =
            closed.voter_budget ? &closed.voter_budget : nullptr;
        for (ledger::RoundWinner& winner : closed.winners.items) {
            for (std::optional<ledger::Token>* price :
                 {&winner.price_per_voter, &winner.price_per_point}) {
                if (*price &&
                    (longest == nullptr || (*price)->value.size() > (*longest)->value.size()))
                    longest = price;
            }
        }
        if (longest == nullptr) return false; // Nothing left to leave out.
        longest->reset();
    }
    return true;
}

pb::Rule RoundRuleOf(const ledger::RoundOpened& round)
{
    const bool cumulative = round.ballot_type == ledger::BallotType::cumulative;
    const pb::Satisfaction satisfaction =
        cumulative ? pb::Satisfaction::cardinal : pb::Satisfaction::cost;
    if (round.rule == ledger::RoundRule::greedy) return {pb::RuleKind::greedy, satisfaction};
    return {cumulative ? pb::RuleKind::equal_shares_add1 : pb::RuleKind::equal_shares_add1_greedy,
            satisfaction};
}

std::string TieRankId(std::size_t rank)
{
    static_assert(ledger::ROUND_PROJECTS_MAX <= 1000);
    std::string id = std::to_string(rank);
    return std::string(3 - id.size(), '0') + id;
}

RoundInstance InstanceOfRound(const RoundView& round)
{
    const ledger::RoundOpened& opened = round.summary.opened;
    RoundInstance result;
    pb::Instance& instance = result.instance;
    instance.budget = Euros(opened.budget);
    const bool cumulative = opened.ballot_type == ledger::BallotType::cumulative;
    instance.vote_type = cumulative ? pb::VoteType::cumulative : pb::VoteType::approval;
    std::map<std::string, pb::ProjectIndex> index_of;
    for (const ledger::Slug& id : opened.tie_order.items) {
        const auto project =
            std::find_if(opened.projects.items.begin(), opened.projects.items.end(),
                         [&](const ledger::RoundProject& p) { return p.id == id; });
        WB_ASSERT(project != opened.projects.items.end()); // CheckEntry: a permutation.
        index_of[id.value] = static_cast<pb::ProjectIndex>(instance.projects.size());
        instance.projects.push_back({TieRankId(instance.projects.size()), Euros(project->cost)});
        result.projects.push_back(*project);
    }
    for (const RoundBallotView& ballot : round.ballots) {
        for (const ledger::BallotChoice& choice : ballot.choices) {
            auto found = index_of.find(choice.project.value);
            if (found == index_of.end()) continue; // The use case admits no other project.
            instance.item_project.push_back(found->second);
            if (cumulative) instance.item_points.emplace_back(choice.points);
        }
        instance.ballot_begin.push_back(instance.item_project.size());
    }
    return result;
}

boost::system::result<ledger::RoundClosed, ledger::Failure> CountRound(const RoundView& round)
{
    const RoundSummary& summary = round.summary;
    const ledger::RoundOpened& opened = summary.opened;
    // Each ballot needs a code (an imported one, a member of the electorate): more ballots than
    // codes is a ledger no use case writes.
    if (summary.ballots_cast > summary.CodesIssued()) {
        return ledger::Failure{ledger::Errc::field_invalid, "ballots_cast: more than codes issued"};
    }
    const RoundInstance counted = InstanceOfRound(round);
    const pb::Rule rule = RoundRuleOf(opened);
    const pb::SatisfactionProfile profile =
        MakeSatisfactionProfile(counted.instance, rule.satisfaction);
    auto applied = pb::ApplyRule(profile, rule);
    if (const auto* failure = std::get_if<pb::RuleFailure>(&applied)) {
        return ledger::Failure{ledger::Errc::field_invalid, "rule: " + failure->reason};
    }
    const pb::Outcome& outcome = std::get<pb::Outcome>(applied);

    ledger::RoundClosed closed;
    closed.round = opened.round;
    closed.codes_issued = summary.CodesIssued();
    closed.ballots_cast = summary.ballots_cast;
    closed.turnout_percent =
        ledger::Token{ledger::TurnoutPercentText(closed.ballots_cast, closed.codes_issued)};
    closed.min_turnout_percent = opened.min_turnout_percent;
    closed.binding =
        ledger::TurnoutMet(closed.ballots_cast, closed.codes_issued, closed.min_turnout_percent);
    closed.rule = ledger::Token{pb::RuleName(rule)};
    if (outcome.voter_budget) {
        closed.voter_budget = FractionToken(pb::FormatRational(*outcome.voter_budget));
    }
    for (const pb::Winner& winner : outcome.winners) {
        const ledger::RoundProject& project = counted.projects[winner.project];
        ledger::RoundWinner recorded;
        recorded.project = project.id;
        recorded.cost = project.cost;
        recorded.phase = ledger::Token{pb::PhaseName(winner.phase)};
        if (winner.phase == pb::Phase::equal_shares && profile.UniformUtility()) {
            recorded.price_per_voter = FractionToken(
                pb::FormatRational(mpq_class{winner.rho * profile.cost[winner.project]}));
        } else if (winner.phase == pb::Phase::equal_shares) {
            // Points differ between supporters, so each paid rho times their own points.
            recorded.price_per_point = FractionToken(pb::FormatRational(winner.rho));
        }
        if (closed.binding) recorded.commitment = FundedCommitmentId(opened.round, project.id);
        closed.winners.items.push_back(std::move(recorded));
    }
    std::vector<ledger::RoundProjectResult> results;
    for (std::size_t index = 0; index < counted.projects.size(); ++index) {
        ledger::RoundProjectResult result;
        result.project = counted.projects[index].id;
        result.cost = counted.projects[index].cost;
        result.funded = !outcome.loss[index].has_value();
        if (outcome.loss[index]) {
            result.reason = ledger::Token{pb::LossReasonName(*outcome.loss[index])};
        }
        results.push_back(std::move(result));
    }
    for (const RoundBallotView& ballot : round.ballots) {
        for (const ledger::BallotChoice& choice : ballot.choices) {
            auto result = std::find_if(results.begin(), results.end(),
                                       [&](const auto& r) { return r.project == choice.project; });
            if (result == results.end()) continue;
            ++result->votes;
            result->points += choice.points;
        }
    }
    std::sort(results.begin(), results.end(),
              [](const auto& a, const auto& b) { return a.project.value < b.project.value; });
    closed.results.items = std::move(results);
    return closed;
}

} // namespace wijkbudget::services
