// tests/integration/api/crash_test.cpp: "acknowledged means durable" (DESIGN.md section 4) under
// SIGKILL. Clients append grants while the server is killed and restarted again and again; every
// request is retried with its own Idempotency-Key until it is answered. Afterwards the ledger must
// hold every acknowledged entry exactly once, at the index and with the bytes it was acknowledged
// with, gapless, and verifiable against its last signed checkpoint.

#include "tests/integration/api/service_under_test.hpp"

#include <boost/system/system_error.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace wijkbudget::test {
namespace {

//! At least twenty crashes, as the durability claim is about many unlucky moments, not one.
constexpr int CRASHES{20};
constexpr std::chrono::milliseconds KILL_INTERVAL_MIN{50ms};
constexpr std::chrono::milliseconds KILL_INTERVAL_MAX{300ms};
constexpr std::size_t CLIENT_THREADS{4};
//! A client's pause after a refused connection or a 409/503, while the server restarts.
constexpr std::chrono::milliseconds RETRY_PAUSE{10ms};
//! Each attempt is short: a killed server resets its connections, so a long wait means a hang.
constexpr std::chrono::milliseconds ATTEMPT_TIMEOUT{5s};
//! After the last restart a client gets this long to finish its request before it gives up.
constexpr std::chrono::milliseconds FINISH_TIMEOUT{30s};
//! Amounts are this plus a unique serial number, so each entry names the request it came from.
constexpr std::int64_t AMOUNT_BASE{7'000'000};
constexpr std::string_view COUNCIL{"wijk-crash"};

struct Acknowledged {
    std::string key;
    std::int64_t amount{0};
    std::uint64_t index{0};
    std::string entry;
};

//! What the clients share with the test thread.
struct Shared {
    std::atomic<std::uint16_t> port{0};
    std::atomic<bool> stopping{false};
    std::atomic<std::int64_t> next_serial{0};
    std::atomic<std::size_t> connection_failures{0};
    std::mutex mutex;
    std::vector<Acknowledged> acknowledged; //!< Guarded by mutex.
    std::vector<std::string> failures;      //!< Guarded by mutex.
};

//! Appends grants until told to stop; each one is retried with the same key until answered.
void RunClient(Shared& shared, const std::string& token, std::size_t client_number)
{
    HttpsClientOptions options;
    options.timeout = ATTEMPT_TIMEOUT;
    const std::string target = "/api/v1/councils/" + std::string(COUNCIL) + "/grants";
    while (!shared.stopping.load()) {
        const std::int64_t serial = shared.next_serial.fetch_add(1);
        const std::string key =
            "crash-" + std::to_string(client_number) + "-" + std::to_string(serial);
        const std::int64_t amount = AMOUNT_BASE + serial;
        std::optional<std::chrono::steady_clock::time_point> give_up;
        while (true) {
            if (shared.stopping.load() && !give_up)
                give_up = std::chrono::steady_clock::now() + FINISH_TIMEOUT;
            if (give_up && std::chrono::steady_clock::now() > *give_up) {
                std::lock_guard lock{shared.mutex};
                shared.failures.push_back(key + ": no answer after the last restart");
                return;
            }
            HttpsResponse response;
            try {
                HttpsClient client{"127.0.0.1", shared.port.load(), options};
                response = client.Send("POST", target, GrantBody(amount),
                                       {{"Content-Type", "application/json"},
                                        {"Authorization", "Bearer " + token},
                                        {"Idempotency-Key", key}});
            } catch (const boost::system::system_error&) {
                // The server died under us (or is not up yet): the same request again.
                ++shared.connection_failures;
                std::this_thread::sleep_for(RETRY_PAUSE);
                continue;
            }
            if (response.status == 201) {
                const auto index = JsonNumber(response.body, "index");
                std::lock_guard lock{shared.mutex};
                if (!index) {
                    shared.failures.push_back(key + ": 201 without an index: " + response.body);
                    return;
                }
                shared.acknowledged.push_back(
                    {key, amount, *index, JsonString(response.body, "entry")});
                break;
            }
            // 409: an earlier copy is still queued in this process; 503: the sequencer is not
            // ready (or stopping). Both say "try again", and the key keeps it to one entry.
            if (response.status == 409 || response.status == 503) {
                std::this_thread::sleep_for(RETRY_PAUSE);
                continue;
            }
            std::lock_guard lock{shared.mutex};
            shared.failures.push_back(key + ": status " + std::to_string(response.status) + ": " +
                                      response.body);
            return;
        }
    }
}

//! The lines of the export that hold `"amount_cents":amount` as a whole number.
std::size_t LinesWithAmount(const std::vector<std::string>& lines, std::int64_t amount)
{
    const std::string needle = "\"amount_cents\":" + std::to_string(amount);
    std::size_t count = 0;
    for (const auto& line : lines) {
        for (auto at = line.find(needle); at != std::string::npos; at = line.find(needle, at + 1)) {
            const auto after = at + needle.size();
            if (after < line.size() && line[after] >= '0' && line[after] <= '9') continue;
            ++count;
            break;
        }
    }
    return count;
}

class CrashTest : public ApiIntegrationTest
{
};

TEST_F(CrashTest, AcknowledgedAppendsSurviveRepeatedSigkill)
{
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil(std::string(COUNCIL)));
    const std::uint64_t setup_entries = m_service->LedgerSize();

    Shared shared;
    shared.port = m_service->Port();
    std::vector<std::thread> clients;
    for (std::size_t client = 0; client < CLIENT_THREADS; ++client)
        clients.emplace_back(RunClient, std::ref(shared), m_service->MunicipalityToken(), client);

    std::mt19937 random{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> interval{KILL_INTERVAL_MIN.count(),
                                                         KILL_INTERVAL_MAX.count()};
    int crashes = 0;
    // The loop ends at the first failure too, so that the clients are always stopped and joined.
    for (; crashes < CRASHES && !HasFatalFailure(); ++crashes) {
        std::this_thread::sleep_for(std::chrono::milliseconds{interval(random)});
        m_service->KillServer(0);
        if (HasFatalFailure()) break;
        m_service->RestartServer(0);
        shared.port = m_service->Port();
    }
    shared.stopping = true;
    for (auto& client : clients)
        client.join();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_EQ(crashes, CRASHES);
    for (const auto& failure : shared.failures)
        ADD_FAILURE() << failure;
    ASSERT_TRUE(shared.failures.empty());
    ASSERT_GT(shared.acknowledged.size(), 0U);
    RecordProperty("acknowledged", std::to_string(shared.acknowledged.size()));
    RecordProperty("connection_failures", std::to_string(shared.connection_failures.load()));
    EXPECT_GT(shared.connection_failures.load(), 0U) << "no request was ever cut by a kill";

    // Every request was answered, so the ledger holds exactly one entry per key: more would be a
    // duplicate, fewer a lost acknowledgement.
    const std::string exported = m_service->Export();
    const auto lines = Lines(exported);
    const std::uint64_t size = m_service->LedgerSize();
    EXPECT_EQ(lines.size(), size) << "the export has one line per index 0..size-1";
    EXPECT_EQ(size, setup_entries + shared.acknowledged.size());

    std::set<std::uint64_t> indices;
    for (const auto& acknowledged : shared.acknowledged) {
        EXPECT_TRUE(indices.insert(acknowledged.index).second)
            << "two acknowledgements name index " << acknowledged.index;
        ASSERT_LT(acknowledged.index, lines.size()) << acknowledged.key;
        EXPECT_EQ(lines[acknowledged.index], acknowledged.entry)
            << acknowledged.key << " was acknowledged at " << acknowledged.index
            << " with other bytes";
        EXPECT_EQ(LinesWithAmount(lines, acknowledged.amount), 1U)
            << acknowledged.key << ": its grant must be in the ledger exactly once";
    }

    // The stored answers agree: one record per key, each at its own entry.
    const auto records =
        m_service->Psql("SELECT count(*), count(DISTINCT leaf_index) FROM " + m_service->Schema() +
                        ".idempotency_records WHERE key LIKE 'crash-%'");
    ASSERT_EQ(records.exit_status, 0) << records.Describe();
    const std::string expected_count = std::to_string(shared.acknowledged.size());
    EXPECT_EQ(records.out, expected_count + "|" + expected_count + "\n");

    const std::string checkpoint = m_service->Checkpoint();
    EXPECT_EQ(CheckpointSize(checkpoint), size) << "every committed batch is signed";
    const auto export_file = m_service->WriteFile("export.ndjson", exported);
    const auto checkpoint_file = m_service->WriteFile("checkpoint.txt", checkpoint);
    const auto verified =
        ServiceUnderTest::Verify({"export", export_file.string(), "--checkpoint",
                                  checkpoint_file.string(), "--vkey", m_service->VerifierKey()});
    EXPECT_EQ(verified.exit_status, 0) << verified.Describe();
}

} // namespace
} // namespace wijkbudget::test
