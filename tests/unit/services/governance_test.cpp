// The governance projection and the non-vote use cases: mandates, bylaws, proposals, who may act
// for which council, replay, and the new error codes' names.
#include "decisions_fixture.hpp"

namespace wijkbudget::services::decision_testing {
namespace {

using ledger::MajorityRule;
using ledger::Seat;
using ledger::TieRule;

TEST_F(DecisionsTest, MandatesSeatMembersForTheirTerm)
{
    Seat("anna", Seat::chair);
    const auto mandates = m_governance.Mandates(Slug{"burgwal"});
    ASSERT_EQ(mandates.size(), 1U);
    EXPECT_TRUE(mandates[0].SeatedOn(Today()));
    EXPECT_FALSE(mandates[0].SeatedOn(ledger::Date{mandates[0].until.days + 1}));

    const MandateStart overlapping{Slug{"anna"}, Seat::member, Today(), Today()};
    Refused(m_service.StartMandate(m_officer, Slug{"burgwal"}, overlapping), Errc::mandate_exists);
    // A term that ends before it begins is refused before anything is kept (the API keeps the
    // member's name once the draft is made).
    const MandateStart backwards{Slug{"bram"}, Seat::member, Today(),
                                 ledger::Date{Today().days - 1}};
    Refused(m_service.StartMandate(m_officer, Slug{"burgwal"}, backwards),
            ledger::Errc::field_invalid);
    const MandateStart second_chair{Slug{"bram"}, Seat::chair, Today(), Today()};
    Refused(m_service.StartMandate(m_officer, Slug{"burgwal"}, second_chair), Errc::seat_taken);
    Refused(m_service.StartMandate(m_officer, Slug{"nergens"}, second_chair),
            Errc::council_unknown);
    auto by_member = m_service.StartMandate(Member("anna"), Slug{"burgwal"}, second_chair);
    ASSERT_FALSE(by_member.has_value());
    EXPECT_EQ(by_member.error().code, Errc::not_permitted);

    const MandateEnd resign{ledger::Date{Today().days + 1}, ledger::MandateEndReason::resigned};
    Refused(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"bram"}, resign),
            Errc::member_unknown);
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"anna"}, resign));
    Refused(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"anna"}, resign),
            Errc::mandate_invalid);
    // Seated today still, not from the end date on; then the chair is free again.
    EXPECT_TRUE(m_governance.IsSeated(Slug{"burgwal"}, Slug{"anna"}, Today()));
    EXPECT_FALSE(m_governance.IsSeated(Slug{"burgwal"}, Slug{"anna"}, resign.on));
    const MandateStart next_chair{Slug{"bram"}, Seat::chair, resign.on, Today()};
    Refused(m_service.StartMandate(m_officer, Slug{"burgwal"}, next_chair),
            ledger::Errc::field_invalid); // until before from: the ledger's own check.
    // Refused before any draft: the body alone shows it, so its Idempotency-Key stays free.
    EXPECT_FALSE(m_service.StartMandate(m_officer, Slug{"burgwal"}, next_chair).has_value());
    Ok(m_service.StartMandate(
        m_officer, Slug{"burgwal"},
        {Slug{"bram"}, Seat::chair, resign.on, ledger::Date{resign.on.days + 9}}));
}

TEST_F(DecisionsTest, EndingAMandateEndsTheTermInForceNotOneRecordedForLater)
{
    // Anna's next term is recorded in advance, after her current one; she resigns now.
    const ledger::Date today = Today();
    Ok(m_service.StartMandate(m_officer, Slug{"burgwal"},
                              {Slug{"anna"}, Seat::member, ledger::Date{today.days - 30},
                               ledger::Date{today.days + 300}}));
    const ledger::Date next_from{today.days + 301};
    Ok(m_service.StartMandate(
        m_officer, Slug{"burgwal"},
        {Slug{"anna"}, Seat::member, next_from, ledger::Date{next_from.days + 1000}}));
    const MandateEnd resign{ledger::Date{today.days + 1}, ledger::MandateEndReason::resigned};
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"anna"}, resign));
    EXPECT_FALSE(m_governance.IsSeated(Slug{"burgwal"}, Slug{"anna"}, resign.on));
    // The later term still stands, and is the one a second end would end.
    EXPECT_TRUE(m_governance.IsSeated(Slug{"burgwal"}, Slug{"anna"}, next_from));
    const auto mandates = m_governance.Mandates(Slug{"burgwal"});
    ASSERT_EQ(mandates.size(), 2U);
    EXPECT_TRUE(mandates[0].ended_on.has_value());
    EXPECT_FALSE(mandates[1].ended_on.has_value());
}

TEST_F(DecisionsTest, BylawsAreVersionedAndLotIsRefused)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    auto lot = m_service.SetBylaws(m_officer, Slug{"burgwal"},
                                   {50, MajorityRule::simple, TieRule::lot, Cents{1}, Cents{1},
                                    std::nullopt, 14, std::nullopt});
    ASSERT_FALSE(lot.has_value());
    EXPECT_EQ(lot.error().code, Errc::tie_rule_unsupported);
    // Only the municipality sets them: they hold the limits that guard the council's money from
    // the council itself. A seated member (who could otherwise lower the quorum, raise the limits
    // and approve alone) and the treasurer are refused, and nothing is recorded.
    for (const auto& caller : {Member("anna"), Treasurer()}) {
        auto refused = m_service.SetBylaws(caller, Slug{"burgwal"},
                                           {1, MajorityRule::simple, TieRule::rejected, Cents{5},
                                            Cents{5}, std::nullopt, 30, std::nullopt});
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error().code, Errc::not_permitted);
    }
    EXPECT_EQ(m_governance.BylawsHistory(Slug{"burgwal"}).size(), 1U);
    Ok(m_service.SetBylaws(m_officer, Slug{"burgwal"},
                           {60, MajorityRule::two_thirds, TieRule::chair_decides, Cents{5},
                            Cents{5}, Cents{7}, 30, std::nullopt}));
    const auto history = m_governance.BylawsHistory(Slug{"burgwal"});
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[1].rules.version, 2U);
    EXPECT_EQ(history[1].set_by.id.value, m_officer.member.value);
    EXPECT_EQ(m_governance.BylawsInForce(Slug{"burgwal"})->rules.quorum_percent, 60U);
    EXPECT_EQ(m_governance.BylawsVersion(Slug{"burgwal"}, 1)->rules.quorum_percent, 50U);
}

TEST_F(DecisionsTest, ProposalsChangeOnlyByTheirSubmitterWhileOpen)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100);
    Refused(m_service.SubmitProposal(Member("cas"), Slug{"burgwal"},
                                     {Slug{"bankjes"},
                                      ledger::Title{"Ander"},
                                      ledger::Description{"x"},
                                      Cents{1},
                                      YEAR,
                                      BudgetCategory::social,
                                      std::nullopt,
                                      {}}),
            Errc::proposal_exists);
    const ProposalAmendment amendment{ledger::Title{"Drie bankjes"},
                                      ledger::Description{"Meer"},
                                      Cents{150},
                                      ledger::Title{"Buurtvereniging"},
                                      {}};
    Refused(m_service.AmendProposal(Member("cas"), Slug{"burgwal"}, Slug{"bankjes"}, amendment),
            Errc::not_submitter);
    Refused(m_service.AmendProposal(Member("bram"), Slug{"burgwal"}, Slug{"niets"}, amendment),
            Errc::proposal_unknown);
    const auto amended =
        Ok(m_service.AmendProposal(Member("bram"), Slug{"burgwal"}, Slug{"bankjes"}, amendment));
    auto proposal = m_governance.FindProposal(Slug{"burgwal"}, Slug{"bankjes"});
    EXPECT_EQ(proposal->amount.value, 150);
    EXPECT_EQ(proposal->beneficiary->value, "Buurtvereniging");
    ASSERT_EQ(proposal->life.amended.size(), 1U);
    EXPECT_EQ(proposal->life.amended[0], amended.index);

    Open("v1", "bankjes");
    Refused(m_service.AmendProposal(Member("bram"), Slug{"burgwal"}, Slug{"bankjes"}, amendment),
            Errc::proposal_not_open);
    const Reasoned reason{ledger::Description{"Niet meer nodig"}};
    Refused(m_service.WithdrawProposal(Member("bram"), Slug{"burgwal"}, Slug{"bankjes"}, reason),
            Errc::proposal_not_open);

    Submit("tegels", 100, "cas");
    Ok(m_service.WithdrawProposal(Member("cas"), Slug{"burgwal"}, Slug{"tegels"}, reason));
    EXPECT_EQ(m_governance.FindProposal(Slug{"burgwal"}, Slug{"tegels"})->status,
              ProposalStatus::withdrawn);
    Refused(m_service.WithdrawProposal(Member("cas"), Slug{"burgwal"}, Slug{"tegels"}, reason),
            Errc::proposal_not_open);
    EXPECT_EQ(m_governance.Proposals(Slug{"burgwal"}).size(), 2U);
    EXPECT_EQ(SpellingOf(ProposalStatus::awaiting_cosign), "awaiting_cosign");
}

TEST_F(DecisionsTest, MembersWithoutAMandateOrOfAnotherCouncilAreRefused)
{
    SeatFive();
    const ProposalSubmission submission{Slug{"p"},
                                        ledger::Title{"P"},
                                        ledger::Description{"x"},
                                        Cents{1},
                                        YEAR,
                                        BudgetCategory::social,
                                        std::nullopt,
                                        {}};
    Refused(m_service.SubmitProposal(Member("fien"), Slug{"burgwal"}, submission),
            Errc::mandate_invalid);
    auto elsewhere = m_service.SubmitProposal(Member("anna", ledger::Role::council_member, "oost"),
                                              Slug{"burgwal"}, submission);
    ASSERT_FALSE(elsewhere.has_value());
    EXPECT_EQ(elsewhere.error().code, Errc::not_permitted);
    auto no_council =
        m_service.SubmitProposal({"t", ledger::Role::council_member, Slug{"anna"}, std::nullopt},
                                 Slug{"burgwal"}, submission);
    ASSERT_FALSE(no_council.has_value());
    EXPECT_EQ(no_council.error().code, Errc::not_permitted);
    auto by_officer = m_service.SubmitProposal(m_officer, Slug{"burgwal"}, submission);
    ASSERT_FALSE(by_officer.has_value());
    EXPECT_EQ(by_officer.error().code, Errc::not_permitted);
    Refused(m_service.SubmitProposal(Member("anna", ledger::Role::council_member, "nergens"),
                                     Slug{"nergens"}, submission),
            Errc::council_unknown);
}

TEST_F(DecisionsTest, ReplayRebuildsTheSameProjection)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Grant(500'000);
    Approve("bankjes", 200'000);
    Ok(m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, Slug{"bankjes"},
                                {Slug{"s1"}, Cents{1'000}, Today(), ledger::Title{"Smid"},
                                 ledger::Hash{}, ledger::Description{"Bankje"}}));
    const auto lines = m_governance.Lines(Slug{"burgwal"});
    const auto vote = m_governance.FindVote(Slug{"burgwal"}, Slug{"v-bankjes"});
    const std::uint64_t middle = m_sealer.Size() / 2;
    const auto lines_middle = m_governance.LinesAt(Slug{"burgwal"}, middle);
    m_governance.Reset();
    EXPECT_EQ(m_governance.Size(), 0U);
    EXPECT_TRUE(m_governance.Lines(Slug{"burgwal"}).empty());
    for (const auto& entry : m_entries)
        m_governance.Observe(entry);
    ASSERT_EQ(m_governance.Lines(Slug{"burgwal"}).size(), lines.size());
    EXPECT_EQ(m_governance.Lines(Slug{"burgwal"})[0].totals, lines[0].totals);
    EXPECT_EQ(m_governance.LinesAt(Slug{"burgwal"}, middle).size(), lines_middle.size());
    const auto replayed = m_governance.FindVote(Slug{"burgwal"}, Slug{"v-bankjes"});
    EXPECT_EQ(replayed->ballots.size(), vote->ballots.size());
    EXPECT_EQ(replayed->decision, vote->decision);
    EXPECT_EQ(m_governance.Spendings(Slug{"burgwal"}).size(), 1U);
    EXPECT_EQ(m_governance.Commitments(Slug{"burgwal"}).size(), 1U);
}

TEST_F(DecisionsTest, EntriesAreDatedNeverBeforeTheLastOne)
{
    SeatFive();
    m_clock.Advance(-HOUR_MILLISECONDS); // Another server's clock, an hour behind.
    Submit("bankjes", 100);
    EXPECT_EQ(m_entries.back().recorded_at, m_entries[m_entries.size() - 2].recorded_at);
}

TEST(DecisionErrcTest, EveryNewCodeHasAStableNameAndMessage)
{
    for (int value = static_cast<int>(Errc::member_unknown);
         value <= static_cast<int>(Errc::year_unknown); ++value) {
        const auto code = make_error_code(static_cast<Errc>(value));
        EXPECT_NE(CodeName(static_cast<Errc>(value)), "unknown") << value;
        EXPECT_EQ(code.message().find("unknown error"), std::string::npos) << value;
    }
    EXPECT_EQ(CodeName(Errc::confirmation_by_submitter), "confirmation_by_submitter");
    EXPECT_EQ(CodeName(Errc::too_few_members), "too_few_members");
}

} // namespace
} // namespace wijkbudget::services::decision_testing
