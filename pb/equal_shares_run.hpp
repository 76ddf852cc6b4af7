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
//   cost satisfaction not even then: the threshold is brought down to the level's epoch instead,
//   one word-sized c at a time (ceil(ceil(T / a) / b) = ceil(T / (a * b))). Each level also keeps
//   its N's bit length and leading 64 bits, read from its top limbs, which settle almost every
//   comparison exactly without touching N's digits.
// - Ceilings. Each level also keeps an upper bound of its budget as a 64-bit fixed-point integer
//   (the parent's ceiling less the price rounded down): when a candidate's supporters' ceilings
//   add up to less than its cost, it is out of reach, proved without a pass over exact numbers.
//   Half the candidates a run examines on Budapest 2024 end that way.
// - rho by "poor and rich": a bucket whose budget is below rho * u is poor (pays all it has), the
//   rest are rich (pay rho * u). Starting from a lower bound of rho (the candidate's bound, below),
//   mark the buckets below it poor, recompute rho from the rest, and repeat until rho stays where
//   it was: each price is again a lower bound, so a bucket found poor stays poor. The buckets
//   left rich by the first pass are copied with their summaries, so later passes read them in
//   order, and a pass that could find nobody new (every epoch's least rich summary above the new
//   threshold) is skipped. No sort.
// - Lower bounds. rho never decreases from one round to the next (budgets only shrink), so a
//   candidate's last rho is a lower bound. Candidates wait in a heap ordered by it, and a round
//   stops examining them once the bound exceeds the best rho found in that round. A bound equal to
//   the best is still examined, so exact ties are all seen and go to id order.
// - Work kept between runs. Which groups share a level depends only on the projects bought so
//   far, not on the budgets: so the path of purchases of the last run is kept, node by node, with
//   each node's group-to-level map and the buckets of every project examined there. The next run
//   (the completion raises the budget by 1 each time, and the purchases rarely change) reuses
//   the nodes while it buys the same projects, and recomputes only the numbers.
// - Hints. A node also keeps what the last two runs that came this far found there (HintSet):
//   each candidate's rho, and which were out of reach. Along a fixed path, rho is nonincreasing
//   and what the voters hold nondecreasing in their starting budget, so for a run at a budget no
//   larger these are lower bounds and proofs of being out of reach; for a run at a larger budget,
//   RaiseFromHints() still derives a lower bound, from how much the voters can have gained.
// Every number is an exact integer or an exact rational (GMP); nothing is rounded.

#include "pb/reach.hpp"
#include "pb/satisfaction.hpp"

#include <gmpxx.h>

#include <array>
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

    //! Hint sets kept per node: more keep more budgets above the next run's.
    static constexpr std::size_t HINT_SETS{2};

    //! The rho of a project found at a node, and the weight of its rich (see Price).
    struct Hint {
        ProjectIndex project{0};
        mpq_class rho;
        mpz_class rest;
    };

    /** What one run found at a node: the rho of the projects of its first hint_count hints, and
     *  the projects out of reach, with voters who started at `budget`. rho is nonincreasing in
     *  that budget and what the voters hold nondecreasing, so these are lower bounds, and proofs
     *  of being out of reach, for any run at a budget no larger (the completion tries budgets
     *  downwards after a failed jump); RaiseFromHints() bounds rho at larger budgets too. */
    struct HintSet {
        std::optional<mpq_class> budget;
        std::vector<Hint> hints;
        std::size_t hint_count{0};
        std::vector<ProjectIndex> unaffordable;
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
        //! What earlier runs that came this far found here, one set per run (see HintSet).
        std::array<HintSet, HINT_SETS> hints;
        std::uint64_t hint_run{0}; //!< the run that writes hints[hint_slot]
        std::size_t hint_slot{0};
    };

    /** The bit length and leading 64 bits of a level's N: two numbers that differ in either
     *  compare like them, exactly, without reading N itself (most comparisons end here). */
    struct Summary {
        std::uint64_t top{0};
        std::uint32_t bits{0};  //!< 0 for a spent budget
        std::uint32_t epoch{0}; //!< the level's epoch (for a level; unused for a threshold)
    };

    //! A bucket still rich in a pass under cost satisfaction, with its level's summary.
    struct RichBucket {
        Summary summary;
        std::uint64_t weight{0};
        Level level{0};
        std::uint32_t index{0}; //!< in the project's buckets
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
    bool BelowThreshold(const Summary& mine, Level level);
    void StartPass();
    void EpochThreshold(std::uint32_t epoch);
    void SummarizeThreshold(std::uint32_t epoch);
    void AddPaid(Level level, std::uint32_t epoch, std::uint64_t weight);
    void CollectPaid();
    const std::vector<Bucket>& BucketsOf(ProjectIndex project);
    bool CeilingsProveUnaffordable(ProjectIndex project, const std::vector<Bucket>& buckets) const;
    void CostToNow(ProjectIndex project);
    bool ComputePrice(ProjectIndex project, Price& price);
    bool ComputeUniformPrice(ProjectIndex project, const std::vector<Bucket>& buckets,
                             Price& price);
    void FirstUniformPass(const std::vector<Bucket>& buckets, std::uint64_t& rich_weight);
    void LaterUniformPass(std::uint64_t& rich_weight);
    void KeepRichMin(const Summary& summary);
    bool RichAllAbove();
    void TrueRho(ProjectIndex project, const Price& price, mpq_class& rho);
    void Buy(ProjectIndex project, const Price& price, const std::vector<std::uint32_t>& rich);
    void Descend(ProjectIndex project, const std::vector<Bucket>& buckets);
    bool Before(ProjectIndex a, ProjectIndex b) const;
    void StartRun(const mpq_class& voter_budget);
    void StartCeilings(const mpq_class& voter_budget);
    bool CheckStep(const StepCheck& check, ProjectIndex best, RunnerUp& runner_up);
    HintSet& RunHints();
    void ApplyHints();
    bool RaiseFromHints(ProjectIndex project);
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
    //! m_utility as 64-bit words, 0 for one too long (see Buy()).
    std::vector<std::uint64_t> m_utility_word;
    mpz_class m_utility_scale{1};
    std::vector<ProjectIndex> m_candidates;
    //! The candidates in reach order: a run at budget b considers only those within reach.
    ReachOrder m_reach;
    std::size_t m_reachable{0}; //!< the prefix of m_reach within reach in the last run
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
    //! [e]: the c that ended epoch e (cost satisfaction), a word: m_epoch_factor[e] / [e + 1].
    std::vector<unsigned long> m_epoch_divisor;
    std::vector<mpz_class> m_level_value; //!< N per level
    std::vector<std::uint32_t> m_level_epoch;
    std::vector<Summary> m_level_summary;
    //! Per level: an upper bound of its budget in units of 2^-m_ceiling_shift of the currency.
    std::vector<std::uint64_t> m_level_ceiling;
    int m_ceiling_shift{0};
    //! Per candidate: its cost in ceiling units, rounded up (saturated), for m_ceiling_shift.
    std::vector<std::uint64_t> m_cost_scaled;
    std::vector<mpq_class> m_bound;         //!< per project: the last rho, a lower bound
    std::vector<std::size_t> m_bound_depth; //!< per project: the step m_bound was computed at
    std::vector<std::size_t> m_hint_depth;  //!< per project: the step RaiseFromHints() last tried
    std::vector<std::uint8_t> m_in_pool;    //!< per project: still a candidate in this run
    mpq_class m_voter_budget;               //!< what every voter started with in this run
    std::vector<ProjectIndex> m_heap;
    std::vector<Purchase> m_purchases;
    std::vector<RunnerUp> m_runners_up;
    bool m_stopped{false};
    std::uint64_t m_run_count{0};

    // Scratch, reused by every computation.
    std::vector<std::uint64_t> m_bucket_weight; //!< per bucket key, 0 when untouched
    std::vector<std::uint32_t> m_bucket_slot;   //!< per bucket key: its place in a bucket list
    std::vector<std::uint32_t> m_rich;          //!< buckets of the project examined not yet poor
    std::vector<std::uint32_t> m_best_rich;     //!< the rich buckets of the best of a step
    std::vector<RichBucket> m_rich_buckets;     //!< cost satisfaction: the rich of the last pass
    std::vector<Summary> m_epoch_rich_min;      //!< per epoch: least summary of those rich
    std::vector<std::uint8_t> m_bucket_rich;    //!< per bucket of a purchase: whether it is rich
    std::vector<ProjectIndex> m_examined;
    std::vector<ProjectIndex> m_raised; //!< scratch of ApplyHints()
    std::vector<std::size_t> m_raised_place;
    Price m_price;
    Price m_best_price;
    mpz_class m_paid;
    mpz_class m_threshold;
    mpz_class m_threshold_rest; //!< with points: the threshold is m_threshold / m_threshold_rest
    mpz_class m_next_threshold;
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
    mpz_class m_scratch_numerator;
    mpz_class m_scratch_denominator;
    mpz_class m_a;
    mpz_class m_c;
    mpq_class m_rho_found;
    mpq_class m_hint_bound;
};

} // namespace wijkbudget::pb
