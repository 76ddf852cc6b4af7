#include "services/councils.hpp"

#include "ledger/account.hpp"
#include "services/errc.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace wijkbudget::services {
namespace {

ledger::Failure Refusal(Errc code, std::string where)
{
    return {make_error_code(code), std::move(where)};
}

boost::system::result<void, ledger::Failure> RequireMunicipality(const Principal& principal)
{
    if (principal.role != ledger::Role::municipality)
        return Refusal(Errc::not_permitted,
                       "role " + std::string(ledger::SpellingOf(principal.role)));
    return {};
}

} // namespace

ledger::Entry CouncilService::Draft(const Principal& principal, const ledger::Slug& council,
                                    ledger::Payload payload) const
{
    ledger::Entry entry;
    entry.actor = {principal.role, principal.member};
    entry.recorded_at = std::max(m_clock.Now(), m_registry.LastRecordedAt());
    entry.council = council;
    entry.payload = std::move(payload);
    return entry;
}

boost::system::result<DraftMaker, ledger::Failure>
CouncilService::Register(const Principal& principal, CouncilRegistration registration)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    return DraftMaker{[this, principal, registration = std::move(registration)]()
                          -> boost::system::result<ledger::Entry, ledger::Failure> {
        if (m_registry.Contains(registration.id))
            return Refusal(Errc::council_exists, "id " + registration.id.value);
        auto known = m_districts.Contains(registration.district);
        if (!known) return ledger::Failure{known.error(), "districts"};
        if (!*known)
            return Refusal(Errc::district_unknown, "district " + registration.district.value);
        return Draft(principal, registration.id,
                     ledger::CouncilRegistered{registration.name, registration.district});
    }};
}

boost::system::result<DraftMaker, ledger::Failure>
CouncilService::Grant(const Principal& principal, const ledger::Slug& council, BudgetGrant grant)
{
    if (auto allowed = RequireMunicipality(principal); !allowed) return allowed.error();
    return DraftMaker{[this, principal, council,
                       grant]() -> boost::system::result<ledger::Entry, ledger::Failure> {
        if (!m_registry.Contains(council))
            return Refusal(Errc::council_unknown, "council " + council.value);
        // The book holds a line to its first grant's rule; say so rather than let it refuse
        // payload.at_year_end, a field the caller may not even have sent.
        const auto fixed = m_registry.YearEndRuleOf(council, grant.year, grant.category);
        if (fixed && grant.at_year_end && *fixed != *grant.at_year_end) {
            return Refusal(Errc::year_end_rule_fixed, "at_year_end: the line's first grant said " +
                                                          std::string(ledger::SpellingOf(*fixed)));
        }
        // Years close in order (ClosePeriod): a year before a closed one would close after it,
        // and a line of it whose money carries over could not close at all (the carry-over would
        // go into a closed year), so its money would stay available for good. A closed year
        // itself the book refuses as well; this says which year is in the way.
        if (const auto latest = m_registry.LatestClosedYear(council);
            latest && grant.year.value <= latest->value) {
            return ledger::MakeFailure(ledger::Errc::period_closed,
                                       "year: the council closed " + std::to_string(latest->value));
        }
        const ledger::YearEndRule rule =
            grant.at_year_end.value_or(fixed.value_or(ledger::YearEndRule::returns));
        ledger::Entry entry =
            Draft(principal, council,
                  ledger::BudgetGranted{grant.year, grant.category, grant.amount, rule});
        entry.postings = ledger::TransferPostings(
            ledger::PoolAccount(), ledger::LineAccount(council, grant.year, grant.category),
            grant.amount);
        return entry;
    }};
}

} // namespace wijkbudget::services
