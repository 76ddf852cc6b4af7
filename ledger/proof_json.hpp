#pragma once
// ledger/proof_json.hpp: the proof files that `wijkbudget-verify inclusion` and `consistency`
// read, and that the API serves.
//
//   inclusion:   {"leaf_index": N, "tree_size": N, "leaf_hash": H, "root": H, "proof": [H, ...]}
//   consistency: {"size1": N, "size2": N, "root1": H, "root2": H, "proof": [H, ...]}
//
// N is a non-negative JSON integer not above TREE_SIZE_MAX; H is 64 lowercase hex digits. The
// reader is strict: every field is required, no other field is allowed, and a failure names the
// field, so that a person holding a receipt learns which part of it is wrong.

#include "ledger/errc.hpp"
#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::ledger {

//! Proofs of trees up to TREE_SIZE_MAX have at most 63 hashes; the limit leaves room and bounds
//! the work a hostile file can cause.
inline constexpr std::size_t PROOF_HASHES_MAX{128};
//! A file with PROOF_HASHES_MAX hashes and its numbers needs about 9 KiB.
inline constexpr std::size_t PROOF_FILE_BYTES_MAX{std::size_t{16} * 1024};

struct InclusionProofFile {
    std::uint64_t leaf_index{0};
    std::uint64_t tree_size{0};
    Hash leaf_hash{};
    Hash root{};
    std::vector<Hash> proof;
    friend bool operator==(const InclusionProofFile&, const InclusionProofFile&) = default;
};

struct ConsistencyProofFile {
    std::uint64_t size1{0};
    std::uint64_t size2{0};
    Hash root1{};
    Hash root2{};
    std::vector<Hash> proof;
    friend bool operator==(const ConsistencyProofFile&, const ConsistencyProofFile&) = default;
};

/** Reads an inclusion proof file. Failures: those of ParseStrictJson (ledger/strict_json.hpp),
 *  then field_wrong_type, field_invalid, field_missing, field_unknown, field_too_long and
 *  hash_wrong_size, with `where` naming the field ("proof[3]" for a proof hash; empty when
 *  the document is not an object). The proof
 *  itself is not checked here: see VerifyProofFile. */
boost::system::result<InclusionProofFile, Failure> ParseInclusionProofFile(std::string_view text);

//! Reads a consistency proof file; failures as for ParseInclusionProofFile.
boost::system::result<ConsistencyProofFile, Failure>
ParseConsistencyProofFile(std::string_view text);

//! The file's JSON text, with the fields in the order shown above.
std::string ToJson(const InclusionProofFile& file);
std::string ToJson(const ConsistencyProofFile& file);

//! VerifyInclusion / VerifyConsistency (ledger/merkle.hpp) applied to the file's fields.
boost::system::result<void> VerifyProofFile(const InclusionProofFile& file);
boost::system::result<void> VerifyProofFile(const ConsistencyProofFile& file);

} // namespace wijkbudget::ledger
