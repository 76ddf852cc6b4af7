#pragma once
// services/councils.hpp: registering councils and granting them budgets.
//
// Each use case checks who is asking at once (a wrong role changes nothing and is not
// sequenced), and returns the draft maker the sequencer runs under its lock: whether the council
// exists, or already exists, is decided against the ledger as it then stands (ledger/append.hpp).

#include "ledger/append.hpp"
#include "ledger/entry.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/districts.hpp"
#include "services/principal.hpp"

#include <boost/system/result.hpp>

#include <functional>

namespace wijkbudget::services {

using DraftMaker = std::function<boost::system::result<ledger::Entry, ledger::Failure>()>;

//! POST /api/v1/councils.
struct CouncilRegistration {
    ledger::Slug id;
    ledger::Title name;
    ledger::Slug district;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("id", self.id);
        visit("name", self.name);
        visit("district", self.district);
    }
};

//! POST /api/v1/councils/{id}/grants (the council comes from the path).
struct BudgetGrant {
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
    ledger::Cents amount;
    /** Where the line's unspent money goes when its year closes: "return" (to the pool) or
     *  "carry_over" (to the next year's line). The line's first grant decides it; a later one
     *  may leave it out, and may not say otherwise (year_end_rule_fixed). Default "return". */
    std::optional<ledger::YearEndRule> at_year_end{};
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("year", self.year);
        visit("category", self.category);
        visit("amount_cents", self.amount);
        visit("at_year_end", self.at_year_end);
    }
};

class CouncilService
{
public:
    CouncilService(const CouncilRegistry& registry, DistrictDirectory& districts, Clock& clock)
        : m_registry{registry}, m_districts{districts}, m_clock{clock}
    {}

    //! Municipality only. The draft fails with council_exists or district_unknown.
    boost::system::result<DraftMaker, ledger::Failure> Register(const Principal& principal,
                                                                CouncilRegistration registration);

    //! Municipality only. The draft fails with council_unknown; the Sealer with
    //! amount_out_of_range when the pool would pass CENTS_MAX.
    boost::system::result<DraftMaker, ledger::Failure>
    Grant(const Principal& principal, const ledger::Slug& council, BudgetGrant grant);

private:
    //! An entry by `principal`, dated now but never before the ledger's last entry.
    ledger::Entry Draft(const Principal& principal, const ledger::Slug& council,
                        ledger::Payload payload) const;

    const CouncilRegistry& m_registry;
    DistrictDirectory& m_districts;
    Clock& m_clock;
};

} // namespace wijkbudget::services
