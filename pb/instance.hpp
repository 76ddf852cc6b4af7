#pragma once
// pb/instance.hpp: one participatory-budgeting election as exact values: the budget, the projects
// with their costs, and one ballot per voter. It holds what the rules read and nothing of the
// file's informational columns (names, categories, voter metadata).
//
// Glossary (RULES.md): a *project* competes for money; a *ballot* is one voter's row; a voter
// *lists* a project when it appears in the ballot (with any points, even 0); *points* are what a
// cumulative or scoring ballot gives a project.

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wijkbudget::pb {

//! The file's vote_type. choose-1 ballots are approval ballots of size one.
enum class VoteType { approval, choose_one, cumulative, scoring, ordinal };

//! Index of a project in Instance::projects (file order).
using ProjectIndex = std::uint32_t;

struct Project {
    //! The id as written (surrounding whitespace stripped); ids are compared by code point.
    std::string id;
    //! Exact, >= 0; may exceed the budget (Pabulib's 999999999 sentinel).
    mpq_class cost;
};

struct Instance {
    mpq_class budget;
    VoteType vote_type{VoteType::approval};
    //! File order; ids are unique (a repeated id keeps its first row, as in pabutools).
    std::vector<Project> projects;
    //! Ballot v lists item_project[ballot_begin[v] .. ballot_begin[v + 1]); each project at most
    //! once. size() is the number of ballots plus one: every VOTES row is a ballot, empty or not.
    std::vector<std::size_t> ballot_begin{0};
    std::vector<ProjectIndex> item_project;
    //! Points per item, parallel to item_project, for cumulative and scoring ballots; empty else.
    std::vector<mpq_class> item_points;

    std::size_t BallotCount() const { return ballot_begin.size() - 1; }
    std::span<const ProjectIndex> BallotProjects(std::size_t ballot) const
    {
        return std::span<const ProjectIndex>{item_project}.subspan(
            ballot_begin[ballot], ballot_begin[ballot + 1] - ballot_begin[ballot]);
    }
    bool HasPoints() const
    {
        return vote_type == VoteType::cumulative || vote_type == VoteType::scoring;
    }
};

//! "approval", "choose-1", ... as the file spells it.
const char* VoteTypeName(VoteType vote_type);

} // namespace wijkbudget::pb
