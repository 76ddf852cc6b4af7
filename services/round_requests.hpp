#pragma once
// services/round_requests.hpp: the bodies of the residents' round requests (issue 6), with their
// JSON members listed once in `Fields` for the API's strict reader.

#include "ledger/entry.hpp"

#include <optional>

namespace wijkbudget::services {

//! POST /api/v1/councils/{council}/rounds. A council member names the approving `decision`
//! (vote id) whose commitment becomes the round's budget; the municipality names the `district`
//! whose round it opens on this council's line (year, category).
struct RoundOpening {
    ledger::Slug id;
    ledger::Title title;
    std::optional<ledger::Slug> district;
    std::optional<ledger::Slug> decision;
    ledger::Year year;
    ledger::BudgetCategory category{ledger::BudgetCategory::initiatives};
    ledger::Cents budget;
    ledger::Timestamp opens_at;
    ledger::Timestamp closes_at;
    ledger::BallotType ballot_type{ledger::BallotType::approval};
    std::optional<std::uint64_t> min_projects;
    std::optional<std::uint64_t> max_projects;
    std::optional<ledger::Cents> max_cost;
    std::optional<std::uint64_t> points_total;
    std::optional<std::uint64_t> points_per_project_max;
    ledger::RoundRule rule{ledger::RoundRule::equal_shares};
    std::uint64_t min_turnout_percent{0};
    ledger::BoundedList<ledger::RoundProject, ledger::ROUND_PROJECTS_MAX> projects;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("id", self.id);
        visit("title", self.title);
        visit("district", self.district);
        visit("decision", self.decision);
        visit("year", self.year);
        visit("category", self.category);
        visit("budget_cents", self.budget);
        visit("opens_at", self.opens_at);
        visit("closes_at", self.closes_at);
        visit("ballot_type", self.ballot_type);
        visit("min_projects", self.min_projects);
        visit("max_projects", self.max_projects);
        visit("max_cost_cents", self.max_cost);
        visit("points_total", self.points_total);
        visit("points_per_project_max", self.points_per_project_max);
        visit("rule", self.rule);
        visit("min_turnout_percent", self.min_turnout_percent);
        visit("projects", self.projects);
    }
};

//! POST /api/v1/rounds/{round}/ballots: the voting code as printed or typed, and the choices
//! (points 1 for each approved project on an approval ballot).
struct BallotSubmission {
    ledger::Token code;
    ledger::BoundedList<ledger::BallotChoice, ledger::ROUND_PROJECTS_MAX> choices;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("code", self.code);
        visit("choices", self.choices);
    }
};

} // namespace wijkbudget::services
