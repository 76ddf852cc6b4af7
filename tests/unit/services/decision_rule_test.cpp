// The roll-call rule: quorum, each majority rule, ties under each tie rule, abstentions and
// recusals; and, exhaustively for small councils, agreement with a reference and the ledger.
#include "ledger/check_entry.hpp"
#include "services/decision_rule.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::services {
namespace {

using ledger::DecisionResult;
using ledger::MajorityRule;
using ledger::TieRule;
using ledger::VoteChoice;

RollCallCounts Counts(std::uint64_t electorate, std::uint64_t in_favour, std::uint64_t against,
                      std::uint64_t abstentions, std::optional<VoteChoice> chair = std::nullopt,
                      std::uint64_t recused = 0)
{
    return {electorate, in_favour, against, abstentions, chair, recused};
}

bool Approved(const RollCallOutcome& outcome)
{
    return outcome.result == DecisionResult::approved;
}

constexpr DecisionRule SIMPLE_60{60, MajorityRule::simple, TieRule::rejected};

TEST(DecisionRuleTest, QuorumExactlyMetAndOneShort)
{
    // 5 seated, 60 %: 3 present is exactly 60 %, 2 present is one short.
    auto met = DecideRollCall(Counts(5, 2, 1, 0), SIMPLE_60);
    EXPECT_TRUE(met.quorum_met);
    EXPECT_TRUE(Approved(met));
    auto short_one = DecideRollCall(Counts(5, 2, 0, 0), SIMPLE_60);
    EXPECT_FALSE(short_one.quorum_met);
    EXPECT_FALSE(Approved(short_one));
    EXPECT_EQ(short_one.reason, decision_reason::NO_QUORUM);
    // 7 seated, 50 %: 4 present (57 %) meets it, 3 (43 %) does not; no rounding down.
    const DecisionRule half{50, MajorityRule::simple, TieRule::rejected};
    EXPECT_TRUE(DecideRollCall(Counts(7, 4, 0, 0), half).quorum_met);
    EXPECT_FALSE(DecideRollCall(Counts(7, 3, 0, 0), half).quorum_met);
    // 100 %: everyone must take part.
    const DecisionRule all{100, MajorityRule::simple, TieRule::rejected};
    EXPECT_TRUE(DecideRollCall(Counts(3, 1, 1, 1), all).quorum_met);
    EXPECT_FALSE(DecideRollCall(Counts(3, 2, 0, 0), all).quorum_met);
}

TEST(DecisionRuleTest, AbstentionsCountAsPresentButNotAsVotesCast)
{
    // 5 seated, 60 %: one for and two abstentions make quorum, and one for beats none against.
    auto outcome = DecideRollCall(Counts(5, 1, 0, 2), SIMPLE_60);
    EXPECT_TRUE(outcome.quorum_met);
    EXPECT_TRUE(Approved(outcome));
    // Two thirds of votes cast: 2 for, 1 against, 2 abstaining is 2/3 of 3 cast.
    const DecisionRule two_thirds{60, MajorityRule::two_thirds, TieRule::rejected};
    EXPECT_TRUE(Approved(DecideRollCall(Counts(5, 2, 1, 2), two_thirds)));
    // Only abstentions: quorum, but nobody for.
    auto abstained = DecideRollCall(Counts(3, 0, 0, 3), SIMPLE_60);
    EXPECT_TRUE(abstained.quorum_met);
    EXPECT_FALSE(Approved(abstained));
    EXPECT_FALSE(Approved(DecideRollCall(Counts(3, 0, 0, 3), two_thirds)));
}

TEST(DecisionRuleTest, RecusalsShrinkTheElectorate)
{
    // Five seated, two present. Without recusals that is 40 % < 60 %; with two members recused
    // the electorate is three and two present is 67 %.
    EXPECT_FALSE(DecideRollCall(Counts(5, 2, 0, 0), SIMPLE_60).quorum_met);
    EXPECT_TRUE(DecideRollCall(Counts(3, 2, 0, 0), SIMPLE_60).quorum_met);
    // Absolute majority counts the seats, the recused included (issue 4: "more than half of the
    // seated members"): 2 of 5 is not more than half, with or without two recusals; 3 of 5 is.
    const DecisionRule absolute{50, MajorityRule::absolute, TieRule::rejected};
    EXPECT_FALSE(Approved(DecideRollCall(Counts(5, 2, 0, 1), absolute)));
    EXPECT_FALSE(Approved(DecideRollCall(Counts(3, 2, 0, 1, std::nullopt, 2), absolute)));
    EXPECT_TRUE(Approved(DecideRollCall(Counts(3, 3, 0, 0, std::nullopt, 2), absolute)));
    // Seven seated, three recused, three for and one against: 3 of 7 seats.
    EXPECT_FALSE(Approved(DecideRollCall(Counts(4, 3, 1, 0, std::nullopt, 3), absolute)));
    // Recusals still count for the other rules as before: 3 for, 1 against is a simple majority.
    EXPECT_TRUE(
        Approved(DecideRollCall(Counts(4, 3, 1, 0, std::nullopt, 3), {50, MajorityRule::simple})));
}

TEST(DecisionRuleTest, EachMajorityRule)
{
    const DecisionRule simple{1, MajorityRule::simple, TieRule::rejected};
    const DecisionRule absolute{1, MajorityRule::absolute, TieRule::rejected};
    const DecisionRule two_thirds{1, MajorityRule::two_thirds, TieRule::rejected};
    // 7 seated; 3 for, 2 against, 2 abstain.
    EXPECT_TRUE(Approved(DecideRollCall(Counts(7, 3, 2, 2), simple)));
    EXPECT_FALSE(Approved(DecideRollCall(Counts(7, 3, 2, 2), absolute)));   // 3 of 7 seats.
    EXPECT_FALSE(Approved(DecideRollCall(Counts(7, 3, 2, 2), two_thirds))); // 3 of 5 cast.
    // 4 for, 2 against: more than half the seats, exactly two thirds of the votes cast.
    EXPECT_TRUE(Approved(DecideRollCall(Counts(7, 4, 2, 0), absolute)));
    EXPECT_TRUE(Approved(DecideRollCall(Counts(7, 4, 2, 0), two_thirds)));
    // Half the seats is not more than half.
    EXPECT_FALSE(Approved(DecideRollCall(Counts(6, 3, 0, 0), absolute)));
    EXPECT_EQ(DecideRollCall(Counts(6, 3, 0, 0), absolute).reason, decision_reason::NO_MAJORITY);
}

TEST(DecisionRuleTest, TiesUnderEachTieRule)
{
    const DecisionRule rejected{50, MajorityRule::simple, TieRule::rejected};
    const DecisionRule chair{50, MajorityRule::simple, TieRule::chair_decides};
    auto tie_rejected = DecideRollCall(Counts(4, 2, 2, 0, VoteChoice::in_favour), rejected);
    EXPECT_FALSE(Approved(tie_rejected));
    EXPECT_EQ(tie_rejected.reason, decision_reason::TIE_REJECTED);
    auto chair_for = DecideRollCall(Counts(4, 2, 2, 0, VoteChoice::in_favour), chair);
    EXPECT_TRUE(Approved(chair_for));
    EXPECT_EQ(chair_for.reason, decision_reason::TIE_CHAIR_FOR);
    EXPECT_FALSE(Approved(DecideRollCall(Counts(4, 2, 2, 0, VoteChoice::against), chair)));
    // The chair abstains in a tie, or did not vote: no casting vote, so no approval.
    auto chair_abstains = DecideRollCall(Counts(3, 1, 1, 1, VoteChoice::abstain), chair);
    EXPECT_TRUE(chair_abstains.quorum_met);
    EXPECT_FALSE(Approved(chair_abstains));
    EXPECT_EQ(chair_abstains.reason, decision_reason::TIE_CHAIR_NOT_FOR);
    EXPECT_FALSE(Approved(DecideRollCall(Counts(4, 1, 1, 0), chair)));
    // Lot is treated as rejected (new bylaws cannot choose it).
    const DecisionRule lot{50, MajorityRule::simple, TieRule::lot};
    EXPECT_FALSE(Approved(DecideRollCall(Counts(4, 2, 2, 0, VoteChoice::in_favour), lot)));
    // Ties matter only under a simple majority: 2-2 is no absolute or two-thirds majority.
    const DecisionRule absolute_chair{50, MajorityRule::absolute, TieRule::chair_decides};
    EXPECT_FALSE(
        Approved(DecideRollCall(Counts(4, 2, 2, 0, VoteChoice::in_favour), absolute_chair)));
}

TEST(DecisionRuleTest, NoElectorateDecidesNothing)
{
    auto outcome = DecideRollCall(Counts(0, 0, 0, 0), SIMPLE_60);
    EXPECT_FALSE(outcome.quorum_met);
    EXPECT_FALSE(Approved(outcome));
    EXPECT_EQ(outcome.reason, decision_reason::NO_ELECTORATE);
}

//! The rule as the issue words it, computed differently: minimum turnout by rounding up.
bool ReferenceApproved(const RollCallCounts& counts, const DecisionRule& rule)
{
    const std::uint64_t present = counts.votes_for + counts.votes_against + counts.abstentions;
    const std::uint64_t needed = (rule.quorum_percent * counts.electorate + 99) / 100;
    if (counts.electorate == 0 || present < needed) return false;
    const std::uint64_t cast = counts.votes_for + counts.votes_against;
    switch (rule.majority) {
    case MajorityRule::simple:
        if (counts.votes_for == counts.votes_against && counts.votes_for > 0)
            return rule.tie_rule == TieRule::chair_decides &&
                   counts.chair_choice == VoteChoice::in_favour;
        return counts.votes_for > counts.votes_against;
    case MajorityRule::absolute:
        return counts.votes_for >= (counts.electorate + counts.recused) / 2 + 1;
    case MajorityRule::two_thirds:
        return counts.votes_for > 0 && counts.votes_for >= (2 * cast + 2) / 3;
    }
    return false;
}

//! The decision as an entry, so the ledger's own check of the counts runs on it.
ledger::Entry DecisionEntry(const RollCallCounts& counts, const DecisionRule& rule,
                            const RollCallOutcome& outcome)
{
    ledger::VoteClosed decision;
    decision.vote = ledger::Slug{"v"};
    decision.proposal = ledger::Slug{"p"};
    decision.bylaws_version = 1;
    for (std::uint64_t member = 0; member < counts.electorate + counts.recused; ++member)
        decision.electorate.items.push_back(ledger::Slug{"m" + std::to_string(member)});
    for (std::uint64_t member = counts.electorate; member < counts.electorate + counts.recused;
         ++member)
        decision.recused.items.push_back(ledger::Slug{"m" + std::to_string(member)});
    decision.votes_for = counts.votes_for;
    decision.votes_against = counts.votes_against;
    decision.abstentions = counts.abstentions;
    decision.quorum_met = outcome.quorum_met;
    decision.majority = rule.majority;
    decision.tie_rule = rule.tie_rule;
    decision.result = outcome.result;
    ledger::Entry entry;
    entry.actor = {ledger::Role::council_member, ledger::Slug{"m0"}};
    entry.council = ledger::Slug{"burgwal"};
    entry.payload = decision;
    return entry;
}

TEST(DecisionRuleTest, ExhaustivelyAgreesWithTheReferenceAndTheLedger)
{
    constexpr std::uint64_t ELECTORATE_TESTED_MAX{9};
    constexpr std::uint64_t RECUSED_TESTED_MAX{2};
    const std::optional<VoteChoice> chairs[] = {std::nullopt, VoteChoice::in_favour,
                                                VoteChoice::against, VoteChoice::abstain};
    std::uint64_t approvals = 0;
    for (std::uint64_t electorate = 0; electorate <= ELECTORATE_TESTED_MAX; ++electorate) {
        for (std::uint64_t quorum : {1UL, 33UL, 50UL, 51UL, 60UL, 67UL, 100UL}) {
            for (auto majority :
                 {MajorityRule::simple, MajorityRule::absolute, MajorityRule::two_thirds}) {
                for (auto tie : {TieRule::rejected, TieRule::chair_decides}) {
                    const DecisionRule rule{quorum, majority, tie};
                    for (std::uint64_t f = 0; f <= electorate; ++f) {
                        for (std::uint64_t a = 0; f + a <= electorate; ++a) {
                            for (std::uint64_t s = 0; f + a + s <= electorate; ++s) {
                                for (const auto& chair : chairs) {
                                    for (std::uint64_t r = 0; r <= RECUSED_TESTED_MAX; ++r) {
                                        const auto counts = Counts(electorate, f, a, s, chair, r);
                                        const auto outcome = DecideRollCall(counts, rule);
                                        ASSERT_EQ(Approved(outcome),
                                                  ReferenceApproved(counts, rule))
                                            << electorate << " " << quorum << " " << f << "/" << a
                                            << "/" << s << " recused " << r;
                                        approvals += Approved(outcome) ? 1U : 0U;
                                        auto checked = ledger::CheckEntry(
                                            DecisionEntry(counts, rule, outcome));
                                        ASSERT_TRUE(checked.has_value())
                                            << checked.error().Describe();
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    EXPECT_GT(approvals, 0U);
}

} // namespace
} // namespace wijkbudget::services
