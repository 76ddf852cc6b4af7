#include "services/credentials.hpp"

#include <algorithm>

namespace wijkbudget::services {

ledger::Hash TokenHash(std::string_view token_text)
{
    return ledger::Sha256Of(token_text);
}

bool IsTokenText(std::string_view text)
{
    if (text.size() != TOKEN_TEXT_BYTES || text[16] != '.') return false;
    const auto is_hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    };
    return std::all_of(text.begin(), text.begin() + 16, is_hex) &&
           std::all_of(text.begin() + 17, text.end(), is_hex);
}

bool RoleNeedsCouncil(ledger::Role role)
{
    return role == ledger::Role::council_member || role == ledger::Role::treasurer;
}

} // namespace wijkbudget::services
