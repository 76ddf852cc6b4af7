#include "pb/equal_shares.hpp"
#include "pb/number.hpp"
#include "tests/unit/pb/equal_shares_reference.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

namespace wijkbudget::pb {
namespace {

using test::MustApply;
using test::MustParse;
using test::PbText;
using test::SelectionOrder;
using Ids = std::vector<std::string>;

Instance CaseInstance(const std::string& name)
{
    return MustParse(test::ReadText(test::TestDataDir() / "cases" / name));
}

TEST(EqualSharesTest, HandCheckedCasesMatch)
{
    const auto expected =
        boost::json::parse(test::ReadText(test::TestDataDir() / "cases" / "expected.json"));
    std::size_t checked = 0;
    for (const auto& file : expected.at("selection_order").as_object()) {
        const auto instance = CaseInstance(std::string{file.key()});
        for (const auto& rule : file.value().as_object()) {
            Ids ids;
            for (const auto& id : rule.value().as_array())
                ids.emplace_back(id.as_string());
            const auto outcome = MustApply(instance, std::string{rule.key()});
            EXPECT_EQ(SelectionOrder(instance, outcome), ids) << file.key() << " " << rule.key();
            ++checked;
        }
    }
    EXPECT_EQ(checked, 30u);
}

TEST(EqualSharesTest, ExactnessCaseFundsP3WithItsSupportersLastCent)
{
    // RULES.md: p1 and p2 tie at rho 1/4 and p1 wins by id; then p3's supporters hold exactly 30.
    const auto instance = CaseInstance("exactness_110.pb");
    const auto outcome = MustApply(instance, "mes_cost");
    ASSERT_EQ(outcome.winners.size(), 2u);
    EXPECT_EQ(outcome.winners[0].rho, mpq_class("1/4"));
    EXPECT_EQ(outcome.winners[1].rho, mpq_class("11/18"));
    EXPECT_EQ(outcome.loss[test::IndexOf(instance, "p2")], LossReason::unaffordable);
    EXPECT_EQ(outcome.loss[test::IndexOf(instance, "p4")], LossReason::unaffordable);
    EXPECT_EQ(outcome.spent, 80);
    EXPECT_EQ(outcome.voter_budget, mpq_class("55/3"));
}

TEST(EqualSharesTest, CompletionRaisesTheBudgetUntilExhaustive)
{
    const auto instance = CaseInstance("add1_exhaustive.pb");
    const auto outcome = MustApply(instance, "mes_cost_add1");
    EXPECT_EQ(outcome.equal_shares_runs, 3u);
    EXPECT_EQ(outcome.voter_budget, 7);
    EXPECT_EQ(outcome.spent, 10);
}

TEST(EqualSharesTest, CompletionOverBudgetKeepsThePreviousOutcome)
{
    const auto instance = CaseInstance("add1_infeasible.pb");
    const auto outcome = MustApply(instance, "mes_cost_add1");
    EXPECT_TRUE(outcome.winners.empty());
    EXPECT_EQ(outcome.equal_shares_runs, 2u);
    EXPECT_EQ(outcome.voter_budget, 5); // the run before the one that went over budget
    const auto completed = MustApply(instance, "mes_cost_add1_greedy");
    ASSERT_EQ(completed.winners.size(), 1u);
    EXPECT_EQ(completed.winners[0].phase, Phase::greedy_completion);
    EXPECT_EQ(completed.loss[1], LossReason::did_not_fit);
}

TEST(EqualSharesTest, FreeProjectsGoUpFrontOnlyWithCardinalSupport)
{
    const auto instance = CaseInstance("zero_cost_cardinal.pb");
    const auto cardinal = MustApply(instance, "mes_cardinal");
    ASSERT_EQ(cardinal.winners.size(), 2u);
    EXPECT_EQ(cardinal.winners[0].phase, Phase::zero_cost);
    EXPECT_EQ(cardinal.winners[1].rho, 5);
    EXPECT_EQ(cardinal.loss[test::IndexOf(instance, "y")], LossReason::no_support);
    const auto cost = MustApply(instance, "mes_cost");
    EXPECT_EQ(cost.loss[test::IndexOf(instance, "z")], LossReason::no_support);
}

TEST(EqualSharesTest, WithoutBallotsNothingIsBought)
{
    const auto instance =
        MustParse(PbText("10", "approval", "project_id;cost\na;5\n", "voter_id;vote\n"));
    for (const char* rule : {"mes_cost", "mes_cost_add1"}) {
        const auto outcome = MustApply(instance, rule);
        EXPECT_TRUE(outcome.winners.empty()) << rule;
        EXPECT_EQ(outcome.loss[0], LossReason::no_support) << rule;
    }
}

TEST(EqualSharesTest, WithoutProjectsEveryRuleSelectsNothing)
{
    // Found by fuzz_pb_parse: a file whose PROJECTS section is missing.
    const auto instance = MustParse("META\nkey;value\nbudget;10\nvote_type;approval\n");
    for (const Rule& rule : ApplicableRules(instance)) {
        const auto outcome = MustApply(instance, RuleName(rule));
        EXPECT_TRUE(outcome.winners.empty()) << RuleName(rule);
    }
}

// --- The fast engine against the plain reference, on random small instances. ---

std::string RandomInstanceText(std::mt19937& random, bool cumulative)
{
    const auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>{low, high}(random);
    };
    const int projects = pick(1, 6);
    const int voters = pick(1, 8);
    std::string rows = "project_id;cost\n";
    for (int p = 0; p < projects; ++p) {
        rows += "p" + std::to_string(p) + ";" + std::to_string(pick(0, 9) == 0 ? 0 : pick(1, 24)) +
                "\n";
    }
    std::string votes = cumulative ? "voter_id;vote;points\n" : "voter_id;vote\n";
    for (int v = 0; v < voters; ++v) {
        std::string ids;
        std::string points;
        for (int p = 0; p < projects; ++p) {
            if (pick(0, 2) != 0) continue;
            ids += (ids.empty() ? "p" : ",p") + std::to_string(p);
            points += (points.empty() ? "" : ",") + std::to_string(pick(0, 3));
        }
        votes += std::to_string(v) + ";" + ids +
                 (cumulative ? ";" + (points.empty() ? "None" : points) : "") + "\n";
    }
    return PbText(std::to_string(pick(5, 60)), cumulative ? "cumulative" : "approval", rows, votes);
}

void ExpectSameRun(const Instance& instance, Satisfaction satisfaction, const Outcome& outcome,
                   const mpq_class& voter_budget, const std::string& text)
{
    const auto reference = test::ReferenceRun(instance, satisfaction, voter_budget);
    std::vector<const Winner*> bought;
    for (const Winner& winner : outcome.winners) {
        if (winner.phase == Phase::equal_shares) bought.push_back(&winner);
    }
    ASSERT_EQ(bought.size(), reference.size()) << text;
    for (std::size_t i = 0; i < reference.size(); ++i) {
        EXPECT_EQ(bought[i]->project, reference[i].project) << text;
        EXPECT_EQ(bought[i]->rho, reference[i].rho) << text;
    }
}

TEST(EqualSharesTest, FastEngineAgreesWithTheReferenceOnRandomInstances)
{
    const char* seed_text = std::getenv("WB_SEED");
    const unsigned seed = seed_text != nullptr
                              ? static_cast<unsigned>(std::strtoul(seed_text, nullptr, 10))
                              : 20260601u;
    std::mt19937 random{seed};
    for (int round = 0; round < 400; ++round) {
        const bool cumulative = round % 2 == 1;
        const std::string text = RandomInstanceText(random, cumulative);
        const auto instance = MustParse(text);
        for (const Satisfaction satisfaction : {Satisfaction::cost, Satisfaction::cardinal}) {
            if (satisfaction == Satisfaction::cardinal && !cumulative) continue;
            const auto profile = MakeSatisfactionProfile(instance, satisfaction);
            for (const Completion completion : {Completion::none, Completion::add1}) {
                const auto result = EqualShares(profile, completion);
                ASSERT_TRUE(std::holds_alternative<Outcome>(result)) << text;
                const auto& outcome = std::get<Outcome>(result);
                ExpectSameRun(instance, satisfaction, outcome, *outcome.voter_budget,
                              "seed " + std::to_string(seed) + " round " + std::to_string(round) +
                                  "\n" + text);
            }
        }
    }
}

TEST(EqualSharesTest, CompletionWithJumpsAgreesWithThePlainLoop)
{
    // Larger budgets than above, so the completion makes tens to hundreds of raises and its
    // proved jumps (equal_shares.cpp) are exercised against a loop that runs every budget.
    std::mt19937 random{20260602u};
    const auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>{low, high}(random);
    };
    std::size_t jumped = 0;
    for (int round = 0; round < 300; ++round) {
        const bool cumulative = round % 3 == 2;
        std::string rows = "project_id;cost\n";
        const int projects = pick(3, 7);
        for (int p = 0; p < projects; ++p)
            rows += "p" + std::to_string(p) + ";" + std::to_string(pick(20, 400)) + "\n";
        std::string votes = cumulative ? "voter_id;vote;points\n" : "voter_id;vote\n";
        const int voters = pick(4, 12);
        for (int v = 0; v < voters; ++v) {
            std::string ids;
            std::string points;
            for (int p = 0; p < projects; ++p) {
                if (pick(0, 2) != 0) continue;
                ids += (ids.empty() ? "p" : ",p") + std::to_string(p);
                points += (points.empty() ? "" : ",") + std::to_string(pick(1, 4));
            }
            votes += std::to_string(v) + ";" + ids +
                     (cumulative ? ";" + (points.empty() ? "None" : points) : "") + "\n";
        }
        const std::string text = PbText(std::to_string(pick(100, 900)),
                                        cumulative ? "cumulative" : "approval", rows, votes);
        const auto instance = MustParse(text);
        for (const Satisfaction satisfaction : {Satisfaction::cost, Satisfaction::cardinal}) {
            if (satisfaction == Satisfaction::cardinal && !cumulative) continue;
            const auto profile = MakeSatisfactionProfile(instance, satisfaction);
            const auto outcome = std::get<Outcome>(EqualShares(profile, Completion::add1));
            const auto [purchases, budget] = test::ReferenceCompletion(instance, satisfaction);
            EXPECT_EQ(outcome.voter_budget, budget) << text;
            std::vector<ProjectIndex> expected;
            for (const auto& purchase : purchases)
                expected.push_back(purchase.project);
            std::vector<ProjectIndex> got;
            for (const Winner& winner : outcome.winners)
                got.push_back(winner.project);
            EXPECT_EQ(got, expected) << text;
            if (outcome.equal_shares_runs_computed < outcome.equal_shares_runs) ++jumped;
        }
    }
    EXPECT_GT(jumped, 10u); // the jumps were really taken
}

TEST(EqualSharesTest, ReferenceAgreesOnTheExactnessCase)
{
    // The oracle itself must be able to fail: it reproduces RULES.md's numbers.
    const auto instance = CaseInstance("exactness_110.pb");
    const auto reference = test::ReferenceRun(instance, Satisfaction::cost, mpq_class{110, 6});
    ASSERT_EQ(reference.size(), 2u);
    EXPECT_EQ(reference[0].rho, mpq_class("1/4"));
    EXPECT_EQ(reference[1].project, test::IndexOf(instance, "p3"));
}

} // namespace
} // namespace wijkbudget::pb
