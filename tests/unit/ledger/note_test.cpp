#include "ledger/base64.hpp"
#include "ledger/errc.hpp"
#include "ledger/note.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

// The known answer of Go's golang.org/x/mod/sumdb/note tests.
constexpr std::string_view PETER_PRIVATE_KEY{
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"};
constexpr std::string_view PETER_VERIFIER_KEY{
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"};
constexpr std::string_view PETER_TEXT{"If you think cryptography is the answer to your problem,\n"
                                      "then you don't know what your problem is.\n"};
constexpr std::string_view PETER_SIGNATURE_LINE{
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
    "\n"};

SignerKey SignerOf(std::string_view name, std::uint8_t seed_byte, KeyType type = KeyType::ed25519)
{
    std::array<std::uint8_t, ED25519_SEED_BYTES> seed{};
    seed.fill(seed_byte);
    auto signer = SignerKey::FromSeed(name, type, seed);
    EXPECT_TRUE(signer.has_value());
    return std::move(signer.value());
}

Verifiers VerifiersOf(std::initializer_list<VerifierKey> keys)
{
    Verifiers verifiers;
    for (const VerifierKey& key : keys) {
        EXPECT_TRUE(verifiers.Add(key).has_value());
    }
    return verifiers;
}

Verifiers PeterVerifiers()
{
    return VerifiersOf({ParseVerifierKey(PETER_VERIFIER_KEY).value()});
}

std::string PeterNote()
{
    return std::string(PETER_TEXT) + "\n" + std::string(PETER_SIGNATURE_LINE);
}

//! A signature line by name with key id and signature bytes of our choosing.
std::string LineOf(std::string_view name, std::vector<std::uint8_t> blob)
{
    return std::string(SIGNATURE_LINE_PREFIX) + std::string(name) + " " + ToBase64(blob) + "\n";
}

TEST(NoteTest, SignsKnownAnswer)
{
    const auto signer = ParseSignerKey(PETER_PRIVATE_KEY);
    ASSERT_TRUE(signer.has_value());
    const auto note = SignNote(PETER_TEXT, *signer);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(*note, PeterNote());
}

TEST(NoteTest, OpensKnownAnswer)
{
    const auto opened = OpenNote(PeterNote(), PeterVerifiers());
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->text, PETER_TEXT);
    ASSERT_EQ(opened->signatures.size(), 1U);
    EXPECT_EQ(opened->signatures[0],
              (NoteSignature{"PeterNeumann", 0xc74f20a3, KeyType::ed25519, std::nullopt}));
}

TEST(NoteTest, RoundTripsWithSeveralSigners)
{
    const SignerKey first = SignerOf("example.com/first", 1);
    const SignerKey second = SignerOf("example.com/second", 2);
    const auto note = SignNote("hello\n", {first, second});
    ASSERT_TRUE(note.has_value());
    const auto opened = OpenNote(*note, VerifiersOf({VerifierKeyOf(first), VerifierKeyOf(second)}));
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->text, "hello\n");
    ASSERT_EQ(opened->signatures.size(), 2U);
    EXPECT_EQ(opened->signatures[0].name, "example.com/first");
    EXPECT_EQ(opened->signatures[1].name, "example.com/second");
}

TEST(NoteTest, TextMayHoldBlankLines)
{
    const SignerKey signer = SignerOf("example.com/log", 3);
    const std::string text = "first\n\nthird\n\n";
    const auto note = SignNote(text, signer);
    ASSERT_TRUE(note.has_value());
    const auto opened = OpenNote(*note, VerifiersOf({VerifierKeyOf(signer)}));
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->text, text);
}

TEST(NoteTest, IgnoresSignaturesByUnknownKeys)
{
    const SignerKey known = SignerOf("example.com/known", 4);
    const SignerKey unknown = SignerOf("example.com/unknown", 5);
    const auto note = SignNote("hello\n", {unknown, known});
    ASSERT_TRUE(note.has_value());
    const auto opened = OpenNote(*note, VerifiersOf({VerifierKeyOf(known)}));
    ASSERT_TRUE(opened.has_value());
    ASSERT_EQ(opened->signatures.size(), 1U);
    EXPECT_EQ(opened->signatures[0].name, "example.com/known");
}

TEST(NoteTest, IgnoresAnUnknownSignatureWhoseNameIsLongerThanOurKeysMayBe)
{
    // The spec sets no length on key names; 256 bytes is our keys' limit. A longer name is
    // nobody we know, so its signature is ignored like any unknown key's.
    std::vector<std::uint8_t> blob{1, 2, 3, 4};
    blob.resize(4 + ED25519_SIGNATURE_BYTES, 0x55);
    const std::string long_name(KEY_NAME_BYTES_MAX + 44, 'a');
    const auto opened = OpenNote(PeterNote() + LineOf(long_name, blob), PeterVerifiers());
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    EXPECT_EQ(opened->signatures.size(), 1U);
    // What the spec forbids in a name still fails the note.
    EXPECT_EQ(OpenNote(PeterNote() + LineOf(long_name + "+x", blob), PeterVerifiers()).error(),
              Errc::note_malformed);
}

TEST(NoteTest, IgnoresSignaturesMatchingOnlyNameOrOnlyKeyId)
{
    // Garbage signatures that would fail if they were checked against Peter's key.
    std::vector<std::uint8_t> same_id_blob{0xc7, 0x4f, 0x20, 0xa3};
    same_id_blob.resize(4 + ED25519_SIGNATURE_BYTES, 0x55);
    std::vector<std::uint8_t> other_id_blob{0xc7, 0x4f, 0x20, 0xa4};
    other_id_blob.resize(4 + ED25519_SIGNATURE_BYTES, 0x55);
    const std::string note =
        PeterNote() + LineOf("PeterNeumannn", same_id_blob) + LineOf("PeterNeumann", other_id_blob);
    const auto opened = OpenNote(note, PeterVerifiers());
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->signatures.size(), 1U);
}

TEST(NoteTest, RejectsNoteWithoutKnownKey)
{
    const SignerKey unknown = SignerOf("example.com/unknown", 6);
    const auto note = SignNote(PETER_TEXT, unknown);
    ASSERT_TRUE(note.has_value());
    EXPECT_EQ(OpenNote(*note, PeterVerifiers()).error(), Errc::signature_missing);
    EXPECT_EQ(OpenNote(PeterNote(), Verifiers{}).error(), Errc::signature_missing);
}

TEST(NoteTest, RejectsTamperedText)
{
    std::string note = PeterNote();
    note[3] = 'Y';
    EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::signature_invalid);
}

TEST(NoteTest, RejectsTamperedSignature)
{
    std::string note = PeterNote();
    // The last digit before "=\n" ends the signature; 'M' (001100) -> 'I' (001000) changes one
    // of its bits and keeps the two unused bits zero, so the base64 stays canonical.
    const std::size_t digit = note.size() - 3;
    ASSERT_EQ(note[digit], 'M');
    note[digit] = 'I';
    EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::signature_invalid);
}

TEST(NoteTest, RejectsKnownKeySignatureOfWrongLength)
{
    std::vector<std::uint8_t> blob{0xc7, 0x4f, 0x20, 0xa3};
    blob.resize(4 + ED25519_SIGNATURE_BYTES - 1, 0x55);
    const std::string note = std::string(PETER_TEXT) + "\n" + LineOf("PeterNeumann", blob);
    EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::signature_invalid);
}

TEST(NoteTest, ListsKeyThatSignedTwiceOnce)
{
    const std::string note = PeterNote() + std::string(PETER_SIGNATURE_LINE);
    const auto opened = OpenNote(note, PeterVerifiers());
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(opened->signatures.size(), 1U);
}

TEST(NoteTest, RejectsControlCharacters)
{
    const SignerKey signer = SignerOf("example.com/log", 7);
    const Verifiers verifiers = VerifiersOf({VerifierKeyOf(signer)});
    for (const std::string_view control : {"\t", "\r", "\x01", "\x1B", "\x7F", "\xC2\x9B"}) {
        const std::string text = "before" + std::string(control) + "after\n";
        EXPECT_EQ(SignNote(text, signer).error(), Errc::note_malformed);
        // A note that carries the character, whatever its signatures.
        const std::string note = text + "\n" + LineOf("example.com/log", {1, 2, 3, 4, 5});
        EXPECT_EQ(OpenNote(note, verifiers).error(), Errc::note_malformed);
    }
    const std::string nul_note = PeterNote() + std::string(1, '\0');
    EXPECT_EQ(OpenNote(nul_note, PeterVerifiers()).error(), Errc::note_malformed);
}

TEST(NoteTest, RejectsInvalidUtf8)
{
    const std::string note = "caf\xC3\n\n" + std::string(PETER_SIGNATURE_LINE);
    EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::note_malformed);
    EXPECT_EQ(SignNote("caf\xC3\n", SignerOf("example.com/log", 8)).error(), Errc::note_malformed);
}

TEST(NoteTest, RejectsMissingBlankLine)
{
    const std::string note = std::string(PETER_TEXT) + std::string(PETER_SIGNATURE_LINE);
    EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::note_malformed);
}

TEST(NoteTest, RejectsMissingSignatures)
{
    EXPECT_EQ(OpenNote(std::string(PETER_TEXT) + "\n", PeterVerifiers()).error(),
              Errc::note_malformed);
    EXPECT_EQ(OpenNote(PETER_TEXT, PeterVerifiers()).error(), Errc::note_malformed);
    EXPECT_EQ(OpenNote("", PeterVerifiers()).error(), Errc::note_malformed);
}

TEST(NoteTest, RejectsBadBase64)
{
    const std::string prefix =
        std::string(PETER_TEXT) + "\n" + std::string(SIGNATURE_LINE_PREFIX) + "PeterNeumann ";
    const std::string good{
        "x08go/ZJkuBS9UG/"
        "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="};
    EXPECT_TRUE(OpenNote(prefix + good + "\n", PeterVerifiers()).has_value());
    for (const std::string& bad :
         {good.substr(1), good.substr(0, good.size() - 1), "x08go-" + good.substr(6),
          good + "AAAA=", good.substr(0, good.size() - 2) + "N="}) {
        EXPECT_EQ(OpenNote(prefix + bad + "\n", PeterVerifiers()).error(), Errc::note_malformed)
            << bad;
    }
}

TEST(NoteTest, RejectsTooShortSignature)
{
    const std::string note =
        std::string(PETER_TEXT) + "\n" + LineOf("PeterNeumann", {0xc7, 0x4f, 0x20, 0xa3});
    EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::note_malformed);
    const std::string empty_note = std::string(PETER_TEXT) + "\n" + LineOf("PeterNeumann", {});
    EXPECT_EQ(OpenNote(empty_note, PeterVerifiers()).error(), Errc::note_malformed);
}

TEST(NoteTest, RejectsMalformedSignatureLines)
{
    const std::string line{PETER_SIGNATURE_LINE};
    const std::string base64 = line.substr(line.rfind(' ') + 1);
    const std::string bad_lines[]{
        "- PeterNeumann " + base64,             // ASCII hyphen.
        "\xE2\x80\x94PeterNeumann " + base64,   // No space after dash.
        "\xE2\x80\x94  PeterNeumann " + base64, // Empty name.
        "\xE2\x80\x94 PeterNeumann  " + base64, // Two spaces.
        "\xE2\x80\x94 PeterNeumann " + base64.substr(0, base64.size() - 1) + " \n",
        "\xE2\x80\x94 PeterNeumann\n",          // No signature.
        "\xE2\x80\x94 Peter+Neumann " + base64, // '+' in the name.
        line.substr(0, line.size() - 1),        // No final newline.
        line + "\n",                            // Trailing blank line.
    };
    for (const std::string& bad : bad_lines) {
        const std::string note = std::string(PETER_TEXT) + "\n" + bad;
        EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::note_malformed) << bad;
    }
}

TEST(NoteTest, AcceptsUpToTheSignatureLimit)
{
    std::vector<std::uint8_t> blob{0, 0, 0, 0};
    blob.resize(4 + ED25519_SIGNATURE_BYTES, 0x55);
    std::string note = PeterNote();
    for (std::size_t count = 1; count < NOTE_SIGNATURES_MAX; ++count) {
        note += LineOf("example.com/unknown", blob);
    }
    EXPECT_TRUE(OpenNote(note, PeterVerifiers()).has_value());
    note += LineOf("example.com/unknown", blob);
    EXPECT_EQ(OpenNote(note, PeterVerifiers()).error(), Errc::note_malformed);
}

TEST(NoteTest, RejectsNoteLongerThanLimit)
{
    std::string text(NOTE_BYTES_MAX, 'a');
    text.back() = '\n';
    EXPECT_EQ(OpenNote(text + "\n" + std::string(PETER_SIGNATURE_LINE), PeterVerifiers()).error(),
              Errc::note_malformed);
    const SignerKey signer = SignerOf("example.com/log", 9);
    EXPECT_EQ(SignNote(text, signer).error(), Errc::note_malformed);
}

TEST(NoteTest, SignRejectsBadText)
{
    const SignerKey signer = SignerOf("example.com/log", 10);
    EXPECT_EQ(SignNote("", signer).error(), Errc::note_malformed);
    EXPECT_EQ(SignNote("no final newline", signer).error(), Errc::note_malformed);
    EXPECT_TRUE(SignNote("\n", signer).has_value());
}

TEST(NoteTest, SignRejectsNoOrTooManySigners)
{
    EXPECT_EQ(SignNote("hello\n", std::vector<std::reference_wrapper<const SignerKey>>{}).error(),
              Errc::note_malformed);
    const SignerKey signer = SignerOf("example.com/log", 11);
    const std::vector<std::reference_wrapper<const SignerKey>> signers(NOTE_SIGNATURES_MAX + 1,
                                                                       signer);
    EXPECT_EQ(SignNote("hello\n", signers).error(), Errc::note_malformed);
}

TEST(NoteTest, SignRejectsCosignatureKey)
{
    const SignerKey witness = SignerOf("example.com/witness", 12, KeyType::cosignature_ed25519);
    EXPECT_EQ(SignNote("hello\n", witness).error(), Errc::key_malformed);
}

TEST(NoteTest, AddSignatureLineAppendsOneLine)
{
    const SignerKey first = SignerOf("example.com/first", 13);
    const SignerKey second = SignerOf("example.com/second", 14);
    const auto note = SignNote("hello\n", first);
    const auto both = SignNote("hello\n", {first, second});
    ASSERT_TRUE(note.has_value());
    ASSERT_TRUE(both.has_value());
    const std::string second_line = both->substr(note->size());
    const auto added = AddSignatureLine(*note, second_line);
    ASSERT_TRUE(added.has_value());
    EXPECT_EQ(*added, *both);
}

TEST(NoteTest, AddSignatureLineRejectsMalformedInput)
{
    const std::string line{PETER_SIGNATURE_LINE};
    EXPECT_EQ(AddSignatureLine(PeterNote(), line.substr(0, line.size() - 1)).error(),
              Errc::note_malformed);
    EXPECT_EQ(AddSignatureLine(PeterNote(), line + line).error(), Errc::note_malformed);
    EXPECT_EQ(AddSignatureLine(PeterNote(), "\n").error(), Errc::note_malformed);
    EXPECT_EQ(AddSignatureLine(PeterNote(), "not a signature\n").error(), Errc::note_malformed);
    // A note without signatures yet cannot take one this way: the text would change.
    EXPECT_EQ(AddSignatureLine(std::string(PETER_TEXT) + "\n", line).error(), Errc::note_malformed);
    EXPECT_EQ(AddSignatureLine(PETER_TEXT, line).error(), Errc::note_malformed);
}

} // namespace
} // namespace wijkbudget::ledger
