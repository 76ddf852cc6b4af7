// Migrations: applied once, recorded, idempotent; the runtime role's grants; name checks.
#include "ledger/errc.hpp"
#include "ledger/pg/migrations.hpp"
#include "ledger/values.hpp"
#include "tests/integration/pg/pg_test_database.hpp"

#include <gtest/gtest.h>

#include <array>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::testing {
namespace {

using ledger::pg::Migrate;
using ledger::pg::MissingMigrations;

//! The versions of `migrations`, in their order.
std::vector<int> VersionsOf(const std::vector<ledger::pg::Migration>& migrations)
{
    std::vector<int> versions;
    for (const auto& migration : migrations)
        versions.push_back(migration.version);
    return versions;
}

//! The embedded migrations' versions from `first` on.
std::vector<int> EmbeddedVersionsFrom(int first)
{
    std::vector<int> versions;
    for (const auto& migration : ledger::pg::EmbeddedMigrations())
        if (migration.version >= first) versions.push_back(migration.version);
    return versions;
}

constexpr std::array LEDGER_TABLES{"entries", "stored_hashes", "postings", "checkpoints",
                                   "idempotency_records"};
constexpr std::array TABLE_PRIVILEGES{"SELECT",   "INSERT",  "UPDATE",    "DELETE",
                                      "TRUNCATE", "TRIGGER", "REFERENCES"};

class MigrationsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_db = std::make_unique<PgTestDatabase>(*TestPgDsn(), false);
        ASSERT_FALSE(HasFailure());
    }

    int CountRecorded()
    {
        int recorded = -1;
        m_db->Owner() << "SELECT count(*) FROM schema_migrations", soci::into(recorded);
        return recorded;
    }

    std::unique_ptr<PgTestDatabase> m_db;
};

TEST_F(MigrationsTest, ApplyOnceAndAreRecorded)
{
    const auto expected = static_cast<int>(ledger::pg::EmbeddedMigrations().size());
    ASSERT_GT(expected, 0);
    auto first = Migrate(m_db->Owner(), m_db->Target());
    ASSERT_TRUE(first.has_value()) << first.error().Describe();
    EXPECT_EQ(*first, expected);
    EXPECT_EQ(CountRecorded(), expected);
    std::string name;
    m_db->Owner() << "SELECT name FROM schema_migrations WHERE version = 1", soci::into(name);
    EXPECT_EQ(name, "001_ledger.sql");

    auto again = Migrate(m_db->Owner(), m_db->Target());
    ASSERT_TRUE(again.has_value()) << again.error().Describe();
    EXPECT_EQ(*again, 0);
    EXPECT_EQ(CountRecorded(), expected);
}

TEST_F(MigrationsTest, RuntimeRoleMaySelectAndInsertLedgerTablesOnly)
{
    ASSERT_TRUE(Migrate(m_db->Owner(), m_db->Target()).has_value());
    for (const char* table : LEDGER_TABLES) {
        for (const char* privilege : TABLE_PRIVILEGES) {
            const std::string qualified = m_db->Schema() + "." + table;
            const std::string wanted = privilege;
            int has = -1;
            m_db->Owner() << "SELECT has_table_privilege(:role, :table, :privilege)::int",
                soci::use(m_db->RuntimeRole()), soci::use(qualified), soci::use(wanted),
                soci::into(has);
            const int expected = (wanted == "SELECT" || wanted == "INSERT") ? 1 : 0;
            EXPECT_EQ(has, expected) << table << " " << privilege;
        }
    }
    int usage = -1;
    m_db->Owner() << "SELECT has_schema_privilege(:role, :schema, 'USAGE')::int",
        soci::use(m_db->RuntimeRole()), soci::use(m_db->Schema()), soci::into(usage);
    EXPECT_EQ(usage, 1);
}

TEST_F(MigrationsTest, ARuntimeRoleNamedLaterGetsWhatTheMigrationsGranted)
{
    ASSERT_TRUE(Migrate(m_db->Owner(), m_db->Target()).has_value());
    // The operator names another runtime role (database.runtime_role) and runs migrate again.
    const std::string later = m_db->RuntimeRole() + "_later";
    const std::string quoted = ledger::pg::QuoteIdentifier(later);
    m_db->Owner() << "CREATE ROLE " + quoted;
    struct DropRole {
        soci::session& owner;
        std::string quoted;
        ~DropRole()
        {
            owner << "DROP OWNED BY " + quoted;
            owner << "DROP ROLE " + quoted;
        }
    } drop{m_db->Owner(), quoted};
    auto again = Migrate(m_db->Owner(), {m_db->Schema(), later});
    ASSERT_TRUE(again.has_value()) << again.error().Describe();
    EXPECT_EQ(*again, 0);
    const auto grants = [this](const std::string& role) {
        std::string listed;
        soci::indicator found = soci::i_null;
        m_db->Owner() << "SELECT string_agg(table_name || ' ' || privilege_type, ', ' ORDER BY "
                         "table_name, privilege_type) FROM information_schema.role_table_grants "
                         "WHERE grantee = :role AND table_schema = :schema",
            soci::use(role, "role"), soci::use(m_db->Schema(), "schema"), soci::into(listed, found);
        return found == soci::i_ok ? listed : std::string{};
    };
    const std::string first = grants(m_db->RuntimeRole());
    EXPECT_NE(first.find("entries INSERT"), std::string::npos) << first;
    EXPECT_EQ(grants(later), first);
    int usage = -1;
    m_db->Owner() << "SELECT has_schema_privilege(:role, :schema, 'USAGE')::int", soci::use(later),
        soci::use(m_db->Schema()), soci::into(usage);
    EXPECT_EQ(usage, 1);
}

TEST_F(MigrationsTest, SlugColumnsAcceptWhatTheLedgerAcceptsAndNoMore)
{
    ASSERT_TRUE(Migrate(m_db->Owner(), m_db->Target()).has_value());
    // Each slug the table must take, or refuse, exactly as ledger::SlugRule::Check does.
    const std::array<std::pair<std::string, bool>, 7> slugs{{{"noord--2027", true},
                                                             {"a", true},
                                                             {"a-1", true},
                                                             {"-a", false},
                                                             {"a-", false},
                                                             {"Noord", false},
                                                             {std::string(65, 'a'), false}}};
    int serial = 0;
    for (const auto& [slug, accepted] : slugs) {
        ASSERT_EQ(ledger::SlugRule::Check(slug) && slug.size() <= ledger::SlugRule::BYTES_MAX,
                  accepted)
            << slug;
        const std::string digest =
            "decode(lpad(to_hex(" + std::to_string(++serial) + "), 64, '0'), 'hex')";
        const std::string schema = m_db->Schema() + ".";
        const std::array<std::string, 3> inserts{
            "INSERT INTO " + schema + "districts (slug, name) VALUES (:a, 'Wijk')",
            "INSERT INTO " + schema +
                "member_names (council, member, name) VALUES (:a, :b, 'Naam')",
            "INSERT INTO " + schema + "voting_codes (round, code_hash, batch_digest) VALUES (:a, " +
                digest + ", " + digest + ")"};
        for (const auto& insert : inserts) {
            bool stored = true;
            try {
                soci::transaction transaction(m_db->Owner());
                if (insert.find(":b") != std::string::npos) {
                    m_db->Owner() << insert, soci::use(slug, "a"), soci::use(slug, "b");
                } else {
                    m_db->Owner() << insert, soci::use(slug, "a");
                }
                transaction.rollback();
            } catch (const soci::soci_error&) {
                stored = false;
            }
            EXPECT_EQ(stored, accepted) << insert << " with " << slug;
        }
    }
}

TEST(EmbeddedMigrationsTest, AreNumberedByTheirFileNamesInDecimal)
{
    // embed_schema.cmake writes the number as a C++ literal: with its leading zeros, 010 would
    // be octal 8.
    int previous = 0;
    for (const auto& migration : ledger::pg::EmbeddedMigrations()) {
        int from_name = -1;
        const auto* begin = migration.name.data();
        std::from_chars(begin, begin + migration.name.size(), from_name);
        EXPECT_EQ(migration.version, from_name) << migration.name;
        EXPECT_GT(migration.version, previous) << migration.name;
        previous = migration.version;
    }
}

TEST_F(MigrationsTest, MissingMigrationsAreWhatTheRuntimeRoleCannotFindRecorded)
{
    const std::vector<int> all = EmbeddedVersionsFrom(0);
    auto runtime = m_db->RuntimeSession();
    auto missing = MissingMigrations(*runtime, m_db->Schema());
    ASSERT_TRUE(missing.has_value()) << missing.error().Describe();
    EXPECT_EQ(VersionsOf(*missing), all) << "no schema yet";

    ASSERT_TRUE(Migrate(m_db->Owner(), m_db->Target()).has_value());
    missing = MissingMigrations(*runtime, m_db->Schema());
    ASSERT_TRUE(missing.has_value()) << missing.error().Describe();
    EXPECT_TRUE(missing->empty());

    // A migration this binary does not know (a newer binary migrated first) is no concern.
    m_db->Owner()
        << "INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_newer.sql')";
    missing = MissingMigrations(*runtime, m_db->Schema());
    ASSERT_TRUE(missing.has_value()) << missing.error().Describe();
    EXPECT_TRUE(missing->empty());

    m_db->Owner() << "DELETE FROM schema_migrations WHERE version IN (3, :last)",
        soci::use(all.back());
    missing = MissingMigrations(*runtime, m_db->Schema());
    ASSERT_TRUE(missing.has_value()) << missing.error().Describe();
    EXPECT_EQ(VersionsOf(*missing), (std::vector<int>{3, all.back()}));

    // Unreadable, as before the migration that grants it: that one and the later ones count.
    m_db->Owner() << "REVOKE SELECT ON schema_migrations FROM " +
                         ledger::pg::QuoteIdentifier(m_db->RuntimeRole());
    missing = MissingMigrations(*runtime, m_db->Schema());
    ASSERT_TRUE(missing.has_value()) << missing.error().Describe();
    EXPECT_EQ(VersionsOf(*missing),
              EmbeddedVersionsFrom(ledger::pg::MIGRATIONS_READABLE_FROM_VERSION));

    auto refused = MissingMigrations(*runtime, "a;b");
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ledger::Errc::field_invalid);
}

TEST_F(MigrationsTest, RefusesARuntimeRoleThatWouldGrantTooMuch)
{
    const auto schemas = [this] {
        int count = -1;
        m_db->Owner() << "SELECT count(*) FROM pg_namespace WHERE nspname = :schema",
            soci::use(m_db->Schema()), soci::into(count);
        return count;
    };
    // GRANT ... TO "public" grants to every role of the cluster; pg_* roles are the system's.
    for (const char* role : {"public", "none", "current_user", "pg_monitor", "nobody_here"}) {
        SCOPED_TRACE(role);
        auto result = Migrate(m_db->Owner(), {m_db->Schema(), role});
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, ledger::Errc::field_invalid);
        EXPECT_NE(result.error().where.find(role), std::string::npos) << result.error().where;
    }
    EXPECT_EQ(schemas(), 0); // Refused before anything was created.
    // A schema the runtime role owns: it could drop the ledger's tables, which no trigger stops.
    m_db->Owner() << "CREATE SCHEMA " + ledger::pg::QuoteIdentifier(m_db->Schema()) +
                         " AUTHORIZATION " + ledger::pg::QuoteIdentifier(m_db->RuntimeRole());
    auto owned = Migrate(m_db->Owner(), m_db->Target());
    ASSERT_FALSE(owned.has_value());
    EXPECT_EQ(owned.error().code, ledger::Errc::field_invalid);
    EXPECT_NE(owned.error().where.find("owns schema " + m_db->Schema()), std::string::npos)
        << owned.error().where;
    int tables = -1;
    m_db->Owner() << "SELECT count(*) FROM pg_tables WHERE schemaname = :schema",
        soci::use(m_db->Schema()), soci::into(tables);
    EXPECT_EQ(tables, 0);
}

TEST_F(MigrationsTest, RefusesNamesThatAreNotPlainIdentifiers)
{
    for (const char* schema : {"", "Upper", "a;drop schema public", "a\"b", "1abc"}) {
        auto result = Migrate(m_db->Owner(), {schema, m_db->RuntimeRole()});
        ASSERT_FALSE(result.has_value()) << schema;
        EXPECT_EQ(result.error().code, ledger::Errc::field_invalid);
    }
    auto result = Migrate(m_db->Owner(), {m_db->Schema(), "x\" ; drop role postgres; --"});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code, ledger::Errc::field_invalid);
    int schemas = -1;
    m_db->Owner() << "SELECT count(*) FROM pg_namespace WHERE nspname = :schema",
        soci::use(m_db->Schema()), soci::into(schemas);
    EXPECT_EQ(schemas, 0); // Refused before anything was created.
}

} // namespace
} // namespace wijkbudget::testing
