#include "ledger/note.hpp"

#include "ledger/assert.hpp"
#include "ledger/base64.hpp"
#include "ledger/cosignature.hpp"
#include "ledger/errc.hpp"

#include <algorithm>
#include <array>

namespace wijkbudget::ledger {
namespace {

//! The shortest signature: a key id and at least one byte (as Go's note package requires).
constexpr std::size_t NOTE_SIGNATURE_BYTES_MIN{KEY_ID_BYTES + 1};

//! One signature line, split but not verified.
struct SignatureLine {
    std::string_view name;
    KeyId key_id{0};
    std::vector<std::uint8_t> signature; //!< The bytes after the key id.
};

//! A note split into its text and signature lines; nothing verified yet.
struct SplitNote {
    std::string_view text;
    std::vector<SignatureLine> lines;
};

//! line without its newline: "— name base64".
boost::system::result<SignatureLine> ParseSignatureLine(std::string_view line)
{
    if (!line.starts_with(SIGNATURE_LINE_PREFIX)) return make_error_code(Errc::note_malformed);
    line.remove_prefix(SIGNATURE_LINE_PREFIX.size());
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) return make_error_code(Errc::note_malformed);
    const std::string_view name = line.substr(0, space);
    auto blob = FromBase64(line.substr(space + 1));
    // An empty base64 part decodes to nothing and fails the length check with the rest.
    if (!IsKeyNameOfTheSpec(name) || !blob || blob->size() < NOTE_SIGNATURE_BYTES_MIN) {
        return make_error_code(Errc::note_malformed);
    }
    const auto& bytes = *blob;
    const KeyId key_id = (KeyId{bytes[0]} << 24U) | (KeyId{bytes[1]} << 16U) |
                         (KeyId{bytes[2]} << 8U) | KeyId{bytes[3]};
    blob->erase(blob->begin(), blob->begin() + KEY_ID_BYTES);
    return SignatureLine{name, key_id, std::move(*blob)};
}

//! Checks everything about a note that needs no key.
boost::system::result<SplitNote> Split(std::string_view note)
{
    if (note.size() > NOTE_BYTES_MAX || !IsValidNoteUtf8(note)) {
        return make_error_code(Errc::note_malformed);
    }
    // The text may hold blank lines itself; the last blank line starts the signatures.
    const std::size_t blank = note.rfind("\n\n");
    if (blank == std::string_view::npos) return make_error_code(Errc::note_malformed);
    SplitNote split{note.substr(0, blank + 1), {}};
    std::string_view rest = note.substr(blank + 2);
    if (rest.empty() || rest.back() != '\n') return make_error_code(Errc::note_malformed);
    while (!rest.empty()) {
        if (split.lines.size() == NOTE_SIGNATURES_MAX) {
            return make_error_code(Errc::note_malformed);
        }
        const std::size_t newline = rest.find('\n');
        auto line = ParseSignatureLine(rest.substr(0, newline));
        if (!line) return line.error();
        split.lines.push_back(std::move(*line));
        rest.remove_prefix(newline + 1);
    }
    return split;
}

//! Verifies one signature by a known key, by the rules of its signature type.
boost::system::result<NoteSignature> Verify(const VerifierKey& key, std::string_view text,
                                            std::span<const std::uint8_t> signature)
{
    NoteSignature verified{key.name, key.key_id, key.type, std::nullopt};
    if (key.type == KeyType::ed25519) {
        const auto result = VerifyEd25519(key.public_key, text, signature);
        if (!result) return result.error();
        return verified;
    }
    WB_ASSERT(key.type == KeyType::cosignature_ed25519);
    const auto timestamp = VerifyCosignature(key, text, signature);
    if (!timestamp) return timestamp.error();
    verified.timestamp = *timestamp;
    return verified;
}

} // namespace

bool IsValidNoteText(std::string_view text)
{
    return !text.empty() && text.size() <= NOTE_BYTES_MAX && text.back() == '\n' &&
           IsValidNoteUtf8(text);
}

boost::system::result<std::string>
SignNote(std::string_view text, const std::vector<std::reference_wrapper<const SignerKey>>& signers)
{
    if (!IsValidNoteText(text) || signers.empty() || signers.size() > NOTE_SIGNATURES_MAX) {
        return make_error_code(Errc::note_malformed);
    }
    std::string note(text);
    note += '\n';
    for (const SignerKey& signer : signers) {
        if (signer.Type() != KeyType::ed25519) return make_error_code(Errc::key_malformed);
        const auto signature = signer.Sign(text);
        if (!signature) return signature.error();
        note += FormatSignatureLine(signer.Name(), signer.Id(), *signature);
    }
    // Refuse to write what OpenNote would refuse to read.
    if (note.size() > NOTE_BYTES_MAX) return make_error_code(Errc::note_malformed);
    return note;
}

boost::system::result<std::string> SignNote(std::string_view text, const SignerKey& signer)
{
    return SignNote(text, std::vector<std::reference_wrapper<const SignerKey>>{signer});
}

std::string FormatSignatureLine(std::string_view key_name, KeyId key_id,
                                std::span<const std::uint8_t> signature)
{
    WB_ASSERT(IsValidKeyName(key_name));
    std::vector<std::uint8_t> blob{
        static_cast<std::uint8_t>(key_id >> 24U), static_cast<std::uint8_t>(key_id >> 16U),
        static_cast<std::uint8_t>(key_id >> 8U), static_cast<std::uint8_t>(key_id)};
    blob.insert(blob.end(), signature.begin(), signature.end());
    std::string line(SIGNATURE_LINE_PREFIX);
    line += key_name;
    line += ' ';
    line += ToBase64(blob);
    line += '\n';
    return line;
}

boost::system::result<std::string> AddSignatureLine(std::string_view note,
                                                    std::string_view signature_line)
{
    // One line only: a "line" with its own blank line could move the text/signature split.
    if (signature_line.empty() || signature_line.back() != '\n' ||
        signature_line.find('\n') != signature_line.size() - 1) {
        return make_error_code(Errc::note_malformed);
    }
    std::string combined(note);
    combined += signature_line;
    const auto split = Split(combined);
    if (!split) return split.error();
    // The text must not change: that would happen if note lacked its signatures.
    if (split->text.size() + 1 >= note.size()) return make_error_code(Errc::note_malformed);
    return combined;
}

boost::system::result<OpenedNote> OpenNote(std::string_view note, const Verifiers& verifiers)
{
    const auto split = Split(note);
    if (!split) return split.error();
    OpenedNote opened{std::string(split->text), {}};
    for (const SignatureLine& line : split->lines) {
        const VerifierKey* key = verifiers.Find(line.name, line.key_id);
        if (key == nullptr) continue;
        auto verified = Verify(*key, split->text, line.signature);
        if (!verified) return verified.error();
        // A key that signed twice is listed once; both of its signatures had to verify.
        const bool listed = std::any_of(
            opened.signatures.begin(), opened.signatures.end(), [&](const NoteSignature& seen) {
                return seen.name == verified->name && seen.key_id == verified->key_id;
            });
        if (!listed) opened.signatures.push_back(std::move(*verified));
    }
    if (opened.signatures.empty()) return make_error_code(Errc::signature_missing);
    return opened;
}

} // namespace wijkbudget::ledger
