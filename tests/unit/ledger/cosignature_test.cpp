#include "ledger/base64.hpp"
#include "ledger/cosignature.hpp"
#include "ledger/errc.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

constexpr std::string_view LOG_NAME{"wijkraad.example/ledger"};
constexpr std::string_view WITNESS_NAME{"gemeente.example/auditor"};
constexpr std::uint64_t TIMESTAMP{1679315147};

SignerKey SignerOf(std::string_view name, std::uint8_t seed_byte, KeyType type)
{
    std::array<std::uint8_t, ED25519_SEED_BYTES> seed{};
    seed.fill(seed_byte);
    auto signer = SignerKey::FromSeed(name, type, seed);
    EXPECT_TRUE(signer.has_value());
    return std::move(signer.value());
}

Checkpoint LogCheckpoint(std::uint64_t size = 42)
{
    Hash root{};
    root.fill(0xCD);
    return Checkpoint{std::string(LOG_NAME), size, root, {}};
}

//! The keys of one log and one witness, and a checkpoint note the log signed.
struct Fixture {
    SignerKey log = SignerOf(LOG_NAME, 1, KeyType::ed25519);
    SignerKey witness = SignerOf(WITNESS_NAME, 2, KeyType::cosignature_ed25519);
    Checkpoint checkpoint = LogCheckpoint();
    std::string note = SignCheckpoint(checkpoint, log).value();

    [[nodiscard]] std::string Cosigned(std::uint64_t timestamp = TIMESTAMP) const
    {
        return AddSignatureLine(note, Cosign(checkpoint, witness, timestamp).value()).value();
    }
    [[nodiscard]] std::vector<VerifierKey> Witnesses() const { return {VerifierKeyOf(witness)}; }
};

//! The bytes of the last signature line of note, key id first.
std::vector<std::uint8_t> LastSignatureOf(const std::string& note)
{
    const std::size_t space = note.rfind(' ');
    return FromBase64(std::string_view{note}.substr(space + 1, note.size() - space - 2)).value();
}

std::string ReplaceLastSignature(const std::string& note, const std::vector<std::uint8_t>& blob)
{
    const std::size_t space = note.rfind(' ');
    return note.substr(0, space + 1) + ToBase64(blob) + "\n";
}

TEST(CosignatureTest, MessageHasHeaderTimeLineAndBody)
{
    // The example of c2sp.org/tlog-cosignature, "Ed25519 signed message".
    const std::string body{"example.com/behind-the-sofa\n20852163\n"
                           "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"};
    EXPECT_EQ(CosignatureMessage(body, 1679315147), "cosignature/v1\ntime 1679315147\n" + body);
    EXPECT_EQ(CosignatureMessage(body, 0), "cosignature/v1\ntime 0\n" + body);
}

TEST(CosignatureTest, WitnessKeyUsesTypeFour)
{
    const SignerKey witness = SignerOf(WITNESS_NAME, 2, KeyType::cosignature_ed25519);
    const VerifierKey key = VerifierKeyOf(witness);
    EXPECT_EQ(key.type, KeyType::cosignature_ed25519);
    EXPECT_EQ(key.key_id, ComputeKeyId(WITNESS_NAME, KeyType::cosignature_ed25519, key.public_key));
    EXPECT_NE(key.key_id, ComputeKeyId(WITNESS_NAME, KeyType::ed25519, key.public_key));
    const std::string text = FormatVerifierKey(key);
    const std::string prefix = std::string(WITNESS_NAME) + "+" + FormatKeyId(key.key_id) + "+";
    ASSERT_TRUE(text.starts_with(prefix));
    const auto blob = FromBase64(text.substr(prefix.size()));
    ASSERT_TRUE(blob.has_value());
    ASSERT_EQ(blob->size(), 33U);
    EXPECT_EQ(blob->front(), 0x04);
    EXPECT_EQ(ParseVerifierKey(text).value(), key);
}

TEST(CosignatureTest, GeneratedWitnessKeyRoundTrips)
{
    const auto text = GenerateSignerKey(WITNESS_NAME, KeyType::cosignature_ed25519);
    ASSERT_TRUE(text.has_value());
    const auto witness = ParseSignerKey(*text);
    ASSERT_TRUE(witness.has_value());
    EXPECT_EQ(witness->Type(), KeyType::cosignature_ed25519);
    const Checkpoint checkpoint = LogCheckpoint();
    const SignerKey log = SignerOf(LOG_NAME, 1, KeyType::ed25519);
    const auto note = AddSignatureLine(SignCheckpoint(checkpoint, log).value(),
                                       Cosign(checkpoint, *witness, TIMESTAMP).value());
    ASSERT_TRUE(note.has_value());
    const std::vector<VerifierKey> witnesses{
        ParseVerifierKey(FormatVerifierKey(VerifierKeyOf(*witness))).value()};
    EXPECT_TRUE(OpenCheckpoint(*note, VerifierKeyOf(log), witnesses).has_value());
}

TEST(CosignatureTest, SignatureLineHoldsKeyIdTimestampAndSignature)
{
    const Fixture fixture;
    const auto line = Cosign(fixture.checkpoint, fixture.witness, TIMESTAMP);
    ASSERT_TRUE(line.has_value());
    EXPECT_TRUE(
        line->starts_with(std::string(SIGNATURE_LINE_PREFIX) + std::string(WITNESS_NAME) + " "));
    const auto blob = LastSignatureOf(*line);
    ASSERT_EQ(blob.size(), KEY_ID_BYTES + COSIGNATURE_BYTES);
    const KeyId key_id = fixture.witness.Id();
    EXPECT_EQ(blob[0], static_cast<std::uint8_t>(key_id >> 24U));
    EXPECT_EQ(blob[3], static_cast<std::uint8_t>(key_id));
    std::uint64_t timestamp = 0;
    for (std::size_t index = 4; index < 12; ++index) {
        timestamp = (timestamp << 8U) | blob[index];
    }
    EXPECT_EQ(timestamp, TIMESTAMP);

    // The Ed25519 part signs the cosignature message.
    const std::span<const std::uint8_t> signature{blob.data() + 12, ED25519_SIGNATURE_BYTES};
    const std::string body = FormatCheckpoint(fixture.checkpoint).value();
    EXPECT_TRUE(
        VerifyEd25519(fixture.witness.Public(), CosignatureMessage(body, TIMESTAMP), signature)
            .has_value());
}

TEST(CosignatureTest, CosignedCheckpointVerifies)
{
    const Fixture fixture;
    const auto opened =
        OpenCheckpoint(fixture.Cosigned(), VerifierKeyOf(fixture.log), fixture.Witnesses());
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->checkpoint, fixture.checkpoint);
    ASSERT_EQ(opened->signatures.size(), 2U);
    EXPECT_EQ(opened->signatures[0], (NoteSignature{std::string(LOG_NAME), fixture.log.Id(),
                                                    KeyType::ed25519, std::nullopt}));
    EXPECT_EQ(opened->signatures[1], (NoteSignature{std::string(WITNESS_NAME), fixture.witness.Id(),
                                                    KeyType::cosignature_ed25519, TIMESTAMP}));
}

TEST(CosignatureTest, WitnessCosignsWhatItOpened)
{
    // The witness's path: open the log's note, cosign the parsed checkpoint, add the line.
    const Fixture fixture;
    const auto opened = OpenCheckpoint(fixture.note, VerifierKeyOf(fixture.log), {});
    ASSERT_TRUE(opened.has_value());
    const auto line = Cosign(opened->checkpoint, fixture.witness, TIMESTAMP);
    ASSERT_TRUE(line.has_value());
    const auto note = AddSignatureLine(fixture.note, *line);
    ASSERT_TRUE(note.has_value());
    EXPECT_TRUE(OpenCheckpoint(*note, VerifierKeyOf(fixture.log), fixture.Witnesses()).has_value());
}

TEST(CosignatureTest, AcceptsLargestTimestamp)
{
    const Fixture fixture;
    const auto opened = OpenCheckpoint(fixture.Cosigned(COSIGNATURE_TIMESTAMP_MAX),
                                       VerifierKeyOf(fixture.log), fixture.Witnesses());
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->signatures[1].timestamp, COSIGNATURE_TIMESTAMP_MAX);
}

TEST(CosignatureTest, RejectsTamperedTimestamp)
{
    const Fixture fixture;
    auto blob = LastSignatureOf(fixture.Cosigned());
    blob[11] ^= 1U; // The timestamp's last byte.
    const std::string note = ReplaceLastSignature(fixture.Cosigned(), blob);
    EXPECT_EQ(OpenCheckpoint(note, VerifierKeyOf(fixture.log), fixture.Witnesses()).error(),
              Errc::signature_invalid);
}

TEST(CosignatureTest, RejectsTamperedSignature)
{
    const Fixture fixture;
    auto blob = LastSignatureOf(fixture.Cosigned());
    blob[20] ^= 0x80U;
    const std::string note = ReplaceLastSignature(fixture.Cosigned(), blob);
    EXPECT_EQ(OpenCheckpoint(note, VerifierKeyOf(fixture.log), fixture.Witnesses()).error(),
              Errc::signature_invalid);
}

TEST(CosignatureTest, RejectsCosignatureOfAnotherBody)
{
    // The witness cosigned size 43, but the log's note says 42.
    const Fixture fixture;
    const auto line = Cosign(LogCheckpoint(43), fixture.witness, TIMESTAMP);
    ASSERT_TRUE(line.has_value());
    const auto note = AddSignatureLine(fixture.note, *line);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(OpenCheckpoint(*note, VerifierKeyOf(fixture.log), fixture.Witnesses()).error(),
              Errc::signature_invalid);
}

TEST(CosignatureTest, RejectsTamperedBody)
{
    const Fixture fixture;
    std::string note = fixture.Cosigned();
    const std::size_t size_line = note.find("\n42\n");
    ASSERT_NE(size_line, std::string::npos);
    note[size_line + 2] = '3';
    EXPECT_EQ(OpenCheckpoint(note, VerifierKeyOf(fixture.log), fixture.Witnesses()).error(),
              Errc::signature_invalid);
}

TEST(CosignatureTest, RejectsTimestampAboveMaximum)
{
    const Fixture fixture;
    auto blob = LastSignatureOf(fixture.Cosigned());
    blob[4] |= 0x80U; // Timestamp 2^63 or more.
    const std::string note = ReplaceLastSignature(fixture.Cosigned(), blob);
    EXPECT_EQ(OpenCheckpoint(note, VerifierKeyOf(fixture.log), fixture.Witnesses()).error(),
              Errc::signature_invalid);
}

TEST(CosignatureTest, RejectsSignatureOfWrongLength)
{
    const Fixture fixture;
    auto blob = LastSignatureOf(fixture.Cosigned());
    blob.pop_back();
    const std::string note = ReplaceLastSignature(fixture.Cosigned(), blob);
    EXPECT_EQ(OpenCheckpoint(note, VerifierKeyOf(fixture.log), fixture.Witnesses()).error(),
              Errc::signature_invalid);
}

TEST(CosignatureTest, MissingWitnessIsSignatureMissing)
{
    const Fixture fixture;
    EXPECT_EQ(OpenCheckpoint(fixture.note, VerifierKeyOf(fixture.log), fixture.Witnesses()).error(),
              Errc::signature_missing);
    // A second required witness that did not cosign.
    const SignerKey other = SignerOf("gemeente.example/other", 3, KeyType::cosignature_ed25519);
    const std::vector<VerifierKey> both{VerifierKeyOf(fixture.witness), VerifierKeyOf(other)};
    EXPECT_EQ(OpenCheckpoint(fixture.Cosigned(), VerifierKeyOf(fixture.log), both).error(),
              Errc::signature_missing);
}

TEST(CosignatureTest, WitnessAloneIsNotEnough)
{
    const Fixture fixture;
    const SignerKey other_log = SignerOf(LOG_NAME, 4, KeyType::ed25519);
    EXPECT_EQ(
        OpenCheckpoint(fixture.Cosigned(), VerifierKeyOf(other_log), fixture.Witnesses()).error(),
        Errc::signature_missing);
}

TEST(CosignatureTest, UnrequiredWitnessIsIgnored)
{
    const Fixture fixture;
    const auto opened = OpenCheckpoint(fixture.Cosigned(), VerifierKeyOf(fixture.log), {});
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->signatures.size(), 1U);
}

TEST(CosignatureTest, CosignRejectsNoteSigningKey)
{
    const Fixture fixture;
    EXPECT_EQ(Cosign(fixture.checkpoint, fixture.log, TIMESTAMP).error(), Errc::key_malformed);
}

TEST(CosignatureTest, CosignRejectsBadInput)
{
    const Fixture fixture;
    EXPECT_EQ(Cosign(fixture.checkpoint, fixture.witness, COSIGNATURE_TIMESTAMP_MAX + 1).error(),
              Errc::note_malformed);
    Checkpoint bad = fixture.checkpoint;
    bad.origin.clear();
    EXPECT_EQ(Cosign(bad, fixture.witness, TIMESTAMP).error(), Errc::note_malformed);
}

TEST(CosignatureTest, VerifyRejectsKeyOfWrongType)
{
    const Fixture fixture;
    const std::vector<std::uint8_t> signature(COSIGNATURE_BYTES, 0);
    EXPECT_EQ(VerifyCosignature(VerifierKeyOf(fixture.log), "body\n", signature).error(),
              Errc::key_malformed);
}

} // namespace
} // namespace wijkbudget::ledger
