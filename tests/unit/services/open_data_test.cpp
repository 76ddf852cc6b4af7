// The open-data projection (services/open_data.hpp): a council's movements per budget year add up
// to the governance projection's line totals, through spending, reversal, release, co-approval and
// year ends; each movement names its entry; the feed keeps the newest decisions and spendings.
#include "ledger/entry_json.hpp"
#include "ledger/merkle.hpp"
#include "services/open_data.hpp"

#include <algorithm>

#include "decisions_fixture.hpp"

namespace wijkbudget::services::decision_testing {
namespace {

using ledger::MajorityRule;
using ledger::TieRule;
using ledger::VoteChoice;

class OpenDataTest : public DecisionsTest
{
protected:
    void SetUp() override
    {
        DecisionsTest::SetUp();
        SeatFive();
        SetBylaws(50, MajorityRule::simple, TieRule::rejected, 300'000, 50'000);
    }

    DecisionService::Drafted Spend(const std::string& commitment, const std::string& id,
                                   std::int64_t cents, const std::string& payee = "Groen B.V.")
    {
        return m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, Slug{commitment},
                                        {Slug{id}, Cents{cents}, Today(), ledger::Title{payee},
                                         ledger::Hash{}, ledger::Description{"Factuur"}});
    }
    ledger::Entry Reverse(const ledger::Entry& spending)
    {
        return Ok(m_service.ReverseSpending(Treasurer(), Slug{"burgwal"}, spending.index,
                                            {ledger::Description{"Dubbel geboekt"}}));
    }
    ledger::Entry Release(const std::string& commitment)
    {
        return Ok(m_service.ReleaseCommitment(Treasurer(), Slug{"burgwal"}, Slug{commitment},
                                              {ledger::Description{"Klaar"}}));
    }

    //! The projection, fed the whole ledger so far (as the sequencer does on a start).
    const OpenData& Replayed()
    {
        m_open_data.Reset();
        for (const auto& entry : m_entries)
            m_open_data.Observe(entry);
        return m_open_data;
    }

    //! Every line of every year: the movements' totals equal Governance's, field by field.
    void ExpectTotalsMatchTheLines()
    {
        const auto lines = m_governance.Lines(Slug{"burgwal"});
        ASSERT_FALSE(lines.empty());
        for (const auto& line : lines) {
            const auto totals =
                TotalsOf(m_open_data.Movements(Slug{"burgwal"}, line.year).movements);
            const auto found = totals.find(line.category);
            ASSERT_NE(found, totals.end()) << line.year.value;
            const std::string where = std::to_string(line.year.value) + " " +
                                      std::string(ledger::SpellingOf(line.category));
            EXPECT_EQ(found->second.granted, line.totals.granted) << where;
            EXPECT_EQ(found->second.carried_in, line.totals.carried_in) << where;
            EXPECT_EQ(found->second.held, line.totals.held) << where;
            EXPECT_EQ(found->second.spent, line.totals.spent) << where;
            EXPECT_EQ(found->second.closed_out, line.totals.closed_out) << where;
            EXPECT_EQ(found->second.available, line.totals.available) << where;
        }
    }

    OpenData m_open_data;
};

TEST_F(OpenDataTest, MovementsAddUpToTheLinesThroughSpendingReversalAndRelease)
{
    Grant(300'000);
    Grant(50'000, YEAR, BudgetCategory::social);
    Approve("plein", 100'000);
    const auto spent = Ok(Spend("plein", "s1", 30'000, "=HYPERLINK(\"x\")"));
    const auto reversal = Reverse(spent);
    Ok(Spend("plein", "s2", 25'000));
    const auto released = Release("plein");
    Approve("groot", 350'000); // Above the co-approval limit: waits for the municipality.
    Grant(100'000);
    Ok(m_service.Cosign(m_officer, Slug{"burgwal"}, Slug{"groot"}));
    Replayed();
    ExpectTotalsMatchTheLines();

    const auto movements = m_open_data.Movements(Slug{"burgwal"}, YEAR);
    EXPECT_EQ(movements.ledger_size, m_entries.size());
    // Grants: one movement each (the pool is not the council's). Every other transfer: two.
    const auto count = [&](MovementKind kind) {
        return std::count_if(movements.movements.begin(), movements.movements.end(),
                             [kind](const Movement& movement) { return movement.kind == kind; });
    };
    EXPECT_EQ(count(MovementKind::grant), 3);
    EXPECT_EQ(count(MovementKind::commitment), 4);
    EXPECT_EQ(count(MovementKind::spending), 4);
    EXPECT_EQ(count(MovementKind::reversal), 2);
    EXPECT_EQ(count(MovementKind::release), 2);

    // The reversal undoes the first spending: from the spent account back to the commitment.
    const auto undone = std::find_if(movements.movements.begin(), movements.movements.end(),
                                     [&](const Movement& movement) {
                                         return movement.index == reversal.index &&
                                                movement.account_type == ledger::AccountType::spent;
                                     });
    ASSERT_NE(undone, movements.movements.end());
    EXPECT_EQ(undone->amount.value, -30'000);
    EXPECT_EQ(undone->entry_kind, "spending.reversed");
    EXPECT_EQ(undone->counter_account, "commitment:burgwal:plein");
    EXPECT_EQ(undone->refers_to, spent.index);
    EXPECT_EQ(undone->payee->value, "=HYPERLINK(\"x\")");
    EXPECT_EQ(undone->proposal->value, "plein");
    EXPECT_EQ(undone->title->value, "Bankjes");
    EXPECT_EQ(undone->description->value, "Dubbel geboekt");
    EXPECT_EQ(undone->leaf, ledger::LeafHash(ledger::SerialiseEntry(reversal)));

    // The release returns the rest to the line: +75,000 there, -75,000 on the commitment.
    std::vector<Movement> release_rows;
    std::copy_if(movements.movements.begin(), movements.movements.end(),
                 std::back_inserter(release_rows),
                 [&](const Movement& movement) { return movement.index == released.index; });
    ASSERT_EQ(release_rows.size(), 2U);
    EXPECT_EQ(release_rows[0].account, "commitment:burgwal:plein");
    EXPECT_EQ(release_rows[0].amount.value, -75'000);
    EXPECT_EQ(release_rows[0].balance_after.value, 0);
    EXPECT_EQ(release_rows[1].account, "line:burgwal:2027:public_space");
    EXPECT_EQ(release_rows[1].amount.value, 75'000);
    // Movements are in ledger order.
    EXPECT_TRUE(
        std::is_sorted(movements.movements.begin(), movements.movements.end(),
                       [](const Movement& a, const Movement& b) { return a.index < b.index; }));
    // A year without a line has no movements.
    EXPECT_TRUE(m_open_data.Movements(Slug{"burgwal"}, Year{2026}).movements.empty());
    EXPECT_TRUE(m_open_data.Movements(Slug{"oost"}, YEAR).movements.empty());
}

TEST_F(OpenDataTest, YearEndsCloseOutAndCarryIntoTheNextYear)
{
    Grant(300'000, YEAR, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    Grant(80'000, YEAR, BudgetCategory::social);
    Approve("plein", 100'000);
    Ok(Spend("plein", "s1", 40'000));
    Ok(CloseYear());
    Ok(Spend("plein", "s2", 10'000)); // The open commitment carried over.
    const auto released = Release("plein");
    Replayed();
    ExpectTotalsMatchTheLines();

    // The late release leaves the closed year's commitment and arrives on 2028's line.
    const auto closed = m_open_data.Movements(Slug{"burgwal"}, YEAR).movements;
    const auto late = std::find_if(closed.begin(), closed.end(), [&](const Movement& movement) {
        return movement.index == released.index;
    });
    ASSERT_NE(late, closed.end());
    EXPECT_EQ(late->kind, MovementKind::closed_out);
    EXPECT_EQ(late->amount.value, -50'000);
    const auto next = m_open_data.Movements(Slug{"burgwal"}, Year{2028}).movements;
    ASSERT_EQ(next.size(), 2U); // The year end's carry-over, then the release.
    EXPECT_EQ(next[0].kind, MovementKind::carried_in);
    EXPECT_EQ(next[0].amount.value, 200'000);
    EXPECT_EQ(next[1].kind, MovementKind::carried_in);
    EXPECT_EQ(next[1].amount.value, 50'000);
    EXPECT_EQ(next[1].counter_account, "commitment:burgwal:plein");
    EXPECT_EQ(next[1].commitment->value, "plein");
}

TEST_F(OpenDataTest, TheFeedKeepsTheNewestDecisionsAndSpendingsNewestFirst)
{
    Grant(1'000'000);
    Approve("plein", 100'000);
    Submit("nee", 1'000);
    Open("v-nee", "nee");
    for (const char* member : {"anna", "bram", "cas"})
        Ok(Cast(member, "v-nee", VoteChoice::against));
    CloseAtDeadline("v-nee");
    const auto spent = Ok(Spend("plein", "s1", 1'234, "Hovenier & Zn <b>"));
    const auto reversal = Reverse(spent);
    Replayed();

    auto feed = m_open_data.Feed();
    ASSERT_EQ(feed.size(), 4U);
    EXPECT_EQ(feed[0].index, reversal.index);
    EXPECT_EQ(feed[0].entry_kind, "spending.reversed");
    EXPECT_EQ(feed[0].refers_to, spent.index);
    EXPECT_EQ(feed[0].amount->value, 1'234);
    EXPECT_EQ(feed[0].payee->value, "Hovenier & Zn <b>");
    EXPECT_EQ(feed[1].entry_kind, "spending.recorded");
    EXPECT_EQ(feed[1].title->value, "Bankjes");
    EXPECT_EQ(feed[1].council_name.value, "Burgwal");
    EXPECT_EQ(feed[2].entry_kind, "vote.closed");
    EXPECT_EQ(feed[2].result, ledger::DecisionResult::rejected);
    EXPECT_EQ(feed[2].votes_against, 3U);
    EXPECT_EQ(feed[3].result, ledger::DecisionResult::approved);

    // Only the newest FEED_ITEMS_MAX stay.
    for (int spending = 0; spending < static_cast<int>(FEED_ITEMS_MAX); ++spending)
        Ok(Spend("plein", "t" + std::to_string(spending), 1));
    Replayed();
    feed = m_open_data.Feed();
    ASSERT_EQ(feed.size(), FEED_ITEMS_MAX);
    EXPECT_EQ(feed.front().index.value, m_entries.size() - 1);
    EXPECT_EQ(feed.back().payee->value, "Groen B.V.");
    EXPECT_EQ(m_open_data.LastRecordedAt(), m_entries.back().recorded_at);
}

TEST_F(OpenDataTest, ResetForgetsEverything)
{
    Grant(10'000);
    Approve("plein", 1'000);
    Replayed();
    m_open_data.Reset();
    EXPECT_EQ(m_open_data.Size(), 0U);
    EXPECT_TRUE(m_open_data.Feed().empty());
    EXPECT_TRUE(m_open_data.Movements(Slug{"burgwal"}, YEAR).movements.empty());
}

} // namespace
} // namespace wijkbudget::services::decision_testing
