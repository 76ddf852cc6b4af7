#include "pb/satisfaction.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::pb {
namespace {

using test::IndexOf;
using test::MustParse;
using test::PbText;

// Ballots of one item take a path of their own under cost satisfaction (only counted, then
// grouped per project); the totals must not depend on which path a ballot took.
const char* const PROJECTS = "project_id;cost\na;4\nb;8\nfree;0\n";
const char* const VOTES = "voter_id;vote;points\n1;a;2\n2;a;3\n3;b,a;1,1\n4;b;0\n5;free;1\n6;a;2\n";

TEST(SatisfactionTest, TotalsCountEveryItemOnceUnderBothSatisfactions)
{
    const auto instance = MustParse(PbText("12", "cumulative", PROJECTS, VOTES));
    for (const Satisfaction satisfaction : {Satisfaction::cost, Satisfaction::cardinal}) {
        const auto profile = MakeSatisfactionProfile(instance, satisfaction);
        const auto a = IndexOf(instance, "a");
        const auto b = IndexOf(instance, "b");
        EXPECT_EQ(profile.ballot_count, 6u);
        EXPECT_EQ(profile.listed_count[a], 4u);
        EXPECT_EQ(profile.listed_count[b], 2u);
        EXPECT_EQ(profile.listed_count[IndexOf(instance, "free")], 1u);
        EXPECT_EQ(profile.points_total[a], 8);
        EXPECT_EQ(profile.points_total[b], 1);
    }
}

TEST(SatisfactionTest, OneItemBallotsGroupByProjectUnderCostSatisfaction)
{
    const auto instance = MustParse(PbText("12", "cumulative", PROJECTS, VOTES));
    const auto profile = MakeSatisfactionProfile(instance, Satisfaction::cost);
    const auto a = IndexOf(instance, "a");
    // a alone (voters 1, 2, 6) is one group of 3; {a, b} (voter 3) and b alone (voter 4, who
    // listed it with 0 points: under cost satisfaction listing is support) one each; the free
    // project supports nobody's group.
    std::uint64_t alone = 0;
    for (const Supporter& supporter : profile.SupportersOf(a)) {
        alone = std::max(alone, profile.group_weight[supporter.group]);
    }
    EXPECT_EQ(alone, 3u);
    EXPECT_EQ(profile.group_weight.size(), 3u);
    EXPECT_EQ(profile.SupportersOf(IndexOf(instance, "free")).size(), 0u);
    EXPECT_EQ(profile.satisfaction_total[a], 16); // cost 4 times 4 voters
}

TEST(SatisfactionTest, BallotsSupportingOneProjectAloneAreOneGroupWhateverElseTheyList)
{
    // Under cost satisfaction a free project is listed but supported by nobody, so "p,free" and
    // "p" support the same set: one group of weight 2, whichever path each ballot took.
    const auto instance = MustParse(PbText("10", "approval", "project_id;cost\np;5\nfree;0\n",
                                           "voter_id;vote\n1;p,free\n2;p\n3;free\n"));
    const auto profile = MakeSatisfactionProfile(instance, Satisfaction::cost);
    ASSERT_EQ(profile.group_weight.size(), 1u);
    EXPECT_EQ(profile.group_weight[0], 2u);
    EXPECT_EQ(profile.listed_count[IndexOf(instance, "p")], 2u);
    EXPECT_EQ(profile.listed_count[IndexOf(instance, "free")], 2u);
}

} // namespace
} // namespace wijkbudget::pb
