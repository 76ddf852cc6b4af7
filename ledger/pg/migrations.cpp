#include "ledger/pg/migrations.hpp"

#include "ledger/pg/connection.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <memory>
#include <set>
#include <string_view>
#include <utility>

#include <libpq-fe.h>

namespace wijkbudget::ledger::pg {
namespace {

//! Where migrations write the runtime role's name.
constexpr std::string_view RUNTIME_ROLE_PLACEHOLDER{":runtime_role"};
//! Held by every migrating transaction (whatever the schema): migrations are rare and short.
constexpr std::int64_t MIGRATION_LOCK_KEY{0x77'62'6d'69'67'72'61'74}; // "wbmigrat"

std::string ReplacePlaceholder(std::string_view sql, std::string_view quoted_role)
{
    std::string result;
    std::size_t start = 0;
    for (std::size_t found = sql.find(RUNTIME_ROLE_PLACEHOLDER); found != std::string_view::npos;
         found = sql.find(RUNTIME_ROLE_PLACEHOLDER, start)) {
        result.append(sql.substr(start, found - start));
        result.append(quoted_role);
        start = found + RUNTIME_ROLE_PLACEHOLDER.size();
    }
    result.append(sql.substr(start));
    return result;
}

struct ResultDeleter {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};

/** Runs a script of several statements on the session's connection, inside its current
 * transaction. SOCI would prepare the text, which PostgreSQL refuses for more than one statement,
 * and would read ":name" as a bind variable, so libpq gets it directly. */
boost::system::result<void, Failure> ExecuteScript(soci::session& session, const std::string& sql,
                                                   std::string_view name)
{
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    std::unique_ptr<PGresult, ResultDeleter> result(PQexec(backend->conn_, sql.c_str()));
    const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
    std::string where{"migration "};
    where.append(name);
    where.append(": ");
    where.append(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(backend->conn_));
    return MakeFailure(Errc::storage_unavailable, std::move(where));
}

void BeginMigrating(soci::session& owner, const MigrationTarget& target)
{
    // Notices such as "schema already exists, skipping" are expected here, not news.
    owner << "SET LOCAL client_min_messages TO warning";
    owner << "SELECT pg_advisory_xact_lock(" + std::to_string(MIGRATION_LOCK_KEY) + ")";
    owner << "CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(target.schema);
    owner << "SET LOCAL search_path TO " + QuoteIdentifier(target.schema);
}

/** Role names PostgreSQL gives a meaning of its own: GRANT ... TO "public" grants to every role
 *  of the cluster, and pg_* roles are the system's. None can be the runtime role. */
bool IsReservedRoleName(std::string_view name)
{
    for (const std::string_view reserved :
         {"public", "none", "current_user", "current_role", "session_user", "system_user"}) {
        if (name == reserved) return true;
    }
    return name.starts_with("pg_");
}

/** Creates the schema and the migrations table, and lets the runtime role into the schema.
 *  Refuses (field_invalid) a schema the runtime role owns, or may act as the owner of: an owner
 *  may drop the ledger's tables, which no trigger stops. */
boost::system::result<void, Failure> Prepare(soci::session& owner, const MigrationTarget& target)
{
    soci::transaction transaction(owner);
    BeginMigrating(owner, target);
    int owns = 0;
    owner << "SELECT count(*) FROM pg_namespace WHERE nspname = :schema "
             "AND pg_has_role(:role, nspowner, 'MEMBER')",
        soci::use(target.schema, "schema"), soci::use(target.runtime_role, "role"),
        soci::into(owns);
    if (owns != 0) {
        return MakeFailure(Errc::field_invalid,
                           "runtime role " + target.runtime_role + " owns schema " + target.schema +
                               " (or is a member of its owner): it could drop "
                               "the ledger's tables; the schema must belong to the owner role");
    }
    owner << "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
             "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())";
    owner << "GRANT USAGE ON SCHEMA " + QuoteIdentifier(target.schema) + " TO " +
                 QuoteIdentifier(target.runtime_role);
    transaction.commit();
    return {};
}

//! Applies one migration unless it is recorded already; true if it applied it.
boost::system::result<bool, Failure> ApplyOne(soci::session& owner, const MigrationTarget& target,
                                              const Migration& migration)
{
    soci::transaction transaction(owner);
    BeginMigrating(owner, target);
    int applied = 0;
    owner << "SELECT count(*) FROM schema_migrations WHERE version = :version",
        soci::use(migration.version), soci::into(applied);
    if (applied != 0) return false; // Another migrator was first; the transaction rolls back.
    const std::string sql = ReplacePlaceholder(migration.sql, QuoteIdentifier(target.runtime_role));
    auto executed = ExecuteScript(owner, sql, migration.name);
    if (!executed) return executed.error();
    const std::string name{migration.name};
    owner << "INSERT INTO schema_migrations (version, name) VALUES (:version, :name)",
        soci::use(migration.version), soci::use(name);
    transaction.commit();
    return true;
}

/** What the runtime role may do on each table the migrations made, as they granted it: `migrate`
 *  grants it again on every run, so that a runtime role named after the schema was made (a new
 *  database.runtime_role) gets what the migrations gave the first one. A migration that grants
 *  the runtime role something on a new table adds it here too; the migrations test compares
 *  a role named later with the one the migrations granted. */
constexpr std::pair<std::string_view, std::string_view> RUNTIME_GRANTS[]{
    {"entries", "SELECT, INSERT"},
    {"stored_hashes", "SELECT, INSERT"},
    {"postings", "SELECT, INSERT"},
    {"checkpoints", "SELECT, INSERT"},
    {"idempotency_records", "SELECT, INSERT"},
    {"districts", "SELECT, INSERT, UPDATE"},
    {"tokens", "SELECT, INSERT, UPDATE"},
    {"accounts", "SELECT, INSERT, UPDATE, DELETE"},
    {"member_names", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_state", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_councils", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_budget_lines", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_mandates", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_bylaws", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_proposals", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_votes", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_ballots", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_commitments", "SELECT, INSERT, UPDATE, DELETE"},
    {"q_spendings", "SELECT, INSERT, UPDATE, DELETE"},
    {"voting_codes", "SELECT, INSERT"},
    {"schema_migrations", "SELECT"},
};

/** Grants the runtime role what RUNTIME_GRANTS says, on the tables that exist (a newer binary's
 *  migration may have dropped one). GRANT adds to what a role has and is a no-op when it has it. */
void GrantRuntimeRole(soci::session& owner, const MigrationTarget& target)
{
    soci::transaction transaction(owner);
    BeginMigrating(owner, target);
    for (const auto& [table, privileges] : RUNTIME_GRANTS) {
        const std::string name{table};
        int exists = 0;
        owner << "SELECT (to_regclass(quote_ident(:table)) IS NOT NULL)::int", soci::use(name),
            soci::into(exists);
        if (exists == 0) continue;
        owner << "GRANT " + std::string(privileges) + " ON " + QuoteIdentifier(name) + " TO " +
                     QuoteIdentifier(target.runtime_role);
    }
    transaction.commit();
}

} // namespace

boost::system::result<int, Failure> Migrate(soci::session& owner, const MigrationTarget& target)
{
    if (!IsValidIdentifier(target.schema)) return MakeFailure(Errc::field_invalid, "schema name");
    if (!IsValidIdentifier(target.runtime_role))
        return MakeFailure(Errc::field_invalid, "runtime role name");
    if (IsReservedRoleName(target.runtime_role))
        return MakeFailure(Errc::field_invalid, "runtime role name " + target.runtime_role +
                                                    ": reserved by PostgreSQL (\"public\" is "
                                                    "every role of the cluster)");
    int applied = 0;
    try {
        int exists = 0;
        owner << "SELECT count(*) FROM pg_roles WHERE rolname = :role",
            soci::use(target.runtime_role), soci::into(exists);
        if (exists == 0)
            return MakeFailure(Errc::field_invalid,
                               "runtime role " + target.runtime_role + " does not exist");
        if (auto prepared = Prepare(owner, target); !prepared) return prepared.error();
        for (const Migration& migration : EmbeddedMigrations()) {
            auto done = ApplyOne(owner, target, migration);
            if (!done) return done.error();
            if (*done) ++applied;
        }
        GrantRuntimeRole(owner, target);
    } catch (const soci::soci_error& error) {
        return FailureFromException(error, "migrating schema " + target.schema);
    }
    return applied;
}

boost::system::result<std::vector<Migration>, Failure> MissingMigrations(soci::session& session,
                                                                         std::string_view schema)
{
    if (!IsValidIdentifier(schema)) return MakeFailure(Errc::field_invalid, "schema name");
    const std::string table = QuoteIdentifier(schema) + ".schema_migrations";
    const auto embedded = EmbeddedMigrations();
    try {
        int exists = 0, readable = 0;
        session << "SELECT (to_regclass(:table) IS NOT NULL)::int, "
                   "coalesce(has_table_privilege(to_regclass(:table), 'SELECT'), false)::int",
            soci::use(table, "table"), soci::into(exists), soci::into(readable);
        std::set<int> recorded;
        if (readable != 0) {
            soci::rowset<int> versions = (session.prepare << "SELECT version FROM " + table);
            recorded.insert(versions.begin(), versions.end());
        } else if (exists != 0) {
            // Readable only from MIGRATIONS_READABLE_FROM_VERSION on: what stands before it is
            // not known here, and need not be to say that `migrate` must run.
            for (const Migration& migration : embedded)
                if (migration.version < MIGRATIONS_READABLE_FROM_VERSION)
                    recorded.insert(migration.version);
        }
        std::vector<Migration> missing;
        for (const Migration& migration : embedded)
            if (!recorded.contains(migration.version)) missing.push_back(migration);
        return missing;
    } catch (const soci::soci_error& error) {
        return FailureFromException(error,
                                    "reading schema " + std::string(schema) + "'s migrations");
    }
}

} // namespace wijkbudget::ledger::pg
