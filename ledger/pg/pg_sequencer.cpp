#include "ledger/pg/pg_sequencer.hpp"

#include "ledger/assert.hpp"
#include "ledger/checkpoint.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/entry_store.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/pg/binary_array.hpp"
#include "ledger/pg/connection.hpp"
#include "ledger/pg/ledger_tables.hpp"
#include "ledger/pg/pipeline.hpp"
#include "ledger/receipt.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

namespace wijkbudget::ledger::pg {
namespace {

//! The HTTP status range the idempotency_records table accepts (its CHECK).
constexpr int STORED_STATUS_MIN{100};
constexpr int STORED_STATUS_MAX{599};
//! From here an answer is the server's failure, not a decision about the request.
constexpr int SERVER_ERROR_STATUS_MIN{500};

using Reply = boost::system::result<AppendReply, AppendFailure>;

/** The lookup of the stored claims among `claims`, one query for the whole batch: a round trip
 *  per request would make a batch's cost grow with its size, which is what batching is there to
 *  avoid. One primary-key probe per claim, whatever the planner guesses: the statement is
 *  prepared (PreparedStatements), and a generic plan knows neither the batch's size nor the
 *  table's, so a plain join could become a scan of every record ever stored. OFFSET 0 keeps the
 *  lateral subquery from being merged into such a join. @pre claims is not empty. */
PipelinedStatement ClaimsStatement(const std::vector<const IdempotencyClaim*>& claims)
{
    BinaryArray principals{ArrayElement::text}, keys{ArrayElement::text};
    for (const IdempotencyClaim* claim : claims) {
        principals.AddText(claim->principal);
        keys.AddText(claim->key);
    }
    return {"SELECT r.principal, r.key, encode(r.request_hash, 'hex'), r.status, r.body "
            "FROM unnest(CAST($1 AS text[]), CAST($2 AS text[])) AS c(p, k) "
            "CROSS JOIN LATERAL (SELECT * FROM idempotency_records s "
            "WHERE s.principal = c.p AND s.key = c.k OFFSET 0) AS r",
            {principals.Bytes(), keys.Bytes()},
            {1, 1}};
}

std::map<ClaimKey, StoredClaim> ClaimsOf(const PipelinedRows& rows)
{
    std::map<ClaimKey, StoredClaim> stored;
    for (const auto& row : rows) {
        WB_ASSERT(row.size() == 5 && row[0] && row[1] && row[2] && row[3] && row[4]);
        auto hash = HashFromHex(*row[2]);
        WB_ASSERT(hash.has_value()); // The column is CHECKed to 32 bytes; encode writes hex.
        int status = 0;
        const auto [end, error] =
            std::from_chars(row[3]->data(), row[3]->data() + row[3]->size(), status);
        WB_ASSERT(error == std::errc{} && end == row[3]->data() + row[3]->size());
        stored.emplace(ClaimKey{*row[0], *row[1]},
                       StoredClaim{*hash, StoredAnswer{status, *row[4]}});
    }
    return stored;
}

/** The credential query (SequencerOptions::credential_query) of the distinct, sorted
 *  `credentials`. @pre credentials is not empty. */
PipelinedStatement CredentialsStatement(const std::string& query,
                                        const std::vector<Hash>& credentials)
{
    ArrayLiteral hex;
    for (const Hash& credential : credentials)
        hex.AddText(ToHex(credential));
    return {query, {hex.Text()}};
}

std::vector<Hash> CredentialsOf(const PipelinedRows& rows)
{
    std::vector<Hash> valid;
    for (const auto& row : rows) {
        if (row.empty() || !row.front()) continue;
        if (auto hash = HashFromHex(*row.front())) valid.push_back(*hash);
    }
    std::sort(valid.begin(), valid.end());
    return valid;
}

boost::system::result<void, Failure> CheckOptions(const SequencerOptions& options)
{
    if (!IsValidIdentifier(options.schema)) return MakeFailure(Errc::field_invalid, "schema");
    if (options.signer == nullptr || options.signer->Type() != KeyType::ed25519)
        return MakeFailure(Errc::key_malformed, "signer: a log key of type ed25519 is required");
    if (options.batch_entries_max == 0 || options.batch_entries_max > SEQUENCER_BATCH_ENTRIES_MAX)
        return MakeFailure(Errc::field_invalid, "batch_entries_max");
    if (options.queue_requests_max == 0 ||
        options.queue_requests_max > SEQUENCER_QUEUE_REQUESTS_MAX)
        return MakeFailure(Errc::field_invalid, "queue_requests_max");
    if (options.transient_retries_max < 0 ||
        options.transient_retries_max > SEQUENCER_TRANSIENT_RETRIES_MAX)
        return MakeFailure(Errc::field_invalid, "transient_retries_max");
    if (options.lock_wait_max < std::chrono::milliseconds{1} ||
        options.lock_wait_max > SEQUENCER_LOCK_WAIT_MAX)
        return MakeFailure(Errc::field_invalid, "lock_wait_max");
    // Longer than the constant is allowed: a test holds a batch for longer than a reader waits.
    if (options.sync_wait_max < std::chrono::milliseconds{1} ||
        options.sync_wait_max > SEQUENCER_LOCK_WAIT_MAX)
        return MakeFailure(Errc::field_invalid, "sync_wait_max");
    for (const EntryObserver* observer : options.observers) {
        if (observer == nullptr) return MakeFailure(Errc::field_invalid, "observers");
    }
    return {};
}

/** Whether `head` extends `previous`, the latest stored checkpoint (read under the batch's lock),
 * with the batch's hashes visible through `hashes`: only then may it be signed. `signed_here`:
 * previous's note is the one this process signed last. */
boost::system::result<void, Failure> CheckExtends(const std::optional<CheckpointRow>& previous,
                                                  const TreeHead& head, const HashReader& hashes,
                                                  const SignerKey& signer, bool signed_here,
                                                  std::uint64_t signed_size)
{
    // The stored history may not fall behind what this process signed and committed: checkpoint
    // rows deleted, or replaced by an older one, would let the next signature start from there.
    if (signed_size > 0 && (!previous || previous->size < signed_size))
        return MakeFailure(Errc::checkpoint_inconsistent,
                           "the latest stored checkpoint is older than checkpoint " +
                               std::to_string(signed_size) + ", which this process signed");
    if (!previous) return {};
    // The new checkpoint must extend the row's size and root, which nothing signs: its note
    // does. A row whose root was rewritten along with the entries and stored hashes would
    // otherwise lead the log to sign a forked history. So a note this process did not just sign
    // must be the log key's, over that size and root (one Ed25519 verification, not per batch).
    if (!signed_here) {
        const auto opened = OpenCheckpoint(previous->note, VerifierKeyOf(signer), {});
        if (!opened || opened->checkpoint.size != previous->size ||
            opened->checkpoint.root != previous->root)
            return MakeFailure(Errc::checkpoint_inconsistent,
                               "stored checkpoint " + std::to_string(previous->size) +
                                   " is not the log key's signed note of its size and root");
    }
    const Checkpoint older{signer.Name(), previous->size, previous->root, {}};
    const Checkpoint next{signer.Name(), head.size, head.root, {}};
    if (previous->size > head.size)
        return MakeFailure(Errc::checkpoint_inconsistent,
                           "a stored checkpoint covers more entries than are stored");
    std::vector<Hash> proof;
    if (previous->size < head.size) {
        auto proved = ProveConsistency(previous->size, head.size, hashes);
        if (!proved) return Failure{proved.error(), "consistency proof"};
        proof = std::move(*proved);
    }
    if (!VerifyCheckpointExtends(older, next, proof))
        return MakeFailure(Errc::checkpoint_inconsistent,
                           "checkpoint " + std::to_string(head.size) +
                               " does not extend stored checkpoint " +
                               std::to_string(previous->size));
    return {};
}

} // namespace

struct PgSequencer::Slot {
    Pending* pending{nullptr};
    std::optional<Reply> reply;         //!< Final, once known.
    std::optional<std::size_t> same_as; //!< An earlier slot of this batch with the same claim.
    bool record_claim{false};           //!< Store this slot's answer under its claim.
    std::optional<std::size_t> sealed_position;
    std::optional<Failure> refusal;
    std::optional<std::uint64_t> leaf_index;
};

//! What a batch learns under the lock, in the same round trip that takes it.
struct PgSequencer::Prelude {
    std::uint64_t stored_size{0};
    std::optional<CheckpointRow> latest_checkpoint;
    std::vector<Hash> valid_credentials; //!< Sorted.
    std::map<ClaimKey, StoredClaim> stored_claims;
};

/** Rolls the session's open transaction back unless it was committed: whatever failed, the
 *  connection is left outside a transaction for the next batch. */
class RollbackUnlessCommitted
{
public:
    explicit RollbackUnlessCommitted(soci::session& session) : m_session{session} {}
    ~RollbackUnlessCommitted()
    {
        if (m_committed) return;
        try {
            m_session << "ROLLBACK";
        } catch (...) {
            // The connection broke: the server ends the transaction; EnsureConnected reopens.
            // (Nothing may leave a destructor that runs while an exception unwinds.)
        }
    }
    RollbackUnlessCommitted(const RollbackUnlessCommitted&) = delete;
    RollbackUnlessCommitted& operator=(const RollbackUnlessCommitted&) = delete;
    void Committed() { m_committed = true; }

private:
    soci::session& m_session;
    bool m_committed{false};
};

boost::system::result<void, Failure> CheckDurability(soci::session& session)
{
    std::string fsync, synchronous_commit;
    try {
        session << "SHOW fsync", soci::into(fsync);
        session << "SHOW synchronous_commit", soci::into(synchronous_commit);
    } catch (const soci::soci_error& error) {
        return FailureFromException(error, "reading the durability settings");
    }
    if (fsync != "on")
        return MakeFailure(Errc::storage_unavailable,
                           "PostgreSQL runs with fsync = " + fsync +
                               ": a committed append could be lost in a crash");
    if (synchronous_commit == "off")
        return MakeFailure(Errc::storage_unavailable,
                           "PostgreSQL runs with synchronous_commit = off: an acknowledged "
                           "append could be lost in a crash");
    return {};
}

//! The ledger's tables as a PostgreSQL text[] literal: what the runtime role may only SELECT and
//! INSERT (CheckRuntimePrivileges, CheckAppendOnlyRole).
constexpr const char* LEDGER_TABLES_ARRAY{
    "{entries,stored_hashes,postings,checkpoints,idempotency_records}"};

boost::system::result<void, Failure> CheckRuntimePrivileges(soci::session& session,
                                                            const std::string& schema)
{
    const std::string tables{LEDGER_TABLES_ARRAY};
    // has_table_privilege with a list is true if any one is held: each is asked alone.
    std::string lacking;
    soci::indicator found = soci::i_null;
    try {
        session << "SELECT string_agg(t, ', ' ORDER BY t) FROM unnest(CAST(:tables AS text[])) "
                   "AS t WHERE to_regclass(quote_ident(:schema) || '.' || t) IS NOT NULL AND "
                   "(NOT has_table_privilege(quote_ident(:schema) || '.' || t, 'SELECT') OR "
                   "NOT has_table_privilege(quote_ident(:schema) || '.' || t, 'INSERT'))",
            soci::use(tables, "tables"), soci::use(schema, "schema"), soci::into(lacking, found);
    } catch (const soci::soci_error& error) {
        return FailureFromException(error, "reading the role's privileges");
    }
    if (found == soci::i_ok && !lacking.empty())
        return MakeFailure(Errc::storage_unavailable, lacking);
    return {};
}

boost::system::result<void, Failure> CheckAppendOnlyRole(soci::session& session,
                                                         const std::string& schema)
{
    const std::string tables{LEDGER_TABLES_ARRAY};
    // The tables this role may change; and what it owns (or may act as the owner of): the schema
    // or a table, whose owner may drop the tables, or rename them and put others in their place,
    // which no privilege or trigger stops.
    std::string changeable, owned;
    soci::indicator changeable_found = soci::i_null, owned_found = soci::i_null;
    try {
        session << "SELECT (SELECT string_agg(t, ', ' ORDER BY t) FROM "
                   "unnest(CAST(:tables AS text[])) AS t WHERE to_regclass(quote_ident(:schema) "
                   "|| '.' || t) IS NOT NULL AND has_table_privilege(quote_ident(:schema) || '.' "
                   "|| t, 'UPDATE, DELETE, TRUNCATE')), "
                   "(SELECT string_agg(name, ', ' ORDER BY name) FROM ("
                   "SELECT 'schema ' || nspname AS name FROM pg_namespace WHERE nspname = :schema "
                   "AND pg_has_role(current_user, nspowner, 'MEMBER') UNION ALL "
                   "SELECT t FROM unnest(CAST(:tables AS text[])) AS t "
                   "JOIN pg_class c ON c.oid = to_regclass(quote_ident(:schema) || '.' || t) "
                   "WHERE pg_has_role(current_user, c.relowner, 'MEMBER')) AS owned)",
            soci::use(tables, "tables"), soci::use(schema, "schema"),
            soci::into(changeable, changeable_found), soci::into(owned, owned_found);
    } catch (const soci::soci_error& error) {
        return FailureFromException(error, "reading the role's privileges");
    }
    if (changeable_found == soci::i_ok && !changeable.empty())
        return MakeFailure(Errc::entry_altered, changeable);
    if (owned_found == soci::i_ok && !owned.empty())
        return MakeFailure(Errc::entry_altered, owned + ": owned by this role");
    return {};
}

PgSequencer::PgSequencer(SequencerOptions options, std::unique_ptr<soci::session> session)
    : m_options{std::move(options)},
      m_lock_key{LedgerLockKey(m_options.schema)}, m_session{std::move(session)}
{}

boost::system::result<std::unique_ptr<PgSequencer>, Failure>
PgSequencer::Start(SequencerOptions options)
{
    auto checked = CheckOptions(options);
    if (!checked) return checked.error();
    auto session = OpenSession(options.dsn, options.schema);
    if (!session) return session.error();
    auto durable = CheckDurability(**session);
    if (!durable) return durable.error();
    std::unique_ptr<PgSequencer> sequencer(
        new PgSequencer(std::move(options), std::move(*session)));
    {
        std::lock_guard state(sequencer->m_state_mutex);
        try {
            auto replayed = sequencer->CatchUp();
            if (!replayed) return replayed.error();
        } catch (const soci::soci_error& error) {
            return FailureFromException(error, "replaying the stored ledger");
        }
    }
    sequencer->m_running = true;
    sequencer->m_thread = std::thread([raw = sequencer.get()] { raw->Run(); });
    return sequencer;
}

PgSequencer::~PgSequencer()
{
    Stop();
}

void PgSequencer::Submit(AppendRequest request, Done done)
{
    if (m_read_only) return done(AppendFailure::read_only);
    std::optional<AppendFailure> refused;
    {
        std::lock_guard lock(m_queue_mutex);
        if (m_stopping) {
            refused = AppendFailure::shutting_down;
        } else if (m_queue.size() >= m_options.queue_requests_max) {
            refused = AppendFailure::unavailable;
        } else {
            m_queue.push_back(Pending{std::move(request), std::move(done)});
        }
    }
    if (refused) return done(*refused);
    m_queue_ready.notify_one();
}

void PgSequencer::Stop()
{
    std::lock_guard stop(m_stop_mutex);
    {
        std::lock_guard lock(m_queue_mutex);
        m_stopping = true;
    }
    m_queue_ready.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

boost::system::result<std::uint64_t, Failure> PgSequencer::Sync()
{
    return SyncUntil(std::chrono::steady_clock::now() + m_options.sync_wait_max);
}

boost::system::result<std::uint64_t, Failure>
PgSequencer::SyncUntil(std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock state(m_state_mutex, deadline);
    if (!state.owns_lock()) return m_size.load();
    try {
        EnsureConnected(*m_session, m_options.schema);
        auto replayed = CatchUp();
        if (!replayed) return replayed.error();
    } catch (const soci::soci_error& error) {
        Failure failure = FailureFromException(error, "syncing with the stored ledger");
        LogFailure(failure);
        return failure;
    } catch (const std::exception& error) {
        // An observer threw while catching up: the observers are marked for a rebuild (Replay),
        // and the reader gets "not now", not an exception on its thread.
        Failure failure = FailureFromException(error, "syncing with the stored ledger");
        LogFailure(failure);
        return failure;
    }
    return m_sealer.Size();
}

boost::system::result<std::uint64_t, Failure> PgSequencer::SyncReader()
{
    // One deadline for every wait below, Sync's included: a reader never waits longer than a
    // reader of Sync would.
    const auto deadline = std::chrono::steady_clock::now() + m_options.sync_wait_max;
    std::uint64_t batches_seen = 0;
    {
        std::unique_lock ahead(m_ahead_mutex);
        if (!m_batch_settled.wait_until(ahead, deadline, [this] { return !m_batch_ahead; }))
            return m_size.load();
        batches_seen = m_batches_sealing;
    }
    if (!m_observers_committed.load()) return SyncUntil(deadline); // A rebuild is due.
    std::unique_lock reader(m_reader_mutex, deadline);
    if (!reader.owns_lock()) return m_size.load();
    std::uint64_t stored = 0;
    std::optional<Failure> failed;
    try {
        if (m_reader_session == nullptr) {
            auto opened = OpenSession(m_options.dsn, m_options.schema);
            if (opened) m_reader_session = std::move(*opened);
            if (!opened) failed = opened.error();
        }
        if (!failed) {
            EnsureConnected(*m_reader_session, m_options.schema);
            stored = StoredSize(*m_reader_session);
        }
    } catch (const soci::soci_error& error) {
        failed = FailureFromException(error, "reading the stored size");
        LogFailure(*failed);
    }
    reader.unlock();
    {
        // A batch that began sealing while this reader waited for the session or the database
        // (or failed there): its entries are in the observers, so the reader waits for its
        // commit too, before it answers anything.
        std::unique_lock ahead(m_ahead_mutex);
        if (m_batches_sealing != batches_seen &&
            !m_batch_settled.wait_until(ahead, deadline, [this] { return !m_batch_ahead; }))
            return m_size.load();
    }
    if (failed) return *failed;
    if (!m_observers_committed.load()) return SyncUntil(deadline);
    // Not ahead of this process: what another process had appended by the query, a later batch
    // of this one caught up with under the ledger's lock before it committed.
    if (stored <= m_size.load()) return m_size.load();
    return SyncUntil(deadline);
}

void PgSequencer::SetBatchAhead(bool ahead)
{
    {
        std::lock_guard lock(m_ahead_mutex);
        if (ahead && !m_batch_ahead) ++m_batches_sealing;
        m_batch_ahead = ahead;
    }
    if (!ahead) m_batch_settled.notify_all();
}

void PgSequencer::Run()
{
    for (;;) {
        std::vector<Pending> batch = TakeBatch();
        if (batch.empty()) break; // Stopping, and nothing is left to answer.
        ProcessBatch(batch);
    }
    m_running = false;
}

std::vector<PgSequencer::Pending> PgSequencer::TakeBatch()
{
    std::unique_lock lock(m_queue_mutex);
    m_queue_ready.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
    std::vector<Pending> batch;
    const std::size_t count = std::min(m_queue.size(), m_options.batch_entries_max);
    batch.reserve(count);
    for (std::size_t taken = 0; taken < count; ++taken) {
        batch.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    return batch;
}

void PgSequencer::ProcessBatch(std::vector<Pending>& batch)
{
    std::vector<Slot> slots;
    std::size_t entries = 0;
    std::vector<std::pair<std::uint64_t, Hash>> stored; // What the committed batch wrote.
    {
        std::lock_guard state(m_state_mutex);
        for (int attempt = 0;; ++attempt) {
            slots.assign(batch.size(), Slot{});
            for (std::size_t position = 0; position < batch.size(); ++position)
                slots[position].pending = &batch[position];
            const Outcome outcome = m_read_only ? Outcome::failed : RunBatch(slots, entries);
            if (outcome == Outcome::committed) {
                stored = std::exchange(m_batch_stored, {});
                break;
            }
            // The batch failed after it began sealing: its entries may be in the observers only.
            // (Before SetBatchAhead(false) below: a reader it wakes must see the flag.)
            if (m_rebuild) m_observers_committed = false;
            if (outcome == Outcome::transient && attempt < m_options.transient_retries_max)
                continue;
            const AppendFailure failure =
                m_read_only ? AppendFailure::read_only : AppendFailure::unavailable;
            for (Slot& slot : slots)
                slot.reply = failure;
            break;
        }
        // Committed, or failed with the observers marked: readers may look again.
        SetBatchAhead(false);
    }
    // Nothing a callback throws may leave this thread (std::terminate), nor keep the rest of the
    // batch from its answers.
    const auto guarded = [](const char* what, auto&& call) {
        try {
            call();
        } catch (const std::exception& error) {
            std::cerr << "wijkbudget ledger/pg: " << what << " threw: " << error.what() << '\n';
        }
    };
    if (!stored.empty() && m_options.on_stored_hashes)
        guarded("on_stored_hashes", [&] { m_options.on_stored_hashes(stored); });
    for (std::size_t position = 0; position < batch.size(); ++position) {
        WB_ASSERT(slots[position].reply.has_value());
        guarded("an answer's callback",
                [&] { batch[position].done(std::move(*slots[position].reply)); });
    }
    if (entries > 0 && m_options.on_batch)
        guarded("on_batch", [&] { m_options.on_batch(entries); });
    RebuildAfterFailure();
}

void PgSequencer::RebuildAfterFailure()
{
    // After every batch: the common case, a batch that committed, costs one atomic load. Only a
    // batch that failed after it began sealing leaves the flag false (ProcessBatch).
    if (m_observers_committed.load()) return;
    {
        // Stopping: the replay is the next process's, and must not hold up the drain.
        std::lock_guard lock(m_queue_mutex);
        if (m_stopping) return;
    }
    std::lock_guard state(m_state_mutex);
    if (!m_rebuild) return;
    // The batch failed after it began sealing, and its answers went out: the observers are
    // rebuilt here, so that readers get them back without waiting for the next batch, and no
    // reader's thread spends a whole replay in Sync. A database still away fails this quickly;
    // the next batch or reader tries again.
    try {
        EnsureConnectedAndIdle(*m_session, m_options.schema);
        if (auto rebuilt = CatchUp(); !rebuilt) LogFailure(rebuilt.error());
    } catch (const soci::soci_error& error) {
        LogFailure(FailureFromException(error, "rebuilding after a failed batch"));
    } catch (const std::exception& error) {
        // An observer threw: a bug, but one that must not stop the ledger (as in RunBatch).
        std::cerr << "wijkbudget ledger/pg: a rebuild failed: " << error.what() << '\n';
    }
}

PgSequencer::Outcome PgSequencer::RunBatch(std::vector<Slot>& slots, std::size_t& entries)
{
    try {
        auto appended = TryBatch(slots);
        if (appended) {
            entries = *appended;
            return Outcome::committed;
        }
        LogFailure(appended.error());
        return Outcome::failed;
    } catch (const soci::soci_error& error) {
        LogFailure(FailureFromException(error, "sequencing a batch"));
        // Lost prepared statements are forgotten (Pipeline::Finish): the retry prepares them again.
        if (IsTransient(error) || IsPreparedStatementLost(error)) return Outcome::transient;
        // A connection the database dropped (a restart while the sequencer was idle is found by
        // the next batch's first statement) ended the transaction before its COMMIT went out:
        // nothing of the batch was stored, and the retry reconnects.
        if (!m_commit_sent && IsConnectionBroken(*m_session)) return Outcome::transient;
        return Outcome::failed;
    } catch (const std::exception& error) {
        // A request's answer or an observer threw: a bug, but one that must not stop the ledger.
        std::cerr << "wijkbudget ledger/pg: a batch failed: " << error.what() << '\n';
        return Outcome::failed;
    }
}

boost::system::result<std::size_t, Failure> PgSequencer::TryBatch(std::vector<Slot>& slots)
{
    soci::session& session = *m_session;
    m_commit_sent = false;
    EnsureConnectedAndIdle(session, m_options.schema);
    m_batch_hashes.clear();
    m_batch_stored.clear();
    if (m_rebuild) {
        // A reset replays the whole ledger: do it before the lock, which other processes wait
        // for. (Otherwise the catch-up under the lock suffices.)
        auto rebuilt = CatchUp();
        if (!rebuilt) return rebuilt.error();
    }
    // Two round trips in all, whatever the batch's size: the lock with all the batch must read
    // under it, then every write with the commit (ledger/pg/pipeline.hpp).
    RollbackUnlessCommitted transaction(session);
    const Prelude prelude = BeginUnderLock(slots);
    auto replayed = CatchUp(prelude.stored_size);
    if (!replayed) return replayed.error();
    RefuseStaleCredentials(slots, prelude.valid_credentials);
    // From here until the commit, the Sealer and the observers run ahead of the database.
    m_rebuild = true;
    std::vector<SealedEntry> sealed;
    DecideSlots(slots, sealed, prelude.stored_claims);
    // Destroyed before `transaction`: a pipeline left by an error is ended before the rollback.
    Pipeline writes{session, &m_prepared};
    if (!sealed.empty()) {
        auto written = WriteEntries(slots, sealed, prelude.latest_checkpoint, writes);
        if (!written) return written.error();
    }
    for (Slot& slot : slots) {
        if (slot.same_as) slot.reply = slots[*slot.same_as].reply;
        if (slot.same_as && slot.reply && slot.reply->has_value()) (**slot.reply).replayed = true;
    }
    if (auto records = IdempotencyStatement(slots)) writes.Send(*records);
    m_commit_sent = true; // From here a broken connection leaves the outcome unknown.
    writes.Send({"COMMIT", {}});
    writes.Finish(); // Returns once the commit's WAL is flushed.
    transaction.Committed();
    m_rebuild = false;
    m_size = m_sealer.Size();
    if (!sealed.empty()) {
        m_known_hashes = std::move(m_batch_hashes);
        m_signed_note = std::move(m_batch_note);
        m_signed_size = m_sealer.Size();
    }
    if (m_known_hashes.size() > SEQUENCER_KNOWN_HASHES_MAX) m_known_hashes.clear();
    return sealed.size();
}

PgSequencer::Prelude PgSequencer::BeginUnderLock(const std::vector<Slot>& slots)
{
    std::vector<PipelinedStatement> statements =
        LockStatements(m_lock_key, m_options.lock_wait_max, SEQUENCER_IDLE_IN_TRANSACTION_MAX);
    const std::size_t size_at = statements.size();
    statements.push_back(StoredSizeStatement());
    statements.push_back(LatestCheckpointStatement());
    std::vector<Hash> credentials;
    std::vector<const IdempotencyClaim*> claims;
    for (const Slot& slot : slots) {
        if (slot.pending->request.credential)
            credentials.push_back(*slot.pending->request.credential);
        if (slot.pending->request.claim) claims.push_back(&*slot.pending->request.claim);
    }
    std::sort(credentials.begin(), credentials.end());
    credentials.erase(std::unique(credentials.begin(), credentials.end()), credentials.end());
    const bool ask_credentials = !credentials.empty() && !m_options.credential_query.empty();
    if (ask_credentials)
        statements.push_back(CredentialsStatement(m_options.credential_query, credentials));
    if (!claims.empty()) statements.push_back(ClaimsStatement(claims));
    const auto answers = RunPipeline(*m_session, statements, &m_prepared);
    Prelude prelude;
    std::size_t next = size_at;
    prelude.stored_size = StoredSizeOf(answers[next++]);
    prelude.latest_checkpoint = CheckpointRowOf(answers[next++]);
    if (ask_credentials) prelude.valid_credentials = CredentialsOf(answers[next++]);
    if (!claims.empty()) prelude.stored_claims = ClaimsOf(answers[next++]);
    return prelude;
}

void PgSequencer::RefuseStaleCredentials(std::vector<Slot>& slots,
                                         const std::vector<Hash>& valid_credentials)
{
    for (Slot& slot : slots) {
        const auto& credential = slot.pending->request.credential;
        if (credential &&
            !std::binary_search(valid_credentials.begin(), valid_credentials.end(), *credential))
            slot.reply = AppendFailure::credential_refused;
    }
}

void PgSequencer::DecideSlots(std::vector<Slot>& slots, std::vector<SealedEntry>& sealed,
                              const std::map<ClaimKey, StoredClaim>& stored_claims)
{
    std::map<ClaimKey, std::size_t> claimed;
    for (std::size_t position = 0; position < slots.size(); ++position) {
        Slot& slot = slots[position];
        if (slot.reply) continue; // Refused before any claim or draft: its credential.
        const auto& claim = slot.pending->request.claim;
        if (claim) {
            auto earlier = claimed.find({claim->principal, claim->key});
            if (earlier != claimed.end()) {
                const auto& first = slots[earlier->second].pending->request.claim;
                if (first->request_hash != claim->request_hash) {
                    slot.reply = AppendFailure::key_reused;
                } else {
                    slot.same_as = earlier->second; // Answered once the first one is.
                }
                continue;
            }
            if (const auto stored = stored_claims.find({claim->principal, claim->key});
                stored != stored_claims.end()) {
                if (stored->second.request_hash != claim->request_hash) {
                    slot.reply = AppendFailure::key_reused;
                } else {
                    slot.reply = AppendReply{stored->second.answer, true};
                }
                continue;
            }
            claimed.emplace(std::make_pair(claim->principal, claim->key), position);
            slot.record_claim = true;
        }
        auto refused = Seal(slot, sealed);
        if (!refused && refused.error().code == Errc::storage_unavailable) {
            // The draft could not read what it needed (a services store failed): not a decision
            // about the request, so nothing is stored under its key and a retry may succeed.
            LogFailure(refused.error());
            slot.reply = AppendFailure::unavailable;
            slot.record_claim = false;
            continue;
        }
        if (!refused) {
            const boost::system::result<AppendedEntry, Failure> outcome(refused.error());
            slot.reply = AppendReply{slot.pending->request.answer(outcome), false};
            if (!slot.pending->request.record_refusal) slot.record_claim = false;
            // A server error (a failed signature, a code the answer does not know) says nothing
            // about the request either: stored, it would answer every retry with that error.
            if ((**slot.reply).answer.status >= SERVER_ERROR_STATUS_MIN) slot.record_claim = false;
        }
    }
}

boost::system::result<void, Failure> PgSequencer::Seal(Slot& slot, std::vector<SealedEntry>& sealed)
{
    // A draft only reads: one that throws (a bug in it) has changed nothing yet, so it fails its
    // own request, as a store it could not read does (DecideSlots), not the whole batch, whose
    // failure would replay the ledger from index 0 for every retry of that one request.
    boost::system::result<Entry, Failure> draft = Failure{};
    try {
        draft = slot.pending->request.make_draft();
    } catch (const std::exception& error) {
        std::cerr << "wijkbudget ledger/pg: a request's draft threw: " << error.what() << '\n';
        return MakeFailure(Errc::storage_unavailable, "a request's draft failed");
    }
    if (!draft) return draft.error();
    // The batch's first entry for the observers: readers wait for its commit (SyncReader). Once
    // a batch, not per entry: it takes the readers' mutex.
    if (sealed.empty()) SetBatchAhead(true);
    auto entry = m_sealer.Seal(std::move(*draft));
    if (!entry) return entry.error();
    // Observers see it now, so the drafts of later requests in the batch follow it.
    for (EntryObserver* observer : m_options.observers)
        observer->ObserveSealed(entry->entry, entry->leaf);
    slot.sealed_position = sealed.size();
    slot.leaf_index = entry->entry.index.value;
    sealed.push_back(std::move(*entry));
    return {};
}

boost::system::result<void, Failure>
PgSequencer::WriteEntries(std::vector<Slot>& slots, const std::vector<SealedEntry>& sealed,
                          const std::optional<CheckpointRow>& latest_checkpoint, Pipeline& writes)
{
    soci::session& session = *m_session;
    const TreeHead before{sealed.front().entry.index.value, {}};
    const SessionHashReader stored(session);
    // The hashes known from earlier batches go into this one's reader; they come back (with
    // this batch's) only if it commits.
    CachedHashReader hashes(stored, std::exchange(m_known_hashes, {}));
    auto batch = MakeEntryBatch(before, sealed, hashes);
    if (!batch) return Failure{batch.error(), "making the batch"};
    // The tree the stored hashes make must be the one the Sealer computed, entry by entry.
    if (batch->head.root != m_sealer.Root() || batch->head.size != m_sealer.Size())
        return GoReadOnly(MakeFailure(Errc::root_mismatch, "stored hashes disagree with entries"));
    for (const auto& [index, hash] : batch->stored_hashes)
        hashes.Add(index, hash);
    m_batch_stored = batch->stored_hashes;
    // Every read of the batch (its proofs' older hashes) before its first write goes out: from
    // then until the commit's answer, the connection is the pipeline's.
    // An empty note was never signed here: a row holding one is no match for "none yet".
    const bool signed_here =
        !m_signed_note.empty() && latest_checkpoint && latest_checkpoint->note == m_signed_note;
    if (auto extends = CheckExtends(latest_checkpoint, batch->head, hashes, *m_options.signer,
                                    signed_here, m_signed_size);
        !extends) {
        if (extends.error().code == Errc::checkpoint_inconsistent)
            return GoReadOnly(extends.error());
        return extends.error();
    }
    std::vector<std::vector<Hash>> proofs(slots.size());
    for (std::size_t position = 0; position < slots.size(); ++position) {
        if (!slots[position].sealed_position) continue;
        const SealedEntry& entry = sealed[*slots[position].sealed_position];
        auto proof = ProveInclusion(entry.entry.index.value, batch->head.size, hashes);
        if (!proof) return Failure{proof.error(), "inclusion proof"};
        proofs[position] = std::move(*proof);
    }
    // PostgreSQL inserts the rows while the checkpoint is signed and the answers are made.
    for (const PipelinedStatement& insert : BatchStatements(*batch, sealed))
        writes.Send(insert);
    writes.Flush();
    auto note =
        SignCheckpoint(Checkpoint{m_options.signer->Name(), batch->head.size, batch->head.root, {}},
                       *m_options.signer);
    if (!note) return Failure{note.error(), "signing the checkpoint"};
    m_batch_note = *note;
    writes.Send(CheckpointStatement(CheckpointRow{batch->head.size, batch->head.root, *note}));
    for (std::size_t position = 0; position < slots.size(); ++position) {
        Slot& slot = slots[position];
        if (!slot.sealed_position) continue;
        const SealedEntry& entry = sealed[*slot.sealed_position];
        AppendedEntry appended{entry, *note,
                               FormatReceipt(Receipt{std::nullopt, entry.entry.index.value,
                                                     std::move(proofs[position]), *note})};
        const boost::system::result<AppendedEntry, Failure> outcome(std::move(appended));
        slot.reply = AppendReply{slot.pending->request.answer(outcome), false};
    }
    m_batch_hashes = hashes.Take();
    return {};
}

std::optional<PipelinedStatement>
PgSequencer::IdempotencyStatement(const std::vector<Slot>& slots) const
{
    BinaryArray principal{ArrayElement::text}, key{ArrayElement::text},
        request_hash{ArrayElement::text}, status{ArrayElement::int4}, body{ArrayElement::text},
        leaf_index{ArrayElement::int8};
    bool any = false;
    for (const Slot& slot : slots) {
        if (!slot.record_claim) continue;
        WB_ASSERT(slot.reply.has_value() && slot.reply->has_value());
        const StoredAnswer& answer = (**slot.reply).answer;
        // @pre of AppendRequest::answer: an HTTP status; the table refuses anything else.
        WB_ASSERT(answer.status >= STORED_STATUS_MIN);
        WB_ASSERT(answer.status <= STORED_STATUS_MAX);
        const IdempotencyClaim& claim = *slot.pending->request.claim;
        principal.AddText(claim.principal);
        key.AddText(claim.key);
        request_hash.AddText(ToHex(claim.request_hash));
        status.AddInteger(answer.status);
        body.AddText(answer.body);
        if (slot.leaf_index) {
            leaf_index.AddInteger(static_cast<std::int64_t>(*slot.leaf_index));
        } else {
            leaf_index.AddNull();
        }
        any = true;
    }
    if (!any) return std::nullopt;
    return PipelinedStatement{
        "INSERT INTO idempotency_records (principal, key, request_hash, status, body, leaf_index) "
        "SELECT p, k, decode(h, 'hex'), s, b, l FROM unnest(CAST($1 AS text[]), "
        "CAST($2 AS text[]), CAST($3 AS text[]), CAST($4 AS integer[]), CAST($5 AS text[]), "
        "CAST($6 AS bigint[])) AS t(p, k, h, s, b, l)",
        {principal.Bytes(), key.Bytes(), request_hash.Bytes(), status.Bytes(), body.Bytes(),
         leaf_index.Bytes()},
        {1, 1, 1, 1, 1, 1}};
}

boost::system::result<void, Failure> PgSequencer::CatchUp(std::optional<std::uint64_t> stored_size)
{
    if (m_rebuild) {
        // A stored ledger that failed its checks fails them again: it is not replayed once more
        // for every reader, and the observers stay unshown until an operator has looked at it.
        if (m_stored_ledger_altered)
            return MakeFailure(Errc::entry_altered,
                               "the stored ledger failed its checks; not replayed again");
        // From here until the replay below completes, the observers hold part of the ledger at
        // best. m_rebuild stays set until then, so that a replay cut short starts over.
        m_observers_committed = false;
        m_known_hashes.clear();
        m_sealer = Sealer{};
        for (EntryObserver* observer : m_options.observers)
            observer->Reset();
    }
    soci::session& session = *m_session;
    const std::uint64_t stored = stored_size ? *stored_size : StoredSize(session);
    if (stored == m_sealer.Size() && stored == m_size) {
        // Nothing appended since this process last checked the stored tree (its own batches
        // are checked as they are written, in WriteEntries): no need to read it again.
        m_rebuild = false;
        m_observers_committed = true;
        return {};
    }
    // Against what this process saw committed too: after a reset the Sealer holds nothing.
    if (stored < m_sealer.Size() || stored < m_size)
        return StoredLedgerAltered(MakeFailure(Errc::entry_altered, "stored entries disappeared"));
    while (m_sealer.Size() < stored) {
        const auto count = static_cast<std::size_t>(
            std::min<std::uint64_t>(LEDGER_PAGE_ENTRIES_MAX, stored - m_sealer.Size()));
        auto page = ReadEntries(session, m_sealer.Size(), count);
        if (!page || page->empty())
            return StoredLedgerAltered(
                MakeFailure(Errc::entry_altered, "stored indices have a gap"));
        for (const std::string& bytes : *page) {
            auto replayed = Replay(bytes);
            if (!replayed) return replayed.error();
        }
    }
    // Paired with the replay: the stored hashes must give the root the entries give.
    auto root = TreeHash(stored, SessionHashReader(session));
    if (!root && root.error() == make_error_code(Errc::stored_hash_missing))
        return StoredLedgerAltered(Failure{root.error(), "reading the stored tree"});
    if (!root) return Failure{root.error(), "reading the stored tree"};
    if (*root != m_sealer.Root())
        return StoredLedgerAltered(
            MakeFailure(Errc::root_mismatch, "stored hashes disagree with entries"));
    m_size = stored;
    m_rebuild = false;
    m_observers_committed = true;
    return {};
}

boost::system::result<void, Failure> PgSequencer::Replay(const std::string& bytes)
{
    const std::string where = "stored entry " + std::to_string(m_sealer.Size());
    auto entry = ParseCanonicalEntry(bytes);
    if (!entry) return StoredLedgerAltered(Failure{entry.error().code, where});
    auto sealed = m_sealer.Seal(std::move(*entry), EntrySource::reader);
    if (!sealed) return StoredLedgerAltered(Failure{sealed.error().code, where});
    if (sealed->bytes != bytes) return StoredLedgerAltered(MakeFailure(Errc::entry_altered, where));
    try {
        for (EntryObserver* observer : m_options.observers)
            observer->ObserveSealed(sealed->entry, sealed->leaf);
    } catch (...) {
        // The Sealer holds the entry and some observers may not: a catch-up from the Sealer's
        // size would never give it to them. Only a replay from index 0 puts them together again,
        // and until it has, what they hold is not shown.
        m_rebuild = true;
        m_observers_committed = false;
        throw;
    }
    return {};
}

Failure PgSequencer::StoredLedgerAltered(Failure failure)
{
    // The Sealer and observers may hold some of what failed (the Sealer may have taken the
    // altered entry): none of it is shown, and nothing is replayed again (CatchUp).
    m_stored_ledger_altered = true;
    m_rebuild = true;
    m_observers_committed = false;
    return GoReadOnly(std::move(failure));
}

Failure PgSequencer::GoReadOnly(Failure failure)
{
    m_read_only = true;
    std::cerr << "wijkbudget ledger/pg: READ-ONLY: the stored ledger in schema " << m_options.schema
              << " fails its checks (" << failure.Describe()
              << "). No further entry will be appended or checkpoint signed until an operator "
                 "has investigated (wijkbudget-verify finds the first altered entry).\n";
    return failure;
}

} // namespace wijkbudget::ledger::pg
