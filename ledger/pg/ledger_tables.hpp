#pragma once
// ledger/pg/ledger_tables.hpp: the SQL of the ledger's tables, on one session, shared by the
// store (which runs each call in its own transaction) and the sequencer (which runs a whole batch
// in one). These functions throw soci::soci_error; their callers turn it into Errc.
//
// Rows go in as PostgreSQL array parameters unnested by one INSERT per table, and a batch's
// statements travel together (pipeline.hpp), so a batch of hundreds of entries costs one round
// trip. Hashes travel as hex (encode/decode), which keeps bytea out of SOCI.

#include "ledger/entry_store.hpp"
#include "ledger/hash_store.hpp"
#include "ledger/pg/pipeline.hpp"
#include "ledger/sealer.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace soci {
class session;
}

namespace wijkbudget::ledger::pg {

/** A PostgreSQL array literal ('{"a","b",NULL}') built from values, for one array parameter.
 * Every text element is double-quoted with '"' and '\' escaped, as the array input syntax
 * requires, so no element can end the literal early. */
class ArrayLiteral
{
public:
    void AddText(std::string_view text);
    void AddInteger(std::int64_t value);
    void AddNull();
    [[nodiscard]] std::string Text() const { return m_text + "}"; }

private:
    void Separate();
    std::string m_text{"{"};
    bool m_empty{true};
};

//! The ledger's row of the checkpoints table.
struct CheckpointRow {
    std::uint64_t size{0};
    Hash root{};
    std::string note;
    //! When the row was written (the column's default); read back, never written by us.
    std::int64_t signed_at_milliseconds{0};
};

//! Reads stored hashes through a session, inside whatever transaction it has open.
class SessionHashReader final : public HashReader
{
public:
    explicit SessionHashReader(soci::session& session) : m_session{session} {}
    //! Errc::stored_hash_missing for an index not stored; Errc::storage_unavailable (logged).
    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override;

private:
    soci::session& m_session;
};

//! Stored hashes by stored-hash index.
using KnownHashes = std::unordered_map<std::uint64_t, Hash>;

/** Hashes that a batch has just computed, over a reader of the stored ones, remembering what it
 * read: the inclusion proofs of a batch's entries share most of their hashes, so proving them
 * all costs about one query. It may start from the hashes an earlier batch knew (Take): stored
 * hashes never change once committed, and the next batch needs mostly the same right edge. */
class CachedHashReader final : public HashReader
{
public:
    explicit CachedHashReader(const HashReader& store, KnownHashes known = {})
        : m_store{store}, m_known{std::move(known)}
    {}
    void Add(std::uint64_t index, const Hash& hash) { m_known.insert_or_assign(index, hash); }
    boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override;
    //! What it knows, read or added; the reader is empty afterwards.
    KnownHashes Take() { return std::move(m_known); }

private:
    const HashReader& m_store;
    mutable KnownHashes m_known;
};

//! The number of entries stored (leaf indices are dense, so the largest index plus one).
std::uint64_t StoredSize(soci::session& session);

/** Entries [first, first + count) as canonical bytes, fewer at the head.
 * Errc::entry_altered if the stored indices are not dense (the table was tampered with).
 * @pre first <= StoredSize(session), 0 < count <= LEDGER_PAGE_ENTRIES_MAX */
boost::system::result<std::vector<std::string>> ReadEntries(soci::session& session,
                                                            std::uint64_t first, std::size_t count);

/** The statements that insert the batch's entries (with kind, council and time read from their
 * canonical bytes), their postings and the stored hashes. Errors of ParseCanonicalEntry for bytes
 * that are not a canonical entry. To run under the ledger's advisory lock, with batch.first the
 * stored size. */
boost::system::result<std::vector<PipelinedStatement>> BatchStatements(const EntryBatch& batch);

/** BatchStatements for entries the caller has just sealed: kind, council, time and postings come
 *  from the sealed entries, and their leaf hashes are not computed again, instead of parsing and
 *  hashing the bytes anew (the sequencer's path, which runs for every batch).
 *  @pre sealed[i].bytes == batch.entries[i] and sealed[i] has index batch.first + i (asserted). */
std::vector<PipelinedStatement> BatchStatements(const EntryBatch& batch,
                                                std::span<const SealedEntry> sealed);

//! BatchStatements run in one round trip. @pre batch.first == StoredSize(session), under the lock.
boost::system::result<void> InsertBatch(soci::session& session, const EntryBatch& batch);

//! StoredSize as a statement, and its answer.
PipelinedStatement StoredSizeStatement();
std::uint64_t StoredSizeOf(const PipelinedRows& rows);

//! The checkpoint of the largest tree, if any: as a statement and its answer, or read at once.
PipelinedStatement LatestCheckpointStatement();
std::optional<CheckpointRow> CheckpointRowOf(const PipelinedRows& rows);
std::optional<CheckpointRow> LatestCheckpointRow(soci::session& session);

PipelinedStatement CheckpointStatement(const CheckpointRow& row);

/** BEGIN (READ COMMITTED), synchronous_commit = on for the transaction (SET LOCAL: its commit
 * waits for the WAL flush), the transaction's bounds on waiting for the lock and on sitting idle
 * (lock_timeout, idle_in_transaction_session_timeout), and the transaction-level advisory lock
 * that makes this session the ledger's writer. */
std::vector<PipelinedStatement> LockStatements(std::int64_t lock_key,
                                               std::chrono::milliseconds lock_wait_max,
                                               std::chrono::milliseconds idle_in_transaction_max);

//! Waits for the transaction-level advisory lock that makes this session the ledger's writer.
void LockLedger(soci::session& session, std::int64_t lock_key);

} // namespace wijkbudget::ledger::pg
