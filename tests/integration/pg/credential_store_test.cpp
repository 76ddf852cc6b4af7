// Tokens and logins in PostgreSQL: stored hashed, expiring, revocable; Argon2id passwords.
#include "ledger/pg/connection.hpp"
#include "services/errc.hpp"
#include "services/pg/pg_credential_store.hpp"
#include "services/pg/pg_district_directory.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "pg_test_database.hpp"

namespace wijkbudget::services::pg {
namespace {

using ledger::Role;
using ledger::Slug;

constexpr ledger::Timestamp NOW{1'800'000'000'000};
constexpr std::int64_t HOUR_MS{3'600'000};

class CredentialStoreTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_database = std::make_unique<testing::PgTestDatabase>(*testing::TestPgDsn());
        ASSERT_FALSE(HasFailure());
        m_pool = m_database->Pool(2);
        m_store = std::make_unique<PgCredentialStore>(*m_pool);
    }

    std::unique_ptr<testing::PgTestDatabase> m_database;
    std::shared_ptr<soci::connection_pool> m_pool;
    std::unique_ptr<PgCredentialStore> m_store;
};

TEST_F(CredentialStoreTest, ALookupThatMeetsAConnectionTheDatabaseDroppedIsRunAgainOnANewOne)
{
    const TokenGrant grant{Role::municipality, Slug{"officer"}, std::nullopt,
                           std::chrono::hours{2}};
    auto token = m_store->IssueToken(grant, NOW);
    ASSERT_TRUE(token.has_value());
    // One pooled connection, reopened by the check `serve` passes, and dropped by the database
    // before the lookup, as a restart would: the lookup must not fail because of it.
    auto pool = m_database->Pool(1);
    ASSERT_NE(pool, nullptr);
    PgCredentialStore store{*pool, [schema = m_database->Schema()](soci::session& session) {
                                ledger::pg::EnsureConnected(session, schema);
                            }};
    ASSERT_NO_FATAL_FAILURE(m_database->DropConnectionOf(*pool));
    const auto found = store.FindToken(TokenHash(token->text), NOW);
    ASSERT_TRUE(found.has_value()) << found.error().message();
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->token_id, token->id);
    ASSERT_NO_FATAL_FAILURE(m_database->DropConnectionOf(*pool));
    PgDistrictDirectory districts{*pool, [schema = m_database->Schema()](soci::session& session) {
                                      ledger::pg::EnsureConnected(session, schema);
                                  }};
    EXPECT_TRUE(districts.List().has_value());
}

TEST_F(CredentialStoreTest, TokenIsFoundUntilItExpiresAndStoredOnlyAsAHash)
{
    const TokenGrant grant{Role::treasurer, Slug{"m-cees"}, Slug{"burgwal"}, std::chrono::hours{2}};
    auto token = m_store->IssueToken(grant, NOW);
    ASSERT_TRUE(token.has_value());
    ASSERT_TRUE(IsTokenText(token->text));
    EXPECT_TRUE(token->text.starts_with(token->id + "."));

    auto found = m_store->FindToken(TokenHash(token->text), {NOW.milliseconds + HOUR_MS});
    ASSERT_TRUE(found.has_value());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->token_id, token->id);
    EXPECT_EQ((*found)->role, Role::treasurer);
    EXPECT_EQ((*found)->member.value, "m-cees");
    EXPECT_EQ((*found)->council->value, "burgwal");

    auto expired = m_store->FindToken(TokenHash(token->text), {NOW.milliseconds + 2 * HOUR_MS + 1});
    ASSERT_TRUE(expired.has_value());
    EXPECT_FALSE(expired->has_value());

    // The secret is nowhere in the table: only its hash.
    int rows_with_secret = -1;
    const std::string secret = token->text.substr(token->id.size() + 1);
    m_database->Owner() << "SELECT count(*) FROM tokens WHERE position(:secret IN "
                           "concat_ws(' ', id, encode(token_hash, 'hex'), name)) > 0",
        soci::use(secret), soci::into(rows_with_secret);
    EXPECT_EQ(rows_with_secret, 0);
}

TEST_F(CredentialStoreTest, RevokedTokenIsNotFoundAndRevokesOnce)
{
    const TokenGrant grant{Role::municipality, Slug{"officer-1"}, std::nullopt,
                           std::chrono::hours{24}};
    auto token = m_store->IssueToken(grant, NOW);
    ASSERT_TRUE(token.has_value());
    auto revoked = m_store->RevokeToken(token->id, NOW);
    ASSERT_TRUE(revoked.has_value());
    EXPECT_TRUE(*revoked);
    auto again = m_store->RevokeToken(token->id, NOW);
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(*again);
    auto unknown = m_store->RevokeToken("0000000000000000", NOW);
    ASSERT_TRUE(unknown.has_value());
    EXPECT_FALSE(*unknown);
    auto found = m_store->FindToken(TokenHash(token->text), NOW);
    ASSERT_TRUE(found.has_value());
    EXPECT_FALSE(found->has_value());
}

TEST_F(CredentialStoreTest, PasswordIsCheckedWithArgon2id)
{
    const TokenGrant grant{Role::auditor, Slug{"audit-1"}, std::nullopt, std::chrono::hours{1}};
    ASSERT_TRUE(
        m_store->CreateAccount("auditor", "correct horse battery", grant, false).has_value());
    std::string stored;
    m_database->Owner() << "SELECT password_hash FROM accounts WHERE login = 'auditor'",
        soci::into(stored);
    EXPECT_TRUE(stored.starts_with("$argon2id$")) << stored;

    auto right = m_store->CheckPassword("auditor", "correct horse battery");
    ASSERT_TRUE(right.has_value());
    ASSERT_TRUE(right->has_value());
    EXPECT_EQ((*right)->role, Role::auditor);
    EXPECT_EQ((*right)->member.value, "audit-1");
    auto wrong = m_store->CheckPassword("auditor", "correct horse battery!");
    ASSERT_TRUE(wrong.has_value());
    EXPECT_FALSE(wrong->has_value());
    auto unknown = m_store->CheckPassword("nobody", "correct horse battery");
    ASSERT_TRUE(unknown.has_value());
    EXPECT_FALSE(unknown->has_value());
}

TEST_F(CredentialStoreTest, ALoginWhosePasswordWasResetSinceItsCheckGetsNoToken)
{
    // A login reads the hash, spends Argon2id's time on it, then issues its token. A reset that
    // commits in between revoked the member's tokens before this one existed: it must not give a
    // session to the old password.
    const TokenGrant grant{Role::auditor, Slug{"audit-1"}, std::nullopt, std::chrono::hours{1}};
    ASSERT_TRUE(
        m_store->CreateAccount("auditor", "correct horse battery", grant, false).has_value());
    const auto checked = m_store->CheckPassword("auditor", "correct horse battery");
    ASSERT_TRUE(checked.has_value() && checked->has_value());
    ASSERT_TRUE((*checked)->verified_account.has_value());
    const auto unchanged = m_store->IssueToken(**checked, NOW);
    ASSERT_TRUE(unchanged.has_value());
    ASSERT_TRUE(m_store->CreateAccount("auditor", "a new long password", grant, true).has_value());
    const auto late = m_store->IssueToken(**checked, NOW);
    ASSERT_FALSE(late.has_value()) << "issued " << late->id;
    EXPECT_EQ(late.error(), make_error_code(Errc::login_failed));
    const auto earlier = m_store->FindToken(TokenHash(unchanged->text), NOW);
    ASSERT_TRUE(earlier.has_value());
    EXPECT_FALSE(earlier->has_value()) << "the reset revokes the token issued before it";
}

TEST_F(CredentialStoreTest, AnExistingLoginChangesOnlyOnAResetWhichEndsItsMembersTokens)
{
    const TokenGrant grant{Role::auditor, Slug{"audit-1"}, std::nullopt, std::chrono::hours{1}};
    const auto first = m_store->CreateAccount("auditor", "correct horse battery", grant, false);
    ASSERT_TRUE(first.has_value());
    EXPECT_TRUE(first->written);
    EXPECT_FALSE(first->existed);
    const auto session = m_store->IssueToken(grant, NOW); // As a login makes one.
    const auto colleague = m_store->IssueToken(
        {Role::auditor, Slug{"audit-2"}, std::nullopt, std::chrono::hours{1}}, NOW);
    // The same member id in another role is another actor: a reset leaves it alone.
    const auto namesake = m_store->IssueToken(
        {Role::municipality, Slug{"audit-1"}, std::nullopt, std::chrono::hours{1}}, NOW);
    ASSERT_TRUE(session.has_value() && colleague.has_value() && namesake.has_value());

    // The same login again, as a typo would make it: refused, and nothing changes.
    const TokenGrant takeover{Role::municipality, Slug{"wethouder"}, std::nullopt,
                              std::chrono::hours{1}};
    const auto refused =
        m_store->CreateAccount("auditor", "another long password", takeover, false);
    ASSERT_TRUE(refused.has_value());
    EXPECT_FALSE(refused->written);
    EXPECT_TRUE(refused->existed);
    const auto kept = m_store->CheckPassword("auditor", "correct horse battery");
    ASSERT_TRUE(kept.has_value() && kept->has_value());
    EXPECT_EQ((*kept)->role, Role::auditor);

    // A reset replaces the password and ends the live tokens of the former member only.
    const auto reset = m_store->CreateAccount("auditor", "a new long password", grant, true);
    ASSERT_TRUE(reset.has_value());
    EXPECT_TRUE(reset->written);
    EXPECT_TRUE(reset->existed);
    EXPECT_EQ(reset->revoked_tokens, 1U);
    const auto old_password = m_store->CheckPassword("auditor", "correct horse battery");
    ASSERT_TRUE(old_password.has_value());
    EXPECT_FALSE(old_password->has_value());
    const auto new_password = m_store->CheckPassword("auditor", "a new long password");
    ASSERT_TRUE(new_password.has_value());
    EXPECT_TRUE(new_password->has_value());
    const auto ended = m_store->FindToken(TokenHash(session->text), NOW);
    ASSERT_TRUE(ended.has_value());
    EXPECT_FALSE(ended->has_value()) << "a session opened with the old password lives on";
    for (const auto& kept_token : {*colleague, *namesake}) {
        const auto other = m_store->FindToken(TokenHash(kept_token.text), NOW);
        ASSERT_TRUE(other.has_value());
        EXPECT_TRUE(other->has_value()) << kept_token.id;
    }
}

TEST_F(CredentialStoreTest, DistrictsAreListedAndFoundAfterTheyAreAdded)
{
    PgDistrictDirectory districts{*m_pool};
    auto missing = districts.Contains(Slug{"centrum"});
    ASSERT_TRUE(missing.has_value());
    EXPECT_FALSE(*missing);
    ASSERT_TRUE(districts.Put({Slug{"centrum"}, ledger::Title{"Centrum"}}).has_value());
    ASSERT_TRUE(districts.Put({Slug{"centrum"}, ledger::Title{"Haarlem-Centrum"}}).has_value());
    auto list = districts.List();
    ASSERT_TRUE(list.has_value());
    ASSERT_EQ(list->size(), 1U);
    EXPECT_EQ(list->front().name.value, "Haarlem-Centrum");
    // Another process added one: a miss reads the table again.
    m_database->Owner() << "INSERT INTO districts (slug, name) VALUES ('noord', 'Noord')";
    auto added = districts.Contains(Slug{"noord"});
    ASSERT_TRUE(added.has_value());
    EXPECT_TRUE(*added);
}

TEST_F(CredentialStoreTest, SessionCheckReopensAConnectionTheDatabaseDropped)
{
    auto pool = m_database->Pool(1); // One session: the one that is dropped is leased again.
    const std::string schema = m_database->Schema();
    PgCredentialStore store{*pool, [schema](soci::session& session) {
                                ledger::pg::EnsureConnected(session, schema);
                            }};
    auto token = store.IssueToken(
        {Role::auditor, Slug{"audit-1"}, std::nullopt, std::chrono::hours{1}}, NOW);
    ASSERT_TRUE(token.has_value());
    int pid = 0;
    {
        soci::session leased{*pool};
        leased << "SELECT pg_backend_pid()", soci::into(pid);
    }
    int terminated = 0;
    m_database->Owner() << "SELECT count(pg_terminate_backend(:pid))", soci::use(pid),
        soci::into(terminated);
    ASSERT_EQ(terminated, 1);
    // The statement that meets the dead connection fails (libpq learns of it only then); the
    // check reopens it for the next call, which sees the token again.
    (void)store.FindToken(TokenHash(token->text), NOW);
    auto found = store.FindToken(TokenHash(token->text), NOW);
    ASSERT_TRUE(found.has_value()) << found.error().message();
    EXPECT_TRUE(found->has_value());
}

} // namespace
} // namespace wijkbudget::services::pg
