#pragma once
// services/credentials.hpp: bearer tokens and password logins (DESIGN.md section 7).
//
// A token is "<id>.<secret>": the id is public (logs, logout, revocation; Idempotency-Keys are
// the actor's, api/idempotency.hpp), the secret is 32 random bytes. Only the SHA-256 of the whole
// token is stored, so a leaked database does not leak usable tokens; a token's entropy makes a slow
// hash unnecessary there. Passwords are people's, so they get Argon2id (libsodium, in the adapter).
// Personal data (a login's name) stays in this mutable store, never in the ledger.

#include "ledger/sha256.hpp"
#include "ledger/values.hpp"
#include "services/principal.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::services {

//! How long a token lives unless told otherwise, and at most.
inline constexpr std::chrono::hours TOKEN_LIFETIME_DEFAULT{24 * 30};
inline constexpr std::chrono::hours TOKEN_LIFETIME_MAX{24 * 366};
//! A login session's token (POST /api/v1/session) lives a working day.
inline constexpr std::chrono::hours SESSION_TOKEN_LIFETIME{12};
//! Longest login and password accepted (Argon2id hashes anything, but a bound keeps it cheap).
inline constexpr std::size_t LOGIN_BYTES_MAX{64};
inline constexpr std::size_t PASSWORD_BYTES_MAX{256};
inline constexpr std::size_t PASSWORD_BYTES_MIN{12};
//! A token's text: id (16 hex) '.' secret (64 hex).
inline constexpr std::size_t TOKEN_TEXT_BYTES{16 + 1 + 64};

struct IssuedToken {
    std::string id;
    std::string text; //!< The bearer token, shown once and never stored.
    ledger::Timestamp expires_at;
};

//! The account whose password a login checked: its login and the Argon2id hash it verified.
struct VerifiedAccount {
    std::string login;
    std::string password_hash;
};

struct TokenGrant {
    ledger::Role role{ledger::Role::resident};
    ledger::Slug member;                 //!< Actor id in entries; the token's --name.
    std::optional<ledger::Slug> council; //!< Required for council roles, absent otherwise.
    std::chrono::hours lifetime{TOKEN_LIFETIME_DEFAULT};
    /** Set by CheckPassword. IssueToken then stores the token only while the account still has
     *  that hash, checked in the token's own transaction: a reset (CreateAccount) that commits
     *  between the check and the token refuses the login (Errc::login_failed) instead of leaving
     *  it a session that the reset's revocation never saw. */
    std::optional<VerifiedAccount> verified_account{};
};

//! What CreateAccount did.
struct AccountWritten {
    bool written{false};             //!< False: the login exists and no reset was asked for.
    bool existed{false};             //!< The login was there before.
    std::uint64_t revoked_tokens{0}; //!< Tokens of the former account that a reset revoked.
};

class CredentialStore
{
public:
    virtual ~CredentialStore() = default;

    //! The principal of a valid token (known, not expired at `now`, not revoked); none otherwise.
    virtual boost::system::result<std::optional<Principal>>
    FindToken(const ledger::Hash& token_hash, ledger::Timestamp now) = 0;

    //! Stores a new random token for `grant`. Errc::storage_unavailable if the store fails;
    //! Errc::login_failed if grant.verified_account no longer has the hash that was checked.
    virtual boost::system::result<IssuedToken> IssueToken(const TokenGrant& grant,
                                                          ledger::Timestamp now) = 0;

    //! Revokes the token with this id; false if there is none (or it was revoked already).
    virtual boost::system::result<bool> RevokeToken(std::string_view id, ledger::Timestamp now) = 0;

    /** Creates a login whose password is hashed with Argon2id. A login that exists is left as
     * it is unless `reset`: then its password and grant are replaced and, in the same
     * transaction, every token not yet revoked that acts as its former member id, role and council
     * is revoked, so that a reset after a leaked password also ends the sessions opened with it. */
    virtual boost::system::result<AccountWritten> CreateAccount(std::string_view login,
                                                                std::string_view password,
                                                                const TokenGrant& grant,
                                                                bool reset) = 0;

    //! The grant of a login whose password matches, with its verified_account; none for an
    //! unknown login or a wrong password (the same time is spent either way).
    virtual boost::system::result<std::optional<TokenGrant>>
    CheckPassword(std::string_view login, std::string_view password) = 0;
};

//! The SHA-256 under which a token's text is stored and looked up.
ledger::Hash TokenHash(std::string_view token_text);

//! Whether text has the shape of a token (so garbage never reaches the store).
bool IsTokenText(std::string_view text);

//! Whether the role must act for a council (council members and treasurers).
bool RoleNeedsCouncil(ledger::Role role);

} // namespace wijkbudget::services
