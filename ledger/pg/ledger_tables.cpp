#include "ledger/pg/ledger_tables.hpp"

#include "ledger/assert.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/errc.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/pg/connection.hpp"

#include <soci/soci.h>

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

//! The columns of the entries and postings rows of a batch, as array literals.
struct BatchRows {
    ArrayLiteral leaf_index, leaf_hash, body, kind, council, recorded_at;
    ArrayLiteral posting_leaf, position, account, direction, amount, balance, version;
    std::size_t postings{0};
};

boost::system::result<void> AddEntryRows(BatchRows& rows, std::uint64_t index,
                                         const std::string& bytes)
{
    auto entry = ParseCanonicalEntry(bytes);
    if (!entry) return entry.error().code;
    rows.leaf_index.AddInteger(ToBigint(index));
    rows.leaf_hash.AddText(ToHex(LeafHash(bytes)));
    rows.body.AddText(bytes);
    rows.kind.AddText(KindOf(*entry));
    if (entry->council) {
        rows.council.AddText(entry->council->value);
    } else {
        rows.council.AddNull();
    }
    rows.recorded_at.AddText(FormatTimestamp(entry->recorded_at));
    std::int64_t position = 0;
    for (const Posting& posting : entry->postings) {
        rows.posting_leaf.AddInteger(ToBigint(index));
        rows.position.AddInteger(position++);
        rows.account.AddText(posting.account.value);
        rows.direction.AddText(SpellingOf(posting.side));
        rows.amount.AddInteger(posting.amount.value);
        rows.balance.AddInteger(posting.balance_after.cents.value);
        rows.version.AddInteger(ToBigint(posting.version_after));
        ++rows.postings;
    }
    return {};
}

void InsertEntryRows(soci::session& session, const BatchRows& rows)
{
    const std::string leaf_index = rows.leaf_index.Text(), leaf_hash = rows.leaf_hash.Text(),
                      body = rows.body.Text(), kind = rows.kind.Text(),
                      council = rows.council.Text(), recorded_at = rows.recorded_at.Text();
    session << "INSERT INTO entries (leaf_index, leaf_hash, body, kind, council, recorded_at) "
               "SELECT i, decode(h, 'hex'), b, k, c, r::timestamptz FROM unnest("
               "CAST(:i AS bigint[]), CAST(:h AS text[]), CAST(:b AS text[]), "
               "CAST(:k AS text[]), CAST(:c AS text[]), CAST(:r AS text[])) AS t(i, h, b, k, c, r)",
        soci::use(leaf_index), soci::use(leaf_hash), soci::use(body), soci::use(kind),
        soci::use(council), soci::use(recorded_at);
    if (rows.postings == 0) return;
    const std::string leaf = rows.posting_leaf.Text(), position = rows.position.Text(),
                      account = rows.account.Text(), direction = rows.direction.Text(),
                      amount = rows.amount.Text(), balance = rows.balance.Text(),
                      version = rows.version.Text();
    session << "INSERT INTO postings (leaf_index, position, account, direction, amount_cents, "
               "balance_after_cents, version_after) SELECT * FROM unnest("
               "CAST(:l AS bigint[]), CAST(:p AS smallint[]), CAST(:a AS text[]), "
               "CAST(:d AS text[]), CAST(:m AS bigint[]), CAST(:b AS bigint[]), "
               "CAST(:v AS bigint[]))",
        soci::use(leaf), soci::use(position), soci::use(account), soci::use(direction),
        soci::use(amount), soci::use(balance), soci::use(version);
}

void InsertStoredHashes(soci::session& session, const EntryBatch& batch)
{
    ArrayLiteral indices, hashes;
    for (const auto& [index, hash] : batch.stored_hashes) {
        indices.AddInteger(ToBigint(index));
        hashes.AddText(ToHex(hash));
    }
    const std::string index_text = indices.Text(), hash_text = hashes.Text();
    session << "INSERT INTO stored_hashes (hash_index, hash) SELECT i, decode(h, 'hex') "
               "FROM unnest(CAST(:i AS bigint[]), CAST(:h AS text[])) AS t(i, h)",
        soci::use(index_text), soci::use(hash_text);
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
    for (char c : text) {
        if (c == '"' || c == '\\') m_text.push_back('\\');
        m_text.push_back(c);
    }
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

boost::system::result<void> InsertBatch(soci::session& session, const EntryBatch& batch)
{
    // A batch comes from MakeEntryBatch: its stored hashes continue the stored ones, no gap.
    WB_ASSERT(batch.head.size == batch.first + batch.entries.size());
    WB_ASSERT(!batch.entries.empty());
    std::uint64_t next = StoredHashCount(batch.first);
    for (const auto& stored : batch.stored_hashes)
        WB_ASSERT(stored.first == next++);
    WB_ASSERT(next == StoredHashCount(batch.head.size));
    BatchRows rows;
    for (std::size_t position = 0; position < batch.entries.size(); ++position) {
        auto added = AddEntryRows(rows, batch.first + position, batch.entries[position]);
        if (!added) return added.error();
    }
    InsertEntryRows(session, rows);
    InsertStoredHashes(session, batch);
    return {};
}

std::optional<CheckpointRow> LatestCheckpointRow(soci::session& session)
{
    std::int64_t size = 0;
    std::int64_t signed_at = 0;
    std::string root_hex, note;
    session << "SELECT tree_size, encode(root, 'hex'), note, "
               "(extract(epoch FROM signed_at) * 1000)::bigint FROM checkpoints "
               "ORDER BY tree_size DESC LIMIT 1",
        soci::into(size), soci::into(root_hex), soci::into(note), soci::into(signed_at);
    if (!session.got_data()) return std::nullopt;
    auto root = HashFromHex(root_hex);
    WB_ASSERT(root.has_value()); // The column is CHECKed to 32 bytes; encode writes hex.
    return CheckpointRow{FromBigint(size), *root, std::move(note), signed_at};
}

void InsertCheckpoint(soci::session& session, const CheckpointRow& row)
{
    const std::int64_t size = ToBigint(row.size);
    const std::string root = ToHex(row.root);
    session << "INSERT INTO checkpoints (tree_size, root, note) "
               "VALUES (:size, decode(:root, 'hex'), :note)",
        soci::use(size), soci::use(root), soci::use(row.note);
}

void LockLedger(soci::session& session, std::int64_t lock_key)
{
    session << "SELECT pg_advisory_xact_lock(:key)", soci::use(lock_key);
}

void LockLedgerForDurableCommit(soci::session& session, std::int64_t lock_key)
{
    // Two statements in one simple query need a literal, not a bound parameter: the key is our
    // own number (LedgerLockKey), never text from outside.
    session << "SET LOCAL synchronous_commit = on; SELECT pg_advisory_xact_lock(" +
                   std::to_string(lock_key) + ")";
}

} // namespace wijkbudget::ledger::pg
