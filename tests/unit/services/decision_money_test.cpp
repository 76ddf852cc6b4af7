// Money through DecisionService: co-approval, spending with and without a second member's
// confirmation, reversal, release and the year end; balances held against the book.
#include "decisions_fixture.hpp"

namespace wijkbudget::services::decision_testing {
namespace {

using ledger::MajorityRule;
using ledger::TieRule;
using ledger::VoteChoice;

class MoneyTest : public DecisionsTest
{
protected:
    void SetUp() override
    {
        DecisionsTest::SetUp();
        SeatFive();
        SetBylaws(50, MajorityRule::simple, TieRule::rejected, 300'000, 50'000);
    }
    SpendingRequest Spending(const std::string& id, std::int64_t cents)
    {
        return {Slug{id},       Cents{cents},
                Today(),        ledger::Title{"Hoveniersbedrijf"},
                ledger::Hash{}, ledger::Description{"Factuur 2027-001"}};
    }
    DecisionService::Drafted Spend(const std::string& commitment, const std::string& id,
                                   std::int64_t cents)
    {
        return m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, Slug{commitment},
                                        Spending(id, cents));
    }
    ledger::Account Line(Year year = YEAR) const
    {
        return ledger::LineAccount(Slug{"burgwal"}, year, BudgetCategory::public_space);
    }
    ledger::Account Held(const std::string& commitment) const
    {
        return ledger::CommitmentAccount(Slug{"burgwal"}, Slug{commitment});
    }
};

TEST_F(MoneyTest, AboveTheLimitTheMunicipalityCosigns)
{
    Grant(400'000);
    const auto closed = Approve("plein", 350'000);
    const auto& decision = std::get<ledger::VoteClosed>(closed.payload);
    EXPECT_EQ(decision.result, ledger::DecisionResult::approved);
    EXPECT_FALSE(decision.commitment.has_value());
    EXPECT_FALSE(decision.commitment_refused.has_value());
    EXPECT_EQ(m_governance.FindProposal(Slug{"burgwal"}, Slug{"plein"})->status,
              ProposalStatus::awaiting_cosign);
    EXPECT_EQ(LineNow().held.value, 0);

    auto by_member = m_service.Cosign(Member("anna"), Slug{"burgwal"}, Slug{"plein"});
    ASSERT_FALSE(by_member.has_value());
    EXPECT_EQ(by_member.error().code, Errc::not_permitted);
    // Meanwhile another decision took most of the line: the co-approval fails, writing nothing.
    Approve("bankjes", 100'000);
    Refused(m_service.Cosign(m_officer, Slug{"burgwal"}, Slug{"plein"}),
            ledger::Errc::exceeds_budget_line);
    Grant(50'000);
    const auto cosigned = Ok(m_service.Cosign(m_officer, Slug{"burgwal"}, Slug{"plein"}));
    EXPECT_EQ(std::get<ledger::ApprovalCosigned>(cosigned.payload).vote.value, "v-plein");
    const auto proposal = m_governance.FindProposal(Slug{"burgwal"}, Slug{"plein"});
    EXPECT_EQ(proposal->status, ProposalStatus::committed);
    EXPECT_EQ(proposal->life.cosigned, cosigned.index);
    EXPECT_EQ(LineNow().held.value, 450'000);
    EXPECT_EQ(LineNow().available.value, 0);
    EXPECT_EQ(BookBalance(Held("plein")), 350'000);
    Refused(m_service.Cosign(m_officer, Slug{"burgwal"}, Slug{"plein"}), Errc::cosign_not_required);
    Refused(m_service.Cosign(m_officer, Slug{"burgwal"}, Slug{"bankjes"}),
            Errc::cosign_not_required);
    Refused(m_service.Cosign(m_officer, Slug{"burgwal"}, Slug{"niets"}), Errc::proposal_unknown);
}

TEST_F(MoneyTest, AboveTheConsultLimitADecisionIsSpentOnlyThroughAResidentsRound)
{
    // Residents are consulted above 100,000 cents (DESIGN.md section 5); before, the limit was
    // recorded and nothing asked for it.
    Ok(m_service.SetBylaws(m_officer, Slug{"burgwal"},
                           {50, MajorityRule::simple, TieRule::rejected, Cents{1'000'000},
                            Cents{50'000}, Cents{100'000}, 14, std::nullopt}));
    Grant(400'000);
    Approve("speeltuin", 150'000);
    Approve("bankjes", 100'000);
    Refused(Spend("speeltuin", "s-1", 1'000), Errc::residents_not_consulted);
    Ok(Spend("bankjes", "s-2", 1'000)); // At the limit, not above it.
    // A submission above the confirmation limit is refused as well, not left waiting.
    Refused(Spend("speeltuin", "s-3", 60'000), Errc::residents_not_consulted);
    // Returning the money needs no round.
    Ok(m_service.ReleaseCommitment(Treasurer(), Slug{"burgwal"}, Slug{"speeltuin"},
                                   {ledger::Description{"Geen draagvlak gezocht"}}));
}

TEST_F(MoneyTest, SpendingBelowTheLimitPostsAndAboveItWaitsForASecondMember)
{
    Grant(300'000);
    Approve("plein", 200'000);
    const auto direct = Ok(Spend("plein", "s1", 50'000)); // At the limit: posts at once.
    EXPECT_TRUE(std::holds_alternative<ledger::SpendingRecorded>(direct.payload));
    EXPECT_EQ(direct.postings[1].account.value, "spent:burgwal:2027:public_space");

    const auto submitted = Ok(Spend("plein", "s2", 50'001));
    EXPECT_TRUE(std::holds_alternative<ledger::SpendingSubmitted>(submitted.payload));
    EXPECT_TRUE(submitted.postings.empty());
    EXPECT_EQ(LineNow().spent.value, 50'000);
    Refused(Spend("plein", "s2", 60'000), Errc::submission_exists);

    Refused(m_service.ConfirmSpending(Treasurer(), Slug{"burgwal"}, Slug{"s2"}),
            Errc::confirmation_by_submitter);
    Refused(m_service.ConfirmSpending(Member("anna"), Slug{"burgwal"}, Slug{"s9"}),
            Errc::submission_unknown);
    const auto confirmed =
        Ok(m_service.ConfirmSpending(Member("anna"), Slug{"burgwal"}, Slug{"s2"}));
    const auto& recorded = std::get<ledger::SpendingRecorded>(confirmed.payload);
    EXPECT_EQ(recorded.confirms, submitted.index);
    EXPECT_EQ(recorded.amount.value, 50'001);
    EXPECT_EQ(confirmed.actor.id.value, "anna");
    Refused(m_service.ConfirmSpending(Member("bram"), Slug{"burgwal"}, Slug{"s2"}),
            Errc::already_confirmed);
    EXPECT_EQ(m_governance.FindSubmission(Slug{"burgwal"}, Slug{"s2"})->confirmed_index,
              confirmed.index);

    const auto commitment = m_governance.FindCommitment(Slug{"burgwal"}, Slug{"plein"});
    EXPECT_EQ(commitment->spent.value, 100'001);
    EXPECT_EQ(commitment->Left().value, 99'999);
    EXPECT_EQ(BookBalance(Held("plein")), 99'999);
    const auto line = LineNow();
    EXPECT_EQ(line.spent.value, 100'001);
    EXPECT_EQ(line.held.value, 99'999);
    EXPECT_EQ(line.available.value, 100'000);

    // Never more than what is left; a member who is not the treasurer records nothing.
    Refused(Spend("plein", "s3", 100'000), ledger::Errc::spending_exceeds_commitment);
    Refused(Spend("niets", "s3", 1), ledger::Errc::commitment_unknown);
    auto by_member =
        m_service.RecordSpending(Member("anna"), Slug{"burgwal"}, Slug{"plein"}, Spending("s3", 1));
    ASSERT_FALSE(by_member.has_value());
    EXPECT_EQ(by_member.error().code, Errc::not_permitted);
}

TEST_F(MoneyTest, AConfirmationChecksAgainWhatIsLeft)
{
    Grant(300'000);
    Approve("plein", 100'000);
    const auto submitted = Ok(Spend("plein", "s1", 60'000)); // Left is 100'000 now...
    EXPECT_TRUE(std::holds_alternative<ledger::SpendingSubmitted>(submitted.payload));
    Ok(Spend("plein", "s2", 50'000));
    Ok(Spend("plein", "s3", 40'000));
    // ... but only 10'000 once the other two posted.
    Refused(m_service.ConfirmSpending(Member("bram"), Slug{"burgwal"}, Slug{"s1"}),
            ledger::Errc::spending_exceeds_commitment);
}

TEST_F(MoneyTest, ATreasurerWithdrawsASubmissionNobodyConfirmedAndItCanNoLongerBeConfirmed)
{
    Grant(300'000);
    Approve("plein", 200'000);
    Ok(Spend("plein", "s1", 60'000));
    Ok(Spend("plein", "s2", 70'000));
    const ledger::Description reason{"Bedrag verkeerd ingevoerd."};
    const auto withdraw = [&](const Principal& who, const std::string& id) {
        return m_service.WithdrawSpending(who, Slug{"burgwal"}, Slug{id}, Reasoned{reason});
    };

    // A member who is not the treasurer withdraws nothing; nor does anyone an unknown one.
    auto by_member = withdraw(Member("anna"), "s1");
    ASSERT_FALSE(by_member.has_value());
    EXPECT_EQ(by_member.error().code, Errc::not_permitted);
    Refused(withdraw(Treasurer(), "s9"), Errc::submission_unknown);

    const auto withdrawn = Ok(withdraw(Treasurer(), "s1"));
    const auto& entry = std::get<ledger::SpendingWithdrawn>(withdrawn.payload);
    EXPECT_EQ(entry.spending.value, "s1");
    EXPECT_EQ(entry.reason, reason);
    EXPECT_TRUE(withdrawn.postings.empty());
    EXPECT_EQ(m_governance.FindSubmission(Slug{"burgwal"}, Slug{"s1"})->withdrawn_index,
              withdrawn.index);
    Refused(withdraw(Treasurer(), "s1"), Errc::submission_withdrawn);
    Refused(m_service.ConfirmSpending(Member("anna"), Slug{"burgwal"}, Slug{"s1"}),
            Errc::submission_withdrawn);
    // Its id stays taken: the ledger names the withdrawn submission by it.
    Refused(Spend("plein", "s1", 60'000), Errc::submission_exists);

    // A confirmed one stays: the money was paid.
    Ok(m_service.ConfirmSpending(Member("anna"), Slug{"burgwal"}, Slug{"s2"}));
    Refused(withdraw(Treasurer(), "s2"), Errc::already_confirmed);
    EXPECT_EQ(m_governance.FindCommitment(Slug{"burgwal"}, Slug{"plein"})->spent.value, 70'000);
}

TEST_F(MoneyTest, ASpendingIsReversedOnceAndTheRestReleased)
{
    Grant(300'000);
    Approve("plein", 100'000);
    const auto spent = Ok(Spend("plein", "s1", 30'000));
    const auto reason = Reasoned{ledger::Description{"Dubbel geboekt"}};
    auto by_member =
        m_service.ReverseSpending(Member("anna"), Slug{"burgwal"}, spent.index, reason);
    ASSERT_FALSE(by_member.has_value());
    EXPECT_EQ(by_member.error().code, Errc::not_permitted);
    Ok(m_service.ReverseSpending(Treasurer(), Slug{"burgwal"}, spent.index, reason));
    Refused(m_service.ReverseSpending(Treasurer(), Slug{"burgwal"}, spent.index, reason),
            ledger::Errc::spending_already_reversed);
    Refused(m_service.ReverseSpending(Treasurer(), Slug{"burgwal"}, ledger::LeafIndex{1}, reason),
            ledger::Errc::spending_unknown);
    EXPECT_TRUE(m_governance.FindSpending(spent.index)->reversed_index.has_value());
    EXPECT_EQ(LineNow().spent.value, 0);
    EXPECT_EQ(LineNow().held.value, 100'000);

    Ok(Spend("plein", "s2", 25'000));
    const auto released = Ok(m_service.ReleaseCommitment(
        Treasurer(), Slug{"burgwal"}, Slug{"plein"}, {ledger::Description{"Project klaar"}}));
    EXPECT_EQ(std::get<ledger::CommitmentReleased>(released.payload).amount.value, 75'000);
    const auto line = LineNow();
    EXPECT_EQ(line.held.value, 0);
    EXPECT_EQ(line.spent.value, 25'000);
    EXPECT_EQ(line.available.value, 275'000);
    EXPECT_EQ(line.available.value, BookBalance(Line()));
    EXPECT_TRUE(m_governance.FindCommitment(Slug{"burgwal"}, Slug{"plein"})->resolved);
    EXPECT_EQ(m_governance.FindProposal(Slug{"burgwal"}, Slug{"plein"})->life.released,
              released.index);
    Refused(m_service.ReleaseCommitment(m_officer, Slug{"burgwal"}, Slug{"plein"}, reason),
            ledger::Errc::commitment_resolved);
    Refused(Spend("plein", "s3", 1), ledger::Errc::commitment_resolved);
}

TEST_F(MoneyTest, TheTreasurersPowersGoWithTheSeatNotTheLogin)
{
    Grant(300'000);
    Approve("plein", 100'000);
    const auto spent = Ok(Spend("plein", "s1", 10'000));
    // Dirk's treasurer seat ends; he stays a member, and Eva (whose login is a treasurer's
    // now) takes the seat.
    const ledger::Date today = Today();
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"dirk"},
                            {today, ledger::MandateEndReason::resigned}));
    Ok(m_service.StartMandate(
        m_officer, Slug{"burgwal"},
        {Slug{"dirk"}, ledger::Seat::member, today, ledger::Date{today.days + 100}}));
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"eva"},
                            {today, ledger::MandateEndReason::resigned}));
    Ok(m_service.StartMandate(
        m_officer, Slug{"burgwal"},
        {Slug{"eva"}, ledger::Seat::treasurer, today, ledger::Date{today.days + 100}}));
    const auto reason = Reasoned{ledger::Description{"Dubbel geboekt"}};
    Refused(Spend("plein", "s2", 1'000), Errc::mandate_invalid);
    Refused(m_service.ReverseSpending(Treasurer(), Slug{"burgwal"}, spent.index, reason),
            Errc::mandate_invalid);
    Refused(m_service.ReleaseCommitment(Treasurer(), Slug{"burgwal"}, Slug{"plein"}, reason),
            Errc::mandate_invalid);
    const Principal eva = Member("eva", Role::treasurer);
    Ok(m_service.RecordSpending(eva, Slug{"burgwal"}, Slug{"plein"}, Spending("s3", 1'000)));
    Ok(m_service.ReverseSpending(eva, Slug{"burgwal"}, spent.index, reason));
    // Nor does Dirk confirm a spending as the treasurer he no longer is, which the ledger would
    // name him; as the member he now is, he may.
    const auto waiting =
        Ok(m_service.RecordSpending(eva, Slug{"burgwal"}, Slug{"plein"}, Spending("s4", 60'000)));
    ASSERT_TRUE(std::holds_alternative<ledger::SpendingSubmitted>(waiting.payload));
    Refused(m_service.ConfirmSpending(Treasurer(), Slug{"burgwal"}, Slug{"s4"}),
            Errc::mandate_invalid);
    const auto confirmed =
        Ok(m_service.ConfirmSpending(Member("dirk"), Slug{"burgwal"}, Slug{"s4"}));
    EXPECT_EQ(confirmed.actor.role, ledger::Role::council_member);
}

TEST_F(MoneyTest, AFullySpentCommitmentHasNothingToRelease)
{
    Grant(300'000);
    Approve("plein", 10'000);
    Ok(Spend("plein", "s1", 10'000));
    Refused(m_service.ReleaseCommitment(m_officer, Slug{"burgwal"}, Slug{"plein"},
                                        {ledger::Description{"Klaar"}}),
            Errc::nothing_to_release);
}

TEST_F(MoneyTest, ClosingTheYearReturnsOrCarriesOverAndOpenCommitmentsStay)
{
    Grant(300'000);
    Grant(80'000, YEAR, BudgetCategory::social, ledger::YearEndRule::carries_over);
    Approve("plein", 100'000);
    Ok(Spend("plein", "s1", 40'000));
    auto by_member = m_service.ClosePeriod(Member("anna"), Slug{"burgwal"}, YEAR);
    ASSERT_FALSE(by_member.has_value());
    EXPECT_EQ(by_member.error().code, Errc::not_permitted);
    Refused(CloseYear(Year{2026}), Errc::year_unknown);
    const std::uint64_t size_before = m_sealer.Size();
    const auto closed = Ok(CloseYear());
    EXPECT_EQ(closed.postings.size(), 4U);
    EXPECT_EQ(LineNow().available.value, 0);
    EXPECT_EQ(LineNow().closed_out.value, 200'000);
    EXPECT_EQ(LineNow().held.value, 60'000); // The open commitment carries over.
    const auto next = LineNow(Year{2028}, BudgetCategory::social);
    EXPECT_EQ(next.carried_in.value, 80'000);
    EXPECT_EQ(next.available.value, 80'000);
    EXPECT_EQ(next.available.value, BookBalance(ledger::LineAccount(Slug{"burgwal"}, Year{2028},
                                                                    BudgetCategory::social)));
    EXPECT_TRUE(m_governance.IsPeriodClosed(Slug{"burgwal"}, YEAR));
    // As of before the close, the year's lines still held their balances.
    for (const auto& line : m_governance.LinesAt(Slug{"burgwal"}, size_before)) {
        EXPECT_EQ(line.year, YEAR);
        EXPECT_GT(line.totals.available.value, 0);
    }

    Refused(CloseYear(), ledger::Errc::period_closed);
    // The carried-over commitment is still spent against; nothing new is decided for the year.
    Ok(Spend("plein", "s2", 10'000));
    Refused(m_service.SubmitProposal(Member("bram"), Slug{"burgwal"},
                                     {Slug{"laat"},
                                      ledger::Title{"Laat"},
                                      ledger::Description{"x"},
                                      Cents{1},
                                      YEAR,
                                      BudgetCategory::public_space,
                                      std::nullopt,
                                      {}}),
            ledger::Errc::period_closed);
}

TEST_F(MoneyTest, AYearClosesOnlyOnceItHasEndedInTheNetherlands)
{
    Grant(300'000);
    // 15 January: the council may spend the year's line for eleven more months.
    Refused(m_service.ClosePeriod(m_officer, Slug{"burgwal"}, YEAR), Errc::year_not_over);
    // 23:59:59.999 on 31 December in Haarlem, an hour earlier in UTC: still the year.
    const ledger::Timestamp next_year = StartOf(Year{YEAR.value + 1});
    m_clock.Advance(next_year.milliseconds - 1 - m_clock.Now().milliseconds);
    Refused(m_service.ClosePeriod(m_officer, Slug{"burgwal"}, YEAR), Errc::year_not_over);
    EXPECT_FALSE(m_governance.IsPeriodClosed(Slug{"burgwal"}, YEAR));
    EXPECT_EQ(LineNow().available.value, 300'000);
    m_clock.Advance(1);
    Ok(m_service.ClosePeriod(m_officer, Slug{"burgwal"}, YEAR));
    EXPECT_TRUE(m_governance.IsPeriodClosed(Slug{"burgwal"}, YEAR));
}

TEST_F(MoneyTest, ASpendingIsRecordedOnceItIsPaid)
{
    Grant(300'000);
    Approve("plein", 100'000);
    SpendingRequest tomorrow = Spending("s1", 1'000);
    tomorrow.paid_on = ledger::Date{Today().days + 1};
    Refused(m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, Slug{"plein"}, tomorrow),
            Errc::paid_on_in_future);
    EXPECT_EQ(BookBalance(Held("plein")), 100'000);
    Ok(Spend("plein", "s1", 1'000)); // Paid today.
    EXPECT_EQ(BookBalance(Held("plein")), 99'000);
}

TEST_F(MoneyTest, ASubmissionDatedAfterTodayIsConfirmedOnlyOnceThatDayHasCome)
{
    Grant(300'000);
    Approve("plein", 200'000);
    // A submission is never dated after its day since paid_on_in_future; one recorded before that
    // rule may be, and its confirmation checks the date again. Such an entry, as the ledger has it:
    const auto drafted = m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, Slug{"plein"},
                                                  Spending("s2", 50'001));
    ASSERT_TRUE(drafted.has_value());
    auto draft = (*drafted)();
    ASSERT_TRUE(draft.has_value());
    std::get<ledger::SpendingSubmitted>(draft->payload).paid_on = ledger::Date{Today().days + 1};
    ASSERT_TRUE(SealAndObserve(std::move(*draft)).has_value());
    Refused(m_service.ConfirmSpending(Member("anna"), Slug{"burgwal"}, Slug{"s2"}),
            Errc::paid_on_in_future);
    EXPECT_EQ(LineNow().spent.value, 0);
    EXPECT_EQ(BookBalance(Held("plein")), 200'000);
    m_clock.Advance(MILLISECONDS_PER_DAY);
    const auto confirmed =
        Ok(m_service.ConfirmSpending(Member("anna"), Slug{"burgwal"}, Slug{"s2"}));
    EXPECT_EQ(std::get<ledger::SpendingRecorded>(confirmed.payload).paid_on.days, Today().days);
    EXPECT_EQ(LineNow().spent.value, 50'001);
}

TEST_F(MoneyTest, AfterTheYearEndAReleaseOfAReturningLineGoesToThePool)
{
    Grant(300'000);
    Approve("plein", 100'000);
    Ok(Spend("plein", "s1", 40'000));
    Ok(CloseYear());
    Ok(Spend("plein", "s2", 10'000)); // The open commitment carried over.
    const std::uint64_t size_before = m_sealer.Size();
    const auto released = Ok(m_service.ReleaseCommitment(
        Treasurer(), Slug{"burgwal"}, Slug{"plein"}, {ledger::Description{"Klaar"}}));
    ASSERT_EQ(released.postings.size(), 2U);
    EXPECT_EQ(released.postings[0].account.value, "commitment:burgwal:plein");
    EXPECT_EQ(released.postings[1].account.value, "pool");
    EXPECT_EQ(std::get<ledger::CommitmentReleased>(released.payload).amount.value, 50'000);
    EXPECT_TRUE(m_governance.FindCommitment(Slug{"burgwal"}, Slug{"plein"})->resolved);
    EXPECT_EQ(BookBalance(ledger::PoolAccount()), 300'000 - 200'000 - 50'000);

    // Before: the closed line still held the commitment. After: nothing is held, and the release
    // counts as closed out, never as available on the closed line.
    const auto before = m_governance.LinesAt(Slug{"burgwal"}, size_before);
    ASSERT_EQ(before.size(), 1U);
    EXPECT_EQ(before[0].totals.held.value, 50'000);
    EXPECT_EQ(before[0].totals.closed_out.value, 200'000);
    const auto after = LineNow();
    EXPECT_EQ(after.held.value, 0);
    EXPECT_EQ(after.spent.value, 50'000);
    EXPECT_EQ(after.available.value, 0);
    EXPECT_EQ(after.closed_out.value, 250'000);
    EXPECT_EQ(after.available.value, BookBalance(Line()));
    EXPECT_EQ(m_governance.Lines(Slug{"burgwal"}).size(), 1U);
    Refused(m_service.ReleaseCommitment(m_officer, Slug{"burgwal"}, Slug{"plein"},
                                        {ledger::Description{"Nog eens"}}),
            ledger::Errc::commitment_resolved);
}

TEST_F(MoneyTest, AfterTheYearEndAReleaseOfACarriedOverLineGoesToNextYearsLine)
{
    Grant(300'000, YEAR, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    Approve("plein", 100'000);
    Ok(Spend("plein", "s1", 40'000));
    Ok(CloseYear());
    const std::uint64_t size_before = m_sealer.Size();
    const auto released = Ok(m_service.ReleaseCommitment(m_officer, Slug{"burgwal"}, Slug{"plein"},
                                                         {ledger::Description{"Klaar"}}));
    ASSERT_EQ(released.postings.size(), 2U);
    EXPECT_EQ(released.postings[1].account.value, "line:burgwal:2028:public_space");
    EXPECT_EQ(released.postings[1].amount.value, 60'000);

    const auto closed = LineNow();
    EXPECT_EQ(closed.granted.value, 300'000);
    EXPECT_EQ(closed.held.value, 0);
    EXPECT_EQ(closed.spent.value, 40'000);
    EXPECT_EQ(closed.available.value, 0);
    EXPECT_EQ(closed.closed_out.value, 260'000);
    const auto next = LineNow(Year{2028});
    EXPECT_EQ(next.carried_in.value, 260'000);
    EXPECT_EQ(next.available.value, 260'000);
    EXPECT_EQ(next.available.value, BookBalance(Line(Year{2028})));
    EXPECT_EQ(BookBalance(Line()), 0);

    // As of before the release, the lines stood as the year end left them.
    const auto before = m_governance.LinesAt(Slug{"burgwal"}, size_before);
    ASSERT_EQ(before.size(), 2U);
    EXPECT_EQ(before[0].year, YEAR);
    EXPECT_EQ(before[0].totals.held.value, 60'000);
    EXPECT_EQ(before[0].totals.closed_out.value, 200'000);
    EXPECT_EQ(before[1].year, Year{2028});
    EXPECT_EQ(before[1].totals.available.value, 200'000);
    EXPECT_EQ(before[1].totals.carried_in.value, 200'000);
    // Every line, at every size, adds up.
    for (std::uint64_t size = 0; size <= m_sealer.Size(); ++size) {
        for (const auto& line : m_governance.LinesAt(Slug{"burgwal"}, size)) {
            const auto& totals = line.totals;
            EXPECT_EQ(totals.granted.value + totals.carried_in.value,
                      totals.available.value + totals.held.value + totals.spent.value +
                          totals.closed_out.value)
                << "size " << size << ", year " << line.year.value;
        }
    }
}

TEST_F(MoneyTest, AReleaseFollowsTheYearEndsOverTwoClosedYears)
{
    Grant(300'000, YEAR, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    Grant(5'000, Year{2028}, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    Approve("plein", 100'000);
    Ok(CloseYear());
    Ok(CloseYear(Year{2028}));
    const auto released = Ok(m_service.ReleaseCommitment(
        Treasurer(), Slug{"burgwal"}, Slug{"plein"}, {ledger::Description{"Klaar"}}));
    EXPECT_EQ(released.postings[1].account.value, "line:burgwal:2029:public_space");
    EXPECT_EQ(LineNow().closed_out.value, 300'000);
    EXPECT_EQ(LineNow(Year{2028}).available.value, 0);
    EXPECT_EQ(LineNow(Year{2028}).closed_out.value, 205'000);
    const auto last = LineNow(Year{2029});
    EXPECT_EQ(last.carried_in.value, 305'000);
    EXPECT_EQ(last.available.value, BookBalance(Line(Year{2029})));
}

TEST_F(MoneyTest, YearsCloseInOrder)
{
    Grant(300'000, YEAR, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    Grant(5'000, Year{2028}, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    // Closed first, 2028 would make 2027 unclosable: its carry-over would post to a closed year.
    Refused(CloseYear(Year{2028}), Errc::earlier_year_open);
    Ok(CloseYear());
    Ok(CloseYear(Year{2028}));
    EXPECT_EQ(LineNow(Year{2029}).carried_in.value, 305'000);
}

TEST_F(MoneyTest, AYearLeftBehindByAnOlderLedgerHoldsUpNoLaterYear)
{
    // Before years closed in order, 2028 could close while 2027 was open; 2027 then cannot close
    // (its carry-over would post to closed 2028). 2029 and later must still close.
    Grant(300'000, YEAR, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    Grant(5'000, Year{2028});
    Grant(7'000, Year{2029});
    Municipal(ledger::PeriodClosed{Year{2028}}, Slug{"burgwal"},
              ledger::TransferPostings(Line(Year{2028}), ledger::PoolAccount(), Cents{5'000}));
    Refused(CloseYear(), ledger::Errc::period_closed);
    Ok(CloseYear(Year{2029}));
}

TEST_F(MoneyTest, AReleaseEndsInThePoolWhereALineOfTheChainReturns)
{
    Grant(300'000, YEAR, BudgetCategory::public_space, ledger::YearEndRule::carries_over);
    Approve("plein", 100'000);
    Ok(CloseYear());
    // 2028's line holds only what was carried in: without grants of its own, it returns.
    Ok(CloseYear(Year{2028}));
    EXPECT_EQ(LineNow(Year{2028}).closed_out.value, 200'000);
    const auto released = Ok(m_service.ReleaseCommitment(
        Treasurer(), Slug{"burgwal"}, Slug{"plein"}, {ledger::Description{"Klaar"}}));
    EXPECT_EQ(released.postings[1].account.value, "pool");
    EXPECT_EQ(BookBalance(ledger::PoolAccount()), 0);
    EXPECT_EQ(LineNow().held.value, 0);
    EXPECT_EQ(LineNow().closed_out.value, 300'000);
    EXPECT_EQ(LineNow(Year{2028}).carried_in.value, 200'000); // Not counted as passing through.
}

} // namespace
} // namespace wijkbudget::services::decision_testing
