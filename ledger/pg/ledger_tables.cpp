#include "ledger/pg/ledger_tables.hpp"

#include "ledger/assert.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/errc.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/pg/binary_array.hpp"
#include "ledger/pg/connection.hpp"

#include <soci/soci.h>

#include <charconv>
#include <unordered_map>

namespace wijkbudget::ledger::pg {
namespace {

std::int64_t ToBigint(std::uint64_t value)
{
    // Leaf and stored-hash indices stay below 2^63 (TREE_SIZE_MAX), so they fit a bigint.
    WB_ASSERT(value <= std::uint64_t{INT64_MAX});
    return static_cast<std::int64_t>(value);
}

std::uint64_t FromBigint(std::int64_t value)
{
    WB_ASSERT(value >= 0);
    return static_cast<std::uint64_t>(value);
}

//! The columns of the entries and postings rows of a batch, as binary array parameters.
struct BatchRows {
    BinaryArray leaf_index{ArrayElement::int8}, leaf_hash{ArrayElement::text},
        body{ArrayElement::text}, kind{ArrayElement::text}, council{ArrayElement::text},
        recorded_at{ArrayElement::text};
    BinaryArray posting_leaf{ArrayElement::int8}, position{ArrayElement::int2},
        account{ArrayElement::text}, direction{ArrayElement::text}, amount{ArrayElement::int8},
        balance{ArrayElement::int8}, version{ArrayElement::int8};
    std::size_t postings{0};
};

//! Every parameter of a statement in binary form.
std::vector<int> AllBinary(std::size_t parameters)
{
    return std::vector<int>(parameters, 1);
}

void AddEntryRows(BatchRows& rows, std::uint64_t index, const Entry& entry,
                  const std::string& bytes, const Hash& leaf)
{
    rows.leaf_index.AddInteger(ToBigint(index));
    rows.leaf_hash.AddText(ToHex(leaf));
    rows.body.AddText(bytes);
    rows.kind.AddText(KindOf(entry));
    if (entry.council) {
        rows.council.AddText(entry.council->value);
    } else {
        rows.council.AddNull();
    }
    rows.recorded_at.AddText(FormatTimestamp(entry.recorded_at));
    std::int64_t position = 0;
    for (const Posting& posting : entry.postings) {
        rows.posting_leaf.AddInteger(ToBigint(index));
        rows.position.AddInteger(position++);
        rows.account.AddText(posting.account.value);
        rows.direction.AddText(SpellingOf(posting.side));
        rows.amount.AddInteger(posting.amount.value);
        rows.balance.AddInteger(posting.balance_after.cents.value);
        rows.version.AddInteger(ToBigint(posting.version_after));
        ++rows.postings;
    }
}

//! A batch comes from MakeEntryBatch: its stored hashes continue the stored ones, no gap.
void CheckBatchShape(const EntryBatch& batch)
{
    WB_ASSERT(batch.head.size == batch.first + batch.entries.size());
    WB_ASSERT(!batch.entries.empty());
    std::uint64_t next = StoredHashCount(batch.first);
    for (const auto& stored : batch.stored_hashes)
        WB_ASSERT(stored.first == next++);
    WB_ASSERT(next == StoredHashCount(batch.head.size));
}

void AddEntryStatements(std::vector<PipelinedStatement>& statements, const BatchRows& rows)
{
    statements.push_back(
        {"INSERT INTO entries (leaf_index, leaf_hash, body, kind, council, recorded_at) "
         "SELECT i, decode(h, 'hex'), b, k, c, r::timestamptz FROM unnest("
         "CAST($1 AS bigint[]), CAST($2 AS text[]), CAST($3 AS text[]), "
         "CAST($4 AS text[]), CAST($5 AS text[]), CAST($6 AS text[])) AS t(i, h, b, k, c, r)",
         {rows.leaf_index.Bytes(), rows.leaf_hash.Bytes(), rows.body.Bytes(), rows.kind.Bytes(),
          rows.council.Bytes(), rows.recorded_at.Bytes()},
         AllBinary(6)});
    if (rows.postings == 0) return;
    statements.push_back(
        {"INSERT INTO postings (leaf_index, position, account, direction, amount_cents, "
         "balance_after_cents, version_after) SELECT * FROM unnest("
         "CAST($1 AS bigint[]), CAST($2 AS smallint[]), CAST($3 AS text[]), "
         "CAST($4 AS text[]), CAST($5 AS bigint[]), CAST($6 AS bigint[]), "
         "CAST($7 AS bigint[]))",
         {rows.posting_leaf.Bytes(), rows.position.Bytes(), rows.account.Bytes(),
          rows.direction.Bytes(), rows.amount.Bytes(), rows.balance.Bytes(), rows.version.Bytes()},
         AllBinary(7)});
}

PipelinedStatement StoredHashesStatement(const EntryBatch& batch)
{
    BinaryArray indices{ArrayElement::int8}, hashes{ArrayElement::text};
    for (const auto& [index, hash] : batch.stored_hashes) {
        indices.AddInteger(ToBigint(index));
        hashes.AddText(ToHex(hash));
    }
    return {"INSERT INTO stored_hashes (hash_index, hash) SELECT i, decode(h, 'hex') "
            "FROM unnest(CAST($1 AS bigint[]), CAST($2 AS text[])) AS t(i, h)",
            {indices.Bytes(), hashes.Bytes()},
            AllBinary(2)};
}

//! A column of a pipelined row that the query never leaves NULL.
const std::string& Column(const std::vector<std::optional<std::string>>& row, std::size_t column)
{
    WB_ASSERT(column < row.size() && row[column].has_value());
    return *row[column];
}

std::int64_t BigintColumn(const std::vector<std::optional<std::string>>& row, std::size_t column)
{
    const std::string& text = Column(row, column);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    WB_ASSERT(error == std::errc{} && end == text.data() + text.size()); // A bigint's text.
    return value;
}

} // namespace

void ArrayLiteral::Separate()
{
    if (!m_empty) m_text.push_back(',');
    m_empty = false;
}

void ArrayLiteral::AddText(std::string_view text)
{
    Separate();
    m_text.push_back('"');
    // Whole runs at a time: a batch's bodies are kilobytes each, and one push_back per byte was a
    // twentieth of the server's CPU under load.
    std::size_t run = 0;
    for (std::size_t position = 0; position < text.size(); ++position) {
        if (text[position] != '"' && text[position] != '\\') continue;
        m_text.append(text.substr(run, position - run));
        m_text.push_back('\\');
        run = position; // The special character starts the next run.
    }
    m_text.append(text.substr(run));
    m_text.push_back('"');
}

void ArrayLiteral::AddInteger(std::int64_t value)
{
    Separate();
    m_text.append(std::to_string(value));
}

void ArrayLiteral::AddNull()
{
    Separate();
    m_text.append("NULL");
}

boost::system::result<std::vector<Hash>>
SessionHashReader::ReadHashes(std::span<const std::uint64_t> indices) const
{
    if (indices.empty()) return std::vector<Hash>{};
    ArrayLiteral wanted;
    for (std::uint64_t index : indices)
        wanted.AddInteger(ToBigint(index));
    const std::string wanted_text = wanted.Text();
    std::vector<std::int64_t> found_index(indices.size());
    std::vector<std::string> found_hash(indices.size());
    try {
        m_session << "SELECT hash_index, encode(hash, 'hex') FROM stored_hashes "
                     "WHERE hash_index = ANY(CAST(:wanted AS bigint[]))",
            soci::use(wanted_text), soci::into(found_index), soci::into(found_hash);
        // SOCI leaves into-vectors at their size when no row comes back.
        if (!m_session.got_data()) found_index.clear();
    } catch (const soci::soci_error& error) {
        const Failure failure = FailureFromException(error, "reading stored hashes");
        LogFailure(failure);
        return make_error_code(Errc::storage_unavailable);
    }
    std::unordered_map<std::uint64_t, Hash> by_index;
    for (std::size_t row = 0; row < found_index.size(); ++row) {
        auto hash = HashFromHex(found_hash[row]);
        WB_ASSERT(hash.has_value()); // The column is CHECKed to 32 bytes; encode writes hex.
        by_index.emplace(FromBigint(found_index[row]), *hash);
    }
    std::vector<Hash> hashes;
    hashes.reserve(indices.size());
    for (std::uint64_t index : indices) {
        auto found = by_index.find(index);
        if (found == by_index.end()) return make_error_code(Errc::stored_hash_missing);
        hashes.push_back(found->second);
    }
    return hashes;
}

boost::system::result<std::vector<Hash>>
CachedHashReader::ReadHashes(std::span<const std::uint64_t> indices) const
{
    std::vector<std::uint64_t> missing;
    for (std::uint64_t index : indices) {
        if (!m_known.contains(index)) missing.push_back(index);
    }
    if (!missing.empty()) {
        auto read = m_store.ReadHashes(missing);
        if (!read) return read.error();
        for (std::size_t position = 0; position < missing.size(); ++position)
            m_known.insert_or_assign(missing[position], (*read)[position]);
    }
    std::vector<Hash> hashes;
    hashes.reserve(indices.size());
    for (std::uint64_t index : indices)
        hashes.push_back(m_known.at(index));
    return hashes;
}

std::uint64_t StoredSize(soci::session& session)
{
    std::int64_t size = 0;
    session << "SELECT coalesce(max(leaf_index) + 1, 0) FROM entries", soci::into(size);
    return FromBigint(size);
}

boost::system::result<std::vector<std::string>> ReadEntries(soci::session& session,
                                                            std::uint64_t first, std::size_t count)
{
    WB_ASSERT(count > 0);
    WB_ASSERT(count <= LEDGER_PAGE_ENTRIES_MAX);
    const std::int64_t begin = ToBigint(first);
    const std::int64_t end = begin + static_cast<std::int64_t>(count);
    std::vector<std::int64_t> indices(count);
    std::vector<std::string> bodies(count);
    session << "SELECT leaf_index, body FROM entries WHERE leaf_index >= :begin "
               "AND leaf_index < :end ORDER BY leaf_index",
        soci::use(begin), soci::use(end), soci::into(indices), soci::into(bodies);
    // SOCI leaves into-vectors at their size when no row comes back.
    if (!session.got_data()) return std::vector<std::string>{};
    for (std::size_t row = 0; row < indices.size(); ++row) {
        if (FromBigint(indices[row]) != first + row) return make_error_code(Errc::entry_altered);
    }
    return bodies;
}

boost::system::result<std::vector<PipelinedStatement>> BatchStatements(const EntryBatch& batch)
{
    CheckBatchShape(batch);
    BatchRows rows;
    for (std::size_t position = 0; position < batch.entries.size(); ++position) {
        const std::string& bytes = batch.entries[position];
        auto entry = ParseCanonicalEntry(bytes);
        if (!entry) return entry.error().code;
        AddEntryRows(rows, batch.first + position, *entry, bytes, LeafHash(bytes));
    }
    std::vector<PipelinedStatement> statements;
    AddEntryStatements(statements, rows);
    statements.push_back(StoredHashesStatement(batch));
    return statements;
}

std::vector<PipelinedStatement> BatchStatements(const EntryBatch& batch,
                                                std::span<const SealedEntry> sealed)
{
    CheckBatchShape(batch);
    WB_ASSERT(sealed.size() == batch.entries.size());
    BatchRows rows;
    for (std::size_t position = 0; position < sealed.size(); ++position) {
        const SealedEntry& entry = sealed[position];
        // The rows must describe the bytes stored beside them: the same entry, by construction.
        WB_ASSERT(entry.bytes == batch.entries[position]);
        WB_ASSERT(entry.entry.index.value == batch.first + position);
        AddEntryRows(rows, batch.first + position, entry.entry, entry.bytes, entry.leaf);
    }
    std::vector<PipelinedStatement> statements;
    AddEntryStatements(statements, rows);
    statements.push_back(StoredHashesStatement(batch));
    return statements;
}

boost::system::result<void> InsertBatch(soci::session& session, const EntryBatch& batch)
{
    auto statements = BatchStatements(batch);
    if (!statements) return statements.error();
    RunPipeline(session, *statements);
    return {};
}

PipelinedStatement StoredSizeStatement()
{
    return {"SELECT coalesce(max(leaf_index) + 1, 0) FROM entries", {}};
}

std::uint64_t StoredSizeOf(const PipelinedRows& rows)
{
    WB_ASSERT(rows.size() == 1);
    return FromBigint(BigintColumn(rows.front(), 0));
}

PipelinedStatement LatestCheckpointStatement()
{
    return {"SELECT tree_size, encode(root, 'hex'), note, "
            "(extract(epoch FROM signed_at) * 1000)::bigint FROM checkpoints "
            "ORDER BY tree_size DESC LIMIT 1",
            {}};
}

std::optional<CheckpointRow> CheckpointRowOf(const PipelinedRows& rows)
{
    if (rows.empty()) return std::nullopt;
    const auto& row = rows.front();
    auto root = HashFromHex(Column(row, 1));
    WB_ASSERT(root.has_value()); // The column is CHECKed to 32 bytes; encode writes hex.
    return CheckpointRow{FromBigint(BigintColumn(row, 0)), *root, Column(row, 2),
                         BigintColumn(row, 3)};
}

std::optional<CheckpointRow> LatestCheckpointRow(soci::session& session)
{
    const PipelinedStatement statement = LatestCheckpointStatement();
    return CheckpointRowOf(RunPipeline(session, std::span{&statement, 1}).front());
}

PipelinedStatement CheckpointStatement(const CheckpointRow& row)
{
    return {"INSERT INTO checkpoints (tree_size, root, note) VALUES ($1, decode($2, 'hex'), $3)",
            {std::to_string(ToBigint(row.size)), ToHex(row.root), row.note}};
}

std::vector<PipelinedStatement> LockStatements(std::int64_t lock_key,
                                               std::chrono::milliseconds lock_wait_max,
                                               std::chrono::milliseconds idle_in_transaction_max)
{
    // The commit is what lets requests be answered, so it must wait for the WAL flush, whatever
    // the role or session says.
    // READ COMMITTED whatever the role or database defaults to: under REPEATABLE READ or
    // SERIALIZABLE the snapshot is taken as the lock is asked for, before the wait, and what the
    // batch reads "under the lock" (the stored size, the claims, the tokens) would be older than
    // the lock: a revocation or another process's batch committed during the wait unseen.
    return {{"BEGIN ISOLATION LEVEL READ COMMITTED", {}},
            {"SET LOCAL synchronous_commit = on", {}},
            // Bounded waits: a stalled holder of the lock fails the batch rather than hang it,
            // and a batch of ours that stalls frees the lock (SEQUENCER_LOCK_WAIT_MAX).
            {"SELECT set_config('lock_timeout', $1, true)",
             {std::to_string(lock_wait_max.count()) + "ms"}},
            {"SELECT set_config('idle_in_transaction_session_timeout', $1, true)",
             {std::to_string(idle_in_transaction_max.count()) + "ms"}},
            {"SELECT pg_advisory_xact_lock($1)", {std::to_string(lock_key)}}};
}

void LockLedger(soci::session& session, std::int64_t lock_key)
{
    session << "SELECT pg_advisory_xact_lock(:key)", soci::use(lock_key);
}

} // namespace wijkbudget::ledger::pg
