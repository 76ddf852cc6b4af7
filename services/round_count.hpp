#pragma once
// services/round_count.hpp: counting a residents' round with the exact rules of pb/ (issue 6,
// ../shared/pb/RULES.md), and what its close records.
//
// The round becomes a pb::Instance in the file's currency, euros (cents / 100, exactly), so that
// the completion's "raise every voter's budget by 1" is one euro, as when its .pb export is run
// through `wijkbudget pb`. Projects are named by their place in the round's tie order, zero-padded
// ("000", "001", ...), so that pb's code-point order, which breaks every tie, is the tie order.
//
// The rule: `equal_shares` counts with mes_cost_add1_greedy on approval ballots (what RULES.md
// says a binding round uses) and mes_cardinal_add1 on cumulative ones (the greedy completion is
// defined for cost satisfaction only); `greedy` with greedy_cost or greedy_cardinal.

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"
#include "pb/instance.hpp"
#include "pb/rules.hpp"
#include "services/governance_views.hpp" // FundedCommitmentId
#include "services/rounds.hpp"

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wijkbudget::services {

pb::Rule RoundRuleOf(const ledger::RoundOpened& round);

//! The tie rank of a project as pb names it: "000" for the first of the tie order.
std::string TieRankId(std::size_t rank);

/** An exact fraction ("7/3") as round.closed records it, or none when it is longer than a Token
 *  may be (TOKEN_BYTES_MAX): sealed anyway, such an entry could never be read back, and every
 *  replay of the ledger would stop at it. MES prices can reach that on large rounds (their
 *  denominators grow with each purchase); the winner's phase still says how it was funded. */
std::optional<ledger::Token> FractionToken(std::string fraction);

/** What sealing adds to a close's draft at most: the index and the link to the previous leaf,
 *  and per posting its balance and version after it (numbers of up to 20 digits each). */
inline constexpr std::size_t SEALING_BYTES_ADDED_MAX{128};
inline constexpr std::size_t SEALING_BYTES_ADDED_PER_POSTING_MAX{48};

/** Leaves the longest prices (price_per_voter, price_per_point, voter_budget) out of a draft,
 *  one by one, until the sealed entry will fit ENTRY_BYTES_MAX; true if it will. A close with
 *  64 funded projects, long ids and long prices could pass that limit, and the Sealer refuses
 *  such an entry: the round would never close and its hold never be spent. The prices explain
 *  the outcome, they are not it (FractionToken leaves out the overlong ones too). */
bool LeavePricesOutUntilItFits(ledger::Entry& draft);

struct RoundInstance {
    pb::Instance instance;
    //! The round's project of each instance project: the tie order.
    std::vector<ledger::RoundProject> projects;
};
RoundInstance InstanceOfRound(const RoundView& round);

/**
 * The close of `round` as round.closed records it: codes, ballots, turnout, whether binding, the
 * rule, winners in order of selection (with their commitment when binding) and every project's
 * votes, points and reason. Fails only when the rule cannot finish (pb's run limit).
 */
boost::system::result<ledger::RoundClosed, ledger::Failure> CountRound(const RoundView& round);

} // namespace wijkbudget::services
