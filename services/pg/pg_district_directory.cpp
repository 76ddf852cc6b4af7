#include "services/pg/pg_district_directory.hpp"

#include "ledger/errc.hpp"

#include <soci/soci.h>

namespace wijkbudget::services::pg {
namespace {

//! The directory holds a municipality's districts: a handful (Haarlem has five).
constexpr std::size_t DISTRICTS_MAX{1000};

} // namespace

boost::system::result<bool> PgDistrictDirectory::Contains(const ledger::Slug& district)
{
    {
        std::lock_guard lock{m_mutex};
        if (m_known.contains(district.value)) return true;
    }
    auto districts = List(); // Not cached yet, or added since: read them again.
    if (!districts) return {boost::system::in_place_error, districts.error()};
    std::lock_guard lock{m_mutex};
    return m_known.contains(district.value);
}

boost::system::result<std::vector<District>> PgDistrictDirectory::List()
{
    std::vector<District> districts;
    try {
        ReadOnPooledSession(m_pool, m_check, [&](soci::session& sql) {
            districts.clear();
            soci::rowset<soci::row> rows =
                (sql.prepare << "SELECT slug, name FROM districts ORDER BY slug LIMIT "
                             << DISTRICTS_MAX);
            for (const auto& row : rows) {
                districts.push_back({ledger::Slug{row.get<std::string>(0)},
                                     ledger::Title{row.get<std::string>(1)}});
            }
        });
    } catch (const soci::soci_error&) {
        return make_error_code(ledger::Errc::storage_unavailable);
    }
    std::lock_guard lock{m_mutex};
    m_known.clear();
    for (const auto& district : districts)
        m_known.insert(district.slug.value);
    return districts;
}

boost::system::result<void> PgDistrictDirectory::Put(const District& district)
{
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        sql << "INSERT INTO districts (slug, name) VALUES (:slug, :name) "
               "ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name",
            soci::use(district.slug.value), soci::use(district.name.value);
    } catch (const soci::soci_error&) {
        return make_error_code(ledger::Errc::storage_unavailable);
    }
    std::lock_guard lock{m_mutex};
    m_known.insert(district.slug.value);
    return {};
}

} // namespace wijkbudget::services::pg
