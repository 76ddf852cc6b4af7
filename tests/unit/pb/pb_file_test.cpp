#include "pb/pb_file.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::pb {
namespace {

using test::MustParse;
using test::PbText;

constexpr std::string_view PROJECTS{"project_id;cost\n1;10\n2;20\n3;30\n"};

ParseError MustFail(std::string_view text)
{
    auto parsed = ParsePbText(text);
    EXPECT_TRUE(std::holds_alternative<ParseError>(parsed)) << text;
    if (!std::holds_alternative<ParseError>(parsed)) return {};
    return std::get<ParseError>(parsed);
}

void ExpectError(std::string_view text, std::size_t line, std::string_view reason)
{
    const ParseError error = MustFail(text);
    EXPECT_EQ(error.line, line) << text;
    EXPECT_EQ(error.reason, reason) << text;
}

std::vector<ProjectIndex> Ballot(const Instance& instance, std::size_t ballot)
{
    const auto projects = instance.BallotProjects(ballot);
    return {projects.begin(), projects.end()};
}

TEST(PbFileTest, ReadsAnApprovalFile)
{
    const auto instance =
        MustParse(PbText("60", "approval", PROJECTS, "voter_id;vote\n1;1,2\n2;3\n"));
    EXPECT_EQ(instance.budget, 60);
    EXPECT_EQ(instance.vote_type, VoteType::approval);
    ASSERT_EQ(instance.projects.size(), 3u);
    EXPECT_EQ(instance.projects[2].id, "3");
    EXPECT_EQ(instance.projects[2].cost, 30);
    ASSERT_EQ(instance.BallotCount(), 2u);
    EXPECT_EQ(Ballot(instance, 0), (std::vector<ProjectIndex>{0, 1}));
    EXPECT_TRUE(instance.item_points.empty());
}

TEST(PbFileTest, ReadsExactDecimalsAndCommas)
{
    const auto instance = MustParse(
        PbText("2458488.22", "approval", "project_id;cost\n1;1,5\n2;4000.0\n", "voter_id;vote\n"));
    EXPECT_EQ(instance.budget, mpq_class("122924411/50"));
    EXPECT_EQ(instance.projects[0].cost, mpq_class("3/2"));
    EXPECT_EQ(instance.projects[1].cost, 4000);
}

TEST(PbFileTest, CountsEveryVotesRowAsABallot)
{
    const auto instance =
        MustParse(PbText("60", "approval", PROJECTS, "voter_id;vote\n1;\n2;1,,2\n3;1,1,1\n"));
    ASSERT_EQ(instance.BallotCount(), 3u);
    EXPECT_TRUE(Ballot(instance, 0).empty());
    EXPECT_EQ(Ballot(instance, 1), (std::vector<ProjectIndex>{0, 1})); // empty items skipped
    EXPECT_EQ(Ballot(instance, 2), std::vector<ProjectIndex>{0});      // a set: duplicates collapse
}

TEST(PbFileTest, TakesFieldsBeyondTheHeaderWhenTheyAreNone)
{
    // pabutools drops "None" fields before it names the others by their header column, so a
    // trailing "None" is harmless in a project or a vote row (FORMAT.md, steps 4 and 5).
    const auto instance = MustParse(PbText("60", "approval", "project_id;cost\n1;10;None\n2;20\n",
                                           "voter_id;vote\n1;1;None\n2;2; none ;NONE\n"));
    ASSERT_EQ(instance.projects.size(), 2u);
    EXPECT_EQ(instance.projects[0].cost, 10);
    ASSERT_EQ(instance.BallotCount(), 2u);
    EXPECT_EQ(Ballot(instance, 0), std::vector<ProjectIndex>{0});
    EXPECT_EQ(Ballot(instance, 1), std::vector<ProjectIndex>{1});
}

TEST(PbFileTest, KeepsTheLastPointsOfARepeatedCumulativeItem)
{
    const auto instance = MustParse(PbText(
        "60", "cumulative", PROJECTS, "voter_id;vote;points\n1;1,2,1;3,1,2\n2;3;0\n3;None;None\n"));
    ASSERT_EQ(instance.BallotCount(), 3u);
    EXPECT_EQ(Ballot(instance, 0), (std::vector<ProjectIndex>{0, 1}));
    EXPECT_EQ(instance.item_points[0], 2); // last occurrence wins, points are not summed
    EXPECT_EQ(instance.item_points[1], 1);
    EXPECT_EQ(Ballot(instance, 1), std::vector<ProjectIndex>{2}); // listed with 0 points
    EXPECT_EQ(instance.item_points[2], 0);
    EXPECT_TRUE(Ballot(instance, 2).empty());
}

TEST(PbFileTest, KeepsTheFirstPlaceOfARepeatedOrdinalItem)
{
    const auto instance =
        MustParse(PbText("60", "ordinal", PROJECTS, "voter_id;vote\n1;3,1,3,2\n"));
    EXPECT_EQ(Ballot(instance, 0), (std::vector<ProjectIndex>{2, 0, 1}));
}

TEST(PbFileTest, KeepsTheFirstRowOfARepeatedProjectAndStripsIds)
{
    const auto instance = MustParse(
        PbText("60", "approval",
               "project_id;cost;name\n 7 ;10;first\n7;99;second\n\xC2\xA0x\xC2\xA0;5;nbsp\n",
               "voter_id;vote\n1;7,x\n"));
    ASSERT_EQ(instance.projects.size(), 2u);
    EXPECT_EQ(instance.projects[0].id, "7");
    EXPECT_EQ(instance.projects[0].cost, 10);
    EXPECT_EQ(instance.projects[1].id, "x"); // Python's strip() removes the no-break spaces
}

TEST(PbFileTest, FollowsPabutoolsSectionHandling)
{
    // Rows before META are ignored; titles are case-insensitive; a missing key;value header
    // costs the first META row (here description), as in pabutools; blank rows are skipped.
    const auto instance =
        MustParse("junk;row\n Meta \ndescription;lost\nbudget;5\n\nvote_type;choose-1\n"
                  "projects\nproject_id;cost;votes\nA;5;1\n\nVOTES\nvoter_id;vote;district\n"
                  "v1;A;\n");
    EXPECT_EQ(instance.vote_type, VoteType::choose_one);
    EXPECT_EQ(instance.budget, 5);
    EXPECT_EQ(instance.BallotCount(), 1u);
    ExpectError("META\nbudget;5\nvote_type;approval\nPROJECTS\nproject_id;cost\n", 0,
                "META has no budget");
}

TEST(PbFileTest, RefusesMalformedMetaWithLineAndReason)
{
    ExpectError("META\nkey;value\nbudget;10\nvote_type;approval\nlonely\n", 5,
                "META row without a value");
    ExpectError("META\nkey;value\nbudget;lots\nvote_type;approval\n", 3,
                "budget \"lots\" is not a number >= 0");
    ExpectError("META\nkey;value\nbudget;-5\nvote_type;approval\n", 3,
                "budget \"-5\" is not a number >= 0");
    ExpectError("META\nkey;value\nvote_type;approval\n", 0, "META has no budget");
    ExpectError("META\nkey;value\nbudget;10\n", 0, "META has no vote_type");
    ExpectError("META\nkey;value\nbudget;10\nvote_type;pairwise\n", 4,
                "vote type \"pairwise\" is not supported");
    ExpectError("META\nkey;value\nbudget;10\nvote_type;approval\nmin_length;1.0\n", 5,
                "min_length is not an integer");
    ExpectError("META\nkey;value\nbudget;10\nvote_type;approval\nmax_sum_cost;much\n", 5,
                "max_sum_cost is not a number");
    ExpectError("META\nkey;value\nbudget;10\nvote_type;approval\nVOTES", 5,
                "section title without a header line");
}

TEST(PbFileTest, RefusesMalformedProjectsWithLineAndReason)
{
    const std::string meta =
        "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n";
    ExpectError(meta + "1;5\n2;5;extra\n", 8, "more fields than the header has columns");
    ExpectError(meta + "1;5\n2;5;None;x\n", 8, "more fields than the header has columns");
    ExpectError(meta + "1\n", 7, "project without a cost");
    ExpectError(meta + "1;None\n", 7, "project without a cost");
    ExpectError(meta + "1;5\n2;five\n", 8, "cost \"five\" is not a number >= 0");
    ExpectError(meta + "1;-5\n", 7, "cost \"-5\" is not a number >= 0");
}

TEST(PbFileTest, RefusesMalformedVotesWithLineAndReason)
{
    const auto votes = [](std::string_view type, std::string_view rows) {
        return PbText("60", type, PROJECTS, rows);
    };
    // Lines: META 1-4, PROJECTS 5-9, VOTES title 10, header 11, first row 12.
    ExpectError(votes("approval", "voter_id;vote\n1;1\n2;1;x\n"), 13,
                "more fields than the header has columns");
    ExpectError(votes("approval", "voter_id;vote\n1;1,4\n"), 12,
                "unknown project id \"4\" in vote");
    ExpectError(votes("approval", "voter_id;vote\n1;1, 2\n"), 12,
                "unknown project id \" 2\" in vote");
    ExpectError(votes("approval", "voter_id;vote\n1;2\n7;None\n"), 13,
                "ballot without a vote field");
    ExpectError(votes("ordinal", "voter_id;vote\n1;9\n"), 12, "unknown project id \"9\" in vote");
    ExpectError(votes("cumulative", "voter_id;vote;points\n1;1,2;3\n"), 12,
                "fewer points than projects");
    ExpectError(votes("cumulative", "voter_id;vote;points\n7;;\n"), 12,
                "points \"\" are not a number >= 0");
    ExpectError(votes("cumulative", "voter_id;vote;points\n1;1;-1\n"), 12,
                "points \"-1\" are not a number >= 0");
    ExpectError(votes("cumulative", "voter_id;points\n1;1\n"), 12, "ballot without a vote field");
    ExpectError(
        "META\nkey;value\nbudget;60\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n"
        "META\nkey;value\nvote_type;approval\n",
        9, "a vote before META has a vote_type");
    ExpectError(votes("approval", "voter_id;vote\n1;1\nMETA\nkey;value\nvote_type;ordinal\nVOTES\n"
                                  "voter_id;vote\n2;1\n"),
                18, "vote_type changed after the first vote");
}

TEST(PbFileTest, ReadsEveryFileOfTheTestData)
{
    for (const auto& entry : std::filesystem::directory_iterator{test::TestDataDir() / "pabulib"}) {
        const auto parsed = ReadPbFile(entry.path());
        EXPECT_TRUE(std::holds_alternative<Instance>(parsed)) << entry.path();
    }
    const auto missing = ReadPbFile(test::TestDataDir() / "no-such-file.pb");
    ASSERT_TRUE(std::holds_alternative<ParseError>(missing));
    EXPECT_EQ(std::get<ParseError>(missing).line, 0u);
}

} // namespace
} // namespace wijkbudget::pb
