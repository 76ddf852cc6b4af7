// tests/integration/api/two_processes_test.cpp: two `serve` processes on one schema (DESIGN.md
// section 8). The advisory lock lets one sequencer write at a time and each catches up before it
// seals, so concurrent appends through both end in one linear, gapless ledger that verifies, and
// each process signs only checkpoints of that one history.

#include "tests/integration/api/service_under_test.hpp"

#include <boost/system/system_error.hpp>

#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace wijkbudget::test {
namespace {

constexpr std::size_t SERVERS{2};
constexpr std::size_t CLIENT_THREADS{4};
constexpr std::size_t GRANTS_PER_CLIENT{50};
//! 503 (a batch that lost too many serialization retries) says "retry"; more than this many
//! retries of one request means the servers are stuck, not busy.
constexpr int RETRIES_MAX{20};
constexpr std::chrono::milliseconds RETRY_PAUSE{20ms};
constexpr std::int64_t AMOUNT_BASE{5'000'000};
constexpr std::string_view COUNCIL{"wijk-samen"};

struct Acknowledged {
    std::string key;
    std::size_t server{0};
    std::uint64_t index{0};
    std::string entry;
};

class TwoProcessesTest : public ApiIntegrationTest
{
};

TEST_F(TwoProcessesTest, ConcurrentAppendsThroughTwoServersMakeOneLedger)
{
    for (std::size_t server = 0; server < SERVERS; ++server)
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil(std::string(COUNCIL)));
    const std::uint64_t setup_entries = m_service->LedgerSize(0);

    std::mutex mutex;
    std::vector<Acknowledged> acknowledged; // Guarded by mutex.
    std::vector<std::string> failures;      // Guarded by mutex.
    const std::string target = "/api/v1/councils/" + std::string(COUNCIL) + "/grants";
    const std::string token = m_service->MunicipalityToken();
    std::vector<std::thread> clients;
    for (std::size_t client = 0; client < CLIENT_THREADS; ++client) {
        clients.emplace_back([&, client] {
            for (std::size_t grant = 0; grant < GRANTS_PER_CLIENT; ++grant) {
                // Alternating, and each client starting on another server, keeps both busy.
                const std::size_t server = (client + grant) % SERVERS;
                const auto serial = static_cast<std::int64_t>(client * GRANTS_PER_CLIENT + grant);
                const std::string key = "samen-" + std::to_string(serial);
                std::string failure;
                for (int attempt = 0; attempt <= RETRIES_MAX; ++attempt) {
                    try {
                        const auto response = m_service->Post(
                            target, GrantBody(AMOUNT_BASE + serial), token, key, server);
                        if (response.status == 503) {
                            failure = response.body;
                            std::this_thread::sleep_for(RETRY_PAUSE);
                            continue;
                        }
                        std::lock_guard lock{mutex};
                        if (response.status != 201) {
                            failures.push_back(key + ": status " + std::to_string(response.status) +
                                               ": " + response.body);
                        } else {
                            acknowledged.push_back({key, server,
                                                    JsonNumber(response.body, "index").value_or(0),
                                                    JsonString(response.body, "entry")});
                        }
                        failure.clear();
                        break;
                    } catch (const boost::system::system_error& error) {
                        failure = error.what();
                        break; // Both servers stay up: a transport error is a failure here.
                    }
                }
                if (!failure.empty()) {
                    std::lock_guard lock{mutex};
                    failures.push_back(key + ": " + failure);
                }
            }
        });
    }
    for (auto& client : clients)
        client.join();
    for (const auto& failure : failures)
        ADD_FAILURE() << failure;
    ASSERT_EQ(acknowledged.size(), CLIENT_THREADS * GRANTS_PER_CLIENT);

    const std::uint64_t size = m_service->LedgerSize(1);
    EXPECT_EQ(size, setup_entries + acknowledged.size());
    EXPECT_EQ(m_service->LedgerSize(0), size);
    const std::string exported = m_service->Export(1);
    const auto lines = Lines(exported);
    ASSERT_EQ(lines.size(), size) << "gapless: one line per index 0..size-1";
    std::set<std::uint64_t> indices;
    std::set<std::size_t> servers_used;
    for (const auto& entry : acknowledged) {
        EXPECT_TRUE(indices.insert(entry.index).second) << "index " << entry.index << " twice";
        ASSERT_LT(entry.index, lines.size());
        EXPECT_EQ(lines[entry.index], entry.entry) << entry.key << " via server " << entry.server;
        servers_used.insert(entry.server);
    }
    EXPECT_EQ(servers_used.size(), SERVERS);

    const auto export_file = m_service->WriteFile("export.ndjson", exported);
    for (std::size_t server = 0; server < SERVERS; ++server) {
        SCOPED_TRACE("checkpoint of server " + std::to_string(server));
        const std::string checkpoint = m_service->Checkpoint(server);
        EXPECT_EQ(CheckpointSize(checkpoint), size);
        const auto checkpoint_file =
            m_service->WriteFile("checkpoint" + std::to_string(server) + ".txt", checkpoint);
        const auto signature = ServiceUnderTest::Verify(
            {"checkpoint", "--vkey", m_service->VerifierKey(), checkpoint_file.string()});
        EXPECT_EQ(signature.exit_status, 0) << signature.Describe();
        const auto verified = ServiceUnderTest::Verify({"export", export_file.string(),
                                                        "--checkpoint", checkpoint_file.string(),
                                                        "--vkey", m_service->VerifierKey()});
        EXPECT_EQ(verified.exit_status, 0) << verified.Describe();
    }
}

} // namespace
} // namespace wijkbudget::test
