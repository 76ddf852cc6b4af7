#include "ledger/note_key.hpp"

#include "ledger/assert.hpp"
#include "ledger/base64.hpp"
#include "ledger/errc.hpp"
#include "ledger/sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <optional>

namespace wijkbudget::ledger {
namespace {

constexpr std::string_view PRIVATE_KEY_PREFIX{"PRIVATE+KEY+"};
//! A key text's base64 part decodes to the type byte and 32 bytes of key material.
constexpr std::size_t KEY_BLOB_BYTES{1 + ED25519_PUBLIC_KEY_BYTES};
constexpr std::size_t KEY_ID_HEX_DIGITS{2 * KEY_ID_BYTES};

struct MdContextDeleter {
    void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextDeleter>;
using PrivateKeyHandle = std::unique_ptr<evp_pkey_st, PrivateKeyDeleter>;

//! Decoded key material that is cleared however the parse ends.
struct CleansedBytes {
    std::vector<std::uint8_t> bytes;
    CleansedBytes() = default;
    CleansedBytes(const CleansedBytes&) = delete;
    CleansedBytes& operator=(const CleansedBytes&) = delete;
    ~CleansedBytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

const unsigned char* BytesOf(std::string_view text)
{
    return reinterpret_cast<const unsigned char*>(text.data());
}

/** Decodes the UTF-8 sequence at text[position] into code_point and advances position.
 * False for a malformed sequence: a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate or a value above U+10FFFF (RFC 3629, section 4). */
bool NextCodePoint(std::string_view text, std::size_t& position, char32_t& code_point)
{
    const auto lead = static_cast<unsigned char>(text[position]);
    std::size_t length = 0;
    char32_t minimum = 0;
    if (lead < 0x80U) {
        code_point = lead;
        position += 1;
        return true;
    }
    if (lead >= 0xC2U && lead <= 0xDFU) {
        length = 2;
        minimum = 0x80;
        code_point = lead & 0x1FU;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
        length = 3;
        minimum = 0x800;
        code_point = lead & 0x0FU;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
        length = 4;
        minimum = 0x10000;
        code_point = lead & 0x07U;
    } else {
        return false;
    }
    if (text.size() - position < length) return false;
    for (std::size_t offset = 1; offset < length; ++offset) {
        const auto continuation = static_cast<unsigned char>(text[position + offset]);
        if ((continuation & 0xC0U) != 0x80U) return false;
        code_point = (code_point << 6U) | (continuation & 0x3FU);
    }
    if (code_point < minimum || code_point > 0x10FFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    position += length;
    return true;
}

//! Unicode category Cc.
bool IsControl(char32_t code_point)
{
    return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F);
}

//! The Unicode White_Space property (what Go's unicode.IsSpace tests).
bool IsUnicodeSpace(char32_t code_point)
{
    constexpr std::array<char32_t, 14> SPACES{0x09, 0x0A,   0x0B,   0x0C,   0x0D,   0x20,   0x85,
                                              0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    return (code_point >= 0x2000 && code_point <= 0x200A) ||
           std::find(SPACES.begin(), SPACES.end(), code_point) != SPACES.end();
}

std::optional<KeyType> KeyTypeOf(std::uint8_t type_byte)
{
    if (type_byte == static_cast<std::uint8_t>(KeyType::ed25519)) return KeyType::ed25519;
    if (type_byte == static_cast<std::uint8_t>(KeyType::cosignature_ed25519)) {
        return KeyType::cosignature_ed25519;
    }
    return std::nullopt;
}

//! Exactly eight lowercase hex digits, the only spelling key texts use.
std::optional<KeyId> ParseKeyId(std::string_view text)
{
    if (text.size() != KEY_ID_HEX_DIGITS) return std::nullopt;
    KeyId key_id = 0;
    for (char digit : text) {
        std::uint32_t nibble = 0;
        if (digit >= '0' && digit <= '9') {
            nibble = static_cast<std::uint32_t>(digit - '0');
        } else if (digit >= 'a' && digit <= 'f') {
            nibble = static_cast<std::uint32_t>(digit - 'a' + 10);
        } else {
            return std::nullopt;
        }
        key_id = (key_id << 4U) | nibble;
    }
    return key_id;
}

/** Splits text at its first field_count - 1 '+' characters. The base64 in the last field may
 * itself hold '+', so splitting at every '+' would break keys apart. */
std::optional<std::vector<std::string_view>> SplitAtPlus(std::string_view text,
                                                         std::size_t field_count)
{
    std::vector<std::string_view> fields;
    while (fields.size() + 1 < field_count) {
        const std::size_t plus = text.find('+');
        if (plus == std::string_view::npos) return std::nullopt;
        fields.push_back(text.substr(0, plus));
        text.remove_prefix(plus + 1);
    }
    fields.push_back(text);
    return fields;
}

boost::system::result<PublicKey> PublicKeyOf(evp_pkey_st* private_key)
{
    PublicKey public_key{};
    std::size_t length = public_key.size();
    if (EVP_PKEY_get_raw_public_key(private_key, public_key.data(), &length) != 1 ||
        length != public_key.size()) {
        ERR_clear_error();
        return make_error_code(Errc::crypto_failure);
    }
    return public_key;
}

} // namespace

KeyId ComputeKeyId(std::string_view name, KeyType type, const PublicKey& public_key)
{
    const std::array<std::uint8_t, 2> separator_and_type{0x0A, static_cast<std::uint8_t>(type)};
    Sha256 hasher;
    hasher.Update(name);
    hasher.Update(separator_and_type);
    hasher.Update(public_key);
    const Hash digest = hasher.Finish();
    return (KeyId{digest[0]} << 24U) | (KeyId{digest[1]} << 16U) | (KeyId{digest[2]} << 8U) |
           KeyId{digest[3]};
}

std::string FormatKeyId(KeyId key_id)
{
    constexpr std::string_view DIGITS{"0123456789abcdef"};
    std::string text(KEY_ID_HEX_DIGITS, '0');
    for (std::size_t position = KEY_ID_HEX_DIGITS; position > 0; --position) {
        text[position - 1] = DIGITS[key_id & 0x0FU];
        key_id >>= 4U;
    }
    return text;
}

bool IsValidKeyName(std::string_view name)
{
    return name.size() <= KEY_NAME_BYTES_MAX && IsKeyNameOfTheSpec(name);
}

bool IsKeyNameOfTheSpec(std::string_view name)
{
    if (name.empty()) return false;
    std::size_t position = 0;
    while (position < name.size()) {
        char32_t code_point = 0;
        if (!NextCodePoint(name, position, code_point)) return false;
        if (code_point == '+' || IsControl(code_point) || IsUnicodeSpace(code_point)) return false;
    }
    return true;
}

bool IsValidNoteUtf8(std::string_view text)
{
    std::size_t position = 0;
    while (position < text.size()) {
        char32_t code_point = 0;
        if (!NextCodePoint(text, position, code_point)) return false;
        if (IsControl(code_point) && code_point != '\n') return false;
    }
    return true;
}

boost::system::result<VerifierKey> ParseVerifierKey(std::string_view text)
{
    if (text.size() > KEY_TEXT_BYTES_MAX) return make_error_code(Errc::key_malformed);
    const auto fields = SplitAtPlus(text, 3);
    if (!fields) return make_error_code(Errc::key_malformed);
    const std::string_view name = (*fields)[0];
    const auto key_id = ParseKeyId((*fields)[1]);
    const auto blob = FromBase64((*fields)[2]);
    if (!IsValidKeyName(name) || !key_id || !blob || blob->size() != KEY_BLOB_BYTES) {
        return make_error_code(Errc::key_malformed);
    }
    const auto type = KeyTypeOf(blob->front());
    if (!type) return make_error_code(Errc::key_malformed);

    VerifierKey key{std::string(name), *key_id, *type, {}};
    std::copy(blob->begin() + 1, blob->end(), key.public_key.begin());
    if (ComputeKeyId(key.name, key.type, key.public_key) != key.key_id) {
        return make_error_code(Errc::key_malformed);
    }
    return key;
}

std::string FormatVerifierKey(const VerifierKey& key)
{
    std::array<std::uint8_t, KEY_BLOB_BYTES> blob{};
    blob[0] = static_cast<std::uint8_t>(key.type);
    std::copy(key.public_key.begin(), key.public_key.end(), blob.begin() + 1);
    return key.name + "+" + FormatKeyId(key.key_id) + "+" + ToBase64(blob);
}

boost::system::result<void> VerifyEd25519(const PublicKey& public_key, std::string_view message,
                                          std::span<const std::uint8_t> signature)
{
    if (signature.size() != ED25519_SIGNATURE_BYTES) {
        return make_error_code(Errc::signature_invalid);
    }
    const PrivateKeyHandle key{EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                           public_key.data(), public_key.size())};
    const MdContext context{EVP_MD_CTX_new()};
    // Ed25519 hashes internally, so the digest is NULL (EVP_DigestVerifyInit(3)).
    if (!key || !context ||
        EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
        ERR_clear_error();
        return make_error_code(Errc::crypto_failure);
    }
    const int verified = EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                                          BytesOf(message), message.size());
    if (verified != 1) {
        // A bad signature leaves entries on the thread's OpenSSL error queue; drop them so that
        // they are not reported later against an unrelated call.
        ERR_clear_error();
        return make_error_code(Errc::signature_invalid);
    }
    return {};
}

void PrivateKeyDeleter::operator()(evp_pkey_st* key) const noexcept
{
    EVP_PKEY_free(key);
}

SignerKey::SignerKey(std::string name, KeyType type, const PublicKey& public_key,
                     PrivateKeyHandle private_key)
    : m_name{std::move(name)}, m_type{type}, m_key_id{ComputeKeyId(m_name, type, public_key)},
      m_public_key{public_key}, m_private_key{std::move(private_key)}
{
    WB_ASSERT(m_private_key != nullptr);
}

boost::system::result<SignerKey>
SignerKey::FromSeed(std::string_view name, KeyType type,
                    std::span<const std::uint8_t, ED25519_SEED_BYTES> seed)
{
    if (!IsValidKeyName(name)) return make_error_code(Errc::key_malformed);
    PrivateKeyHandle private_key{
        EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size())};
    if (!private_key) {
        ERR_clear_error();
        return make_error_code(Errc::crypto_failure);
    }
    const auto public_key = PublicKeyOf(private_key.get());
    if (!public_key) return public_key.error();
    return SignerKey{std::string(name), type, *public_key, std::move(private_key)};
}

boost::system::result<Ed25519Signature> SignerKey::Sign(std::string_view message) const
{
    // A moved-from key has no private key; signing with it is a bug, not an input error.
    WB_ASSERT(m_private_key != nullptr);
    const MdContext context{EVP_MD_CTX_new()};
    Ed25519Signature signature{};
    std::size_t length = signature.size();
    if (!context ||
        EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, m_private_key.get()) != 1 ||
        EVP_DigestSign(context.get(), signature.data(), &length, BytesOf(message),
                       message.size()) != 1) {
        ERR_clear_error();
        return make_error_code(Errc::crypto_failure);
    }
    WB_ASSERT(length == signature.size());
    return signature;
}

boost::system::result<std::string> GenerateSignerKey(std::string_view name, KeyType type)
{
    if (!IsValidKeyName(name)) return make_error_code(Errc::key_malformed);
    // The type byte, then the seed: the layout of the key text's base64 part.
    std::array<std::uint8_t, KEY_BLOB_BYTES> blob{};
    blob[0] = static_cast<std::uint8_t>(type);
    const std::span<std::uint8_t, ED25519_SEED_BYTES> seed{blob.data() + 1, ED25519_SEED_BYTES};
    if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1) {
        ERR_clear_error();
        return make_error_code(Errc::crypto_failure);
    }
    const auto signer = SignerKey::FromSeed(name, type, seed);
    if (!signer) {
        OPENSSL_cleanse(blob.data(), blob.size());
        return signer.error();
    }
    // Appended into one buffer reserved up front: concatenating temporaries would leave
    // uncleared copies of the secret in freed memory.
    std::string encoded = ToBase64(blob);
    const std::string key_id = FormatKeyId(signer->Id());
    std::string text;
    text.reserve(PRIVATE_KEY_PREFIX.size() + name.size() + key_id.size() + encoded.size() + 2);
    text.append(PRIVATE_KEY_PREFIX).append(name).append("+").append(key_id).append("+");
    text.append(encoded);
    OPENSSL_cleanse(encoded.data(), encoded.size());
    OPENSSL_cleanse(blob.data(), blob.size());
    return text;
}

boost::system::result<SignerKey> ParseSignerKey(std::string_view text)
{
    if (text.size() > KEY_TEXT_BYTES_MAX || !text.starts_with(PRIVATE_KEY_PREFIX)) {
        return make_error_code(Errc::key_malformed);
    }
    const auto fields = SplitAtPlus(text.substr(PRIVATE_KEY_PREFIX.size()), 3);
    if (!fields) return make_error_code(Errc::key_malformed);
    const std::string_view name = (*fields)[0];
    const auto key_id = ParseKeyId((*fields)[1]);
    CleansedBytes blob;
    // FromBase64 reserves its whole output up front, so the seed is never copied by a
    // reallocation that would leave an uncleared copy behind.
    if (auto decoded = FromBase64((*fields)[2])) blob.bytes = std::move(*decoded);
    if (!IsValidKeyName(name) || !key_id || blob.bytes.size() != KEY_BLOB_BYTES) {
        return make_error_code(Errc::key_malformed);
    }
    const auto type = KeyTypeOf(blob.bytes.front());
    if (!type) return make_error_code(Errc::key_malformed);

    const std::span<const std::uint8_t, ED25519_SEED_BYTES> seed{blob.bytes.data() + 1,
                                                                 ED25519_SEED_BYTES};
    auto signer = SignerKey::FromSeed(name, *type, seed);
    if (!signer) return signer.error();
    if (signer->Id() != *key_id) return make_error_code(Errc::key_malformed);
    return signer;
}

VerifierKey VerifierKeyOf(const SignerKey& signer)
{
    return VerifierKey{signer.Name(), signer.Id(), signer.Type(), signer.Public()};
}

boost::system::result<void> Verifiers::Add(VerifierKey key)
{
    // A key built by hand rather than parsed may carry a type this build cannot verify.
    if (!KeyTypeOf(static_cast<std::uint8_t>(key.type))) {
        return make_error_code(Errc::key_malformed);
    }
    if (const VerifierKey* present = Find(key.name, key.key_id)) {
        if (*present == key) return {};
        return make_error_code(Errc::key_malformed);
    }
    m_keys.push_back(std::move(key));
    return {};
}

const VerifierKey* Verifiers::Find(std::string_view name, KeyId key_id) const
{
    const auto found = std::find_if(m_keys.begin(), m_keys.end(), [&](const VerifierKey& key) {
        return key.key_id == key_id && key.name == name;
    });
    return found == m_keys.end() ? nullptr : &*found;
}

} // namespace wijkbudget::ledger
