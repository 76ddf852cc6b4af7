// Residents' rounds through RoundService: opening (district and council), codes, ballots and
// their constraints, closing with the turnout rule, and the money: hold, split, release.
#include "ledger/entry_json.hpp"
#include "services/open_data.hpp"
#include "services/round_count.hpp"

#include "rounds_fixture.hpp"

namespace wijkbudget::services::decision_testing {
namespace {

class RoundServiceTest : public RoundsTest
{
protected:
    void SetUp() override
    {
        RoundsTest::SetUp();
        SeatFive();
        SetBylaws(50, ledger::MajorityRule::simple, ledger::TieRule::rejected, 1'000'000, 50'000);
        Grant(300'000, YEAR, BudgetCategory::initiatives);
    }
    ledger::Account InitiativesLine() const
    {
        return ledger::LineAccount(Slug{"burgwal"}, YEAR, BudgetCategory::initiatives);
    }
    ledger::Account Held(const std::string& id) const
    {
        return ledger::CommitmentAccount(Slug{"burgwal"}, Slug{id});
    }
    //! The district round r-1 opened, four codes issued, and the clock in its window.
    std::vector<std::string> OpenWithCodes(RoundOpening round)
    {
        const std::string id = round.id.value;
        Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, std::move(round), SEED));
        auto codes = IssueCodes(id, 4);
        GoTo(At(2));
        return codes;
    }
};

TEST_F(RoundServiceTest, ARoundAndAProposalNeverShareACommitmentsName)
{
    // A proposal's commitment bears its id; a district round's hold bears the round's, and a
    // funded project's "<round>-<project>". Had two met, the book would refuse the second
    // commitment when its vote or round closed, and that close could never happen.
    Submit("r-1", 1'000);
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound("r-1"), SEED),
            ledger::Errc::commitment_exists);
    Submit("r-2-bomen", 1'000);
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound("r-2"), SEED),
            ledger::Errc::commitment_exists);
    // The other way round: a round opened first keeps its names.
    Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound("r-3"), SEED));
    const auto refuse = [&](const std::string& id) {
        auto submitted = m_service.SubmitProposal(Member("bram"), Slug{"burgwal"},
                                                  {Slug{id},
                                                   ledger::Title{"Bankjes"},
                                                   ledger::Description{"Twee bankjes"},
                                                   Cents{1'000},
                                                   YEAR,
                                                   BudgetCategory::public_space,
                                                   std::nullopt,
                                                   {}});
        ASSERT_TRUE(submitted.has_value()); // Decided in sequence, by the draft.
        const auto drafted = (*submitted)();
        ASSERT_FALSE(drafted.has_value()) << id;
        EXPECT_EQ(drafted.error().code, ledger::Errc::commitment_exists) << id;
    };
    refuse("r-3");
    refuse("r-3-speeltuin");
    Submit("r-3-glijbaan", 1'000); // Not one of its projects.
}

TEST_F(RoundServiceTest, ADistrictRoundHoldsItsBudgetOnTheLine)
{
    const auto opened = Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound(), SEED));
    const auto& round = std::get<ledger::RoundOpened>(opened.payload);
    EXPECT_EQ(round.hold, Slug{"r-1"});
    EXPECT_EQ(round.tie_order.items, ledger::TieOrderOf(SEED, round.projects.items));
    EXPECT_EQ(BookBalance(InitiativesLine()), 200'000);
    EXPECT_EQ(BookBalance(Held("r-1")), 100'000);
    EXPECT_EQ(LineNow(YEAR, BudgetCategory::initiatives).held.value, 100'000);
    const auto hold = m_governance.FindCommitment(Slug{"burgwal"}, Slug{"r-1"});
    ASSERT_TRUE(hold.has_value());
    EXPECT_EQ(hold->round, Slug{"r-1"});
}

TEST_F(RoundServiceTest, OpeningIsRefusedWithPreciseReasons)
{
    Refused(m_round_service.Open(Member("anna"), Slug{"burgwal"}, DistrictRound(), SEED),
            ledger::Errc::field_missing); // A member names a decision, not a district.
    auto in_the_past = DistrictRound();
    in_the_past.opens_at = At(0);
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, in_the_past, SEED),
            Errc::opens_at_passed);
    // A round holds its budget until it closes: it opens at most a year ahead and votes for at
    // most 92 days, so no round keeps a line's money for ever.
    auto far_ahead = DistrictRound();
    far_ahead.opens_at = At(ROUND_LEAD_DAYS_MAX + 1);
    far_ahead.closes_at = At(ROUND_LEAD_DAYS_MAX + 8);
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, far_ahead, SEED),
            Errc::round_too_long);
    auto long_vote = DistrictRound();
    long_vote.closes_at = At(1 + ROUND_VOTING_DAYS_MAX + 1);
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, long_vote, SEED),
            Errc::round_too_long);
    auto elsewhere = DistrictRound();
    elsewhere.district = Slug{"noord"};
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, elsewhere, SEED),
            Errc::district_mismatch);
    auto too_dear = DistrictRound();
    too_dear.budget = Cents{300'001};
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, too_dear, SEED),
            ledger::Errc::exceeds_budget_line);
    auto long_ids = DistrictRound(std::string(40, 'r'));
    long_ids.projects.items.push_back(Project(std::string(30, 'p'), 1'000));
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, long_ids, SEED),
            ledger::Errc::field_too_long);
    Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound(), SEED));
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound(), SEED),
            ledger::Errc::round_exists);
    // The longest lead and the longest vote are allowed.
    auto longest = DistrictRound("r-2");
    longest.opens_at = At(ROUND_LEAD_DAYS_MAX);
    longest.closes_at = At(ROUND_LEAD_DAYS_MAX + ROUND_VOTING_DAYS_MAX);
    Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, longest, SEED));
}

TEST_F(RoundServiceTest, ACouncilOpensItsOwnRoundByADecision)
{
    // The decision's line must be the round's: make the round public_space.
    Grant(200'000);
    ApproveUnanimously("bewonersbudget", 100'000);
    const auto proposal = m_governance.FindProposal(Slug{"burgwal"}, Slug{"bewonersbudget"});
    ASSERT_TRUE(proposal && proposal->commitment);

    auto round = DistrictRound("r-raad");
    round.district.reset();
    round.decision = Slug{"v-bewonersbudget"};
    round.category = BudgetCategory::public_space;
    auto wrong_budget = round;
    wrong_budget.budget = Cents{90'000};
    Refused(m_round_service.Open(Member("anna"), Slug{"burgwal"}, wrong_budget, SEED),
            Errc::decision_unsuitable);
    auto unknown = round;
    unknown.decision = Slug{"v-none"};
    Refused(m_round_service.Open(Member("anna"), Slug{"burgwal"}, unknown, SEED),
            Errc::vote_unknown);
    Refused(m_round_service.Open(Member("anna", Role::council_member, "oost"), Slug{"burgwal"},
                                 round, SEED),
            Errc::not_permitted);
    // Neither its submitter (bram) nor the chair (anna): cas could otherwise take the commitment
    // the council voted for into a round of their making.
    Refused(m_round_service.Open(Member("cas"), Slug{"burgwal"}, round, SEED), Errc::not_submitter);

    const auto before =
        BookBalance(ledger::LineAccount(Slug{"burgwal"}, YEAR, BudgetCategory::public_space));
    const auto opened = Ok(m_round_service.Open(Member("anna"), Slug{"burgwal"}, round, SEED));
    EXPECT_TRUE(opened.postings.empty()); // The decision's commitment is the hold.
    EXPECT_EQ(std::get<ledger::RoundOpened>(opened.payload).hold, *proposal->commitment);
    EXPECT_EQ(BookBalance(ledger::LineAccount(Slug{"burgwal"}, YEAR, BudgetCategory::public_space)),
              before);
    // Nobody spends or releases the round's budget but the round: neither a spending below the
    // confirmation limit (which the book would refuse too) nor a submission above it (which
    // carries no postings, so only this check keeps it off the ledger), nor a release.
    for (const std::int64_t cents : {1'000, 100'000}) {
        Refused(m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, *proposal->commitment,
                                         {Slug{"s-1"}, Cents{cents}, Today(),
                                          ledger::Title{"Leverancier"}, ledger::Hash{},
                                          ledger::Description{"Iets"}}),
                Errc::commitment_held_by_round);
    }
    Refused(m_service.ReleaseCommitment(Treasurer(), Slug{"burgwal"}, *proposal->commitment,
                                        {ledger::Description{"Terug"}}),
            Errc::commitment_held_by_round);
    // And one decision opens one round.
    auto again = round;
    again.id = Slug{"r-raad-2"};
    Refused(m_round_service.Open(Member("anna"), Slug{"burgwal"}, again, SEED),
            Errc::decision_unsuitable);
}

TEST_F(RoundServiceTest, AMemberClosesTheCouncilsRoundOnlyWhileSeated)
{
    Grant(200'000);
    ApproveUnanimously("bewonersbudget", 100'000);
    auto round = DistrictRound("r-raad");
    round.district.reset();
    round.decision = Slug{"v-bewonersbudget"};
    round.category = BudgetCategory::public_space;
    Ok(m_round_service.Open(Member("anna"), Slug{"burgwal"}, round, SEED));
    GoTo(At(8));
    // Cas resigned; the login outlives the seat, and the close would name cas as its closer.
    Ok(m_service.EndMandate(m_officer, Slug{"burgwal"}, Slug{"cas"},
                            {Today(), ledger::MandateEndReason::resigned}));
    Refused(m_round_service.Close(Member("cas"), Slug{"r-raad"}), Errc::mandate_invalid);
    EXPECT_FALSE(m_rounds.FindRound(Slug{"r-raad"})->Closed());
    const auto closed = Ok(m_round_service.Close(Member("bram"), Slug{"r-raad"}));
    EXPECT_EQ(closed.actor.id.value, "bram");
}

TEST_F(RoundServiceTest, ACommitmentSpentOnOnceIsNoRoundsHoldEvenWhenTheSpendingWasReversed)
{
    Grant(200'000);
    ApproveUnanimously("bewonersbudget", 100'000);
    const auto spent =
        Ok(m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, Slug{"bewonersbudget"},
                                    {Slug{"s-1"}, Cents{1'000}, Today(), ledger::Title{"Drukker"},
                                     ledger::Hash{}, ledger::Description{"Folders"}}));
    Ok(m_service.ReverseSpending(Treasurer(), Slug{"burgwal"}, spent.index,
                                 {ledger::Description{"Verkeerd geboekt"}}));
    auto round = DistrictRound("r-raad");
    round.district.reset();
    round.decision = Slug{"v-bewonersbudget"};
    round.category = BudgetCategory::public_space;
    // Nothing spent on balance, but the book refused it as the hold with a 400 on a field the
    // caller never sent (payload.hold).
    Refused(m_round_service.Open(Member("anna"), Slug{"burgwal"}, round, SEED),
            Errc::decision_unsuitable);
}

TEST_F(RoundServiceTest, ARoundNoBallotCouldMeetIsNotOpened)
{
    Grant(400'000);
    // The cheapest of bankjes 30,000, speeltuin 80,000, bomen 40,000 and feest 20,000.
    auto round = DistrictRound("r-duur");
    round.max_cost = Cents{19'999};
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, round, SEED),
            Errc::no_ballot_possible);
    round.min_projects = 2;
    round.max_cost = Cents{49'999}; // feest and bankjes together cost 50,000.
    Refused(m_round_service.Open(m_officer, Slug{"burgwal"}, round, SEED),
            Errc::no_ballot_possible);
    EXPECT_FALSE(m_rounds.FindRound(Slug{"r-duur"}).has_value());
    round.max_cost = Cents{50'000};
    Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, round, SEED));
}

TEST_F(RoundServiceTest, CodesAreIssuedOnlyByTheMunicipalityBeforeVotingOpens)
{
    Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound(), SEED));
    const std::vector<ledger::Hash> hashes{ledger::Sha256Of(std::string_view{"x"})};
    auto by_member = m_round_service.IssueCodes(Member("anna"), Slug{"r-1"}, hashes);
    ASSERT_FALSE(by_member.has_value());
    EXPECT_EQ(by_member.error().code, Errc::not_permitted);
    const auto codes = IssueCodes("r-1", 3);
    const auto round = m_rounds.FindRound(Slug{"r-1"});
    ASSERT_EQ(round->codes.size(), 1U);
    EXPECT_EQ(round->CodesIssued(), 3U);
    // The same batch again is stored already, and the ledger refuses to count it twice.
    std::vector<ledger::Hash> again;
    for (const auto& code : codes)
        again.push_back(VotingCodeHash(Slug{"r-1"}, *CanonicalVotingCode(code)));
    Refused(m_round_service.IssueCodes(m_officer, Slug{"r-1"}, again), ledger::Errc::field_invalid);
    // A batch overlapping a stored one is refused before anything is written.
    again.push_back(ledger::Sha256Of(std::string_view{"new"}));
    auto overlapping = m_round_service.IssueCodes(m_officer, Slug{"r-1"}, again);
    ASSERT_FALSE(overlapping.has_value());
    EXPECT_EQ(m_rounds.FindRound(Slug{"r-1"})->CodesIssued(), 3U);
    GoTo(At(1));
    Refused(m_round_service.IssueCodes(m_officer, Slug{"r-1"},
                                       {ledger::Sha256Of(std::string_view{"late"})}),
            Errc::voting_started);
}

TEST_F(RoundServiceTest, BallotsNeedAValidUnusedCodeWhileTheRoundIsOpen)
{
    Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, DistrictRound(), SEED));
    auto other = DistrictRound("r-2");
    other.budget = Cents{50'000};
    Ok(m_round_service.Open(m_officer, Slug{"burgwal"}, other, SEED));
    const auto codes = IssueCodes("r-1", 4);
    const auto other_codes = IssueCodes("r-2", 1);
    Refused(Approve("r-1", codes[0], {"bankjes"}), Errc::round_not_open); // Not yet.
    GoTo(At(2));
    const auto cast = Ok(Approve("r-1", codes[0], {"bankjes"}));
    const auto& ballot = std::get<ledger::BallotCast>(cast.payload);
    EXPECT_EQ(cast.actor.role, Role::resident);
    EXPECT_EQ(ballot.nullifier, NullifierOf(Slug{"r-1"}, *CanonicalVotingCode(codes[0])));
    // The code appears nowhere in the entry.
    const std::string bytes = ledger::SerialiseEntry(cast);
    EXPECT_EQ(bytes.find(*CanonicalVotingCode(codes[0])), std::string::npos);

    Refused(Approve("r-1", codes[0], {"bomen"}), Errc::code_used);
    std::string lower = codes[0];
    for (auto& c : lower)
        c = static_cast<char>(std::tolower(c));
    Refused(Approve("r-1", lower, {"bomen"}), Errc::code_used); // The same code, typed loosely.
    Refused(Approve("r-1", "0000-0000-0000-00", {"bomen"}), Errc::code_unknown);
    Refused(Approve("r-1", "not a code", {"bomen"}), Errc::code_invalid);
    // A code of another round is unknown here.
    Refused(Approve("r-1", other_codes[0], {"bomen"}), Errc::code_unknown);
    GoTo(At(8));
    Refused(Approve("r-1", codes[1], {"bomen"}), Errc::round_not_open); // Closed by the clock.
}

TEST_F(RoundServiceTest, ApprovalBallotsKeepTheRoundsRules)
{
    auto round = DistrictRound();
    round.min_projects = 2;
    round.max_projects = 3;
    round.max_cost = Cents{100'000};
    const auto codes = OpenWithCodes(round);
    Refused(Approve("r-1", codes[0], {"bankjes"}), Errc::ballot_invalid); // Too few.
    Refused(Approve("r-1", codes[0], {"bankjes", "bomen", "feest", "speeltuin"}),
            Errc::ballot_invalid);                                                   // Too many.
    Refused(Approve("r-1", codes[0], {"speeltuin", "bomen"}), Errc::ballot_invalid); // Too dear.
    Refused(Approve("r-1", codes[0], {"bankjes", "zwembad"}), Errc::ballot_invalid); // Unknown.
    Refused(Approve("r-1", codes[0], {"bankjes", "bankjes"}), Errc::ballot_invalid); // Twice.
    Refused(Vote("r-1", codes[0], {{"bankjes", 2}, {"bomen", 1}}), Errc::ballot_invalid); // Points.
    Ok(Approve("r-1", codes[0], {"bankjes", "bomen", "feest"}));
}

TEST_F(RoundServiceTest, CumulativeBallotsSpreadAtMostTheirPoints)
{
    auto round = DistrictRound();
    round.ballot_type = ledger::BallotType::cumulative;
    round.points_total = 10;
    round.points_per_project_max = 6;
    const auto codes = OpenWithCodes(round);
    Refused(Vote("r-1", codes[0], {{"bankjes", 7}}), Errc::ballot_invalid);
    Refused(Vote("r-1", codes[0], {{"bankjes", 6}, {"bomen", 5}}), Errc::ballot_invalid);
    Refused(Vote("r-1", codes[0], {{"bankjes", 0}}), Errc::ballot_invalid);
    Refused(Vote("r-1", codes[0], {}), Errc::ballot_invalid);
    Ok(Vote("r-1", codes[0], {{"bankjes", 6}, {"bomen", 4}}));
    Ok(Vote("r-1", codes[1], {{"bankjes", 5}, {"feest", 5}}));

    // Equal shares on points: each voter starts with € 500; bankjes (€ 300, 11 points) costs
    // 300/11 euros a point, the least, so it comes first; its supporters paid 6 and 5 times that.
    GoTo(At(8));
    const auto closed_entry = Ok(m_round_service.Close(m_system, Slug{"r-1"}));
    const auto& closed = std::get<ledger::RoundClosed>(closed_entry.payload);
    EXPECT_EQ(closed.rule.value, "mes_cardinal_add1");
    ASSERT_FALSE(closed.winners.items.empty());
    const auto& first = closed.winners.items.front();
    EXPECT_EQ(first.project, Slug{"bankjes"});
    EXPECT_EQ(first.phase.value, "equal_shares");
    EXPECT_EQ(first.price_per_point, ledger::Token{"300/11"});
    for (const auto& winner : closed.winners.items) {
        EXPECT_FALSE(winner.price_per_voter.has_value()) << winner.project.value;
        EXPECT_EQ(winner.price_per_point.has_value(), winner.phase.value == "equal_shares")
            << winner.project.value;
    }
}

TEST_F(RoundServiceTest, ABindingRoundFundsItsWinnersAndReleasesTheRest)
{
    const auto codes = OpenWithCodes(DistrictRound());
    Ok(Approve("r-1", codes[0], {"bankjes", "bomen"}));
    Ok(Approve("r-1", codes[1], {"bankjes", "feest"}));
    Refused(m_round_service.Close(m_officer, Slug{"r-1"}), Errc::round_still_open);
    GoTo(At(8));
    auto by_other_council =
        m_round_service.Close(Member("anna", Role::council_member, "oost"), Slug{"r-1"});
    ASSERT_FALSE(by_other_council.has_value());
    const auto closed_entry = Ok(m_round_service.Close(m_system, Slug{"r-1"}));
    const auto& closed = std::get<ledger::RoundClosed>(closed_entry.payload);
    EXPECT_EQ(closed.codes_issued, 4U);
    EXPECT_EQ(closed.ballots_cast, 2U);
    EXPECT_EQ(closed.turnout_percent.value, "50.00");
    EXPECT_TRUE(closed.binding); // Exactly at the minimum.
    EXPECT_EQ(closed.rule.value, "mes_cost_add1_greedy");
    // Two voters with € 500 each: bankjes (€ 300, both) first; then bomen and feest.
    std::vector<std::string> winners;
    std::int64_t spent = 0;
    for (const auto& winner : closed.winners.items) {
        winners.push_back(winner.project.value);
        spent += winner.cost.value;
        ASSERT_TRUE(winner.commitment.has_value());
        EXPECT_EQ(BookBalance(Held(winner.commitment->value)), winner.cost.value);
        const auto commitment = m_governance.FindCommitment(Slug{"burgwal"}, *winner.commitment);
        ASSERT_TRUE(commitment.has_value());
        EXPECT_EQ(commitment->round, Slug{"r-1"});
        EXPECT_EQ(commitment->proposal, winner.project);
    }
    EXPECT_EQ(winners.front(), "bankjes");
    EXPECT_EQ(BookBalance(Held("r-1")), 0);
    EXPECT_EQ(BookBalance(InitiativesLine()), 300'000 - spent);
    EXPECT_EQ(LineNow(YEAR, BudgetCategory::initiatives).held.value, spent);
    EXPECT_EQ(LineNow(YEAR, BudgetCategory::initiatives).available.value, 300'000 - spent);
    const auto speeltuin =
        std::find_if(closed.results.items.begin(), closed.results.items.end(),
                     [](const auto& r) { return r.project.value == "speeltuin"; });
    ASSERT_NE(speeltuin, closed.results.items.end());
    EXPECT_FALSE(speeltuin->funded);
    EXPECT_EQ(speeltuin->votes, 0U);
    // Nobody chose it; the greedy completion, which looks at every project, found it too dear.
    EXPECT_EQ(speeltuin->reason->value, "did_not_fit");
    Refused(m_round_service.Close(m_officer, Slug{"r-1"}), ledger::Errc::round_closed);
    // A funded project is spent like any commitment, on the round's line.
    const auto& first = *closed.winners.items.front().commitment;
    Submit("bankjes", 1'000); // A proposal that bears the first project's id, not its title.
    Ok(m_service.RecordSpending(Treasurer(), Slug{"burgwal"}, first,
                                {Slug{"s-1"}, Cents{10'000}, Today(), ledger::Title{"Leverancier"},
                                 ledger::Hash{}, ledger::Description{"Bankjes"}}));
    EXPECT_EQ(LineNow(YEAR, BudgetCategory::initiatives).spent.value, 10'000);

    // Open data name the funded project and its title from the round, on the close's allocation
    // and on the spending, in the movements and in the feed.
    OpenData open_data;
    for (const auto& entry : m_entries)
        open_data.Observe(entry);
    std::size_t named = 0;
    for (const auto& movement : open_data.Movements(Slug{"burgwal"}, YEAR).movements) {
        if (movement.commitment != first) continue;
        SCOPED_TRACE(std::string(movement.entry_kind));
        EXPECT_EQ(movement.proposal, Slug{"bankjes"});
        EXPECT_EQ(movement.title, ledger::Title{"Project bankjes"});
        ++named;
    }
    EXPECT_EQ(named, 3U); // The allocation into it, and the spending out of it and into spent.
    const auto feed = open_data.Feed();
    ASSERT_FALSE(feed.empty());
    EXPECT_EQ(feed.front().entry_kind, "spending.recorded");
    EXPECT_EQ(feed.front().proposal, Slug{"bankjes"});
    EXPECT_EQ(feed.front().title, ledger::Title{"Project bankjes"});
}

TEST_F(RoundServiceTest, ACloseIsCountedBeforeTheSequencerRunsItsDraft)
{
    // The draft maker runs under the sequencer's lock, which every append waits for; a round of
    // many ballots counts for seconds. The count is made when the close is asked for, and the
    // draft uses it as long as the round is as it was.
    const auto codes = OpenWithCodes(DistrictRound());
    const auto before_ballot = m_rounds.VersionOf(Slug{"r-1"});
    Ok(Approve("r-1", codes[0], {"bankjes", "bomen"}));
    EXPECT_NE(m_rounds.VersionOf(Slug{"r-1"}), before_ballot); // A ballot is a change.
    Ok(Approve("r-1", codes[1], {"bankjes", "feest"}));
    GoTo(At(8));
    const auto drafted = m_round_service.Close(m_system, Slug{"r-1"});
    const auto closed_entry = Ok(drafted);
    EXPECT_EQ(m_round_service.CountsInDraftMakers(), 0U);
    const auto& closed = std::get<ledger::RoundClosed>(closed_entry.payload);
    EXPECT_EQ(closed.ballots_cast, 2U);
    EXPECT_TRUE(closed.binding);
    ASSERT_FALSE(closed.winners.items.empty());
    EXPECT_EQ(closed.winners.items.front().project.value, "bankjes");
}

TEST_F(RoundServiceTest, ACloseIsCountedAgainWhenTheProjectionWasRebuiltSinceItsCount)
{
    // After a batch that failed, the sequencer resets its projections and replays the stored
    // ledger: a count made before may have seen a ballot that was never stored.
    const auto codes = OpenWithCodes(DistrictRound());
    Ok(Approve("r-1", codes[0], {"bankjes", "bomen"}));
    Ok(Approve("r-1", codes[1], {"bankjes", "feest"}));
    GoTo(At(8));
    const auto drafted = m_round_service.Close(m_system, Slug{"r-1"});
    const auto counted = m_rounds.VersionOf(Slug{"r-1"});
    m_rounds.Reset();
    for (const auto& entry : m_entries)
        m_rounds.Observe(entry);
    EXPECT_NE(m_rounds.VersionOf(Slug{"r-1"}), counted); // The same entries, another generation.
    const auto closed_entry = Ok(drafted);
    EXPECT_EQ(m_round_service.CountsInDraftMakers(), 1U);
    EXPECT_EQ(std::get<ledger::RoundClosed>(closed_entry.payload).ballots_cast, 2U);
}

TEST(FractionTokenTest, AFractionTooLongForTheLedgerIsNotRecorded)
{
    EXPECT_EQ(FractionToken("7/3")->value, "7/3");
    const std::string longest = std::string(ledger::TOKEN_BYTES_MAX - 2, '1') + "/3";
    EXPECT_EQ(FractionToken(longest)->value, longest);
    EXPECT_FALSE(FractionToken(longest + "3").has_value());
    // What it guards: a round.closed entry with the longer price does not read back.
    ledger::Entry entry;
    entry.actor = {ledger::Role::system, Slug{"scheduler"}};
    entry.council = Slug{"burgwal"};
    ledger::RoundClosed closed;
    closed.round = Slug{"r-1"};
    closed.rule = ledger::Token{"mes_cost_add1_greedy"};
    closed.turnout_percent = ledger::Token{"50.00"};
    ledger::RoundWinner winner{
        Slug{"bankjes"}, Cents{100},  ledger::Token{"equal_shares"}, ledger::Token{longest + "3"},
        std::nullopt,    std::nullopt};
    closed.winners.items.push_back(winner);
    entry.payload = closed;
    EXPECT_FALSE(ledger::ParseCanonicalEntry(ledger::SerialiseEntry(entry)).has_value());
    std::get<ledger::RoundClosed>(entry.payload).winners.items[0].price_per_voter =
        FractionToken(longest);
    EXPECT_TRUE(ledger::ParseCanonicalEntry(ledger::SerialiseEntry(entry)).has_value());
}

TEST(LeavePricesOutTest, TheLongestPricesGoUntilTheCloseFitsAnEntry)
{
    // The longest close: 64 winners with 64-byte ids and commitments, prices of 400-465 digits,
    // two postings each, every project's result at the most ballots and points, and a voter's
    // budget of 500 digits. It would not fit ENTRY_BYTES_MAX with every price kept.
    ledger::Entry entry;
    entry.actor = {ledger::Role::system, Slug{"scheduler"}};
    entry.council = Slug{std::string(ledger::SLUG_BYTES_MAX, 'c')};
    ledger::RoundClosed closed;
    closed.round = Slug{std::string(ledger::SLUG_BYTES_MAX, 'r')};
    closed.rule = ledger::Token{"mes_cost_add1_greedy"};
    closed.turnout_percent = ledger::Token{"50.00"};
    for (std::size_t number = 0; number < ledger::ROUND_PROJECTS_MAX; ++number) {
        std::string id = "p" + std::to_string(number);
        id.append(ledger::SLUG_BYTES_MAX - id.size(), 'x');
        const std::string price = std::string(400 + number, '1') + "/3"; // Each a different size.
        closed.winners.items.push_back(
            ledger::RoundWinner{Slug{id}, Cents{ledger::CENTS_MAX}, ledger::Token{"equal_shares"},
                                ledger::Token{price}, Slug{id}, ledger::Token{price}});
        auto split = ledger::TransferPostings(
            ledger::CommitmentAccount(*entry.council, closed.round),
            ledger::CommitmentAccount(*entry.council, Slug{id}), Cents{ledger::CENTS_MAX});
        entry.postings.insert(entry.postings.end(), split.begin(), split.end());
    }
    for (const auto& winner : closed.winners.items) {
        closed.results.items.push_back(ledger::RoundProjectResult{
            winner.project, Cents{ledger::CENTS_MAX}, IMPORTED_BALLOTS_MAX,
            IMPORTED_BALLOTS_MAX * ledger::ROUND_POINTS_MAX, true, std::nullopt});
    }
    closed.codes_issued = IMPORTED_BALLOTS_MAX;
    closed.ballots_cast = IMPORTED_BALLOTS_MAX;
    closed.voter_budget = ledger::Token{std::string(498, '9') + "/7"};
    entry.payload = closed;
    ASSERT_GT(ledger::SerialiseEntry(entry).size(), ledger::ENTRY_BYTES_MAX);

    ASSERT_TRUE(LeavePricesOutUntilItFits(entry));
    const std::size_t added =
        SEALING_BYTES_ADDED_MAX + entry.postings.size() * SEALING_BYTES_ADDED_PER_POSTING_MAX;
    EXPECT_LE(ledger::SerialiseEntry(entry).size() + added, ledger::ENTRY_BYTES_MAX);
    // The longest went first: every price kept is no longer than any left out.
    std::size_t shortest_left_out = SIZE_MAX;
    std::size_t longest_kept = 0;
    std::size_t kept = 0;
    const auto& winners = std::get<ledger::RoundClosed>(entry.payload).winners.items;
    for (std::size_t number = 0; number < winners.size(); ++number) {
        const std::size_t size = 402 + number;
        for (const auto* price :
             {&winners[number].price_per_voter, &winners[number].price_per_point}) {
            if (*price) {
                longest_kept = std::max(longest_kept, size);
                ++kept;
            } else {
                shortest_left_out = std::min(shortest_left_out, size);
            }
        }
    }
    EXPECT_GT(kept, 0U) << "only as many as needed are left out";
    EXPECT_FALSE(std::get<ledger::RoundClosed>(entry.payload).voter_budget.has_value())
        << "the longest of all goes first";
    EXPECT_LE(longest_kept, shortest_left_out);
    // Its bytes read back.
    EXPECT_TRUE(ledger::ParseCanonicalEntry(ledger::SerialiseEntry(entry)).has_value());

    // A close that fits keeps every price.
    ledger::Entry small = entry;
    auto& small_closed = std::get<ledger::RoundClosed>(small.payload);
    small_closed.winners.items.resize(1);
    small_closed.winners.items[0].price_per_voter = ledger::Token{"7/3"};
    small.postings.resize(2);
    ASSERT_TRUE(LeavePricesOutUntilItFits(small));
    EXPECT_EQ(std::get<ledger::RoundClosed>(small.payload).winners.items[0].price_per_voter,
              ledger::Token{"7/3"});
}

TEST_F(RoundServiceTest, BelowTheMinimumTurnoutTheResultIsAdvisoryAndTheHoldReturns)
{
    const auto codes = OpenWithCodes(DistrictRound());
    Ok(Approve("r-1", codes[0], {"bankjes"}));
    GoTo(At(9));
    const auto closed_entry = Ok(m_round_service.Close(m_officer, Slug{"r-1"}));
    const auto& closed = std::get<ledger::RoundClosed>(closed_entry.payload);
    EXPECT_EQ(closed.turnout_percent.value, "25.00");
    EXPECT_FALSE(closed.binding);
    ASSERT_FALSE(closed.winners.items.empty()); // The advice is still recorded.
    for (const auto& winner : closed.winners.items)
        EXPECT_FALSE(winner.commitment.has_value());
    EXPECT_EQ(BookBalance(Held("r-1")), 0);
    EXPECT_EQ(BookBalance(InitiativesLine()), 300'000);
    EXPECT_EQ(LineNow(YEAR, BudgetCategory::initiatives).held.value, 0);
    // What the page tells residents: back to the line it came from.
    EXPECT_EQ(m_rounds.FindRound(Slug{"r-1"})->rest_to, InitiativesLine());
}

TEST_F(RoundServiceTest, ARoundClosingAfterItsYearSendsTheRestWhereThatYearsMoneyWent)
{
    const auto codes = OpenWithCodes(DistrictRound());
    Ok(Approve("r-1", codes[0], {"bankjes"}));
    GoTo(At(9));
    // The year closes while the round holds its budget; the line's grants said "return".
    Ok(CloseYear());
    Ok(m_round_service.Close(m_officer, Slug{"r-1"}));
    // The site said "back to the council" whatever the postings did.
    EXPECT_EQ(m_rounds.FindRound(Slug{"r-1"})->rest_to, ledger::PoolAccount());
}

TEST_F(RoundServiceTest, TheTieOrderDecidesBetweenEqualProjects)
{
    // Two projects of equal cost and support, room for one: the tie order picks.
    auto round = DistrictRound();
    round.budget = Cents{30'000};
    round.projects.items = {Project("alpha", 30'000), Project("beta", 30'000)};
    round.rule = ledger::RoundRule::greedy;
    const auto codes = OpenWithCodes(round);
    Ok(Approve("r-1", codes[0], {"alpha", "beta"}));
    GoTo(At(8));
    Ok(m_round_service.Close(m_officer, Slug{"r-1"}));
    const auto order = ledger::TieOrderOf(SEED, round.projects.items);
    EXPECT_EQ(Closed("r-1").winners.items.at(0).project, order.front());
}

} // namespace
} // namespace wijkbudget::services::decision_testing
