#pragma once
// ledger/round_rules.hpp: what a participatory-budgeting round's entries must say on their own
// (DESIGN.md section 6), and the two figures anyone recomputes from them: the tie order drawn from
// the recorded seed, and the turnout that makes a result binding.
//
// The tie order is every project sorted by SHA-256(seed || project id), then by id: a fixed
// function of a seed the round records before voting opens, so nobody can choose the order once
// the ballots are known, and anyone can check it. The zero seed stands for id order (by code
// point), pabutools' own: a past election imported from a .pb file keeps the order it was
// counted with. The turnout rule is in integers: binding when
// codes were issued and ballots_cast * 100 >= min_turnout_percent * codes_issued.

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"

#include <boost/system/result.hpp>

#include <span>
#include <string>
#include <vector>

namespace wijkbudget::ledger {

//! One round never issues more codes than this (a city of a million); so turnout sums fit.
inline constexpr std::uint64_t ROUND_CODES_MAX{1'000'000};
//! The most points a cumulative ballot may spread.
inline constexpr std::uint64_t ROUND_POINTS_MAX{1'000};

//! The seed of id order.
inline constexpr Hash ID_ORDER_SEED{};

//! The projects' ids in tie order: the first breaks a tie against every later one.
std::vector<Slug> TieOrderOf(const Hash& seed, std::span<const RoundProject> projects);

//! Whether the turnout makes the result binding. @pre ballots <= codes <= ROUND_CODES_MAX.
bool TurnoutMet(std::uint64_t ballots, std::uint64_t codes, std::uint64_t min_turnout_percent);

//! The turnout in percent with two decimals, rounded down: "41.66"; "0.00" without codes.
std::string TurnoutPercentText(std::uint64_t ballots, std::uint64_t codes);

/**
 * The checks a round's entry needs beyond its fields' types: a round's ballot settings agree with
 * its type, project ids are unique and the tie order is the seed's; codes are counted within
 * limits; a ballot names each project once with positive points; a close's counts, turnout and
 * winners agree with each other.
 */
boost::system::result<void, Failure> CheckRoundPayload(const Entry& entry);

} // namespace wijkbudget::ledger
