#include "tests/integration/pg/pg_test_database.hpp"

#include "ledger/pg/connection.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include <unistd.h>

namespace wijkbudget::testing {
namespace {

//! How long DropConnectionOf waits for a terminated backend to be gone: 200 x 10 ms.
constexpr int BACKEND_END_POLLS_MAX{200};
constexpr std::chrono::milliseconds BACKEND_END_POLL_INTERVAL{10};

std::string UniqueSchemaName()
{
    // Test processes run in parallel against one cluster: the pid, a counter and a random
    // suffix keep their schemas and roles apart.
    static std::atomic<int> counter{0};
    std::random_device random;
    return "wbtest_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
           std::to_string(random() % 1'000'000U);
}

std::unique_ptr<soci::session> OpenOrFail(const std::string& dsn, const std::string& schema)
{
    auto session = ledger::pg::OpenSession(dsn, schema);
    if (!session) {
        ADD_FAILURE() << "cannot connect: " << session.error().Describe();
        return nullptr;
    }
    return std::move(*session);
}

} // namespace

std::optional<std::string> TestPgDsn()
{
    const char* dsn = std::getenv("WB_TEST_PG_DSN");
    if (dsn == nullptr || *dsn == '\0') return std::nullopt;
    return std::string{dsn};
}

bool PgRequired()
{
    const char* required = std::getenv("WB_REQUIRE_PG");
    return required != nullptr && std::string_view{required} == "1";
}

void RecordPgMissing()
{
    if (PgRequired()) {
        GTEST_MESSAGE_("WB_REQUIRE_PG=1 but WB_TEST_PG_DSN is not set",
                       ::testing::TestPartResult::kFatalFailure);
    } else {
        GTEST_MESSAGE_("WB_TEST_PG_DSN is not set", ::testing::TestPartResult::kSkip);
    }
}

PgTestDatabase::PgTestDatabase(std::string dsn, bool migrate)
    : m_dsn{std::move(dsn)}, m_schema{UniqueSchemaName()}, m_runtime_role{m_schema + "_rt"}
{
    m_owner = OpenOrFail(m_dsn, m_schema);
    if (!m_owner) return;
    *m_owner << "CREATE ROLE " + ledger::pg::QuoteIdentifier(m_runtime_role) + " LOGIN";
    if (!migrate) return;
    auto migrated = ledger::pg::Migrate(*m_owner, Target());
    if (!migrated) ADD_FAILURE() << "migration failed: " << migrated.error().Describe();
}

PgTestDatabase::~PgTestDatabase()
{
    if (!m_owner) return;
    try {
        *m_owner << "RESET ROLE";
        *m_owner << "SET client_min_messages TO warning"; // No "drop cascades to" list.
        *m_owner << "DROP SCHEMA IF EXISTS " + ledger::pg::QuoteIdentifier(m_schema) + " CASCADE";
        *m_owner << "DROP ROLE IF EXISTS " + ledger::pg::QuoteIdentifier(m_runtime_role);
    } catch (const soci::soci_error& error) {
        ADD_FAILURE() << "cleaning up " << m_schema << ": " << error.what();
    }
}

std::unique_ptr<soci::session> PgTestDatabase::RuntimeSession() const
{
    auto session = OpenOrFail(m_dsn, m_schema);
    if (session) *session << "SET ROLE " + ledger::pg::QuoteIdentifier(m_runtime_role);
    return session;
}

std::shared_ptr<soci::connection_pool> PgTestDatabase::Pool(std::size_t sessions) const
{
    auto pool = ledger::pg::OpenPool(m_dsn, m_schema, sessions);
    if (!pool) {
        ADD_FAILURE() << "cannot open a pool: " << pool.error().Describe();
        return nullptr;
    }
    return std::shared_ptr<soci::connection_pool>(std::move(*pool));
}

void PgTestDatabase::DropConnectionOf(soci::connection_pool& pool)
{
    long long pid = 0;
    {
        soci::session leased{pool};
        ledger::pg::EnsureConnected(leased, m_schema); // As the code under test leases it.
        leased << "SELECT pg_backend_pid()", soci::into(pid);
    }
    long long ended = 0;
    *m_owner << "SELECT count(pg_terminate_backend(:pid))", soci::use(pid), soci::into(ended);
    ASSERT_EQ(ended, 1);
    long long left = 1;
    for (int poll = 0; poll < BACKEND_END_POLLS_MAX && left > 0; ++poll) {
        std::this_thread::sleep_for(BACKEND_END_POLL_INTERVAL);
        *m_owner << "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid", soci::use(pid),
            soci::into(left);
    }
    ASSERT_EQ(left, 0) << "backend " << pid << " did not end";
}

} // namespace wijkbudget::testing
