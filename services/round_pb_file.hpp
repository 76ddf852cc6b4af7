#pragma once
// services/round_pb_file.hpp: a residents' round as a Pabulib .pb file (issue 6, DESIGN.md
// section 6; ../shared/pb/FORMAT.md), so that anyone can recount it with pabutools or
// `wijkbudget pb` and compare the winners with the round's close.
//
// Projects are named "<tie rank>-<project id>" ("000-bankjes"): the rank is zero-padded to one
// width, so pb's code-point order, which breaks every tie, is the round's published tie order,
// exactly as in the instance the round was counted on (services/round_count.hpp), while the id
// still says which project it is. Amounts are in euros with two decimals (the file's currency,
// as in the count). Each ballot is one VOTES row whose voter_id is the ballot's ledger index, so
// a voter finds their own ballot by their receipt; codes and nullifiers never appear.
//
// META says the rule the city used as Pabulib spells it ("greedy", "equalshares/add1") and, in
// `comment`, the exact rule of ../shared/pb/RULES.md that counted ("mes_cost_add1_greedy").

#include "services/rounds.hpp"

#include <string>

namespace wijkbudget::services {

//! The .pb id of the project at `rank` of the tie order: "000-bankjes".
std::string PbProjectId(std::size_t rank, const ledger::Slug& project);

//! The round, its projects and every ballot cast so far, as the text of a .pb file (LF endings).
std::string RoundPbFile(const RoundView& round);

} // namespace wijkbudget::services
