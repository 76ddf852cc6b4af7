// tests/integration/api/council_decisions_test.cpp: issue 4's full cycle over HTTPS against the
// real database: mandates, bylaws, a grant, proposals, roll-call votes, decisions, commitments,
// spending with a second member's confirmation, a reversal, a release and the year end, with the
// budget line checked after every step and the final export accepted by wijkbudget-verify.

#include "tests/integration/api/council_under_test.hpp"

#include <thread>

namespace wijkbudget::test {
namespace {

constexpr std::int64_t GRANT{1'000'000};
constexpr std::int64_t COSIGN_ABOVE{500'000};
constexpr std::int64_t CONFIRM_ABOVE{100'000};

class CouncilDecisionsTest : public CouncilTest
{
protected:
    void SetUp() override
    {
        CouncilTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(StartCouncil(GRANT));
    }

    //! The line's committed, spent and available cents, in that order.
    void ExpectLine(std::int64_t committed, std::int64_t spent, std::int64_t available,
                    const std::string& step)
    {
        const auto line = m_council->Line();
        EXPECT_EQ(Int(line, "granted_cents"), GRANT) << step;
        EXPECT_EQ(Int(line, "committed_cents"), committed) << step;
        EXPECT_EQ(Int(line, "spent_cents"), spent) << step;
        EXPECT_EQ(Int(line, "available_cents"), available) << step;
    }
};

TEST_F(CouncilDecisionsTest, FullCycleFromMandateToYearEnd)
{
    CouncilUnderTest& council = *m_council;
    ASSERT_NO_FATAL_FAILURE(
        council.SetBylaws(50, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    ExpectLine(0, 0, GRANT, "granted");

    // Names are kept apart from the ledger: the council's members see them, the public does not.
    const auto public_mandates = council.Get("/mandates");
    ASSERT_EQ(public_mandates.at("mandates").as_array().size(), 4U);
    EXPECT_EQ(Text(public_mandates.at("mandates").as_array()[0].as_object(), "name"), "");
    const auto seen = m_service->Send("GET", council.Path("/mandates"), {},
                                      {{"Authorization", "Bearer " + council.TokenOf("m-bram")}});
    ASSERT_EQ(seen.status, 200U) << seen.body;
    EXPECT_NE(seen.body.find("Naam van m-anna"), std::string::npos) << seen.body;
    EXPECT_EQ(m_service->Export().find("Naam van"), std::string::npos);

    // A proposal, amended by its submitter while open.
    ASSERT_EQ(council
                  .Post("m-anna", "/proposals",
                        R"({"id":"p-bankjes","title":"Bankjes","description":"Vier bankjes.",)"
                        R"("amount_cents":300000,"year":)" +
                            std::to_string(DECISION_YEAR) +
                            R"(,"category":"public_space",)"
                            R"("attachments":[]})")
                  .status,
              201U);
    const auto by_other = council.Post("m-bram", "/proposals/p-bankjes/amendments",
                                       R"({"title":"Bankjes","description":"Drie.",)"
                                       R"("amount_cents":250000,"attachments":[]})");
    EXPECT_EQ(by_other.status, 403U) << by_other.body;
    EXPECT_EQ(ProblemCode(by_other), "not_submitter");
    const auto amended = council.Post("m-anna", "/proposals/p-bankjes/amendments",
                                      R"({"title":"Bankjes","description":"Drie bankjes.",)"
                                      R"("amount_cents":250000,"attachments":[]})");
    ASSERT_EQ(amended.status, 201U) << amended.body;

    // The roll-call: two for, one against, one recused; the chair closes it.
    const auto opened = council.Post("m-anna", "/votes",
                                     R"({"id":"v-bankjes","proposal":"p-bankjes","closes_at":")" +
                                         TimestampFromNow(86'400) + R"("})");
    ASSERT_EQ(opened.status, 201U) << opened.body;
    const auto recused =
        council.Post("m-dirk", "/votes/v-bankjes/recusals", R"({"reason":"Mijn broer levert."})");
    ASSERT_EQ(recused.status, 201U) << recused.body;
    const auto recused_vote =
        council.Post("m-dirk", "/votes/v-bankjes/ballots", R"({"choice":"for"})");
    EXPECT_EQ(recused_vote.status, 403U) << recused_vote.body;
    EXPECT_EQ(ProblemCode(recused_vote), "recused");
    Cast("m-anna", "v-bankjes", "for");
    Cast("m-bram", "v-bankjes", "for");
    Cast("m-cees", "v-bankjes", "against");
    const auto twice =
        council.Post("m-bram", "/votes/v-bankjes/ballots", R"({"choice":"against"})");
    EXPECT_EQ(twice.status, 409U) << twice.body;
    EXPECT_EQ(ProblemCode(twice), "already_voted");
    const auto early = council.Post("m-bram", "/votes/v-bankjes/close");
    EXPECT_EQ(early.status, 409U) << early.body;
    EXPECT_EQ(ProblemCode(early), "vote_still_open");
    const auto closed = council.Post("m-anna", "/votes/v-bankjes/close");
    ASSERT_EQ(closed.status, 201U) << closed.body;
    const auto late = council.Post("m-dirk", "/votes/v-bankjes/ballots", R"({"choice":"for"})");
    EXPECT_NE(late.status, 201U) << late.body;

    const auto vote = council.Get("/votes/v-bankjes");
    const auto& decision = vote.at("decision").as_object();
    EXPECT_EQ(Int(decision, "votes_for"), 2);
    EXPECT_EQ(Int(decision, "votes_against"), 1);
    EXPECT_EQ(Int(decision, "abstentions"), 0);
    EXPECT_EQ(Int(decision, "eligible"), 3);
    EXPECT_EQ(Int(decision, "present"), 3);
    EXPECT_EQ(Text(decision, "result"), "approved");
    EXPECT_EQ(Text(decision, "majority"), "simple");
    EXPECT_TRUE(decision.at("quorum_met").as_bool());
    EXPECT_EQ(decision.at("recused").as_array().size(), 1U);
    EXPECT_EQ(Text(council.Get("/proposals/p-bankjes"), "status"), "committed");
    ExpectLine(250'000, 0, GRANT - 250'000, "committed");

    // Spending: at the limit it posts at once; above it waits for a second member.
    const auto small =
        council.Post("m-cees", "/commitments/p-bankjes/spendings",
                     R"({"id":"s-1","amount_cents":80000,"paid_on":"2025-03-01",)"
                     R"("payee":"Stichting Groen","invoice_sha256":")" +
                         std::string(64, 'a') + R"(","description":"Eerste termijn"})");
    ASSERT_EQ(small.status, 201U) << small.body;
    const auto small_index = JsonNumber(small.body, "index");
    ASSERT_TRUE(small_index.has_value()) << small.body;
    ExpectLine(170'000, 80'000, GRANT - 250'000, "spent below the limit");
    const auto large = council.Post("m-cees", "/commitments/p-bankjes/spendings",
                                    R"({"id":"s-2","amount_cents":150000,"paid_on":"2025-03-02",)"
                                    R"("payee":"Stichting Groen","invoice_sha256":")" +
                                        std::string(64, 'b') + R"(","description":"Levering"})");
    ASSERT_EQ(large.status, 201U) << large.body;
    ExpectLine(170'000, 80'000, GRANT - 250'000, "submitted above the limit");
    const auto self_confirmed = council.Post("m-cees", "/spending-submissions/s-2/confirmation");
    EXPECT_EQ(self_confirmed.status, 403U) << self_confirmed.body;
    EXPECT_EQ(ProblemCode(self_confirmed), "confirmation_by_submitter");
    const auto confirmed = council.Post("m-bram", "/spending-submissions/s-2/confirmation");
    ASSERT_EQ(confirmed.status, 201U) << confirmed.body;
    ExpectLine(20'000, 230'000, GRANT - 250'000, "confirmed");
    const auto too_much = council.Post("m-cees", "/commitments/p-bankjes/spendings",
                                       R"({"id":"s-3","amount_cents":20001,"paid_on":"2025-03-03",)"
                                       R"("payee":"Stichting Groen","invoice_sha256":")" +
                                           std::string(64, 'c') + R"(","description":"Te veel"})");
    EXPECT_EQ(too_much.status, 422U) << too_much.body;
    EXPECT_EQ(ProblemCode(too_much), "spending_exceeds_commitment");

    // A wrong spending is reversed, once.
    const std::string reversal = "/spendings/" + std::to_string(*small_index) + "/reversal";
    const auto reversed = council.Post("m-cees", reversal, R"({"reason":"Dubbel geboekt"})");
    ASSERT_EQ(reversed.status, 201U) << reversed.body;
    ExpectLine(100'000, 150'000, GRANT - 250'000, "reversed");
    const auto again = council.Post("m-cees", reversal, R"({"reason":"Nog eens"})");
    EXPECT_EQ(ProblemCode(again), "spending_already_reversed") << again.body;

    // The project ends: what is left returns to the line.
    const auto released =
        council.Post("m-cees", "/commitments/p-bankjes/release", R"({"reason":"Project klaar"})");
    ASSERT_EQ(released.status, 201U) << released.body;
    ExpectLine(0, 150'000, GRANT - 150'000, "released");

    // Above the co-approval limit the approval waits for the municipality.
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-bram", "p-plein", 600'000));
    Cast("m-anna", "v-p-plein", "for");
    Cast("m-bram", "v-p-plein", "for");
    Cast("m-cees", "v-p-plein", "abstain");
    Cast("m-dirk", "v-p-plein", "abstain");
    ASSERT_EQ(council.Post("m-bram", "/votes/v-p-plein/close").status, 201U);
    EXPECT_EQ(Text(council.Get("/proposals/p-plein"), "status"), "awaiting_cosign");
    ExpectLine(0, 150'000, GRANT - 150'000, "awaiting co-approval");
    const auto not_theirs = council.Post("m-anna", "/proposals/p-plein/cosignature");
    EXPECT_EQ(not_theirs.status, 403U) << not_theirs.body;
    const auto cosigned = council.Post("municipality", "/proposals/p-plein/cosignature");
    ASSERT_EQ(cosigned.status, 201U) << cosigned.body;
    ExpectLine(600'000, 150'000, GRANT - 750'000, "co-approved");

    // Year end: the available rest returns to the pool; the open commitment carries over.
    const std::uint64_t size_before_close = m_service->LedgerSize();
    const auto year_closed =
        council.Post("municipality", "/periods/" + std::to_string(DECISION_YEAR) + "/close");
    ASSERT_EQ(year_closed.status, 201U) << year_closed.body;
    const auto line = council.Line();
    EXPECT_EQ(Int(line, "available_cents"), 0);
    EXPECT_EQ(Int(line, "closed_out_cents"), GRANT - 750'000);
    EXPECT_EQ(Int(line, "committed_cents"), 600'000);
    EXPECT_EQ(Int(council.Line(size_before_close), "available_cents"), GRANT - 750'000);
    // The council's page shows where the rest went, so that its row still adds up.
    const auto page = m_service->Send("GET", "/councils/" + council.Id() + "?lang=nl");
    ASSERT_EQ(page.status, 200U) << page.body;
    const auto row_at = page.body.find("data-year=\"" + std::to_string(DECISION_YEAR) +
                                       "\" data-category=\"public_space\"");
    ASSERT_NE(row_at, std::string::npos) << page.body;
    const std::string row = page.body.substr(row_at, page.body.find("</tr>", row_at) - row_at);
    const auto cell = [&row](const std::string& column, std::int64_t cents) {
        return row.find("data-cents=\"" + std::to_string(cents) + "\" data-column=\"" + column +
                        "\"") != std::string::npos;
    };
    EXPECT_TRUE(cell("granted", GRANT)) << row;
    EXPECT_TRUE(cell("carried_in", 0)) << row;
    EXPECT_TRUE(cell("committed", 600'000)) << row;
    EXPECT_TRUE(cell("spent", 150'000)) << row;
    EXPECT_TRUE(cell("closed_out", GRANT - 750'000)) << row;
    EXPECT_TRUE(cell("available", 0)) << row;
    const auto after_close = council.Post(
        "m-anna", "/proposals",
        R"({"id":"p-laat","title":"Te laat","description":"","amount_cents":1000,"year":)" +
            std::to_string(DECISION_YEAR) + R"(,"category":"public_space","attachments":[]})");
    EXPECT_EQ(ProblemCode(after_close), "period_closed") << after_close.body;

    // Every step is on the ledger, which verifies from outside.
    const auto export_file = m_service->WriteFile("export.ndjson", m_service->Export());
    const auto checkpoint_file = m_service->WriteFile("checkpoint.txt", m_service->Checkpoint());
    const auto verified =
        ServiceUnderTest::Verify({"export", export_file.string(), "--checkpoint",
                                  checkpoint_file.string(), "--vkey", m_service->VerifierKey()});
    EXPECT_EQ(verified.exit_status, 0) << verified.Describe();
}

TEST_F(CouncilDecisionsTest, AGrantThatCarriesOverMovesWhatIsLeftToTheNextYear)
{
    CouncilUnderTest& council = *m_council;
    const auto social = [](const std::string& at_year_end, std::int64_t cents) {
        return R"({"year":)" + std::to_string(DECISION_YEAR) +
               R"(,"category":"social","amount_cents":)" + std::to_string(cents) +
               R"(,"at_year_end":")" + at_year_end + R"("})";
    };
    // Before, the API had no way to say it: every line returned its money to the pool.
    const auto carried = council.Post("municipality", "/grants", social("carry_over", 5'000));
    ASSERT_EQ(carried.status, 201U) << carried.body;
    const auto other = council.Post("municipality", "/grants", social("return", 1'000));
    EXPECT_EQ(other.status, 409U) << other.body;
    EXPECT_EQ(ProblemCode(other), "year_end_rule_fixed") << other.body;
    const auto unknown = council.Post("municipality", "/grants", social("later", 1'000));
    EXPECT_EQ(unknown.status, 400U) << unknown.body;
    EXPECT_EQ(ProblemCode(unknown), "field_invalid") << unknown.body;

    ASSERT_EQ(
        council.Post("municipality", "/periods/" + std::to_string(DECISION_YEAR) + "/close").status,
        201U);
    std::int64_t social_next = -1;
    const auto lines = council.Get("/budget-lines"); // Outlives the loop over its members.
    for (const auto& line : lines.at("lines").as_array()) {
        const auto& object = line.as_object();
        if (Int(object, "year") == DECISION_YEAR + 1 && Text(object, "category") == "social")
            social_next = Int(object, "available_cents");
    }
    EXPECT_EQ(social_next, 5'000) << "carried over; public_space returned to the pool";
}

TEST_F(CouncilDecisionsTest, VoteClosesByItselfAtTheDeadline)
{
    CouncilUnderTest& council = *m_council;
    ASSERT_NO_FATAL_FAILURE(
        council.SetBylaws(50, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    ASSERT_EQ(council
                  .Post("m-anna", "/proposals",
                        R"({"id":"p-snel","title":"Snel","description":"","amount_cents":1000,)"
                        R"("year":)" +
                            std::to_string(DECISION_YEAR) +
                            R"(,"category":"public_space","attachments":[]})")
                  .status,
              201U);
    const auto opened = council.Post("m-anna", "/votes",
                                     R"({"id":"v-snel","proposal":"p-snel","closes_at":")" +
                                         TimestampFromNow(2) + R"("})");
    ASSERT_EQ(opened.status, 201U) << opened.body;
    Cast("m-anna", "v-snel", "for");
    Cast("m-bram", "v-snel", "for");
    // The server scans for due votes every few seconds; allow a generous margin on a busy machine.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{30};
    bool closed = false;
    while (!closed && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds{500});
        closed = council.Get("/votes/v-snel").at("closed").as_bool();
    }
    ASSERT_TRUE(closed) << "the vote did not close at its deadline";
    const auto vote = council.Get("/votes/v-snel");
    EXPECT_EQ(Text(vote.at("decision").as_object(), "result"), "approved");
    EXPECT_EQ(Text(council.Get("/proposals/p-snel"), "status"), "committed");
    EXPECT_NE(m_service->Export().find(R"("role":"system")"), std::string::npos);
}

} // namespace
} // namespace wijkbudget::test
