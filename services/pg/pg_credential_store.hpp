#pragma once
// services/pg/pg_credential_store.hpp: tokens and logins in PostgreSQL (tables tokens, accounts
// of ledger/pg/schema/001_ledger.sql). Argon2id and the random secrets come from libsodium.

#include "services/credentials.hpp"
#include "services/pg/session_check.hpp"

#include <span>
#include <vector>

namespace soci {
class connection_pool;
class session;
} // namespace soci

namespace wijkbudget::services::pg {

class PgCredentialStore final : public CredentialStore
{
public:
    //! @pre the pool's sessions have their search_path set to the ledger's schema.
    explicit PgCredentialStore(soci::connection_pool& pool, SessionCheck check = {});

    boost::system::result<std::optional<Principal>> FindToken(const ledger::Hash& token_hash,
                                                              ledger::Timestamp now) override;
    boost::system::result<IssuedToken> IssueToken(const TokenGrant& grant,
                                                  ledger::Timestamp now) override;
    boost::system::result<bool> RevokeToken(std::string_view id, ledger::Timestamp now) override;
    boost::system::result<void> CreateAccount(std::string_view login, std::string_view password,
                                              const TokenGrant& grant) override;
    boost::system::result<std::optional<TokenGrant>>
    CheckPassword(std::string_view login, std::string_view password) override;

private:
    soci::connection_pool& m_pool;
    SessionCheck m_check;
};

/** The hashes among `token_hashes` of tokens that exist, are not revoked and have not expired at
 * `now`, in one query on `session` (the sequencer's, inside its batch: ledger/pg/pg_sequencer.hpp
 * CredentialCheck). Throws soci::soci_error if the query fails. */
std::vector<ledger::Hash> ValidTokenHashes(soci::session& session,
                                           std::span<const ledger::Hash> token_hashes,
                                           ledger::Timestamp now);

} // namespace wijkbudget::services::pg
