#pragma once
// ledger/cosignature.hpp: C2SP tlog-cosignature with Ed25519 (signature type 0x04): the
// auditor, as witness, states that at a given time this checkpoint was the largest consistent
// tree head it had seen for the log.
//
// Facts from c2sp.org/tlog-cosignature (the C2SP/C2SP repository, tlog-cosignature.md,
// sections "Format" and "Ed25519 signed message"):
//   key id    = SHA-256(name || "\n" || 0x04 || 32-byte public key)[:4]
//   signature = key id (4 bytes) || timestamp (u64, big-endian) || Ed25519 signature (64 bytes)
//   message   = "cosignature/v1\n" || "time " || decimal timestamp, no leading zeroes || "\n"
//               || the whole checkpoint body, extension lines and final newline included
//   timestamp = POSIX seconds; it MUST NOT exceed 2^63 - 1.
// Verifier keys for it are vkeys with type 0x04: name+keyid+base64(0x04 || public key).

#include "ledger/checkpoint.hpp"
#include "ledger/note_key.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace wijkbudget::ledger {

//! The header line: domain separation from every other use of the witness key.
inline constexpr std::string_view COSIGNATURE_HEADER{"cosignature/v1\n"};
//! The spec caps the u64 timestamp at 2^63 - 1.
inline constexpr std::uint64_t COSIGNATURE_TIMESTAMP_MAX{(std::uint64_t{1} << 63U) - 1};
inline constexpr std::size_t COSIGNATURE_TIMESTAMP_BYTES{8};
//! The timestamped_signature structure: the timestamp, then the Ed25519 signature.
inline constexpr std::size_t COSIGNATURE_BYTES{COSIGNATURE_TIMESTAMP_BYTES +
                                               ED25519_SIGNATURE_BYTES};

//! The message a witness signs. @pre timestamp <= COSIGNATURE_TIMESTAMP_MAX.
std::string CosignatureMessage(std::string_view checkpoint_body, std::uint64_t timestamp);

/** The witness's signature line for checkpoint, ready for AddSignatureLine.
 *
 * @pre The witness has verified the log's signature and the consistency of checkpoint with the
 * last one it cosigned: a cosignature asserts both.
 * Errc::key_malformed if witness is not of KeyType::cosignature_ed25519; Errc::note_malformed
 * if the checkpoint does not format or timestamp exceeds COSIGNATURE_TIMESTAMP_MAX;
 * Errc::crypto_failure if OpenSSL fails.
 */
boost::system::result<std::string> Cosign(const Checkpoint& checkpoint, const SignerKey& witness,
                                          std::uint64_t timestamp);

/** Verifies a timestamped signature (the bytes after the key id) by witness over
 * checkpoint_body and returns its timestamp.
 * Errc::key_malformed if witness is not of KeyType::cosignature_ed25519;
 * Errc::signature_invalid for a wrong length, a timestamp above COSIGNATURE_TIMESTAMP_MAX or a
 * signature that does not verify; Errc::crypto_failure if OpenSSL fails. Freshness is the
 * caller's business: the ledger has no clock. */
boost::system::result<std::uint64_t>
VerifyCosignature(const VerifierKey& witness, std::string_view checkpoint_body,
                  std::span<const std::uint8_t> timestamped_signature);

} // namespace wijkbudget::ledger
