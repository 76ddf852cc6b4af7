#pragma once
// api/token_cache.hpp: principals of bearer tokens seen recently, so that a write need not look
// its token up in the database on every request.
//
// A cached principal is never trusted alone: every write it authenticates carries its token's
// hash to the sequencer (AppendRequest::credential), which confirms in the batch's transaction,
// under the ledger's lock, that the token is neither revoked nor expired (one query per batch,
// not one per request). A revocation committed before that batch refuses the write with 401, as
// a lookup would have. Reads with a token still look it up each time: nothing confirms them
// later. A token's role, member and council never change, so a cached one is never outdated in
// those; it is dropped when the sequencer refuses it, after TOKEN_CACHE_TTL, or when the cache
// is emptied because it is full. Until then, a revoked token's write that a handler refuses
// before it reaches the sequencer (a missing key 400, an unknown council 404, a wrong role 403,
// a malformed body 422) gets that refusal rather than 401: nothing is written either way.

#include "ledger/sha256.hpp"
#include "services/principal.hpp"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace wijkbudget::api {

//! Tokens kept at most; when full, the cache is emptied and fills again from later requests.
inline constexpr std::size_t TOKEN_CACHE_ENTRIES_MAX{4096};
//! How long a principal is kept without a fresh lookup. The sequencer confirms every write
//! regardless; this only bounds how long a token the database lost stays in memory.
inline constexpr std::chrono::seconds TOKEN_CACHE_TTL{60};

class TokenCache
{
public:
    using Clock = std::chrono::steady_clock;

    [[nodiscard]] std::optional<services::Principal> Find(const ledger::Hash& token_hash,
                                                          Clock::time_point now) const;
    void Keep(const ledger::Hash& token_hash, services::Principal principal, Clock::time_point now);
    void Forget(const ledger::Hash& token_hash);
    [[nodiscard]] std::size_t Size() const;

private:
    struct HashOfHash {
        std::size_t operator()(const ledger::Hash& hash) const noexcept;
    };
    struct Kept {
        services::Principal principal;
        Clock::time_point until;
    };

    mutable std::mutex m_mutex;
    std::unordered_map<ledger::Hash, Kept, HashOfHash> m_kept; //!< Guarded by m_mutex.
};

} // namespace wijkbudget::api
