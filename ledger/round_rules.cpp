#include "ledger/round_rules.hpp"

#include "ledger/assert.hpp"
#include "ledger/sha256.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace wijkbudget::ledger {
namespace {

using CheckResult = boost::system::result<void, Failure>;

template <class Item, class Id>
bool UniqueIds(const std::vector<Item>& items, Id id_of)
{
    std::set<std::string> seen;
    return std::all_of(items.begin(), items.end(),
                       [&](const Item& item) { return seen.insert(id_of(item).value).second; });
}

CheckResult CheckBallotSettings(const RoundOpened& round)
{
    const std::uint64_t projects = round.projects.items.size();
    if (round.ballot_type == BallotType::approval) {
        if (round.points_total || round.points_per_project_max) {
            return MakeFailure(Errc::field_unknown, "payload.points_total");
        }
        if (round.min_projects && (*round.min_projects < 1 || *round.min_projects > projects)) {
            return MakeFailure(Errc::field_invalid, "payload.min_projects");
        }
        if (round.max_projects &&
            (*round.max_projects < std::max<std::uint64_t>(1, round.min_projects.value_or(1)) ||
             *round.max_projects > projects)) {
            return MakeFailure(Errc::field_invalid, "payload.max_projects");
        }
        return {};
    }
    if (round.min_projects || round.max_projects || round.max_cost) {
        return MakeFailure(Errc::field_unknown, "payload.max_projects");
    }
    if (!round.points_total || *round.points_total < 1 || *round.points_total > ROUND_POINTS_MAX) {
        return MakeFailure(Errc::field_invalid, "payload.points_total");
    }
    if (!round.points_per_project_max || *round.points_per_project_max < 1 ||
        *round.points_per_project_max > *round.points_total) {
        return MakeFailure(Errc::field_invalid, "payload.points_per_project_max");
    }
    return {};
}

CheckResult CheckOpened(const Entry& entry, const RoundOpened& round)
{
    if (round.closes_at <= round.opens_at) {
        return MakeFailure(Errc::field_invalid, "payload.closes_at");
    }
    if (round.min_turnout_percent > 100) {
        return MakeFailure(Errc::field_invalid, "payload.min_turnout_percent");
    }
    if (round.projects.items.empty()) return MakeFailure(Errc::field_missing, "payload.projects");
    if (!UniqueIds(round.projects.items, [](const RoundProject& p) { return p.id; })) {
        return MakeFailure(Errc::field_invalid, "payload.projects");
    }
    if (auto settings = CheckBallotSettings(round); !settings) return settings;
    if (round.tie_order.items != TieOrderOf(round.tie_seed, round.projects.items)) {
        return MakeFailure(Errc::field_invalid, "payload.tie_order");
    }
    // A council decides its own round by a vote; the municipality opens a district's.
    const bool by_council = entry.actor.role == Role::council_member;
    if (by_council != round.decision.has_value()) {
        return MakeFailure(by_council ? Errc::field_missing : Errc::field_unknown,
                           "payload.decision");
    }
    if (by_council == round.district.has_value()) {
        return MakeFailure(by_council ? Errc::field_unknown : Errc::field_missing,
                           "payload.district");
    }
    return {};
}

CheckResult CheckBallot(const BallotCast& ballot)
{
    if (!UniqueIds(ballot.choices.items, [](const BallotChoice& c) { return c.project; })) {
        return MakeFailure(Errc::field_invalid, "payload.choices");
    }
    for (const BallotChoice& choice : ballot.choices.items) {
        if (choice.points < 1 || choice.points > ROUND_POINTS_MAX) {
            return MakeFailure(Errc::field_invalid, "payload.choices.points");
        }
    }
    return {};
}

CheckResult CheckClosed(const RoundClosed& closed)
{
    if (closed.codes_issued > ROUND_CODES_MAX || closed.ballots_cast > closed.codes_issued) {
        return MakeFailure(Errc::field_invalid, "payload.ballots_cast");
    }
    if (closed.min_turnout_percent > 100) {
        return MakeFailure(Errc::field_invalid, "payload.min_turnout_percent");
    }
    if (closed.turnout_percent.value !=
        TurnoutPercentText(closed.ballots_cast, closed.codes_issued)) {
        return MakeFailure(Errc::field_invalid, "payload.turnout_percent");
    }
    if (closed.binding !=
        TurnoutMet(closed.ballots_cast, closed.codes_issued, closed.min_turnout_percent)) {
        return MakeFailure(Errc::field_invalid, "payload.binding");
    }
    const auto& results = closed.results.items;
    if (!UniqueIds(results, [](const RoundProjectResult& r) { return r.project; })) {
        return MakeFailure(Errc::field_invalid, "payload.results");
    }
    for (const RoundProjectResult& result : results) {
        if (result.funded == result.reason.has_value() || result.votes > closed.ballots_cast) {
            return MakeFailure(Errc::field_invalid, "payload.results");
        }
    }
    const auto& winners = closed.winners.items;
    if (!UniqueIds(winners, [](const RoundWinner& w) { return w.project; })) {
        return MakeFailure(Errc::field_invalid, "payload.winners");
    }
    const auto funded = std::count_if(results.begin(), results.end(),
                                      [](const RoundProjectResult& r) { return r.funded; });
    if (static_cast<std::size_t>(funded) != winners.size()) {
        return MakeFailure(Errc::field_invalid, "payload.winners");
    }
    for (const RoundWinner& winner : winners) {
        const auto result = std::find_if(results.begin(), results.end(), [&](const auto& r) {
            return r.project == winner.project;
        });
        if (result == results.end() || !result->funded || result->cost != winner.cost ||
            winner.commitment.has_value() != closed.binding) {
            return MakeFailure(Errc::field_invalid, "payload.winners");
        }
    }
    return {};
}

} // namespace

std::vector<Slug> TieOrderOf(const Hash& seed, std::span<const RoundProject> projects)
{
    std::vector<std::pair<Hash, Slug>> keyed;
    keyed.reserve(projects.size());
    for (const RoundProject& project : projects) {
        if (seed == ID_ORDER_SEED) {
            keyed.emplace_back(Hash{}, project.id);
            continue;
        }
        Sha256 hasher;
        hasher.Update(std::span<const std::uint8_t>{seed});
        hasher.Update(project.id.value);
        keyed.emplace_back(hasher.Finish(), project.id);
    }
    std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second.value < b.second.value;
    });
    std::vector<Slug> order;
    order.reserve(keyed.size());
    for (auto& [key, id] : keyed)
        order.push_back(std::move(id));
    return order;
}

bool TurnoutMet(std::uint64_t ballots, std::uint64_t codes, std::uint64_t min_turnout_percent)
{
    WB_ASSERT(ballots <= codes && codes <= ROUND_CODES_MAX && min_turnout_percent <= 100);
    return codes > 0 && ballots * 100 >= min_turnout_percent * codes;
}

std::string TurnoutPercentText(std::uint64_t ballots, std::uint64_t codes)
{
    const std::uint64_t hundredths = codes == 0 ? 0 : ballots * 10'000 / codes;
    const std::uint64_t fraction = hundredths % 100;
    return std::to_string(hundredths / 100) + (fraction < 10 ? ".0" : ".") +
           std::to_string(fraction);
}

boost::system::result<void, Failure> CheckRoundPayload(const Entry& entry)
{
    if (const auto* round = std::get_if<RoundOpened>(&entry.payload)) {
        return CheckOpened(entry, *round);
    }
    if (const auto* codes = std::get_if<CodesIssued>(&entry.payload)) {
        if (codes->count < 1 || codes->count > ROUND_CODES_MAX) {
            return MakeFailure(Errc::field_invalid, "payload.count");
        }
        return {};
    }
    if (const auto* ballot = std::get_if<BallotCast>(&entry.payload)) return CheckBallot(*ballot);
    if (const auto* closed = std::get_if<RoundClosed>(&entry.payload)) return CheckClosed(*closed);
    return {};
}

} // namespace wijkbudget::ledger
