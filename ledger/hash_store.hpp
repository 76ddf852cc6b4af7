#pragma once
// ledger/hash_store.hpp: the port through which the Merkle tree reads its stored hashes.
//
// The tree keeps the hash of every complete subtree, in the order Go's
// golang.org/x/mod/sumdb/tlog writes them (ledger/merkle.hpp, StoredHashIndex). A proof needs
// O(log n) of them, and the tree code asks for all of them in one ReadHashes call, so that an
// SQL store answers a proof with one `WHERE hash_index = ANY(...)` round trip.

#include "ledger/sha256.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace wijkbudget::ledger {

class HashReader
{
public:
    virtual ~HashReader() = default;

    /** Reads the stored hashes at the given stored-hash indices, in the order asked.
     *  @post on success the result has exactly indices.size() hashes.
     *  Fails with Errc::stored_hash_missing if any index is not stored (yet). */
    virtual boost::system::result<std::vector<Hash>>
    ReadHashes(std::span<const std::uint64_t> indices) const = 0;
};

} // namespace wijkbudget::ledger
