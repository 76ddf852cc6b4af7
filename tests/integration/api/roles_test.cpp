// tests/integration/api/roles_test.cpp: the two roles as `wijkbudget migrate` leaves them on the
// cluster deploy/pg_cluster.sh makes (issue 3): the owner holds the ledger's tables; the runtime
// role, which serves, may neither change their rows, nor empty them, nor turn the triggers off
// for its session with session_replication_role (only a superuser may set that).

#include "tests/integration/api/service_under_test.hpp"

#include <array>
#include <string>

namespace wijkbudget::test {
namespace {

//! The ledger's tables, each with a column an UPDATE may name.
struct LedgerTable {
    const char* name;
    const char* column;
};
constexpr std::array LEDGER_TABLES{
    LedgerTable{"entries", "body"}, LedgerTable{"stored_hashes", "hash"},
    LedgerTable{"postings", "account"}, LedgerTable{"checkpoints", "note"},
    LedgerTable{"idempotency_records", "body"}};
const std::string PSQL_BINARY{"/usr/bin/psql"};

class RolesTest : public ApiIntegrationTest
{
protected:
    //! SQL through psql as the role of `dsn`, stopping at the first error.
    static CommandResult PsqlAs(const std::string& dsn, const std::string& sql)
    {
        return RunCommand(
            {PSQL_BINARY, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql});
    }
};

TEST_F(RolesTest, TheOwnerHoldsTheLedgerAndTheRuntimeRoleMayOnlyReadAndAppend)
{
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil("wijk-rollen"));
    const auto pg = TestPgEnvironment();
    ASSERT_TRUE(pg.has_value());
    const std::string schema = m_service->Schema();

    const auto owner = PsqlAs(pg->owner_dsn, "SELECT current_user");
    ASSERT_EQ(owner.exit_status, 0) << owner.Describe();
    const auto owners = m_service->Psql(
        "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = '" + schema +
        "' AND tablename IN ('entries', 'stored_hashes', 'postings', 'checkpoints', "
        "'idempotency_records')");
    EXPECT_EQ(owners.out, owner.out) << "the ledger's tables belong to the owner role";
    const auto runtime = PsqlAs(pg->runtime_dsn, "SELECT current_user");
    ASSERT_EQ(runtime.exit_status, 0) << runtime.Describe();
    EXPECT_NE(runtime.out, owner.out);

    // The triggers cannot be turned off for the runtime role's session.
    const auto replica = PsqlAs(pg->runtime_dsn, "SET session_replication_role = replica");
    EXPECT_NE(replica.exit_status, 0) << replica.Describe();
    EXPECT_NE(replica.err.find("permission denied"), std::string::npos) << replica.Describe();

    const std::uint64_t size = m_service->LedgerSize();
    for (const auto& [table, column] : LEDGER_TABLES) {
        SCOPED_TRACE(table);
        const std::string qualified = schema + "." + table;
        for (const std::string& change : {"UPDATE " + qualified + " SET " + column + " = " + column,
                                          "DELETE FROM " + qualified, "TRUNCATE " + qualified}) {
            const auto refused = PsqlAs(pg->runtime_dsn, change);
            EXPECT_NE(refused.exit_status, 0) << change << ": " << refused.Describe();
            EXPECT_NE(refused.err.find("permission denied"), std::string::npos)
                << change << ": " << refused.Describe();
        }
        // Reading and appending is what it is for.
        EXPECT_EQ(PsqlAs(pg->runtime_dsn, "SELECT count(*) FROM " + qualified).exit_status, 0);
    }
    EXPECT_EQ(m_service->LedgerSize(), size);
}

} // namespace
} // namespace wijkbudget::test
