#pragma once
// ledger/receipt.hpp: C2SP tlog-proof receipts: "this entry is in the log", verifiable offline.
//
// A receipt is the header line "c2sp.org/tlog-proof@v1", an optional "extra <base64>" line,
// "index <n>", the inclusion proof (one base64 hash a line, from the leaf's sibling up), a blank
// line, and the log's signed checkpoint verbatim (C2SP tlog-proof, tlog-checkpoint). A write
// answers with one, so a resident can prove what was recorded without trusting us later.

#include "ledger/checkpoint.hpp"
#include "ledger/note_key.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

inline constexpr std::string_view RECEIPT_HEADER{"c2sp.org/tlog-proof@v1"};
//! A proof of a tree below 2^64 leaves has at most 64 hashes.
inline constexpr std::size_t RECEIPT_PROOF_HASHES_MAX{64};
//! Extra data is opaque and unauthenticated; we write none and bound what we read.
inline constexpr std::size_t RECEIPT_EXTRA_BYTES_MAX{4096};
//! The longest receipt read: every part at its own limit at once (the header, the extra line,
//! an index of 20 digits, RECEIPT_PROOF_HASHES_MAX proof lines, the blank line, the note).
inline constexpr std::size_t RECEIPT_BYTES_MAX{
    RECEIPT_HEADER.size() + 1 + (6 + (RECEIPT_EXTRA_BYTES_MAX + 2) / 3 * 4 + 1) + (6 + 20 + 1) +
    RECEIPT_PROOF_HASHES_MAX * (44 + 1) + 1 + NOTE_BYTES_MAX};

struct Receipt {
    std::optional<std::vector<std::uint8_t>> extra;
    std::uint64_t index{0};
    std::vector<Hash> proof;
    std::string checkpoint; //!< The signed checkpoint note, verbatim.
    friend bool operator==(const Receipt&, const Receipt&) = default;
};

std::string FormatReceipt(const Receipt& receipt);

//! Strict: FormatReceipt(ParseReceipt(text)) == text. Errc::note_malformed for any deviation
//! (header, a leading zero, bad base64, a missing blank line); Errc::hash_wrong_size for a
//! proof line that is not 32 bytes.
boost::system::result<Receipt> ParseReceipt(std::string_view text);

/**
 * Whether `receipt_text` proves that `entry_bytes` is the leaf at its index in a checkpoint
 * the log key signed and every required witness cosigned. Errors: those of ParseReceipt and
 * OpenCheckpoint, then Errc::index_out_of_range, Errc::proof_wrong_length, Errc::root_mismatch.
 */
boost::system::result<OpenedCheckpoint>
VerifyReceipt(std::string_view receipt_text, std::string_view entry_bytes,
              const VerifierKey& log_key, std::span<const VerifierKey> required_witnesses);

} // namespace wijkbudget::ledger
