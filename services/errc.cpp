#include "services/errc.hpp"

#include "ledger/errc.hpp"

#include <array>
#include <string>

namespace wijkbudget::services {
namespace {

struct ErrcText {
    Errc value;
    std::string_view code;
    std::string_view message;
};

constexpr std::array ERRC_TEXTS{
    ErrcText{Errc::not_authenticated, "not_authenticated",
             "a valid bearer token is required (missing, unknown, expired or revoked)"},
    ErrcText{Errc::not_permitted, "not_permitted", "your role may not do this"},
    ErrcText{Errc::login_failed, "login_failed", "unknown login or wrong password"},
    ErrcText{Errc::council_exists, "council_exists", "a council with this id is registered"},
    ErrcText{Errc::council_unknown, "council_unknown", "no council with this id"},
    ErrcText{Errc::district_unknown, "district_unknown", "no district with this slug"},
};

const ErrcText* Find(int value) noexcept
{
    for (const auto& text : ERRC_TEXTS) {
        if (static_cast<int>(text.value) == value) return &text;
    }
    return nullptr;
}

class ServicesErrorCategory final : public boost::system::error_category
{
public:
    const char* name() const noexcept override { return "wijkbudget.services"; }
    std::string message(int value) const override
    {
        const ErrcText* text = Find(value);
        return text ? std::string(text->message) : "unknown services error";
    }
};

} // namespace

const boost::system::error_category& ServicesCategory() noexcept
{
    static const ServicesErrorCategory category;
    return category;
}

boost::system::error_code make_error_code(Errc value) noexcept
{
    return {static_cast<int>(value), ServicesCategory()};
}

std::string_view CodeName(Errc value) noexcept
{
    const ErrcText* text = Find(static_cast<int>(value));
    return text ? text->code : std::string_view{"unknown"};
}

std::string_view CodeNameOf(const boost::system::error_code& code) noexcept
{
    if (code.category() == ServicesCategory()) return CodeName(static_cast<Errc>(code.value()));
    if (code.category() == ledger::LedgerCategory())
        return ledger::CodeName(static_cast<ledger::Errc>(code.value()));
    return "internal_error";
}

} // namespace wijkbudget::services
