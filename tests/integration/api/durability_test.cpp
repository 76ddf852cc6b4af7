// tests/integration/api/durability_test.cpp: `serve` refuses a database session in which a commit
// is not durable (api/main_serve.cpp, ledger/pg/pg_sequencer.hpp CheckDurability): with
// synchronous_commit off an acknowledged write could still be lost in a crash (fsync off, which
// only the whole cluster can have, is tests/deploy/fsync_off_test.sh's). It also refuses a TLS
// private key or a signing key that others can read, and (with the other commands) a schema that
// lacks one of its migrations.

#include "ledger/pg/migrations.hpp"
#include "tests/integration/api/service_under_test.hpp"

#include <filesystem>
#include <string>

namespace wijkbudget::test {
namespace {

//! A refusal is a check at start-up; a server still running after this has not refused.
constexpr std::chrono::milliseconds REFUSAL_TIMEOUT{20s};

class DurabilityTest : public ApiIntegrationTest
{
protected:
    /** `serve` with the test's settings and `environment` on a free port: it must refuse, by
     *  itself (not killed at the timeout), with `reason` in what it says. */
    void ExpectServeRefuses(Environment environment, const std::string& reason)
    {
        environment.emplace_back("WIJKBUDGET_SERVER_PORT", std::to_string(FreePort()));
        const auto refused =
            RunCommand({WB_SERVER_BINARY, "serve", "--config", m_service->SettingsFile().string()},
                       environment, {}, REFUSAL_TIMEOUT);
        EXPECT_NE(refused.exit_status, 0) << refused.Describe();
        EXPECT_NE(refused.exit_status, -1)
            << "it must exit by itself, not be killed: " << refused.Describe();
        EXPECT_NE(refused.err.find(reason), std::string::npos) << refused.Describe();
    }
};

TEST_F(DurabilityTest, ServeRefusesSynchronousCommitOff)
{
    // libpq sends PGOPTIONS at connection start: every session of the server gets the setting.
    ExpectServeRefuses({{"PGOPTIONS", "-c synchronous_commit=off"}}, "synchronous_commit");

    // The same settings without PGOPTIONS serve: the refusal was the setting's doing.
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    EXPECT_EQ(m_service->Send("GET", "/readyz").status, 200U);
}

TEST_F(DurabilityTest, ServeRefusesATlsKeyOthersCanRead)
{
    // Whoever reads the TLS key can pass for this server to every resident.
    const auto readable = m_service->SettingsFile().parent_path() / "readable-tls.key";
    std::filesystem::copy_file(WB_TEST_DATA_DIR "/support/tls/key.pem", readable);
    std::filesystem::permissions(readable, std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write |
                                               std::filesystem::perms::others_read);
    ExpectServeRefuses({{"WIJKBUDGET_TLS_PRIVATE_KEY_FILE", readable.string()}},
                       "TLS private key " + readable.string() + ": readable by others; chmod 600");
}

TEST_F(DurabilityTest, ServeRefusesASigningKeyOthersCanRead)
{
    // Whoever reads the log key can sign checkpoints of a forked history in the log's name.
    const auto readable = m_service->SettingsFile().parent_path() / "readable-ledger.key";
    std::filesystem::copy_file(m_service->SettingsFile().parent_path() / "ledger.key", readable);
    std::filesystem::permissions(readable, std::filesystem::perms::group_read,
                                 std::filesystem::perm_options::add);
    ExpectServeRefuses({{"WIJKBUDGET_LEDGER_SIGNING_KEY_FILE", readable.string()}},
                       "signing key " + readable.string() + ": readable by others; chmod 600");
}

TEST_F(DurabilityTest, ServeRefusesARoleThatMayChangeTheLedgersTables)
{
    // The owner (and a superuser) may UPDATE, DELETE and TRUNCATE what the runtime role may only
    // read and insert: serving as either would leave append-only to the code alone.
    const auto pg = TestPgEnvironment();
    ASSERT_TRUE(pg.has_value());
    for (const std::string& dsn : {pg->owner_dsn, pg->superuser_dsn}) {
        SCOPED_TRACE(dsn);
        ExpectServeRefuses({{"WIJKBUDGET_DATABASE_RUNTIME_DSN", dsn}},
                           "refusing to serve: the runtime role may update, delete or truncate "
                           "the ledger's tables (checkpoints, entries, idempotency_records, "
                           "postings, stored_hashes)");
    }
}

TEST_F(DurabilityTest, ServeRefusesARoleThatMayNotInsertIntoTheLedgersTables)
{
    // A runtime_dsn that logs in as another role than the one migrate granted the tables to:
    // every write would fail as "storage unavailable", which hides the cause.
    const std::string table = m_service->Schema() + ".entries";
    const auto revoked = m_service->Psql("REVOKE INSERT ON " + table + " FROM wijkbudget_app");
    ASSERT_EQ(revoked.exit_status, 0) << revoked.Describe();
    ExpectServeRefuses({}, "refusing to serve: the runtime role may not read or insert the "
                           "ledger's tables (entries)");
    // The remedy the refusal names: migrate grants the runtime role its tables again.
    const auto migrated = m_service->RunWijkbudget(
        {"migrate"}, {}, {{"WIJKBUDGET_DATABASE_OWNER_DSN", TestPgEnvironment()->owner_dsn}});
    ASSERT_EQ(migrated.exit_status, 0) << migrated.Describe();
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    EXPECT_EQ(m_service->Send("GET", "/readyz").status, 200U);
}

TEST_F(DurabilityTest, ServeRefusesARoleThatOwnsTheLedgersSchema)
{
    // A schema's owner may drop its tables, or rename them and put others in their place, which
    // neither privileges nor triggers stop: the runtime role must not own it.
    const std::string schema = m_service->Schema();
    const auto owner = m_service->Psql(
        "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = '" + schema + "'");
    ASSERT_EQ(owner.exit_status, 0) << owner.Describe();
    const std::string previous = owner.out.substr(0, owner.out.find('\n'));
    ASSERT_FALSE(previous.empty());
    const auto given = m_service->Psql("ALTER SCHEMA " + schema + " OWNER TO wijkbudget_app");
    ASSERT_EQ(given.exit_status, 0) << given.Describe();
    ExpectServeRefuses({}, "refusing to serve: the runtime role may update, delete or truncate "
                           "the ledger's tables (schema " +
                               schema + ": owned by this role)");
    const auto back = m_service->Psql("ALTER SCHEMA " + schema + " OWNER TO " + previous);
    EXPECT_EQ(back.exit_status, 0) << back.Describe();
}

TEST_F(DurabilityTest, ServeAndCommandsRefuseASchemaThatLacksAMigration)
{
    // Before, `serve` got as far as replaying the ledger and said the storage failed on a missing
    // table, and `token create` only that the database failed.
    const std::string remedy = ": run `wijkbudget migrate` with the same settings first";
    const Environment unmigrated{{"WIJKBUDGET_DATABASE_SCHEMA", "never_migrated"}};
    ExpectServeRefuses(unmigrated, "database schema never_migrated has not been migrated" + remedy);
    const auto token = m_service->RunWijkbudget(
        {"token", "create", "--role", "municipality", "--name", "officer"}, {}, unmigrated);
    EXPECT_EQ(token.exit_status, 1) << token.Describe();
    EXPECT_NE(token.err.find("database schema never_migrated has not been migrated" + remedy),
              std::string::npos)
        << token.Describe();

    // A binary one migration ahead of its database, as after an upgrade without `migrate`: 008,
    // whose GRANT `migrate` may apply again (a CREATE TABLE would find its table there).
    const auto grant =
        ledger::pg::EmbeddedMigrations()[ledger::pg::MIGRATIONS_READABLE_FROM_VERSION - 1];
    ASSERT_EQ(grant.version, ledger::pg::MIGRATIONS_READABLE_FROM_VERSION);
    const auto forgotten =
        m_service->Psql("DELETE FROM " + m_service->Schema() +
                        ".schema_migrations WHERE version = " + std::to_string(grant.version));
    ASSERT_EQ(forgotten.exit_status, 0) << forgotten.Describe();
    ExpectServeRefuses({}, "database schema " + m_service->Schema() + " lacks migration " +
                               std::string(grant.name) + remedy);

    const auto migrated = m_service->RunWijkbudget({"migrate"});
    ASSERT_EQ(migrated.exit_status, 0) << migrated.Describe();
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    EXPECT_EQ(m_service->Send("GET", "/readyz").status, 200U);
}

} // namespace
} // namespace wijkbudget::test
