#pragma once
// ledger/pg/pg_sequencer.hpp: the one writer of the ledger: group commit on PostgreSQL.
//
// A PgSequencer owns one thread and one session. Requests queue up (Submit, any thread); the
// thread takes all that are waiting, up to a batch's limit, so batches grow under load and stay
// single when idle. Each batch is one transaction under the ledger's advisory lock, in two round
// trips (pipeline.hpp): take the lock and read what the batch needs under it; then catch up with
// entries other processes appended (replaying them through the Sealer and the observers), refuse
// requests whose credential no longer holds, decide each request (stored claim, draft, seal), and
// send the entries, postings, stored hashes, a checkpoint signed only after a consistency proof
// from the previous one (whose note must be the log key's), and the idempotency records with the
// commit (synchronous_commit = on).
// Only after the commit is any request answered: acknowledged means durable (DESIGN.md section 4).
// Several processes may run one each against one database: the lock makes their batches take turns,
// and each catches up before it seals.
//
// If the stored ledger does not replay to the bytes and root it claims, or a new checkpoint would
// not extend the last one, the sequencer turns read-only for good and says so on stderr: the
// database was altered, and signing on would put our key under a forked history.

#include "ledger/append.hpp"
#include "ledger/errc.hpp"
#include "ledger/note_key.hpp"
#include "ledger/pg/ledger_tables.hpp"
#include "ledger/pg/pipeline.hpp"
#include "ledger/sealer.hpp"

#include <boost/system/result.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace soci {
class session;
}

namespace wijkbudget::ledger::pg {

//! Requests one transaction holds at most: enough to amortise the commit's fsync, small enough
//! that a batch's transaction stays well under a second.
inline constexpr std::size_t SEQUENCER_BATCH_ENTRIES_MAX{256};
//! Requests waiting at most; beyond it Submit answers AppendFailure::unavailable at once (HTTP
//! 503, retry later) rather than block a database worker thread or grow without bound.
inline constexpr std::size_t SEQUENCER_QUEUE_REQUESTS_MAX{4096};
//! Tries of a batch after a serialization failure or deadlock, before it fails as unavailable.
inline constexpr int SEQUENCER_TRANSIENT_RETRIES_MAX{3};
//! Stored hashes the sequencer keeps between batches at most (about 4 MiB); beyond it they are
//! dropped and read again. A batch needs the tree's right edge and its new hashes: a few hundred.
inline constexpr std::size_t SEQUENCER_KNOWN_HASHES_MAX{65'536};

/** How long a batch waits for the ledger's lock at most before it fails (AppendFailure::
 *  unavailable: nothing was written, a retry with the same key is safe): another process's
 *  stalled batch (its host frozen, its network cut) holds the lock until its server session
 *  ends, which without this would hold every request here, and Stop, just as long. */
inline constexpr std::chrono::milliseconds SEQUENCER_LOCK_WAIT_MAX{30'000};
/** How long a batch's transaction may sit idle between its round trips (PostgreSQL counts idle
 *  from an answered sync) before PostgreSQL ends its session, and with it the lock: a batch never
 *  pauses this long unless its process hangs. A process that hangs while its writes are in
 *  flight, before their sync, is not covered: only TCP keepalives end that session. */
inline constexpr std::chrono::milliseconds SEQUENCER_IDLE_IN_TRANSACTION_MAX{60'000};

//! How long Sync waits for a batch in progress before it answers without catching up. A batch
//! takes milliseconds; one that takes longer waits on the database (a lock, a stalled commit).
inline constexpr std::chrono::milliseconds SEQUENCER_SYNC_WAIT_MAX{100};

//! An idempotency claim's (principal, key), and what is stored under it: the batch's lookup.
using ClaimKey = std::pair<std::string, std::string>;
struct StoredClaim {
    Hash request_hash{};
    StoredAnswer answer;
};

struct SequencerOptions {
    std::string dsn;              //!< libpq DSN of the runtime role; the sequencer's own session.
    std::string schema{"public"}; //!< Where the ledger's tables are (a plain identifier).
    std::shared_ptr<const SignerKey> signer; //!< The log key (KeyType::ed25519); origin = name.
    std::size_t batch_entries_max{SEQUENCER_BATCH_ENTRIES_MAX};       //!< 1..the constant.
    std::size_t queue_requests_max{SEQUENCER_QUEUE_REQUESTS_MAX};     //!< 1..the constant.
    int transient_retries_max{SEQUENCER_TRANSIENT_RETRIES_MAX};       //!< 0..the constant.
    std::chrono::milliseconds lock_wait_max{SEQUENCER_LOCK_WAIT_MAX}; //!< 1 ms..the constant.
    //! How long Sync and SyncReader wait at most: SEQUENCER_SYNC_WAIT_MAX; 1 ms up to
    //! SEQUENCER_LOCK_WAIT_MAX is accepted, for tests that hold a batch longer than that.
    std::chrono::milliseconds sync_wait_max{SEQUENCER_SYNC_WAIT_MAX};
    //! See every entry once, in order (ledger/append.hpp). Not owned; must outlive the sequencer.
    std::vector<EntryObserver*> observers;
    //! Called on the sequencer's thread after each committed batch with its number of entries.
    std::function<void(std::size_t entries)> on_batch;
    //! Called on the sequencer's thread with the stored hashes each committed batch wrote (as
    //! (stored index, hash)), before its requests are answered: a reader's cache may keep them,
    //! since a committed stored hash never changes.
    std::function<void(std::span<const std::pair<std::uint64_t, Hash>> stored)> on_stored_hashes;
    /** Confirms requests' credentials (AppendRequest::credential), in the batch's transaction
     * under the ledger's lock: SQL whose one parameter $1 is a text[] of the batch's distinct
     * credentials in hex, returning (first column) those still valid, in hex. Empty: a request
     * that carries a credential is refused. */
    std::string credential_query;
};

/** Refuses a cluster where a commit is not durable: `SHOW fsync` off, or `SHOW
 * synchronous_commit` off for this session. Errc::storage_unavailable with the reason in
 * `where`, also if the settings cannot be read. `serve` calls it before it starts. */
boost::system::result<void, Failure> CheckDurability(soci::session& session);

/** Refuses a session whose role may not SELECT or may not INSERT one of the ledger's tables in
 * `schema`: a runtime_dsn that logs in as another role than the one `wijkbudget migrate`
 * granted them to (database.runtime_role, changed since). Without this, every write would fail
 * as "storage unavailable", which hides the cause. Errc::storage_unavailable naming the tables in
 * `where`, or the reason the privileges could not be read. */
boost::system::result<void, Failure> CheckRuntimePrivileges(soci::session& session,
                                                            const std::string& schema);

/** Refuses a session whose role may UPDATE, DELETE or TRUNCATE one of the ledger's tables in
 * `schema` (the tables' owner, a superuser, or a role granted too much), or owns the schema or
 * one of those tables (or is a member of their owner, and so may drop them): the service must
 * run as the runtime role, which may only SELECT and INSERT them, so that append-only holds in
 * the database and not only in the code. Tables not yet created are not judged.
 * Errc::entry_altered (what such a role could do) with the tables or the schema in `where`;
 * Errc::storage_unavailable if the privileges cannot be read. */
boost::system::result<void, Failure> CheckAppendOnlyRole(soci::session& session,
                                                         const std::string& schema);

/**
 * Thread-safety: Submit, Size, IsReadOnly, IsRunning, ObserversShowCommitted, Sync, SyncReader
 * and Stop may be called from any thread. Observers are called on the sequencer's thread, or on the
 * thread calling Sync, never two at once (one mutex guards the Sealer and the observers).
 */
class PgSequencer final : public Appender
{
public:
    /** Opens the session, checks durability, replays the stored ledger into the Sealer and the
     * observers (pages of LEDGER_PAGE_ENTRIES_MAX), then starts the thread.
     * Errc::field_invalid for bad options; Errc::storage_unavailable if the database cannot be
     * used or is not durable; Errc::entry_altered if the stored ledger does not replay. */
    static boost::system::result<std::unique_ptr<PgSequencer>, Failure>
    Start(SequencerOptions options);

    //! Stop(): queued requests are still answered.
    ~PgSequencer() override;
    PgSequencer(const PgSequencer&) = delete;
    PgSequencer& operator=(const PgSequencer&) = delete;

    /** Queues the request; `done` runs on the sequencer's thread after its batch committed or
     * failed. Answered at once, on the caller's thread: AppendFailure::read_only when read-only,
     * shutting_down after Stop, unavailable when SEQUENCER_QUEUE_REQUESTS_MAX are waiting. */
    void Submit(AppendRequest request, Done done) override;

    /** Replays entries other processes appended since the last batch, so readers in this process
     * see them (it does not take the advisory lock). Returns the ledger's size. A batch in
     * progress holds what Sync needs; Sync waits for it at most SEQUENCER_SYNC_WAIT_MAX and then
     * returns the size as it stands (the batch catches up with other processes itself): readers
     * call Sync, and a batch stuck on the database must not hold up every read. Such a reader
     * may see the batch's sealed entries before their commit, as any reader of the observers
     * may between a batch's seal and its commit (ledger/pg/README.md). After Sync, a reader asks
     * ObserversShowCommitted whether what the observers hold may be served. */
    boost::system::result<std::uint64_t, Failure> Sync();

    /** Sync for the readers of the projections, which call it on every read: it neither takes
     * the sequencer's lock nor its session unless another process appended. It waits (at most
     * sync_wait_max) for a batch of this process that sealed entries to commit or fail, as a
     * reader waits in Sync for the batch holding the lock; then asks a session of the readers'
     * own (one at a time) for the stored size, and waits again for a batch that began sealing
     * meanwhile. Only a stored ledger ahead of this process's, or observers not showing the
     * committed ledger, go on to Sync. One deadline bounds all of it, Sync's wait included;
     * past it, it answers the size as it stands, as Sync does. */
    boost::system::result<std::uint64_t, Failure> SyncReader();

    /** Whether the observers hold the committed ledger, as far as this process has seen it
     * (apart from a batch between its seal and its commit, for as long as that commit takes).
     * False from a batch that failed after it began sealing (entries may be in the observers
     * and not in the database) and while a replay from index 0 is under way (they hold part of
     * the ledger), until that replay has completed: a reader then answers "not now" rather than
     * show entries that never were, or a ledger with its latest entries missing. A reader's Sync
     * runs the replay when it gets the state within SEQUENCER_SYNC_WAIT_MAX and the database can
     * be reached; so does the sequencer's thread right after the failed batch was answered, and
     * the next batch. False for good once the stored ledger failed the
     * replay's checks (the ledger is then read-only). */
    [[nodiscard]] bool ObserversShowCommitted() const { return m_observers_committed.load(); }

    //! Stops taking requests, answers those queued (batches as usual), joins the thread.
    //! Idempotent.
    void Stop();

    //! Entries in the ledger as this process last saw it (committed ones only).
    [[nodiscard]] std::uint64_t Size() const { return m_size.load(); }
    [[nodiscard]] bool IsReadOnly() const { return m_read_only.load(); }
    [[nodiscard]] bool IsRunning() const { return m_running.load(); }

private:
    struct Pending {
        AppendRequest request;
        Done done;
    };
    struct Slot;
    struct Prelude;
    enum class Outcome { committed, transient, failed };

    PgSequencer(SequencerOptions options, std::unique_ptr<soci::session> session);

    void Run();
    std::vector<Pending> TakeBatch();
    void ProcessBatch(std::vector<Pending>& batch);
    //! After a batch that failed after it began sealing: the replay from index 0, at once.
    void RebuildAfterFailure();
    //! Sync with its wait for the state bounded by `deadline`.
    boost::system::result<std::uint64_t, Failure>
    SyncUntil(std::chrono::steady_clock::time_point deadline);
    //! Sets m_batch_ahead; clearing it wakes the readers waiting in SyncReader.
    void SetBatchAhead(bool ahead);
    Outcome RunBatch(std::vector<Slot>& slots, std::size_t& entries);
    boost::system::result<std::size_t, Failure> TryBatch(std::vector<Slot>& slots);
    //! BEGIN, the lock, and what the batch reads under it, in one round trip.
    Prelude BeginUnderLock(const std::vector<Slot>& slots);
    void RefuseStaleCredentials(std::vector<Slot>& slots,
                                const std::vector<Hash>& valid_credentials);
    void DecideSlots(std::vector<Slot>& slots, std::vector<SealedEntry>& sealed,
                     const std::map<ClaimKey, StoredClaim>& stored_claims);
    boost::system::result<void, Failure> Seal(Slot& slot, std::vector<SealedEntry>& sealed);
    /** Sends the batch's inserts and its checkpoint through `writes`, and answers the sealed
     *  slots. Everything it reads through the session comes before its first send. */
    boost::system::result<void, Failure>
    WriteEntries(std::vector<Slot>& slots, const std::vector<SealedEntry>& sealed,
                 const std::optional<CheckpointRow>& latest_checkpoint, Pipeline& writes);
    [[nodiscard]] std::optional<PipelinedStatement>
    IdempotencyStatement(const std::vector<Slot>& slots) const;

    /** @pre m_state_mutex held. Replays the stored entries the Sealer lacks (all after a reset),
     * given the stored size if the caller has just read it. */
    boost::system::result<void, Failure> CatchUp(std::optional<std::uint64_t> stored_size = {});
    boost::system::result<void, Failure> Replay(const std::string& bytes);
    //! GoReadOnly for a stored ledger that failed CatchUp's checks: the observers are not shown
    //! again (ObserversShowCommitted), nor is the ledger replayed again, in this process.
    Failure StoredLedgerAltered(Failure failure);
    Failure GoReadOnly(Failure failure);

    SequencerOptions m_options;
    std::int64_t m_lock_key;

    std::mutex m_queue_mutex;
    std::condition_variable m_queue_ready;
    std::deque<Pending> m_queue; //!< Guarded by m_queue_mutex.
    bool m_stopping{false};      //!< Guarded by m_queue_mutex.

    std::timed_mutex m_state_mutex; //!< Guards the session, Sealer and observers.
    std::unique_ptr<soci::session> m_session;
    //! The batch's statements, prepared on the session's connection (under the mutex).
    PreparedStatements m_prepared;
    Sealer m_sealer;
    //! The Sealer and observers may be ahead of the database (a batch failed after sealing), or
    //! hold part of it (a replay from index 0 cut short): reset them and replay from index 0
    //! before the next use. Cleared once such a replay has completed.
    bool m_rebuild{false};
    //! CatchUp found the stored ledger altered (StoredLedgerAltered): no replay again.
    bool m_stored_ledger_altered{false};
    //! The batch in progress sent its COMMIT: a failure from then on leaves its outcome unknown.
    bool m_commit_sent{false};
    //! Committed stored hashes the last batches read or wrote, for the next (under the mutex).
    KnownHashes m_known_hashes;
    //! The hashes of the batch in progress, kept once it commits.
    KnownHashes m_batch_hashes;
    //! The checkpoint note this process signed and committed last (under the mutex), which the
    //! next batch need not verify again; and the one of the batch in progress.
    std::string m_signed_note;
    std::string m_batch_note;
    //! The size of m_signed_note's checkpoint (0: none signed yet by this process).
    std::uint64_t m_signed_size{0};
    //! The stored hashes the batch in progress writes, for on_stored_hashes once it commits.
    std::vector<std::pair<std::uint64_t, Hash>> m_batch_stored;

    std::atomic<std::uint64_t> m_size{0};
    std::atomic<bool> m_read_only{false};
    std::atomic<bool> m_running{false};
    //! ObserversShowCommitted; written under m_state_mutex, read by any thread.
    std::atomic<bool> m_observers_committed{true};
    //! A batch of this process sealed entries that are not committed (or failed) yet: from its
    //! first seal until ProcessBatch has its outcome. Guarded by m_ahead_mutex; SyncReader waits
    //! on m_batch_settled for it to clear.
    bool m_batch_ahead{false};
    //! How many times m_batch_ahead was set: a reader learns that a batch sealed meanwhile.
    std::uint64_t m_batches_sealing{0};
    std::mutex m_ahead_mutex;
    std::condition_variable m_batch_settled;
    //! SyncReader's session for the stored size, opened on first use; one reader at a time.
    std::timed_mutex m_reader_mutex;
    std::unique_ptr<soci::session> m_reader_session;
    std::mutex m_stop_mutex; //!< Serialises Stop (join once).
    std::thread m_thread;
};

} // namespace wijkbudget::ledger::pg
