#pragma once
// ledger/errc.hpp: the ledger's expected failures as error codes (STYLE.md section 4).
//
// The snake_case name of each value is API: it is the "code" of a problem response and the
// reason wijkbudget-verify prints. A published name is never renamed.

#include <boost/system/error_code.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace wijkbudget::ledger {

enum class Errc {
    // Money.
    amount_out_of_range = 1, //!< An amount outside 1..CENTS_MAX, or a sum that overflows.
    amount_not_integer,      //!< A JSON amount that is a fraction, an exponent, a string or a bool.
    // JSON and entry shape.
    json_malformed,      //!< Not well-formed JSON, or not valid UTF-8.
    json_duplicate_key,  //!< An object names the same key twice.
    json_too_large,      //!< Longer than the named limit allows.
    json_not_canonical,  //!< Bytes that differ from the RFC 8785 form of what they encode.
    field_missing,       //!< A required field is absent.
    field_unknown,       //!< A field the format does not define.
    field_wrong_type,    //!< A field of the wrong JSON type.
    field_too_long,      //!< A string or list longer than its named limit.
    field_invalid,       //!< A field whose value is outside what the format allows.
    unknown_kind,        //!< An entry kind this format version does not define.
    unsupported_version, //!< An entry format version this build cannot read.
    // Postings and the book.
    postings_unbalanced,         //!< Debits and credits of an entry differ.
    postings_not_allowed,        //!< Postings that this kind of entry may not carry.
    postings_mismatch,           //!< Postings that disagree with the entry's payload.
    exceeds_budget_line,         //!< The budget line would go below zero.
    commitment_exists,           //!< A commitment is created a second time.
    commitment_unknown,          //!< A posting to a commitment that was never created.
    commitment_resolved,         //!< A posting to a commitment already released.
    spending_exceeds_commitment, //!< Spending above what is left of the commitment.
    spending_unknown,            //!< A reversal of an entry that is not a spending.
    spending_already_reversed,   //!< A second reversal of the same spending.
    reversal_mismatch,           //!< A reversal whose postings do not mirror the spending's.
    period_closed,               //!< A posting to a budget line of a closed year.
    recorded_balance_mismatch,   //!< The balance or version written in a posting is wrong.
    round_exists,                //!< A round opened a second time.
    round_unknown,               //!< No round with this id was opened.
    round_closed,                //!< A round closed a second time.
    // Merkle trees and proofs.
    hash_wrong_size,     //!< A hash that is not 32 bytes.
    index_out_of_range,  //!< A leaf index not below the tree size.
    tree_size_invalid,   //!< A tree size that is zero or out of order where it may not be.
    proof_wrong_length,  //!< A proof with more or fewer hashes than the sizes require.
    root_mismatch,       //!< A proof that does not lead to the expected root.
    stored_hash_missing, //!< The hash store lacks a hash the tree needs.
    entry_altered,       //!< An entry's leaf hash differs from the one its successor records.
    export_incomplete,   //!< An export holds fewer entries than its checkpoint covers.
    sequence_conflict,   //!< A batch does not start at the stored ledger's size.
    storage_unavailable, //!< The store could not be read or written; nothing was changed.
    // Signed notes, keys and checkpoints.
    note_malformed,          //!< A signed note or checkpoint that breaks its format.
    key_malformed,           //!< A verifier or signer key that breaks its format.
    signature_invalid,       //!< A signature by a known key that does not verify.
    signature_missing,       //!< No signature by a required key.
    checkpoint_inconsistent, //!< A checkpoint that does not extend the previous one.
    crypto_failure,          //!< OpenSSL failed where it should not (out of memory and the like).
};

//! The category of ledger::Errc; its name() is "wijkbudget.ledger".
const boost::system::error_category& LedgerCategory() noexcept;

boost::system::error_code make_error_code(Errc value) noexcept;

//! The stable snake_case machine code, e.g. "exceeds_budget_line".
std::string_view CodeName(Errc value) noexcept;

//! A failure with the place it happened: the JSON field path, the account, the entry index.
struct Failure {
    boost::system::error_code code;
    std::string where;

    //! "field_missing at payload.amount_cents: a required field is absent".
    [[nodiscard]] std::string Describe() const;
};

Failure MakeFailure(Errc value, std::string where);

} // namespace wijkbudget::ledger

namespace boost::system {
template <>
struct is_error_code_enum<wijkbudget::ledger::Errc> : std::true_type {};
} // namespace boost::system
