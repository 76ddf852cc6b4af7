#include "services/errc.hpp"

#include "ledger/errc.hpp"
#include "ledger/error_table.hpp"

#include <array>
#include <string>

namespace wijkbudget::services {
namespace {

using ErrcText = ledger::ErrorText<Errc>;

constexpr std::array ERRC_TEXTS{
    ErrcText{Errc::not_authenticated, "not_authenticated",
             "a valid bearer token is required (missing, unknown, expired or revoked)"},
    ErrcText{Errc::not_permitted, "not_permitted", "your role may not do this"},
    ErrcText{Errc::login_failed, "login_failed", "unknown login or wrong password"},
    ErrcText{Errc::council_exists, "council_exists", "a council with this id is registered"},
    ErrcText{Errc::council_unknown, "council_unknown", "no council with this id"},
    ErrcText{Errc::district_unknown, "district_unknown", "no district with this slug"},
};

//! A function-local static, so that other files' static initialisers may already use it.
const auto& ServicesTable() noexcept
{
    static const ledger::TableErrorCategory category{"wijkbudget.services", ERRC_TEXTS};
    return category;
}

} // namespace

const boost::system::error_category& ServicesCategory() noexcept
{
    return ServicesTable();
}

boost::system::error_code make_error_code(Errc value) noexcept
{
    return {static_cast<int>(value), ServicesCategory()};
}

std::string_view CodeName(Errc value) noexcept
{
    return ServicesTable().Code(value);
}

std::string_view CodeNameOf(const boost::system::error_code& code) noexcept
{
    if (code.category() == ServicesCategory()) return CodeName(static_cast<Errc>(code.value()));
    if (code.category() == ledger::LedgerCategory())
        return ledger::CodeName(static_cast<ledger::Errc>(code.value()));
    return "internal_error";
}

} // namespace wijkbudget::services
