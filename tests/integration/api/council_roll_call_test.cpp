// tests/integration/api/council_roll_call_test.cpp: roll-call edge cases of issue 4 over HTTPS
// against the real database: a mandate that ends during an open vote (the member can no longer
// cast or recuse, and the decision counts them as absent), and ties under both tie rules.

#include "tests/integration/api/council_under_test.hpp"

namespace wijkbudget::test {
namespace {

constexpr std::int64_t GRANT{1'000'000};
constexpr std::int64_t COSIGN_ABOVE{500'000};
constexpr std::int64_t CONFIRM_ABOVE{100'000};

class CouncilRollCallTest : public CouncilTest
{
protected:
    void SetUp() override
    {
        CouncilTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(StartCouncil(GRANT));
    }

    //! Closes the vote as `opener` and returns its recorded decision.
    boost::json::object Close(const std::string& opener, const std::string& vote)
    {
        const auto closed = m_council->Post(opener, "/votes/" + vote + "/close");
        EXPECT_EQ(closed.status, 201U) << closed.body;
        const auto view = m_council->Get("/votes/" + vote);
        const auto* decision = view.if_contains("decision");
        if (decision == nullptr || !decision->is_object()) {
            ADD_FAILURE() << "no decision in " << view;
            return {};
        }
        return decision->as_object();
    }
};

bool Lists(const boost::json::object& object, std::string_view member, const std::string& slug)
{
    const auto* list = object.if_contains(member);
    if (list == nullptr || !list->is_array()) return false;
    for (const auto& item : list->as_array()) {
        if (item.is_string() && item.as_string() == slug) return true;
    }
    return false;
}

TEST_F(CouncilRollCallTest, MandateEndingDuringAnOpenVoteCountsTheMemberAsAbsent)
{
    CouncilUnderTest& council = *m_council;
    // A quorum of 80%: of four seated at opening, all four must be present. Had the ended
    // mandate left the electorate, three of three would have met it. The three still seated vote,
    // so the opener may close before the deadline.
    ASSERT_NO_FATAL_FAILURE(
        council.SetBylaws(80, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-anna", "p-speeltuin", 50'000));
    Cast("m-anna", "v-p-speeltuin", "for");
    Cast("m-bram", "v-p-speeltuin", "for");
    Cast("m-cees", "v-p-speeltuin", "for");

    const auto ended =
        council.Post("municipality", "/mandates/m-dirk/end",
                     R"({"on":")" + TodayInTheNetherlands() + R"(","reason":"resigned"})");
    ASSERT_EQ(ended.status, 201U) << ended.body;
    const auto cast = council.Post("m-dirk", "/votes/v-p-speeltuin/ballots", R"({"choice":"for"})");
    EXPECT_EQ(cast.status, 403U) << cast.body;
    EXPECT_EQ(ProblemCode(cast), "mandate_invalid") << cast.body;
    const auto recusal =
        council.Post("m-dirk", "/votes/v-p-speeltuin/recusals", R"({"reason":"Weg"})");
    EXPECT_EQ(recusal.status, 403U) << recusal.body;
    EXPECT_EQ(ProblemCode(recusal), "mandate_invalid") << recusal.body;

    const auto decision = Close("m-anna", "v-p-speeltuin");
    EXPECT_TRUE(Lists(decision, "electorate", "m-dirk"))
        << "the electorate is fixed at opening: " << decision;
    EXPECT_EQ(decision.at("electorate").as_array().size(), 4U) << decision;
    EXPECT_EQ(Int(decision, "eligible"), 4) << decision;
    EXPECT_EQ(Int(decision, "present"), 3) << decision;
    EXPECT_EQ(Int(decision, "votes_for"), 3) << decision;
    EXPECT_FALSE(decision.at("quorum_met").as_bool()) << "m-dirk counts as absent: " << decision;
    EXPECT_EQ(Text(decision, "result"), "rejected") << decision;
    EXPECT_EQ(Text(council.Get("/proposals/p-speeltuin"), "status"), "rejected");

    // A vote opened after the end no longer counts the member.
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-bram", "p-bankjes", 10'000));
    const auto later = council.Get("/votes/v-p-bankjes");
    EXPECT_EQ(later.at("electorate").as_array().size(), 3U) << later;
    EXPECT_FALSE(Lists(later, "electorate", "m-dirk")) << later;
}

TEST_F(CouncilRollCallTest, TiesFollowTheTieRuleOfTheBylawsTheVoteOpenedUnder)
{
    CouncilUnderTest& council = *m_council;
    // Quorum 50%: two of four present is enough.
    ASSERT_NO_FATAL_FAILURE(
        council.SetBylaws(50, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-anna", "p-gelijk", 20'000));
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-anna", "p-oud", 20'000));
    Cast("m-anna", "v-p-gelijk", "for");
    Cast("m-bram", "v-p-gelijk", "against");
    Cast("m-cees", "v-p-gelijk", "abstain"); // Before the deadline, all must have voted.
    Cast("m-dirk", "v-p-gelijk", "abstain");
    const auto rejected = Close("m-anna", "v-p-gelijk");
    EXPECT_EQ(Int(rejected, "votes_for"), 1);
    EXPECT_EQ(Int(rejected, "votes_against"), 1);
    EXPECT_TRUE(rejected.at("quorum_met").as_bool()) << rejected;
    EXPECT_EQ(Text(rejected, "tie_rule"), "rejected");
    EXPECT_EQ(Text(rejected, "result"), "rejected") << "a tie under `rejected`: " << rejected;

    // The chair decides from the next version on; votes already open keep their version.
    ASSERT_NO_FATAL_FAILURE(
        council.SetBylaws(50, "simple", "chair_decides", COSIGN_ABOVE, CONFIRM_ABOVE));
    Cast("m-anna", "v-p-oud", "for");
    Cast("m-bram", "v-p-oud", "against");
    Cast("m-cees", "v-p-oud", "abstain"); // Before the deadline, all must have voted.
    Cast("m-dirk", "v-p-oud", "abstain");
    const auto old_rule = Close("m-anna", "v-p-oud");
    EXPECT_EQ(Text(old_rule, "tie_rule"), "rejected") << old_rule;
    EXPECT_EQ(Text(old_rule, "result"), "rejected") << old_rule;

    ASSERT_NO_FATAL_FAILURE(council.Propose("m-bram", "p-voorzitter", 20'000));
    Cast("m-anna", "v-p-voorzitter", "for");
    Cast("m-bram", "v-p-voorzitter", "against");
    Cast("m-cees", "v-p-voorzitter", "for");
    Cast("m-dirk", "v-p-voorzitter", "against");
    const auto approved = Close("m-bram", "v-p-voorzitter");
    EXPECT_EQ(Int(approved, "votes_for"), 2);
    EXPECT_EQ(Int(approved, "votes_against"), 2);
    EXPECT_EQ(Text(approved, "tie_rule"), "chair_decides");
    EXPECT_EQ(Text(approved, "result"), "approved") << "the chair voted for: " << approved;
    EXPECT_EQ(Text(approved, "commitment"), "p-voorzitter") << approved;
    EXPECT_EQ(Text(council.Get("/proposals/p-voorzitter"), "status"), "committed");
    EXPECT_EQ(Int(council.Line(), "committed_cents"), 20'000);

    ASSERT_NO_FATAL_FAILURE(council.Propose("m-bram", "p-tegen", 20'000));
    Cast("m-anna", "v-p-tegen", "against");
    Cast("m-bram", "v-p-tegen", "for");
    Cast("m-cees", "v-p-tegen", "abstain"); // Before the deadline, all must have voted.
    Cast("m-dirk", "v-p-tegen", "abstain");
    const auto chair_against = Close("m-bram", "v-p-tegen");
    EXPECT_EQ(Text(chair_against, "tie_rule"), "chair_decides");
    EXPECT_EQ(Text(chair_against, "result"), "rejected")
        << "the chair voted against: " << chair_against;
}

} // namespace
} // namespace wijkbudget::test
