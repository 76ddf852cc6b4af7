#pragma once
// ledger/entry_json.hpp: an entry to and from JSON; its canonical bytes are its leaf.
//
// JSON shape: {"format":1,"kind":"budget.granted","index":7,"previous":"<hex>",
// "actor":{"id":..,"role":..},
// "recorded_at":"2027-01-15T10:00:00.000Z","council":"burgwal","payload":{..},
// "postings":[..]}. "council" is present exactly when the kind concerns a council (optional
// for rounds, ballots and findings); "postings" is absent when there are none.

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace wijkbudget::ledger {

//! The RFC 8785 bytes of an entry: what the Merkle tree hashes.
std::string SerialiseEntry(const Entry& entry);

//! The entry as a JSON value (for APIs that embed it).
boost::json::value EntryToJson(const Entry& entry);

//! Reads an entry from any JSON text (e.g. an API body), strictly; names the failing field.
boost::system::result<Entry, Failure> ParseEntry(std::string_view text);

//! Reads an entry from a parsed JSON value, strictly.
boost::system::result<Entry, Failure> EntryFromJson(const boost::json::value& value);

/**
 * Reads an entry that must be in canonical form, as in a ledger export: the bytes must equal
 * SerialiseEntry of what they encode (json_not_canonical otherwise). This also refuses
 * repeated keys, white space and any second spelling of the same entry.
 */
boost::system::result<Entry, Failure> ParseCanonicalEntry(std::string_view bytes);

} // namespace wijkbudget::ledger
