// PgSequencer: group commit on PostgreSQL. Dense indices, answers after commit, idempotency,
// observers, two sequencers on one schema making one linear ledger, read-only on an
// inconsistent checkpoint, and the durability check.
#include "ledger/checkpoint.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/pg/connection.hpp"
#include "ledger/pg/ledger_tables.hpp"
#include "ledger/pg/pg_entry_store.hpp"
#include "ledger/pg/pg_sequencer.hpp"
#include "ledger/receipt.hpp"
#include "tests/integration/pg/pg_test_database.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>

namespace wijkbudget::testing {
namespace {

using ledger::AppendFailure;
using ledger::AppendReply;
using Reply = boost::system::result<AppendReply, AppendFailure>;

constexpr std::string_view LOG_NAME{"wijkbudget.test.example"};
constexpr int STATUS_CREATED{201};
constexpr int STATUS_REFUSED{422};
//! Appends per sequencer in the concurrency test (DESIGN: "several processes, one ledger").
constexpr int CONCURRENT_APPENDS{200};
//! Polls of pg_locks for a session that waits on a lock, before the test gives up on it.
constexpr int LOCK_POLLS_MAX{200};
constexpr std::chrono::milliseconds LOCK_POLL_INTERVAL{25};

std::shared_ptr<const ledger::SignerKey> TestSigner()
{
    const std::array<std::uint8_t, ledger::ED25519_SEED_BYTES> seed{0x42};
    auto key = ledger::SignerKey::FromSeed(LOG_NAME, ledger::KeyType::ed25519, seed);
    EXPECT_TRUE(key.has_value());
    return std::make_shared<const ledger::SignerKey>(std::move(*key));
}

//! Remembers the indices it saw, in order; Reset forgets them.
class RecordingObserver final : public ledger::EntryObserver
{
public:
    void Reset() override
    {
        indices.clear();
        ++resets;
    }
    void Observe(const ledger::Entry& entry) override { indices.push_back(entry.index.value); }
    std::vector<std::uint64_t> indices;
    int resets{0};
};

//! A council.registered draft for council `name`; the answer's body is "index\nreceipt".
ledger::AppendRequest CouncilRequest(const std::string& name)
{
    ledger::AppendRequest request;
    request.make_draft = [name]() -> boost::system::result<ledger::Entry, ledger::Failure> {
        return CouncilEntry(
            ledger::Slug{name},
            ledger::CouncilRegistered{ledger::Title{"Wijkraad " + name}, ledger::Slug{"centrum"}});
    };
    request.answer = [](const boost::system::result<ledger::AppendedEntry, ledger::Failure>& done) {
        if (!done) return ledger::StoredAnswer{STATUS_REFUSED, done.error().Describe()};
        return ledger::StoredAnswer{STATUS_CREATED, std::to_string(done->sealed.entry.index.value) +
                                                        "\n" + done->receipt};
    };
    return request;
}

/** A council registration whose batch fails after sealing it and sending its inserts: its
 *  answer, made after the inserts were flushed to the server, throws. */
ledger::AppendRequest FailingAfterItsInserts()
{
    auto failing = CouncilRequest("x");
    failing.answer = [](const boost::system::result<ledger::AppendedEntry, ledger::Failure>& done)
        -> ledger::StoredAnswer {
        if (done) throw std::runtime_error{"the answer failed"};
        return {STATUS_REFUSED, done.error().Describe()};
    };
    return failing;
}

ledger::IdempotencyClaim Claim(const std::string& key, std::uint8_t body)
{
    ledger::IdempotencyClaim claim{"token-1", key, {}};
    claim.request_hash.fill(body);
    return claim;
}

//! A council registration under `key` whose draft is refused with `code` at `where`.
ledger::AppendRequest DraftRefused(const std::string& key, std::uint8_t body, ledger::Errc code,
                                   const std::string& where)
{
    auto refused = CouncilRequest("x");
    refused.claim = Claim(key, body);
    refused.make_draft = [code, where]() -> boost::system::result<ledger::Entry, ledger::Failure> {
        return ledger::MakeFailure(code, where);
    };
    return refused;
}

Reply AppendAndWait(ledger::Appender& appender, ledger::AppendRequest request)
{
    std::promise<Reply> promise;
    auto future = promise.get_future();
    appender.Submit(std::move(request), [&promise](Reply reply) { promise.set_value(reply); });
    return future.get();
}

std::uint64_t IndexOf(const Reply& reply)
{
    return std::stoull(reply->answer.body.substr(0, reply->answer.body.find('\n')));
}

std::string ReceiptOf(const Reply& reply)
{
    return reply->answer.body.substr(reply->answer.body.find('\n') + 1);
}

class PgSequencerTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        WB_SKIP_WITHOUT_PG();
        m_db = std::make_unique<PgTestDatabase>(*TestPgDsn());
        ASSERT_FALSE(HasFailure());
        m_store = std::make_unique<ledger::pg::PgEntryStore>(m_db->Pool(2), m_db->Schema());
    }

    std::unique_ptr<ledger::pg::PgSequencer>
    StartSequencer(RecordingObserver* observer = nullptr, std::string credential_query = {},
                   const std::function<void(ledger::pg::SequencerOptions&)>& adjust = {})
    {
        ledger::pg::SequencerOptions options;
        options.dsn = m_db->Dsn();
        options.schema = m_db->Schema();
        options.signer = m_signer;
        options.credential_query = std::move(credential_query);
        if (adjust) adjust(options);
        if (observer != nullptr) options.observers.push_back(observer);
        options.on_batch = [this](std::size_t entries) {
            m_batched += entries;
            ++m_batches;
        };
        options.on_stored_hashes =
            [this](std::span<const std::pair<std::uint64_t, ledger::Hash>> stored) {
                const std::lock_guard lock{m_stored_mutex};
                for (const auto& [index, hash] : stored)
                    m_stored.emplace_back(index, ledger::ToHex(hash));
            };
        auto sequencer = ledger::pg::PgSequencer::Start(std::move(options));
        EXPECT_TRUE(sequencer.has_value()) << sequencer.error().Describe();
        return sequencer ? std::move(*sequencer) : nullptr;
    }

    //! The next append is refused because appends turned read-only, and the ledger keeps its
    //! `entries`.
    void ExpectAppendRefusedReadOnly(ledger::pg::PgSequencer& sequencer, const std::string& council,
                                     std::int64_t entries)
    {
        const Reply refused = AppendAndWait(sequencer, CouncilRequest(council));
        ASSERT_FALSE(refused.has_value());
        EXPECT_EQ(refused.error(), AppendFailure::read_only);
        EXPECT_TRUE(sequencer.IsReadOnly());
        EXPECT_EQ(Count("entries"), entries);
    }

    //! The test database's DSN with application_name set to the schema, in either DSN form
    //! (key=value, or a postgresql:// URI), so that pg_stat_activity finds its sessions among
    //! other tests' connections.
    [[nodiscard]] std::string DsnNamedAfterSchema() const
    {
        const std::string& dsn = m_db->Dsn();
        if (dsn.find("://") == std::string::npos)
            return dsn + " application_name=" + m_db->Schema();
        return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") +
               "application_name=" + m_db->Schema();
    }

    //! Polls until a batch of the sequencer whose DSN sets application_name to the schema waits
    //! for the ledger's advisory lock (another session holds it); fails the test if it never does.
    void ExpectBatchWaitingForTheLock()
    {
        std::int64_t waiting = 0;
        for (int poll = 0; poll < LOCK_POLLS_MAX && waiting == 0; ++poll) {
            std::this_thread::sleep_for(LOCK_POLL_INTERVAL);
            m_db->Owner() << "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                             "WHERE l.locktype = 'advisory' AND NOT l.granted "
                             "AND a.application_name = :name",
                soci::use(m_db->Schema()), soci::into(waiting);
        }
        ASSERT_EQ(waiting, 1) << "the batch never waited for the lock";
    }

    //! Runs `sql` as the tables' owner with `table`'s no-change trigger off, as only a
    //! superuser or the owner could.
    void AlterWithTriggerOff(const std::string& table, const std::string& sql)
    {
        m_db->Owner() << "ALTER TABLE " + table + " DISABLE TRIGGER " + table + "_no_change";
        m_db->Owner() << sql;
        m_db->Owner() << "ALTER TABLE " + table + " ENABLE ALWAYS TRIGGER " + table + "_no_change";
    }

    //! The stored_hashes table, by index, hashes in hex.
    std::vector<std::pair<std::uint64_t, std::string>> StoredHashesInTable()
    {
        const auto rows = static_cast<std::size_t>(Count("stored_hashes"));
        std::vector<std::pair<std::uint64_t, std::string>> in_table;
        if (rows == 0) return in_table;
        std::vector<std::int64_t> indices(rows);
        std::vector<std::string> hashes(rows);
        m_db->Owner() << "SELECT hash_index, encode(hash, 'hex') FROM stored_hashes "
                         "ORDER BY hash_index",
            soci::into(indices), soci::into(hashes);
        for (std::size_t row = 0; row < indices.size(); ++row)
            in_table.emplace_back(static_cast<std::uint64_t>(indices[row]), hashes[row]);
        return in_table;
    }

    //! What on_stored_hashes was given so far, sorted by index.
    std::vector<std::pair<std::uint64_t, std::string>> HandedOnHashes()
    {
        const std::lock_guard lock{m_stored_mutex};
        auto handed_on = m_stored;
        std::sort(handed_on.begin(), handed_on.end());
        return handed_on;
    }

    std::int64_t Count(const std::string& table)
    {
        std::int64_t rows = -1;
        m_db->Owner() << "SELECT count(*) FROM " + table, soci::into(rows);
        return rows;
    }

    std::vector<std::string> StoredEntries()
    {
        std::vector<std::string> all;
        for (;;) {
            auto page = m_store->ReadRange(all.size(), ledger::LEDGER_PAGE_ENTRIES_MAX);
            EXPECT_TRUE(page.has_value());
            if (!page || page->empty()) return all;
            all.insert(all.end(), page->begin(), page->end());
        }
    }

    //! Replays the stored ledger through a fresh Sealer and checks every checkpoint extends the
    //! one before and the last one's root is the ledger's.
    void ExpectOneLinearVerifiedLedger(std::uint64_t size)
    {
        const auto entries = StoredEntries();
        ASSERT_EQ(entries.size(), size);
        ledger::Sealer sealer;
        for (const std::string& bytes : entries) {
            auto sealed = sealer.Seal(*ledger::ParseCanonicalEntry(bytes));
            ASSERT_TRUE(sealed.has_value());
            ASSERT_EQ(sealed->bytes, bytes);
        }
        std::vector<std::string> notes(size); // At most one checkpoint per entry.
        m_db->Owner() << "SELECT note FROM checkpoints ORDER BY tree_size", soci::into(notes);
        ASSERT_FALSE(notes.empty());
        const auto verifier = ledger::VerifierKeyOf(*m_signer);
        std::optional<ledger::Checkpoint> previous;
        for (const std::string& note : notes) {
            auto opened = ledger::OpenCheckpoint(note, verifier, {});
            ASSERT_TRUE(opened.has_value()) << note;
            const ledger::Checkpoint& current = opened->checkpoint;
            EXPECT_EQ(current.root, *ledger::TreeHash(current.size, *m_store));
            if (previous) {
                auto proof = ledger::ProveConsistency(previous->size, current.size, *m_store);
                ASSERT_TRUE(proof.has_value());
                EXPECT_TRUE(ledger::VerifyCheckpointExtends(*previous, current, *proof));
            }
            previous = current;
        }
        EXPECT_EQ(previous->size, size);
        EXPECT_EQ(previous->root, sealer.Root());
    }

    std::unique_ptr<PgTestDatabase> m_db;
    std::unique_ptr<ledger::pg::PgEntryStore> m_store;
    std::shared_ptr<const ledger::SignerKey> m_signer{TestSigner()};
    std::atomic<std::size_t> m_batched{0};
    std::atomic<std::size_t> m_batches{0};
    std::mutex m_stored_mutex;
    //! What on_stored_hashes was given, in order, hashes in hex (under m_stored_mutex).
    std::vector<std::pair<std::uint64_t, std::string>> m_stored;
};

TEST_F(PgSequencerTest, AppendsGetDenseIndicesAndAnswersOnlyAfterCommit)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    auto reader = m_db->RuntimeSession();
    for (std::uint64_t index = 0; index < 5; ++index) {
        std::promise<std::int64_t> stored_at_answer;
        // The callback runs on the sequencer's thread; it settles the promise last, since the
        // loop moves on (and `index` changes) as soon as it is set.
        sequencer->Submit(CouncilRequest("c" + std::to_string(index)), [&, index](Reply reply) {
            // Another connection already sees the entry: the answer came after the commit.
            const auto visible = static_cast<std::int64_t>(ledger::pg::StoredSize(*reader));
            EXPECT_TRUE(reply.has_value());
            if (reply) {
                EXPECT_EQ(IndexOf(reply), index);
                EXPECT_FALSE(reply->replayed);
                auto bytes = m_store->ReadRange(index, 1);
                EXPECT_TRUE(bytes.has_value() && bytes->size() == 1);
                if (bytes && bytes->size() == 1) {
                    EXPECT_TRUE(ledger::VerifyReceipt(ReceiptOf(reply), bytes->front(),
                                                      ledger::VerifierKeyOf(*m_signer), {}));
                }
            }
            stored_at_answer.set_value(visible);
        });
        EXPECT_EQ(stored_at_answer.get_future().get(), static_cast<std::int64_t>(index) + 1);
    }
    EXPECT_EQ(sequencer->Size(), 5U);
    sequencer->Stop();
    EXPECT_EQ(m_batched.load(), 5U);
    // Each request came alone, after the previous one's answer: each was a batch of one.
    EXPECT_EQ(m_batches.load(), 5U);
    ExpectOneLinearVerifiedLedger(5);
}

TEST_F(PgSequencerTest, HandsOnExactlyTheStoredHashesOfCommittedBatches)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    std::vector<std::future<Reply>> answers;
    for (int request = 0; request < 9; ++request) {
        auto promise = std::make_shared<std::promise<Reply>>();
        answers.push_back(promise->get_future());
        sequencer->Submit(CouncilRequest("h" + std::to_string(request)),
                          [promise](Reply reply) { promise->set_value(std::move(reply)); });
    }
    for (auto& answer : answers)
        ASSERT_TRUE(answer.get().has_value());
    // A replayed claim appends nothing, so it hands nothing on.
    auto replay = CouncilRequest("h0");
    replay.claim = Claim("same-key", 1);
    std::promise<Reply> first, again;
    sequencer->Submit(replay, [&](Reply reply) { first.set_value(std::move(reply)); });
    ASSERT_TRUE(first.get_future().get().has_value());
    sequencer->Submit(replay, [&](Reply reply) { again.set_value(std::move(reply)); });
    ASSERT_TRUE(again.get_future().get().has_value());
    sequencer->Stop();

    const auto in_table = StoredHashesInTable();
    EXPECT_EQ(HandedOnHashes(), in_table); // Each once: none twice, none missing.
    EXPECT_FALSE(in_table.empty());
}

TEST_F(PgSequencerTest, ClaimReplaysAndAnotherBodyUnderTheKeyIsReused)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    auto request = CouncilRequest("burgwal");
    request.claim = Claim("key-1", 1);
    const Reply first = AppendAndWait(*sequencer, request);
    ASSERT_TRUE(first.has_value());
    EXPECT_FALSE(first->replayed);

    int drafts = 0;
    auto retry = CouncilRequest("burgwal");
    retry.claim = Claim("key-1", 1);
    retry.make_draft = [&drafts]() -> boost::system::result<ledger::Entry, ledger::Failure> {
        ++drafts;
        return ledger::MakeFailure(ledger::Errc::field_invalid, "must not be called");
    };
    const Reply replayed = AppendAndWait(*sequencer, retry);
    ASSERT_TRUE(replayed.has_value());
    EXPECT_TRUE(replayed->replayed);
    EXPECT_EQ(replayed->answer, first->answer);
    EXPECT_EQ(drafts, 0);

    auto other = CouncilRequest("anders");
    other.claim = Claim("key-1", 2);
    const Reply reused = AppendAndWait(*sequencer, other);
    ASSERT_FALSE(reused.has_value());
    EXPECT_EQ(reused.error(), AppendFailure::key_reused);
    EXPECT_EQ(Count("entries"), 1);
    EXPECT_EQ(Count("idempotency_records"), 1);
}

TEST_F(PgSequencerTest, RefusedDraftIsStoredUnderItsKeyWithoutAnEntry)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    const auto refused =
        DraftRefused("key-2", 3, ledger::Errc::exceeds_budget_line, "payload.amount_cents");
    const Reply first = AppendAndWait(*sequencer, refused);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->answer.status, STATUS_REFUSED);
    EXPECT_NE(first->answer.body.find("exceeds_budget_line"), std::string::npos);
    const Reply again = AppendAndWait(*sequencer, refused);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->replayed);
    EXPECT_EQ(again->answer, first->answer);
    EXPECT_EQ(Count("entries"), 0);
    EXPECT_EQ(Count("checkpoints"), 0);
    std::int64_t null_leaf = -1;
    m_db->Owner() << "SELECT count(*) FROM idempotency_records WHERE leaf_index IS NULL",
        soci::into(null_leaf);
    EXPECT_EQ(null_leaf, 1);
}

TEST_F(PgSequencerTest, ARefusalNotToBeRecordedLeavesItsKeyFreeForTheNextTry)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    // An operator's command: refused while the line lacks the money, run again once it has it.
    auto refused =
        DraftRefused("command-key", 5, ledger::Errc::exceeds_budget_line, "payload.amount_cents");
    refused.record_refusal = false;
    const Reply first = AppendAndWait(*sequencer, refused);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->answer.status, STATUS_REFUSED);
    EXPECT_EQ(Count("idempotency_records"), 0);

    auto accepted = CouncilRequest("x");
    accepted.claim = Claim("command-key", 5);
    accepted.record_refusal = false;
    const Reply second = AppendAndWait(*sequencer, accepted);
    ASSERT_TRUE(second.has_value());
    EXPECT_FALSE(second->replayed);
    EXPECT_NE(second->answer.status, STATUS_REFUSED);
    EXPECT_EQ(Count("entries"), 1);
    // What was appended is stored under the key as always: a third try replays it.
    const Reply third = AppendAndWait(*sequencer, accepted);
    ASSERT_TRUE(third.has_value());
    EXPECT_TRUE(third->replayed);
    EXPECT_EQ(third->answer, second->answer);
    EXPECT_EQ(Count("entries"), 1);
}

TEST_F(PgSequencerTest, AServerErrorLeavesItsKeyFreeForTheNextTry)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    // A draft that fails on the server's side: the answer is a 500, as the API makes it.
    auto failed = DraftRefused("key-500", 6, ledger::Errc::crypto_failure, "signing");
    failed.answer = [](const boost::system::result<ledger::AppendedEntry, ledger::Failure>& done) {
        return ledger::StoredAnswer{done ? STATUS_CREATED : 500, "internal_error"};
    };
    const Reply first = AppendAndWait(*sequencer, failed);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->answer.status, 500);
    EXPECT_EQ(Count("idempotency_records"), 0);

    auto retry = CouncilRequest("x");
    retry.claim = Claim("key-500", 6);
    const Reply second = AppendAndWait(*sequencer, retry);
    ASSERT_TRUE(second.has_value());
    EXPECT_FALSE(second->replayed);
    EXPECT_EQ(second->answer.status, STATUS_CREATED);
    EXPECT_EQ(Count("entries"), 1);
}

TEST_F(PgSequencerTest, ABatchThatFailsAfterItsInsertsWentOutLeavesNothingStored)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    const auto failing = FailingAfterItsInserts();
    const Reply failed = AppendAndWait(*sequencer, failing);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error(), AppendFailure::unavailable);
    for (const char* table : {"entries", "stored_hashes", "checkpoints", "idempotency_records"})
        EXPECT_EQ(Count(table), 0) << table;
    // Rolled back on a connection out of its pipeline: had the transaction stayed open, the
    // next batch would have found the failed entry there and appended after it.
    const Reply next = AppendAndWait(*sequencer, CouncilRequest("y"));
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(IndexOf(next), 0U);
    sequencer->Stop();
    ExpectOneLinearVerifiedLedger(1);
}

TEST_F(PgSequencerTest, ObserversHoldingAFailedBatchAreRebuiltFromTheStoredLedgerAtOnce)
{
    RecordingObserver observer;
    auto sequencer = StartSequencer(&observer);
    ASSERT_NE(sequencer, nullptr);
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")).has_value());
    EXPECT_TRUE(sequencer->ObserversShowCommitted());

    // A batch that fails after sealing: the observers saw an entry the database never got. The
    // sequencer's thread rebuilds them once the batch is answered, with no reader or batch to
    // ask for it; until then they are not shown (the rebuild's own window is tested in
    // tests/integration/api/failed_batch_reads_test.cpp, where a lock holds it).
    ASSERT_FALSE(AppendAndWait(*sequencer, FailingAfterItsInserts()).has_value());
    EXPECT_EQ(Count("entries"), 1);
    for (int poll = 0; poll < LOCK_POLLS_MAX && !sequencer->ObserversShowCommitted(); ++poll)
        std::this_thread::sleep_for(LOCK_POLL_INTERVAL);
    ASSERT_TRUE(sequencer->ObserversShowCommitted()) << "the observers were never rebuilt";
    // Read after the flag: the rebuild wrote them before it set it.
    EXPECT_EQ(observer.indices, (std::vector<std::uint64_t>{0}));
    EXPECT_GE(observer.resets, 1);

    const Reply next = AppendAndWait(*sequencer, CouncilRequest("c1"));
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(IndexOf(next), 1U);
    EXPECT_TRUE(sequencer->ObserversShowCommitted());
    sequencer->Stop();
    EXPECT_EQ(observer.indices, (std::vector<std::uint64_t>{0, 1}));
    ExpectOneLinearVerifiedLedger(2);
}

TEST_F(PgSequencerTest, AStoredLedgerThatFailsTheRebuildIsNeitherShownNorReplayedAgain)
{
    RecordingObserver observer;
    auto sequencer = StartSequencer(&observer);
    ASSERT_NE(sequencer, nullptr);
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")).has_value());
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c1")).has_value());
    // A stored entry rewritten (a superuser with the trigger disabled), then a batch that fails
    // after sealing: the rebuild that follows replays the altered ledger.
    m_db->Owner() << "ALTER TABLE entries DISABLE TRIGGER entries_no_change";
    m_db->Owner() << "UPDATE entries SET body = replace(body, 'Wijkraad c1', 'Wijkraad cX') "
                     "WHERE leaf_index = 1";
    m_db->Owner() << "ALTER TABLE entries ENABLE ALWAYS TRIGGER entries_no_change";
    ASSERT_FALSE(AppendAndWait(*sequencer, FailingAfterItsInserts()).has_value());
    for (int poll = 0; poll < LOCK_POLLS_MAX && !sequencer->IsReadOnly(); ++poll)
        std::this_thread::sleep_for(LOCK_POLL_INTERVAL);
    ASSERT_TRUE(sequencer->IsReadOnly()) << "the rebuild did not find the altered entry";
    EXPECT_FALSE(sequencer->ObserversShowCommitted());
    const int resets = observer.resets; // Written before the ledger turned read-only.
    // Every later reader: the same refusal at once, no replay of the whole ledger each time.
    for (int reader = 0; reader < 3; ++reader) {
        const auto again = sequencer->Sync();
        ASSERT_FALSE(again.has_value());
        EXPECT_EQ(again.error().code, ledger::Errc::entry_altered);
        EXPECT_FALSE(sequencer->ObserversShowCommitted());
    }
    EXPECT_EQ(observer.resets, resets);
}

TEST_F(PgSequencerTest, ABatchOfAGrantAndAFailingRequestLeavesNoneOfItsRows)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    // Hold the sequencer inside a first request's make_draft, so the next two make one batch.
    std::promise<void> release, entered;
    auto held = CouncilRequest("first");
    auto draft = held.make_draft;
    held.make_draft = [draft, &entered, future = release.get_future().share()]() {
        entered.set_value();
        future.wait();
        return draft();
    };
    std::promise<Reply> held_reply, grant_reply, failing_reply;
    sequencer->Submit(held, [&](Reply reply) { held_reply.set_value(reply); });
    entered.get_future().wait(); // The held request is in a batch of its own.
    // A grant: an entry with postings, and a claim, so every table would get rows.
    auto grant = CouncilRequest("grant");
    grant.make_draft = []() -> boost::system::result<ledger::Entry, ledger::Failure> {
        return SampleOfKind("budget.granted");
    };
    grant.claim = Claim("grant-key", 6);
    sequencer->Submit(grant, [&](Reply reply) { grant_reply.set_value(reply); });
    const auto failing = FailingAfterItsInserts();
    sequencer->Submit(failing, [&](Reply reply) { failing_reply.set_value(reply); });
    release.set_value();
    ASSERT_TRUE(held_reply.get_future().get().has_value());
    const Reply granted = grant_reply.get_future().get();
    const Reply failed = failing_reply.get_future().get();
    // One transaction: the grant's entry, postings, stored hashes and claim went with it.
    ASSERT_FALSE(granted.has_value());
    EXPECT_EQ(granted.error(), AppendFailure::unavailable);
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(Count("entries"), 1);
    EXPECT_EQ(Count("postings"), 0);
    EXPECT_EQ(Count("idempotency_records"), 0);
    EXPECT_EQ(Count("checkpoints"), 1);
    EXPECT_EQ(Count("stored_hashes"), 1); // The first entry's leaf alone.
    // The same grant alone does write its rows: what the failed batch left out was there to go.
    const Reply alone = AppendAndWait(*sequencer, grant);
    ASSERT_TRUE(alone.has_value());
    EXPECT_EQ(Count("postings"), 2);
    EXPECT_EQ(Count("idempotency_records"), 1);
    sequencer->Stop();
    ExpectOneLinearVerifiedLedger(2);
}

TEST_F(PgSequencerTest, SameClaimTwiceInOneBatchGetsTheFirstAnswer)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    // Hold the sequencer inside a first request's make_draft, so the next two queue together.
    std::promise<void> release;
    auto held = CouncilRequest("first");
    auto draft = held.make_draft;
    held.make_draft = [&release, draft, future = release.get_future().share()]() {
        future.wait();
        return draft();
    };
    std::promise<Reply> held_reply, one_reply, two_reply;
    sequencer->Submit(held, [&](Reply reply) { held_reply.set_value(reply); });
    auto one = CouncilRequest("twice");
    one.claim = Claim("key-3", 4);
    sequencer->Submit(one, [&](Reply reply) { one_reply.set_value(reply); });
    sequencer->Submit(one, [&](Reply reply) { two_reply.set_value(reply); });
    release.set_value();
    ASSERT_TRUE(held_reply.get_future().get().has_value());
    const Reply first = one_reply.get_future().get();
    const Reply second = two_reply.get_future().get();
    ASSERT_TRUE(first.has_value() && second.has_value());
    EXPECT_FALSE(first->replayed);
    EXPECT_TRUE(second->replayed);
    EXPECT_EQ(first->answer, second->answer);
    EXPECT_EQ(Count("entries"), 2);
}

TEST_F(PgSequencerTest, TwoSequencersOnOneSchemaMakeOneLinearLedger)
{
    RecordingObserver observer_one, observer_two;
    auto one = StartSequencer(&observer_one);
    auto two = StartSequencer(&observer_two);
    ASSERT_TRUE(one != nullptr && two != nullptr);
    std::mutex mutex;
    std::vector<Reply> replies;
    std::promise<void> all_done;
    const auto on_reply = [&](Reply reply) {
        std::lock_guard lock(mutex);
        replies.push_back(std::move(reply));
        if (replies.size() == 2 * CONCURRENT_APPENDS) all_done.set_value();
    };
    const auto submit_all = [&](ledger::pg::PgSequencer& sequencer, const std::string& prefix) {
        for (int n = 0; n < CONCURRENT_APPENDS; ++n)
            sequencer.Submit(CouncilRequest(prefix + std::to_string(n)), on_reply);
    };
    std::thread first(submit_all, std::ref(*one), "a");
    std::thread second(submit_all, std::ref(*two), "b");
    first.join();
    second.join();
    all_done.get_future().wait();

    std::set<std::uint64_t> indices;
    const auto verifier = ledger::VerifierKeyOf(*m_signer);
    const auto entries = StoredEntries();
    for (const Reply& reply : replies) {
        ASSERT_TRUE(reply.has_value());
        const std::uint64_t index = IndexOf(reply);
        EXPECT_TRUE(indices.insert(index).second) << "index given twice: " << index;
        ASSERT_LT(index, entries.size());
        EXPECT_TRUE(ledger::VerifyReceipt(ReceiptOf(reply), entries[index], verifier, {}));
    }
    EXPECT_EQ(indices.size(), 2U * CONCURRENT_APPENDS);
    EXPECT_EQ(*indices.rbegin(), 2U * CONCURRENT_APPENDS - 1); // Gapless: 0..n-1, n distinct.
    ExpectOneLinearVerifiedLedger(2U * CONCURRENT_APPENDS);
    // Group commit: under load, batches hold many requests.
    EXPECT_EQ(m_batched.load(), 2U * CONCURRENT_APPENDS);
    EXPECT_LT(m_batches.load(), m_batched.load() / 2);

    // Each observer saw every entry once, in order: its own, and the other's when catching up.
    ASSERT_TRUE(one->Sync().has_value());
    ASSERT_TRUE(two->Sync().has_value());
    for (const RecordingObserver* observer : {&observer_one, &observer_two}) {
        ASSERT_EQ(observer->indices.size(), 2U * CONCURRENT_APPENDS);
        for (std::size_t position = 0; position < observer->indices.size(); ++position)
            EXPECT_EQ(observer->indices[position], position);
    }
    EXPECT_EQ(one->Size(), 2U * CONCURRENT_APPENDS);
}

TEST_F(PgSequencerTest, StartReplaysTheStoredLedgerIntoObservers)
{
    {
        auto first = StartSequencer();
        ASSERT_NE(first, nullptr);
        for (int n = 0; n < 3; ++n)
            ASSERT_TRUE(AppendAndWait(*first, CouncilRequest("c" + std::to_string(n))));
    }
    RecordingObserver observer;
    auto second = StartSequencer(&observer);
    ASSERT_NE(second, nullptr);
    EXPECT_EQ(second->Size(), 3U);
    EXPECT_EQ(observer.indices, (std::vector<std::uint64_t>{0, 1, 2}));
    const Reply next = AppendAndWait(*second, CouncilRequest("c3"));
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(IndexOf(next), 3U);
    EXPECT_EQ(observer.indices.back(), 3U);
    ExpectOneLinearVerifiedLedger(4);
}

ledger::Hash CredentialOf(std::uint8_t fill)
{
    ledger::Hash credential{};
    credential.fill(fill);
    return credential;
}

TEST_F(PgSequencerTest, RefusesARequestWhoseCredentialIsNoLongerValid)
{
    const ledger::Hash good = CredentialOf(1), revoked = CredentialOf(2);
    // Of the credentials asked about, only `good` holds.
    auto sequencer = StartSequencer(nullptr, "SELECT h FROM unnest(CAST($1 AS text[])) AS t(h) "
                                             "WHERE h = '" +
                                                 ledger::ToHex(good) + "'");
    ASSERT_NE(sequencer, nullptr);
    auto first = CouncilRequest("c0");
    first.claim = Claim("key-1", 1);
    first.credential = good;
    const Reply accepted = AppendAndWait(*sequencer, std::move(first));
    ASSERT_TRUE(accepted.has_value());
    EXPECT_EQ(IndexOf(accepted), 0U);

    auto second = CouncilRequest("c1");
    second.claim = Claim("key-2", 2);
    second.credential = revoked;
    const Reply refused = AppendAndWait(*sequencer, std::move(second));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), AppendFailure::credential_refused);
    EXPECT_EQ(Count("entries"), 1);
    EXPECT_EQ(Count("idempotency_records"), 1); // Nothing kept under key-2.

    // A stored answer is not given to a refused credential either.
    auto replay = CouncilRequest("c0");
    replay.claim = Claim("key-1", 1);
    replay.credential = revoked;
    const Reply not_replayed = AppendAndWait(*sequencer, std::move(replay));
    ASSERT_FALSE(not_replayed.has_value());
    EXPECT_EQ(not_replayed.error(), AppendFailure::credential_refused);

    // key-2 was never bound: with a valid credential the same request is appended, not replayed.
    auto retry = CouncilRequest("c1");
    retry.claim = Claim("key-2", 2);
    retry.credential = good;
    const Reply appended = AppendAndWait(*sequencer, std::move(retry));
    ASSERT_TRUE(appended.has_value());
    EXPECT_FALSE(appended->replayed);
    EXPECT_EQ(IndexOf(appended), 1U);

    // A request without a credential needs none.
    const Reply plain = AppendAndWait(*sequencer, CouncilRequest("c2"));
    ASSERT_TRUE(plain.has_value());
    ExpectOneLinearVerifiedLedger(3);
}

TEST_F(PgSequencerTest, RefusesEveryCredentialWhenNothingCanCheckThem)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    auto request = CouncilRequest("c0");
    request.credential = CredentialOf(1);
    const Reply refused = AppendAndWait(*sequencer, std::move(request));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), AppendFailure::credential_refused);
    EXPECT_EQ(Count("entries"), 0);
}

TEST_F(PgSequencerTest, InconsistentCheckpointMakesItReadOnly)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c1")));
    // A checkpoint of size 3 with a root no real ledger has: the next batch cannot extend it.
    m_db->Owner() << "INSERT INTO checkpoints (tree_size, root, note) VALUES "
                     "(3, decode(repeat('ee', 32), 'hex'), 'forged')";
    const Reply refused = AppendAndWait(*sequencer, CouncilRequest("c2"));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), AppendFailure::read_only);
    EXPECT_TRUE(sequencer->IsReadOnly());
    EXPECT_EQ(Count("entries"), 2); // Rolled back.
    // The refused batch had made its stored hashes; none of them was handed on.
    EXPECT_EQ(HandedOnHashes(), StoredHashesInTable());
    const Reply later = AppendAndWait(*sequencer, CouncilRequest("c3"));
    ASSERT_FALSE(later.has_value());
    EXPECT_EQ(later.error(), AppendFailure::read_only);
    EXPECT_EQ(sequencer->Size(), 2U);
}

TEST_F(PgSequencerTest, ADraftThatThrowsFailsItsOwnRequestOnly)
{
    // A bug in one request's draft must not fail the others in its batch, nor make every retry
    // of it replay the whole ledger into the observers.
    RecordingObserver observer;
    auto sequencer = StartSequencer(&observer);
    ASSERT_NE(sequencer, nullptr);
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));
    const int resets = observer.resets;
    ledger::AppendRequest throwing = CouncilRequest("c-bug");
    throwing.make_draft = []() -> boost::system::result<ledger::Entry, ledger::Failure> {
        throw std::runtime_error("a bug in a draft");
    };
    std::promise<Reply> bug_answered, good_answered;
    sequencer->Submit(std::move(throwing), [&](Reply reply) { bug_answered.set_value(reply); });
    sequencer->Submit(CouncilRequest("c1"), [&](Reply reply) { good_answered.set_value(reply); });
    const Reply bug = bug_answered.get_future().get();
    ASSERT_FALSE(bug.has_value());
    EXPECT_EQ(bug.error(), AppendFailure::unavailable);
    EXPECT_TRUE(good_answered.get_future().get().has_value());
    EXPECT_EQ(observer.resets, resets);
    EXPECT_TRUE(sequencer->ObserversShowCommitted());
    ExpectOneLinearVerifiedLedger(2);
}

TEST_F(PgSequencerTest, CheckpointsDeletedBehindWhatItSignedMakeItReadOnly)
{
    // A process remembers the last checkpoint it signed and committed: stored history that falls
    // behind it (rows deleted, here all of them) would let the next signature start elsewhere.
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c1")));
    AlterWithTriggerOff("checkpoints", "DELETE FROM checkpoints");
    ExpectAppendRefusedReadOnly(*sequencer, "c2", 2);
    EXPECT_EQ(Count("checkpoints"), 0);
}

TEST_F(PgSequencerTest, AnEmptyNoteIsNotTakenForOneThisProcessSigned)
{
    // After a start this process has signed nothing, so its last note is empty: a stored row
    // whose note is empty too must be checked as any other, not taken for its own.
    {
        auto sequencer = StartSequencer();
        ASSERT_NE(sequencer, nullptr);
        ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));
    }
    AlterWithTriggerOff("checkpoints", "UPDATE checkpoints SET note = ''");
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    ExpectAppendRefusedReadOnly(*sequencer, "c1", 1);
}

/** The latest checkpoint row's size and root are what the next checkpoint extends; only its
 * note is signed. A note that is not the log key's over that size and root must not be taken
 * for it, whichever process wrote the row: appends turn read-only. */
class PgSequencerLatestNoteTest : public PgSequencerTest
{
protected:
    void ExpectReadOnlyWithLatestNote(const std::function<std::string()>& forged_note)
    {
        {
            auto sequencer = StartSequencer();
            ASSERT_NE(sequencer, nullptr);
            ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));
            ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c1")));
        }
        const std::string note = forged_note();
        // Only a superuser or the tables' owner, with the trigger disabled, can do this.
        m_db->Owner() << "ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_no_change";
        m_db->Owner() << "UPDATE checkpoints SET note = :note WHERE tree_size = 2", soci::use(note);
        m_db->Owner() << "ALTER TABLE checkpoints ENABLE ALWAYS TRIGGER checkpoints_no_change";
        auto sequencer = StartSequencer();
        ASSERT_NE(sequencer, nullptr);
        ExpectAppendRefusedReadOnly(*sequencer, "c2", 2);
        EXPECT_EQ(Count("checkpoints"), 2);
    }
};

TEST_F(PgSequencerLatestNoteTest, ANoteByAnotherKeyOfTheSameNameMakesItReadOnly)
{
    ExpectReadOnlyWithLatestNote([this]() -> std::string {
        const std::array<std::uint8_t, ledger::ED25519_SEED_BYTES> seed{0x17};
        const auto other = ledger::SignerKey::FromSeed(LOG_NAME, ledger::KeyType::ed25519, seed);
        std::string root;
        m_db->Owner() << "SELECT encode(root, 'hex') FROM checkpoints WHERE tree_size = 2",
            soci::into(root);
        const auto signed_note = ledger::SignCheckpoint(
            ledger::Checkpoint{std::string(LOG_NAME), 2, *ledger::HashFromHex(root), {}}, *other);
        EXPECT_TRUE(signed_note.has_value());
        return signed_note ? *signed_note : std::string{};
    });
}

TEST_F(PgSequencerLatestNoteTest, TheLogsNoteOfAnotherSizeMakesItReadOnly)
{
    ExpectReadOnlyWithLatestNote([this] {
        std::string note;
        m_db->Owner() << "SELECT note FROM checkpoints WHERE tree_size = 1", soci::into(note);
        return note;
    });
}

TEST_F(PgSequencerTest, TheLogsOwnNoteOverAnotherTreeMakesItReadOnly)
{
    // The log key's genuine signature over a root this tree does not have (a fork signed by
    // another process holding the key, or entries and stored hashes rewritten to agree after
    // the checkpoint): the row and its note pass every check of their own, and only the
    // consistency proof from it to the next checkpoint shows that one would not extend it.
    {
        auto sequencer = StartSequencer();
        ASSERT_NE(sequencer, nullptr);
        ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));
        ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c1")));
    }
    ledger::Hash other_root{};
    other_root.fill(0xee);
    const auto note = ledger::SignCheckpoint(
        ledger::Checkpoint{std::string(LOG_NAME), 2, other_root, {}}, *m_signer);
    ASSERT_TRUE(note.has_value());
    const std::string root_hex = ledger::ToHex(other_root);
    m_db->Owner() << "ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_no_change";
    m_db->Owner() << "UPDATE checkpoints SET root = decode(:root, 'hex'), note = :note "
                     "WHERE tree_size = 2",
        soci::use(root_hex, "root"), soci::use(*note, "note");
    m_db->Owner() << "ALTER TABLE checkpoints ENABLE ALWAYS TRIGGER checkpoints_no_change";
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    ExpectAppendRefusedReadOnly(*sequencer, "c2", 2);
}

TEST_F(PgSequencerTest, AlteredEntryRefusesToStart)
{
    {
        auto sequencer = StartSequencer();
        ASSERT_NE(sequencer, nullptr);
        ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));
        ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c1")));
    }
    // Only a superuser with the trigger disabled can do this; the replay must notice.
    m_db->Owner() << "ALTER TABLE entries DISABLE TRIGGER entries_no_change";
    m_db->Owner() << "UPDATE entries SET body = replace(body, 'Wijkraad c1', 'Wijkraad cX') "
                     "WHERE leaf_index = 1";
    m_db->Owner() << "ALTER TABLE entries ENABLE ALWAYS TRIGGER entries_no_change";
    ledger::pg::SequencerOptions options;
    options.dsn = m_db->Dsn();
    options.schema = m_db->Schema();
    options.signer = m_signer;
    auto refused = ledger::pg::PgSequencer::Start(std::move(options));
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ledger::Errc::root_mismatch);
}

TEST_F(PgSequencerTest, RecoversAfterLosingItsConnection)
{
    RecordingObserver observer;
    ledger::pg::SequencerOptions options;
    // The application name finds this sequencer's backend among other tests' connections.
    options.dsn = DsnNamedAfterSchema();
    options.schema = m_db->Schema();
    options.signer = m_signer;
    options.observers.push_back(&observer);
    auto sequencer = ledger::pg::PgSequencer::Start(std::move(options));
    ASSERT_TRUE(sequencer.has_value());
    ASSERT_TRUE(AppendAndWait(**sequencer, CouncilRequest("c0")));
    std::int64_t terminated = 0;
    m_db->Owner() << "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     "WHERE application_name = :name",
        soci::use(m_db->Schema()), soci::into(terminated);
    ASSERT_EQ(terminated, 1);
    std::int64_t left = 1;
    for (int poll = 0; poll < LOCK_POLLS_MAX && left > 0; ++poll) {
        std::this_thread::sleep_for(LOCK_POLL_INTERVAL);
        m_db->Owner() << "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name",
            soci::use(m_db->Schema()), soci::into(left);
    }
    ASSERT_EQ(left, 0) << "the sequencer's backend did not end";
    // The batch that meets the dead connection fails before its COMMIT went out, so nothing of it
    // was stored: it is tried again on a new connection, and appended, as the database restarted
    // while the sequencer was idle would have it.
    const Reply during = AppendAndWait(**sequencer, CouncilRequest("c1"));
    ASSERT_TRUE(during.has_value());
    EXPECT_EQ(IndexOf(during), 1U);
    const Reply after = AppendAndWait(**sequencer, CouncilRequest("c2"));
    ASSERT_TRUE(after.has_value());
    EXPECT_EQ(IndexOf(after), 2U);
    EXPECT_EQ(observer.indices, (std::vector<std::uint64_t>{0, 1, 2}));
    EXPECT_FALSE((*sequencer)->IsReadOnly());
    ExpectOneLinearVerifiedLedger(3);
}

TEST_F(PgSequencerTest, ABatchWaitsForTheLedgersLockOnlySoLong)
{
    // Another process's stalled batch (its host frozen) holds the lock until its session ends:
    // a batch here gives up after lock_wait_max and answers "unavailable" (a retry is safe),
    // rather than hold every request, and Stop, until then.
    auto started = StartSequencer(nullptr, {}, [](ledger::pg::SequencerOptions& options) {
        options.transient_retries_max = 0;
        options.lock_wait_max = std::chrono::milliseconds{300};
    });
    ASSERT_NE(started, nullptr);
    auto& sequencer = *started;
    ASSERT_TRUE(AppendAndWait(sequencer, CouncilRequest("c0")));
    const std::int64_t key = ledger::pg::LedgerLockKey(m_db->Schema());
    m_db->Owner() << "SELECT pg_advisory_lock(:key)", soci::use(key);
    std::promise<Reply> answered;
    sequencer.Submit(CouncilRequest("c1"), [&answered](Reply reply) { answered.set_value(reply); });
    auto future = answered.get_future();
    const bool prompt = future.wait_for(std::chrono::seconds{10}) == std::future_status::ready;
    m_db->Owner() << "SELECT pg_advisory_unlock(:key)", soci::use(key);
    ASSERT_TRUE(prompt) << "the batch still waits for the lock";
    const Reply reply = future.get();
    ASSERT_FALSE(reply.has_value());
    EXPECT_EQ(reply.error(), AppendFailure::unavailable);
    EXPECT_FALSE(sequencer.IsReadOnly());
    // Once the lock is free, appends go on.
    ASSERT_TRUE(AppendAndWait(sequencer, CouncilRequest("c2")));
    ExpectOneLinearVerifiedLedger(2);
}

TEST_F(PgSequencerTest, SyncDoesNotWaitForABatchStuckOnTheDatabase)
{
    ledger::pg::SequencerOptions options;
    // The application name finds this sequencer's backend among other tests' connections.
    options.dsn = DsnNamedAfterSchema();
    options.schema = m_db->Schema();
    options.signer = m_signer;
    auto started = ledger::pg::PgSequencer::Start(std::move(options));
    ASSERT_TRUE(started.has_value());
    auto& sequencer = **started;
    ASSERT_TRUE(AppendAndWait(sequencer, CouncilRequest("c0")));

    // Another session holds the ledger's lock, as another server's stalled batch would: the next
    // batch waits for it, holding the sequencer's state all the while.
    const std::int64_t key = ledger::pg::LedgerLockKey(m_db->Schema());
    m_db->Owner() << "SELECT pg_advisory_lock(:key)", soci::use(key);
    std::promise<Reply> answered;
    sequencer.Submit(CouncilRequest("c1"), [&answered](Reply reply) { answered.set_value(reply); });
    ASSERT_NO_FATAL_FAILURE(ExpectBatchWaitingForTheLock());

    // Readers call Sync: they get the size as it stands after a bounded wait, not after the lock.
    auto syncing = std::async(std::launch::async, [&sequencer] { return sequencer.Sync(); });
    const bool prompt = syncing.wait_for(std::chrono::seconds{2}) == std::future_status::ready;
    m_db->Owner() << "SELECT pg_advisory_unlock(:key)", soci::use(key);
    EXPECT_TRUE(prompt) << "Sync waited for the batch stuck on the ledger's lock";
    const auto synced = syncing.get();
    ASSERT_TRUE(synced.has_value());
    if (prompt) {
        EXPECT_EQ(*synced, 1U);
    }

    const Reply reply = answered.get_future().get();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(IndexOf(reply), 1U);
    EXPECT_EQ(*sequencer.Sync(), 2U);
}

/** Readers of the projections call SyncReader on every read: longer than any wait below, so
 *  that only what SyncReader waits for decides when it answers. */
constexpr std::chrono::seconds READER_WAIT_MAX{10};

TEST_F(PgSequencerTest, SyncReaderWaitsForTheBatchSealingButNotForTheLedgersLock)
{
    // Holds the sequencer's thread once it has shown the observers entry 1, before the commit.
    class HoldingObserver final : public ledger::EntryObserver
    {
    public:
        void Reset() override {}
        void Observe(const ledger::Entry& entry) override
        {
            if (entry.index.value != 1 || held) return;
            held = true;
            shown.set_value();
            released.wait();
        }
        bool held{false};
        std::promise<void> shown;
        std::shared_future<void> released;
    } holding;
    std::promise<void> release;
    holding.released = release.get_future().share();
    // Set on every way out before the sequencer goes (declared after it): its Stop would wait
    // for a thread held in the observer.
    struct ReleaseOnExit {
        std::promise<void>& release;
        bool released{false};
        void Now()
        {
            if (!std::exchange(released, true)) release.set_value();
        }
        ~ReleaseOnExit() { Now(); }
    };
    auto sequencer = StartSequencer(nullptr, {}, [&](ledger::pg::SequencerOptions& options) {
        options.observers.push_back(&holding);
        options.sync_wait_max = READER_WAIT_MAX;
        // The application name finds this sequencer's backend among other tests' connections.
        options.dsn = DsnNamedAfterSchema();
    });
    ReleaseOnExit release_on_exit{release};
    ASSERT_NE(sequencer, nullptr);
    ASSERT_TRUE(AppendAndWait(*sequencer, CouncilRequest("c0")));

    // A batch whose entry 1 the observers hold before its commit: a reader waits for that
    // commit (as it waits in Sync for the batch).
    std::promise<Reply> answered;
    sequencer->Submit(CouncilRequest("c1"),
                      [&answered](Reply reply) { answered.set_value(reply); });
    ASSERT_EQ(holding.shown.get_future().wait_for(READER_WAIT_MAX), std::future_status::ready)
        << "entry 1 never reached the observers";
    auto reading = std::async(std::launch::async, [&sequencer] { return sequencer->SyncReader(); });
    EXPECT_EQ(reading.wait_for(std::chrono::milliseconds{300}), std::future_status::timeout)
        << "the reader did not wait for the batch sealing entry 1";
    release_on_exit.Now();
    const auto read = reading.get();
    ASSERT_TRUE(read.has_value()) << read.error().Describe();
    EXPECT_EQ(*read, 2U) << "the reader answered before the batch committed";
    ASSERT_TRUE(answered.get_future().get().has_value());

    // A batch waiting for the ledger's lock (another process's stalled batch holds it) has
    // sealed nothing: readers find nothing appended, without the sequencer's lock or session.
    const std::int64_t key = ledger::pg::LedgerLockKey(m_db->Schema());
    m_db->Owner() << "SELECT pg_advisory_lock(:key)", soci::use(key);
    std::promise<Reply> waited;
    sequencer->Submit(CouncilRequest("c2"), [&waited](Reply reply) { waited.set_value(reply); });
    ASSERT_NO_FATAL_FAILURE(ExpectBatchWaitingForTheLock());
    auto prompt = std::async(std::launch::async, [&sequencer] { return sequencer->SyncReader(); });
    const bool answered_promptly =
        prompt.wait_for(std::chrono::seconds{2}) == std::future_status::ready;
    m_db->Owner() << "SELECT pg_advisory_unlock(:key)", soci::use(key);
    EXPECT_TRUE(answered_promptly) << "SyncReader waited for the batch stuck on the lock";
    const auto size = prompt.get();
    ASSERT_TRUE(size.has_value());
    if (answered_promptly) {
        EXPECT_EQ(*size, 2U);
    }
    ASSERT_TRUE(waited.get_future().get().has_value());
}

TEST_F(PgSequencerTest, SyncReaderCatchesUpWithAnotherProcess)
{
    RecordingObserver observer_one, observer_two;
    auto one = StartSequencer(&observer_one);
    auto two = StartSequencer(&observer_two);
    ASSERT_NE(one, nullptr);
    ASSERT_NE(two, nullptr);
    ASSERT_TRUE(AppendAndWait(*one, CouncilRequest("c0")));
    ASSERT_TRUE(AppendAndWait(*one, CouncilRequest("c1")));
    const auto read = two->SyncReader();
    ASSERT_TRUE(read.has_value()) << read.error().Describe();
    EXPECT_EQ(*read, 2U);
    EXPECT_EQ(observer_two.indices, (std::vector<std::uint64_t>{0, 1}));
    EXPECT_EQ(two->Size(), 2U);
    EXPECT_TRUE(two->ObserversShowCommitted());
}

TEST_F(PgSequencerTest, StopAnswersQueuedRequestsThenRefuses)
{
    auto sequencer = StartSequencer();
    ASSERT_NE(sequencer, nullptr);
    std::promise<Reply> queued;
    sequencer->Submit(CouncilRequest("c0"), [&](Reply reply) { queued.set_value(reply); });
    sequencer->Stop();
    EXPECT_FALSE(sequencer->IsRunning());
    EXPECT_TRUE(queued.get_future().get().has_value());
    const Reply late = AppendAndWait(*sequencer, CouncilRequest("c1"));
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error(), AppendFailure::shutting_down);
}

TEST_F(PgSequencerTest, CheckDurabilityRefusesSynchronousCommitOff)
{
    EXPECT_TRUE(ledger::pg::CheckDurability(m_db->Owner()).has_value());
    m_db->Owner() << "SET synchronous_commit = off";
    auto refused = ledger::pg::CheckDurability(m_db->Owner());
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ledger::Errc::storage_unavailable);
    EXPECT_NE(refused.error().where.find("synchronous_commit"), std::string::npos);
    m_db->Owner() << "RESET synchronous_commit";
}

TEST_F(PgSequencerTest, StartRefusesBadOptions)
{
    ledger::pg::SequencerOptions options;
    options.dsn = m_db->Dsn();
    options.schema = "bad name";
    options.signer = m_signer;
    EXPECT_EQ(ledger::pg::PgSequencer::Start(options).error().code, ledger::Errc::field_invalid);
    options.schema = m_db->Schema();
    options.signer = nullptr;
    EXPECT_EQ(ledger::pg::PgSequencer::Start(options).error().code, ledger::Errc::key_malformed);
    options.signer = m_signer;
    options.batch_entries_max = ledger::pg::SEQUENCER_BATCH_ENTRIES_MAX + 1;
    EXPECT_EQ(ledger::pg::PgSequencer::Start(options).error().code, ledger::Errc::field_invalid);
}

} // namespace
} // namespace wijkbudget::testing
