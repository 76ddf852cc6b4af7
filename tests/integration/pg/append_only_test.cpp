// Append-only in the database (DESIGN.md section 4): the runtime role cannot change ledger rows,
// and the ENABLE ALWAYS triggers stop even the owner, also under session_replication_role.
#include "tests/integration/pg/pg_test_database.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace wijkbudget::testing {
namespace {

struct LedgerTable {
    const char* name;
    const char* column; //!< A column to "update" to itself.
};

constexpr std::array LEDGER_TABLES{
    LedgerTable{"entries", "body"},
    LedgerTable{"stored_hashes", "hash"},
    LedgerTable{"postings", "account"},
    LedgerTable{"checkpoints", "note"},
    LedgerTable{"idempotency_records", "body"},
};

class AppendOnlyTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_db = std::make_unique<PgTestDatabase>(*TestPgDsn());
        ASSERT_FALSE(HasFailure());
        m_runtime = m_db->RuntimeSession();
        ASSERT_NE(m_runtime, nullptr);
        InsertOneRowEach(*m_runtime); // The runtime role may insert: that is its job.
    }

    static void InsertOneRowEach(soci::session& session)
    {
        const std::string zero_hash = "decode(repeat('00', 32), 'hex')";
        session << "INSERT INTO entries VALUES (0, " + zero_hash +
                       ", '{}', 'council.registered', 'burgwal', now())";
        session << "INSERT INTO stored_hashes VALUES (0, " + zero_hash + ")";
        session << "INSERT INTO postings VALUES (0, 0, 'pool', 'debit', 1, 0, 1)";
        session << "INSERT INTO checkpoints (tree_size, root, note) VALUES (1, " + zero_hash +
                       ", 'note')";
        session << "INSERT INTO idempotency_records (principal, key, request_hash, status, body, "
                   "leaf_index) VALUES ('token-1', 'key-1', " +
                       zero_hash + ", 200, '{}', 0)";
    }

    //! The error message of the statement, or "" if it succeeded.
    static std::string ErrorOf(soci::session& session, const std::string& sql)
    {
        try {
            session << sql;
        } catch (const soci::soci_error& error) {
            return error.what();
        }
        return {};
    }

    int CountRows(const char* table)
    {
        int rows = -1;
        m_db->Owner() << std::string{"SELECT count(*) FROM "} + table, soci::into(rows);
        return rows;
    }

    //! Every change statement on every ledger table fails, with `expected` in its message.
    void ExpectNoChange(soci::session& session, const std::string& expected)
    {
        for (const LedgerTable& table : LEDGER_TABLES) {
            const std::string name = table.name;
            const std::string column = table.column;
            for (const std::string& sql :
                 {"UPDATE " + name + " SET " + column + " = " + column, "DELETE FROM " + name,
                  "TRUNCATE " + name + " CASCADE"}) {
                const std::string error = ErrorOf(session, sql);
                EXPECT_NE(error.find(expected), std::string::npos) << sql << ": " << error;
            }
            EXPECT_EQ(CountRows(table.name), 1) << name;
        }
    }

    std::unique_ptr<PgTestDatabase> m_db;
    std::unique_ptr<soci::session> m_runtime;
};

TEST_F(AppendOnlyTest, RuntimeRoleCannotUpdateDeleteOrTruncate)
{
    ExpectNoChange(*m_runtime, "permission denied");
    int visible = -1;
    *m_runtime << "SELECT count(*) FROM entries", soci::into(visible);
    EXPECT_EQ(visible, 1);
}

TEST_F(AppendOnlyTest, TriggersStopTheOwnerToo)
{
    ExpectNoChange(m_db->Owner(), "append-only");
}

TEST_F(AppendOnlyTest, TriggersFireUnderReplicaReplicationRole)
{
    m_db->Owner() << "SET session_replication_role = replica";
    ExpectNoChange(m_db->Owner(), "append-only");
    m_db->Owner() << "RESET session_replication_role";
}

TEST_F(AppendOnlyTest, OperatorTablesStayMutable)
{
    // The contrast that shows the triggers are specific: tokens may be revoked (UPDATE).
    m_db->Owner() << "INSERT INTO tokens (id, token_hash, role, name, expires_at) VALUES "
                     "('t1', decode(repeat('11', 32), 'hex'), 'auditor', 'a', now())";
    EXPECT_EQ(ErrorOf(*m_runtime, "UPDATE tokens SET revoked_at = now()"), "");
}

} // namespace
} // namespace wijkbudget::testing
