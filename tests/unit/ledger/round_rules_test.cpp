#include "ledger/check_entry.hpp"
#include "ledger/errc.hpp"
#include "ledger/round_rules.hpp"
#include "ledger/sha256.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

using testing::SampleOfKind;
using testing::TransferPostings;

void ExpectRejected(const Entry& entry, Errc code, const std::string& where)
{
    auto checked = CheckEntry(entry);
    ASSERT_FALSE(checked.has_value()) << where;
    EXPECT_EQ(checked.error().code, code) << checked.error().Describe();
    EXPECT_EQ(checked.error().where, where) << checked.error().Describe();
}

void ExpectAccepted(const Entry& entry)
{
    auto checked = CheckEntry(entry);
    EXPECT_TRUE(checked.has_value()) << checked.error().Describe();
}

std::vector<RoundProject> ProjectsNamed(const std::vector<std::string>& ids)
{
    std::vector<RoundProject> projects;
    for (const auto& id : ids)
        projects.push_back(RoundProject{Slug{id}, Title{id}, Cents{1000}, std::nullopt});
    return projects;
}

std::vector<std::string> IdsOf(const std::vector<Slug>& order)
{
    std::vector<std::string> ids;
    for (const auto& id : order)
        ids.push_back(id.value);
    return ids;
}

//! The sample's district round (opened by the municipality) with `change` applied; the tie order
//! is drawn again from its seed, so that only the changed rule can fail.
template <class Change>
Entry DistrictRoundWith(Change change)
{
    Entry entry = SampleOfKind("round.opened");
    auto& round = std::get<RoundOpened>(entry.payload);
    change(round);
    round.tie_order.items = TieOrderOf(round.tie_seed, round.projects.items);
    return entry;
}

//! A council's own round: recorded by a council member, naming its decision, with no district
//! and no postings (it takes over the decision's commitment).
Entry CouncilRound()
{
    Entry entry = SampleOfKind("round.opened");
    auto& round = std::get<RoundOpened>(entry.payload);
    entry.actor.role = Role::council_member;
    round.district.reset();
    round.decision = Slug{"v-buurtbudget"};
    entry.postings.clear();
    return entry;
}

//! The sample's binding close (1 ballot of 5 codes, minimum 10%) with `change` applied.
template <class Change>
Entry CloseWith(Change change)
{
    Entry entry = SampleOfKind("round.closed");
    change(std::get<RoundClosed>(entry.payload));
    return entry;
}

// ---- The tie order. ----

TEST(TieOrderTest, IsTheOrderOfSha256OfSeedAndProjectId)
{
    // Recomputed apart from the code:
    //   seed = sha256("wijkbudget tie seed"); key(id) = sha256(seed || id); sorted by key.
    //   With coreutils: { printf "$seed_hex" | xxd -r -p; printf moestuin; } | sha256sum
    //   moestuin 0b00f9af.., bomen 1c490bee.., bankjes 4448e5e4.., fietsenstalling 51b43a9f..,
    //   speeltuin afb1ee2b..
    const Hash seed = Sha256Of(std::string_view{"wijkbudget tie seed"});
    const auto projects =
        ProjectsNamed({"speeltuin", "bomen", "bankjes", "moestuin", "fietsenstalling"});
    EXPECT_EQ(
        IdsOf(TieOrderOf(seed, projects)),
        (std::vector<std::string>{"moestuin", "bomen", "bankjes", "fietsenstalling", "speeltuin"}));
}

TEST(TieOrderTest, IsADeterministicPermutationOfTheProjects)
{
    const Hash seed = Sha256Of(std::string_view{"seed-1"});
    std::vector<std::string> ids;
    for (int number = 0; number < 10; ++number)
        ids.push_back("p-" + std::to_string(number));
    auto projects = ProjectsNamed(ids);
    const auto order = IdsOf(TieOrderOf(seed, projects));
    EXPECT_EQ(order, IdsOf(TieOrderOf(seed, projects)));
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, ids); // Every project once, no other.
    // The order the projects are listed in does not matter, only the seed does.
    std::reverse(projects.begin(), projects.end());
    EXPECT_EQ(IdsOf(TieOrderOf(seed, projects)), order);
    EXPECT_EQ(order, (std::vector<std::string>{"p-1", "p-2", "p-5", "p-9", "p-8", "p-0", "p-3",
                                               "p-7", "p-4", "p-6"}));
}

TEST(TieOrderTest, DependsOnTheSeed)
{
    std::vector<std::string> ids;
    for (int number = 0; number < 10; ++number)
        ids.push_back("p-" + std::to_string(number));
    const auto projects = ProjectsNamed(ids);
    const auto first = IdsOf(TieOrderOf(Sha256Of(std::string_view{"seed-1"}), projects));
    const auto second = IdsOf(TieOrderOf(Sha256Of(std::string_view{"seed-2"}), projects));
    EXPECT_NE(first, second);
    EXPECT_EQ(second, (std::vector<std::string>{"p-7", "p-1", "p-3", "p-4", "p-6", "p-5", "p-2",
                                                "p-8", "p-9", "p-0"}));
    // Not simply the projects' own order, sorted or as listed.
    EXPECT_NE(first, ids);
}

TEST(TieOrderTest, OfNoProjectsIsEmpty)
{
    EXPECT_TRUE(TieOrderOf(Hash{}, {}).empty());
}

// ---- Turnout. ----

TEST(TurnoutTest, ExactlyTheMinimumIsBindingOneBallotLessIsNot)
{
    EXPECT_TRUE(TurnoutMet(100, 1000, 10));
    EXPECT_FALSE(TurnoutMet(99, 1000, 10));
    EXPECT_TRUE(TurnoutMet(1, 5, 20));
    EXPECT_FALSE(TurnoutMet(1, 5, 21));
    // In integers, without rounding: 1 of 3 is 33.33..%, which meets 33% but not 34%.
    EXPECT_TRUE(TurnoutMet(1, 3, 33));
    EXPECT_FALSE(TurnoutMet(1, 3, 34));
    EXPECT_TRUE(TurnoutMet(2, 3, 66));
    EXPECT_FALSE(TurnoutMet(2, 3, 67));
    EXPECT_TRUE(TurnoutMet(5, 5, 100));
    EXPECT_FALSE(TurnoutMet(4, 5, 100));
}

TEST(TurnoutTest, WithoutCodesNeverBinding)
{
    EXPECT_FALSE(TurnoutMet(0, 0, 0));
    EXPECT_FALSE(TurnoutMet(0, 0, 10));
}

TEST(TurnoutTest, NoMinimumIsBindingOnceCodesWereIssued)
{
    EXPECT_TRUE(TurnoutMet(0, 1, 0));
    EXPECT_TRUE(TurnoutMet(0, ROUND_CODES_MAX, 0));
}

TEST(TurnoutTest, LargestRoundDoesNotOverflow)
{
    EXPECT_TRUE(TurnoutMet(ROUND_CODES_MAX, ROUND_CODES_MAX, 100));
    EXPECT_FALSE(TurnoutMet(ROUND_CODES_MAX - 1, ROUND_CODES_MAX, 100));
    EXPECT_EQ(TurnoutPercentText(ROUND_CODES_MAX, ROUND_CODES_MAX), "100.00");
    EXPECT_EQ(TurnoutPercentText(ROUND_CODES_MAX - 1, ROUND_CODES_MAX), "99.99");
}

TEST(TurnoutTest, PercentTextHasTwoDecimalsRoundedDown)
{
    EXPECT_EQ(TurnoutPercentText(0, 0), "0.00");
    EXPECT_EQ(TurnoutPercentText(0, 5), "0.00");
    EXPECT_EQ(TurnoutPercentText(1, 5), "20.00");
    EXPECT_EQ(TurnoutPercentText(1, 3), "33.33");
    EXPECT_EQ(TurnoutPercentText(2, 3), "66.66");
    EXPECT_EQ(TurnoutPercentText(5, 12), "41.66");
    EXPECT_EQ(TurnoutPercentText(5, 5), "100.00");
    EXPECT_EQ(TurnoutPercentText(1, 200), "0.50");
    EXPECT_EQ(TurnoutPercentText(1, 2000), "0.05");
    EXPECT_EQ(TurnoutPercentText(1, 20'001), "0.00");
}

// ---- round.opened on its own. ----

TEST(RoundOpenedTest, SampleDistrictRoundAndACouncilRoundPass)
{
    ExpectAccepted(SampleOfKind("round.opened"));
    ExpectAccepted(CouncilRound());
    EXPECT_TRUE(CheckRoundPayload(SampleOfKind("round.opened")).has_value());
    EXPECT_TRUE(CheckRoundPayload(SampleOfKind("budget.granted")).has_value());
}

TEST(RoundOpenedTest, ApprovalBallotHasNoPoints)
{
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.points_total = 10; }),
                   Errc::field_unknown, "payload.points_total");
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.points_per_project_max = 5; }),
                   Errc::field_unknown, "payload.points_total");
    ExpectAccepted(DistrictRoundWith([](RoundOpened& r) { r.max_cost = Cents{300'000}; }));
}

TEST(RoundOpenedTest, ApprovalMinimumAndMaximumProjectsWithinTheProjects)
{
    // The sample lists two projects.
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.min_projects = 0; }),
                   Errc::field_invalid, "payload.min_projects");
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.min_projects = 3; }),
                   Errc::field_invalid, "payload.min_projects");
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.max_projects = 0; }),
                   Errc::field_invalid, "payload.max_projects");
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.max_projects = 3; }),
                   Errc::field_invalid, "payload.max_projects");
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) {
                       r.min_projects = 2;
                       r.max_projects = 1;
                   }),
                   Errc::field_invalid, "payload.max_projects");
    ExpectAccepted(DistrictRoundWith([](RoundOpened& r) {
        r.min_projects = 2;
        r.max_projects = 2;
    }));
    ExpectAccepted(DistrictRoundWith([](RoundOpened& r) {
        r.min_projects = 1;
        r.max_projects.reset();
    }));
}

TEST(RoundOpenedTest, CumulativeBallotSpreadsPointsWithinItsLimits)
{
    const auto cumulative = [](auto change) {
        return DistrictRoundWith([&](RoundOpened& r) {
            r.ballot_type = BallotType::cumulative;
            r.max_projects.reset();
            r.points_total = 10;
            r.points_per_project_max = 10;
            change(r);
        });
    };
    ExpectAccepted(cumulative([](RoundOpened&) {}));
    ExpectRejected(cumulative([](RoundOpened& r) { r.max_projects = 2; }), Errc::field_unknown,
                   "payload.max_projects");
    ExpectRejected(cumulative([](RoundOpened& r) { r.min_projects = 1; }), Errc::field_unknown,
                   "payload.max_projects");
    ExpectRejected(cumulative([](RoundOpened& r) { r.max_cost = Cents{1}; }), Errc::field_unknown,
                   "payload.max_projects");
    ExpectRejected(cumulative([](RoundOpened& r) { r.points_total.reset(); }), Errc::field_invalid,
                   "payload.points_total");
    ExpectRejected(cumulative([](RoundOpened& r) { r.points_total = 0; }), Errc::field_invalid,
                   "payload.points_total");
    ExpectRejected(cumulative([](RoundOpened& r) { r.points_total = ROUND_POINTS_MAX + 1; }),
                   Errc::field_invalid, "payload.points_total");
    ExpectAccepted(cumulative([](RoundOpened& r) { r.points_total = ROUND_POINTS_MAX; }));
    ExpectRejected(cumulative([](RoundOpened& r) { r.points_per_project_max.reset(); }),
                   Errc::field_invalid, "payload.points_per_project_max");
    ExpectRejected(cumulative([](RoundOpened& r) { r.points_per_project_max = 0; }),
                   Errc::field_invalid, "payload.points_per_project_max");
    ExpectRejected(cumulative([](RoundOpened& r) { r.points_per_project_max = 11; }),
                   Errc::field_invalid, "payload.points_per_project_max");
    ExpectAccepted(cumulative([](RoundOpened& r) { r.points_per_project_max = 1; }));
}

TEST(RoundOpenedTest, ProjectsAreListedOnceEach)
{
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.projects.items.clear(); }),
                   Errc::field_missing, "payload.projects");
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) {
                       r.projects.items.push_back(r.projects.items.front());
                       r.projects.items.back().title = Title{"Nog een speeltuin"};
                   }),
                   Errc::field_invalid, "payload.projects");
}

TEST(RoundOpenedTest, TieOrderIsTheOneItsSeedDraws)
{
    Entry reversed = SampleOfKind("round.opened");
    auto& order = std::get<RoundOpened>(reversed.payload).tie_order.items;
    ASSERT_EQ(order.size(), 2U);
    std::reverse(order.begin(), order.end());
    ExpectRejected(reversed, Errc::field_invalid, "payload.tie_order");
    Entry short_order = SampleOfKind("round.opened");
    std::get<RoundOpened>(short_order.payload).tie_order.items.pop_back();
    ExpectRejected(short_order, Errc::field_invalid, "payload.tie_order");
    // Another seed draws another order for these two projects, so the recorded one no longer fits.
    Entry reseeded = SampleOfKind("round.opened");
    auto& round = std::get<RoundOpened>(reseeded.payload);
    for (char letter = 'a'; letter <= 'z'; ++letter) {
        round.tie_seed = Sha256Of(std::string_view{&letter, 1});
        if (TieOrderOf(round.tie_seed, round.projects.items) != round.tie_order.items) break;
    }
    ASSERT_NE(TieOrderOf(round.tie_seed, round.projects.items), round.tie_order.items);
    ExpectRejected(reseeded, Errc::field_invalid, "payload.tie_order");
    Entry new_project = SampleOfKind("round.opened");
    std::get<RoundOpened>(new_project.payload)
        .projects.items.push_back(RoundProject{Slug{"kas"}, Title{"Kas"}, Cents{1}, std::nullopt});
    ExpectRejected(new_project, Errc::field_invalid, "payload.tie_order");
}

TEST(RoundOpenedTest, CouncilRoundNamesItsDecisionDistrictRoundItsDistrict)
{
    Entry without_decision = CouncilRound();
    std::get<RoundOpened>(without_decision.payload).decision.reset();
    ExpectRejected(without_decision, Errc::field_missing, "payload.decision");
    Entry with_district = CouncilRound();
    std::get<RoundOpened>(with_district.payload).district = Slug{"centrum"};
    ExpectRejected(with_district, Errc::field_unknown, "payload.district");
    Entry municipality_with_decision = SampleOfKind("round.opened");
    std::get<RoundOpened>(municipality_with_decision.payload).decision = Slug{"v-buurtbudget"};
    ExpectRejected(municipality_with_decision, Errc::field_unknown, "payload.decision");
    Entry municipality_without_district = SampleOfKind("round.opened");
    std::get<RoundOpened>(municipality_without_district.payload).district.reset();
    ExpectRejected(municipality_without_district, Errc::field_missing, "payload.district");
}

TEST(RoundOpenedTest, ClosesAfterItOpensWithATurnoutMinimumInPercent)
{
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.closes_at = r.opens_at; }),
                   Errc::field_invalid, "payload.closes_at");
    ExpectRejected(DistrictRoundWith([](RoundOpened& r) { r.min_turnout_percent = 101; }),
                   Errc::field_invalid, "payload.min_turnout_percent");
    ExpectAccepted(DistrictRoundWith([](RoundOpened& r) { r.min_turnout_percent = 100; }));
}

// ---- codes.issued and ballot.cast. ----

TEST(CodesIssuedTest, CountIsOneToTheMaximum)
{
    const auto with_count = [](std::uint64_t count) {
        Entry entry = SampleOfKind("codes.issued");
        std::get<CodesIssued>(entry.payload).count = count;
        return entry;
    };
    ExpectRejected(with_count(0), Errc::field_invalid, "payload.count");
    ExpectRejected(with_count(ROUND_CODES_MAX + 1), Errc::field_invalid, "payload.count");
    ExpectAccepted(with_count(1));
    ExpectAccepted(with_count(ROUND_CODES_MAX));
}

TEST(BallotCastTest, NamesEachProjectOnceWithPositivePoints)
{
    Entry sample = SampleOfKind("ballot.cast");
    ExpectAccepted(sample);
    Entry twice = sample;
    std::get<BallotCast>(twice.payload).choices.items.push_back(BallotChoice{Slug{"bomen"}, 1});
    ExpectRejected(twice, Errc::field_invalid, "payload.choices");
    Entry no_points = sample;
    std::get<BallotCast>(no_points.payload).choices.items.front().points = 0;
    ExpectRejected(no_points, Errc::field_invalid, "payload.choices.points");
    Entry too_many_points = sample;
    std::get<BallotCast>(too_many_points.payload).choices.items.front().points =
        ROUND_POINTS_MAX + 1;
    ExpectRejected(too_many_points, Errc::field_invalid, "payload.choices.points");
    Entry two_projects = sample;
    std::get<BallotCast>(two_projects.payload)
        .choices.items.push_back(BallotChoice{Slug{"speeltuin"}, ROUND_POINTS_MAX});
    ExpectAccepted(two_projects);
}

// ---- round.closed on its own. ----

TEST(RoundClosedTest, SampleBindingCloseAndAnAdvisoryClosePass)
{
    ExpectAccepted(SampleOfKind("round.closed"));
    // 1 ballot of 5 codes (20%) under a 30% minimum: advisory, so the whole hold is released.
    Entry advisory = CloseWith([](RoundClosed& c) {
        c.min_turnout_percent = 30;
        c.binding = false;
        c.winners.items.front().commitment.reset();
    });
    advisory.postings =
        TransferPostings("commitment:burgwal:r-2027", "line:burgwal:2027:social", Cents{300'000});
    ExpectAccepted(advisory);
}

TEST(RoundClosedTest, NoMoreBallotsThanCodesAndNoMoreCodesThanTheMaximum)
{
    ExpectRejected(CloseWith([](RoundClosed& c) { c.ballots_cast = 6; }), Errc::field_invalid,
                   "payload.ballots_cast");
    ExpectRejected(CloseWith([](RoundClosed& c) { c.codes_issued = ROUND_CODES_MAX + 1; }),
                   Errc::field_invalid, "payload.ballots_cast");
    ExpectRejected(CloseWith([](RoundClosed& c) { c.min_turnout_percent = 101; }),
                   Errc::field_invalid, "payload.min_turnout_percent");
}

TEST(RoundClosedTest, TurnoutTextIsTheRecomputedOne)
{
    for (const char* text : {"20", "20.0", "19.99", "20.01", "0.20", "20.00%"}) {
        ExpectRejected(CloseWith([&](RoundClosed& c) { c.turnout_percent = Token{text}; }),
                       Errc::field_invalid, "payload.turnout_percent");
    }
}

TEST(RoundClosedTest, BindingIsWhatTheTurnoutRuleSays)
{
    // 20% turnout against 10%: binding, so it may not say advisory.
    ExpectRejected(CloseWith([](RoundClosed& c) { c.binding = false; }), Errc::field_invalid,
                   "payload.binding");
    // At exactly the minimum it is binding; one percent more and it is not.
    ExpectAccepted(CloseWith([](RoundClosed& c) { c.min_turnout_percent = 20; }));
    ExpectRejected(CloseWith([](RoundClosed& c) { c.min_turnout_percent = 21; }),
                   Errc::field_invalid, "payload.binding");
    // Without codes no round is binding, whatever the minimum.
    ExpectRejected(CloseWith([](RoundClosed& c) {
                       c.codes_issued = 0;
                       c.ballots_cast = 0;
                       c.turnout_percent = Token{"0.00"};
                       c.min_turnout_percent = 0;
                   }),
                   Errc::field_invalid, "payload.binding");
}

TEST(RoundClosedTest, ResultsNameEachProjectOnceAndSayWhyItLost)
{
    ExpectRejected(
        CloseWith([](RoundClosed& c) { c.results.items.front().reason = Token{"did_not_fit"}; }),
        Errc::field_invalid, "payload.results");
    ExpectRejected(CloseWith([](RoundClosed& c) { c.results.items.back().reason.reset(); }),
                   Errc::field_invalid, "payload.results");
    ExpectRejected(CloseWith([](RoundClosed& c) { c.results.items.back().votes = 2; }),
                   Errc::field_invalid, "payload.results");
    ExpectRejected(
        CloseWith([](RoundClosed& c) { c.results.items.push_back(c.results.items.back()); }),
        Errc::field_invalid, "payload.results");
}

TEST(RoundClosedTest, WinnersAreExactlyTheFundedResults)
{
    // A winner the results say lost.
    ExpectRejected(CloseWith([](RoundClosed& c) {
                       c.winners.items.push_back(
                           RoundWinner{Slug{"speeltuin"}, Cents{250'000}, Token{"equal_shares"},
                                       std::nullopt, Slug{"r-2027-speeltuin"}, std::nullopt});
                   }),
                   Errc::field_invalid, "payload.winners");
    // A funded result without its winner.
    ExpectRejected(CloseWith([](RoundClosed& c) { c.winners.items.clear(); }), Errc::field_invalid,
                   "payload.winners");
    // A winner at another cost than its result.
    ExpectRejected(CloseWith([](RoundClosed& c) { c.winners.items.front().cost = Cents{199'999}; }),
                   Errc::field_invalid, "payload.winners");
    // A winner that is no project of the results, in place of the funded one.
    ExpectRejected(CloseWith([](RoundClosed& c) { c.winners.items.front().project = Slug{"kas"}; }),
                   Errc::field_invalid, "payload.winners");
    // The same winner twice.
    ExpectRejected(CloseWith([](RoundClosed& c) {
                       c.winners.items.push_back(c.winners.items.front());
                       c.results.items.back().funded = true;
                       c.results.items.back().reason.reset();
                   }),
                   Errc::field_invalid, "payload.winners");
}

TEST(RoundClosedTest, WinnersBecomeCommitmentsOnlyWhenBinding)
{
    // Advisory (20% against 30%), yet a winner names a commitment.
    ExpectRejected(CloseWith([](RoundClosed& c) {
                       c.min_turnout_percent = 30;
                       c.binding = false;
                   }),
                   Errc::field_invalid, "payload.winners");
    // Binding, yet a winner has no commitment.
    ExpectRejected(CloseWith([](RoundClosed& c) { c.winners.items.front().commitment.reset(); }),
                   Errc::field_invalid, "payload.winners");
}

} // namespace
} // namespace wijkbudget::ledger
