// tests/integration/api/failed_batch_reads_test.cpp: what `serve` reads from its in-memory
// projections after a batch that failed to commit (ledger/pg/pg_sequencer.hpp,
// ObserversShowCommitted). The batch's grant was sealed into the projections before its commit
// failed; until the projections are rebuilt from the stored ledger, reads of them answer 503
// rather than show the grant that never was, or a ledger cut short by a replay under way. Once
// rebuilt, they show the stored ledger, and the failed write can be retried under its key.
//
// The database is made to fail the batch for certain: one psql session locks the postings, so
// the batch's inserts wait; a second queues for a lock on the entries behind the batch; the
// batch's backend is terminated. The rebuild the sequencer then starts waits on the entries for
// as long as the test wants, and reads meanwhile show what readers get during a rebuild. (That
// the failed grant is never shown while the database is away is tests/deploy/
// database_outage_test.sh's.)

#include "tests/integration/api/service_under_test.hpp"

#include <chrono>
#include <future>
#include <string>
#include <thread>

namespace wijkbudget::test {
namespace {

//! A lock holder sleeps this long at most; the test cancels it well before.
constexpr std::string_view HOLD_SECONDS{"60"};
//! Polls of pg_locks before a wait that never came fails the test.
constexpr int LOCK_POLLS_MAX{250};
constexpr std::chrono::milliseconds LOCK_POLL_INTERVAL{20};

class FailedBatchReadsTest : public ApiIntegrationTest
{
protected:
    //! `lock` (a LOCK TABLE statement) held by a psql session until CancelHolder(table).
    std::future<CommandResult> HoldLock(const std::string& lock, const std::string& table)
    {
        const std::string sql = "BEGIN; " + lock + "; " + Sleep(table) + "; COMMIT";
        return std::async(std::launch::async, [this, sql] { return m_service->Psql(sql); });
    }

    void CancelHolder(const std::string& table)
    {
        m_service->Psql("SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity "
                        "WHERE query LIKE '%" +
                        Sleep(table) + "%' AND pid <> pg_backend_pid()");
    }

    //! The holder's sleep, named after the schema and table so that no other session has it.
    std::string Sleep(const std::string& table) const
    {
        return "SELECT pg_sleep(" + std::string(HOLD_SECONDS) + ") AS hold_" + m_service->Schema() +
               "_" + table;
    }

    //! Waits until a session holds (granted) or waits for (not granted) a lock on `table`; the
    //! first such session's pid, or "" if none came.
    std::string WaitForLock(const std::string& table, bool granted, const std::string& mode)
    {
        const std::string sql = "SELECT pid FROM pg_locks WHERE relation = '" +
                                m_service->Schema() + "." + table + "'::regclass AND mode = '" +
                                mode + "' AND " + (granted ? "" : "NOT ") + "granted LIMIT 1";
        for (int poll = 0; poll < LOCK_POLLS_MAX; ++poll) {
            std::string pid = m_service->Psql(sql).out;
            if (!pid.empty()) return pid.substr(0, pid.find('\n'));
            std::this_thread::sleep_for(LOCK_POLL_INTERVAL);
        }
        return {};
    }

    std::string Table(const std::string& table) const { return m_service->Schema() + "." + table; }
};

TEST_F(FailedBatchReadsTest, ReadsDuringTheRebuildAnswer503AndAfterItShowTheStoredLedger)
{
    m_service->StartServer();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil("burgwal"));
    const auto before = m_service->Send("GET", "/api/v1/councils/burgwal");
    ASSERT_EQ(before.status, 200U) << before.body;

    // The postings locked: the grant's batch seals, sends its inserts, and waits.
    auto postings = HoldLock("LOCK TABLE " + Table("postings") + " IN EXCLUSIVE MODE", "postings");
    ASSERT_FALSE(WaitForLock("postings", true, "ExclusiveLock").empty());
    const std::string key = "failed-batch-" + RandomHex(8);
    auto grant = std::async(std::launch::async, [this, &key] {
        return m_service->Post("/api/v1/councils/burgwal/grants", GrantBody(777'777),
                               m_service->MunicipalityToken(), key);
    });
    const std::string batch = WaitForLock("postings", false, "RowExclusiveLock");
    ASSERT_FALSE(batch.empty()) << "the batch never reached its inserts";

    // A lock on the entries, queued behind the batch, then the batch's backend terminated: its
    // transaction is gone, and the entries are this session's until it is cancelled.
    auto entries =
        HoldLock("LOCK TABLE " + Table("entries") + " IN ACCESS EXCLUSIVE MODE", "entries");
    ASSERT_FALSE(WaitForLock("entries", false, "AccessExclusiveLock").empty());
    ASSERT_EQ(m_service->Psql("SELECT pg_terminate_backend(" + batch + ")").out, "t\n");
    const auto failed = grant.get();
    EXPECT_EQ(failed.status, 503U) << failed.body;
    ASSERT_FALSE(WaitForLock("entries", true, "AccessExclusiveLock").empty());

    // The sequencer's thread starts the rebuild once the grant is answered; it waits for the
    // entries, and reads meanwhile get 503.
    ASSERT_FALSE(WaitForLock("entries", false, "AccessShareLock").empty())
        << "the rebuild never waited for the entries";
    for (const char* target :
         {"/api/v1/councils/burgwal", "/api/v1/councils", "/councils/burgwal"}) {
        const auto during = m_service->Send("GET", target);
        EXPECT_EQ(during.status, 503U) << target << ": " << during.body;
        if (std::string_view{target}.starts_with("/api/")) {
            EXPECT_EQ(ProblemCode(during), "storage_unavailable") << during.body;
        }
    }
    const auto not_ready = m_service->Send("GET", "/readyz");
    EXPECT_EQ(not_ready.status, 503U) << not_ready.body;
    EXPECT_NE(not_ready.body.find("rebuilt"), std::string::npos) << not_ready.body;

    // The entries free again: the rebuild completes, and the reads show the stored ledger.
    CancelHolder("entries");
    entries.get();
    HttpsResponse rebuilt;
    for (int poll = 0; poll < LOCK_POLLS_MAX; ++poll) {
        rebuilt = m_service->Send("GET", "/api/v1/councils/burgwal");
        if (rebuilt.status != 503U) break;
        std::this_thread::sleep_for(LOCK_POLL_INTERVAL);
    }
    EXPECT_EQ(rebuilt.status, 200U) << rebuilt.body;
    EXPECT_EQ(rebuilt.body, before.body) << "the failed grant is shown";
    EXPECT_EQ(m_service->Send("GET", "/readyz").status, 200U);
    CancelHolder("postings");
    postings.get();

    // Nothing was stored under the key: the retry appends the grant.
    const auto retried = m_service->Post("/api/v1/councils/burgwal/grants", GrantBody(777'777),
                                         m_service->MunicipalityToken(), key);
    EXPECT_EQ(retried.status, 201U) << retried.body;
    EXPECT_TRUE(retried.Header("Idempotency-Replayed").empty());
    const auto granted = m_service->Send("GET", "/api/v1/councils/burgwal");
    EXPECT_NE(granted.body.find("777777"), std::string::npos) << granted.body;
}

} // namespace
} // namespace wijkbudget::test
