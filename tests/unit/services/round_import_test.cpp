// Past elections from .pb files: what is read, what is refused, and that counting the imported
// round gives pabutools' outcome (pb/ on the file itself, id order).
#include "pb/pb_file.hpp"
#include "pb/rules.hpp"
#include "pb/satisfaction.hpp"
#include "services/round_count.hpp"
#include "services/round_import.hpp"

#include <fstream>
#include <iterator>

#include "rounds_fixture.hpp"

namespace wijkbudget::services::decision_testing {
namespace {

//! RULES.md's case for exact arithmetic, with names.
const char* const SMALL_FILE = "META\nkey;value\nbudget;110\nvote_type;approval\n"
                               "PROJECTS\nproject_id;cost;name\np1;50;Bankjes\np2;70;Speeltuin\n"
                               "p3;30;\"Bomen; veel\"\np4;35;Feest\nVOTES\nvoter_id;vote\n"
                               "v1;p1\nv2;p2\nv3;p1,p2,p3\nv4;p1,p3\nv5;p1,p2\nv6;p2,p3,p4\n";

PastRoundSettings Settings()
{
    PastRoundSettings settings;
    settings.id = Slug{"r-oud"};
    settings.title = ledger::Title{"Oude ronde"};
    settings.district = Slug{"centrum"};
    settings.year = YEAR;
    settings.opens_at = ledger::Timestamp{1'700'000'000'000};
    settings.closes_at = ledger::Timestamp{1'700'100'000'000};
    settings.rule = ledger::RoundRule::equal_shares; // SMALL_FILE names none.
    return settings;
}

TEST(RoundImportTest, ReadsProjectsNamesAndBallots)
{
    auto past = ReadPastRound(SMALL_FILE, Settings());
    ASSERT_TRUE(past.has_value()) << past.error().Describe();
    const auto& projects = past->opening.projects.items;
    ASSERT_EQ(projects.size(), 4U);
    EXPECT_EQ(projects[0].id.value, "p1");
    EXPECT_EQ(projects[0].cost.value, 5'000);
    EXPECT_EQ(projects[2].title.value, "Bomen; veel");
    EXPECT_EQ(past->opening.budget.value, 11'000);
    ASSERT_EQ(past->ballots.size(), 6U);
    EXPECT_EQ(past->ballots[2].choices.size(), 3U);
    EXPECT_EQ(past->ballots[0].nullifier, ImportedVoterNullifier(Slug{"r-oud"}, "v1"));
    EXPECT_NE(past->ballots[0].nullifier, past->ballots[1].nullifier);
}

TEST(RoundImportTest, CountsWithTheRuleTheCityUsedUnlessItIsNoneOfOurs)
{
    const auto with_rule = [](const std::string& rule) {
        std::string file = SMALL_FILE;
        const std::string vote_type = "vote_type;approval\n";
        file.insert(file.find(vote_type) + vote_type.size(), "rule;" + rule + "\n");
        return file;
    };
    auto from_file = Settings();
    from_file.rule.reset();
    // The file's rule, in pabulib's spelling (and export.pb's) or the demo's.
    for (const auto& [named, rule] : std::vector<std::pair<std::string, ledger::RoundRule>>{
             {"greedy", ledger::RoundRule::greedy},
             {"equalshares/add1", ledger::RoundRule::equal_shares},
             {"equal_shares", ledger::RoundRule::equal_shares}}) {
        auto past = ReadPastRound(with_rule(named), from_file);
        ASSERT_TRUE(past.has_value()) << named << ": " << past.error().Describe();
        EXPECT_EQ(past->opening.rule, rule) << named;
    }
    // Another rule than the city's would fund other projects, for good.
    auto other = Settings();
    other.rule = ledger::RoundRule::equal_shares;
    auto refused = ReadPastRound(with_rule("greedy"), other);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ledger::Errc::field_invalid);
    EXPECT_NE(refused.error().where.find("rule greedy"), std::string::npos)
        << refused.error().where;
    // A rule this service does not count with, or none: the operator names one.
    for (const std::string& file : {with_rule("greedy-threshold"), std::string(SMALL_FILE)}) {
        EXPECT_FALSE(ReadPastRound(file, from_file).has_value());
        auto chosen = Settings();
        chosen.rule = ledger::RoundRule::greedy;
        auto past = ReadPastRound(file, chosen);
        ASSERT_TRUE(past.has_value()) << past.error().Describe();
        EXPECT_EQ(past->opening.rule, ledger::RoundRule::greedy);
    }
}

TEST(RoundImportTest, ReadsTheRowsPbReads)
{
    // A spreadsheet's export: titles padded with ';', blank rows, and a META key given twice
    // (pabutools keeps the last). pb reads this file; the import must read the same rows.
    const std::string padded =
        "META;\nkey;value\nbudget;110\nvote_type;approval\nmax_length;2\nmax_length;3\n"
        "PROJECTS;;\nproject_id;cost;name\np1;50;Bankjes\np2;70;Speeltuin\np3;30;Bomen\n"
        "p4;35;Feest\n\nVOTES;;\nvoter_id;vote\nv1;p1\n \nv2;p2\nv3;p1,p2,p3\n"
        "v4;p1,p3\nv5;p1,p2\nv6;p2,p3,p4\n";
    ASSERT_TRUE(std::holds_alternative<pb::Instance>(pb::ParsePbText(padded)));
    auto past = ReadPastRound(padded, Settings());
    ASSERT_TRUE(past.has_value()) << past.error().Describe();
    const auto& projects = past->opening.projects.items;
    ASSERT_EQ(projects.size(), 4U);
    EXPECT_EQ(projects[0].title.value, "Bankjes"); // Not "Project p1": the names were read.
    EXPECT_EQ(projects[3].title.value, "Feest");
    ASSERT_EQ(past->ballots.size(), 6U);
    EXPECT_EQ(past->ballots[5].nullifier, ImportedVoterNullifier(Slug{"r-oud"}, "v6"));
    EXPECT_EQ(past->opening.max_projects, 3U);
}

TEST(RoundImportTest, RefusesWhatNoRoundCanHold)
{
    const auto refused = [](std::string text, std::string_view why) {
        auto past = ReadPastRound(text, Settings());
        ASSERT_FALSE(past.has_value()) << text;
        EXPECT_NE(past.error().where.find(why), std::string::npos) << past.error().where;
    };
    refused("META\nkey;value\nbudget;1000\n", "line"); // pb's own refusal.
    std::string capital{SMALL_FILE};
    for (auto at = capital.find("p1"); at != std::string::npos; at = capital.find("p1"))
        capital[at] = 'P';
    refused(capital, "not a slug");
    refused(std::string(SMALL_FILE).replace(std::string(SMALL_FILE).find("p2;70"), 5, "p2;7.001"),
            "whole number of cents");
    refused(std::string(SMALL_FILE).replace(std::string(SMALL_FILE).find("v2;p2"), 5, "v1;p2"),
            "appears twice");
    refused(std::string(SMALL_FILE).replace(std::string(SMALL_FILE).find("approval"), 8, "ordinal"),
            "vote_type");
}

class ImportedRoundTest : public RoundsTest
{
protected:
    void SetUp() override
    {
        RoundsTest::SetUp();
        Grant(500'000, YEAR, BudgetCategory::initiatives);
    }
};

TEST_F(ImportedRoundTest, CountingTheImportGivesPabutoolsOutcome)
{
    auto past = ReadPastRound(SMALL_FILE, Settings());
    ASSERT_TRUE(past.has_value());
    GoTo(ledger::Timestamp{1'800'000'000'000});
    Ok(m_round_service.OpenPast(m_officer, Slug{"burgwal"}, past->opening));
    std::vector<ledger::Hash> electorate;
    for (const auto& ballot : past->ballots)
        electorate.push_back(ballot.nullifier);
    Ok(m_round_service.IssueCodes(m_officer, Slug{"r-oud"}, electorate));
    // A vote naming a project the round does not have (another file's) is refused.
    auto foreign = past->ballots[0];
    foreign.choices.push_back({Slug{"elders"}, 1});
    Refused(m_round_service.RecordPastBallot(m_officer, Slug{"r-oud"}, foreign),
            Errc::ballot_invalid);
    for (const auto& ballot : past->ballots)
        Ok(m_round_service.RecordPastBallot(m_officer, Slug{"r-oud"}, ballot));
    Refused(m_round_service.RecordPastBallot(m_officer, Slug{"r-oud"}, past->ballots[0]),
            Errc::code_used);
    // Only the import closes it: a person closing it while the ballots still came in (or after
    // an import that stopped halfway) would count part of them, for good.
    const Principal other_officer{"t-2", Role::municipality, Slug{"officer-2"}, std::nullopt};
    // The import's name alone is not enough: its role too.
    const Principal same_name{"t-3", Role::council_member, m_officer.member, Slug{"burgwal"}};
    for (const Principal& person : {other_officer, Member("anna"), same_name})
        Refused(m_round_service.Close(person, Slug{"r-oud"}), Errc::not_permitted);
    Ok(m_round_service.Close(m_officer, Slug{"r-oud"}));
    const auto closed = Closed("r-oud");
    EXPECT_TRUE(closed.binding);

    auto parsed = pb::ParsePbText(SMALL_FILE);
    const auto& instance = std::get<pb::Instance>(parsed);
    const pb::Rule rule{pb::RuleKind::equal_shares_add1_greedy, pb::Satisfaction::cost};
    const auto profile = pb::MakeSatisfactionProfile(instance, rule.satisfaction);
    const auto outcome = std::get<pb::Outcome>(pb::ApplyRule(profile, rule));
    ASSERT_EQ(closed.winners.items.size(), outcome.winners.size());
    for (std::size_t i = 0; i < outcome.winners.size(); ++i) {
        EXPECT_EQ(closed.winners.items[i].project.value,
                  instance.projects[outcome.winners[i].project].id);
    }
    EXPECT_FALSE(closed.winners.items.empty());
}

TEST_F(ImportedRoundTest, APastRoundIsOpenedOnlyAfterItsWindow)
{
    auto past = ReadPastRound(SMALL_FILE, Settings());
    ASSERT_TRUE(past.has_value());
    auto future = past->opening;
    future.closes_at = ledger::Timestamp{m_clock.Now().milliseconds + 1'000};
    Refused(m_round_service.OpenPast(m_officer, Slug{"burgwal"}, future), Errc::round_still_open);
    auto by_member = m_round_service.OpenPast(Member("anna"), Slug{"burgwal"}, past->opening);
    EXPECT_FALSE(by_member.has_value());
}

TEST(RoundImportTest, TheDemoRoundReads)
{
    std::ifstream in{std::string(WB_TEST_DATA_DIR) +
                     "/../demo/haarlem/bewonersbudget-binnenstad-2026.pb"};
    ASSERT_TRUE(in.good());
    const std::string text{std::istreambuf_iterator<char>{in}, {}};
    auto past = ReadPastRound(text, Settings());
    ASSERT_TRUE(past.has_value()) << past.error().Describe();
    EXPECT_EQ(past->opening.projects.items.size(), 6U);
    EXPECT_EQ(past->ballots.size(), 60U);
    // The file's categories and ballot lengths come along.
    EXPECT_EQ(past->opening.projects.items[0].category, ledger::Title{"groen"});
    EXPECT_EQ(past->opening.min_projects, 1U);
    EXPECT_EQ(past->opening.max_projects, 3U);
}

} // namespace
} // namespace wijkbudget::services::decision_testing
