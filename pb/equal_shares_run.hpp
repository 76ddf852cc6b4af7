#pragma once
// pb/equal_shares_run.hpp: one run of the Method of Equal Shares (RULES.md steps 1-4) with every
// voter starting at a given budget. The completion (equal_shares.hpp) runs it thousands of times
// on one profile, so one object keeps its buffers between runs and a run allocates nothing once
// the buffers have grown.
//
// How a run stays fast and exact:
// - Budget levels. Voters who have paid the same so far hold the same budget, so a voter group
//   points at a *level* (an exact budget shared by many groups) instead of holding its own number.
//   When a project is bought, each (level, utility) bucket of its supporters pays the same and
//   moves to one new level (whose budget may be 0).
// - Integers over a common denominator. A level's budget is N / D with N an integer and D one
//   denominator for the whole run, so comparing budgets is comparing integers: no fraction is
//   reduced (GMP's gcd was most of the time of a plain mpq_class version). Buying at price a / c
//   per utility unit multiplies D by c; a level's N is brought to the new D only when it is next
//   read (each level remembers its epoch, the number of such changes its N has seen), and under
//   cost satisfaction not even then: the threshold is brought down to the level's epoch instead.
//   Each level also keeps its N's bit length and leading 64 bits, which settle almost every
//   comparison exactly without touching N's digits.
// - rho by "poor and rich": rho >= cost / (total utility) always; a bucket whose budget is below
//   rho * u is poor (pays all it has), the rest are rich (pay rho * u). Starting from that bound,
//   mark the buckets that are poor, recompute rho from the rest, and repeat until nothing changes:
//   one or two passes, with no sort.
// - Lower bounds. rho never decreases from one round to the next (budgets only shrink), so a
//   candidate's last rho is a lower bound. Candidates wait in a heap ordered by it, and a round
//   stops examining them once the bound exceeds the best rho found in that round. A bound equal to
//   the best is still examined, so exact ties are all seen and go to id order.
// - Work kept between runs. Which groups share a level depends only on the projects bought so
//   far, not on the budgets: so the path of purchases of the last run is kept, node by node, with
//   each node's group-to-level map and the buckets of every project examined there. The next run
//   (the completion raises the budget by 1 each time, and the purchases rarely change) reuses
//   the nodes while it buys the same projects, and recomputes only the numbers. A node also keeps
//   the rho each candidate had there in the last run: a lower bound for runs at no larger budget.
// Every number is an exact integer or an exact rational (GMP); nothing is rounded.

#include "pb/satisfaction.hpp"

#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

namespace wijkbudget::pb {

struct Purchase {
    ProjectIndex project{0};
    mpq_class rho;
};

//! The candidate that came closest to a purchase: the least (lower bound of rho, id) among the
//! candidates still in the pool when the purchase was made (exact only when a run's StepCheck
//! needed it). The completion uses it to prove that raising the voters' budget changes nothing
//! (equal_shares.cpp).
struct RunnerUp {
    std::optional<ProjectIndex> project; //!< nothing if no other candidate was left
    mpq_class bound;
};

class EqualSharesRun
{
public:
    explicit EqualSharesRun(const SatisfactionProfile& profile);

    /** Decides before each purchase (its step, the purchase, the runner-up with a lower bound of
     *  its rho) whether the run is still of interest; false stops it there. */
    using StepCheck = std::function<bool(std::size_t, const Purchase&, const RunnerUp&)>;

    /** Runs MES with every voter starting at `voter_budget`; the result replaces the last one.
     *  With `check`, the run stops as soon as `check` refuses a step even with the runner-up's
     *  exact rho. */
    void Run(const mpq_class& voter_budget, const StepCheck* check = nullptr);
    //! Whether the last run was stopped by its StepCheck.
    bool Stopped() const { return m_stopped; }

    //! The projects bought, in order, with their rho.
    const std::vector<Purchase>& Purchases() const { return m_purchases; }
    //! For each purchase, the runner-up at that moment.
    const std::vector<RunnerUp>& RunnersUp() const { return m_runners_up; }
    //! Projects that can be bought at all: supported by somebody and cost > 0.
    const std::vector<ProjectIndex>& Candidates() const { return m_candidates; }
    //! Supported and free: selected up front, before any run.
    const std::vector<ProjectIndex>& FreeProjects() const { return m_free; }

private:
    using Level = std::uint32_t;

    //! Voters of one level with one utility, as one entry.
    struct Bucket {
        Level level{0};
        UtilityIndex utility{0}; //!< 0 under cost satisfaction
        std::uint64_t weight{0};
    };

    //! A state of the path of purchases: after the purchases of the nodes before it.
    struct Node {
        std::vector<Level> group_level;
        //! Per project, the buckets of its supporters here, once computed.
        std::vector<std::vector<Bucket>> buckets;
        std::vector<std::uint8_t> has_buckets;
        std::vector<std::uint64_t> bucket_weight; //!< per project: voters in all its buckets
        //! The project bought here in the last run that came this far, and the level each of its
        //! buckets moved to (the next node's levels).
        std::optional<ProjectIndex> bought;
        std::vector<Level> child_level;
        //! Levels [0, level_end) exist at this node.
        std::size_t level_end{0};
        //! The rho of each project in `hinted`, computed here in the last run that came this far,
        //! whose voters started at hint_budget. rho is nonincreasing in that budget, so these are
        //! lower bounds for any run at a budget no larger (the completion tries budgets
        //! downwards after a failed jump).
        std::vector<mpq_class> hint;
        std::vector<ProjectIndex> hinted;
        std::optional<mpq_class> hint_budget;
    };

    /** The bit length and leading 64 bits of a level's N: two numbers that differ in either
     *  compare like them, exactly, without reading N itself (most comparisons end here). */
    struct Summary {
        std::uint64_t top{0};
        std::uint32_t bits{0};  //!< 0 for a spent budget
        std::uint32_t epoch{0}; //!< the level's epoch (for a level; unused for a threshold)
    };

    //! rho of one candidate as integers of the current epoch: r = left / rest is the price of
    //! one utility unit in budget numerators.
    struct Price {
        mpz_class left;
        mpz_class rest;
    };

    Level NewLevel();
    const mpz_class& Budget(Level level);
    void SetBudget(Level level, std::uint32_t epoch);
    bool BelowThreshold(Level level);
    void StartPass();
    void EpochThreshold(std::uint32_t epoch);
    void AddPaid(Level level, std::uint64_t weight);
    void CollectPaid();
    const std::vector<Bucket>& BucketsOf(ProjectIndex project);
    bool ComputePrice(ProjectIndex project, Price& price);
    bool ComputeUniformPrice(ProjectIndex project, Price& price);
    void TrueRho(ProjectIndex project, const Price& price, mpq_class& rho);
    void Buy(ProjectIndex project, const Price& price);
    void Descend(ProjectIndex project, const std::vector<Bucket>& buckets);
    bool Before(ProjectIndex a, ProjectIndex b) const;
    void StartRun(const mpq_class& voter_budget);
    bool CheckStep(const StepCheck& check, ProjectIndex best, RunnerUp& runner_up);
    void ApplyHints();
    void RecordHint(ProjectIndex project);
    bool Examine(ProjectIndex project);
    std::uint64_t BucketKey(Level level, UtilityIndex utility) const
    {
        return static_cast<std::uint64_t>(level) * m_utility_count + utility;
    }
    std::uint64_t BucketKey(const Bucket& bucket) const
    {
        return BucketKey(bucket.level, bucket.utility);
    }

    const SatisfactionProfile& m_profile;
    bool m_uniform{true};
    std::uint64_t m_utility_count{1};
    //! Utilities as integers: utility_values times m_utility_scale (1 per supporter if uniform).
    std::vector<mpz_class> m_utility;
    mpz_class m_utility_scale{1};
    std::vector<ProjectIndex> m_candidates;
    std::vector<ProjectIndex> m_free;
    //! cost / total utility: rho when nobody is poor, every candidate's first lower bound.
    std::vector<mpq_class> m_first_bound;
    //! Least common denominator of the costs of the candidates.
    mpz_class m_cost_denominator{1};

    //! The path of the last run: m_path[d] is the state after d purchases.
    std::deque<Node> m_path; // a deque: adding a node keeps references to the others
    std::size_t m_depth{0};
    std::size_t m_level_count{0};

    // The numbers of a run.
    mpz_class m_denominator;       //!< D: every budget is N / D
    std::vector<mpz_class> m_cost; //!< per project: cost * D at epoch m_cost_epoch[p]
    std::vector<std::uint32_t> m_cost_epoch;
    std::vector<mpz_class> m_epoch_factor; //!< [e]: what turns an N of epoch e into the current
    std::vector<mpz_class> m_level_value;  //!< N per level
    std::vector<std::uint32_t> m_level_epoch;
    std::vector<Summary> m_level_summary;
    std::vector<mpq_class> m_bound;               //!< per project: the last rho, a lower bound
    std::vector<std::size_t> m_bound_depth;       //!< per project: the step m_bound was computed at
    std::vector<std::uint8_t> m_in_pool;          //!< per project: still a candidate in this run
    std::vector<std::uint64_t> m_supporter_count; //!< per project: voters who support it
    mpq_class m_reach;        //!< scratch: what a candidate's supporters hold at most
    mpq_class m_voter_budget; //!< what every voter started with in this run
    std::vector<ProjectIndex> m_heap;
    std::vector<Purchase> m_purchases;
    std::vector<RunnerUp> m_runners_up;
    bool m_stopped{false};

    // Scratch, reused by every computation.
    std::vector<std::uint64_t> m_bucket_weight; //!< per bucket key, 0 when untouched
    std::vector<std::uint32_t> m_bucket_slot;   //!< per bucket key: its place in a bucket list
    std::vector<std::uint32_t> m_rich;          //!< buckets of the project examined not yet poor
    std::vector<ProjectIndex> m_examined;
    Price m_price;
    Price m_best_price;
    mpz_class m_paid;
    mpz_class m_threshold;
    //! Per epoch: the threshold over that epoch's denominator, valid in pass m_pass only.
    std::vector<mpz_class> m_epoch_threshold;
    std::vector<Summary> m_epoch_threshold_summary;
    std::vector<std::uint64_t> m_epoch_threshold_pass;
    std::uint64_t m_pass{0};
    //! Per epoch: what the poor buckets of that epoch hold, before CollectPaid().
    std::vector<mpz_class> m_epoch_paid;
    std::vector<std::uint32_t> m_paid_epochs;
    mpz_class m_lhs;
    mpz_class m_rhs;
    mpz_class m_gcd;
    mpz_class m_summary_scratch;
    mpz_class m_a;
    mpz_class m_c;
    mpq_class m_rho_found;
};

} // namespace wijkbudget::pb
