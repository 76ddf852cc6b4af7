#pragma once
// services/council_registry.hpp: the councils and their budget lines, as the ledger says.
//
// A projection (STYLE.md section 11): it holds nothing the ledger does not, and is rebuilt by
// replaying the ledger (the sequencer feeds it every entry once, in order, as an EntryObserver).
// The sequencer's thread writes; request threads read: a shared mutex keeps reads consistent.

#include "ledger/append.hpp"
#include "ledger/entry.hpp"
#include "ledger/money.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

namespace wijkbudget::services {

struct BudgetLineView {
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::public_space};
    ledger::Cents granted;   //!< Sum of the line's grants.
    ledger::Cents available; //!< The line's balance: granted, less held and spent, plus releases.
    ledger::Cents spent;     //!< Paid out against the line's commitments, net of reversals.
};

struct CouncilView {
    ledger::Slug id;
    ledger::Title name;
    ledger::Slug district;
    std::uint64_t registered_at{0};    //!< Index of its council.registered entry.
    std::vector<BudgetLineView> lines; //!< By year, then category.
};

class CouncilRegistry final : public ledger::EntryObserver
{
public:
    void Reset() override;
    void Observe(const ledger::Entry& entry) override;

    [[nodiscard]] bool Contains(const ledger::Slug& council) const;
    [[nodiscard]] std::optional<CouncilView> Find(const ledger::Slug& council) const;
    //! All councils, by id.
    [[nodiscard]] std::vector<CouncilView> List() const;
    //! The recorded time of the last entry seen: new entries are never dated before it, so the
    //! ledger's times stay in order even when two servers' clocks disagree.
    [[nodiscard]] ledger::Timestamp LastRecordedAt() const;
    [[nodiscard]] std::uint64_t Size() const;
    //! Where the line's money goes at its year end, as its first grant said; none before one.
    [[nodiscard]] std::optional<ledger::YearEndRule>
    YearEndRuleOf(const ledger::Slug& council, ledger::Year year,
                  ledger::BudgetCategory category) const;
    //! The council's latest closed budget year, if it closed one.
    [[nodiscard]] std::optional<ledger::Year> LatestClosedYear(const ledger::Slug& council) const;

private:
    struct LineTotals {
        ledger::Cents granted;
        ledger::Cents available;
        ledger::Cents spent;
        std::optional<ledger::YearEndRule> at_year_end; //!< As its first grant said.
    };
    using LineKey = std::pair<std::int32_t, ledger::BudgetCategory>;
    struct CouncilState {
        ledger::Title name;
        ledger::Slug district;
        std::uint64_t registered_at{0};
        std::map<LineKey, LineTotals> lines;
        std::optional<ledger::Year> latest_closed_year;
    };
    void ApplyPosting(const ledger::Posting& posting);
    [[nodiscard]] CouncilView ViewOf(const std::string& id, const CouncilState& state) const;

    mutable std::shared_mutex m_mutex;
    std::map<std::string, CouncilState> m_councils;
    ledger::Timestamp m_last_recorded_at;
    std::uint64_t m_size{0};
};

} // namespace wijkbudget::services
