// tests/integration/api/idempotency_test.cpp: the Idempotency-Key flow (api/write_flow.cpp,
// DESIGN.md section 4) against the real server: a key appends at most once however many copies of
// the request race, and its stored answer, success or business rejection, is replayed for good.

#include "ledger/pg/connection.hpp"
#include "tests/integration/api/service_under_test.hpp"

#include <boost/json.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <future>
#include <latch>
#include <string>
#include <thread>
#include <vector>

namespace wijkbudget::test {
namespace {

//! Copies of one request sent at once, each on its own connection (and so its own worker slot).
constexpr std::size_t CONCURRENT_REQUESTS{100};
constexpr std::string_view COUNCIL{"wijk-idempotent"};

struct Outcome {
    unsigned status{0};
    std::string body;
    std::string replayed;
    std::string error; //!< A transport failure, which the server must never cause here.
};

class IdempotencyTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
        ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil(std::string(COUNCIL)));
    }

    [[nodiscard]] std::string GrantTarget(std::string_view council = COUNCIL) const
    {
        return "/api/v1/councils/" + std::string(council) + "/grants";
    }
};

TEST_F(IdempotencyTest, ConcurrentCopiesOfOneRequestAppendOnce)
{
    const std::uint64_t size_before = m_service->LedgerSize();
    const std::string key = "grant-" + RandomHex(8);
    const std::string body = GrantBody(123'456);
    const std::string token = m_service->MunicipalityToken();

    std::vector<Outcome> outcomes(CONCURRENT_REQUESTS);
    // Every thread connects first, then all send together: the copies reach the server within
    // a few milliseconds, while the first is still queued for the sequencer.
    std::latch connected{static_cast<std::ptrdiff_t>(CONCURRENT_REQUESTS)};
    std::vector<std::thread> threads;
    for (std::size_t number = 0; number < CONCURRENT_REQUESTS; ++number) {
        threads.emplace_back([&, number] {
            Outcome& outcome = outcomes[number];
            bool arrived = false;
            try {
                HttpsClientOptions options;
                options.timeout = REQUEST_TIMEOUT;
                HttpsClient client{"127.0.0.1", m_service->Port(), options};
                arrived = true;
                connected.arrive_and_wait();
                const auto response = client.Send("POST", GrantTarget(), body,
                                                  {{"Content-Type", "application/json"},
                                                   {"Authorization", "Bearer " + token},
                                                   {"Idempotency-Key", key}});
                outcome = {
                    response.status, response.body, response.Header("Idempotency-Replayed"), {}};
            } catch (const boost::system::system_error& error) {
                if (!arrived) connected.count_down(); // The others must not wait for it.
                outcome.error = error.what();
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    std::string original_body;
    std::size_t created = 0;
    std::size_t originals = 0;
    for (const auto& outcome : outcomes) {
        ASSERT_TRUE(outcome.error.empty()) << outcome.error;
        if (outcome.status == 201) {
            ++created;
            if (outcome.replayed.empty()) ++originals;
            if (original_body.empty()) original_body = outcome.body;
            EXPECT_EQ(outcome.body, original_body) << "a replay must be the original answer";
            EXPECT_TRUE(outcome.replayed.empty() || outcome.replayed == "true") << outcome.replayed;
        } else {
            EXPECT_EQ(outcome.status, 409U) << outcome.body;
            EXPECT_EQ(JsonString(outcome.body, "code"), "idempotency_key_in_flight")
                << outcome.body;
        }
    }
    EXPECT_GE(created, 1U);
    RecordProperty("created", std::to_string(created));
    RecordProperty("in_flight", std::to_string(CONCURRENT_REQUESTS - created));
    EXPECT_EQ(originals, 1U) << "exactly one copy is the request that appended";
    EXPECT_EQ(m_service->LedgerSize(), size_before + 1) << "one key, one entry";
    ASSERT_FALSE(original_body.empty());
    EXPECT_EQ(JsonNumber(original_body, "index"), size_before);

    // Long after, the same request gets the stored answer, marked as replayed.
    const auto retry = m_service->Post(GrantTarget(), body, token, key);
    EXPECT_EQ(retry.status, 201U) << retry.body;
    EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
    EXPECT_EQ(retry.body, original_body);

    // The same key with another body is a client bug, never a second entry.
    const auto changed = m_service->Post(GrantTarget(), GrantBody(123'457), token, key);
    EXPECT_EQ(changed.status, 422U) << changed.body;
    EXPECT_EQ(ProblemCode(changed), "idempotency_key_reused") << changed.body;

    const auto missing = m_service->Post(GrantTarget(), body, token, "");
    EXPECT_EQ(missing.status, 400U) << missing.body;
    EXPECT_EQ(ProblemCode(missing), "idempotency_key_missing") << missing.body;

    EXPECT_EQ(m_service->LedgerSize(), size_before + 1);
}

TEST_F(IdempotencyTest, ARetryUnderANewTokenOfTheSameActorIsReplayed)
{
    // Tokens expire and a login makes a new one: a client that logs in again and retries must
    // find its first answer. Keys belong to the actor a token acts as, not to the token.
    const std::uint64_t size_before = m_service->LedgerSize();
    const std::string key = "relogin-" + RandomHex(8);
    const std::string body = GrantBody(7'007);
    const auto first = m_service->Post(GrantTarget(), body, m_service->MunicipalityToken(), key);
    ASSERT_EQ(first.status, 201U) << first.body;

    const std::string same_actor = m_service->CreateToken("municipality", "gemeente-test");
    ASSERT_FALSE(same_actor.empty());
    ASSERT_NE(same_actor, m_service->MunicipalityToken());
    const auto retry = m_service->Post(GrantTarget(), body, same_actor, key);
    EXPECT_EQ(retry.status, 201U) << retry.body;
    EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
    EXPECT_EQ(retry.body, first.body);
    EXPECT_EQ(m_service->LedgerSize(), size_before + 1) << "one key, one actor, one entry";

    // Another actor's key of the same spelling is its own: it appends, and replays nothing.
    const std::string other_actor = m_service->CreateToken("municipality", "gemeente-andere");
    ASSERT_FALSE(other_actor.empty());
    const auto other = m_service->Post(GrantTarget(), body, other_actor, key);
    EXPECT_EQ(other.status, 201U) << other.body;
    EXPECT_TRUE(other.Header("Idempotency-Replayed").empty());
    EXPECT_EQ(m_service->LedgerSize(), size_before + 2);
}

TEST_F(IdempotencyTest, BusinessRejectionIsStoredAndReplayed)
{
    const std::uint64_t size_before = m_service->LedgerSize();
    const std::string key = "grant-unknown-" + RandomHex(8);
    const std::string body = GrantBody(50'000);
    const std::string token = m_service->MunicipalityToken();

    // The council is checked by the sequencer against the ledger (services/councils.hpp), so
    // the refusal is an outcome of the write and is stored under the key like a success.
    const auto first = m_service->Post(GrantTarget("wijk-onbekend"), body, token, key);
    EXPECT_EQ(first.status, 404U) << first.body;
    EXPECT_EQ(ProblemCode(first), "council_unknown") << first.body;
    EXPECT_EQ(first.Header("Content-Type"), "application/problem+json");
    EXPECT_TRUE(first.Header("Idempotency-Replayed").empty());

    const auto again = m_service->Post(GrantTarget("wijk-onbekend"), body, token, key);
    EXPECT_EQ(again.status, 404U) << again.body;
    EXPECT_EQ(ProblemCode(again), "council_unknown") << again.body;
    EXPECT_EQ(again.Header("Idempotency-Replayed"), "true");
    // The original body byte for byte, the first request's id in it included; the retry's own
    // id is in its X-Request-Id header.
    EXPECT_EQ(again.body, first.body);
    EXPECT_NE(again.Header("X-Request-Id"), first.Header("X-Request-Id"));
    EXPECT_NE(first.body.find("\"request_id\":\"" + first.Header("X-Request-Id") + "\""),
              std::string::npos)
        << first.body;

    // Registering the council later does not turn the stored refusal into a success.
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil("wijk-onbekend"));
    const std::uint64_t size_registered = m_service->LedgerSize();
    const auto after = m_service->Post(GrantTarget("wijk-onbekend"), body, token, key);
    EXPECT_EQ(after.status, 404U) << after.body;
    EXPECT_EQ(after.Header("Idempotency-Replayed"), "true");
    EXPECT_EQ(m_service->LedgerSize(), size_registered);
    EXPECT_EQ(size_registered, size_before + 1) << "only the registration was appended";
}

TEST_F(IdempotencyTest, ACopyOfARequestStillInFlightGets409)
{
    const std::uint64_t size_before = m_service->LedgerSize();
    // Another server's long batch, as this one sees it: a session holding the ledger's lock for a
    // while. The first request waits for it, in flight, for certain.
    const std::string lock_key = std::to_string(ledger::pg::LedgerLockKey(m_service->Schema()));
    auto holder = std::async(std::launch::async, [this, &lock_key] {
        return m_service->Psql("SELECT pg_advisory_lock(" + lock_key + "); SELECT pg_sleep(3)");
    });
    std::string holding;
    for (int poll = 0; poll < 100 && holding != "1\n"; ++poll) {
        std::this_thread::sleep_for(std::chrono::milliseconds{30});
        holding = m_service
                      ->Psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
                             "AND query LIKE '%pg_advisory_lock(" +
                             lock_key + ")%'")
                      .out;
    }
    ASSERT_EQ(holding, "1\n") << "the lock holder never started";

    const std::string key = "in-flight-" + RandomHex(8);
    auto first = std::async(std::launch::async, [this, &key] {
        return m_service->Post(GrantTarget(), GrantBody(4'242), m_service->MunicipalityToken(),
                               key);
    });
    // It is in flight once its batch waits for the ledger's lock (another session's, here).
    const std::uint64_t key_bits = static_cast<std::uint64_t>(std::stoll(lock_key));
    const std::string waiting_for_lock =
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = " +
        std::to_string(key_bits >> 32U) + " AND objid = " + std::to_string(key_bits & 0xffffffffU);
    std::string waiting;
    for (int poll = 0; poll < 100 && waiting != "1\n"; ++poll) {
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
        waiting = m_service->Psql(waiting_for_lock).out;
    }
    ASSERT_EQ(waiting, "1\n") << "the first request never reached the sequencer";
    const auto copy =
        m_service->Post(GrantTarget(), GrantBody(4'242), m_service->MunicipalityToken(), key);
    EXPECT_EQ(copy.status, 409U) << copy.body;
    EXPECT_EQ(JsonString(copy.body, "code"), "idempotency_key_in_flight") << copy.body;

    EXPECT_EQ(holder.get().exit_status, 0);
    const auto original = first.get();
    EXPECT_EQ(original.status, 201U) << original.body;
    EXPECT_EQ(m_service->LedgerSize(), size_before + 1);
    // Once answered, the key replays.
    const auto retry =
        m_service->Post(GrantTarget(), GrantBody(4'242), m_service->MunicipalityToken(), key);
    EXPECT_EQ(retry.status, 201U) << retry.body;
    EXPECT_EQ(retry.Header("Idempotency-Replayed"), "true");
    EXPECT_EQ(m_service->LedgerSize(), size_before + 1);
}

} // namespace
} // namespace wijkbudget::test
