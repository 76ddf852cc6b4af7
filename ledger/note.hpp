#pragma once
// ledger/note.hpp: C2SP signed notes (c2sp.org/signed-note): a UTF-8 text, a blank line, and
// one or more lines "— <key name> base64(key id || signature)".
//
// A note's text means nothing until a trusted key's signature over it has verified, so
// OpenNote is the only way to get the text out of a note.

#include "ledger/note_key.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

/** The longest note read or written. A checkpoint with NOTE_SIGNATURES_MAX signatures stays
 * far below it; it matches the API's request body limit, since notes arrive from outside. */
inline constexpr std::size_t NOTE_BYTES_MAX{std::size_t{64} * 1024};
/** The most signature lines in a note. The spec asks verifiers to accept at least 16; 100 is
 * what Go's golang.org/x/mod/sumdb/note allows, and leaves room for many witnesses. */
inline constexpr std::size_t NOTE_SIGNATURES_MAX{100};
//! U+2014 EM DASH and a space: how every signature line starts.
inline constexpr std::string_view SIGNATURE_LINE_PREFIX{"\xE2\x80\x94 "};

//! A signature by a known key that verified.
struct NoteSignature {
    std::string name;
    KeyId key_id{0};
    KeyType type{KeyType::ed25519};
    //! For KeyType::cosignature_ed25519: when the witness cosigned, in seconds since the epoch.
    std::optional<std::uint64_t> timestamp;

    friend bool operator==(const NoteSignature&, const NoteSignature&) = default;
};

//! A note whose signatures by known keys all verified, with at least one of them.
struct OpenedNote {
    std::string text;
    //! One entry per known key that signed, in the order of the note's lines.
    std::vector<NoteSignature> signatures;
};

/** True for text a note may carry: 1..NOTE_BYTES_MAX bytes of IsValidNoteUtf8 text that ends
 * in a newline. */
bool IsValidNoteText(std::string_view text);

/** Signs text with each signer, in order, and returns the whole note.
 * Errc::note_malformed for text that fails IsValidNoteText, for zero or more than
 * NOTE_SIGNATURES_MAX signers, or a note longer than NOTE_BYTES_MAX; Errc::key_malformed for a
 * signer of another type than KeyType::ed25519 (witnesses use Cosign); Errc::crypto_failure. */
boost::system::result<std::string>
SignNote(std::string_view text,
         const std::vector<std::reference_wrapper<const SignerKey>>& signers);
boost::system::result<std::string> SignNote(std::string_view text, const SignerKey& signer);

//! "— <key name> base64(key id || signature)\n". @pre IsValidKeyName(key_name).
std::string FormatSignatureLine(std::string_view key_name, KeyId key_id,
                                std::span<const std::uint8_t> signature);

/** note with signature_line appended, e.g. a witness's cosignature.
 * Errc::note_malformed if note or line is not well-formed, or the result breaks the limits.
 * It does not verify anything: OpenNote does that. */
boost::system::result<std::string> AddSignatureLine(std::string_view note,
                                                    std::string_view signature_line);

/** Checks note against verifiers and returns its text and verified signatures.
 *
 * Errc::note_malformed for a note that breaks the format: too long, not valid UTF-8, a control
 * character other than newline, no blank line before the signatures, a signature line that is
 * not "— name base64\n", bad base64, a signature shorter than a key id and one byte, more than
 * NOTE_SIGNATURES_MAX signature lines. Signatures whose (name, key id) is not in verifiers are
 * ignored, as the spec requires. Errc::signature_invalid if a known key's signature does not
 * verify (the spec says SHOULD reject the note; we do). Errc::signature_missing if no known key
 * signed. Errc::crypto_failure if OpenSSL fails.
 */
boost::system::result<OpenedNote> OpenNote(std::string_view note, const Verifiers& verifiers);

} // namespace wijkbudget::ledger
