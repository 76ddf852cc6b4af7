#include "pb/outcome_json.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace wijkbudget::pb {
namespace {

boost::json::object Explain(const std::string& file, const std::string& rule_name)
{
    const auto instance = test::MustParse(test::ReadText(test::TestDataDir() / "cases" / file));
    const auto rule = *RuleFromName(rule_name);
    const auto profile = MakeSatisfactionProfile(instance, rule.satisfaction);
    const auto outcome = std::get<Outcome>(ApplyRule(profile, rule));
    return boost::json::parse(OutcomeJson(instance, profile, rule, outcome)).as_object();
}

TEST(OutcomeJsonTest, ExplainsEqualSharesWithExactPrices)
{
    const auto json = Explain("exactness_110.pb", "mes_cost");
    EXPECT_EQ(json.at("rule"), "mes_cost");
    EXPECT_EQ(json.at("budget"), "110");
    EXPECT_EQ(json.at("ballots"), 6);
    EXPECT_EQ(json.at("voter_budget"), "55/3");
    const auto& winners = json.at("winners").as_array();
    ASSERT_EQ(winners.size(), 2u);
    EXPECT_EQ(winners[0].at("project"), "p1");
    EXPECT_EQ(winners[0].at("rho"), "1/4");
    EXPECT_EQ(winners[0].at("supporter_price"), "25/2");
    EXPECT_EQ(winners[1].at("supporter_price"), "55/3");
    const auto& projects = json.at("projects").as_array();
    ASSERT_EQ(projects.size(), 4u);
    EXPECT_EQ(projects[1].at("project"), "p2");
    EXPECT_EQ(projects[1].at("votes"), 4);
    EXPECT_EQ(projects[1].at("selected"), false);
    EXPECT_EQ(projects[1].at("reason"), "unaffordable");
}

TEST(OutcomeJsonTest, ExplainsGreedyAndItsCompletion)
{
    const auto json = Explain("add1_infeasible.pb", "mes_cost_add1_greedy");
    EXPECT_EQ(json.at("equal_shares_runs"), 2);
    const auto& winners = json.at("winners").as_array();
    ASSERT_EQ(winners.size(), 1u);
    EXPECT_EQ(winners[0].at("phase"), "greedy_completion");
    EXPECT_FALSE(winners[0].as_object().contains("rho"));
    EXPECT_EQ(json.at("projects").as_array()[1].at("reason"), "did_not_fit");
    const auto points = Explain("zero_cost_cardinal.pb", "mes_cardinal");
    EXPECT_EQ(points.at("winners").as_array()[0].at("phase"), "zero_cost");
    EXPECT_EQ(points.at("projects").as_array()[0].at("score"), "2");
    EXPECT_EQ(points.at("projects").as_array()[1].at("reason"), "no_support");
}

TEST(OutcomeJsonTest, EscapesStrings)
{
    EXPECT_EQ(JsonString("a\"b\\c\n\xC5\x82"), "\"a\\\"b\\\\c\\u000a\xC5\x82\"");
}

} // namespace
} // namespace wijkbudget::pb
