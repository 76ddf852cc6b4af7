#pragma once
// services/pg/pg_credential_store.hpp: tokens and logins in PostgreSQL (tables tokens, accounts
// of ledger/pg/schema/001_ledger.sql). Argon2id and the random secrets come from libsodium.

#include "services/credentials.hpp"
#include "services/pg/session_check.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace soci {
class connection_pool;
class session;
} // namespace soci

namespace wijkbudget::services::pg {

class PgCredentialStore final : public CredentialStore
{
public:
    /** @pre the pool's sessions have their search_path set to the ledger's schema.
     *  `ledger_lock_key` (ledger::pg::LedgerLockKey of that schema): a revocation takes the
     *  ledger's lock, so it waits for the batch in flight, and every later batch, whose credential
     *  query runs under that lock, sees it. Once RevokeToken returned, no write with the token
     *  commits. Without it (tests of this adapter alone), a revocation does not wait. */
    explicit PgCredentialStore(soci::connection_pool& pool, SessionCheck check = {},
                               std::optional<std::int64_t> ledger_lock_key = std::nullopt);

    boost::system::result<std::optional<Principal>> FindToken(const ledger::Hash& token_hash,
                                                              ledger::Timestamp now) override;
    boost::system::result<IssuedToken> IssueToken(const TokenGrant& grant,
                                                  ledger::Timestamp now) override;
    boost::system::result<bool> RevokeToken(std::string_view id, ledger::Timestamp now) override;
    boost::system::result<AccountWritten> CreateAccount(std::string_view login,
                                                        std::string_view password,
                                                        const TokenGrant& grant,
                                                        bool reset) override;
    boost::system::result<std::optional<TokenGrant>>
    CheckPassword(std::string_view login, std::string_view password) override;

private:
    //! In an open transaction: the ledger's lock (m_ledger_lock_key), if given, until it ends.
    void LockLedger(soci::session& sql) const;

    soci::connection_pool& m_pool;
    SessionCheck m_check;
    std::optional<std::int64_t> m_ledger_lock_key;
};

/** The sequencer's credential query (ledger/pg/pg_sequencer.hpp, SequencerOptions::
 * credential_query) for bearer tokens: of the token hashes in $1 (a text[] of hex), those of
 * tokens that exist, are not revoked and have not expired by the transaction's time. */
inline constexpr std::string_view VALID_TOKEN_HASHES_QUERY{
    "SELECT encode(token_hash, 'hex') FROM tokens WHERE token_hash IN (SELECT decode(h, 'hex') "
    "FROM unnest(CAST($1 AS text[])) AS t(h)) AND revoked_at IS NULL AND expires_at > now()"};

} // namespace wijkbudget::services::pg
