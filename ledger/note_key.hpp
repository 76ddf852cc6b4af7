#pragma once
// ledger/note_key.hpp: Ed25519 signer and verifier keys for C2SP signed notes
// (c2sp.org/signed-note), through OpenSSL's EVP interface.
//
// A verifier key is public text, "name+keyid+base64(type || public key)". A signer key is
// secret text, "PRIVATE+KEY+name+keyid+base64(type || 32-byte seed)". The log signs
// checkpoints with type 0x01 keys; the auditor cosigns as witness with type 0x04 keys
// (c2sp.org/tlog-cosignature). A key is made for exactly one of the two types: an Ed25519
// cosignature does not commit to the signature type, so one key signing both kinds could be
// made to sign a note text that reads as a cosignature message.

#include <boost/system/result.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's EVP_PKEY, named here so that OpenSSL stays out of this header.
struct evp_pkey_st;

namespace wijkbudget::ledger {

inline constexpr std::size_t KEY_ID_BYTES{4};
inline constexpr std::size_t ED25519_PUBLIC_KEY_BYTES{32};
inline constexpr std::size_t ED25519_SEED_BYTES{32};
inline constexpr std::size_t ED25519_SIGNATURE_BYTES{64};
//! Key names are schema-less URLs in practice; 256 bytes leaves room for any sensible one.
inline constexpr std::size_t KEY_NAME_BYTES_MAX{256};
//! The longest key text read: "PRIVATE+KEY+", a name at its limit, 8 hex digits, two '+' and
//! the 44 base64 digits of 33 bytes, rounded up.
inline constexpr std::size_t KEY_TEXT_BYTES_MAX{KEY_NAME_BYTES_MAX + 128};

//! The signature type byte of c2sp.org/signed-note, "Signature types".
enum class KeyType : std::uint8_t {
    ed25519 = 0x01,             //!< Signs the note text (c2sp.org/signed-note).
    cosignature_ed25519 = 0x04, //!< Signs a timestamped cosignature (c2sp.org/tlog-cosignature).
};

//! The first four bytes of SHA-256(name || "\n" || type || public key), read big-endian.
using KeyId = std::uint32_t;
using PublicKey = std::array<std::uint8_t, ED25519_PUBLIC_KEY_BYTES>;
using Ed25519Signature = std::array<std::uint8_t, ED25519_SIGNATURE_BYTES>;

KeyId ComputeKeyId(std::string_view name, KeyType type, const PublicKey& public_key);

//! Eight lowercase hex digits, as in key texts.
std::string FormatKeyId(KeyId key_id);

/** True for a key name c2sp.org/signed-note allows, with our limits: 1..KEY_NAME_BYTES_MAX
 * bytes of valid UTF-8 with no '+', no Unicode space and no control character. */
bool IsValidKeyName(std::string_view name);

/** The same without the length limit, which is ours, not the spec's: what a signature line in a
 * note may name. A longer name matches none of our keys, so its signature is ignored as an
 * unknown key's, as c2sp.org/signed-note requires, rather than failing the note. */
bool IsKeyNameOfTheSpec(std::string_view name);

/** True for valid UTF-8 (no overlong forms, no surrogates) without control characters
 * (Unicode category Cc: U+0000..U+001F, U+007F..U+009F) other than newline.
 *
 * The signed-note spec forbids only those below U+0020; we also refuse DEL and the C1 controls,
 * because note texts are shown to residents and such characters only serve to confuse a display.
 */
bool IsValidNoteUtf8(std::string_view text);

//! A public key with its name and type: what a verifier is configured with.
struct VerifierKey {
    std::string name;
    KeyId key_id{0};
    KeyType type{KeyType::ed25519};
    PublicKey public_key{};

    friend bool operator==(const VerifierKey&, const VerifierKey&) = default;
};

//! Parses "name+keyid+base64(type || public key)"; Errc::key_malformed on any deviation,
//! including a key id that differs from the one computed from the name and key.
boost::system::result<VerifierKey> ParseVerifierKey(std::string_view text);

std::string FormatVerifierKey(const VerifierKey& key);

/** Ed25519 verification of message under public_key.
 * Errc::signature_invalid if it does not verify; Errc::crypto_failure if OpenSSL fails. */
boost::system::result<void> VerifyEd25519(const PublicKey& public_key, std::string_view message,
                                          std::span<const std::uint8_t> signature);

//! Frees an EVP_PKEY; OpenSSL clears the private key as it does.
struct PrivateKeyDeleter {
    void operator()(evp_pkey_st* key) const noexcept;
};

//! A private Ed25519 key with its name and type. Move-only: the secret lives in one place.
class SignerKey
{
public:
    /** Errc::key_malformed for an invalid name; Errc::crypto_failure if OpenSSL fails.
     * The caller clears its copy of the seed; this object keeps it only inside OpenSSL. */
    static boost::system::result<SignerKey>
    FromSeed(std::string_view name, KeyType type,
             std::span<const std::uint8_t, ED25519_SEED_BYTES> seed);

    [[nodiscard]] const std::string& Name() const { return m_name; }
    [[nodiscard]] KeyType Type() const { return m_type; }
    [[nodiscard]] KeyId Id() const { return m_key_id; }
    [[nodiscard]] const PublicKey& Public() const { return m_public_key; }

    //! The raw Ed25519 signature of message; Errc::crypto_failure if OpenSSL fails.
    [[nodiscard]] boost::system::result<Ed25519Signature> Sign(std::string_view message) const;

private:
    SignerKey(std::string name, KeyType type, const PublicKey& public_key,
              std::unique_ptr<evp_pkey_st, PrivateKeyDeleter> private_key);

    std::string m_name;
    KeyType m_type;
    KeyId m_key_id;
    PublicKey m_public_key;
    std::unique_ptr<evp_pkey_st, PrivateKeyDeleter> m_private_key;
};

/** Makes a fresh key from OpenSSL's RAND_bytes and returns its private key text.
 * The text is the secret: store it where secrets go and clear it (OPENSSL_cleanse) after use.
 * Errc::key_malformed for an invalid name; Errc::crypto_failure if OpenSSL fails. */
boost::system::result<std::string> GenerateSignerKey(std::string_view name,
                                                     KeyType type = KeyType::ed25519);

//! Parses "PRIVATE+KEY+name+keyid+base64(type || seed)"; Errc::key_malformed on any deviation,
//! including a key id that differs from the one computed from the name and derived public key.
boost::system::result<SignerKey> ParseSignerKey(std::string_view text);

VerifierKey VerifierKeyOf(const SignerKey& signer);

/** The keys a verifier trusts, looked up by (name, key id) as c2sp.org/signed-note requires:
 * a signature that matches a known key in only one of the two is from an unknown key. */
class Verifiers
{
public:
    /** Adds key; adding an identical key again changes nothing. Errc::key_malformed if another
     * key with the same name and key id is present, as that pair must identify one key, or if
     * the key's type is not a KeyType enumerator. */
    boost::system::result<void> Add(VerifierKey key);

    //! The key named name with key id key_id, or nullptr.
    [[nodiscard]] const VerifierKey* Find(std::string_view name, KeyId key_id) const;

    [[nodiscard]] std::size_t Size() const { return m_keys.size(); }

private:
    //! A handful of keys (a log and its witnesses): a linear search is fast enough and simple.
    std::vector<VerifierKey> m_keys;
};

} // namespace wijkbudget::ledger
