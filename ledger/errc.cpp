#include "ledger/errc.hpp"

#include "ledger/error_table.hpp"

#include <array>
#include <utility>

namespace wijkbudget::ledger {
namespace {

using ErrcText = ErrorText<Errc>;

constexpr std::array ERRC_TEXTS{
    ErrcText{Errc::amount_out_of_range, "amount_out_of_range",
             "amount outside 1..10^13 cents, or a sum that overflows"},
    ErrcText{Errc::amount_not_integer, "amount_not_integer",
             "amount must be a JSON integer of cents"},
    ErrcText{Errc::json_malformed, "json_malformed",
             "not well-formed UTF-8 JSON, or nested deeper or wider than the format allows"},
    ErrcText{Errc::json_duplicate_key, "json_duplicate_key", "an object repeats a key"},
    ErrcText{Errc::json_too_large, "json_too_large", "JSON text longer than its limit"},
    ErrcText{Errc::json_not_canonical, "json_not_canonical",
             "bytes are not the RFC 8785 canonical form"},
    ErrcText{Errc::field_missing, "field_missing", "a required field is absent"},
    ErrcText{Errc::field_unknown, "field_unknown", "the format does not define this field"},
    ErrcText{Errc::field_wrong_type, "field_wrong_type", "the field has the wrong JSON type"},
    ErrcText{Errc::field_too_long, "field_too_long", "the field is longer than its limit"},
    ErrcText{Errc::field_invalid, "field_invalid", "the field's value is not allowed"},
    ErrcText{Errc::unknown_kind, "unknown_kind", "unknown entry kind"},
    ErrcText{Errc::unsupported_version, "unsupported_version", "unsupported entry format version"},
    ErrcText{Errc::postings_unbalanced, "postings_unbalanced", "debits and credits differ"},
    ErrcText{Errc::postings_not_allowed, "postings_not_allowed",
             "this kind of entry may not carry these postings"},
    ErrcText{Errc::postings_mismatch, "postings_mismatch",
             "the postings disagree with the entry's payload"},
    ErrcText{Errc::exceeds_budget_line, "exceeds_budget_line",
             "the budget line would go below zero"},
    ErrcText{Errc::commitment_exists, "commitment_exists", "the commitment already exists"},
    ErrcText{Errc::commitment_unknown, "commitment_unknown", "no such commitment"},
    ErrcText{Errc::commitment_resolved, "commitment_resolved",
             "the commitment has already been released"},
    ErrcText{Errc::spending_exceeds_commitment, "spending_exceeds_commitment",
             "spending exceeds what is left of the commitment"},
    ErrcText{Errc::spending_unknown, "spending_unknown", "the entry reversed is not a spending"},
    ErrcText{Errc::spending_already_reversed, "spending_already_reversed",
             "the spending has already been reversed"},
    ErrcText{Errc::reversal_mismatch, "reversal_mismatch",
             "the reversal does not mirror the spending's postings"},
    ErrcText{Errc::period_closed, "period_closed", "the budget year is closed"},
    ErrcText{Errc::recorded_balance_mismatch, "recorded_balance_mismatch",
             "the balance or version recorded in a posting is wrong"},
    ErrcText{Errc::round_exists, "round_exists", "a round with this id is already opened"},
    ErrcText{Errc::round_unknown, "round_unknown", "no round with this id was opened"},
    ErrcText{Errc::round_closed, "round_closed", "the round is already closed"},
    ErrcText{Errc::hash_wrong_size, "hash_wrong_size", "a hash is not 32 bytes"},
    ErrcText{Errc::index_out_of_range, "index_out_of_range", "leaf index not below tree size"},
    ErrcText{Errc::tree_size_invalid, "tree_size_invalid", "invalid tree size"},
    ErrcText{Errc::proof_wrong_length, "proof_wrong_length",
             "the proof has the wrong number of hashes"},
    ErrcText{Errc::root_mismatch, "root_mismatch", "the proof does not lead to the root"},
    ErrcText{Errc::stored_hash_missing, "stored_hash_missing", "a stored hash is missing"},
    ErrcText{Errc::entry_altered, "entry_altered",
             "the entry's leaf hash differs from the one the next entry records"},
    ErrcText{Errc::export_incomplete, "export_incomplete",
             "the export holds fewer entries than the checkpoint covers"},
    ErrcText{Errc::sequence_conflict, "sequence_conflict",
             "the batch does not start where the stored ledger ends"},
    ErrcText{Errc::storage_unavailable, "storage_unavailable", "the ledger storage is unavailable"},
    ErrcText{Errc::note_malformed, "note_malformed", "malformed signed note or checkpoint"},
    ErrcText{Errc::key_malformed, "key_malformed", "malformed key"},
    ErrcText{Errc::signature_invalid, "signature_invalid", "a signature does not verify"},
    ErrcText{Errc::signature_missing, "signature_missing", "no signature by a required key"},
    ErrcText{Errc::checkpoint_inconsistent, "checkpoint_inconsistent",
             "the checkpoint does not extend the previous one"},
    ErrcText{Errc::crypto_failure, "crypto_failure", "cryptographic library failure"},
};

//! A function-local static, so that other files' static initialisers may already use it.
const auto& LedgerTable() noexcept
{
    static const TableErrorCategory category{"wijkbudget.ledger", ERRC_TEXTS};
    return category;
}

} // namespace

const boost::system::error_category& LedgerCategory() noexcept
{
    return LedgerTable();
}

boost::system::error_code make_error_code(Errc value) noexcept
{
    return {static_cast<int>(value), LedgerCategory()};
}

std::string_view CodeName(Errc value) noexcept
{
    return LedgerTable().Code(value);
}

namespace {

//! `where` may quote a key from the input. Printed raw, a key holding a carriage return or an
//! escape sequence could paint "valid" over the verdict on a terminal: every byte outside
//! printable ASCII is shown as \xNN, and the text is cut at a named length.
constexpr std::size_t WHERE_PRINTED_BYTES_MAX{200};

std::string Printable(std::string_view where)
{
    constexpr std::string_view HEX{"0123456789abcdef"};
    std::string text;
    for (char c : where.substr(0, WHERE_PRINTED_BYTES_MAX)) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F) {
            text.push_back(c);
            continue;
        }
        text += "\\x";
        text.push_back(HEX[byte >> 4U]);
        text.push_back(HEX[byte & 0x0FU]);
    }
    if (where.size() > WHERE_PRINTED_BYTES_MAX) text += "...";
    return text;
}

} // namespace

std::string Failure::Describe() const
{
    std::string text;
    if (code.category() == LedgerCategory()) {
        text = std::string(CodeName(static_cast<Errc>(code.value())));
    } else {
        text = code.to_string();
    }
    if (!where.empty()) text += " at " + Printable(where);
    return text + ": " + code.message();
}

Failure MakeFailure(Errc value, std::string where)
{
    return Failure{make_error_code(value), std::move(where)};
}

} // namespace wijkbudget::ledger
