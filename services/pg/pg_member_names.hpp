#pragma once
// services/pg/pg_member_names.hpp: MemberNames on the member_names table (schema 002).

#include "services/member_names.hpp"
#include "services/pg/session_check.hpp"

#include <utility>

namespace soci {
class connection_pool;
}

namespace wijkbudget::services::pg {

class PgMemberNames final : public MemberNames
{
public:
    //! @pre the pool's sessions have their search_path set to the ledger's schema.
    explicit PgMemberNames(soci::connection_pool& pool, SessionCheck check = {})
        : m_pool{pool}, m_check{std::move(check)}
    {}

    boost::system::result<void> Put(const ledger::Slug& council, const ledger::Slug& member,
                                    const ledger::Title& name) override;
    boost::system::result<std::map<std::string, std::string>>
    NamesOf(const ledger::Slug& council) override;
    boost::system::result<bool> Erase(const ledger::Slug& council,
                                      const ledger::Slug& member) override;

private:
    soci::connection_pool& m_pool;
    SessionCheck m_check;
};

} // namespace wijkbudget::services::pg
