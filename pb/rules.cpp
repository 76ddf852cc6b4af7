// pb/rules.cpp: see rules.hpp.
#include "pb/rules.hpp"

#include "pb/assert.hpp"
#include "pb/equal_shares.hpp"
#include "pb/greedy.hpp"

#include <array>

namespace wijkbudget::pb {

namespace {

constexpr std::array<Rule, 7> ALL_RULES{
    Rule{RuleKind::greedy, Satisfaction::cost},
    Rule{RuleKind::greedy, Satisfaction::cardinal},
    Rule{RuleKind::equal_shares, Satisfaction::cost},
    Rule{RuleKind::equal_shares, Satisfaction::cardinal},
    Rule{RuleKind::equal_shares_add1, Satisfaction::cost},
    Rule{RuleKind::equal_shares_add1, Satisfaction::cardinal},
    Rule{RuleKind::equal_shares_add1_greedy, Satisfaction::cost},
};

const char* KindName(RuleKind kind)
{
    switch (kind) {
    case RuleKind::greedy: return "greedy";
    case RuleKind::equal_shares: return "mes";
    case RuleKind::equal_shares_add1:
    case RuleKind::equal_shares_add1_greedy: return "mes";
    }
    return "unknown";
}

} // namespace

std::string RuleName(const Rule& rule)
{
    std::string name = KindName(rule.kind);
    name += rule.satisfaction == Satisfaction::cost ? "_cost" : "_cardinal";
    if (rule.kind == RuleKind::equal_shares_add1) name += "_add1";
    if (rule.kind == RuleKind::equal_shares_add1_greedy) name += "_add1_greedy";
    return name;
}

std::optional<Rule> RuleFromName(std::string_view name)
{
    for (const Rule& rule : ALL_RULES) {
        if (RuleName(rule) == name) return rule;
    }
    return std::nullopt;
}

std::optional<std::string> RuleRefusal(const Instance& instance, const Rule& rule)
{
    if (rule.satisfaction != Satisfaction::cardinal) return std::nullopt;
    if (rule.kind == RuleKind::equal_shares_add1_greedy) {
        return "the greedy completion of equal shares is defined with cost satisfaction only";
    }
    if (instance.vote_type != VoteType::cumulative) {
        return std::string{"cardinal satisfaction needs cumulative ballots; this file has "} +
               VoteTypeName(instance.vote_type) + " ballots";
    }
    return std::nullopt;
}

std::vector<Rule> ApplicableRules(const Instance& instance)
{
    std::vector<Rule> rules;
    for (const Rule& rule : ALL_RULES) {
        if (!RuleRefusal(instance, rule)) rules.push_back(rule);
    }
    return rules;
}

std::variant<Outcome, RuleFailure> ApplyRule(const SatisfactionProfile& profile, const Rule& rule)
{
    WB_PB_ASSERT(profile.satisfaction == rule.satisfaction);
    switch (rule.kind) {
    case RuleKind::greedy: return Greedy(profile);
    case RuleKind::equal_shares: return EqualShares(profile, Completion::none);
    case RuleKind::equal_shares_add1: return EqualShares(profile, Completion::add1);
    case RuleKind::equal_shares_add1_greedy: {
        auto result = EqualShares(profile, Completion::add1);
        if (auto* outcome = std::get_if<Outcome>(&result)) {
            GreedyFill(profile, Phase::greedy_completion, *outcome);
        }
        return result;
    }
    }
    WB_PB_ASSERT(false);
    return RuleFailure{"unknown rule"};
}

} // namespace wijkbudget::pb
