#pragma once
// ledger/pg/pg_idempotency_reader.hpp: stored claims (table idempotency_records), for retries.

#include "ledger/append.hpp"

namespace soci {
class connection_pool;
}

namespace wijkbudget::ledger::pg {

class PgIdempotencyReader final : public IdempotencyReader
{
public:
    //! @pre the pool's sessions have their search_path set to the ledger's schema.
    explicit PgIdempotencyReader(soci::connection_pool& pool) : m_pool{pool} {}

    boost::system::result<std::optional<StoredClaim>>
    FindClaim(std::string_view principal, std::string_view key) const override;

private:
    soci::connection_pool& m_pool;
};

} // namespace wijkbudget::ledger::pg
