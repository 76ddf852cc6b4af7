// tests/unit/services/round_pb_file_test.cpp: a round's .pb export (services/round_pb_file.hpp)
// read back by pb/ the way pabutools reads it, counted with the round's own rule, names the
// winners the round's close recorded, in the same order; and the file says what FORMAT.md asks.

#include "ledger/round_rules.hpp"
#include "pb/pb_file.hpp"
#include "pb/rules.hpp"
#include "pb/satisfaction.hpp"
#include "services/round_count.hpp"
#include "services/round_pb_file.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace wijkbudget::services {
namespace {

using ledger::BallotType;
using ledger::RoundRule;

constexpr std::int64_t OPENS_AT_MILLISECONDS{1'800'000'000'000}; // 2027-01-15T08:00:00Z
constexpr std::uint64_t CODES_ISSUED{100};

struct Choice {
    std::string project;
    std::uint64_t points{1};
};

class RoundPbFileTest : public ::testing::Test
{
protected:
    void Open(BallotType type, RoundRule rule, std::int64_t budget_cents,
              const std::vector<std::pair<std::string, std::int64_t>>& projects,
              std::uint8_t seed = 7)
    {
        ledger::RoundOpened& opened = m_round.summary.opened;
        opened.round = ledger::Slug{"buurtbudget-2027"};
        opened.title = ledger::Title{"Buurtbudget 2027"};
        opened.district = ledger::Slug{"centrum"};
        opened.year = ledger::Year{2027};
        opened.budget = ledger::Cents{budget_cents};
        opened.hold = opened.round;
        opened.opens_at = ledger::Timestamp{OPENS_AT_MILLISECONDS};
        opened.closes_at = ledger::Timestamp{OPENS_AT_MILLISECONDS + 14 * 86'400'000LL};
        opened.ballot_type = type;
        if (type == BallotType::cumulative) {
            opened.points_total = 5;
            opened.points_per_project_max = 3;
        }
        opened.rule = rule;
        for (const auto& [id, cost] : projects) {
            opened.projects.items.push_back(
                {ledger::Slug{id}, ledger::Title{"Project " + id}, ledger::Cents{cost}, {}});
        }
        opened.tie_seed.fill(seed);
        opened.tie_order.items = ledger::TieOrderOf(opened.tie_seed, opened.projects.items);
        m_round.summary.council = ledger::Slug{"burgwal"};
        // A letter for every ballot a test casts: a ballot needs an issued code.
        m_round.summary.codes.push_back({CODES_ISSUED, {}, ledger::LeafIndex{1}});
    }

    void Cast(const std::vector<Choice>& choices)
    {
        RoundBallotView ballot;
        for (const Choice& choice : choices)
            ballot.choices.push_back({ledger::Slug{choice.project}, choice.points});
        ballot.index = ledger::LeafIndex{100 + 3 * m_round.ballots.size()};
        ballot.nullifier.fill(static_cast<std::uint8_t>(m_round.ballots.size()));
        m_round.ballots.push_back(std::move(ballot));
        ++m_round.summary.ballots_cast;
    }

    //! The winners' project ids as the close records them.
    std::vector<std::string> RecordedWinners() const
    {
        const auto closed = CountRound(m_round);
        EXPECT_TRUE(closed.has_value()) << closed.error().Describe();
        std::vector<std::string> winners;
        if (!closed) return winners;
        for (const ledger::RoundWinner& winner : closed->winners.items)
            winners.push_back(winner.project.value);
        return winners;
    }

    //! The winners of the export, read and counted by pb/ with the round's rule, in order of
    //! selection, as round ids ("000-bankjes" becomes "bankjes").
    std::vector<std::string> ExportedWinners() const
    {
        const std::string text = RoundPbFile(m_round);
        auto parsed = pb::ParsePbText(text);
        if (const auto* error = std::get_if<pb::ParseError>(&parsed)) {
            ADD_FAILURE() << "line " << error->line << ": " << error->reason << "\n" << text;
            return {};
        }
        const auto& instance = std::get<pb::Instance>(parsed);
        const pb::Rule rule = RoundRuleOf(m_round.summary.opened);
        EXPECT_FALSE(pb::RuleRefusal(instance, rule).has_value());
        auto applied =
            pb::ApplyRule(pb::MakeSatisfactionProfile(instance, rule.satisfaction), rule);
        std::vector<std::string> winners;
        for (const pb::Winner& winner : std::get<pb::Outcome>(applied).winners) {
            const std::string& id = instance.projects[winner.project].id;
            EXPECT_EQ(id.substr(0, 4), TieRankId(std::stoul(id.substr(0, 3))) + "-") << id;
            winners.push_back(id.substr(4));
        }
        return winners;
    }

    RoundView m_round;
};

TEST_F(RoundPbFileTest, ApprovalExportReproducesTheRecordedWinners)
{
    Open(BallotType::approval, RoundRule::equal_shares, 100'000,
         {{"bankjes", 30'000},
          {"speeltuin", 60'000},
          {"bomen", 25'000},
          {"kunst", 45'000},
          {"moestuin", 10'000}});
    Cast({{"bankjes"}, {"bomen"}});
    Cast({{"speeltuin"}});
    Cast({{"speeltuin"}, {"kunst"}});
    Cast({{"bomen"}, {"moestuin"}});
    Cast({{"bankjes"}, {"speeltuin"}, {"moestuin"}});
    Cast({{"kunst"}});
    Cast({{"speeltuin"}});
    const auto recorded = RecordedWinners();
    ASSERT_FALSE(recorded.empty());
    EXPECT_EQ(ExportedWinners(), recorded);
}

TEST_F(RoundPbFileTest, CumulativeExportReproducesTheRecordedWinnersUnderBothRules)
{
    for (const RoundRule rule : {RoundRule::greedy, RoundRule::equal_shares}) {
        m_round = {};
        Open(BallotType::cumulative, rule, 50'000,
             {{"bankjes", 20'000}, {"speeltuin", 35'000}, {"bomen", 15'000}, {"kunst", 10'000}});
        Cast({{"bankjes", 3}, {"bomen", 2}});
        Cast({{"speeltuin", 3}, {"kunst", 1}});
        Cast({{"speeltuin", 2}, {"bomen", 3}});
        Cast({{"kunst", 3}, {"bankjes", 1}, {"bomen", 1}});
        Cast({{"speeltuin", 1}});
        const auto recorded = RecordedWinners();
        ASSERT_FALSE(recorded.empty()) << ledger::SpellingOf(rule);
        EXPECT_EQ(ExportedWinners(), recorded) << ledger::SpellingOf(rule);
    }
}

TEST_F(RoundPbFileTest, TiesGoAsTheRecordedTieOrderSaysInTheExportToo)
{
    // Two identical projects, one vote each, room for one: only the tie order decides. Over
    // several seeds both orders occur, and the export's ids keep each of them.
    std::set<std::string> winners_seen;
    for (std::uint8_t seed = 1; seed <= 16; ++seed) {
        for (const RoundRule rule : {RoundRule::greedy, RoundRule::equal_shares}) {
            m_round = {};
            Open(BallotType::approval, rule, 10'000, {{"links", 10'000}, {"rechts", 10'000}}, seed);
            Cast({{"links"}});
            Cast({{"rechts"}});
            const auto recorded = RecordedWinners();
            ASSERT_EQ(recorded.size(), 1U);
            EXPECT_EQ(recorded.front(), m_round.summary.opened.tie_order.items.front().value);
            EXPECT_EQ(ExportedWinners(), recorded) << "seed " << int{seed};
            winners_seen.insert(recorded.front());
        }
    }
    EXPECT_EQ(winners_seen.size(), 2U) << "the seeds never reordered the projects";
}

TEST_F(RoundPbFileTest, WritesTheMetaProjectsAndVotesFormatMdAsks)
{
    Open(BallotType::cumulative, RoundRule::greedy, 100'005, {{"bankjes", 30'050}, {"bomen", 900}});
    m_round.summary.opened.title = ledger::Title{R"(Buurt; "groen" 2027)"};
    m_round.summary.opened.projects.items[0].category = ledger::Title{"groen"};
    Cast({{"bomen", 1}, {"bankjes", 3}});
    const std::string text = RoundPbFile(m_round);
    for (const std::string line :
         {"META\nkey;value\n", "description;\"Buurt; \"\"groen\"\" 2027\"\n",
          "country;Netherlands\n", "unit;burgwal\n", "district;centrum\n",
          "instance;buurtbudget-2027\n", "num_projects;2\n", "num_votes;1\n", "budget;1000.05\n",
          "vote_type;cumulative\n", "rule;greedy\n", "date_begin;15.01.2027\n",
          "date_end;29.01.2027\n", "max_points;3\n", "max_sum_points;5\n",
          "comment;#1: counted by wijkbudget with greedy_cardinal. A project's id",
          "PROJECTS\nproject_id;cost;name;category\n", "VOTES\nvoter_id;vote;points\n"}) {
        EXPECT_NE(text.find(line), std::string::npos) << "no " << line << " in\n" << text;
    }
    // A round that closes at midnight in the Netherlands ends on the day before.
    m_round.summary.opened.opens_at = *ledger::ParseTimestamp("2026-09-30T22:00:00.000Z");
    m_round.summary.opened.closes_at = *ledger::ParseTimestamp("2026-10-31T23:00:00.000Z");
    const std::string dated = RoundPbFile(m_round);
    EXPECT_NE(dated.find("date_begin;01.10.2026\n"), std::string::npos) << dated;
    EXPECT_NE(dated.find("date_end;31.10.2026\n"), std::string::npos) << dated;
    const auto& order = m_round.summary.opened.tie_order.items;
    const std::size_t bankjes = order.front().value == "bankjes" ? 0 : 1;
    EXPECT_NE(text.find(PbProjectId(bankjes, ledger::Slug{"bankjes"}) +
                        ";300.50;Project bankjes;groen\n"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find(PbProjectId(1 - bankjes, ledger::Slug{"bomen"}) + ";9.00;Project bomen;None\n"),
        std::string::npos)
        << text;
    // Points in decreasing order, as Pabulib lists them; the voter is the ballot's index.
    EXPECT_NE(text.find("100;" + PbProjectId(bankjes, ledger::Slug{"bankjes"}) + "," +
                        PbProjectId(1 - bankjes, ledger::Slug{"bomen"}) + ";3,1\n"),
              std::string::npos)
        << text;
    auto parsed = pb::ParsePbText(text);
    ASSERT_TRUE(std::holds_alternative<pb::Instance>(parsed));
    EXPECT_EQ(std::get<pb::Instance>(parsed).budget, mpq_class(20001, 20));
}

TEST_F(RoundPbFileTest, ApprovalMetaStatesTheBallotLimits)
{
    Open(BallotType::approval, RoundRule::equal_shares, 100'000, {{"bankjes", 30'000}});
    m_round.summary.opened.max_projects = 2;
    m_round.summary.opened.max_cost = ledger::Cents{50'000};
    const std::string text = RoundPbFile(m_round);
    for (const std::string line :
         {"vote_type;approval\n", "rule;equalshares/add1\n", "min_length;1\n", "max_length;2\n",
          "max_sum_cost;500.00\n", "num_votes;0\n", "VOTES\nvoter_id;vote\n"}) {
        EXPECT_NE(text.find(line), std::string::npos) << "no " << line << " in\n" << text;
    }
    EXPECT_TRUE(std::holds_alternative<pb::Instance>(pb::ParsePbText(text)));
}

} // namespace
} // namespace wijkbudget::services
