#include "ledger/base64.hpp"
#include "ledger/checkpoint.hpp"
#include "ledger/errc.hpp"
#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

// The example of c2sp.org/tlog-checkpoint.
constexpr std::string_view SPEC_BODY{"example.com/behind-the-sofa\n"
                                     "20852163\n"
                                     "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"};
constexpr std::string_view LOG_NAME{"wijkraad.example/ledger"};

Hash HashOf(std::string_view base64)
{
    const auto bytes = FromBase64(base64);
    EXPECT_TRUE(bytes.has_value());
    Hash hash{};
    EXPECT_EQ(bytes->size(), hash.size());
    std::copy_n(bytes->begin(), std::min(bytes->size(), hash.size()), hash.begin());
    return hash;
}

Checkpoint SpecCheckpoint()
{
    return Checkpoint{"example.com/behind-the-sofa",
                      20852163,
                      HashOf("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="),
                      {}};
}

Checkpoint LogCheckpoint(std::uint64_t size = 42)
{
    Hash root{};
    root.fill(0xAB);
    return Checkpoint{std::string(LOG_NAME), size, root, {}};
}

SignerKey SignerOf(std::string_view name, std::uint8_t seed_byte)
{
    std::array<std::uint8_t, ED25519_SEED_BYTES> seed{};
    seed.fill(seed_byte);
    auto signer = SignerKey::FromSeed(name, KeyType::ed25519, seed);
    EXPECT_TRUE(signer.has_value());
    return std::move(signer.value());
}

TEST(CheckpointTest, FormatsSpecExample)
{
    EXPECT_EQ(FormatCheckpoint(SpecCheckpoint()).value(), SPEC_BODY);
}

TEST(CheckpointTest, ParsesSpecExample)
{
    EXPECT_EQ(ParseCheckpoint(SPEC_BODY).value(), SpecCheckpoint());
}

TEST(CheckpointTest, RoundTripsWithExtensions)
{
    Checkpoint checkpoint = SpecCheckpoint();
    checkpoint.extensions = {"first extension", "\xE2\x80\x94 second"};
    const auto body = FormatCheckpoint(checkpoint);
    ASSERT_TRUE(body.has_value());
    EXPECT_EQ(*body, std::string(SPEC_BODY) + "first extension\n\xE2\x80\x94 second\n");
    EXPECT_EQ(ParseCheckpoint(*body).value(), checkpoint);
}

TEST(CheckpointTest, AcceptsEmptyTreeAndLargestSize)
{
    Checkpoint checkpoint = SpecCheckpoint();
    checkpoint.size = 0;
    EXPECT_EQ(ParseCheckpoint(FormatCheckpoint(checkpoint).value()).value(), checkpoint);
    checkpoint.size = UINT64_MAX;
    const auto body = FormatCheckpoint(checkpoint);
    ASSERT_TRUE(body.has_value());
    EXPECT_NE(body->find("\n18446744073709551615\n"), std::string::npos);
    EXPECT_EQ(ParseCheckpoint(*body).value(), checkpoint);
}

TEST(CheckpointTest, RejectsMalformedTreeSize)
{
    const std::string root{"CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="};
    for (const std::string_view size :
         {"", "00", "01", "+1", "-1", " 1", "1 ", "0x10", "1e3", "18446744073709551616",
          "99999999999999999999", "123456789012345678901", "\xEF\xBC\x91"}) {
        const std::string body = "example.com/log\n" + std::string(size) + "\n" + root + "\n";
        EXPECT_EQ(ParseCheckpoint(body).error(), Errc::note_malformed) << size;
    }
}

TEST(CheckpointTest, RejectsRootOfWrongLength)
{
    for (const std::size_t length : {0UL, 1UL, 31UL, 33UL, 64UL}) {
        const std::vector<std::uint8_t> root(length, 0x11);
        const std::string body = "example.com/log\n5\n" + ToBase64(root) + "\n";
        EXPECT_EQ(ParseCheckpoint(body).error(),
                  length == 0 ? Errc::note_malformed : Errc::hash_wrong_size)
            << length;
    }
}

TEST(CheckpointTest, RejectsBadRootBase64)
{
    for (const std::string_view root : {"CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=",
                                        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=",
                                        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I",
                                        " CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="}) {
        const std::string body = "example.com/log\n5\n" + std::string(root) + "\n";
        EXPECT_EQ(ParseCheckpoint(body).error(), Errc::note_malformed) << root;
    }
}

TEST(CheckpointTest, RejectsMalformedBodies)
{
    const std::string spec{SPEC_BODY};
    const std::string bodies[]{
        "",
        spec.substr(0, spec.size() - 1),                        // No final newline.
        "example.com/behind-the-sofa\n20852163\n",              // No root line.
        "\n" + spec.substr(spec.find('\n') + 1),                // Empty origin.
        spec + "\n",                                            // Empty extension line.
        spec + "extension\n\n",                                 // Empty extension line.
        "example\tcom\n" + spec.substr(spec.find('\n') + 1),    // Control character.
        "example\xC3.com\n" + spec.substr(spec.find('\n') + 1), // Invalid UTF-8.
        spec + "ext\r\n",
    };
    for (const std::string& body : bodies) {
        EXPECT_EQ(ParseCheckpoint(body).error(), Errc::note_malformed) << body;
    }
}

TEST(CheckpointTest, LimitsExtensionLines)
{
    Checkpoint checkpoint = SpecCheckpoint();
    checkpoint.extensions.assign(CHECKPOINT_EXTENSION_LINES_MAX, "extension");
    const auto body = FormatCheckpoint(checkpoint);
    ASSERT_TRUE(body.has_value());
    EXPECT_TRUE(ParseCheckpoint(*body).has_value());
    EXPECT_EQ(ParseCheckpoint(*body + "extension\n").error(), Errc::note_malformed);
    checkpoint.extensions.emplace_back("extension");
    EXPECT_EQ(FormatCheckpoint(checkpoint).error(), Errc::note_malformed);
}

TEST(CheckpointTest, FormatRejectsBadLines)
{
    for (const std::string_view origin : {"", "two\nlines", "tab\there", "bad\xFFutf8"}) {
        Checkpoint checkpoint = SpecCheckpoint();
        checkpoint.origin = origin;
        EXPECT_EQ(FormatCheckpoint(checkpoint).error(), Errc::note_malformed) << origin;
    }
    Checkpoint checkpoint = SpecCheckpoint();
    checkpoint.extensions = {""};
    EXPECT_EQ(FormatCheckpoint(checkpoint).error(), Errc::note_malformed);
    checkpoint.extensions = {"a\nb"};
    EXPECT_EQ(FormatCheckpoint(checkpoint).error(), Errc::note_malformed);
}

TEST(CheckpointTest, SignsAndOpens)
{
    const SignerKey log = SignerOf(LOG_NAME, 1);
    const Checkpoint checkpoint = LogCheckpoint();
    const auto note = SignCheckpoint(checkpoint, log);
    ASSERT_TRUE(note.has_value());
    EXPECT_TRUE(note->starts_with(FormatCheckpoint(checkpoint).value() + "\n"));
    const auto opened = OpenCheckpoint(*note, VerifierKeyOf(log), {});
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->checkpoint, checkpoint);
    ASSERT_EQ(opened->signatures.size(), 1U);
    EXPECT_EQ(opened->signatures[0].name, LOG_NAME);
    EXPECT_EQ(opened->signatures[0].key_id, log.Id());
}

TEST(CheckpointTest, SignRejectsOriginOtherThanKeyName)
{
    const SignerKey log = SignerOf("wijkraad.example/other", 2);
    EXPECT_EQ(SignCheckpoint(LogCheckpoint(), log).error(), Errc::note_malformed);
}

TEST(CheckpointTest, OpenRejectsOriginOtherThanKeyName)
{
    const SignerKey log = SignerOf(LOG_NAME, 3);
    Checkpoint checkpoint = LogCheckpoint();
    checkpoint.origin = "wijkraad.example/other";
    const auto note = SignNote(FormatCheckpoint(checkpoint).value(), log);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(OpenCheckpoint(*note, VerifierKeyOf(log), {}).error(), Errc::note_malformed);
}

TEST(CheckpointTest, OpenRejectsBodySignedByLogThatIsNotACheckpoint)
{
    const SignerKey log = SignerOf(LOG_NAME, 4);
    const auto note = SignNote(std::string(LOG_NAME) + "\nnot a size\n", log);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(OpenCheckpoint(*note, VerifierKeyOf(log), {}).error(), Errc::note_malformed);

    const std::vector<std::uint8_t> short_root(31, 0x22);
    const auto short_note =
        SignNote(std::string(LOG_NAME) + "\n5\n" + ToBase64(short_root) + "\n", log);
    ASSERT_TRUE(short_note.has_value());
    EXPECT_EQ(OpenCheckpoint(*short_note, VerifierKeyOf(log), {}).error(), Errc::hash_wrong_size);
}

TEST(CheckpointTest, OpenRequiresTheLogSignature)
{
    const SignerKey log = SignerOf(LOG_NAME, 5);
    const SignerKey impostor = SignerOf(LOG_NAME, 6);
    const auto note = SignCheckpoint(LogCheckpoint(), impostor);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(OpenCheckpoint(*note, VerifierKeyOf(log), {}).error(), Errc::signature_missing);
}

TEST(CheckpointTest, OpenRejectsTamperedCheckpoint)
{
    const SignerKey log = SignerOf(LOG_NAME, 7);
    auto note = SignCheckpoint(LogCheckpoint(42), log);
    ASSERT_TRUE(note.has_value());
    const std::size_t size_line = note->find("\n42\n");
    ASSERT_NE(size_line, std::string::npos);
    (*note)[size_line + 2] = '3';
    EXPECT_EQ(OpenCheckpoint(*note, VerifierKeyOf(log), {}).error(), Errc::signature_invalid);
}

TEST(CheckpointTest, OpenRejectsKeysSharingNameAndKeyId)
{
    const SignerKey log = SignerOf(LOG_NAME, 8);
    const auto note = SignCheckpoint(LogCheckpoint(), log);
    ASSERT_TRUE(note.has_value());
    VerifierKey lookalike = VerifierKeyOf(log);
    lookalike.public_key[0] ^= 1U;
    const std::vector<VerifierKey> witnesses{lookalike};
    EXPECT_EQ(OpenCheckpoint(*note, VerifierKeyOf(log), witnesses).error(), Errc::key_malformed);
}

TEST(CheckpointTest, OpenRejectsMalformedNote)
{
    const SignerKey log = SignerOf(LOG_NAME, 9);
    const std::string body = FormatCheckpoint(LogCheckpoint()).value();
    EXPECT_EQ(OpenCheckpoint(body, VerifierKeyOf(log), {}).error(), Errc::note_malformed);
}

} // namespace
} // namespace wijkbudget::ledger

namespace wijkbudget::ledger {
namespace {

TEST(CheckpointExtendsTest, AcceptsOnlyCheckpointsThatExtendTheOlderOne)
{
    MemoryHashStore store;
    for (int leaf = 0; leaf < 12; ++leaf)
        store.Append(LeafHash(std::to_string(leaf)));
    const auto at = [&](std::uint64_t size) {
        return Checkpoint{
            "log.example", size, size == 0 ? EmptyTreeHash() : *TreeHash(size, store), {}};
    };
    const auto proof = *ProveConsistency(5, 12, store);
    EXPECT_TRUE(VerifyCheckpointExtends(at(5), at(12), proof).has_value());
    EXPECT_TRUE(VerifyCheckpointExtends(at(12), at(12), {}).has_value());
    EXPECT_TRUE(VerifyCheckpointExtends(at(0), at(12), {}).has_value());

    Checkpoint rewritten = at(12);
    rewritten.root[3] ^= 1U;
    EXPECT_EQ(VerifyCheckpointExtends(at(5), rewritten, proof).error(),
              Errc::checkpoint_inconsistent);
    EXPECT_EQ(VerifyCheckpointExtends(at(12), at(5), proof).error(), Errc::checkpoint_inconsistent);
    Checkpoint other_log = at(12);
    other_log.origin = "other.example";
    EXPECT_EQ(VerifyCheckpointExtends(at(5), other_log, proof).error(),
              Errc::checkpoint_inconsistent);
    EXPECT_EQ(VerifyCheckpointExtends(at(12), rewritten, {}).error(),
              Errc::checkpoint_inconsistent);
    EXPECT_EQ(VerifyCheckpointExtends(at(0), at(12), proof).error(), Errc::checkpoint_inconsistent);
    // The empty tree has one root: an empty checkpoint with another extends nothing.
    EXPECT_TRUE(VerifyCheckpointExtends(at(0), at(0), {}).has_value());
    Checkpoint empty_rewritten = at(0);
    empty_rewritten.root = rewritten.root;
    EXPECT_EQ(VerifyCheckpointExtends(at(0), empty_rewritten, {}).error(),
              Errc::checkpoint_inconsistent);
}

} // namespace
} // namespace wijkbudget::ledger
