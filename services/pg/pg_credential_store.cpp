#include "services/pg/pg_credential_store.hpp"

#include "ledger/errc.hpp"
#include "ledger/hex.hpp"
#include "services/errc.hpp"

#include <soci/soci.h>

#include <array>
#include <cstdint>
#include <utility>

#include <sodium.h>

namespace wijkbudget::services::pg {
namespace {

//! How long a revocation waits for the ledger's lock (a batch in flight) before it fails.
constexpr int REVOCATION_LOCK_WAIT_MS{5000};

//! Argon2id cost: libsodium's "interactive" limits (64 MiB, 2 passes), about 0.1 s a login on
//! our machines: slow for a guesser, bearable for a person.
constexpr unsigned long long PASSWORD_OPS_LIMIT{crypto_pwhash_OPSLIMIT_INTERACTIVE};
constexpr std::size_t PASSWORD_MEMORY_LIMIT{crypto_pwhash_MEMLIMIT_INTERACTIVE};
constexpr std::size_t TOKEN_ID_BYTES{8};
constexpr std::size_t TOKEN_SECRET_BYTES{32};
constexpr long long MILLISECONDS_PER_HOUR{3'600'000};

boost::system::error_code Unavailable()
{
    return make_error_code(ledger::Errc::storage_unavailable);
}

std::string RandomHex(std::size_t bytes)
{
    std::vector<std::uint8_t> buffer(bytes);
    randombytes_buf(buffer.data(), buffer.size());
    return ledger::ToHex(buffer);
}

//! A stored role, council and member back into a principal; none if the row is not one we
//! would have written (then the token is treated as unknown, never half-trusted).
std::optional<TokenGrant> GrantOf(const std::string& role, const std::string& member,
                                  const std::string& council, soci::indicator council_indicator)
{
    const auto parsed_role = ledger::EnumFromSpelling<ledger::Role>(role);
    if (!parsed_role || !ledger::SlugRule::Check(member)) return std::nullopt;
    TokenGrant grant{*parsed_role, ledger::Slug{member}, std::nullopt, TOKEN_LIFETIME_DEFAULT};
    if (council_indicator == soci::i_ok) {
        if (!ledger::SlugRule::Check(council)) return std::nullopt;
        grant.council = ledger::Slug{council};
    }
    if (RoleNeedsCouncil(grant.role) != grant.council.has_value()) return std::nullopt;
    return grant;
}

} // namespace

PgCredentialStore::PgCredentialStore(soci::connection_pool& pool, SessionCheck check,
                                     std::optional<std::int64_t> ledger_lock_key)
    : m_pool{pool}, m_check{std::move(check)}, m_ledger_lock_key{ledger_lock_key}
{
    // sodium_init is idempotent and thread-safe; it fails only without a random source.
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
}

boost::system::result<std::optional<Principal>>
PgCredentialStore::FindToken(const ledger::Hash& token_hash, ledger::Timestamp now)
{
    try {
        std::string id, role, member, council;
        soci::indicator council_indicator{soci::i_null};
        bool found = false;
        const std::string hash_hex = ledger::ToHex(token_hash);
        const long long now_ms{now.milliseconds};
        ReadOnPooledSession(m_pool, m_check, [&](soci::session& sql) {
            sql << "SELECT id, role, name, council FROM tokens WHERE token_hash = "
                   "decode(:hash, 'hex') AND revoked_at IS NULL AND expires_at > "
                   "to_timestamp(:now / 1000.0)",
                soci::use(hash_hex), soci::use(now_ms), soci::into(id), soci::into(role),
                soci::into(member), soci::into(council, council_indicator);
            found = sql.got_data();
        });
        if (!found) return std::optional<Principal>{};
        const auto grant = GrantOf(role, member, council, council_indicator);
        if (!grant) return std::optional<Principal>{};
        return std::optional<Principal>{Principal{id, grant->role, grant->member, grant->council}};
    } catch (const soci::soci_error&) {
        return Unavailable();
    }
}

boost::system::result<IssuedToken> PgCredentialStore::IssueToken(const TokenGrant& grant,
                                                                 ledger::Timestamp now)
{
    IssuedToken token;
    token.id = RandomHex(TOKEN_ID_BYTES);
    token.text = token.id + "." + RandomHex(TOKEN_SECRET_BYTES);
    token.expires_at = {now.milliseconds + grant.lifetime.count() * MILLISECONDS_PER_HOUR};
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        soci::transaction transaction{sql};
        if (grant.verified_account) {
            // Shares the row a reset updates (FOR UPDATE): a reset that committed since the
            // check left another hash, and one that comes later waits for this token's commit,
            // so that its revocation sees the token.
            int still_verified = 0;
            sql << "SELECT 1 FROM accounts WHERE login = :login AND password_hash = :hash "
                   "FOR SHARE",
                soci::use(grant.verified_account->login),
                soci::use(grant.verified_account->password_hash), soci::into(still_verified);
            if (!sql.got_data()) return make_error_code(Errc::login_failed);
        }
        const std::string hash_hex = ledger::ToHex(TokenHash(token.text));
        const std::string role{ledger::SpellingOf(grant.role)};
        const std::string council = grant.council ? grant.council->value : std::string{};
        soci::indicator council_indicator = grant.council ? soci::i_ok : soci::i_null;
        const long long expires_ms{token.expires_at.milliseconds};
        sql << "INSERT INTO tokens (id, token_hash, role, name, council, expires_at) VALUES "
               "(:id, decode(:hash, 'hex'), :role, :name, :council, to_timestamp(:expires / "
               "1000.0))",
            soci::use(token.id), soci::use(hash_hex), soci::use(role),
            soci::use(grant.member.value), soci::use(council, council_indicator),
            soci::use(expires_ms);
        transaction.commit();
        return token;
    } catch (const soci::soci_error&) {
        return Unavailable();
    }
}

void PgCredentialStore::LockLedger(soci::session& sql) const
{
    if (!m_ledger_lock_key) return;
    // Bounded: a batch can hold the lock while it waits for a pooled session (a council's
    // district read by its draft), which revocations waiting here would hold. Past the bound the
    // revocation fails (503: try again), and its session is free for the batch.
    sql << "SET LOCAL lock_timeout = '" << REVOCATION_LOCK_WAIT_MS << "ms'";
    sql << "SELECT pg_advisory_xact_lock(:key)", soci::use(*m_ledger_lock_key);
}

boost::system::result<bool> PgCredentialStore::RevokeToken(std::string_view id,
                                                           ledger::Timestamp now)
{
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        const std::string id_text{id};
        const long long now_ms{now.milliseconds};
        soci::transaction transaction{sql};
        LockLedger(sql);
        soci::statement update =
            (sql.prepare << "UPDATE tokens SET revoked_at = to_timestamp(:now / 1000.0) "
                            "WHERE id = :id AND revoked_at IS NULL",
             soci::use(now_ms), soci::use(id_text));
        update.execute(true);
        const bool revoked = update.get_affected_rows() == 1;
        transaction.commit();
        return revoked;
    } catch (const soci::soci_error&) {
        return {boost::system::in_place_error, Unavailable()};
    }
}

boost::system::result<AccountWritten> PgCredentialStore::CreateAccount(std::string_view login,
                                                                       std::string_view password,
                                                                       const TokenGrant& grant,
                                                                       bool reset)
{
    std::array<char, crypto_pwhash_STRBYTES> hashed{};
    if (crypto_pwhash_str(hashed.data(), password.data(), password.size(), PASSWORD_OPS_LIMIT,
                          PASSWORD_MEMORY_LIMIT) != 0) {
        return make_error_code(ledger::Errc::crypto_failure); // Out of memory.
    }
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        const std::string login_text{login};
        const std::string hash_text{hashed.data()};
        const std::string role{ledger::SpellingOf(grant.role)};
        const std::string council = grant.council ? grant.council->value : std::string{};
        soci::indicator council_indicator = grant.council ? soci::i_ok : soci::i_null;
        soci::transaction transaction{sql};
        // New logins go in; one that exists is locked, so two resets do not interleave.
        soci::statement insert =
            (sql.prepare << "INSERT INTO accounts (login, password_hash, role, member, council) "
                            "VALUES (:login, :hash, :role, :member, :council) "
                            "ON CONFLICT (login) DO NOTHING",
             soci::use(login_text), soci::use(hash_text), soci::use(role),
             soci::use(grant.member.value), soci::use(council, council_indicator));
        insert.execute(true);
        if (insert.get_affected_rows() == 1) {
            transaction.commit();
            return AccountWritten{true, false, 0};
        }
        if (!reset) return AccountWritten{false, true, 0};
        LockLedger(sql); // The reset revokes tokens: as RevokeToken.
        std::string former_member, former_role, former_council;
        soci::indicator former_council_indicator = soci::i_null;
        sql << "SELECT member, role, council FROM accounts WHERE login = :login FOR UPDATE",
            soci::use(login_text), soci::into(former_member), soci::into(former_role),
            soci::into(former_council, former_council_indicator);
        if (!sql.got_data()) return Unavailable(); // Deleted since the insert: try again.
        sql << "UPDATE accounts SET password_hash = :hash, role = :role, member = :member, "
               "council = :council WHERE login = :login",
            soci::use(hash_text), soci::use(role), soci::use(grant.member.value),
            soci::use(council, council_indicator), soci::use(login_text);
        // The tokens that acted as this account: its member id with its role and council (a
        // member id alone may recur on another council or in another role).
        soci::statement revoke =
            (sql.prepare << "UPDATE tokens SET revoked_at = now() WHERE name = :member "
                            "AND role = :role AND council IS NOT DISTINCT FROM :council "
                            "AND revoked_at IS NULL",
             soci::use(former_member), soci::use(former_role),
             soci::use(former_council, former_council_indicator));
        revoke.execute(true);
        const auto revoked = static_cast<std::uint64_t>(revoke.get_affected_rows());
        transaction.commit();
        return AccountWritten{true, true, revoked};
    } catch (const soci::soci_error&) {
        return Unavailable();
    }
}

boost::system::result<std::optional<TokenGrant>>
PgCredentialStore::CheckPassword(std::string_view login, std::string_view password)
{
    std::string hash_text, role, member, council;
    soci::indicator council_indicator{soci::i_null};
    bool found = false;
    try {
        const std::string login_text{login};
        ReadOnPooledSession(m_pool, m_check, [&](soci::session& sql) {
            sql << "SELECT password_hash, role, member, council FROM accounts WHERE login = :login",
                soci::use(login_text), soci::into(hash_text), soci::into(role), soci::into(member),
                soci::into(council, council_indicator);
            found = sql.got_data();
        });
    } catch (const soci::soci_error&) {
        return Unavailable();
    }
    if (!found) {
        // Spend an Argon2id's time anyway, so the answer's delay does not tell which logins exist.
        std::array<char, crypto_pwhash_STRBYTES> ignored{};
        if (crypto_pwhash_str(ignored.data(), password.data(), password.size(), PASSWORD_OPS_LIMIT,
                              PASSWORD_MEMORY_LIMIT) != 0) {
            return make_error_code(ledger::Errc::crypto_failure);
        }
        return std::optional<TokenGrant>{};
    }
    if (crypto_pwhash_str_verify(hash_text.c_str(), password.data(), password.size()) != 0)
        return std::optional<TokenGrant>{};
    auto grant = GrantOf(role, member, council, council_indicator);
    if (grant) grant->verified_account = VerifiedAccount{std::string(login), hash_text};
    return grant;
}

} // namespace wijkbudget::services::pg
