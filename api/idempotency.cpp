#include "api/idempotency.hpp"

#include "ledger/sha256.hpp"

#include <algorithm>
#include <cstdint>
#include <string>

namespace wijkbudget::api {
namespace {

void AppendField(std::string& out, std::string_view field)
{
    const std::uint64_t size = field.size();
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((size >> static_cast<unsigned>(shift)) & 0xFFU));
    out.append(field);
}

} // namespace

bool IsValidIdempotencyKey(std::string_view key)
{
    if (key.empty() || key.size() > ledger::IDEMPOTENCY_KEY_BYTES_MAX) return false;
    return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

std::string IdempotencyScope(const services::Principal& principal)
{
    std::string scope{"actor:"};
    scope += ledger::SpellingOf(principal.role);
    scope += ':';
    if (principal.council) scope += principal.council->value;
    scope += ':';
    scope += principal.member.value;
    return scope;
}

ledger::Hash RequestHash(const Request& request)
{
    std::string material;
    material.reserve(request.body().size() + request.target().size() + 32);
    AppendField(material, request.method_string());
    AppendField(material, request.target());
    AppendField(material, request.body());
    return ledger::Sha256Of(std::string_view{material});
}

bool InFlightClaims::TryAcquire(const ledger::IdempotencyClaim& claim)
{
    std::lock_guard lock{m_mutex};
    return m_claims.emplace(claim.principal, claim.key).second;
}

void InFlightClaims::Release(const ledger::IdempotencyClaim& claim)
{
    std::lock_guard lock{m_mutex};
    m_claims.erase({claim.principal, claim.key});
}

} // namespace wijkbudget::api
