#include "ledger/base64.hpp"
#include "ledger/errc.hpp"
#include "ledger/note_key.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>

namespace wijkbudget::ledger {
namespace {

// The known answer of Go's golang.org/x/mod/sumdb/note tests.
constexpr std::string_view PETER_PRIVATE_KEY{
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"};
constexpr std::string_view PETER_VERIFIER_KEY{
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"};
constexpr KeyId PETER_KEY_ID{0xc74f20a3};

std::array<std::uint8_t, ED25519_SEED_BYTES> SeedOf(std::uint8_t value)
{
    std::array<std::uint8_t, ED25519_SEED_BYTES> seed{};
    seed.fill(value);
    return seed;
}

TEST(NoteKeyTest, KnownAnswerSignerGivesKnownVerifier)
{
    const auto signer = ParseSignerKey(PETER_PRIVATE_KEY);
    ASSERT_TRUE(signer.has_value());
    EXPECT_EQ(signer->Name(), "PeterNeumann");
    EXPECT_EQ(signer->Id(), PETER_KEY_ID);
    EXPECT_EQ(signer->Type(), KeyType::ed25519);
    EXPECT_EQ(FormatVerifierKey(VerifierKeyOf(*signer)), PETER_VERIFIER_KEY);
}

TEST(NoteKeyTest, ParsesKnownVerifierKey)
{
    const auto key = ParseVerifierKey(PETER_VERIFIER_KEY);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->name, "PeterNeumann");
    EXPECT_EQ(key->key_id, PETER_KEY_ID);
    EXPECT_EQ(key->type, KeyType::ed25519);
    EXPECT_EQ(ComputeKeyId(key->name, key->type, key->public_key), PETER_KEY_ID);
    EXPECT_EQ(FormatVerifierKey(*key), PETER_VERIFIER_KEY);
}

TEST(NoteKeyTest, KeyIdDependsOnType)
{
    const auto key = ParseVerifierKey(PETER_VERIFIER_KEY);
    ASSERT_TRUE(key.has_value());
    EXPECT_NE(ComputeKeyId(key->name, KeyType::cosignature_ed25519, key->public_key), PETER_KEY_ID);
    EXPECT_NE(ComputeKeyId("PeterNeumann2", KeyType::ed25519, key->public_key), PETER_KEY_ID);
}

TEST(NoteKeyTest, FormatsKeyIdAsEightLowercaseHexDigits)
{
    EXPECT_EQ(FormatKeyId(PETER_KEY_ID), "c74f20a3");
    EXPECT_EQ(FormatKeyId(0x0000000a), "0000000a");
}

TEST(NoteKeyTest, SplitsKeysAtTheirFirstPlusSignsOnly)
{
    // The known private key's base64 holds a '+'; find a verifier key whose base64 does too.
    EXPECT_TRUE(ParseSignerKey(PETER_PRIVATE_KEY).has_value());
    bool found = false;
    for (std::uint8_t value = 0; value < 64 && !found; ++value) {
        const auto signer = SignerKey::FromSeed("example.com/log", KeyType::ed25519, SeedOf(value));
        ASSERT_TRUE(signer.has_value());
        const std::string text = FormatVerifierKey(VerifierKeyOf(*signer));
        if (text.find('+', std::string_view("example.com/log+00000000+").size()) ==
            std::string::npos) {
            continue;
        }
        found = true;
        const auto parsed = ParseVerifierKey(text);
        ASSERT_TRUE(parsed.has_value()) << text;
        EXPECT_EQ(*parsed, VerifierKeyOf(*signer));
    }
    EXPECT_TRUE(found);
}

TEST(NoteKeyTest, GeneratedKeysParseBack)
{
    for (const KeyType type : {KeyType::ed25519, KeyType::cosignature_ed25519}) {
        const auto first = GenerateSignerKey("wijkraad.example/log", type);
        const auto second = GenerateSignerKey("wijkraad.example/log", type);
        ASSERT_TRUE(first.has_value());
        ASSERT_TRUE(second.has_value());
        EXPECT_NE(*first, *second);
        EXPECT_TRUE(first->starts_with("PRIVATE+KEY+wijkraad.example/log+"));
        const auto signer = ParseSignerKey(*first);
        ASSERT_TRUE(signer.has_value());
        EXPECT_EQ(signer->Type(), type);
        const VerifierKey verifier = VerifierKeyOf(*signer);
        EXPECT_EQ(verifier.key_id, ComputeKeyId(verifier.name, type, verifier.public_key));
        EXPECT_EQ(ParseVerifierKey(FormatVerifierKey(verifier)).value(), verifier);
    }
}

TEST(NoteKeyTest, GenerateRejectsInvalidName)
{
    EXPECT_EQ(GenerateSignerKey("").error(), Errc::key_malformed);
    EXPECT_EQ(GenerateSignerKey("two words").error(), Errc::key_malformed);
    EXPECT_EQ(GenerateSignerKey("a+b").error(), Errc::key_malformed);
}

TEST(NoteKeyTest, SignsAndVerifies)
{
    const auto signer = SignerKey::FromSeed("example.com/log", KeyType::ed25519, SeedOf(7));
    ASSERT_TRUE(signer.has_value());
    const auto signature = signer->Sign("message\n");
    ASSERT_TRUE(signature.has_value());
    EXPECT_TRUE(VerifyEd25519(signer->Public(), "message\n", *signature).has_value());
    EXPECT_EQ(VerifyEd25519(signer->Public(), "massage\n", *signature).error(),
              Errc::signature_invalid);
    const std::span<const std::uint8_t> short_signature{signature->data(), 63};
    EXPECT_EQ(VerifyEd25519(signer->Public(), "message\n", short_signature).error(),
              Errc::signature_invalid);
}

TEST(NoteKeyTest, RejectsVerifierKeyWithWrongKeyId)
{
    EXPECT_EQ(ParseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                  .error(),
              Errc::key_malformed);
    EXPECT_EQ(ParseVerifierKey("PeterNeumanm+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                  .error(),
              Errc::key_malformed);
}

TEST(NoteKeyTest, RejectsMalformedVerifierKeys)
{
    const std::string_view key64{"ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"};
    const std::string cases[]{
        "",
        "PeterNeumann",
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a3+",
        "+c74f20a3+" + std::string(key64),
        "PeterNeumann+C74F20A3+" + std::string(key64),  // Uppercase hex.
        "PeterNeumann+c74f20a+" + std::string(key64),   // Seven digits.
        "PeterNeumann+0c74f20a3+" + std::string(key64), // Nine digits.
        "PeterNeumann+c74f20a3+" + std::string(key64) + "=",
        "PeterNeumann+c74f20a3+" + std::string(key64.substr(0, 40)),
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq_LDE4izWy10TW",
        // Type 0x02 (ECDSA) is not supported.
        "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+" + std::string(key64),
        std::string(KEY_TEXT_BYTES_MAX + 1, 'a'),
    };
    for (const std::string& text : cases) {
        const auto key = ParseVerifierKey(text);
        ASSERT_FALSE(key.has_value()) << text;
        EXPECT_EQ(key.error(), Errc::key_malformed) << text;
    }
}

TEST(NoteKeyTest, RejectsMalformedSignerKeys)
{
    const std::string cases[]{
        "",
        "PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PRIVATE+KEX+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "private+key+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDF=",
        "PRIVATE+KEY+PeterNeumann+c74f20a3",
        "PRIVATE+KEY+Peter\tNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
    };
    for (const std::string& text : cases) {
        const auto key = ParseSignerKey(text);
        ASSERT_FALSE(key.has_value()) << text;
        EXPECT_EQ(key.error(), Errc::key_malformed) << text;
    }
}

TEST(NoteKeyTest, ValidatesKeyNames)
{
    EXPECT_TRUE(IsValidKeyName("example.com/log42"));
    EXPECT_TRUE(IsValidKeyName("wijkraad.example/\xC3\xBC")); // U+00FC.
    EXPECT_TRUE(IsValidKeyName(std::string(KEY_NAME_BYTES_MAX, 'n')));
    EXPECT_FALSE(IsValidKeyName(""));
    EXPECT_FALSE(IsValidKeyName(std::string(KEY_NAME_BYTES_MAX + 1, 'n')));
    EXPECT_FALSE(IsValidKeyName("a+b"));
    EXPECT_FALSE(IsValidKeyName("a b"));
    EXPECT_FALSE(IsValidKeyName("a\tb"));
    EXPECT_FALSE(IsValidKeyName("a\nb"));
    EXPECT_FALSE(IsValidKeyName("a\xC2\xA0"
                                "b")); // U+00A0 NO-BREAK SPACE.
    EXPECT_FALSE(IsValidKeyName("a\xE2\x80\x83"
                                "b")); // U+2003 EM SPACE.
    EXPECT_FALSE(IsValidKeyName("a\xE2\x80\xA8"
                                "b")); // U+2028 LINE SEPARATOR.
    EXPECT_FALSE(IsValidKeyName("a\xE3\x80\x80"
                                "b"));         // U+3000 IDEOGRAPHIC SPACE.
    EXPECT_FALSE(IsValidKeyName("a\x7F"));     // DEL.
    EXPECT_FALSE(IsValidKeyName("a\xC2\x85")); // U+0085, a C1 control and a space.
    EXPECT_FALSE(IsValidKeyName(std::string_view("a\0b", 3)));
    EXPECT_FALSE(IsValidKeyName("a\xFF"));
}

TEST(NoteKeyTest, ValidatesNoteUtf8)
{
    EXPECT_TRUE(IsValidNoteUtf8(""));
    EXPECT_TRUE(IsValidNoteUtf8("line one\nline two\n"));
    EXPECT_TRUE(IsValidNoteUtf8("\xE2\x80\x94 \xF0\x9F\x8C\xB3\n")); // Em dash, U+1F333.
    EXPECT_FALSE(IsValidNoteUtf8("tab\there"));
    EXPECT_FALSE(IsValidNoteUtf8("carriage\r\n"));
    EXPECT_FALSE(IsValidNoteUtf8(std::string_view("nul\0", 4)));
    EXPECT_FALSE(IsValidNoteUtf8("del\x7F"));
    EXPECT_FALSE(IsValidNoteUtf8("c1\xC2\x9B"));       // U+009B CSI.
    EXPECT_FALSE(IsValidNoteUtf8("\x80"));             // Stray continuation byte.
    EXPECT_FALSE(IsValidNoteUtf8("\xC0\xAF"));         // Overlong '/'.
    EXPECT_FALSE(IsValidNoteUtf8("\xE0\x80\xAF"));     // Overlong '/'.
    EXPECT_FALSE(IsValidNoteUtf8("\xED\xA0\x80"));     // Surrogate U+D800.
    EXPECT_FALSE(IsValidNoteUtf8("\xF4\x90\x80\x80")); // Above U+10FFFF.
    EXPECT_FALSE(IsValidNoteUtf8("\xE2\x80"));         // Truncated.
}

TEST(NoteKeyTest, VerifiersFindByNameAndKeyIdTogether)
{
    const auto key = ParseVerifierKey(PETER_VERIFIER_KEY);
    ASSERT_TRUE(key.has_value());
    Verifiers verifiers;
    ASSERT_TRUE(verifiers.Add(*key).has_value());
    ASSERT_NE(verifiers.Find("PeterNeumann", PETER_KEY_ID), nullptr);
    EXPECT_EQ(*verifiers.Find("PeterNeumann", PETER_KEY_ID), *key);
    EXPECT_EQ(verifiers.Find("PeterNeumann", PETER_KEY_ID + 1), nullptr);
    EXPECT_EQ(verifiers.Find("PeterNeumannn", PETER_KEY_ID), nullptr);
}

TEST(NoteKeyTest, VerifiersRejectAnotherKeyWithTheSameNameAndKeyId)
{
    const auto key = ParseVerifierKey(PETER_VERIFIER_KEY);
    ASSERT_TRUE(key.has_value());
    Verifiers verifiers;
    ASSERT_TRUE(verifiers.Add(*key).has_value());
    EXPECT_TRUE(verifiers.Add(*key).has_value());
    EXPECT_EQ(verifiers.Size(), 1U);
    VerifierKey impostor = *key;
    impostor.public_key[0] ^= 1U;
    EXPECT_EQ(verifiers.Add(impostor).error(), Errc::key_malformed);
    EXPECT_EQ(verifiers.Size(), 1U);
}

TEST(NoteKeyTest, VerifiersRejectKeyOfUnknownType)
{
    auto key = ParseVerifierKey(PETER_VERIFIER_KEY);
    ASSERT_TRUE(key.has_value());
    key->type = static_cast<KeyType>(0x02);
    Verifiers verifiers;
    EXPECT_EQ(verifiers.Add(*key).error(), Errc::key_malformed);
    EXPECT_EQ(verifiers.Size(), 0U);
}

} // namespace
} // namespace wijkbudget::ledger
