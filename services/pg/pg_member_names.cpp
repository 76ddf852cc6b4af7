#include "services/pg/pg_member_names.hpp"

#include "ledger/errc.hpp"

#include <soci/soci.h>

namespace wijkbudget::services::pg {
namespace {

//! A council has a few dozen members over the years; this bounds one read of its names.
constexpr std::size_t NAMES_PER_COUNCIL_MAX{10'000};

} // namespace

boost::system::result<void> PgMemberNames::Put(const ledger::Slug& council,
                                               const ledger::Slug& member,
                                               const ledger::Title& name)
{
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        sql << "INSERT INTO member_names (council, member, name) VALUES (:council, :member, "
               ":name) ON CONFLICT (council, member) DO UPDATE SET name = EXCLUDED.name",
            soci::use(council.value), soci::use(member.value), soci::use(name.value);
    } catch (const soci::soci_error&) {
        return make_error_code(ledger::Errc::storage_unavailable);
    }
    return {};
}

boost::system::result<std::map<std::string, std::string>>
PgMemberNames::NamesOf(const ledger::Slug& council)
{
    std::map<std::string, std::string> names;
    try {
        ReadOnPooledSession(m_pool, m_check, [&](soci::session& sql) {
            names.clear();
            soci::rowset<soci::row> rows =
                (sql.prepare << "SELECT member, name FROM member_names WHERE council = :council "
                                "ORDER BY member LIMIT "
                             << NAMES_PER_COUNCIL_MAX,
                 soci::use(council.value));
            for (const auto& row : rows)
                names.emplace(row.get<std::string>(0), row.get<std::string>(1));
        });
    } catch (const soci::soci_error&) {
        return make_error_code(ledger::Errc::storage_unavailable);
    }
    return names;
}

boost::system::result<bool> PgMemberNames::Erase(const ledger::Slug& council,
                                                 const ledger::Slug& member)
{
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        soci::statement erase =
            (sql.prepare << "DELETE FROM member_names WHERE council = :council AND member = "
                            ":member",
             soci::use(council.value), soci::use(member.value));
        erase.execute(true);
        return erase.get_affected_rows() > 0;
    } catch (const soci::soci_error&) {
        return {boost::system::in_place_error, make_error_code(ledger::Errc::storage_unavailable)};
    }
}

} // namespace wijkbudget::services::pg
