#pragma once
// services/errc.hpp: why a use case refuses, as stable machine codes (STYLE.md section 4).
//
// The ledger's own refusals (exceeds_budget_line, field_invalid, ...) stay ledger::Errc; these
// are the rules above the ledger: who may act, and what must exist first. A published code is
// never renamed: clients match on it.

#include <boost/system/error_code.hpp>

#include <string_view>
#include <type_traits>

namespace wijkbudget::services {

enum class Errc {
    not_authenticated = 1, //!< No valid bearer token: missing, unknown, expired or revoked.
    not_permitted,         //!< The caller's role (or council) may not do this.
    login_failed,          //!< Unknown login or wrong password (never said which).
    council_exists,        //!< A council with this id is already registered.
    council_unknown,       //!< No council with this id.
    district_unknown,      //!< No district with this slug.
};

const boost::system::error_category& ServicesCategory() noexcept;
boost::system::error_code make_error_code(Errc value) noexcept;
std::string_view CodeName(Errc value) noexcept;

//! The machine code of any error the services or the ledger produce: "council_exists",
//! "exceeds_budget_line"; "internal_error" for a code of another category.
std::string_view CodeNameOf(const boost::system::error_code& code) noexcept;

} // namespace wijkbudget::services

namespace boost::system {
template <>
struct is_error_code_enum<wijkbudget::services::Errc> : std::true_type {};
} // namespace boost::system
