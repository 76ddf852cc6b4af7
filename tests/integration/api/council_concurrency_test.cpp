// tests/integration/api/council_concurrency_test.cpp: issue 4's "with a line holding B cents, 50
// concurrent commitments (or spendings) of a cents each succeed exactly floor(B/a) times and the
// line never goes below zero, repeated over many rounds", over HTTPS against the real database.
//
// Spendings: each round approves a proposal of B cents (a commitment, within the co-approval
// limit, and with spendings of `a` below the confirmation limit so that they post at once), then
// 50 threads, each on its own connection and with its own Idempotency-Key, are released together
// by a latch to spend `a` cents each. Confirmations: 50 spendings above the confirmation limit
// wait (holding nothing), and 50 confirmations race for the commitment at once. Commitments:
// proposals are approved by votes closed all at once against a line that can hold only some.
// Afterwards the budget line is read at every ledger size, so a negative figure at any moment in
// between would be seen.

#include "tests/integration/api/council_under_test.hpp"

#include <latch>
#include <thread>

namespace wijkbudget::test {
namespace {

constexpr std::int64_t GRANT{1'000'000};
constexpr std::int64_t COSIGN_ABOVE{500'000};
constexpr std::int64_t CONFIRM_ABOVE{100'000};
//! B and a do not divide: floor(1000 / 70) = 14 succeed, 20 cents are left each round.
constexpr std::int64_t COMMITMENT_CENTS{1'000};
constexpr std::int64_t SPENDING_CENTS{70};
constexpr std::size_t CONCURRENT_REQUESTS{50};
constexpr int ROUNDS{5};

//! What one concurrent request got: its status (0 on a transport failure) and problem code.
struct Outcome {
    unsigned status{0};
    std::string code;
    std::string body;
};

/**
 * Sends `requests[i]` (target, body) as `token`, each from its own thread on its own connection,
 * all released at once once every connection is open. POSTs with distinct Idempotency-Keys.
 */
std::vector<Outcome> SendTogether(std::uint16_t port, const std::string& token,
                                  const std::vector<std::pair<std::string, std::string>>& requests)
{
    std::vector<Outcome> outcomes(requests.size());
    std::latch start{static_cast<std::ptrdiff_t>(requests.size())};
    std::vector<std::thread> threads;
    threads.reserve(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i) {
        threads.emplace_back([&, i] {
            Outcome& outcome = outcomes[i];
            bool arrived = false;
            try {
                HttpsClientOptions options;
                options.trusted_certificate_path = WB_TEST_DATA_DIR "/support/tls/cert.pem";
                options.timeout = REQUEST_TIMEOUT;
                HttpsClient client{"127.0.0.1", port, options};
                arrived = true;
                start.arrive_and_wait();
                const Headers headers{
                    {"Content-Type", "application/json"},
                    {"Authorization", "Bearer " + token},
                    {"Idempotency-Key", "c-" + std::to_string(i) + "-" + RandomHex(8)}};
                const auto response =
                    client.Send("POST", requests[i].first, requests[i].second, headers);
                outcome = {response.status, ProblemCode(response), response.body};
                client.Close();
            } catch (const std::exception& error) {
                // A thread that failed to connect arrives anyway, so the others are released.
                if (!arrived) start.count_down();
                outcome.body = error.what();
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    return outcomes;
}

//! `count` spendings of `cents` on `commitment`, with ids "<prefix><i>".
std::vector<std::pair<std::string, std::string>>
SpendingRequests(const CouncilUnderTest& council, const std::string& commitment,
                 const std::string& prefix, std::size_t count, std::int64_t cents)
{
    std::vector<std::pair<std::string, std::string>> requests;
    for (std::size_t i = 0; i < count; ++i) {
        requests.emplace_back(
            council.Path("/commitments/" + commitment + "/spendings"),
            R"({"id":")" + prefix + std::to_string(i) + R"(","amount_cents":)" +
                std::to_string(cents) +
                R"(,"paid_on":"2025-04-01","payee":"Stichting Groen","invoice_sha256":")" +
                std::string(64, 'c') + R"(","description":"Termijn"})");
    }
    return requests;
}

//! How many answers were 201, and how many `status` with `refusal`; anything else fails the test.
std::pair<std::int64_t, std::int64_t> Tally(const std::vector<Outcome>& outcomes,
                                            std::string_view refusal, unsigned status = 422U)
{
    std::int64_t created = 0;
    std::int64_t refused = 0;
    for (const auto& outcome : outcomes) {
        if (outcome.status == 201U) {
            ++created;
        } else if (outcome.status == status && outcome.code == refusal) {
            ++refused;
        } else {
            ADD_FAILURE() << "unexpected answer: " << outcome.status << " " << outcome.body;
        }
    }
    return {created, refused};
}

class CouncilConcurrencyTest : public CouncilTest
{
protected:
    void SetUp() override
    {
        CouncilTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(StartCouncil(GRANT, false));
        CouncilUnderTest& council = *m_council;
        // A quorum of 1%: one vote in favour carries, so Approve() needs no one else.
        ASSERT_NO_FATAL_FAILURE(
            council.SetBylaws(1, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    }

    //! The council's commitment `id` as GET commitments lists it.
    boost::json::object Commitment(const std::string& id)
    {
        const auto listed = m_council->Get("/commitments");
        for (const auto& commitment : listed.at("commitments").as_array()) {
            if (Text(commitment.as_object(), "id") == id) return commitment.as_object();
        }
        ADD_FAILURE() << "no commitment " << id << " in " << listed;
        return {};
    }

    //! Every figure of the line at every ledger size from `from` to now is at least zero.
    void ExpectLineNeverNegative(std::uint64_t from)
    {
        const std::uint64_t size = m_service->LedgerSize();
        for (std::uint64_t at = from; at <= size; ++at) {
            const auto line = m_council->Line(at);
            for (const auto& figure : line) {
                const std::string name{figure.key().data(), figure.key().size()};
                if (!name.ends_with("_cents")) continue;
                EXPECT_GE(figure.value().to_number<std::int64_t>(), 0) << name << " at size " << at;
            }
        }
    }
};

TEST_F(CouncilConcurrencyTest, ConcurrentSpendingsSucceedExactlyAsOftenAsTheCommitmentHolds)
{
    CouncilUnderTest& council = *m_council;
    const std::int64_t successes_expected = COMMITMENT_CENTS / SPENDING_CENTS;
    const std::int64_t left_expected = COMMITMENT_CENTS % SPENDING_CENTS;
    const std::uint64_t size_at_start = m_service->LedgerSize();
    for (int round = 0; round < ROUNDS; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string proposal = "p-ronde-" + std::to_string(round);
        ASSERT_NO_FATAL_FAILURE(council.Approve("m-anna", proposal, COMMITMENT_CENTS));
        const auto requests =
            SpendingRequests(council, proposal, "s-" + std::to_string(round) + "-",
                             CONCURRENT_REQUESTS, SPENDING_CENTS);
        const std::uint64_t size_before = m_service->LedgerSize();
        const auto outcomes = SendTogether(m_service->Port(), council.TokenOf("m-cees"), requests);
        const auto [created, exceeded] = Tally(outcomes, "spending_exceeds_commitment");
        EXPECT_EQ(created, successes_expected);
        EXPECT_EQ(exceeded, static_cast<std::int64_t>(CONCURRENT_REQUESTS) - successes_expected);
        EXPECT_EQ(m_service->LedgerSize(), size_before + static_cast<std::uint64_t>(created))
            << "a refused spending wrote";

        const auto commitment = Commitment(proposal);
        EXPECT_EQ(Int(commitment, "spent_cents"), successes_expected * SPENDING_CENTS);
        EXPECT_EQ(Int(commitment, "left_cents"), left_expected);
        const auto line = council.Line();
        const std::int64_t rounds_done = round + 1;
        EXPECT_EQ(Int(line, "spent_cents"), rounds_done * successes_expected * SPENDING_CENTS);
        EXPECT_EQ(Int(line, "committed_cents"), rounds_done * left_expected);
        EXPECT_EQ(Int(line, "available_cents"), GRANT - rounds_done * COMMITMENT_CENTS);
    }
    ExpectLineNeverNegative(size_at_start);
}

TEST_F(CouncilConcurrencyTest, ConcurrentConfirmationsSucceedExactlyAsOftenAsTheCommitmentHolds)
{
    // Above the confirmation limit a spending is first submitted, holding nothing; each
    // confirmation checks again what is left, so 50 confirmations at once race for the same cents.
    CouncilUnderTest& council = *m_council;
    ASSERT_NO_FATAL_FAILURE(
        council.SetBylaws(1, "simple", "rejected", COSIGN_ABOVE, SPENDING_CENTS - 1));
    ASSERT_NO_FATAL_FAILURE(council.Approve("m-anna", "p-bevestig", COMMITMENT_CENTS));
    const std::uint64_t size_at_start = m_service->LedgerSize();
    const auto submitted = SendTogether(
        m_service->Port(), council.TokenOf("m-cees"),
        SpendingRequests(council, "p-bevestig", "s-wacht-", CONCURRENT_REQUESTS, SPENDING_CENTS));
    const std::int64_t waiting = Tally(submitted, "").first;
    ASSERT_EQ(waiting, static_cast<std::int64_t>(CONCURRENT_REQUESTS)) << "pending hold nothing";
    EXPECT_EQ(Int(Commitment("p-bevestig"), "left_cents"), COMMITMENT_CENTS);

    std::vector<std::pair<std::string, std::string>> confirmations;
    for (std::size_t i = 0; i < CONCURRENT_REQUESTS; ++i) {
        confirmations.emplace_back(
            council.Path("/spending-submissions/s-wacht-" + std::to_string(i) + "/confirmation"),
            "{}");
    }
    const auto confirmed =
        SendTogether(m_service->Port(), council.TokenOf("m-bram"), confirmations);
    const auto [created, exceeded] = Tally(confirmed, "spending_exceeds_commitment");
    EXPECT_EQ(created, COMMITMENT_CENTS / SPENDING_CENTS);
    EXPECT_EQ(exceeded,
              static_cast<std::int64_t>(CONCURRENT_REQUESTS) - COMMITMENT_CENTS / SPENDING_CENTS);
    const auto commitment = Commitment("p-bevestig");
    EXPECT_EQ(Int(commitment, "left_cents"), COMMITMENT_CENTS % SPENDING_CENTS);
    EXPECT_EQ(Int(council.Line(), "spent_cents"),
              COMMITMENT_CENTS / SPENDING_CENTS * SPENDING_CENTS);
    ExpectLineNeverNegative(size_at_start);
}

TEST_F(CouncilConcurrencyTest, ConcurrentApprovalsCommitOnlyWhatTheLineHolds)
{
    // A second council whose line holds 10,000 cents: 12 approvals of 3,000 close at once; three
    // become commitments, nine are recorded with commitment_refused = exceeds_budget_line.
    constexpr std::int64_t LINE_CENTS{10'000};
    constexpr std::int64_t PROPOSAL_CENTS{3'000};
    constexpr std::size_t PROPOSALS{12};
    m_council = std::make_unique<CouncilUnderTest>(*m_service, "kade");
    CouncilUnderTest& council = *m_council;
    ASSERT_NO_FATAL_FAILURE(council.Register(LINE_CENTS));
    ASSERT_NO_FATAL_FAILURE(council.Seat("k-anna", "chair"));
    ASSERT_NO_FATAL_FAILURE(council.Seat("k-bram"));
    ASSERT_NO_FATAL_FAILURE(council.Seat("k-cees", "treasurer"));
    ASSERT_NO_FATAL_FAILURE(
        council.SetBylaws(1, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    const std::uint64_t size_at_start = m_service->LedgerSize();

    std::vector<std::pair<std::string, std::string>> closes;
    for (std::size_t i = 0; i < PROPOSALS; ++i) {
        const std::string proposal = "p-" + std::to_string(i);
        ASSERT_NO_FATAL_FAILURE(council.Propose("k-anna", proposal, PROPOSAL_CENTS));
        const auto cast =
            council.Post("k-anna", "/votes/v-" + proposal + "/ballots", R"({"choice":"for"})");
        ASSERT_EQ(cast.status, 201U) << cast.body;
        // The others abstain: before its deadline the opener closes a vote only once all voted.
        for (const char* other : {"k-bram", "k-cees"}) {
            const auto abstained =
                council.Post(other, "/votes/v-" + proposal + "/ballots", R"({"choice":"abstain"})");
            ASSERT_EQ(abstained.status, 201U) << abstained.body;
        }
        closes.emplace_back(council.Path("/votes/v-" + proposal + "/close"), "{}");
    }
    const std::uint64_t size_before = m_service->LedgerSize();
    const auto outcomes = SendTogether(m_service->Port(), council.TokenOf("k-anna"), closes);
    for (const auto& outcome : outcomes)
        EXPECT_EQ(outcome.status, 201U) << outcome.body;
    EXPECT_EQ(m_service->LedgerSize(), size_before + PROPOSALS) << "one decision per vote";

    const std::int64_t held_expected = LINE_CENTS / PROPOSAL_CENTS;
    std::int64_t committed = 0;
    std::int64_t refused = 0;
    for (std::size_t i = 0; i < PROPOSALS; ++i) {
        const auto vote = council.Get("/votes/v-p-" + std::to_string(i));
        const auto& decision = vote.at("decision").as_object();
        EXPECT_EQ(Text(decision, "result"), "approved") << decision;
        if (Text(decision, "commitment") == "p-" + std::to_string(i)) ++committed;
        if (Text(decision, "commitment_refused") == "exceeds_budget_line") ++refused;
    }
    EXPECT_EQ(committed, held_expected);
    EXPECT_EQ(refused, static_cast<std::int64_t>(PROPOSALS) - held_expected);
    EXPECT_EQ(
        static_cast<std::int64_t>(council.Get("/commitments").at("commitments").as_array().size()),
        held_expected);
    const auto line = council.Line();
    EXPECT_EQ(Int(line, "committed_cents"), held_expected * PROPOSAL_CENTS);
    EXPECT_EQ(Int(line, "available_cents"), LINE_CENTS - held_expected * PROPOSAL_CENTS);
    ExpectLineNeverNegative(size_at_start);
}

TEST_F(CouncilConcurrencyTest, ConcurrentDuplicatesSucceedOnce)
{
    // The same act sent at once under distinct Idempotency-Keys: one ballot per member, and one
    // reversal per spending, however the requests interleave.
    constexpr std::size_t DUPLICATES{10};
    CouncilUnderTest& council = *m_council;
    ASSERT_NO_FATAL_FAILURE(council.Propose("m-anna", "p-dubbel", COMMITMENT_CENTS));
    const std::vector<std::pair<std::string, std::string>> ballots(
        DUPLICATES, {council.Path("/votes/v-p-dubbel/ballots"), R"({"choice":"for"})"});
    const auto cast = SendTogether(m_service->Port(), council.TokenOf("m-bram"), ballots);
    const auto [ballots_cast, already] = Tally(cast, "already_voted", 409U);
    EXPECT_EQ(ballots_cast, 1);
    EXPECT_EQ(already, static_cast<std::int64_t>(DUPLICATES) - 1);
    EXPECT_EQ(council.Get("/votes/v-p-dubbel").at("ballots").as_array().size(), 1U);

    ASSERT_NO_FATAL_FAILURE(council.Approve("m-anna", "p-terug", COMMITMENT_CENTS));
    const auto spent = council.Post("m-cees", "/commitments/p-terug/spendings",
                                    SpendingRequests(council, "p-terug", "s-", 1, 300)[0].second);
    ASSERT_EQ(spent.status, 201U) << spent.body;
    const auto index = JsonNumber(spent.body, "index");
    ASSERT_TRUE(index.has_value());
    const std::vector<std::pair<std::string, std::string>> reversals(
        DUPLICATES, {council.Path("/spendings/" + std::to_string(*index) + "/reversal"),
                     R"({"reason":"Dubbel geboekt"})"});
    const auto reversed = SendTogether(m_service->Port(), council.TokenOf("m-cees"), reversals);
    const auto [reversed_once, already_reversed] =
        Tally(reversed, "spending_already_reversed", 409U);
    EXPECT_EQ(reversed_once, 1);
    EXPECT_EQ(already_reversed, static_cast<std::int64_t>(DUPLICATES) - 1);
    const auto commitment = Commitment("p-terug");
    EXPECT_EQ(Int(commitment, "left_cents"), COMMITMENT_CENTS) << commitment;
    EXPECT_EQ(Int(council.Line(), "spent_cents"), 0);
}

} // namespace
} // namespace wijkbudget::test
