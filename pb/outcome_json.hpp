#pragma once
// pb/outcome_json.hpp: the explanation of an outcome as one JSON object, what
// `wijkbudget pb --explain` prints. Every number that is not a count is an exact fraction string
// ("25/2", "110"), so nothing is rounded on the way to the reader.
//
// {"rule", "vote_type", "budget", "ballots", "spent", "voter_budget"?, "equal_shares_runs"?,
//  "winners": [{"project", "cost", "phase", "rho"?, "supporter_price"?}] in order of selection,
//  "projects": [{"project", "cost", "votes", "score", "selected", "reason"?}] in id order}

#include "pb/instance.hpp"
#include "pb/outcome.hpp"
#include "pb/rules.hpp"
#include "pb/satisfaction.hpp"

#include <string>

namespace wijkbudget::pb {

std::string OutcomeJson(const Instance& instance, const SatisfactionProfile& profile,
                        const Rule& rule, const Outcome& outcome);

//! `text` as a JSON string literal, quotes included (UTF-8 passes through; the parser checked it).
std::string JsonString(std::string_view text);

} // namespace wijkbudget::pb
