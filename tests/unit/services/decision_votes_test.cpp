// Roll-call votes through DecisionService: who may vote when, recusals, mandates that end during
// a vote, ties, closing, and the decision with its commitment.
#include "decisions_fixture.hpp"

namespace wijkbudget::services::decision_testing {
namespace {

using ledger::DecisionResult;
using ledger::MajorityRule;
using ledger::TieRule;
using ledger::VoteChoice;

const ledger::VoteClosed& DecisionOf(const ledger::Entry& entry)
{
    return std::get<ledger::VoteClosed>(entry.payload);
}

TEST_F(DecisionsTest, ApprovedDecisionHoldsTheAmountOnTheLine)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Grant(500'000);
    Submit("bankjes", 200'000);
    Open("v1", "bankjes");
    const auto opened = m_governance.FindVote(Slug{"burgwal"}, Slug{"v1"});
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->electorate.size(), 5U);
    EXPECT_EQ(opened->electorate.front().value, "anna"); // Sorted.
    const std::uint64_t size_before = m_sealer.Size();
    Ok(Cast("anna", "v1", VoteChoice::in_favour));
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    Ok(Cast("cas", "v1", VoteChoice::against));
    const auto closed = CloseAtDeadline("v1");
    const auto& decision = DecisionOf(closed);
    EXPECT_EQ(decision.result, DecisionResult::approved);
    EXPECT_TRUE(decision.quorum_met);
    EXPECT_EQ(decision.votes_for, 2U);
    EXPECT_EQ(decision.votes_against, 1U);
    EXPECT_EQ(decision.abstentions, 0U);
    EXPECT_EQ(decision.bylaws_version, 1U);
    ASSERT_TRUE(decision.commitment.has_value());
    EXPECT_EQ(decision.commitment->value, "bankjes");
    EXPECT_FALSE(decision.commitment_refused.has_value());
    ASSERT_EQ(closed.postings.size(), 2U);
    EXPECT_EQ(closed.postings[1].account.value, "commitment:burgwal:bankjes");

    const auto proposal = m_governance.FindProposal(Slug{"burgwal"}, Slug{"bankjes"});
    EXPECT_EQ(proposal->status, ProposalStatus::committed);
    EXPECT_EQ(proposal->life.vote_closed, closed.index);
    const auto line = LineNow();
    EXPECT_EQ(line.granted.value, 500'000);
    EXPECT_EQ(line.held.value, 200'000);
    EXPECT_EQ(line.available.value, 300'000);
    EXPECT_EQ(line.available.value, BookBalance(ledger::LineAccount(Slug{"burgwal"}, YEAR,
                                                                    BudgetCategory::public_space)));
    // As of the ledger before the decision, nothing was held yet.
    const auto before = m_governance.LinesAt(Slug{"burgwal"}, size_before);
    ASSERT_EQ(before.size(), 1U);
    EXPECT_EQ(before[0].totals.available.value, 500'000);
    EXPECT_EQ(before[0].totals.held.value, 0);
    EXPECT_TRUE(m_governance.LinesAt(Slug{"burgwal"}, 2).empty()); // Before the grant.
}

TEST_F(DecisionsTest, ACouncilNeedsThreeSeatedMembersToOpenAVote)
{
    Seat("anna", ledger::Seat::chair);
    Seat("bram");
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100);
    Refused(m_service.OpenVote(Member("anna"), Slug{"burgwal"},
                               {Slug{"v1"}, Slug{"bankjes"}, InDays(7)}),
            Errc::too_few_members);
    Seat("cas");
    Open("v1", "bankjes");
}

TEST_F(DecisionsTest, OpeningAVoteNeedsBylawsAFutureDeadlineWithinTheLimitAndAnOpenProposal)
{
    SeatFive();
    Submit("bankjes", 100);
    const auto open = [&](const std::string& vote, const std::string& proposal,
                          ledger::Timestamp closes_at) {
        return m_service.OpenVote(Member("anna"), Slug{"burgwal"},
                                  {Slug{vote}, Slug{proposal}, closes_at});
    };
    Refused(open("v1", "bankjes", InDays(7)), Errc::bylaws_missing);
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Refused(open("v1", "bankjes", m_clock.Now()), Errc::closes_at_passed);
    Refused(open("v1", "bankjes", ledger::Timestamp{InDays(14).milliseconds + 1}),
            Errc::voting_period_too_long);
    Refused(open("v1", "nothing", InDays(7)), Errc::proposal_unknown);
    Ok(open("v1", "bankjes", InDays(14)));
    Refused(open("v1", "bankjes", InDays(7)), Errc::proposal_not_open);
    Submit("tegels", 100);
    Refused(open("v1", "tegels", InDays(7)), Errc::vote_exists);
    Refused(m_service.CastVote(Member("anna"), Slug{"burgwal"}, Slug{"v9"}, {VoteChoice::abstain}),
            Errc::vote_unknown);
    // A member of another council, and a resident, are refused before anything is sequenced.
    auto other = m_service.OpenVote(Member("olga", Role::council_member, "oost"), Slug{"burgwal"},
                                    {Slug{"v2"}, Slug{"tegels"}, InDays(7)});
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().code, Errc::not_permitted);
    auto resident = m_service.OpenVote({"t", Role::resident, Slug{"r"}, Slug{"burgwal"}},
                                       Slug{"burgwal"}, {Slug{"v2"}, Slug{"tegels"}, InDays(7)});
    ASSERT_FALSE(resident.has_value());
    EXPECT_EQ(resident.error().code, Errc::not_permitted);
}

TEST_F(DecisionsTest, AVotingPeriodCountsDaysAsDutchClocksDoAcrossTheClockChange)
{
    SeatFive();
    Submit("bankjes", 100);
    SetBylaws(50, MajorityRule::simple, TieRule::rejected); // At most 14 days.
    // Opened on 20 October 2027 at 20:00 summer time (18:00 UTC). Fourteen days later, on
    // 3 November at 20:00, it is winter time (19:00 UTC): 14 days and an hour by UTC.
    constexpr std::int64_t OCTOBER_20_AT_EIGHT{1'824'055'200'000};
    constexpr ledger::Timestamp NOVEMBER_3_AT_EIGHT{1'825'268'400'000};
    m_clock.Advance(OCTOBER_20_AT_EIGHT - m_clock.Now().milliseconds);
    const auto open = [&](ledger::Timestamp closes_at) {
        return m_service.OpenVote(Member("anna"), Slug{"burgwal"},
                                  {Slug{"v1"}, Slug{"bankjes"}, closes_at});
    };
    Refused(open(ledger::Timestamp{NOVEMBER_3_AT_EIGHT.milliseconds + 1}),
            Errc::voting_period_too_long);
    Ok(open(NOVEMBER_3_AT_EIGHT));
}

TEST_F(DecisionsTest, AVoteLastsAtLeastTheBylawsShortestPeriod)
{
    SeatFive();
    Submit("bankjes", 100);
    const auto bylaws = [&](std::optional<std::uint64_t> hours_min) {
        return m_service.SetBylaws(m_officer, Slug{"burgwal"},
                                   {50, MajorityRule::simple, TieRule::rejected, Cents{1'000'000},
                                    Cents{50'000}, std::nullopt, 14, hours_min});
    };
    // Within the longest period, or no vote could ever open.
    Refused(bylaws(14 * 24 + 1), ledger::Errc::field_invalid);
    Refused(bylaws(0), ledger::Errc::field_invalid);
    Ok(bylaws(72));
    const auto open = [&](ledger::Timestamp closes_at) {
        return m_service.OpenVote(Member("bram"), Slug{"burgwal"},
                                  {Slug{"v-bankjes"}, Slug{"bankjes"}, closes_at});
    };
    // Minutes away, nobody could vote: the vote would close without quorum and reject.
    Refused(open(ledger::Timestamp{m_clock.Now().milliseconds + 10 * 60 * 1000}),
            Errc::voting_period_too_short);
    Refused(open(ledger::Timestamp{InDays(3).milliseconds - 1}), Errc::voting_period_too_short);
    Ok(open(InDays(3)));
    // Bylaws without the field, as set before it existed: no shortest period.
    Submit("tegels", 100);
    Ok(bylaws(std::nullopt));
    Ok(m_service.OpenVote(Member("bram"), Slug{"burgwal"},
                          {Slug{"v-tegels"}, Slug{"tegels"},
                           ledger::Timestamp{m_clock.Now().milliseconds + 60'000}}));
}

TEST_F(DecisionsTest, DoubleVotesVotesAfterClosingAndOutsidersAreRefused)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    Refused(Cast("bram", "v1", VoteChoice::against), Errc::already_voted);
    // Seated after the vote opened: not in its electorate.
    Seat("fien");
    Refused(Cast("fien", "v1", VoteChoice::in_favour), Errc::not_in_electorate);
    // After the deadline no vote is taken, even before anyone closes it.
    m_clock.Advance(7 * MILLISECONDS_PER_DAY);
    Refused(Cast("cas", "v1", VoteChoice::in_favour), Errc::vote_closed);
    Ok(m_service.CloseVote(Member("cas"), Slug{"burgwal"}, Slug{"v1"}));
    Refused(Cast("eva", "v1", VoteChoice::in_favour), Errc::vote_closed);
    Refused(m_service.CloseVote(Member("anna"), Slug{"burgwal"}, Slug{"v1"}), Errc::vote_closed);
}

TEST_F(DecisionsTest, AMandateEndingDuringTheVoteLeavesTheMemberAbsent)
{
    Seat("anna", ledger::Seat::chair);
    Seat("bram");
    Seat("cas");
    Seat("eva");
    SetBylaws(75, MajorityRule::simple, TieRule::rejected);
    Grant(1'000);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("anna", "v1", VoteChoice::in_favour));
    Ok(Cast("cas", "v1", VoteChoice::in_favour));
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"bram"},
                            {Today(), ledger::MandateEndReason::resigned}));
    Refused(Cast("bram", "v1", VoteChoice::in_favour), Errc::mandate_invalid);
    Ok(Cast("eva", "v1", VoteChoice::against));
    const auto closed = CloseAtDeadline("v1");
    const auto& decision = DecisionOf(closed);
    // Bram stays in the electorate and counts as absent: 3 of 4 present is exactly 75 %.
    EXPECT_EQ(decision.electorate.items.size(), 4U);
    EXPECT_TRUE(decision.quorum_met);
    EXPECT_EQ(decision.result, DecisionResult::approved);
}

TEST_F(DecisionsTest, AnAbsentMemberWhoseMandateEndedCostsTheQuorum)
{
    Seat("anna", ledger::Seat::chair);
    Seat("bram");
    Seat("cas");
    Seat("eva");
    SetBylaws(75, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("anna", "v1", VoteChoice::in_favour));
    Ok(Cast("cas", "v1", VoteChoice::in_favour));
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"bram"},
                            {Today(), ledger::MandateEndReason::resigned}));
    Refused(Cast("bram", "v1", VoteChoice::in_favour), Errc::mandate_invalid);
    const auto closed = CloseAtDeadline("v1");
    EXPECT_FALSE(DecisionOf(closed).quorum_met); // 2 of 4.
    EXPECT_EQ(DecisionOf(closed).result, DecisionResult::rejected);
    EXPECT_TRUE(closed.postings.empty());
    EXPECT_EQ(m_governance.FindProposal(Slug{"burgwal"}, Slug{"bankjes"})->status,
              ProposalStatus::rejected);
}

TEST_F(DecisionsTest, RecusedMembersCannotVoteAndLeaveTheElectorate)
{
    Seat("anna", ledger::Seat::chair);
    Seat("bram");
    Seat("cas");
    Seat("eva");
    SetBylaws(60, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    const auto recuse = [&](const std::string& member) {
        return m_service.Recuse(Member(member), Slug{"burgwal"}, Slug{"v1"},
                                {ledger::Description{"Mijn broer levert de bankjes"}});
    };
    Refused(recuse("bram"), Errc::already_voted);
    Ok(recuse("cas"));
    Refused(recuse("cas"), Errc::recused);
    Refused(Cast("cas", "v1", VoteChoice::in_favour), Errc::recused);
    Ok(Cast("anna", "v1", VoteChoice::abstain));
    const auto closed = CloseAtDeadline("v1");
    const auto& decision = DecisionOf(closed);
    // 2 present of 3 (4 seated, 1 recused) is 67 % >= 60 %; without the recusal 50 % would not be.
    ASSERT_EQ(decision.recused.items.size(), 1U);
    EXPECT_EQ(decision.recused.items[0].value, "cas");
    EXPECT_TRUE(decision.quorum_met);
    EXPECT_EQ(decision.result, DecisionResult::approved);
    EXPECT_EQ(decision.commitment_refused->value, "exceeds_budget_line"); // No grant yet.
}

TEST_F(DecisionsTest, TieIsDecidedByTheChairOnlyUnderChairDecides)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::chair_decides);
    Grant(1'000);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("anna", "v1", VoteChoice::in_favour)); // The chair.
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    Ok(Cast("cas", "v1", VoteChoice::against));
    Ok(Cast("eva", "v1", VoteChoice::against));
    const auto first = CloseAtDeadline("v1");
    EXPECT_EQ(DecisionOf(first).result, DecisionResult::approved);
    EXPECT_EQ(DecisionOf(first).tie_rule, TieRule::chair_decides);

    // The chair abstains in a tie: no casting vote.
    Submit("tegels", 100);
    Open("v2", "tegels");
    Ok(Cast("anna", "v2", VoteChoice::abstain));
    Ok(Cast("bram", "v2", VoteChoice::in_favour));
    Ok(Cast("cas", "v2", VoteChoice::against));
    const auto second = CloseAtDeadline("v2");
    EXPECT_EQ(DecisionOf(second).result, DecisionResult::rejected);

    // Under the rejecting tie rule (bylaws version 2) the same tie with the chair for fails.
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Submit("lampen", 100);
    Open("v3", "lampen");
    Ok(Cast("anna", "v3", VoteChoice::in_favour));
    Ok(Cast("cas", "v3", VoteChoice::against));
    Ok(Cast("eva", "v3", VoteChoice::abstain));
    const auto third = CloseAtDeadline("v3");
    EXPECT_EQ(DecisionOf(third).bylaws_version, 2U);
    EXPECT_EQ(DecisionOf(third).result, DecisionResult::rejected);
}

TEST_F(DecisionsTest, ABackdatedEndChangesNeitherTheChairNorTheCountOfAVoteAlreadyOpen)
{
    // A resignation reported late: both the chair's and a voter's terms end before the day the
    // vote opened. The vote is judged by the ledger as it stood when it opened: the chair keeps
    // the casting vote and bram's ballot stays counted; the later entries show the correction.
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::chair_decides);
    Grant(1'000);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("anna", "v1", VoteChoice::in_favour)); // The chair.
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    Ok(Cast("cas", "v1", VoteChoice::against));
    Ok(Cast("eva", "v1", VoteChoice::against));
    const MandateEnd backdated{ledger::Date{Today().days - 1}, ledger::MandateEndReason::resigned};
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"anna"}, backdated));
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"bram"}, backdated));
    const auto vote = m_governance.FindVote(Slug{"burgwal"}, Slug{"v1"});
    ASSERT_TRUE(vote.has_value());
    EXPECT_EQ(m_governance.ChairWhenOpened(*vote), Slug{"anna"});
    m_clock.Advance(7 * MILLISECONDS_PER_DAY);
    const auto closed = Ok(m_service.CloseVote(m_system, Slug{"burgwal"}, Slug{"v1"}));
    EXPECT_EQ(DecisionOf(closed).votes_for, 2U);
    EXPECT_EQ(DecisionOf(closed).electorate.items.size(), 5U);
    EXPECT_EQ(DecisionOf(closed).result, DecisionResult::approved);
}

TEST_F(DecisionsTest, AnAbsoluteMajorityCountsTheRecusedSeats)
{
    SeatFive();
    Seat("fay");
    Seat("gijs");
    SetBylaws(50, MajorityRule::absolute, TieRule::rejected);
    Grant(1'000);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    for (const char* member : {"cas", "eva", "fay"}) {
        Ok(m_service.Recuse(Member(member), Slug{"burgwal"}, Slug{"v1"},
                            {ledger::Description{"Belang bij de leverancier"}}));
    }
    Ok(Cast("anna", "v1", VoteChoice::in_favour));
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    Ok(Cast("dirk", "v1", VoteChoice::in_favour));
    Ok(Cast("gijs", "v1", VoteChoice::against));
    const auto closed = Ok(m_service.CloseVote(Member("anna"), Slug{"burgwal"}, Slug{"v1"}));
    // 3 for of 7 seated is no absolute majority, though 3 of the 4 not recused are.
    EXPECT_TRUE(DecisionOf(closed).quorum_met);
    EXPECT_EQ(DecisionOf(closed).result, DecisionResult::rejected);
}

TEST_F(DecisionsTest, OnlyTheOpenerClosesBeforeTheDeadline)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100);
    Open("v1", "bankjes", "bram");
    Refused(m_service.CloseVote(Member("anna"), Slug{"burgwal"}, Slug{"v1"}),
            Errc::vote_still_open);
    Refused(m_service.CloseVote(m_system, Slug{"burgwal"}, Slug{"v1"}), Errc::vote_still_open);
    m_clock.Advance(7 * MILLISECONDS_PER_DAY);
    const auto closed = Ok(m_service.CloseVote(m_system, Slug{"burgwal"}, Slug{"v1"}));
    EXPECT_EQ(closed.actor.role, Role::system);
    EXPECT_FALSE(DecisionOf(closed).quorum_met); // Nobody voted.
    auto officer = m_service.CloseVote(m_officer, Slug{"burgwal"}, Slug{"v1"});
    ASSERT_FALSE(officer.has_value());
    EXPECT_EQ(officer.error().code, Errc::not_permitted);
}

TEST_F(DecisionsTest, TheOpenerClosesEarlyOnlyOnceEveryMemberHasVotedOrRecused)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Grant(1'000);
    Submit("bankjes", 100);
    Open("v1", "bankjes", "bram");
    // Before, the opener could close as soon as their own side had voted: 3-0 approved.
    for (const char* member : {"anna", "bram", "cas"})
        Ok(Cast(member, "v1", VoteChoice::in_favour));
    Refused(m_service.CloseVote(Member("bram"), Slug{"burgwal"}, Slug{"v1"}),
            Errc::vote_still_open);
    Ok(Cast("dirk", "v1", VoteChoice::against));
    Refused(m_service.CloseVote(Member("bram"), Slug{"burgwal"}, Slug{"v1"}),
            Errc::vote_still_open);
    Ok(m_service.Recuse(Member("eva"), Slug{"burgwal"}, Slug{"v1"},
                        {ledger::Description{"Mijn zus levert de bankjes"}}));
    // Nobody is left whose vote could change the outcome; others still wait for the deadline.
    Refused(m_service.CloseVote(Member("anna"), Slug{"burgwal"}, Slug{"v1"}),
            Errc::vote_still_open);
    const auto closed = Ok(m_service.CloseVote(Member("bram"), Slug{"burgwal"}, Slug{"v1"}));
    EXPECT_EQ(DecisionOf(closed).votes_for, 3U);
    EXPECT_EQ(DecisionOf(closed).votes_against, 1U);
}

TEST_F(DecisionsTest, TheSubmitterOrTheChairPutsAProposalToTheVote)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100, "bram");
    // Another member could set a deadline nobody saw coming and have it rejected for lack of a
    // quorum, for good.
    Refused(m_service.OpenVote(Member("cas"), Slug{"burgwal"},
                               {Slug{"v-cas"}, Slug{"bankjes"}, InDays(VOTE_DAYS)}),
            Errc::not_submitter);
    EXPECT_FALSE(m_governance.FindVote(Slug{"burgwal"}, Slug{"v-cas"}).has_value());
    Open("v-bram", "bankjes", "bram");
    Submit("tegels", 100, "cas");
    Open("v-anna", "tegels", "anna"); // The chair.
}

TEST_F(DecisionsTest, MajorityRulesOfTheBylawsApply)
{
    SeatFive();
    SetBylaws(40, MajorityRule::absolute, TieRule::rejected);
    Grant(1'000);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("anna", "v1", VoteChoice::in_favour));
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    Ok(Cast("cas", "v1", VoteChoice::abstain));
    // 2 of 5 seats is no absolute majority, though nobody was against.
    const auto closed = CloseAtDeadline("v1");
    EXPECT_EQ(DecisionOf(closed).result, DecisionResult::rejected);
    EXPECT_EQ(DecisionOf(closed).majority, MajorityRule::absolute);

    SetBylaws(40, MajorityRule::two_thirds, TieRule::rejected);
    Submit("tegels", 100);
    Open("v2", "tegels");
    Ok(Cast("anna", "v2", VoteChoice::in_favour));
    Ok(Cast("bram", "v2", VoteChoice::in_favour));
    Ok(Cast("cas", "v2", VoteChoice::against));
    Ok(Cast("eva", "v2", VoteChoice::abstain));
    const auto two_thirds = CloseAtDeadline("v2");
    EXPECT_EQ(DecisionOf(two_thirds).result, DecisionResult::approved);
}

TEST_F(DecisionsTest, ApprovalOnAShortLineRecordsWhyThereIsNoCommitment)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Grant(100);
    const auto closed = Approve("bankjes", 101);
    EXPECT_EQ(DecisionOf(closed).result, DecisionResult::approved);
    EXPECT_FALSE(DecisionOf(closed).commitment.has_value());
    EXPECT_EQ(DecisionOf(closed).commitment_refused->value, "exceeds_budget_line");
    EXPECT_TRUE(closed.postings.empty());
    const auto proposal = m_governance.FindProposal(Slug{"burgwal"}, Slug{"bankjes"});
    EXPECT_EQ(proposal->status, ProposalStatus::approved);
    EXPECT_EQ(LineNow().available.value, 100);
    // Exactly the available amount is enough.
    EXPECT_TRUE(DecisionOf(Approve("tegels", 100)).commitment.has_value());
    EXPECT_EQ(LineNow().available.value, 0);
}

TEST_F(DecisionsTest, ApprovalAfterItsYearClosedRecordsThatAsTheReason)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Grant(1'000);
    Submit("bankjes", 100);
    Open("v-bankjes", "bankjes");
    for (const char* member : {"anna", "bram", "cas"})
        Ok(Cast(member, "v-bankjes", VoteChoice::in_favour));
    // The municipality closes the year while the vote runs: the line could hold it, the year not.
    Ok(CloseYear());
    const auto closed = CloseAtDeadline("v-bankjes");
    EXPECT_EQ(DecisionOf(closed).result, DecisionResult::approved);
    EXPECT_FALSE(DecisionOf(closed).commitment.has_value());
    EXPECT_EQ(DecisionOf(closed).commitment_refused->value, "period_closed");
    EXPECT_TRUE(closed.postings.empty());
}

TEST_F(DecisionsTest, NoVoteOpensOnAProposalWhoseYearClosed)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Grant(1'000);
    Submit("bankjes", 100);
    Ok(CloseYear());
    // Approved now, it would stay approved for good with nothing held (the test above).
    Refused(m_service.OpenVote(Member("anna"), Slug{"burgwal"},
                               {Slug{"v-bankjes"}, Slug{"bankjes"}, InDays(7)}),
            ledger::Errc::period_closed);
    EXPECT_FALSE(m_governance.FindVote(Slug{"burgwal"}, Slug{"v-bankjes"}).has_value());
}

TEST_F(DecisionsTest, BallotsTheServicesWouldRefuseAreNotCounted)
{
    SeatFive();
    SetBylaws(50, MajorityRule::simple, TieRule::rejected);
    Submit("bankjes", 100);
    Open("v1", "bankjes");
    Ok(Cast("bram", "v1", VoteChoice::in_favour));
    // Written past the services (the ledger alone allows them): a second ballot, an outsider's.
    for (const char* member : {"bram", "zoe"}) {
        ledger::Entry entry;
        entry.actor = {Role::council_member, Slug{member}};
        entry.recorded_at = m_clock.Now();
        entry.council = Slug{"burgwal"};
        entry.payload = ledger::VoteCast{Slug{"v1"}, Slug{member}, VoteChoice::in_favour};
        ASSERT_TRUE(SealAndObserve(std::move(entry)).has_value());
    }
    const auto closed = CloseAtDeadline("v1");
    EXPECT_EQ(DecisionOf(closed).votes_for, 1U);
    EXPECT_FALSE(DecisionOf(closed).quorum_met);
}

} // namespace
} // namespace wijkbudget::services::decision_testing
