#include "pb/greedy.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::pb {
namespace {

using test::MustApply;
using test::MustParse;
using test::PbText;
using test::SelectionOrder;
using Ids = std::vector<std::string>;

TEST(GreedyTest, SkipsWhatDoesNotFitAndGoesOn)
{
    // Votes: a 3, b 2, c 1. a fits (60 left), b does not, c does.
    const auto instance = MustParse(PbText("100", "approval", "project_id;cost\na;40\nb;70\nc;30\n",
                                           "voter_id;vote\n1;a,b\n2;a,b\n3;a,c\n"));
    const auto outcome = MustApply(instance, "greedy_cost");
    EXPECT_EQ(SelectionOrder(instance, outcome), (Ids{"a", "c"}));
    EXPECT_EQ(outcome.spent, 70);
    EXPECT_EQ(outcome.loss[1], LossReason::did_not_fit);
    EXPECT_FALSE(outcome.loss[0].has_value());
}

TEST(GreedyTest, BreaksTiesByCodePointOrder)
{
    // Equal votes: "10" < "9" < "A" < "a" by code point.
    const auto instance =
        MustParse(PbText("30", "approval", "project_id;cost\na;10\n9;10\nA;10\n10;10\n",
                         "voter_id;vote\n1;a,9,A,10\n"));
    EXPECT_EQ(SelectionOrder(instance, MustApply(instance, "greedy_cost")), (Ids{"10", "9", "A"}));
}

TEST(GreedyTest, OrdersByVotesUnderCostSatisfactionAndByPointsPerCostUnderCardinal)
{
    // Cost satisfaction: density = votes (a 2, b 1). Cardinal: a 2/20, b 5/10.
    const auto instance = MustParse(PbText("20", "cumulative", "project_id;cost\na;20\nb;10\n",
                                           "voter_id;vote;points\n1;a;1\n2;a,b;1,5\n"));
    EXPECT_EQ(SelectionOrder(instance, MustApply(instance, "greedy_cost")), Ids{"a"});
    EXPECT_EQ(SelectionOrder(instance, MustApply(instance, "greedy_cardinal")), Ids{"b"});
}

TEST(GreedyTest, FundsUnsupportedAndFreeProjectsLastWhenTheyFit)
{
    const auto instance =
        MustParse(PbText("15", "approval", "project_id;cost\nfree;0\nnobody;5\nx;10\n",
                         "voter_id;vote\n1;x,free\n"));
    // free: cost satisfaction gives 0 for a free project, so its density is 0, like nobody's.
    EXPECT_EQ(SelectionOrder(instance, MustApply(instance, "greedy_cost")),
              (Ids{"x", "free", "nobody"}));
}

TEST(GreedyTest, CompletionKeepsWhatIsSelected)
{
    const auto instance = MustParse(PbText("30", "approval", "project_id;cost\na;10\nb;25\nc;15\n",
                                           "voter_id;vote\n1;b\n2;b\n3;c\n"));
    const auto profile = MakeSatisfactionProfile(instance, Satisfaction::cost);
    Outcome outcome;
    outcome.loss.resize(3);
    outcome.winners.push_back(Winner{0, Phase::equal_shares, 0});
    outcome.spent = 10;
    GreedyFill(profile, Phase::greedy_completion, outcome);
    EXPECT_EQ(SelectionOrder(instance, outcome), (Ids{"a", "c"})); // b (25) no longer fits
    EXPECT_EQ(outcome.winners[1].phase, Phase::greedy_completion);
    EXPECT_EQ(outcome.loss[1], LossReason::did_not_fit);
}

} // namespace
} // namespace wijkbudget::pb
