// tests/integration/api/council_errors_test.cpp: every error code of the council decisions (issue
// 4, STYLE.md section 8: "Every Errc value has a test that produces it"), each produced by a real
// request over HTTPS against the real database, with its HTTP status and problem code, and the
// ledger's size unchanged by the refusal.
//
// Covered: services::Errc member_unknown ... year_unknown (the council-decision group of
// services/errc.hpp) and the ledger codes the decisions reuse: exceeds_budget_line (a refused
// co-approval, and an approval recorded with commitment_refused), commitment_unknown,
// commitment_resolved, spending_exceeds_commitment, spending_unknown, spending_already_reversed
// and period_closed; and year_not_over and paid_on_in_future.
//
// Every code of the list can be produced over HTTP. Some of the paths that return them cannot,
// and are covered by the services' unit tests instead:
//   - tie_rule_unsupported from OpenVote: bylaws in force with tie rule `lot` cannot be set
//     through the API (SetBylaws refuses `lot`), so only SetBylaws' refusal is reachable;
//   - bylaws_missing from RecordSpending and from a vote's decision, and proposal_unknown from a
//     decision: a commitment needs a decided vote, and a vote needs bylaws and a proposal;
//   - too_few_members and bylaws_missing are produced on a second council, since the first
//     council needs bylaws and three members for everything else.
//   - commitment_held_by_round needs a council's round open on a decision's commitment: the
//     round scenario test (CouncilRoundBelowTheMinimumTurnoutIsAdvisory) produces it.
// A code has one status wherever it is found: year_unknown is 404 for a path segment that is no
// year and for a year without lines alike, and spending_unknown is 422 (the ledger's status) for a
// path segment that is no index and for an index that is no spending of the council alike.

#include "tests/integration/api/council_under_test.hpp"

#include <functional>
#include <map>
#include <set>

namespace wijkbudget::test {
namespace {

constexpr std::int64_t GRANT{1'000'000};
constexpr std::int64_t COSIGN_ABOVE{500'000};
constexpr std::int64_t CONFIRM_ABOVE{100'000};

//! Every code this file must produce.
const std::set<std::string> REQUIRED{
    "member_unknown",
    "mandate_invalid",
    "mandate_exists",
    "seat_taken",
    "too_few_members",
    "bylaws_missing",
    "tie_rule_unsupported",
    "proposal_unknown",
    "proposal_exists",
    "proposal_not_open",
    "not_submitter",
    "vote_unknown",
    "vote_exists",
    "vote_closed",
    "vote_still_open",
    "already_voted",
    "recused",
    "not_in_electorate",
    "voting_period_too_long",
    "voting_period_too_short",
    "closes_at_passed",
    "cosign_not_required",
    "nothing_to_release",
    "submission_unknown",
    "submission_exists",
    "already_confirmed",
    "confirmation_by_submitter",
    "year_unknown",
    "exceeds_budget_line",
    "commitment_unknown",
    "commitment_resolved",
    "spending_exceeds_commitment",
    "spending_unknown",
    "spending_already_reversed",
    "period_closed",
    "earlier_year_open",
    "year_not_over",
    "paid_on_in_future",
};

class CouncilErrorsTest : public CouncilTest
{
protected:
    void SetUp() override
    {
        CouncilTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(StartCouncil(GRANT));
        CouncilUnderTest& council = *m_council;
        // A quorum of 1%: one vote in favour carries (Approve); quorum rules are tested elsewhere.
        ASSERT_NO_FATAL_FAILURE(
            council.SetBylaws(1, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    }

    //! Sends `request` and expects it refused with `status` and `code`, writing nothing.
    void ExpectRefused(const std::function<HttpsResponse()>& request, unsigned status,
                       const std::string& code, const std::string& what)
    {
        SCOPED_TRACE(what);
        const std::uint64_t size_before = m_service->LedgerSize();
        const auto response = request();
        EXPECT_EQ(response.status, status) << what << ": " << response.body;
        EXPECT_EQ(ProblemCode(response), code) << what << ": " << response.body;
        EXPECT_EQ(m_service->LedgerSize(), size_before) << what << ": the refusal wrote";
        if (ProblemCode(response) == code) m_produced.insert(code);
    }

    //! POST as `who` that must succeed with 201; its body.
    std::string Ok(const std::string& who, const std::string& rest, const std::string& body = "{}")
    {
        const auto response = m_council->Post(who, rest, body);
        EXPECT_EQ(response.status, 201U) << who << " POST " << rest << ": " << response.body;
        return response.body;
    }

    static std::string SpendingBody(const std::string& id, std::int64_t cents,
                                    const std::string& paid_on = "2025-03-01")
    {
        return R"({"id":")" + id + R"(","amount_cents":)" + std::to_string(cents) +
               R"(,"paid_on":")" + paid_on + R"(","payee":"Stichting Groen","invoice_sha256":")" +
               std::string(64, 'a') + R"(","description":"Levering"})";
    }

    static std::string MandateBody(const std::string& member, const std::string& seat)
    {
        return R"({"member":")" + member + R"(","seat":")" + seat +
               R"(","from":"2021-01-01","until":"2030-12-31"})";
    }

    static std::string VoteBody(const std::string& vote, const std::string& proposal,
                                std::int64_t seconds_from_now)
    {
        return R"({"id":")" + vote + R"(","proposal":")" + proposal + R"(","closes_at":")" +
               TimestampFromNow(seconds_from_now) + R"("})";
    }

    std::set<std::string> m_produced;
};

TEST_F(CouncilErrorsTest, EveryDecisionErrorCodeIsProducedOverHttps)
{
    CouncilUnderTest& c = *m_council;
    const auto post = [&c](const std::string& who, const std::string& rest,
                           const std::string& body = "{}") {
        return [&c, who, rest, body] {
            return c.Post(who, rest, body);
        };
    };
    const std::string ended_today =
        R"({"on":")" + TodayInTheNetherlands() + R"(","reason":"resigned"})";

    // ---- Mandates and bylaws. ----
    ExpectRefused(post("municipality", "/mandates/m-niemand/end", ended_today), 404,
                  "member_unknown", "ending the mandate of someone never seated");
    ExpectRefused(
        [&c] { return c.Send("municipality", "DELETE", c.Path("/members/m-niemand/name")); }, 404,
        "member_unknown", "erasing the name of someone never seated");
    ExpectRefused(post("municipality", "/mandates", MandateBody("m-bram", "member")), 409,
                  "mandate_exists", "a second, overlapping mandate");
    ExpectRefused(post("municipality", "/mandates", MandateBody("m-erik", "chair")), 409,
                  "seat_taken", "a second chair");
    ASSERT_NO_FATAL_FAILURE(c.Seat("m-frits"));
    Ok("municipality", "/mandates/m-frits/end", ended_today);
    ExpectRefused(post("municipality", "/mandates/m-frits/end", ended_today), 403,
                  "mandate_invalid", "ending a mandate that has already ended");
    ExpectRefused(post("m-frits", "/proposals", ProposalBody("p-frits", 1'000)), 403,
                  "mandate_invalid", "a member whose mandate ended submits");
    ExpectRefused(post("municipality", "/bylaws",
                       R"({"quorum_percent":50,"majority":"simple","tie_rule":"lot",)"
                       R"("cosign_above_cents":1,"confirm_spending_above_cents":1,)"
                       R"("voting_period_days_max":14})"),
                  422, "tie_rule_unsupported", "bylaws with a tie decided by lot");

    // A second council: no bylaws yet, and only two members.
    CouncilUnderTest small{*m_service, "kaai"};
    ASSERT_NO_FATAL_FAILURE(small.Register(10'000));
    ASSERT_NO_FATAL_FAILURE(small.Seat("k-ans", "chair"));
    ASSERT_NO_FATAL_FAILURE(small.Seat("k-bob"));
    ASSERT_NO_FATAL_FAILURE(small.Submit("k-ans", "p-kaai", 1'000));
    ExpectRefused([&] { return small.Post("k-ans", "/votes", VoteBody("v-kaai", "p-kaai", 3600)); },
                  422, "bylaws_missing", "a vote on a council without bylaws");
    ASSERT_NO_FATAL_FAILURE(small.SetBylaws(50, "simple", "rejected", 5'000, 1'000));
    ExpectRefused([&] { return small.Post("k-ans", "/votes", VoteBody("v-kaai", "p-kaai", 3600)); },
                  422, "too_few_members", "a vote with two seated members");
    // Bylaws that give members at least a day: a deadline an hour away is refused.
    ASSERT_NO_FATAL_FAILURE(small.Seat("k-cor"));
    const auto day_at_least = small.Post(
        "municipality", "/bylaws",
        R"({"quorum_percent":50,"majority":"simple","tie_rule":"rejected","cosign_above_cents":)"
        R"(5000,"confirm_spending_above_cents":1000,"voting_period_days_max":14,)"
        R"("voting_period_hours_min":24})");
    ASSERT_EQ(day_at_least.status, 201U) << day_at_least.body;
    EXPECT_EQ(Int(small.Get("/bylaws").at("in_force").as_object(), "voting_period_hours_min"), 24);
    ExpectRefused([&] { return small.Post("k-ans", "/votes", VoteBody("v-kaai", "p-kaai", 3600)); },
                  422, "voting_period_too_short", "a vote shorter than the bylaws allow");

    // ---- Proposals. ----
    const std::string amendment =
        R"({"title":"Anders","description":"Nieuw.","amount_cents":900,"attachments":[]})";
    ExpectRefused(post("m-anna", "/proposals/p-onbekend/amendments", amendment), 404,
                  "proposal_unknown", "amending a proposal that does not exist");
    ExpectRefused(post("m-anna", "/votes", VoteBody("v-onbekend", "p-onbekend", 3600)), 404,
                  "proposal_unknown", "a vote on a proposal that does not exist");
    ASSERT_NO_FATAL_FAILURE(c.Submit("m-anna", "p-dubbel", 1'000));
    ExpectRefused(post("m-bram", "/proposals", ProposalBody("p-dubbel", 2'000)), 409,
                  "proposal_exists", "a second proposal with the same id");
    ExpectRefused(post("m-bram", "/proposals/p-dubbel/amendments", amendment), 403, "not_submitter",
                  "amending someone else's proposal");
    ExpectRefused(post("m-bram", "/proposals/p-dubbel/withdrawal", R"({"reason":"Weg"})"), 403,
                  "not_submitter", "withdrawing someone else's proposal");
    Ok("m-anna", "/proposals/p-dubbel/withdrawal", R"({"reason":"Weg"})");
    ExpectRefused(post("m-anna", "/proposals/p-dubbel/amendments", amendment), 409,
                  "proposal_not_open", "amending a withdrawn proposal");
    ExpectRefused(post("m-anna", "/votes", VoteBody("v-dubbel", "p-dubbel", 3600)), 409,
                  "proposal_not_open", "a vote on a withdrawn proposal");

    // ---- Votes. ----
    ASSERT_NO_FATAL_FAILURE(c.Submit("m-anna", "p-stem", 300'000));
    ExpectRefused(post("m-anna", "/votes", VoteBody("v-stem", "p-stem", -60)), 422,
                  "closes_at_passed", "a vote that closed before it opened");
    ExpectRefused(post("m-anna", "/votes", VoteBody("v-stem", "p-stem", 15 * 86'400)), 422,
                  "voting_period_too_long", "a vote longer than the bylaws' 14 days");
    Ok("m-anna", "/votes", VoteBody("v-stem", "p-stem", 86'400));
    ASSERT_NO_FATAL_FAILURE(c.Submit("m-anna", "p-ander", 1'000));
    ExpectRefused(post("m-anna", "/votes", VoteBody("v-stem", "p-ander", 3600)), 409, "vote_exists",
                  "a second vote with the same id");
    ExpectRefused(post("m-anna", "/votes/v-onbekend/ballots", R"({"choice":"for"})"), 404,
                  "vote_unknown", "a ballot in a vote that does not exist");
    ExpectRefused(post("m-anna", "/votes/v-onbekend/close"), 404, "vote_unknown",
                  "closing a vote that does not exist");
    Ok("m-dirk", "/votes/v-stem/recusals", R"({"reason":"Mijn broer levert."})");
    ExpectRefused(post("m-dirk", "/votes/v-stem/ballots", R"({"choice":"for"})"), 403, "recused",
                  "a ballot of a recused member");
    Ok("m-anna", "/votes/v-stem/ballots", R"({"choice":"for"})");
    ExpectRefused(post("m-anna", "/votes/v-stem/ballots", R"({"choice":"against"})"), 409,
                  "already_voted", "a second ballot");
    ExpectRefused(post("m-anna", "/votes/v-stem/recusals", R"({"reason":"Toch"})"), 409,
                  "already_voted", "a recusal after voting");
    ASSERT_NO_FATAL_FAILURE(c.Seat("m-gijs"));
    ExpectRefused(post("m-gijs", "/votes/v-stem/ballots", R"({"choice":"for"})"), 403,
                  "not_in_electorate", "a ballot of a member seated after the vote opened");
    ExpectRefused(post("m-bram", "/votes/v-stem/close"), 409, "vote_still_open",
                  "closing someone else's vote before its deadline");
    Ok("m-bram", "/votes/v-stem/ballots", R"({"choice":"for"})");
    ExpectRefused(post("m-anna", "/votes/v-stem/close"), 409, "vote_still_open",
                  "closing one's own vote before its deadline while a member may still vote");
    Ok("m-cees", "/votes/v-stem/ballots", R"({"choice":"abstain"})");
    Ok("m-anna", "/votes/v-stem/close");
    ExpectRefused(post("m-cees", "/votes/v-stem/ballots", R"({"choice":"for"})"), 409,
                  "vote_closed", "a ballot after the close");
    ExpectRefused(post("m-anna", "/votes/v-stem/close"), 409, "vote_closed",
                  "closing a closed vote");
    ExpectRefused(post("m-cees", "/votes/v-stem/recusals", R"({"reason":"Laat"})"), 409,
                  "vote_closed", "a recusal after the close");
    EXPECT_EQ(Text(c.Get("/proposals/p-stem"), "status"), "committed");

    // ---- Money. ----
    ExpectRefused(post("municipality", "/proposals/p-stem/cosignature"), 409, "cosign_not_required",
                  "co-approving a proposal committed without it");
    ExpectRefused(post("municipality", "/proposals/p-ander/cosignature"), 409,
                  "cosign_not_required", "co-approving an open proposal");
    ExpectRefused(post("municipality", "/proposals/p-onbekend/cosignature"), 404,
                  "proposal_unknown", "co-approving a proposal that does not exist");
    ExpectRefused(post("m-cees", "/commitments/p-onbekend/spendings", SpendingBody("s-0", 100)),
                  422, "commitment_unknown", "spending without a commitment");
    ExpectRefused(post("m-cees", "/commitments/p-ander/spendings", SpendingBody("s-0", 100)), 422,
                  "commitment_unknown", "spending on a proposal that was never approved");
    ExpectRefused(post("m-cees", "/commitments/p-onbekend/release", R"({"reason":"Niets"})"), 422,
                  "commitment_unknown", "releasing a commitment that does not exist");
    ExpectRefused(post("m-cees", "/commitments/p-stem/spendings", SpendingBody("s-0", 300'001)),
                  422, "spending_exceeds_commitment", "spending more than the commitment");
    ExpectRefused(
        post("m-cees", "/commitments/p-stem/spendings", SpendingBody("s-0", 100, "2100-01-01")),
        422, "paid_on_in_future", "a spending paid on a day still to come");
    ExpectRefused(post("m-anna", "/spending-submissions/s-onbekend/confirmation"), 404,
                  "submission_unknown", "confirming a submission that does not exist");
    Ok("m-cees", "/commitments/p-stem/spendings", SpendingBody("s-groot", 150'000));
    ExpectRefused(post("m-cees", "/commitments/p-stem/spendings", SpendingBody("s-groot", 120'000)),
                  409, "submission_exists", "a second submission with the same id");
    ExpectRefused(post("m-cees", "/spending-submissions/s-groot/confirmation"), 403,
                  "confirmation_by_submitter", "the submitter confirms");
    Ok("m-bram", "/spending-submissions/s-groot/confirmation");
    ExpectRefused(post("m-anna", "/spending-submissions/s-groot/confirmation"), 409,
                  "already_confirmed", "a second confirmation");
    // The treasurer withdraws a submission nobody confirmed; then nobody confirms it.
    Ok("m-cees", "/commitments/p-stem/spendings", SpendingBody("s-terug", 150'000));
    const std::string reason = R"({"reason":"Dubbel ingevoerd"})";
    ExpectRefused(post("m-bram", "/spending-submissions/s-terug/withdrawal", reason), 403,
                  "not_permitted", "a member who is not the treasurer withdraws");
    ExpectRefused(post("m-cees", "/spending-submissions/s-onbekend/withdrawal", reason), 404,
                  "submission_unknown", "withdrawing a submission that does not exist");
    ExpectRefused(post("m-cees", "/spending-submissions/s-groot/withdrawal", reason), 409,
                  "already_confirmed", "withdrawing a confirmed submission");
    Ok("m-cees", "/spending-submissions/s-terug/withdrawal", reason);
    ExpectRefused(post("m-cees", "/spending-submissions/s-terug/withdrawal", reason), 409,
                  "submission_withdrawn", "a second withdrawal");
    ExpectRefused(post("m-bram", "/spending-submissions/s-terug/confirmation"), 409,
                  "submission_withdrawn", "confirming a withdrawn submission");
    // Above the limit a submission waits; its confirmation checks what is left again.
    Ok("m-cees", "/commitments/p-stem/spendings", SpendingBody("s-rest", 150'000));
    Ok("m-cees", "/commitments/p-stem/spendings", SpendingBody("s-teveel", 150'000));
    Ok("m-bram", "/spending-submissions/s-rest/confirmation");
    ExpectRefused(post("m-bram", "/spending-submissions/s-teveel/confirmation"), 422,
                  "spending_exceeds_commitment", "confirming more than is left");
    const boost::json::object submissions = c.Get("/spending-submissions");
    std::map<std::string, std::pair<bool, bool>> states; // id -> (confirmed, withdrawn)
    for (const auto& item : submissions.at("submissions").as_array()) {
        const auto& object = item.as_object();
        states[std::string(object.at("spending").as_string())] = {object.at("confirmed").as_bool(),
                                                                  object.at("withdrawn").as_bool()};
    }
    EXPECT_EQ(states["s-terug"], std::make_pair(false, true));
    EXPECT_EQ(states["s-groot"], std::make_pair(true, false));
    EXPECT_EQ(states["s-teveel"], std::make_pair(false, false));
    ExpectRefused(post("m-cees", "/spendings/0/reversal", R"({"reason":"Fout"})"), 422,
                  "spending_unknown", "reversing an entry that is no spending");
    ExpectRefused(post("m-cees", "/spendings/999999/reversal", R"({"reason":"Fout"})"), 422,
                  "spending_unknown", "reversing an index beyond the ledger");
    // See the file comment: a path segment that is no index gets the same status and code.
    ExpectRefused(post("m-cees", "/spendings/twee/reversal", R"({"reason":"Fout"})"), 422,
                  "spending_unknown", "reversing a spending named by no index");
    // The commitment is spent out (300,000 of 300,000): nothing to release.
    EXPECT_EQ(Int(c.Line(), "committed_cents"), 0);
    ExpectRefused(post("m-cees", "/commitments/p-stem/release", R"({"reason":"Klaar"})"), 409,
                  "nothing_to_release", "releasing a spent-out commitment");

    ASSERT_NO_FATAL_FAILURE(c.Approve("m-anna", "p-klein", 10'000));
    const auto spent = JsonNumber(
        Ok("m-cees", "/commitments/p-klein/spendings", SpendingBody("s-klein", 1'000)), "index");
    ASSERT_TRUE(spent.has_value());
    const std::string reversal = "/spendings/" + std::to_string(*spent) + "/reversal";
    Ok("m-cees", reversal, R"({"reason":"Dubbel"})");
    ExpectRefused(post("m-cees", reversal, R"({"reason":"Nog eens"})"), 409,
                  "spending_already_reversed", "a second reversal");
    Ok("m-cees", "/commitments/p-klein/release", R"({"reason":"Klaar"})");
    ExpectRefused(post("m-cees", "/commitments/p-klein/spendings", SpendingBody("s-laat", 100)),
                  422, "commitment_resolved", "spending on a released commitment");
    ExpectRefused(post("municipality", "/commitments/p-klein/release", R"({"reason":"Weer"})"), 422,
                  "commitment_resolved", "releasing a released commitment");

    // The line: 1,000,000 granted, 300,000 spent. A large proposal waits for co-approval; a
    // smaller one takes most of the rest before it comes.
    ASSERT_EQ(Int(c.Line(), "available_cents"), GRANT - 300'000);
    ASSERT_NO_FATAL_FAILURE(c.Approve("m-anna", "p-groot", 600'000));
    EXPECT_EQ(Text(c.Get("/proposals/p-groot"), "status"), "awaiting_cosign");
    ASSERT_NO_FATAL_FAILURE(c.Approve("m-anna", "p-vol", 400'000));
    ExpectRefused(post("municipality", "/proposals/p-groot/cosignature"), 422,
                  "exceeds_budget_line", "co-approving more than the line has left");
    // Within the co-approval limit, an approval the line cannot hold is recorded as refused.
    const std::uint64_t size_before_close = m_service->LedgerSize();
    ASSERT_NO_FATAL_FAILURE(c.Approve("m-anna", "p-tekort", 300'001));
    EXPECT_EQ(m_service->LedgerSize(), size_before_close + 8)
        << "submit, open, five ballots (the others abstain), close";
    const auto decision = c.Get("/votes/v-p-tekort").at("decision").as_object();
    EXPECT_EQ(Text(decision, "result"), "approved");
    EXPECT_EQ(Text(decision, "commitment_refused"), "exceeds_budget_line") << decision;
    const auto* commitment = decision.if_contains("commitment");
    EXPECT_TRUE(commitment == nullptr || commitment->is_null()) << decision;
    const auto refused = c.Get("/proposals/p-tekort");
    EXPECT_EQ(Text(refused, "commitment_refused"), "exceeds_budget_line") << refused;
    if (Text(decision, "commitment_refused") == "exceeds_budget_line")
        m_produced.insert("exceeds_budget_line (decision)");
    EXPECT_EQ(Int(c.Line(), "available_cents"), GRANT - 300'000 - 400'000);
    ExpectRefused(post("m-cees", "/commitments/p-tekort/spendings", SpendingBody("s-1", 100)), 422,
                  "commitment_unknown", "spending on an approval refused for want of money");

    // ---- Year end. ----
    ExpectRefused(post("municipality", "/periods/2040/close"), 404, "year_unknown",
                  "closing a year without budget lines");
    // See the file comment: a path segment that is no year gets the same status and code.
    ExpectRefused(post("municipality", "/periods/1800/close"), 404, "year_unknown",
                  "closing a year outside the ledger's range");
    const std::string closed_year = "/periods/" + std::to_string(DECISION_YEAR) + "/close";
    const std::string next_year = "/periods/" + std::to_string(DECISION_YEAR + 1) + "/close";
    Ok("municipality", "/grants", GrantBody(1'000, DECISION_YEAR + 1));
    ExpectRefused(post("municipality", next_year), 409, "earlier_year_open",
                  "closing the next year while this one is open");
    // A year that has not ended: the only line of a council of its own, so that no earlier year
    // is open (earlier_year_open comes first).
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil("toekomst"));
    ASSERT_EQ(
        c.Send("municipality", "POST", "/api/v1/councils/toekomst/grants", GrantBody(1'000, 2100))
            .status,
        201U);
    ExpectRefused(
        [&c] {
            return c.Send("municipality", "POST", "/api/v1/councils/toekomst/periods/2100/close",
                          "{}");
        },
        409, "year_not_over", "closing a year that has not ended");
    ASSERT_NO_FATAL_FAILURE(c.Submit("m-anna", "p-open", 1'000));
    Ok("municipality", closed_year);
    ExpectRefused(post("municipality", closed_year), 422, "period_closed", "closing a closed year");
    ExpectRefused(post("m-anna", "/proposals/p-open/amendments", amendment), 422, "period_closed",
                  "amending a proposal of a closed year");
    // Years close in order: a line of an earlier year could never be closed after this one.
    ExpectRefused(post("municipality", "/grants", GrantBody(1'000, DECISION_YEAR)), 422,
                  "period_closed", "a grant to a closed year");
    ExpectRefused(post("municipality", "/grants", GrantBody(1'000, DECISION_YEAR - 1)), 422,
                  "period_closed", "a grant to a year before a closed one");
    ExpectRefused(post("m-anna", "/proposals", ProposalBody("p-laat", 1'000)), 422, "period_closed",
                  "a proposal in a closed year");
    ExpectRefused(post("municipality", "/proposals/p-groot/cosignature"), 422, "period_closed",
                  "co-approving in a closed year");

    for (const auto& code : REQUIRED)
        EXPECT_TRUE(m_produced.contains(code)) << "never produced: " << code;
    EXPECT_TRUE(m_produced.contains("exceeds_budget_line (decision)"));
}

TEST_F(CouncilErrorsTest, ACarriedOverCommitmentIsSpentAndReleasedAfterTheYearEnd)
{
    // Issue 4: "open commitments carry over" a year end, and what is left of a commitment when
    // the project ends is released. The ledger's Book sends such a release to the next open year's
    // line or to the pool (Book::ReleaseDestination; BookTest.ReleaseAfterClose*), so nothing
    // here may answer period_closed.
    CouncilUnderTest& c = *m_council;
    ASSERT_NO_FATAL_FAILURE(c.Approve("m-anna", "p-doorloop", 400'000));
    Ok("municipality", "/periods/" + std::to_string(DECISION_YEAR) + "/close");
    EXPECT_EQ(Int(c.Line(), "committed_cents"), 400'000);
    Ok("m-cees", "/commitments/p-doorloop/spendings", SpendingBody("s-na", 100'000));
    EXPECT_EQ(Int(c.Line(), "spent_cents"), 100'000);
    const auto released =
        c.Post("m-cees", "/commitments/p-doorloop/release", R"({"reason":"Project klaar"})");
    ASSERT_EQ(released.status, 201U)
        << "a commitment carried over a closed year must still be released (else its rest stays "
           "held for ever); the Book posts it to the pool, as this line returns at year end: "
        << released.body;
    const auto line = c.Line();
    EXPECT_EQ(Int(line, "committed_cents"), 0) << line;
    EXPECT_EQ(Int(line, "available_cents"), 0) << "the closed line takes nothing back: " << line;
    const auto rest = c.Post("m-cees", "/commitments/p-doorloop/spendings", SpendingBody("s-2", 1));
    EXPECT_EQ(ProblemCode(rest), "commitment_resolved") << rest.body;
}

TEST_F(CouncilErrorsTest, WithoutATokenEveryWriteIs401WhateverItsPathIds)
{
    // The token comes first (401), then the path's ids (404): a caller without one learns
    // nothing about which ids exist, and is told what is missing.
    CouncilUnderTest& c = *m_council;
    for (const std::string rest :
         {"/mandates/Bad!/end", "/proposals/Bad!/amendments", "/proposals/Bad!/withdrawal",
          "/proposals/Bad!/cosignature", "/votes/Bad!/ballots", "/votes/Bad!/recusals",
          "/votes/Bad!/close", "/commitments/Bad!/spendings", "/commitments/Bad!/release",
          "/spendings/abc/reversal", "/spending-submissions/Bad!/confirmation",
          "/spending-submissions/Bad!/withdrawal", "/periods/1/close"}) {
        const auto refused = c.Post("", rest);
        EXPECT_EQ(refused.status, 401U) << rest << ": " << refused.body;
        EXPECT_EQ(ProblemCode(refused), "not_authenticated") << rest;
        EXPECT_EQ(refused.Header("WWW-Authenticate"), "Bearer") << rest;
        // With the token, the same ids are answered as ids that name nothing.
        const auto unknown = c.Post("municipality", rest);
        EXPECT_TRUE(unknown.status == 404U || unknown.status == 422U)
            << rest << ": " << unknown.body;
    }
}

} // namespace
} // namespace wijkbudget::test
