#pragma once
// api/idempotency.hpp: Idempotency-Key handling on the way in (DESIGN.md section 4).
//
// The stored answer is the guarantee: the sequencer writes it with the entry, in one
// transaction, and answers a retry from it. This side gives the fast answer: a key whose first
// request is still queued or being written gets 409 instead of waiting for a second turn.

#include "api/handler.hpp"
#include "ledger/append.hpp"
#include "services/principal.hpp"

#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace wijkbudget::api {

inline constexpr std::string_view IDEMPOTENCY_KEY_HEADER{"Idempotency-Key"};
inline constexpr std::string_view IDEMPOTENCY_REPLAYED_HEADER{"Idempotency-Replayed"};

//! A key is 1..IDEMPOTENCY_KEY_BYTES_MAX printable ASCII characters (no spaces).
bool IsValidIdempotencyKey(std::string_view key);

//! Whose keys a request's are: the actor its token acts as (role, council, member), not the
//! token. Tokens expire and logins make new ones; a client that logs in again and retries with
//! the same key must find the first answer, not write twice. Slugs hold no ':', so no two actors
//! share a scope, and none meets a ballot's "voter:" scope or an older record's token id (hex).
std::string IdempotencyScope(const services::Principal& principal);

//! SHA-256 over method, target and body, each length-prefixed so no two requests collide.
ledger::Hash RequestHash(const Request& request);

//! The claims of this process whose requests are queued or being written.
class InFlightClaims
{
public:
    //! False if the claim is in flight already (the caller answers 409).
    bool TryAcquire(const ledger::IdempotencyClaim& claim);
    void Release(const ledger::IdempotencyClaim& claim);

private:
    std::mutex m_mutex;
    std::set<std::pair<std::string, std::string>> m_claims;
};

} // namespace wijkbudget::api
