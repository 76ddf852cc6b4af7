#include "ledger/account.hpp"
#include "ledger/book.hpp"
#include "ledger/check_entry.hpp"
#include "ledger/errc.hpp"
#include "ledger/round_rules.hpp"
#include "ledger/sha256.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>

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
Entry Spend(const std::string& id, std::int64_t cents, const std::string& to = SPENT)
{
    return Make(SpendingRecorded{Slug{id}, Cents{cents}, *ParseDate("2027-02-01"),
                                 Title{"Aannemer"}, Hash{}, Description{""}, std::nullopt},
                TransferPostings(CommitmentName(id), to, Cents{cents}));
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

// ---- Participatory-budgeting rounds: three projects, speeltuin 400, bomen 300, bankjes 200. ----

const std::vector<std::pair<std::string, std::int64_t>> ROUND_PROJECTS{
    {"speeltuin", 400}, {"bomen", 300}, {"bankjes", 200}};

RoundOpened RoundOf(const std::string& round_id, const std::string& hold, std::int64_t budget,
                    BudgetCategory category)
{
    RoundOpened round;
    round.round = Slug{round_id};
    round.title = Title{"Buurtbudget"};
    round.year = YEAR;
    round.category = category;
    round.budget = Cents{budget};
    round.hold = Slug{hold};
    round.opens_at = Timestamp{1'800'000'000'000};
    round.closes_at = Timestamp{1'801'000'000'000};
    round.rule = RoundRule::greedy;
    round.min_turnout_percent = 10;
    for (const auto& [id, cost] : ROUND_PROJECTS)
        round.projects.items.push_back(
            RoundProject{Slug{id}, Title{id}, Cents{cost}, std::nullopt});
    round.tie_seed = Sha256Of(std::string_view{"tie seed"});
    round.tie_order.items = TieOrderOf(round.tie_seed, round.projects.items);
    return round;
}

//! A district's round, opened by the municipality: it holds `budget` anew, as the commitment
//! named after the round, from the council's line of the category.
Entry DistrictRound(const std::string& round_id, std::int64_t budget,
                    BudgetCategory category = BudgetCategory::public_space)
{
    RoundOpened round = RoundOf(round_id, round_id, budget, category);
    round.district = Slug{"centrum"};
    return Make(round, TransferPostings(AccountName(LineAccount(COUNCIL, YEAR, category)),
                                        CommitmentName(round_id), Cents{budget}));
}

//! A council's own round: it takes over the commitment `hold` its decision created, posting
//! nothing.
Entry CouncilRound(const std::string& round_id, const std::string& hold, std::int64_t budget)
{
    RoundOpened round = RoundOf(round_id, hold, budget, BudgetCategory::public_space);
    round.decision = Slug{"v-" + round_id};
    Entry entry = Make(round, {});
    entry.actor.role = Role::council_member;
    return entry;
}

//! A funded project and the commitment it becomes.
struct Award {
    std::string project;
    std::int64_t cost;
    std::string commitment;
};

//! The winners of a round's close in order, each funded at its own cost.
std::vector<Award> Winners(const std::string& round_id, std::initializer_list<const char*> projects)
{
    std::vector<Award> awards;
    for (const char* project : projects) {
        const auto found = std::find_if(ROUND_PROJECTS.begin(), ROUND_PROJECTS.end(),
                                        [&](const auto& known) { return known.first == project; });
        awards.push_back(Award{project, found->second, round_id + "-" + project});
    }
    return awards;
}

/**
 * A binding close of the round whose hold is `hold` (5 ballots of 10 codes against a 10%
 * minimum): each award split off the hold into its commitment, then `rest` released to `to`
 * (no release when `rest` is 0).
 */
Entry CloseRound(const std::string& round_id, const std::string& hold,
                 const std::vector<Award>& awards, std::int64_t rest, const std::string& to = LINE)
{
    RoundClosed closed;
    closed.round = Slug{round_id};
    closed.codes_issued = 10;
    closed.ballots_cast = 5;
    closed.turnout_percent = Token{TurnoutPercentText(5, 10)};
    closed.min_turnout_percent = 10;
    closed.binding = true;
    closed.rule = Token{"greedy_cost"};
    std::vector<Posting> postings;
    for (const Award& award : awards) {
        closed.winners.items.push_back(RoundWinner{Slug{award.project}, Cents{award.cost},
                                                   Token{"greedy"}, std::nullopt,
                                                   Slug{award.commitment}, std::nullopt});
        auto split = TransferPostings(CommitmentName(hold), CommitmentName(award.commitment),
                                      Cents{award.cost});
        postings.insert(postings.end(), split.begin(), split.end());
    }
    for (const auto& project : ROUND_PROJECTS) {
        const auto& [id, cost] = project;
        const bool funded = std::any_of(awards.begin(), awards.end(), [&](const Award& award) {
            return award.project == project.first;
        });
        closed.results.items.push_back(
            RoundProjectResult{Slug{id}, Cents{cost}, funded ? 3U : 0U, funded ? 3U : 0U, funded,
                               funded ? std::nullopt : std::optional{Token{"no_support"}}});
    }
    if (rest != 0) {
        auto release = TransferPostings(CommitmentName(hold), to, Cents{rest});
        postings.insert(postings.end(), release.begin(), release.end());
    }
    return Make(closed, std::move(postings));
}

//! An advisory close (no ballots of 10 codes against a 10% minimum): the whole hold goes to `to`.
Entry AdvisoryClose(const std::string& round_id, const std::string& hold, std::int64_t budget,
                    const std::string& to = LINE)
{
    Entry entry = CloseRound(round_id, hold, {}, budget, to);
    auto& closed = std::get<RoundClosed>(entry.payload);
    closed.ballots_cast = 0;
    closed.turnout_percent = Token{TurnoutPercentText(0, 10)};
    closed.binding = false;
    return entry;
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

// ---- Participatory-budgeting rounds. ----

TEST_F(BookTest, DistrictRoundHoldsItsBudgetFromTheLine)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{100});
    EXPECT_EQ(BalanceOf(CommitmentName("r-1")), Cents{900});
    EXPECT_FALSE(m_book.IsResolved(CommitmentName("r-1")));
    // The line holds 100 now: a second round of 101 does not fit, one of 100 does.
    ExpectRejected(DistrictRound("r-2", 101), Errc::exceeds_budget_line);
    EXPECT_EQ(BalanceOf(CommitmentName("r-2")), Cents{0});
    EXPECT_TRUE(Post(DistrictRound("r-2", 100)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{0});
}

TEST_F(BookTest, DistrictRoundAboveTheLineIsRefused)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 700)).has_value());
    ExpectRejected(DistrictRound("r-1", 301), Errc::exceeds_budget_line);
    // Refused entries leave nothing behind: the round can still open within the line.
    EXPECT_TRUE(Post(DistrictRound("r-1", 300)).has_value());
}

TEST_F(BookTest, DistrictRoundOnAClosedYearIsRefused)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(CloseYear(1000)).has_value());
    ExpectRejected(DistrictRound("r-1", 100), Errc::period_closed);
}

TEST_F(BookTest, RoundOpensOnce)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 300)).has_value());
    // The same round again, with a hold of another name.
    Entry again = DistrictRound("r-1b", 300);
    std::get<RoundOpened>(again.payload).round = Slug{"r-1"};
    ExpectRejected(again, Errc::round_exists);
    EXPECT_EQ(BalanceOf(CommitmentName("r-1b")), Cents{0});
    // Another round, with the hold of the first: the hold is created once.
    Entry same_hold = DistrictRound("r-1", 300);
    std::get<RoundOpened>(same_hold.payload).round = Slug{"r-2"};
    ExpectRejected(same_hold, Errc::commitment_exists);
    // Nor can a round's hold take over a commitment made by a decision.
    ASSERT_TRUE(Post(Commit("c-1", 100)).has_value());
    ExpectRejected(DistrictRound("c-1", 100), Errc::commitment_exists);
    EXPECT_EQ(BalanceOf(CommitmentName("c-1")), Cents{100});
    // A council's round of the same name is the same round.
    ExpectRejected(CouncilRound("r-1", "c-1", 100), Errc::round_exists);
}

TEST_F(BookTest, CouncilRoundTakesOverItsDecisionsCommitmentUntouched)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-buurt", 600)).has_value());
    ASSERT_TRUE(Post(CouncilRound("r-1", "c-buurt", 600)).has_value());
    // Nothing moved: the decision's hold is now the round's.
    EXPECT_EQ(BalanceOf(LINE), Cents{400});
    EXPECT_EQ(BalanceOf(CommitmentName("c-buurt")), Cents{600});
    EXPECT_EQ(m_book.StateOf(CommitmentName("c-buurt")).version, 1U);
    // A second round cannot take over the same hold.
    ExpectRejected(CouncilRound("r-2", "c-buurt", 600), Errc::field_invalid);
}

TEST_F(BookTest, CouncilRoundNeedsAnOpenCommitmentHoldingExactlyItsBudget)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ExpectRejected(CouncilRound("r-1", "c-none", 600), Errc::commitment_unknown);
    ASSERT_TRUE(Post(Commit("c-done", 100)).has_value());
    ASSERT_TRUE(Post(Release("c-done", 100)).has_value());
    ExpectRejected(CouncilRound("r-1", "c-done", 100), Errc::commitment_resolved);
    ASSERT_TRUE(Post(Commit("c-buurt", 600)).has_value());
    ExpectRejected(CouncilRound("r-1", "c-buurt", 599), Errc::field_invalid);
    ExpectRejected(CouncilRound("r-1", "c-buurt", 601), Errc::field_invalid);
    // The round names the line the commitment holds money of, or its winners would spend elsewhere.
    Entry elsewhere = CouncilRound("r-1", "c-buurt", 600);
    std::get<RoundOpened>(elsewhere.payload).category = BudgetCategory::social;
    ExpectRejected(elsewhere, Errc::field_invalid);
    Entry other_year = CouncilRound("r-1", "c-buurt", 600);
    std::get<RoundOpened>(other_year.payload).year = Year{2028};
    ExpectRejected(other_year, Errc::field_invalid);
    EXPECT_TRUE(Post(CouncilRound("r-1", "c-buurt", 600)).has_value());
}

TEST_F(BookTest, CouncilRoundCannotTakeOverASpentCommitment)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());            // 0
    ASSERT_TRUE(Post(Commit("c-buurt", 600)).has_value()); // 1
    ASSERT_TRUE(Post(Spend("c-buurt", 100)).has_value());  // 2
    // What is left equals the budget, but the commitment is not whole: were the spending
    // reversed later, its money would flow into the round's hold.
    ExpectRejected(CouncilRound("r-1", "c-buurt", 500), Errc::field_invalid);
    EXPECT_TRUE(Post(Reverse(2, "c-buurt", 100)).has_value());
    EXPECT_EQ(BalanceOf(CommitmentName("c-buurt")), Cents{600});
}

TEST_F(BookTest, RoundsHoldIsNeitherSpentNorReleasedButByItsClose)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 600)).has_value());
    ExpectRejected(Spend("r-1", 100), Errc::postings_mismatch);
    ExpectRejected(Release("r-1", 600), Errc::postings_mismatch);
    ASSERT_TRUE(Post(Commit("c-buurt", 400)).has_value());
    ASSERT_TRUE(Post(CouncilRound("r-2", "c-buurt", 400)).has_value());
    ExpectRejected(Spend("c-buurt", 1), Errc::postings_mismatch);
    ExpectRejected(Release("c-buurt", 400), Errc::postings_mismatch);
    EXPECT_EQ(BalanceOf(CommitmentName("r-1")), Cents{600});
    EXPECT_EQ(BalanceOf(CommitmentName("c-buurt")), Cents{400});
    EXPECT_EQ(BalanceOf(SPENT), Cents{0});
}

TEST_F(BookTest, CloseSplitsTheHoldToTheWinnersAndReleasesTheRestToTheLine)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    ASSERT_TRUE(
        Post(CloseRound("r-1", "r-1", Winners("r-1", {"speeltuin", "bomen"}), 200)).has_value());
    EXPECT_EQ(BalanceOf(CommitmentName("r-1")), Cents{0});
    EXPECT_TRUE(m_book.IsResolved(CommitmentName("r-1")));
    EXPECT_EQ(BalanceOf(CommitmentName("r-1-speeltuin")), Cents{400});
    EXPECT_EQ(BalanceOf(CommitmentName("r-1-bomen")), Cents{300});
    EXPECT_FALSE(m_book.IsResolved(CommitmentName("r-1-speeltuin")));
    EXPECT_EQ(BalanceOf(LINE), Cents{300});
    EXPECT_EQ(BalanceOf("pool"), Cents{1000});
    // Opened (1) and split twice and released (3): one version per posting.
    EXPECT_EQ(m_book.StateOf(CommitmentName("r-1")).version, 4U);
    EXPECT_EQ(m_book.StateOf(LINE).version, 3U);
    // The winners' commitments are ordinary ones: spent and released as any other.
    EXPECT_TRUE(Post(Spend("r-1-bomen", 250)).has_value());
    EXPECT_TRUE(Post(Release("r-1-bomen", 50)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{350});
    // The hold stays closed.
    ExpectRejected(Release("r-1", 1), Errc::commitment_resolved);
}

TEST_F(BookTest, CloseOfACouncilRoundSplitsTheDecisionsCommitment)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-buurt", 700)).has_value());
    ASSERT_TRUE(Post(CouncilRound("r-1", "c-buurt", 700)).has_value());
    ASSERT_TRUE(
        Post(CloseRound("r-1", "c-buurt", Winners("r-1", {"speeltuin", "bomen"}), 0)).has_value());
    EXPECT_TRUE(m_book.IsResolved(CommitmentName("c-buurt")));
    EXPECT_EQ(BalanceOf(CommitmentName("c-buurt")), Cents{0});
    EXPECT_EQ(BalanceOf(CommitmentName("r-1-speeltuin")), Cents{400});
    EXPECT_EQ(BalanceOf(CommitmentName("r-1-bomen")), Cents{300});
    EXPECT_EQ(BalanceOf(LINE), Cents{300});
    EXPECT_TRUE(Post(Spend("r-1-speeltuin", 400)).has_value());
    EXPECT_EQ(BalanceOf(SPENT), Cents{400});
}

TEST_F(BookTest, AdvisoryCloseReleasesTheWholeHold)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    ExpectRejected(AdvisoryClose("r-1", "r-1", 899), Errc::postings_mismatch);
    ASSERT_TRUE(Post(AdvisoryClose("r-1", "r-1", 900)).has_value());
    EXPECT_EQ(BalanceOf(LINE), Cents{1000});
    EXPECT_EQ(BalanceOf(CommitmentName("r-1")), Cents{0});
    EXPECT_TRUE(m_book.IsResolved(CommitmentName("r-1")));
}

TEST_F(BookTest, CloseThatLeavesMoneyInTheHoldIsRefused)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    const auto winners = Winners("r-1", {"speeltuin", "bomen"});
    ExpectRejected(CloseRound("r-1", "r-1", winners, 199), Errc::postings_mismatch);
    ExpectRejected(CloseRound("r-1", "r-1", winners, 0), Errc::postings_mismatch);
    ExpectRejected(CloseRound("r-1", "r-1", winners, 201), Errc::spending_exceeds_commitment);
    EXPECT_EQ(BalanceOf(CommitmentName("r-1")), Cents{900});
    EXPECT_EQ(BalanceOf(CommitmentName("r-1-speeltuin")), Cents{0});
    EXPECT_FALSE(m_book.IsResolved(CommitmentName("r-1")));
    EXPECT_TRUE(Post(CloseRound("r-1", "r-1", winners, 200)).has_value());
}

TEST_F(BookTest, CloseCreatesNewCommitmentsOnly)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 100)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    auto onto_existing = Winners("r-1", {"speeltuin", "bomen"});
    onto_existing[1].commitment = "c-1";
    ExpectRejected(CloseRound("r-1", "r-1", onto_existing, 200), Errc::commitment_exists);
    auto onto_hold = Winners("r-1", {"speeltuin"});
    onto_hold[0].commitment = "r-1";
    ExpectRejected(CloseRound("r-1", "r-1", onto_hold, 500), Errc::postings_mismatch);
    auto twice = Winners("r-1", {"speeltuin", "bomen"});
    twice[1].commitment = twice[0].commitment;
    ExpectRejected(CloseRound("r-1", "r-1", twice, 200), Errc::commitment_exists);
    EXPECT_EQ(BalanceOf(CommitmentName("c-1")), Cents{100});
    EXPECT_EQ(BalanceOf(CommitmentName("r-1")), Cents{900});
}

TEST_F(BookTest, CloseComesFromTheRoundsOwnHold)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 500)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 300)).has_value());
    ExpectRejected(AdvisoryClose("r-1", "c-1", 500), Errc::postings_mismatch);
    EXPECT_EQ(BalanceOf(CommitmentName("c-1")), Cents{500});
    EXPECT_FALSE(m_book.IsResolved(CommitmentName("c-1")));
}

TEST_F(BookTest, RoundClosesOnce)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    ASSERT_TRUE(Post(CloseRound("r-1", "r-1", Winners("r-1", {"speeltuin"}), 500)).has_value());
    ExpectRejected(CloseRound("r-1", "r-1", Winners("r-1", {"bomen"}), 600), Errc::round_closed);
    ExpectRejected(AdvisoryClose("r-1", "r-1", 900), Errc::round_closed);
    EXPECT_EQ(BalanceOf(CommitmentName("r-1-bomen")), Cents{0});
}

TEST_F(BookTest, CloseOfARoundNeverOpenedIsRefused)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(Commit("c-1", 500)).has_value());
    ExpectRejected(AdvisoryClose("r-none", "c-1", 500), Errc::round_unknown);
    ExpectRejected(CloseRound("r-none", "c-1", Winners("r-none", {"speeltuin"}), 100),
                   Errc::round_unknown);
    EXPECT_EQ(BalanceOf(CommitmentName("c-1")), Cents{500});
}

TEST_F(BookTest, CloseReleasesToTheLineWhileTheYearIsOpen)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    const auto winners = Winners("r-1", {"speeltuin"});
    ExpectRejected(CloseRound("r-1", "r-1", winners, 500, "pool"), Errc::postings_mismatch);
    ExpectRejected(CloseRound("r-1", "r-1", winners, 500, LineOf(Year{2028})),
                   Errc::postings_mismatch);
    const std::string social = AccountName(LineAccount(COUNCIL, YEAR, BudgetCategory::social));
    ExpectRejected(CloseRound("r-1", "r-1", winners, 500, social), Errc::postings_mismatch);
    EXPECT_TRUE(Post(CloseRound("r-1", "r-1", winners, 500, LINE)).has_value());
}

TEST_F(BookTest, CloseAfterTheYearEndReleasesWhereTheLineWent)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value()); // returns to the pool at year end
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    ASSERT_TRUE(Post(CloseYear(100)).has_value());
    EXPECT_EQ(m_book.ReleaseDestination(LINE), "pool");
    const auto winners = Winners("r-1", {"speeltuin"});
    ExpectRejected(CloseRound("r-1", "r-1", winners, 500, LINE), Errc::postings_mismatch);
    ExpectRejected(CloseRound("r-1", "r-1", winners, 500, LineOf(Year{2028})),
                   Errc::postings_mismatch);
    ASSERT_TRUE(Post(CloseRound("r-1", "r-1", winners, 500, "pool")).has_value());
    EXPECT_EQ(BalanceOf("pool"), Cents{1000 - 100 - 500});
    EXPECT_EQ(BalanceOf(LINE), Cents{0});
    // The winner's commitment carried over with its line: spent on the closed year's account.
    EXPECT_TRUE(Post(Spend("r-1-speeltuin", 400)).has_value());
    EXPECT_EQ(BalanceOf(SPENT), Cents{400});
}

TEST_F(BookTest, CloseAfterTheYearEndFollowsACarriedOverLine)
{
    const std::string next_line = LineOf(Year{2028});
    ASSERT_TRUE(Post(Grant(1000, YEAR, YearEndRule::carries_over)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    ASSERT_TRUE(Post(CloseYearTo(YEAR, 100, next_line)).has_value());
    const auto winners = Winners("r-1", {"bomen"});
    ExpectRejected(CloseRound("r-1", "r-1", winners, 600, "pool"), Errc::postings_mismatch);
    ExpectRejected(CloseRound("r-1", "r-1", winners, 600, LINE), Errc::postings_mismatch);
    ASSERT_TRUE(Post(CloseRound("r-1", "r-1", winners, 600, next_line)).has_value());
    EXPECT_EQ(BalanceOf(next_line), Cents{700});
    // A winner's release later follows the same line.
    ExpectRejected(Release("r-1-bomen", 300), Errc::postings_mismatch);
    EXPECT_TRUE(Post(Release("r-1-bomen", 300, next_line)).has_value());
    EXPECT_EQ(BalanceOf(next_line), Cents{1000});
}

TEST_F(BookTest, WinnersCommitmentSpendsOnTheHoldsLine)
{
    const std::string social_line = AccountName(LineAccount(COUNCIL, YEAR, BudgetCategory::social));
    const std::string social_spent =
        AccountName(SpentAccount(COUNCIL, YEAR, BudgetCategory::social));
    ASSERT_TRUE(
        Post(Make(BudgetGranted{YEAR, BudgetCategory::social, Cents{1000}, YearEndRule::returns},
                  TransferPostings("pool", social_line, Cents{1000})))
            .has_value());
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 800, BudgetCategory::social)).has_value());
    ASSERT_TRUE(
        Post(CloseRound("r-1", "r-1", Winners("r-1", {"speeltuin", "bankjes"}), 200, social_line))
            .has_value());
    EXPECT_EQ(BalanceOf(social_line), Cents{400});
    EXPECT_EQ(BalanceOf(LINE), Cents{1000});
    // Spending lands on the spent account of the hold's line: social, 2027.
    ExpectRejected(Spend("r-1-speeltuin", 100, SPENT), Errc::postings_mismatch);
    ExpectRejected(Spend("r-1-speeltuin", 100,
                         AccountName(SpentAccount(COUNCIL, Year{2028}, BudgetCategory::social))),
                   Errc::postings_mismatch);
    ASSERT_TRUE(Post(Spend("r-1-speeltuin", 100, social_spent)).has_value());
    EXPECT_EQ(BalanceOf(social_spent), Cents{100});
    EXPECT_EQ(BalanceOf(SPENT), Cents{0});
    // And its release returns to that line.
    ExpectRejected(Release("r-1-speeltuin", 300, LINE), Errc::postings_mismatch);
    ASSERT_TRUE(Post(Release("r-1-speeltuin", 300, social_line)).has_value());
    EXPECT_EQ(BalanceOf(social_line), Cents{700});
}

TEST_F(BookTest, RefusedRoundEntriesChangeNothing)
{
    ASSERT_TRUE(Post(Grant(1000)).has_value());
    ASSERT_TRUE(Post(DistrictRound("r-1", 900)).has_value());
    const AccountState hold = m_book.StateOf(CommitmentName("r-1"));
    ExpectRejected(CloseRound("r-1", "r-1", Winners("r-1", {"speeltuin"}), 499),
                   Errc::postings_mismatch);
    EXPECT_EQ(m_book.StateOf(CommitmentName("r-1")), hold);
    EXPECT_EQ(m_book.StateOf(CommitmentName("r-1-speeltuin")), AccountState{});
    EXPECT_FALSE(m_book.IsResolved(CommitmentName("r-1")));
    // Had the refused close been recorded, the round would count as closed, and this one refused.
    EXPECT_TRUE(Post(CloseRound("r-1", "r-1", Winners("r-1", {"speeltuin"}), 500)).has_value());
}

} // namespace
} // namespace wijkbudget::ledger
