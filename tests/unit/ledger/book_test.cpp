#include "ledger/account.hpp"
#include "ledger/book.hpp"
#include "ledger/check_entry.hpp"
#include "ledger/errc.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::ledger {
namespace {

using testing::SampleLedger;
using testing::TransferPostings;

const Slug COUNCIL{"burgwal"};
constexpr Year YEAR{2027};
const std::string LINE = AccountName(LineAccount(COUNCIL, YEAR, BudgetCategory::public_space));
const std::string SPENT = AccountName(SpentAccount(COUNCIL, YEAR, BudgetCategory::public_space));

std::string CommitmentName(const std::string& id)
{
    return AccountName(CommitmentAccount(COUNCIL, Slug{id}));
}

Entry Make(Payload payload, std::vector<Posting> postings)
{
    return testing::CouncilEntry(COUNCIL, std::move(payload), std::move(postings));
}

std::string LineOf(Year year)
{
    return AccountName(LineAccount(COUNCIL, year, BudgetCategory::public_space));
}

Entry Grant(std::int64_t cents, Year year = YEAR, YearEndRule rule = YearEndRule::returns)
{
    return Make(BudgetGranted{year, BudgetCategory::public_space, Cents{cents}, rule},
                TransferPostings("pool", LineOf(year), Cents{cents}));
}
Entry Commit(const std::string& id, std::int64_t cents)
{
    return Make(ApprovalCosigned{Slug{"p-" + id}, Slug{"v-" + id}, Slug{id}, Cents{cents}},
                TransferPostings(LINE, CommitmentName(id), Cents{cents}));
}
Entry Spend(const std::string& id, std::int64_t cents)
{
    return Make(SpendingRecorded{Slug{id}, Cents{cents}, *ParseDate("2027-02-01"),
                                 Title{"Aannemer"}, Hash{}, Description{""}, std::nullopt},
                TransferPostings(CommitmentName(id), SPENT, Cents{cents}));
}
Entry Reverse(std::uint64_t index, const std::string& id, std::int64_t cents)
{
    return Make(SpendingReversed{LeafIndex{index}, Description{"fout"}},
                TransferPostings(SPENT, CommitmentName(id), Cents{cents}));
}
Entry Release(const std::string& id, std::int64_t cents, const std::string& to = LINE)
{
    return Make(CommitmentReleased{Slug{id}, Cents{cents}, Description{""}},
                TransferPostings(CommitmentName(id), to, Cents{cents}));
}
Entry CloseYear(std::int64_t left)
{
    return Make(PeriodClosed{YEAR},
                left ? TransferPostings(LINE, "pool", Cents{left}) : std::vector<Posting>{});
}
//! Closes `year`, moving what its line has left (if anything) to `to`.
Entry CloseYearTo(Year year, std::int64_t left, const std::string& to)
{
    return Make(PeriodClosed{year},
                left ? TransferPostings(LineOf(year), to, Cents{left}) : std::vector<Posting>{});
}

//! Applies entries through CheckEntry, Prepare and Apply, as the sequencer will.
class BookTest : public ::testing::Test
{
protected:
    boost::system::result<void, Failure> Post(Entry entry)
    {
        if (auto checked = CheckEntry(entry); !checked) return checked;
        if (auto prepared = m_book.Prepare(entry); !prepared) return prepared;
        auto applied = m_book.Apply(entry, LeafIndex{m_size});
        if (applied) ++m_size;
        return applied;
    }
    void ExpectRejected(Entry entry, Errc code)
    {
        const Book before = m_book;
        auto posted = Post(std::move(entry));
        ASSERT_FALSE(posted.has_value());
        EXPECT_EQ(posted.error().code, code) << posted.error().Describe();
        EXPECT_EQ(m_book.StateOf(LINE), before.StateOf(LINE));
    }
    Cents BalanceOf(const std::string& account) const { return m_book.StateOf(account).balance; }

    Book m_book;
    std::uint64_t m_size{0};
};

TEST_F(BookTest, SampleLedgerReplays)
{
    Book book;
    const auto entries = SampleLedger();
    for (std::uint64_t index = 0; index < entries.size(); ++index) {
        ASSERT_TRUE(CheckEntry(entries[index]).has_value()) << index;
        auto applied = book.Apply(entries[index], LeafIndex{index});
        ASSERT_TRUE(applied.has_value()) << index << ": " << applied.error().Describe();
    }
    EXPECT_TRUE(book.IsResolved(CommitmentName("c-bankjes")));
    EXPECT_TRUE(book.IsPeriodClosed(COUNCIL, YEAR));
    // c-plein carried over the year end; its release went on to 2028's line, as the line did.
    EXPECT_TRUE(book.IsResolved(CommitmentName("c-plein")));
    EXPECT_EQ(book.StateOf(LineOf(Year{2028})).balance, Cents{650'000 + 400'000});
    EXPECT_EQ(book.StateOf(LINE).balance, Cents{0});
}

TEST_F(BookTest, GrantCommitSpendReleaseMoveTheBalances)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 600)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{400});
    ASSERT_TRUE(Post(Spend("c-1", 250)).has_value());
    ASSERT_TRUE(Post(Release("c-1", 350)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{750});
    EXPECT_EQ(BalanceOf(SPENT), Cents{250});
    EXPECT_EQ(BalanceOf("pool"), Cents{1000});
    EXPECT_EQ(m_book.StateOf(LINE).version, 3U);
}

TEST_F(BookTest, BudgetLineNeverGoesBelowZeroWithHoldsCounted)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 700)).has_value());
    ExpectRejected(Commit("c-2", 301), Errc::exceeds_budget_line);
    EXPECT_TRUE(Post(Commit("c-2", 300)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{0});
}

TEST_F(BookTest, CommitmentIsSpentAtMostUpToWhatItHolds)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 500)).has_value());
    ASSERT_TRUE(Post(Spend("c-1", 400)).has_value());
    ExpectRejected(Spend("c-1", 101), Errc::spending_exceeds_commitment);
    ExpectRejected(Spend("c-2", 1), Errc::commitment_unknown);
    ExpectRejected(Commit("c-1", 10), Errc::commitment_exists);
}

TEST_F(BookTest, CommitmentResolvesOnceByReleasingExactlyWhatIsLeft)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 500)).has_value());
    ExpectRejected(Release("c-1", 499), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 501), Errc::spending_exceeds_commitment);
    ASSERT_TRUE(Post(Release("c-1", 500)).has_value());
    ExpectRejected(Release("c-1", 1), Errc::commitment_resolved);
    ExpectRejected(Spend("c-1", 1), Errc::commitment_resolved);
    ExpectRejected(Release("c-9", 1), Errc::commitment_unknown);
}

TEST_F(BookTest, SpendingIsReversedOnceByMirroredPostings)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());        // 0
    ASSERT_TRUE(Post(Commit("c-1", 500)).has_value()); // 1
    ASSERT_TRUE(Post(Spend("c-1", 200)).has_value());  // 2
    ExpectRejected(Reverse(1, "c-1", 200), Errc::spending_unknown);
    ExpectRejected(Reverse(2, "c-1", 199), Errc::reversal_mismatch);
    ASSERT_TRUE(Post(Reverse(2, "c-1", 200)).has_value()); // 3
    EXPECT_EQ(BalanceOf(CommitmentName("c-1")), Cents{500});
    ExpectRejected(Reverse(2, "c-1", 200), Errc::spending_already_reversed);
}

TEST_F(BookTest, ReversalAfterReleaseIsRefused)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 500)).has_value());
    ASSERT_TRUE(Post(Spend("c-1", 200)).has_value());
    ASSERT_TRUE(Post(Release("c-1", 300)).has_value());
    ExpectRejected(Reverse(2, "c-1", 200), Errc::commitment_resolved);
}

TEST_F(BookTest, ClosedYearTakesNoMorePostings)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ExpectRejected(CloseYear(999), Errc::postings_mismatch);
    ASSERT_TRUE(Post(CloseYear(1000)).has_value());
    EXPECT_EQ(BalanceOf("pool"), Cents{0});
    ExpectRejected(Grant(5), Errc::period_closed);
    ExpectRejected(CloseYear(0), Errc::period_closed);
    EXPECT_TRUE(Post(Grant(5, Year{2028})).has_value());
}

TEST_F(BookTest, EachLineClosesAsItsGrantsSaid)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value()); // returns to the pool at year end
    Entry other_rule = Grant(5);
    std::get<BudgetGranted>(other_rule.payload).at_year_end = YearEndRule::carries_over;
    ExpectRejected(other_rule, Errc::field_invalid);
    const std::string next_line =
        AccountName(LineAccount(COUNCIL, Year{2028}, BudgetCategory::public_space));
    ExpectRejected(Make(PeriodClosed{YEAR}, TransferPostings(LINE, next_line, Cents{1000})),
                   Errc::postings_mismatch);
    EXPECT_TRUE(Post(CloseYear(1000)).has_value());
}

TEST_F(BookTest, CarriedOverLineCannotReturnToThePool)
{
    Entry grant = Grant(1000);
    std::get<BudgetGranted>(grant.payload).at_year_end = YearEndRule::carries_over;
    ASSERT_TRUE(Post(grant).has_value());
    ExpectRejected(CloseYear(1000), Errc::postings_mismatch);
    const std::string next_line =
        AccountName(LineAccount(COUNCIL, Year{2028}, BudgetCategory::public_space));
    EXPECT_TRUE(
        Post(Make(PeriodClosed{YEAR}, TransferPostings(LINE, next_line, Cents{1000}))).has_value());
    EXPECT_EQ(BalanceOf(next_line), Cents{1000});
}

TEST_F(BookTest, ReleaseWhileTheYearIsOpenGoesOnlyToItsLine)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 600)).has_value());
    EXPECT_EQ(m_book.ReleaseDestination(LINE), LINE);
    ExpectRejected(Release("c-1", 600, "pool"), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 600, LineOf(Year{2028})), Errc::postings_mismatch);
    ASSERT_TRUE(Post(Release("c-1", 600)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{1000});
}

TEST_F(BookTest, ReleaseAfterCloseGoesToNextYearsLineWhenTheLineCarriesOver)
{
    const std::string next_line = LineOf(Year{2028});
    ASSERT_TRUE(Post(Grant(1000, YEAR, YearEndRule::carries_over)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 600)).has_value());
    ASSERT_TRUE(Post(Spend("c-1", 100)).has_value());
    ASSERT_TRUE(Post(CloseYearTo(YEAR, 400, next_line)).has_value());
    // The open commitment carried over: still spent on its own year's spent account.
    ASSERT_TRUE(Post(Spend("c-1", 50)).has_value());
    EXPECT_EQ(m_book.ReleaseDestination(LINE), next_line);
    ExpectRejected(Release("c-1", 450), Errc::postings_mismatch); // The closed line.
    ExpectRejected(Release("c-1", 450, "pool"), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 450, LineOf(Year{2029})), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 449, next_line), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 451, next_line), Errc::spending_exceeds_commitment);
    ASSERT_TRUE(Post(Release("c-1", 450, next_line)).has_value());
    EXPECT_TRUE(m_book.IsResolved(CommitmentName("c-1")));
    EXPECT_EQ(BalanceOf(next_line), Cents{850});
    EXPECT_EQ(BalanceOf(LINE), Cents{0});
    EXPECT_EQ(BalanceOf(SPENT), Cents{150});
    EXPECT_EQ(BalanceOf("pool"), Cents{1000});
    ExpectRejected(Release("c-1", 1, next_line), Errc::commitment_resolved);
}

TEST_F(BookTest, ReleaseAfterCloseGoesToThePoolWhenTheLineReturns)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 600)).has_value());
    ASSERT_TRUE(Post(CloseYear(400)).has_value());
    EXPECT_EQ(BalanceOf("pool"), Cents{600});
    EXPECT_EQ(m_book.ReleaseDestination(LINE), "pool");
    ExpectRejected(Release("c-1", 600), Errc::postings_mismatch); // The closed line.
    ExpectRejected(Release("c-1", 600, LineOf(Year{2028})), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 599, "pool"), Errc::postings_mismatch);
    Entry to_spent = Release("c-1", 600, SPENT);
    ExpectRejected(to_spent, Errc::postings_mismatch); // Refused before the book, by CheckEntry.
    ASSERT_TRUE(Post(Release("c-1", 600, "pool")).has_value());
    EXPECT_EQ(BalanceOf("pool"), Cents{0});
    EXPECT_EQ(BalanceOf(CommitmentName("c-1")), Cents{0});
    EXPECT_EQ(m_book.StateOf(LINE).version, 3U); // Granted, committed, closed; nothing since.
}

TEST_F(BookTest, ReleaseFollowsTheYearEndsOverTwoClosedYears)
{
    const std::string line_2028 = LineOf(Year{2028});
    const std::string line_2029 = LineOf(Year{2029});
    ASSERT_TRUE(Post(Grant(1000, YEAR, YearEndRule::carries_over)).has_value());
    ASSERT_TRUE(Post(Grant(50, Year{2028}, YearEndRule::carries_over)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 700)).has_value());
    ASSERT_TRUE(Post(CloseYearTo(YEAR, 300, line_2028)).has_value());
    EXPECT_EQ(m_book.ReleaseDestination(LINE), line_2028);
    ASSERT_TRUE(Post(CloseYearTo(Year{2028}, 350, line_2029)).has_value());
    EXPECT_EQ(m_book.ReleaseDestination(LINE), line_2029);
    ExpectRejected(Release("c-1", 700, line_2028), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 700, "pool"), Errc::postings_mismatch);
    ASSERT_TRUE(Post(Release("c-1", 700, line_2029)).has_value());
    EXPECT_EQ(BalanceOf(line_2029), Cents{1050});
    EXPECT_EQ(BalanceOf(line_2028), Cents{0});
}

TEST_F(BookTest, ReleaseEndsInThePoolWhereALineOfTheChainReturns)
{
    const std::string line_2028 = LineOf(Year{2028});
    ASSERT_TRUE(Post(Grant(1000, YEAR, YearEndRule::carries_over)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 700)).has_value());
    // Next year's line exists only by what was carried in: without grants, it returns.
    ASSERT_TRUE(Post(CloseYearTo(YEAR, 300, line_2028)).has_value());
    ExpectRejected(CloseYearTo(Year{2028}, 300, LineOf(Year{2029})), Errc::postings_mismatch);
    ASSERT_TRUE(Post(CloseYearTo(Year{2028}, 300, "pool")).has_value());
    EXPECT_EQ(m_book.ReleaseDestination(LINE), "pool");
    ExpectRejected(Release("c-1", 700, line_2028), Errc::postings_mismatch);
    ExpectRejected(Release("c-1", 700, LineOf(Year{2029})), Errc::postings_mismatch);
    ASSERT_TRUE(Post(Release("c-1", 700, "pool")).has_value());
    EXPECT_EQ(BalanceOf("pool"), Cents{0});
}

TEST_F(BookTest, RecordedBalanceAndVersionMustBeRight)
{
    Entry grant = Grant(1000);
    ASSERT_TRUE(m_book.Prepare(grant).has_value());
    Entry wrong_balance = grant;
    wrong_balance.postings[1].balance_after = Balance{Cents{999}};
    EXPECT_EQ(m_book.Apply(wrong_balance, LeafIndex{0}).error().code,
              Errc::recorded_balance_mismatch);
    Entry wrong_version = grant;
    wrong_version.postings[0].version_after = 2;
    EXPECT_EQ(m_book.Apply(wrong_version, LeafIndex{0}).error().code,
              Errc::recorded_balance_mismatch);
    EXPECT_EQ(m_book.StateOf("pool").version, 0U);
    EXPECT_TRUE(m_book.Apply(grant, LeafIndex{0}).has_value());
}

TEST_F(BookTest, PoolOverflowIsRefused)
{
    ASSERT_TRUE(Post(Grant(CENTS_MAX)).has_value());
    EXPECT_EQ(Post(Grant(1, Year{2028})).error().code, Errc::amount_out_of_range);
}

} // namespace
} // namespace wijkbudget::ledger
