#include "services/round_pb_file.hpp"

#include "ledger/assert.hpp"
#include "pb/rules.hpp"
#include "services/calendar.hpp"
#include "services/round_count.hpp"

#include <algorithm>
#include <map>

namespace wijkbudget::services {
namespace {

constexpr std::int64_t CENTS_PER_EURO{100};

//! "1234.56": the file's budget and costs, exact (FORMAT.md: pabutools reads them as rationals).
std::string Euros(ledger::Cents cents)
{
    WB_ASSERT(cents.value >= 0); // Cents are never negative in the ledger.
    const std::int64_t rest = cents.value % CENTS_PER_EURO;
    return std::to_string(cents.value / CENTS_PER_EURO) + (rest < 10 ? ".0" : ".") +
           std::to_string(rest);
}

//! A field as FORMAT.md quotes it: in double quotes, with inner quotes doubled, when it holds
//! `;` or `"`. Entries' text never holds line breaks (ledger/values.hpp), so no field spans lines.
std::string Field(std::string_view text)
{
    if (text.find_first_of(";\"") == std::string_view::npos) return std::string(text);
    std::string quoted = "\"";
    for (const char c : text) {
        quoted += c;
        if (c == '"') quoted += '"';
    }
    return quoted + "\"";
}

//! "dd.mm.yyyy", the Pabulib spelling of a (Dutch) day.
std::string PbDate(ledger::Date day)
{
    const std::string iso = ledger::FormatDate(day); // "yyyy-mm-dd"
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

void Meta(std::string& out, std::string_view key, std::string_view value)
{
    out += key;
    out += ';';
    out += Field(value);
    out += '\n';
}

//! The ballot constraints FORMAT.md names, as the round's rules state them.
void BallotMeta(std::string& out, const ledger::RoundOpened& opened)
{
    if (opened.ballot_type == ledger::BallotType::cumulative) {
        Meta(out, "min_points", "1");
        if (opened.points_per_project_max) {
            Meta(out, "max_points", std::to_string(*opened.points_per_project_max));
        }
        if (opened.points_total) Meta(out, "max_sum_points", std::to_string(*opened.points_total));
        return;
    }
    Meta(out, "min_length", std::to_string(opened.min_projects.value_or(1)));
    if (opened.max_projects) Meta(out, "max_length", std::to_string(*opened.max_projects));
    if (opened.max_cost) Meta(out, "max_sum_cost", Euros(*opened.max_cost));
}

void MetaSection(std::string& out, const RoundView& round)
{
    const RoundSummary& summary = round.summary;
    const ledger::RoundOpened& opened = summary.opened;
    const bool cumulative = opened.ballot_type == ledger::BallotType::cumulative;
    out += "META\nkey;value\n";
    Meta(out, "description", opened.title.value);
    Meta(out, "country", "Netherlands");
    Meta(out, "unit", summary.council.value);
    if (opened.district) Meta(out, "district", opened.district->value);
    Meta(out, "instance", opened.round.value);
    Meta(out, "num_projects", std::to_string(opened.projects.items.size()));
    Meta(out, "num_votes", std::to_string(round.ballots.size()));
    Meta(out, "budget", Euros(opened.budget));
    Meta(out, "currency", "EUR");
    Meta(out, "vote_type", cumulative ? "cumulative" : "approval");
    Meta(out, "rule", opened.rule == ledger::RoundRule::greedy ? "greedy" : "equalshares/add1");
    Meta(out, "date_begin", PbDate(DateOf(opened.opens_at)));
    Meta(out, "date_end", PbDate(LastDayBefore(opened.closes_at)));
    BallotMeta(out, opened);
    Meta(out, "comment",
         "#1: counted by wijkbudget with " + pb::RuleName(RoundRuleOf(opened)) +
             ". A project's id is its place in the round's tie order, then its own id.");
}

} // namespace

std::string PbProjectId(std::size_t rank, const ledger::Slug& project)
{
    return TieRankId(rank) + "-" + project.value;
}

std::string RoundPbFile(const RoundView& round)
{
    const ledger::RoundOpened& opened = round.summary.opened;
    std::string out;
    MetaSection(out, round);

    out += "PROJECTS\nproject_id;cost;name;category\n";
    std::map<std::string, std::size_t> rank_of;
    for (std::size_t rank = 0; rank < opened.tie_order.items.size(); ++rank) {
        const ledger::Slug& id = opened.tie_order.items[rank];
        const auto project =
            std::find_if(opened.projects.items.begin(), opened.projects.items.end(),
                         [&](const ledger::RoundProject& p) { return p.id == id; });
        WB_ASSERT(project != opened.projects.items.end()); // CheckEntry: a permutation.
        rank_of[id.value] = rank;
        out += PbProjectId(rank, id) + ";" + Euros(project->cost) + ";" +
               Field(project->title.value) + ";" +
               (project->category ? Field(project->category->value) : "None") + "\n";
    }

    const bool cumulative = opened.ballot_type == ledger::BallotType::cumulative;
    out += cumulative ? "VOTES\nvoter_id;vote;points\n" : "VOTES\nvoter_id;vote\n";
    for (const RoundBallotView& ballot : round.ballots) {
        std::vector<std::pair<std::size_t, std::uint64_t>> items; // (rank, points)
        for (const ledger::BallotChoice& choice : ballot.choices) {
            const auto rank = rank_of.find(choice.project.value);
            if (rank == rank_of.end()) continue; // The use case admits no other project.
            items.emplace_back(rank->second, choice.points);
        }
        // Tie order; on a cumulative ballot by decreasing points first, as Pabulib lists them.
        std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
            if (cumulative && a.second != b.second) return a.second > b.second;
            return a.first < b.first;
        });
        std::string vote;
        std::string points;
        for (const auto& [rank, given] : items) {
            if (!vote.empty()) {
                vote += ',';
                points += ',';
            }
            vote += PbProjectId(rank, opened.tie_order.items[rank]);
            points += std::to_string(given);
        }
        // pabutools reads an empty cumulative ballot only as None (FORMAT.md); the rules admit
        // none, but the file stays readable whatever the ledger holds.
        if (cumulative && items.empty()) vote = points = "None";
        out += std::to_string(ballot.index.value) + ";" + vote;
        if (cumulative) out += ";" + points;
        out += "\n";
    }
    return out;
}

} // namespace wijkbudget::services
