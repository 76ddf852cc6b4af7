// pb/outcome_json.cpp: see outcome_json.hpp.
#include "pb/outcome_json.hpp"

#include "pb/number.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace wijkbudget::pb {

namespace {

std::string Fraction(const mpq_class& value)
{
    return JsonString(FormatRational(value));
}

std::string WinnerJson(const Instance& instance, const SatisfactionProfile& profile,
                       const Winner& winner)
{
    const Project& project = instance.projects[winner.project];
    std::string json = "{\"project\":" + JsonString(project.id) +
                       ",\"cost\":" + Fraction(project.cost) + ",\"phase\":\"" +
                       PhaseName(winner.phase) + "\"";
    if (winner.phase == Phase::equal_shares) {
        json += ",\"rho\":" + Fraction(winner.rho);
        if (profile.UniformUtility()) {
            // Under cost satisfaction u = cost, so each supporter who could afford it paid this.
            json += ",\"supporter_price\":" + Fraction(mpq_class{winner.rho * project.cost});
        }
    }
    return json + "}";
}

std::string ProjectJson(const Instance& instance, const SatisfactionProfile& profile,
                        const Outcome& outcome, ProjectIndex p)
{
    std::string json = "{\"project\":" + JsonString(instance.projects[p].id) +
                       ",\"cost\":" + Fraction(instance.projects[p].cost) +
                       ",\"votes\":" + std::to_string(profile.listed_count[p]) +
                       ",\"score\":" + Fraction(profile.points_total[p]) + ",\"selected\":";
    if (!outcome.loss[p]) return json + "true}";
    return json + "false,\"reason\":\"" + LossReasonName(*outcome.loss[p]) + "\"}";
}

} // namespace

std::string JsonString(std::string_view text)
{
    std::string json = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            json += '\\';
            json += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            json += escaped;
        } else {
            json += c;
        }
    }
    return json + "\"";
}

std::string OutcomeJson(const Instance& instance, const SatisfactionProfile& profile,
                        const Rule& rule, const Outcome& outcome)
{
    std::string json = "{\"rule\":" + JsonString(RuleName(rule)) +
                       ",\"vote_type\":" + JsonString(VoteTypeName(instance.vote_type)) +
                       ",\"budget\":" + Fraction(instance.budget) +
                       ",\"ballots\":" + std::to_string(instance.BallotCount()) +
                       ",\"spent\":" + Fraction(outcome.spent);
    if (outcome.voter_budget) {
        json += ",\"voter_budget\":" + Fraction(*outcome.voter_budget) +
                ",\"equal_shares_runs\":" + std::to_string(outcome.equal_shares_runs);
    }
    json += ",\"winners\":[";
    for (std::size_t i = 0; i < outcome.winners.size(); ++i) {
        if (i > 0) json += ',';
        json += WinnerJson(instance, profile, outcome.winners[i]);
    }
    json += "],\"projects\":[";
    std::vector<ProjectIndex> order(instance.projects.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](ProjectIndex a, ProjectIndex b) {
        return profile.id_rank[a] < profile.id_rank[b];
    });
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i > 0) json += ',';
        json += ProjectJson(instance, profile, outcome, order[i]);
    }
    return json + "]}";
}

} // namespace wijkbudget::pb
