#pragma once
// ledger/append.hpp: the port through which requests reach the sequencer.
//
// A request does not carry a finished entry: it carries a function that makes the draft from the
// ledger as it stands when the sequencer takes the request, under its lock, with every earlier
// entry applied (other processes' included). So "council already registered" or "line would go
// below zero" is decided against the state the entry really follows, never against a stale copy.
// The sequencer seals the drafts of a batch, writes the batch with its stored hashes, a signed
// checkpoint and the idempotency records in one transaction, and answers only after the commit:
// acknowledged means durable (DESIGN.md section 4).

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"
#include "ledger/sealer.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::ledger {

//! Longest Idempotency-Key accepted (a UUID is 36 characters; this leaves room for others).
inline constexpr std::size_t IDEMPOTENCY_KEY_BYTES_MAX{128};

//! "This request, under this key, by this principal": retries with the same key and the same
//! request get the stored answer; the same key with another request is refused.
struct IdempotencyClaim {
    std::string principal; //!< Whose key it is (an actor, a voter): callers' keys never meet.
    std::string key; //!< The Idempotency-Key header, 1..IDEMPOTENCY_KEY_BYTES_MAX printable ASCII.
    Hash request_hash{}; //!< SHA-256 of method, target and body.
};

//! What was answered to a request, kept with its claim for good.
struct StoredAnswer {
    int status{0};
    std::string body;
    friend bool operator==(const StoredAnswer&, const StoredAnswer&) = default;
};

//! An entry the sequencer has appended, with the proof that the signed checkpoint covers it.
struct AppendedEntry {
    SealedEntry sealed;
    std::string checkpoint; //!< The signed checkpoint note written with the entry's batch.
    std::string receipt;    //!< C2SP tlog-proof of the entry against that checkpoint.
};

struct AppendRequest {
    std::optional<IdempotencyClaim> claim;
    //! Runs on the sequencer, under its lock, with the ledger current: the draft to seal (its
    //! index, link and balances are filled in by the Sealer) or the reason to refuse.
    std::function<boost::system::result<Entry, Failure>()> make_draft;
    //! Turns the outcome (the appended entry, or the refusal of make_draft or of the Sealer)
    //! into the answer that is stored with the claim and returned.
    std::function<StoredAnswer(const boost::system::result<AppendedEntry, Failure>&)> answer;
    /** The hash of the credential (a bearer token) the caller was accepted with, when the
     * acceptance may be stale (a cache): the sequencer confirms it under its lock, in the batch
     * that would append the entry, and refuses the request if it is no longer valid. So a
     * revocation committed before the batch takes effect without a lookup per request. */
    std::optional<Hash> credential{};
    /** Whether a refusal (of make_draft or of the Sealer) is stored under the claim, as an HTTP
     * write's must be: a retry then gets the same answer, whatever changed since. Operators'
     * commands, whose keys their input fixes, say no: a refusal leaves the key free, so that the
     * command succeeds when run again once the cause is gone (the line granted, the close passed)
     * instead of replaying the refusal for good. An appended entry's answer is always stored. */
    bool record_refusal{true};
};

struct AppendReply {
    StoredAnswer answer;
    //! The claim was already stored with this request: the answer is the stored one.
    bool replayed{false};
};

/** Why an append got no answer at all. A retry under the same claim is safe: nothing was written
 * for it, except after `unavailable` from a connection lost as the commit went out, when the
 * batch may have been committed; the retry then gets the stored answer. (`unavailable` also
 * answers a request the queue had no room for, which wrote nothing.) */
enum class AppendFailure {
    key_reused,         //!< The claim's key is stored with another request (HTTP 422).
    read_only,          //!< The sequencer refused to go on (an inconsistent checkpoint; see logs).
    unavailable,        //!< The database failed; the batch was rolled back (or see above).
    shutting_down,      //!< The sequencer stopped before it took the request.
    credential_refused, //!< The request's credential is revoked, expired or unknown (HTTP 401).
};

class Appender
{
public:
    virtual ~Appender() = default;
    using Done = std::function<void(boost::system::result<AppendReply, AppendFailure>)>;
    /** Queues the request. `done` is called exactly once, on the sequencer's thread, after the
     *  batch that holds the request committed (or failed). It must not block. */
    virtual void Submit(AppendRequest request, Done done) = 0;
};

//! Sees every entry of the ledger once, in index order: the entries already stored when the
//! sequencer starts, those other processes append, and those this process seals. Services keep
//! their projections (councils, budget lines) this way. Called on the sequencer's thread.
class EntryObserver
{
public:
    virtual ~EntryObserver() = default;
    //! Forget everything: the sequencer replays the ledger from index 0 (after a failed batch).
    virtual void Reset() = 0;
    virtual void Observe(const Entry& entry) = 0;
    //! The same, from a caller that has the entry's leaf hash at hand (the Sealer computed it):
    //! an observer that needs the hash overrides this, rather than serialise and hash again.
    virtual void ObserveSealed(const Entry& entry, const Hash& /*leaf*/) { Observe(entry); }
};

} // namespace wijkbudget::ledger
