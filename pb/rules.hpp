#pragma once
// pb/rules.hpp: the rules by name (RULES.md): greedy_cost, greedy_cardinal, mes_cost,
// mes_cardinal, mes_cost_add1, mes_cardinal_add1 and mes_cost_add1_greedy; which apply to an
// instance; and running one.

#include "pb/instance.hpp"
#include "pb/outcome.hpp"
#include "pb/satisfaction.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace wijkbudget::pb {

enum class RuleKind { greedy, equal_shares, equal_shares_add1, equal_shares_add1_greedy };

struct Rule {
    RuleKind kind{RuleKind::greedy};
    Satisfaction satisfaction{Satisfaction::cost};
    friend bool operator==(const Rule&, const Rule&) = default;
};

//! "mes_cost_add1" and so on: the names of RULES.md and EXPECTED-EXAMPLES.json.
std::string RuleName(const Rule& rule);
std::optional<Rule> RuleFromName(std::string_view name);

/** Why `rule` does not apply to `instance`, or nothing: cardinal satisfaction needs cumulative
 *  ballots (points), and the greedy completion is defined with cost satisfaction only. */
std::optional<std::string> RuleRefusal(const Instance& instance, const Rule& rule);

//! The rules that apply to `instance`, in the order of RULES.md.
std::vector<Rule> ApplicableRules(const Instance& instance);

//! Runs `rule`. @pre !RuleRefusal(instance, rule).
std::variant<Outcome, RuleFailure> ApplyRule(const SatisfactionProfile& profile, const Rule& rule);

} // namespace wijkbudget::pb
