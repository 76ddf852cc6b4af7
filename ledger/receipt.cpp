#include "ledger/receipt.hpp"

#include "ledger/base64.hpp"
#include "ledger/errc.hpp"
#include "ledger/merkle.hpp"

#include <algorithm>
#include <charconv>

namespace wijkbudget::ledger {
namespace {

//! Splits off the next line (without its newline); nullopt if no newline is left.
std::optional<std::string_view> NextLine(std::string_view& rest)
{
    const std::size_t newline = rest.find('\n');
    if (newline == std::string_view::npos) return std::nullopt;
    std::string_view line = rest.substr(0, newline);
    rest.remove_prefix(newline + 1);
    return line;
}

std::optional<std::uint64_t> DecimalOf(std::string_view text)
{
    if (text.empty() || (text.size() > 1 && text.front() == '0')) return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

} // namespace

std::string FormatReceipt(const Receipt& receipt)
{
    std::string text(RECEIPT_HEADER);
    text += '\n';
    if (receipt.extra) text += "extra " + ToBase64(*receipt.extra) + "\n";
    text += "index " + std::to_string(receipt.index) + "\n";
    for (const Hash& hash : receipt.proof)
        text += ToBase64(hash) + "\n";
    text += '\n';
    return text + receipt.checkpoint;
}

boost::system::result<Receipt> ParseReceipt(std::string_view text)
{
    const auto malformed = make_error_code(Errc::note_malformed);
    if (text.size() > RECEIPT_BYTES_MAX) return malformed;
    std::string_view rest = text;
    if (NextLine(rest) != RECEIPT_HEADER) return malformed;
    Receipt receipt;
    auto line = NextLine(rest);
    if (line && line->starts_with("extra ")) {
        auto extra = FromBase64(line->substr(6));
        if (!extra || extra->size() > RECEIPT_EXTRA_BYTES_MAX) return malformed;
        receipt.extra = std::move(*extra);
        line = NextLine(rest);
    }
    if (!line || !line->starts_with("index ")) return malformed;
    auto index = DecimalOf(line->substr(6));
    if (!index) return malformed;
    receipt.index = *index;
    while ((line = NextLine(rest)) && !line->empty()) {
        if (receipt.proof.size() == RECEIPT_PROOF_HASHES_MAX) return malformed;
        auto hash = FromBase64(*line);
        if (!hash) return malformed;
        if (hash->size() != HASH_BYTES) return make_error_code(Errc::hash_wrong_size);
        receipt.proof.emplace_back();
        std::copy(hash->begin(), hash->end(), receipt.proof.back().begin());
    }
    if (!line || rest.empty()) return malformed; // No blank line, or no checkpoint after it.
    receipt.checkpoint = std::string(rest);
    return receipt;
}

boost::system::result<OpenedCheckpoint>
VerifyReceipt(std::string_view receipt_text, std::string_view entry_bytes,
              const VerifierKey& log_key, std::span<const VerifierKey> required_witnesses)
{
    auto receipt = ParseReceipt(receipt_text);
    if (!receipt) return receipt.error();
    auto opened = OpenCheckpoint(receipt->checkpoint, log_key, required_witnesses);
    if (!opened) return opened.error();
    const Checkpoint& checkpoint = opened->checkpoint;
    if (receipt->index >= checkpoint.size) return make_error_code(Errc::index_out_of_range);
    auto included = VerifyInclusion(receipt->index, checkpoint.size, LeafHash(entry_bytes),
                                    receipt->proof, checkpoint.root);
    if (!included) return included.error();
    return opened;
}

} // namespace wijkbudget::ledger
