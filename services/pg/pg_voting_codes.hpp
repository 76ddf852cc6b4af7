#pragma once
// services/pg/pg_voting_codes.hpp: the VotingCodeStore port on the voting_codes table (schema
// 004): a batch's hashes in one transaction, all or none.

#include "services/pg/session_check.hpp"
#include "services/voting_codes.hpp"

#include <utility>

namespace soci {
class connection_pool;
}

namespace wijkbudget::services::pg {

class PgVotingCodes final : public VotingCodeStore
{
public:
    //! @pre the pool's sessions have their search_path set to the ledger's schema.
    explicit PgVotingCodes(soci::connection_pool& pool, SessionCheck check = {})
        : m_pool{pool}, m_check{std::move(check)}
    {}

    boost::system::result<void, ledger::Failure>
    PutBatch(const ledger::Slug& round, const ledger::Hash& digest,
             std::span<const ledger::Hash> hashes) override;
    boost::system::result<std::optional<ledger::Hash>, ledger::Failure>
    BatchOf(const ledger::Slug& round, const ledger::Hash& code_hash) override;

private:
    soci::connection_pool& m_pool;
    SessionCheck m_check;
};

} // namespace wijkbudget::services::pg
