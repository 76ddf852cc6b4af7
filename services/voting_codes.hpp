#pragma once
// services/voting_codes.hpp: one-time voting codes for residents' rounds (issue 6).
//
// A code is 13 symbols of Crockford's base-32 alphabet (65 random bits) and a check symbol
// (Luhn mod 32, which catches every single wrong symbol and most swapped neighbours), printed in
// groups of four for a letter: "7KQ2-M9XD-4TVA-RH". Typing is forgiving: case, spaces and
// hyphens do not matter, and O, I and L read as 0, 1 and 1.
//
// Only hashes leave the printing: the code's hash (stored, to recognise a valid code) and its
// nullifier (written in the ballot, to refuse a second ballot), each SHA-256 under its own label
// and the round, so neither can be linked to the other, or to another round, without the code.
// No name, address or BSN is ever involved.

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"

#include <boost/system/result.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::services {

//! Random symbols per code: 13 x 5 = 65 bits, over the 64 the issue asks for.
inline constexpr std::size_t VOTING_CODE_RANDOM_SYMBOLS{13};
//! The random bytes one code is made from (the surplus bits are dropped).
inline constexpr std::size_t VOTING_CODE_RANDOM_BYTES{9};
//! The longest text accepted as a typed code (with spaces and hyphens).
inline constexpr std::size_t VOTING_CODE_TYPED_BYTES_MAX{64};

//! The printed form, with hyphens, of the code made from these random bytes.
std::string MakeVotingCode(std::span<const std::uint8_t, VOTING_CODE_RANDOM_BYTES> random);

//! The canonical form (14 symbols, no hyphens) of a typed code, or nothing when it is not a
//! well-formed code: a wrong length, a symbol outside the alphabet, or a failing check symbol.
std::optional<std::string> CanonicalVotingCode(std::string_view typed);

//! SHA-256 of `label`, the round and `text`, each after a NUL: the one way the round's hashes
//! (codes, nullifiers, imported voters) are made, so that different labels never collide.
ledger::Hash RoundLabelledHash(std::string_view label, const ledger::Slug& round,
                               std::string_view text);

//! The stored hash of a canonical code of `round`.
ledger::Hash VotingCodeHash(const ledger::Slug& round, std::string_view canonical);
//! The nullifier a ballot cast with this canonical code of `round` carries.
ledger::Hash NullifierOf(const ledger::Slug& round, std::string_view canonical);
//! What codes.issued records of a batch: SHA-256 of the code hashes, sorted, concatenated.
ledger::Hash CodesDigest(std::vector<ledger::Hash> hashes);

/**
 * The stored code hashes, apart from the ledger (a port; services/pg implements it). A batch is
 * stored before its codes.issued is appended, and counts only once the ledger records its
 * digest (Rounds::IsBatchIssued), so a batch whose entry failed admits nobody.
 */
class VotingCodeStore
{
public:
    virtual ~VotingCodeStore() = default;
    //! Stores every hash of a batch, or none; a hash already stored is refused (field_invalid),
    //! unless the whole batch is: storing the same batch again succeeds and changes nothing.
    virtual boost::system::result<void, ledger::Failure>
    PutBatch(const ledger::Slug& round, const ledger::Hash& digest,
             std::span<const ledger::Hash> hashes) = 0;
    //! The digest of the batch that holds this code hash for the round, if any.
    virtual boost::system::result<std::optional<ledger::Hash>, ledger::Failure>
    BatchOf(const ledger::Slug& round, const ledger::Hash& code_hash) = 0;
};

} // namespace wijkbudget::services
