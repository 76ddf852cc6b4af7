// PgEntryStore: the EntryStore contract (tests/contract/) on PostgreSQL, and what only the SQL
// store keeps: the columns read from each entry, its postings, the latest checkpoint.
#include "ledger/entry_json.hpp"
#include "ledger/pg/ledger_tables.hpp"
#include "ledger/pg/pg_entry_store.hpp"
#include "tests/contract/entry_store_contract.hpp"
#include "tests/integration/pg/pg_test_database.hpp"
#include "tests/support/memory_entry_store.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace wijkbudget::testing {
namespace {

//! Pool sessions per test store: the contract suite calls it from one thread.
constexpr std::size_t TEST_POOL_SESSIONS{2};

//! A PgEntryStore that owns its schema, so the contract's factory can hand out a fresh one.
class OwningPgEntryStore final : public ledger::EntryStore
{
public:
    explicit OwningPgEntryStore(const std::string& dsn)
        : m_db{dsn}, m_store{m_db.Pool(TEST_POOL_SESSIONS), m_db.Schema()}
    {}

    boost::system::result<void> AppendBatch(const ledger::EntryBatch& batch) override
    {
        return m_store.AppendBatch(batch);
    }
    boost::system::result<std::vector<std::string>> ReadRange(std::uint64_t first,
                                                              std::size_t count) const override
    {
        return m_store.ReadRange(first, count);
    }
    boost::system::result<ledger::TreeHead> Head() const override { return m_store.Head(); }
    boost::system::result<std::vector<ledger::Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const override
    {
        return m_store.ReadHashes(indices);
    }

private:
    PgTestDatabase m_db;
    ledger::pg::PgEntryStore m_store;
};

struct PgStoreFactory {
    static std::unique_ptr<ledger::EntryStore> Make()
    {
        auto dsn = TestPgDsn();
        if (!dsn) {
            RecordPgMissing(); // The test body does not run, so no null store is used.
            return nullptr;
        }
        return std::make_unique<OwningPgEntryStore>(*dsn);
    }
};

} // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Pg, EntryStoreContract, ::testing::Types<PgStoreFactory>);

namespace {

class PgEntryStoreTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_db = std::make_unique<PgTestDatabase>(*TestPgDsn());
        ASSERT_FALSE(HasFailure());
        m_store = std::make_unique<ledger::pg::PgEntryStore>(m_db->Pool(TEST_POOL_SESSIONS),
                                                             m_db->Schema());
    }

    std::unique_ptr<PgTestDatabase> m_db;
    std::unique_ptr<ledger::pg::PgEntryStore> m_store;
    std::vector<ledger::SealedEntry> m_sealed{SealedSample()};
};

TEST_F(PgEntryStoreTest, StoresKindCouncilTimeAndPostingsOfEachEntry)
{
    auto batch = ledger::MakeEntryBatch(*m_store->Head(), m_sealed, *m_store);
    ASSERT_TRUE(batch.has_value());
    ASSERT_TRUE(m_store->AppendBatch(*batch).has_value());
    std::size_t postings = 0;
    for (const auto& sealed : m_sealed) {
        const auto index = static_cast<std::int64_t>(sealed.entry.index.value);
        std::string kind, recorded_at, council;
        soci::indicator council_indicator = soci::i_null;
        m_db->Owner() << "SELECT kind, to_char(recorded_at AT TIME ZONE 'UTC', "
                         "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), council FROM entries "
                         "WHERE leaf_index = :i",
            soci::use(index), soci::into(kind), soci::into(recorded_at),
            soci::into(council, council_indicator);
        EXPECT_EQ(kind, ledger::KindOf(sealed.entry));
        EXPECT_EQ(recorded_at, ledger::FormatTimestamp(sealed.entry.recorded_at));
        EXPECT_EQ(council_indicator == soci::i_ok, sealed.entry.council.has_value());
        if (sealed.entry.council) {
            EXPECT_EQ(council, sealed.entry.council->value);
        }
        postings += sealed.entry.postings.size();
    }
    ASSERT_GT(postings, 0U);
    int stored_postings = -1;
    m_db->Owner() << "SELECT count(*) FROM postings", soci::into(stored_postings);
    EXPECT_EQ(static_cast<std::size_t>(stored_postings), postings);
}

TEST_F(PgEntryStoreTest, AReadThatMeetsAConnectionTheDatabaseDroppedIsRunAgainOnANewOne)
{
    auto batch = ledger::MakeEntryBatch(*m_store->Head(), m_sealed, *m_store);
    ASSERT_TRUE(batch.has_value());
    ASSERT_TRUE(m_store->AppendBatch(*batch).has_value());
    // One pooled connection, which the database drops before each read, as a restart would:
    // without a second run on a new connection, each read would fail once.
    auto pool = m_db->Pool(1);
    ASSERT_NE(pool, nullptr);
    const ledger::pg::PgEntryStore store{pool, m_db->Schema()};
    ASSERT_NO_FATAL_FAILURE(m_db->DropConnectionOf(*pool));
    const auto head = store.Head();
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->size, m_sealed.size());
    ASSERT_NO_FATAL_FAILURE(m_db->DropConnectionOf(*pool));
    const auto range = store.ReadRange(0, 1);
    ASSERT_TRUE(range.has_value());
    EXPECT_EQ(range->size(), 1U);
    ASSERT_NO_FATAL_FAILURE(m_db->DropConnectionOf(*pool));
    const std::array<std::uint64_t, 1> first{0};
    EXPECT_TRUE(store.ReadHashes(first).has_value());
    ASSERT_NO_FATAL_FAILURE(m_db->DropConnectionOf(*pool));
    EXPECT_TRUE(store.LatestCheckpoint().has_value());
}

TEST_F(PgEntryStoreTest, LatestCheckpointIsTheLargest)
{
    auto none = m_store->LatestCheckpoint();
    ASSERT_TRUE(none.has_value());
    EXPECT_FALSE(none->has_value());
    for (std::int64_t size : {3, 9, 5}) {
        const std::string note = "note " + std::to_string(size);
        m_db->Owner() << "INSERT INTO checkpoints (tree_size, root, note) VALUES "
                         "(:size, decode(repeat('ab', 32), 'hex'), :note)",
            soci::use(size), soci::use(note);
    }
    auto latest = m_store->LatestCheckpoint();
    ASSERT_TRUE(latest.has_value() && latest->has_value());
    EXPECT_EQ((*latest)->size, 9U);
    EXPECT_EQ((*latest)->note, "note 9");
}

TEST(BatchStatementsTest, SealedEntriesGiveTheRowsTheirBytesGive)
{
    // The sequencer's path takes kind, council, time, postings and leaf hash from the entries it
    // sealed; they must be exactly what parsing and hashing the stored bytes gives.
    const auto sealed = SealedSample();
    MemoryEntryStore empty;
    auto batch = ledger::MakeEntryBatch(*empty.Head(), sealed, empty);
    ASSERT_TRUE(batch.has_value());
    auto parsed = ledger::pg::BatchStatements(*batch);
    ASSERT_TRUE(parsed.has_value());
    const auto from_sealed = ledger::pg::BatchStatements(*batch, sealed);
    ASSERT_EQ(from_sealed.size(), parsed->size());
    for (std::size_t i = 0; i < parsed->size(); ++i) {
        EXPECT_EQ(from_sealed[i].sql, (*parsed)[i].sql);
        EXPECT_EQ(from_sealed[i].parameters, (*parsed)[i].parameters) << (*parsed)[i].sql;
        EXPECT_EQ(from_sealed[i].formats, (*parsed)[i].formats) << (*parsed)[i].sql;
    }
}

TEST(ArrayLiteralTest, QuotesEveryTextElement)
{
    ledger::pg::ArrayLiteral literal;
    literal.AddText(R"({"a":"b\"c"})");
    literal.AddNull();
    literal.AddInteger(-7);
    literal.AddText("");
    literal.AddText(R"(\"x\)");
    EXPECT_EQ(literal.Text(), R"({"{\"a\":\"b\\\"c\"}",NULL,-7,"","\\\"x\\"})");
    EXPECT_EQ(ledger::pg::ArrayLiteral{}.Text(), "{}");
}

} // namespace
} // namespace wijkbudget::testing
