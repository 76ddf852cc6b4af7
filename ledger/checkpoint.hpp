#pragma once
// ledger/checkpoint.hpp: C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the signed statement
// of the ledger's tree size and Merkle root, as the body of a signed note.
//
// Body: the origin line, the tree size in decimal, the base64 root hash, then optional
// non-empty extension lines; every line ends in a newline. The log signs it with its Ed25519
// key (type 0x01); the auditor cosigns it as witness (ledger/cosignature.hpp).

#include "ledger/note.hpp"
#include "ledger/note_key.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

//! The spec discourages extension lines and we write none; this bounds what we read.
inline constexpr std::size_t CHECKPOINT_EXTENSION_LINES_MAX{16};
//! The longest tree size line: 2^64 - 1 has 20 digits.
inline constexpr std::size_t CHECKPOINT_SIZE_DIGITS_MAX{20};

struct Checkpoint {
    //! Names the log; our logs' origin equals the log key's name.
    std::string origin;
    //! The number of leaves.
    std::uint64_t size{0};
    //! The RFC 9162 Merkle tree hash of the first size leaves.
    Hash root{};
    //! Opaque and non-empty; the log does not write them, foreign logs might.
    std::vector<std::string> extensions;

    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

/** The note text of checkpoint. Errc::note_malformed if the origin or an extension line is
 * empty or holds a newline or another control character, or if there are more than
 * CHECKPOINT_EXTENSION_LINES_MAX extension lines. */
boost::system::result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

/** Parses a checkpoint body, strictly: FormatCheckpoint(ParseCheckpoint(body)) == body.
 * Errc::note_malformed for anything but the format above (a size with a leading zero, a sign,
 * more than 2^64 - 1, bad base64, an empty extension line, a missing final newline, and so on);
 * Errc::hash_wrong_size for a root hash that decodes to other than 32 bytes. */
boost::system::result<Checkpoint> ParseCheckpoint(std::string_view body);

/** The checkpoint as a note signed by the log.
 * Errc::note_malformed if FormatCheckpoint fails or the origin is not log_signer's name;
 * otherwise the errors of SignNote. */
boost::system::result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                                  const SignerKey& log_signer);

//! A checkpoint that the log signed and every required witness cosigned.
struct OpenedCheckpoint {
    Checkpoint checkpoint;
    //! The verified signatures: the log's and the witnesses', with their cosigning times.
    std::vector<NoteSignature> signatures;
};

/** Opens a checkpoint note: the log key and every key in required_witnesses must have signed
 * it, and the checkpoint's origin must be the log key's name.
 *
 * The spec says the log key's name SHOULD match the origin; we enforce it, since our log
 * always does so and it ties the verifier key to the log it names.
 * Errc::key_malformed if two of the keys share a name and key id; the errors of OpenNote;
 * Errc::signature_missing if the log or a required witness did not sign; the errors of
 * ParseCheckpoint; Errc::note_malformed if the origin is not the log key's name.
 */
boost::system::result<OpenedCheckpoint>
OpenCheckpoint(std::string_view note, const VerifierKey& log_key,
               std::span<const VerifierKey> required_witnesses);

/**
 * Whether `newer` extends `older`: same origin, a size not smaller, and `proof` a valid
 * consistency proof between them (empty for equal sizes, which need equal roots; the empty
 * tree's checkpoint is extended by every newer one, and by itself only with the empty root). The
 * log checks this before it signs a new checkpoint, and a witness before it cosigns: a log that
 * rewrote its history cannot pass. Errc::checkpoint_inconsistent otherwise.
 */
boost::system::result<void> VerifyCheckpointExtends(const Checkpoint& older,
                                                    const Checkpoint& newer,
                                                    std::span<const Hash> proof);

} // namespace wijkbudget::ledger
