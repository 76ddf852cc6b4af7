#pragma once
// services/pg/pg_district_directory.hpp: the districts table, read through a small cache.
//
// A council registration asks for its district on the sequencer's thread; the set is tiny and
// changes rarely, so it is read once and again only when a slug is not found.

#include "services/districts.hpp"
#include "services/pg/session_check.hpp"

#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace soci {
class connection_pool;
}

namespace wijkbudget::services::pg {

class PgDistrictDirectory final : public DistrictDirectory
{
public:
    //! @pre the pool's sessions have their search_path set to the ledger's schema.
    explicit PgDistrictDirectory(soci::connection_pool& pool, SessionCheck check = {})
        : m_pool{pool}, m_check{std::move(check)}
    {}

    boost::system::result<bool> Contains(const ledger::Slug& district) override;
    boost::system::result<std::vector<District>> List() override;
    boost::system::result<void> Put(const District& district) override;

private:
    soci::connection_pool& m_pool;
    SessionCheck m_check;
    std::mutex m_mutex;
    std::set<std::string> m_known;
};

} // namespace wijkbudget::services::pg
