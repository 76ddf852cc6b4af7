#include "ledger/checkpoint.hpp"

#include "ledger/base64.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"

#include <algorithm>

namespace wijkbudget::ledger {
namespace {

//! A line of a checkpoint body: non-empty, valid UTF-8, no newline or other control character.
bool IsValidLine(std::string_view line)
{
    return !line.empty() && line.find('\n') == std::string_view::npos && IsValidNoteUtf8(line);
}

//! Decimal without a sign or leading zero ("0" itself excepted), at most 2^64 - 1.
std::optional<std::uint64_t> ParseTreeSize(std::string_view line)
{
    if (line.empty() || line.size() > CHECKPOINT_SIZE_DIGITS_MAX) return std::nullopt;
    if (line.size() > 1 && line.front() == '0') return std::nullopt;
    std::uint64_t size = 0;
    for (char digit : line) {
        if (digit < '0' || digit > '9') return std::nullopt;
        const auto value = static_cast<std::uint64_t>(digit - '0');
        if (size > (UINT64_MAX - value) / 10) return std::nullopt;
        size = size * 10 + value;
    }
    return size;
}

//! Splits a body into its lines; nullopt unless it ends in a newline.
std::optional<std::vector<std::string_view>> SplitLines(std::string_view body)
{
    if (body.empty() || body.back() != '\n') return std::nullopt;
    std::vector<std::string_view> lines;
    while (!body.empty()) {
        const std::size_t newline = body.find('\n');
        lines.push_back(body.substr(0, newline));
        body.remove_prefix(newline + 1);
    }
    return lines;
}

bool HasSigned(const std::vector<NoteSignature>& signatures, const VerifierKey& key)
{
    return std::any_of(signatures.begin(), signatures.end(), [&](const NoteSignature& signature) {
        return signature.name == key.name && signature.key_id == key.key_id;
    });
}

} // namespace

boost::system::result<std::string> FormatCheckpoint(const Checkpoint& checkpoint)
{
    if (!IsValidLine(checkpoint.origin) ||
        checkpoint.extensions.size() > CHECKPOINT_EXTENSION_LINES_MAX) {
        return make_error_code(Errc::note_malformed);
    }
    std::string body = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                       ToBase64(checkpoint.root) + "\n";
    for (const std::string& extension : checkpoint.extensions) {
        if (!IsValidLine(extension)) return make_error_code(Errc::note_malformed);
        body += extension;
        body += '\n';
    }
    return body;
}

boost::system::result<Checkpoint> ParseCheckpoint(std::string_view body)
{
    // The three mandatory lines, and the extensions allowed.
    constexpr std::size_t MANDATORY_LINES{3};
    if (body.size() > NOTE_BYTES_MAX) return make_error_code(Errc::note_malformed);
    const auto lines = SplitLines(body);
    if (!lines || lines->size() < MANDATORY_LINES ||
        lines->size() > MANDATORY_LINES + CHECKPOINT_EXTENSION_LINES_MAX ||
        !std::all_of(lines->begin(), lines->end(), IsValidLine)) {
        return make_error_code(Errc::note_malformed);
    }
    const auto size = ParseTreeSize((*lines)[1]);
    const auto root = FromBase64((*lines)[2]);
    if (!size || !root) return make_error_code(Errc::note_malformed);
    if (root->size() != HASH_BYTES) return make_error_code(Errc::hash_wrong_size);

    Checkpoint checkpoint{std::string((*lines)[0]), *size, {}, {}};
    std::copy(root->begin(), root->end(), checkpoint.root.begin());
    for (auto line = lines->begin() + MANDATORY_LINES; line != lines->end(); ++line) {
        checkpoint.extensions.emplace_back(*line);
    }
    return checkpoint;
}

boost::system::result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                                  const SignerKey& log_signer)
{
    if (checkpoint.origin != log_signer.Name()) return make_error_code(Errc::note_malformed);
    const auto body = FormatCheckpoint(checkpoint);
    if (!body) return body.error();
    return SignNote(*body, log_signer);
}

boost::system::result<OpenedCheckpoint>
OpenCheckpoint(std::string_view note, const VerifierKey& log_key,
               std::span<const VerifierKey> required_witnesses)
{
    // A log signs with an Ed25519 key; a witness's cosignature key (another type) signs a note
    // for a different purpose, and must not pass for the log's signature.
    if (log_key.type != KeyType::ed25519) return make_error_code(Errc::key_malformed);
    Verifiers verifiers;
    if (auto added = verifiers.Add(log_key); !added) return added.error();
    for (const VerifierKey& witness : required_witnesses) {
        if (auto added = verifiers.Add(witness); !added) return added.error();
    }
    auto opened = OpenNote(note, verifiers);
    if (!opened) return opened.error();
    if (!HasSigned(opened->signatures, log_key)) return make_error_code(Errc::signature_missing);
    for (const VerifierKey& witness : required_witnesses) {
        if (!HasSigned(opened->signatures, witness)) {
            return make_error_code(Errc::signature_missing);
        }
    }
    // Only now is the text trusted enough to read (c2sp.org/signed-note).
    auto checkpoint = ParseCheckpoint(opened->text);
    if (!checkpoint) return checkpoint.error();
    if (checkpoint->origin != log_key.name) return make_error_code(Errc::note_malformed);
    return OpenedCheckpoint{std::move(*checkpoint), std::move(opened->signatures)};
}

boost::system::result<void> VerifyCheckpointExtends(const Checkpoint& older,
                                                    const Checkpoint& newer,
                                                    std::span<const Hash> proof)
{
    if (older.origin != newer.origin || older.size > newer.size) {
        return make_error_code(Errc::checkpoint_inconsistent);
    }
    if (older.size == 0) {
        // Two empty trees have one root: an empty newer checkpoint with another is no tree.
        if (!proof.empty() || older.root != EmptyTreeHash() ||
            (newer.size == 0 && newer.root != EmptyTreeHash())) {
            return make_error_code(Errc::checkpoint_inconsistent);
        }
        return {};
    }
    if (!VerifyConsistency(older.size, newer.size, older.root, newer.root, proof)) {
        return make_error_code(Errc::checkpoint_inconsistent);
    }
    return {};
}

} // namespace wijkbudget::ledger
