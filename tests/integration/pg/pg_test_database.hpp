#pragma once
// tests/integration/pg/pg_test_database.hpp: a fresh, migrated schema per test (STYLE.md section
// 8).
//
// The DSN comes from WB_TEST_PG_DSN and must name a superuser (deploy/pg_cluster.sh makes one).
// Each PgTestDatabase creates a uniquely named schema and a runtime role of its own, migrates the
// schema with that role, and drops both when it goes. Without a DSN the tests skip, unless
// WB_REQUIRE_PG=1 (CI) makes that a failure. This lives beside the tests rather than in
// tests/support because it needs SOCI, which wijkbudget_test_support does not link.

#include "ledger/pg/connection.hpp"
#include "ledger/pg/migrations.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <memory>
#include <optional>
#include <string>

namespace wijkbudget::testing {

//! WB_TEST_PG_DSN, or nullopt if unset or empty.
std::optional<std::string> TestPgDsn();

//! True if WB_REQUIRE_PG=1: a missing DSN is a failure, not a skip.
bool PgRequired();

/** Records a skip (or, with WB_REQUIRE_PG=1, a fatal failure) for the current test without
 * returning, for code that cannot use GTEST_SKIP (a typed suite's factory). The test body does
 * not run after either. */
void RecordPgMissing();

class PgTestDatabase
{
public:
    /** Creates the runtime role and, if `migrate`, the schema with every migration. A database
     * that refuses adds a failure; fixtures check HasFailure() after constructing. */
    explicit PgTestDatabase(std::string dsn, bool migrate = true);
    ~PgTestDatabase();
    PgTestDatabase(const PgTestDatabase&) = delete;
    PgTestDatabase& operator=(const PgTestDatabase&) = delete;

    [[nodiscard]] const std::string& Dsn() const { return m_dsn; }
    [[nodiscard]] const std::string& Schema() const { return m_schema; }
    [[nodiscard]] const std::string& RuntimeRole() const { return m_runtime_role; }
    [[nodiscard]] ledger::pg::MigrationTarget Target() const { return {m_schema, m_runtime_role}; }

    //! The superuser session, search_path set to the schema.
    soci::session& Owner() { return *m_owner; }
    //! A new session acting as the runtime role (SET ROLE), search_path set to the schema.
    std::unique_ptr<soci::session> RuntimeSession() const;
    //! A pool of superuser sessions in the schema, as `serve` would open with its own DSN.
    std::shared_ptr<soci::connection_pool> Pool(std::size_t sessions) const;
    /** Ends the server process of the connection `pool` leases first (of a pool of one, its only
     *  one), as a database restart would, and waits until it is gone: the pool's session does
     *  not know until its next statement fails. */
    void DropConnectionOf(soci::connection_pool& pool);

private:
    std::string m_dsn;
    std::string m_schema;
    std::string m_runtime_role;
    std::unique_ptr<soci::session> m_owner;
};

} // namespace wijkbudget::testing

//! In SetUp: skips the test without WB_TEST_PG_DSN (fails it with WB_REQUIRE_PG=1).
#define WB_SKIP_WITHOUT_PG()                                                                       \
    do {                                                                                           \
        if (!::wijkbudget::testing::TestPgDsn()) {                                                 \
            if (::wijkbudget::testing::PgRequired()) FAIL() << "WB_REQUIRE_PG=1 but no DSN";       \
            GTEST_SKIP() << "WB_TEST_PG_DSN is not set";                                           \
        }                                                                                          \
    } while (false)
