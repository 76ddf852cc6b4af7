#include "ledger/account.hpp"
#include "ledger/check_entry.hpp"
#include "ledger/errc.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace wijkbudget::ledger {
namespace {

using testing::SampleLedger;
using testing::SampleOfKind;
using testing::TransferPostings;

void ExpectRejected(const Entry& entry, Errc code, const std::string& where)
{
    auto checked = CheckEntry(entry);
    ASSERT_FALSE(checked.has_value()) << where;
    EXPECT_EQ(checked.error().code, code) << checked.error().Describe();
    EXPECT_EQ(checked.error().where, where) << checked.error().Describe();
}

const std::string LINE = "line:burgwal:2027:public_space";

TEST(CheckEntryTest, EverySampleEntryPasses)
{
    for (const auto& entry : SampleLedger()) {
        auto checked = CheckEntry(entry);
        EXPECT_TRUE(checked.has_value()) << KindOf(entry) << ": " << checked.error().Describe();
    }
}

TEST(CheckEntryTest, PostingsMustBalanceInDebitCreditPairs)
{
    Entry grant = SampleOfKind("budget.granted");
    Entry odd = grant;
    odd.postings.pop_back();
    ExpectRejected(odd, Errc::postings_unbalanced, "postings");
    Entry unequal = grant;
    unequal.postings[1].amount = Cents{1};
    ExpectRejected(unequal, Errc::postings_unbalanced, "postings[1]");
    Entry swapped = grant;
    std::swap(swapped.postings[0].side, swapped.postings[1].side);
    ExpectRejected(swapped, Errc::postings_mismatch, "postings[0]");
    Entry same = grant;
    same.postings[1].account = same.postings[0].account;
    ExpectRejected(same, Errc::postings_mismatch, "postings[1]");
    Entry bad_name = grant;
    bad_name.postings[1].account = Token{"line:burgwal:27:public_space"};
    ExpectRejected(bad_name, Errc::field_invalid, "postings[1].account");
}

TEST(CheckEntryTest, PostingsOnlyWhereTheKindAllowsThem)
{
    Entry vote = SampleOfKind("vote.cast");
    vote.postings = TransferPostings("pool", LINE, Cents{5});
    ExpectRejected(vote, Errc::postings_not_allowed, "postings");
    Entry rejected_decision = SampleOfKind("vote.closed");
    rejected_decision.payload = [&] {
        auto decision = std::get<VoteClosed>(rejected_decision.payload);
        decision.commitment.reset();
        return decision;
    }();
    ExpectRejected(rejected_decision, Errc::postings_not_allowed, "postings");
    Entry rejected_with_commitment = SampleOfKind("vote.closed");
    std::get<VoteClosed>(rejected_with_commitment.payload).result = DecisionResult::rejected;
    ExpectRejected(rejected_with_commitment, Errc::field_invalid, "payload.commitment");
    Entry too_many = SampleOfKind("period.closed");
    while (too_many.postings.size() <= POSTINGS_PER_ENTRY_MAX)
        too_many.postings.push_back(too_many.postings[0]);
    ExpectRejected(too_many, Errc::field_too_long, "postings");
}

TEST(CheckEntryTest, PostingsMustAgreeWithThePayload)
{
    Entry grant = SampleOfKind("budget.granted");
    std::get<BudgetGranted>(grant.payload).amount = Cents{1};
    ExpectRejected(grant, Errc::postings_mismatch, "postings[0].amount_cents");
    Entry other_line = SampleOfKind("budget.granted");
    std::get<BudgetGranted>(other_line.payload).category = BudgetCategory::social;
    ExpectRejected(other_line, Errc::postings_mismatch, "postings[1].account");
    Entry missing = SampleOfKind("budget.granted");
    missing.postings.clear();
    ExpectRejected(missing, Errc::postings_mismatch, "postings");
    Entry other_council = SampleOfKind("spending.recorded");
    other_council.council = Slug{"oost"};
    ExpectRejected(other_council, Errc::postings_mismatch, "postings[0]");
    Entry spend_to_line = SampleOfKind("spending.recorded");
    spend_to_line.postings[1].account = Token{LINE};
    ExpectRejected(spend_to_line, Errc::postings_mismatch, "postings[1]");
    Entry other_commitment = SampleOfKind("commitment.released");
    std::get<CommitmentReleased>(other_commitment.payload).commitment = Slug{"c-other"};
    ExpectRejected(other_commitment, Errc::postings_mismatch, "postings[0].account");
    Entry cosign = SampleOfKind("approval.cosigned");
    std::get<ApprovalCosigned>(cosign.payload).commitment = Slug{"c-other"};
    ExpectRejected(cosign, Errc::postings_mismatch, "postings[1].account");
}

TEST(CheckEntryTest, ReleaseGoesToALineOfTheCouncilOrToThePool)
{
    // Which line (the commitment's, or a later one after its year closed) or whether the pool is
    // the book's to say; on its own, a release may post to any line of its council or the pool.
    Entry release = SampleOfKind("commitment.released");
    for (const char* to : {"pool", "line:burgwal:2028:public_space"}) {
        Entry moved = release;
        moved.postings[1].account = Token{to};
        EXPECT_TRUE(CheckEntry(moved).has_value()) << to;
    }
    Entry to_spent = release;
    to_spent.postings[1].account = Token{"spent:burgwal:2027:public_space"};
    ExpectRejected(to_spent, Errc::postings_mismatch, "postings[1]");
    Entry other_council = release;
    other_council.postings[1].account = Token{"line:oost:2028:public_space"};
    ExpectRejected(other_council, Errc::postings_mismatch, "postings[0]");
    Entry to_commitment = release;
    to_commitment.postings[1].account = Token{"commitment:burgwal:c-other"};
    ExpectRejected(to_commitment, Errc::postings_mismatch, "postings[1]");
    Entry two = release;
    two.postings.insert(two.postings.end(), release.postings.begin(), release.postings.end());
    two.postings[3].account = Token{"pool"};
    ExpectRejected(two, Errc::postings_mismatch, "postings");
}

TEST(CheckEntryTest, YearEndEmptiesEachLineOnceToThePoolOrTheNextYear)
{
    Entry close = SampleOfKind("period.closed");
    Entry twice = close;
    twice.postings.insert(twice.postings.end(), close.postings.begin(), close.postings.begin() + 2);
    ExpectRejected(twice, Errc::postings_mismatch, "postings[4]");
    Entry skip_year = close;
    skip_year.postings[1].account = Token{"line:burgwal:2029:public_space"};
    ExpectRejected(skip_year, Errc::postings_mismatch, "postings[0]");
    Entry other_year = close;
    std::get<PeriodClosed>(other_year.payload).year = Year{2026};
    ExpectRejected(other_year, Errc::postings_mismatch, "postings[0]");
}

TEST(CheckEntryTest, PayloadValuesInOrder)
{
    Entry mandate = SampleOfKind("mandate.started");
    std::get<MandateStarted>(mandate.payload).until = Date{0};
    ExpectRejected(mandate, Errc::field_invalid, "payload.until");
    Entry bylaws = SampleOfKind("bylaws.set");
    std::get<BylawsSet>(bylaws.payload).quorum_percent = 101;
    ExpectRejected(bylaws, Errc::field_invalid, "payload.quorum_percent");
    std::get<BylawsSet>(bylaws.payload).quorum_percent = 50;
    std::get<BylawsSet>(bylaws.payload).version = 0;
    ExpectRejected(bylaws, Errc::field_invalid, "payload.version");
    std::get<BylawsSet>(bylaws.payload).version = 1;
    std::get<BylawsSet>(bylaws.payload).voting_period_days_max = 0;
    ExpectRejected(bylaws, Errc::field_invalid, "payload.voting_period_days_max");
    // The shortest period lies within the longest, or no vote could open.
    std::get<BylawsSet>(bylaws.payload).voting_period_days_max = 14;
    std::get<BylawsSet>(bylaws.payload).voting_period_hours_min = 14 * 24 + 1;
    ExpectRejected(bylaws, Errc::field_invalid, "payload.voting_period_hours_min");
    std::get<BylawsSet>(bylaws.payload).voting_period_hours_min = 0;
    ExpectRejected(bylaws, Errc::field_invalid, "payload.voting_period_hours_min");
    std::get<BylawsSet>(bylaws.payload).voting_period_hours_min = 14 * 24;
    EXPECT_TRUE(CheckEntry(bylaws).has_value());
    Entry decision = SampleOfKind("vote.closed");
    std::get<VoteClosed>(decision.payload).votes_for = 3;
    ExpectRejected(decision, Errc::field_invalid, "payload.votes_for");
    Entry round = SampleOfKind("round.opened");
    std::get<RoundOpened>(round.payload).closes_at = std::get<RoundOpened>(round.payload).opens_at;
    ExpectRejected(round, Errc::field_invalid, "payload.closes_at");
    std::get<RoundOpened>(round.payload).closes_at.milliseconds += 1;
    std::get<RoundOpened>(round.payload).min_turnout_percent = 101;
    ExpectRejected(round, Errc::field_invalid, "payload.min_turnout_percent");
}

TEST(CheckEntryTest, ChainLinkCouncilAndVersion)
{
    Entry first = SampleLedger().front();
    first.previous = Hash{};
    ExpectRejected(first, Errc::field_unknown, "previous");
    Entry later = SampleOfKind("budget.granted");
    later.previous.reset();
    ExpectRejected(later, Errc::field_missing, "previous");
    Entry no_council = SampleOfKind("vote.cast");
    no_council.council.reset();
    ExpectRejected(no_council, Errc::field_missing, "council");
    Entry checkpoint = SampleOfKind("checkpoint.witnessed");
    checkpoint.council = Slug{"burgwal"};
    ExpectRejected(checkpoint, Errc::field_unknown, "council");
    Entry future = SampleOfKind("vote.cast");
    future.format_version = 2;
    ExpectRejected(future, Errc::unsupported_version, "format");
}

TEST(CheckEntryTest, OnlyTheRolesOfDesignSectionOneRecordEachKind)
{
    Entry grant = SampleOfKind("budget.granted");
    grant.actor.role = Role::treasurer;
    ExpectRejected(grant, Errc::field_invalid, "actor.role");
    Entry ballot = SampleOfKind("ballot.cast");
    ballot.actor.role = Role::council_member;
    ExpectRejected(ballot, Errc::field_invalid, "actor.role");
    Entry spending = SampleOfKind("spending.recorded");
    spending.actor.role = Role::resident;
    ExpectRejected(spending, Errc::field_invalid, "actor.role");
    for (const auto& entry : SampleLedger()) {
        const auto roles = RolesAllowed(entry.payload);
        EXPECT_FALSE(roles.empty()) << KindOf(entry);
        EXPECT_NE(std::find(roles.begin(), roles.end(), entry.actor.role), roles.end())
            << KindOf(entry);
    }
}

TEST(CheckEntryTest, ApprovalNeedsQuorumAndNoMoreAgainstThanFor)
{
    const auto with = [](auto change) {
        Entry decision = SampleOfKind("vote.closed");
        change(std::get<VoteClosed>(decision.payload));
        return decision;
    };
    ExpectRejected(with([](VoteClosed& d) { d.quorum_met = false; }), Errc::field_invalid,
                   "payload.result");
    ExpectRejected(with([](VoteClosed& d) {
                       d.votes_for = 0;
                       d.abstentions = 2;
                   }),
                   Errc::field_invalid, "payload.result");
    ExpectRejected(with([](VoteClosed& d) {
                       d.votes_against = 2;
                       d.abstentions = 0;
                   }),
                   Errc::field_invalid, "payload.result");
    // A tie is approved only by the chair's casting vote.
    ExpectRejected(with([](VoteClosed& d) {
                       d.votes_against = 1;
                       d.abstentions = 0;
                   }),
                   Errc::field_invalid, "payload.result");
    EXPECT_TRUE(CheckEntry(with([](VoteClosed& d) {
                    d.votes_against = 1;
                    d.abstentions = 0;
                    d.tie_rule = TieRule::chair_decides;
                })).has_value());
}

TEST(CheckEntryTest, WitnessedCheckpointIsOfAnEarlierTreeWithASignatureLine)
{
    Entry future = SampleOfKind("checkpoint.witnessed");
    std::get<CheckpointWitnessed>(future.payload).size = future.index.value + 1;
    ExpectRejected(future, Errc::field_invalid, "payload.size");
    Entry free_text = SampleOfKind("checkpoint.witnessed");
    std::get<CheckpointWitnessed>(free_text.payload).cosignature = Token{"signed, the auditor"};
    ExpectRejected(free_text, Errc::field_invalid, "payload.cosignature");
    Entry other_witness = SampleOfKind("checkpoint.witnessed");
    std::get<CheckpointWitnessed>(other_witness.payload).witness = Token{"someone.else"};
    ExpectRejected(other_witness, Errc::field_invalid, "payload.cosignature");
    Entry short_blob = SampleOfKind("checkpoint.witnessed");
    auto& line = std::get<CheckpointWitnessed>(short_blob.payload).cosignature.value;
    line = line.substr(0, line.size() - 4);
    ExpectRejected(short_blob, Errc::field_invalid, "payload.cosignature");
}

TEST(CheckEntryTest, RefusedCommitmentOnlyExplainsAnApprovalWithoutHold)
{
    Entry refused = SampleOfKind("vote.closed");
    auto& decision = std::get<VoteClosed>(refused.payload);
    decision.commitment.reset();
    decision.commitment_refused = Token{"exceeds_budget_line"};
    refused.postings.clear();
    EXPECT_TRUE(CheckEntry(refused).has_value());
    Entry with_hold = SampleOfKind("vote.closed");
    std::get<VoteClosed>(with_hold.payload).commitment_refused = Token{"exceeds_budget_line"};
    ExpectRejected(with_hold, Errc::field_invalid, "payload.commitment_refused");
    Entry rejection = refused;
    std::get<VoteClosed>(rejection.payload).result = DecisionResult::rejected;
    ExpectRejected(rejection, Errc::field_invalid, "payload.commitment_refused");
}

TEST(CheckEntryTest, SpendingByAMemberIsAConfirmationOfAnEarlierSubmission)
{
    Entry confirmed;
    for (const auto& entry : SampleLedger()) {
        if (KindOf(entry) == "spending.recorded" && entry.actor.role == Role::council_member)
            confirmed = entry;
    }
    ASSERT_EQ(KindOf(confirmed), "spending.recorded");
    ASSERT_TRUE(std::get<SpendingRecorded>(confirmed.payload).confirms.has_value());
    EXPECT_TRUE(CheckEntry(confirmed).has_value());
    Entry unconfirmed = confirmed;
    std::get<SpendingRecorded>(unconfirmed.payload).confirms.reset();
    ExpectRejected(unconfirmed, Errc::field_missing, "payload.confirms_index");
    Entry forward = confirmed;
    std::get<SpendingRecorded>(forward.payload).confirms = confirmed.index;
    ExpectRejected(forward, Errc::field_invalid, "payload.confirms_index");
    Entry by_resident = confirmed;
    by_resident.actor.role = Role::resident;
    ExpectRejected(by_resident, Errc::field_invalid, "actor.role");
}

TEST(CheckEntryTest, CouncilRoundPostsNothing)
{
    Entry council_round = SampleOfKind("round.opened");
    council_round.actor.role = Role::council_member;
    auto& round = std::get<RoundOpened>(council_round.payload);
    round.district.reset();
    round.decision = Slug{"v-buurtbudget"};
    // It takes over its decision's commitment: the district round's postings do not belong here.
    ExpectRejected(council_round, Errc::postings_not_allowed, "postings");
    council_round.postings.clear();
    EXPECT_TRUE(CheckEntry(council_round).has_value());
}

TEST(CheckEntryTest, DistrictRoundHoldsItsBudgetFromItsOwnLine)
{
    // The sample holds 300,000 from line:burgwal:2027:social as commitment r-2027.
    const Entry round = SampleOfKind("round.opened");
    Entry other_category = round;
    other_category.postings[0].account = Token{LINE};
    ExpectRejected(other_category, Errc::postings_mismatch, "postings[0].account");
    Entry other_year = round;
    other_year.postings[0].account = Token{"line:burgwal:2028:social"};
    ExpectRejected(other_year, Errc::postings_mismatch, "postings[0].account");
    Entry other_hold = round;
    other_hold.postings[1].account = Token{"commitment:burgwal:c-other"};
    ExpectRejected(other_hold, Errc::postings_mismatch, "postings[0].account");
    Entry other_budget = round;
    std::get<RoundOpened>(other_budget.payload).budget = Cents{299'999};
    ExpectRejected(other_budget, Errc::postings_mismatch, "postings[0].amount_cents");
    Entry from_pool = round;
    from_pool.postings[0].account = Token{"pool"};
    ExpectRejected(from_pool, Errc::postings_mismatch, "postings[0]");
    Entry other_council = round;
    other_council.postings[0].account = Token{"line:oost:2027:social"};
    ExpectRejected(other_council, Errc::postings_mismatch, "postings[0]");
    Entry without_postings = round;
    without_postings.postings.clear();
    ExpectRejected(without_postings, Errc::postings_mismatch, "postings");
    Entry twice = round;
    twice.postings.insert(twice.postings.end(), round.postings.begin(), round.postings.end());
    ExpectRejected(twice, Errc::postings_mismatch, "postings");
}

TEST(CheckEntryTest, RoundCloseSplitsItsHoldToEachWinnerThenReleasesTheRest)
{
    // The sample moves r-2027's 300,000: 200,000 to commitment r-2027-bomen, 100,000 to the line.
    const Entry close = SampleOfKind("round.closed");
    ASSERT_EQ(close.postings.size(), 4U);
    Entry without_postings = close;
    without_postings.postings.clear();
    ExpectRejected(without_postings, Errc::postings_mismatch, "postings");
    Entry wrong_amount = close;
    wrong_amount.postings[0].amount = wrong_amount.postings[1].amount = Cents{150'000};
    ExpectRejected(wrong_amount, Errc::postings_mismatch, "postings[1]");
    Entry wrong_commitment = close;
    wrong_commitment.postings[1].account = Token{"commitment:burgwal:r-2027-speeltuin"};
    ExpectRejected(wrong_commitment, Errc::postings_mismatch, "postings[1]");
    Entry release_first = close;
    std::swap_ranges(release_first.postings.begin(), release_first.postings.begin() + 2,
                     release_first.postings.begin() + 2);
    ExpectRejected(release_first, Errc::postings_mismatch, "postings[1]");
    Entry release_to_spent = close;
    release_to_spent.postings[3].account = Token{"spent:burgwal:2027:social"};
    ExpectRejected(release_to_spent, Errc::postings_mismatch, "postings[3]");
    Entry release_to_commitment = close;
    release_to_commitment.postings[3].account = Token{"commitment:burgwal:c-other"};
    ExpectRejected(release_to_commitment, Errc::postings_mismatch, "postings[3]");
    Entry from_two_holds = close;
    from_two_holds.postings[2].account = Token{"commitment:burgwal:c-other"};
    ExpectRejected(from_two_holds, Errc::postings_mismatch, "postings[2]");
    Entry from_line = close;
    from_line.postings[0].account = Token{"line:burgwal:2027:social"};
    ExpectRejected(from_line, Errc::postings_mismatch, "postings[0]");
    Entry two_releases = close;
    two_releases.postings.insert(two_releases.postings.end(), close.postings.begin() + 2,
                                 close.postings.end());
    ExpectRejected(two_releases, Errc::postings_mismatch, "postings");
    Entry without_release = close;
    without_release.postings.resize(2);
    EXPECT_TRUE(CheckEntry(without_release).has_value()); // Whether the hold is empty: the book.
    Entry release_to_pool = close;
    release_to_pool.postings[3].account = Token{"pool"};
    EXPECT_TRUE(CheckEntry(release_to_pool).has_value()); // Which destination: the book.
}

TEST(CheckEntryTest, AdvisoryRoundCloseOnlyReleases)
{
    // 1 ballot of 5 codes under a 30% minimum: advisory, so no winner becomes a commitment.
    Entry advisory = SampleOfKind("round.closed");
    auto& closed = std::get<RoundClosed>(advisory.payload);
    closed.min_turnout_percent = 30;
    closed.binding = false;
    closed.winners.items.front().commitment.reset();
    ExpectRejected(advisory, Errc::postings_mismatch, "postings");
    Entry without_postings = advisory;
    without_postings.postings.clear();
    ExpectRejected(without_postings, Errc::postings_mismatch, "postings");
    advisory.postings.erase(advisory.postings.begin() + 2, advisory.postings.end());
    ExpectRejected(advisory, Errc::postings_mismatch, "postings[1]"); // A split, not a release.
    advisory.postings[0].amount = advisory.postings[1].amount = Cents{300'000};
    advisory.postings[1].account = Token{"line:burgwal:2027:social"};
    EXPECT_TRUE(CheckEntry(advisory).has_value());
}

} // namespace
} // namespace wijkbudget::ledger
