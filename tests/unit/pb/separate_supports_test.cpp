#include "pb/equal_shares.hpp"
#include "pb/outcome_json.hpp"
#include "pb/rules.hpp"
#include "pb/separate_supports.hpp"
#include "tests/unit/pb/equal_shares_reference.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace wijkbudget::pb {
namespace {

using test::MustParse;
using test::PbText;

/** The closed form and the general engine agree on everything an outcome holds, its explanation
 *  included, and the closed form was really taken. */
void ExpectSameAsEngine(const Instance& instance, Completion completion, const std::string& what)
{
    const auto profile = MakeSatisfactionProfile(instance, Satisfaction::cost);
    ASSERT_TRUE(SupportsAreSeparate(profile)) << what;
    const auto closed = EqualShares(profile, completion);
    const auto engine = EqualSharesByRuns(profile, completion);
    ASSERT_EQ(closed.index(), engine.index()) << what;
    if (std::holds_alternative<RuleFailure>(engine)) return;
    const auto& got = std::get<Outcome>(closed);
    const auto& expected = std::get<Outcome>(engine);
    const Rule rule = *RuleFromName(completion == Completion::add1 ? "mes_cost_add1" : "mes_cost");
    EXPECT_EQ(OutcomeJson(instance, profile, rule, got),
              OutcomeJson(instance, profile, rule, expected))
        << what;
    EXPECT_EQ(got.loss, expected.loss) << what;
    EXPECT_EQ(got.equal_shares_runs, expected.equal_shares_runs) << what;
    // The closed form looks only at the budgets where a candidate comes within reach.
    EXPECT_LE(got.equal_shares_runs_computed, instance.projects.size() + 1) << what;
}

TEST(SeparateSupportsTest, ALargeRaiseForOneSupporterEndsInAFewRuns)
{
    // A round of 2,000,000 with a project of 1,500,000 chosen by one of 100 voters: its supporter
    // starts with 20,000, so the completion raises every budget by 1,480,000 before it fits.
    // That size is no measure of the work; the closed form and the engine both end at once.
    std::string votes = "voter_id;vote\n";
    for (int voter = 1; voter <= 99; ++voter)
        votes += std::to_string(voter) + ";b\n";
    votes += "100;a\n";
    const auto instance =
        MustParse(PbText("2000000", "approval", "project_id;cost\na;1500000\nb;100000\n", votes));
    ExpectSameAsEngine(instance, Completion::add1, "one supporter of most of the budget");
    const auto profile = MakeSatisfactionProfile(instance, Satisfaction::cost);
    const auto outcome = EqualShares(profile, Completion::add1);
    ASSERT_TRUE(std::holds_alternative<Outcome>(outcome));
    const auto& got = std::get<Outcome>(outcome);
    EXPECT_EQ(got.winners.size(), 2u);
    EXPECT_EQ(got.spent, 1'600'000);
    EXPECT_EQ(got.equal_shares_runs, 1'480'001u); // as pabutools would count them
    const auto engine = std::get<Outcome>(EqualSharesByRuns(profile, Completion::add1));
    EXPECT_LT(engine.equal_shares_runs_computed, 1'000u);
}

//! MES on `instance` under cost satisfaction, with `completion`.
Outcome Mes(const Instance& instance, Completion completion)
{
    return std::get<Outcome>(
        EqualShares(MakeSatisfactionProfile(instance, Satisfaction::cost), completion));
}

//! The winners' ids in order of selection.
std::vector<std::string> WinnerIds(const Instance& instance, const Outcome& outcome)
{
    std::vector<std::string> ids;
    for (const Winner& winner : outcome.winners)
        ids.push_back(instance.projects[winner.project].id);
    return ids;
}

using Ids = std::vector<std::string>;

TEST(SeparateSupportsTest, OnlyProfilesWhereNobodySupportsTwoCandidates)
{
    const std::string rows = "project_id;cost\np1;10\np2;20\nfree;0\n";
    const auto separate =
        MustParse(PbText("30", "approval", rows, "voter_id;vote\n1;p1\n2;p2,free\n3;p1\n4;\n"));
    EXPECT_TRUE(SupportsAreSeparate(MakeSatisfactionProfile(separate, Satisfaction::cost)));
    const auto shared =
        MustParse(PbText("30", "approval", rows, "voter_id;vote\n1;p1\n2;p2,p1\n3;p1\n"));
    EXPECT_FALSE(SupportsAreSeparate(MakeSatisfactionProfile(shared, Satisfaction::cost)));
}

TEST(SeparateSupportsTest, BuysEveryCandidateWithinReachByRhoThenId)
{
    // Budget 100, 10 voters: 10 each. p1 (cost 30, 4 supporters) and p2 (cost 30, 4) are within
    // reach, tie at rho 1/4 and go in id order; p3 (cost 25, 2 supporters) needs 12.5 each.
    const auto instance = MustParse(
        PbText("100", "choose-1", "project_id;cost\np2;30\np1;30\np3;25\n",
               "voter_id;vote\n1;p1\n2;p1\n3;p1\n4;p1\n5;p2\n6;p2\n7;p2\n8;p2\n9;p3\n10;p3\n"));
    const auto once = Mes(instance, Completion::none);
    EXPECT_EQ(WinnerIds(instance, once), (Ids{"p1", "p2"}));
    EXPECT_EQ(once.winners[0].rho, mpq_class(1, 4));
    EXPECT_EQ(once.loss[test::IndexOf(instance, "p3")], LossReason::unaffordable);
    // Raised by 1 three times, p3 comes within reach at 13 each: 85 spent, exhaustive.
    const auto raised = Mes(instance, Completion::add1);
    EXPECT_EQ(WinnerIds(instance, raised), (Ids{"p1", "p2", "p3"}));
    EXPECT_EQ(raised.voter_budget, 13);
    EXPECT_EQ(raised.equal_shares_runs, 4u);
    EXPECT_EQ(raised.equal_shares_runs_computed, 2u);
    ExpectSameAsEngine(instance, Completion::none, "hand");
    ExpectSameAsEngine(instance, Completion::add1, "hand");
}

TEST(SeparateSupportsTest, StopsBeforeTheRaiseThatOverspends)
{
    // 10 each: p1 (cost 40, 4 supporters) is bought and 60 is left, where p2 or p3 would fit
    // (35 each, 3 supporters each). Both come within reach at 35/3, so at 12 the outcome costs
    // 110 > 100, and the answer is the one at 11.
    const auto instance = MustParse(
        PbText("100", "choose-1", "project_id;cost\np1;40\np2;35\np3;35\n",
               "voter_id;vote\n1;p1\n2;p1\n3;p1\n4;p1\n5;p2\n6;p2\n7;p2\n8;p3\n9;p3\n10;p3\n"));
    const auto outcome = Mes(instance, Completion::add1);
    EXPECT_EQ(WinnerIds(instance, outcome), (Ids{"p1"}));
    EXPECT_EQ(outcome.voter_budget, 11);
    EXPECT_EQ(outcome.equal_shares_runs, 3u);
    ExpectSameAsEngine(instance, Completion::add1, "overspend");
}

TEST(SeparateSupportsTest, AgreesWithTheEngineAndTheReferenceOnRandomInstances)
{
    std::mt19937 random{20261128u};
    const auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>{low, high}(random);
    };
    for (int round = 0; round < 250; ++round) {
        const int projects = pick(1, 8);
        std::string rows = "project_id;cost\n";
        std::vector<bool> free(static_cast<std::size_t>(projects));
        for (int p = 0; p < projects; ++p) {
            // Now and then a free project, listed beside a costly one without joining supports.
            const int cost = pick(0, 5) == 0 ? 0 : pick(5, 600);
            free[static_cast<std::size_t>(p)] = cost == 0;
            rows += "p" + std::to_string(p) + ";" + std::to_string(cost) + "\n";
        }
        std::string votes = "voter_id;vote\n";
        const int voters = pick(1, 40);
        for (int v = 0; v < voters; ++v) {
            // One project or none, and now and then every free project beside it: a ballot of
            // several items that still supports one project alone.
            const int choice = pick(-1, projects - 1);
            std::string ballot = choice < 0 ? "" : "p" + std::to_string(choice);
            if (pick(0, 3) == 0) {
                for (int p = 0; p < projects; ++p) {
                    if (p == choice || !free[static_cast<std::size_t>(p)]) continue;
                    ballot += (ballot.empty() ? "p" : ",p") + std::to_string(p);
                }
            }
            votes += std::to_string(v) + ";" + ballot + "\n";
        }
        const std::string text = PbText(std::to_string(pick(50, 2000)), "approval", rows, votes);
        const auto instance = MustParse(text);
        if (!SupportsAreSeparate(MakeSatisfactionProfile(instance, Satisfaction::cost))) continue;
        ExpectSameAsEngine(instance, Completion::none, text);
        ExpectSameAsEngine(instance, Completion::add1, text);
        const auto outcome = Mes(instance, Completion::add1);
        const auto [purchases, budget] = test::ReferenceCompletion(instance, Satisfaction::cost);
        EXPECT_EQ(outcome.voter_budget, budget) << text;
        std::vector<ProjectIndex> expected;
        for (const auto& purchase : purchases)
            expected.push_back(purchase.project);
        std::vector<ProjectIndex> got;
        for (const Winner& winner : outcome.winners) {
            if (winner.phase == Phase::equal_shares) got.push_back(winner.project);
        }
        EXPECT_EQ(got, expected) << text;
    }
}

TEST(SeparateSupportsTest, AgreesWithTheEngineOnTheProjectsChooseOneFiles)
{
    // parity_test does the same on every file of ../shared/pabulib.
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator{test::TestDataDir() / "pabulib"}) {
        if (entry.path().extension() != ".pb") continue;
        const auto instance = MustParse(test::ReadText(entry.path()));
        if (!SupportsAreSeparate(MakeSatisfactionProfile(instance, Satisfaction::cost))) continue;
        ExpectSameAsEngine(instance, Completion::none, entry.path().string());
        ExpectSameAsEngine(instance, Completion::add1, entry.path().string());
        ++files;
    }
    EXPECT_GE(files, 1u); // Amsterdam 643
}

} // namespace
} // namespace wijkbudget::pb
