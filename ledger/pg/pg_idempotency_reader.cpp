#include "ledger/pg/pg_idempotency_reader.hpp"

#include "ledger/hex.hpp"

#include <soci/soci.h>

namespace wijkbudget::ledger::pg {

boost::system::result<std::optional<StoredClaim>>
PgIdempotencyReader::FindClaim(std::string_view principal, std::string_view key) const
{
    try {
        soci::session sql{m_pool};
        const std::string principal_text{principal};
        const std::string key_text{key};
        std::string hash_hex;
        int status{0};
        std::string body;
        sql << "SELECT encode(request_hash, 'hex'), status, body FROM idempotency_records "
               "WHERE principal = :principal AND key = :key",
            soci::use(principal_text), soci::use(key_text), soci::into(hash_hex),
            soci::into(status), soci::into(body);
        if (!sql.got_data()) return std::optional<StoredClaim>{};
        const auto hash = HashFromHex(hash_hex);
        if (!hash) return make_error_code(Errc::storage_unavailable); // The CHECK makes this a bug.
        return std::optional<StoredClaim>{
            StoredClaim{*hash, StoredAnswer{status, std::move(body)}}};
    } catch (const soci::soci_error&) {
        return make_error_code(Errc::storage_unavailable);
    }
}

} // namespace wijkbudget::ledger::pg
