#include "ledger/base64.hpp"
#include "ledger/cosignature.hpp"
#include "ledger/errc.hpp"
#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"
#include "ledger/receipt.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace wijkbudget::ledger {
namespace {

constexpr std::string_view LOG_NAME{"log.wijkbudget.example"};
constexpr std::uint64_t LEAVES{13};

std::string EntryBytes(std::uint64_t index)
{
    return "{\"entry\":" + std::to_string(index) + "}";
}

//! A log of 13 entries, its key, a witness, and the receipt of entry 5 in the cosigned tree.
class ReceiptTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        const std::array<std::uint8_t, ED25519_SEED_BYTES> log_seed{1};
        const std::array<std::uint8_t, ED25519_SEED_BYTES> witness_seed{2};
        m_log = *SignerKey::FromSeed(LOG_NAME, KeyType::ed25519, log_seed);
        m_witness =
            *SignerKey::FromSeed("auditor.example", KeyType::cosignature_ed25519, witness_seed);
        for (std::uint64_t index = 0; index < LEAVES; ++index)
            m_store.Append(LeafHash(EntryBytes(index)));
        const Checkpoint checkpoint{std::string(LOG_NAME), LEAVES, *TreeHash(LEAVES, m_store), {}};
        m_checkpoint = *AddSignatureLine(*SignCheckpoint(checkpoint, *m_log),
                                         *Cosign(checkpoint, *m_witness, 1'800'000'000));
    }
    Receipt ReceiptOf(std::uint64_t index) const
    {
        return Receipt{std::nullopt, index, *ProveInclusion(index, LEAVES, m_store), m_checkpoint};
    }
    boost::system::result<OpenedCheckpoint> Verify(const std::string& text, std::uint64_t entry,
                                                   bool with_witness = true) const
    {
        std::vector<VerifierKey> witnesses;
        if (with_witness) witnesses.push_back(VerifierKeyOf(*m_witness));
        return VerifyReceipt(text, EntryBytes(entry), VerifierKeyOf(*m_log), witnesses);
    }

    std::optional<SignerKey> m_log;
    std::optional<SignerKey> m_witness;
    MemoryHashStore m_store;
    std::string m_checkpoint;
};

TEST_F(ReceiptTest, FormatHasTheTlogProofLayoutAndRoundTrips)
{
    Receipt receipt = ReceiptOf(5);
    receipt.extra = std::vector<std::uint8_t>{'h', 'i'};
    const std::string text = FormatReceipt(receipt);
    EXPECT_TRUE(text.starts_with("c2sp.org/tlog-proof@v1\nextra aGk=\nindex 5\n")) << text;
    EXPECT_NE(text.find("\n\n" + std::string(LOG_NAME) + "\n13\n"), std::string::npos) << text;
    EXPECT_EQ(*ParseReceipt(text), receipt);
}

TEST_F(ReceiptTest, AcceptsExactlyTheReceiptsThatProveTheEntry)
{
    for (std::uint64_t index = 0; index < LEAVES; ++index) {
        const std::string text = FormatReceipt(ReceiptOf(index));
        EXPECT_TRUE(Verify(text, index).has_value()) << index;
        EXPECT_FALSE(Verify(text, (index + 1) % LEAVES).has_value()) << index;
    }
    Receipt other_index = ReceiptOf(5);
    other_index.index = 6;
    EXPECT_FALSE(Verify(FormatReceipt(other_index), 5).has_value());
    Receipt flipped = ReceiptOf(5);
    flipped.proof[1][0] ^= 1U;
    EXPECT_EQ(Verify(FormatReceipt(flipped), 5).error(), Errc::root_mismatch);
    Receipt short_proof = ReceiptOf(5);
    short_proof.proof.pop_back();
    EXPECT_EQ(Verify(FormatReceipt(short_proof), 5).error(), Errc::proof_wrong_length);
    Receipt beyond = ReceiptOf(5);
    beyond.index = LEAVES;
    EXPECT_EQ(Verify(FormatReceipt(beyond), 5).error(), Errc::index_out_of_range);
}

TEST_F(ReceiptTest, AReceiptWithEveryPartAtItsLimitParses)
{
    // The largest extra, the most proof hashes, the longest index and a note of the largest size:
    // each is allowed, so all of them at once must be too.
    Receipt largest{std::vector<std::uint8_t>(RECEIPT_EXTRA_BYTES_MAX, 0xAB),
                    std::numeric_limits<std::uint64_t>::max(),
                    std::vector<Hash>(RECEIPT_PROOF_HASHES_MAX, Hash{}),
                    std::string(NOTE_BYTES_MAX, 'n')};
    const std::string text = FormatReceipt(largest);
    EXPECT_EQ(text.size(), RECEIPT_BYTES_MAX);
    const auto parsed = ParseReceipt(text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
    EXPECT_EQ(*parsed, largest);
    EXPECT_EQ(ParseReceipt(text + "n").error(), Errc::note_malformed);
}

TEST_F(ReceiptTest, AWitnessKeyCannotStandInForTheLogKey)
{
    // A checkpoint carrying only a cosignature, by a witness whose name is the log's origin:
    // given that witness's key as the log key, it must not pass as signed by the log.
    const std::array<std::uint8_t, ED25519_SEED_BYTES> seed{9};
    const auto witness = *SignerKey::FromSeed(LOG_NAME, KeyType::cosignature_ed25519, seed);
    const Checkpoint checkpoint{std::string(LOG_NAME), LEAVES, *TreeHash(LEAVES, m_store), {}};
    const std::string note =
        *FormatCheckpoint(checkpoint) + "\n" + *Cosign(checkpoint, witness, 1'800'000'000);
    EXPECT_EQ(OpenCheckpoint(note, VerifierKeyOf(witness), {}).error(), Errc::key_malformed);
    Receipt receipt = ReceiptOf(3);
    receipt.checkpoint = note;
    EXPECT_EQ(
        VerifyReceipt(FormatReceipt(receipt), EntryBytes(3), VerifierKeyOf(witness), {}).error(),
        Errc::key_malformed);
}

TEST_F(ReceiptTest, NeedsTheLogSignatureAndEveryRequiredWitness)
{
    Receipt unwitnessed = ReceiptOf(3);
    const Checkpoint checkpoint{std::string(LOG_NAME), LEAVES, *TreeHash(LEAVES, m_store), {}};
    unwitnessed.checkpoint = *SignCheckpoint(checkpoint, *m_log);
    EXPECT_EQ(Verify(FormatReceipt(unwitnessed), 3).error(), Errc::signature_missing);
    EXPECT_TRUE(Verify(FormatReceipt(unwitnessed), 3, false).has_value());
    const std::array<std::uint8_t, ED25519_SEED_BYTES> other_seed{3};
    const auto other_log = *SignerKey::FromSeed(LOG_NAME, KeyType::ed25519, other_seed);
    Receipt forged = ReceiptOf(3);
    forged.checkpoint = *SignCheckpoint(checkpoint, other_log);
    EXPECT_FALSE(Verify(FormatReceipt(forged), 3, false).has_value());
}

TEST_F(ReceiptTest, RejectsEveryMalformedLayout)
{
    const std::string good = FormatReceipt(ReceiptOf(5));
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        text.replace(text.find(from), from.size(), to);
        return text;
    };
    for (const std::string& bad :
         {replaced("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"),
          replaced("index 5", "index 05"), replaced("index 5", "index -5"),
          replaced("index 5", "index5"), replaced("index 5\n", ""), replaced("\n\n", "\n"),
          replaced("index 5", "extra !!\nindex 5"), good.substr(0, good.find("\n\n") + 2),
          std::string("c2sp.org/tlog-proof@v1")}) {
        auto parsed = ParseReceipt(bad);
        ASSERT_FALSE(parsed.has_value()) << bad;
        EXPECT_EQ(parsed.error(), Errc::note_malformed) << bad;
    }
    const std::string first_hash = ToBase64(ReceiptOf(5).proof[0]);
    EXPECT_EQ(
        ParseReceipt(replaced(first_hash, ToBase64(std::vector<std::uint8_t>(31, 7)))).error(),
        Errc::hash_wrong_size);
    EXPECT_EQ(ParseReceipt(replaced(first_hash, "not*base64")).error(), Errc::note_malformed);
}

} // namespace
} // namespace wijkbudget::ledger
