// pb/equal_shares_run.cpp: see equal_shares_run.hpp.
#include "pb/equal_shares_run.hpp"

#include "pb/assert.hpp"
#include "pb/heap.hpp"

#include <algorithm>
#include <bit>
#include <limits>

namespace wijkbudget::pb {

namespace {

constexpr ProjectIndex NO_PROJECT{std::numeric_limits<ProjectIndex>::max()};
//! m_bound_depth of a bound that was never computed in this run.
constexpr std::size_t NOT_EXAMINED{std::numeric_limits<std::size_t>::max()};
//! Most budget levels in one run: each purchase adds at most one level per bucket of its
//! supporters, so this is far above what any real file needs (about 20,000) and bounds memory.
constexpr std::size_t LEVELS_MAX{std::size_t{1} << 26};

//! How many buckets ahead the summary of a bucket's level is fetched into the cache.
constexpr std::size_t PREFETCH_DISTANCE{8};
//! Bits kept of a number's top in a Summary.
constexpr std::uint64_t SUMMARY_BITS{64};
//! Most epochs EpochThreshold() goes down one word at a time rather than by one long division.
constexpr std::uint32_t THRESHOLD_CHAIN_EPOCHS_MAX{4};
//! Summary::bits of no number: above every real one.
constexpr std::uint32_t NO_SUMMARY_BITS{std::numeric_limits<std::uint32_t>::max()};
static_assert(GMP_NUMB_BITS == SUMMARY_BITS && GMP_NAIL_BITS == 0,
              "Summarize() reads the top from whole 64-bit limbs");
//! Ceilings (see m_level_ceiling) are scaled so that a weighted sum of them, over all the voters,
//! stays below 2^CEILING_SUM_BITS: it fits in 64 bits.
constexpr int CEILING_SUM_BITS{62};

mpz_class Lcm(const mpz_class& a, const mpz_class& b)
{
    mpz_class result;
    mpz_lcm(result.get_mpz_t(), a.get_mpz_t(), b.get_mpz_t());
    return result;
}

/** The bit length and the leading SUMMARY_BITS bits of `value` >= 0 (all of it if shorter), read
 *  from its two top limbs: what mpz_sizeinbase and a shift give, without writing a number. */
void Summarize(mpz_srcptr value, std::uint32_t& bits, std::uint64_t& top)
{
    WB_PB_ASSERT(mpz_sgn(value) >= 0);
    const std::size_t limbs = mpz_size(value);
    if (limbs == 0) {
        bits = 0;
        top = 0;
        return;
    }
    const std::uint64_t high = mpz_getlimbn(value, static_cast<mp_size_t>(limbs - 1));
    const int lead = std::countl_zero(high);
    bits = static_cast<std::uint32_t>(SUMMARY_BITS * limbs - static_cast<std::uint64_t>(lead));
    if (limbs == 1 || lead == 0) {
        top = high;
        return;
    }
    const std::uint64_t next = mpz_getlimbn(value, static_cast<mp_size_t>(limbs - 2));
    top = (high << lead) | (next >> (static_cast<int>(SUMMARY_BITS) - lead));
}

std::size_t BitLength(const mpz_class& value)
{
    return mpz_sgn(value.get_mpz_t()) == 0 ? 0 : mpz_sizeinbase(value.get_mpz_t(), 2);
}

/** numerator / denominator * 2^shift, rounded up or down, saturated at the largest uint64 (only
 *  where a smaller value keeps the proof: see CeilingsProveUnaffordable()). */
std::uint64_t Scaled(const mpz_class& numerator, const mpz_class& denominator, int shift,
                     bool round_up, mpz_class& scratch_numerator, mpz_class& scratch_denominator)
{
    scratch_numerator = numerator;
    scratch_denominator = denominator;
    if (shift >= 0) {
        mpz_mul_2exp(scratch_numerator.get_mpz_t(), scratch_numerator.get_mpz_t(),
                     static_cast<mp_bitcnt_t>(shift));
    } else {
        mpz_mul_2exp(scratch_denominator.get_mpz_t(), scratch_denominator.get_mpz_t(),
                     static_cast<mp_bitcnt_t>(-shift));
    }
    if (round_up) {
        mpz_cdiv_q(scratch_numerator.get_mpz_t(), scratch_numerator.get_mpz_t(),
                   scratch_denominator.get_mpz_t());
    } else {
        mpz_fdiv_q(scratch_numerator.get_mpz_t(), scratch_numerator.get_mpz_t(),
                   scratch_denominator.get_mpz_t());
    }
    if (!mpz_fits_ulong_p(scratch_numerator.get_mpz_t())) {
        return std::numeric_limits<std::uint64_t>::max();
    }
    return mpz_get_ui(scratch_numerator.get_mpz_t());
}

} // namespace

EqualSharesRun::EqualSharesRun(const SatisfactionProfile& profile)
    : m_profile{profile}, m_uniform{profile.UniformUtility()},
      m_first_bound(profile.ProjectCount()), m_cost(profile.ProjectCount()),
      m_cost_epoch(profile.ProjectCount(), 0), m_bound(profile.ProjectCount()),
      m_bound_depth(profile.ProjectCount(), 0), m_hint_depth(profile.ProjectCount(), 0),
      m_in_pool(profile.ProjectCount(), 0)
{
    if (m_uniform) {
        m_utility.emplace_back(1); // under cost satisfaction a supporter is one unit
    } else {
        for (const mpq_class& value : profile.utility_values) {
            m_utility_scale = Lcm(m_utility_scale, value.get_den());
        }
        for (const mpq_class& value : profile.utility_values) {
            m_utility.emplace_back(value.get_num() * (m_utility_scale / value.get_den()));
        }
        m_utility_count = std::max<std::size_t>(1, m_utility.size());
        if (m_utility.empty()) m_utility.emplace_back(1);
    }
    for (const mpz_class& utility : m_utility) {
        // A utility too long for a word lowers no ceiling: still an upper bound (see Buy()).
        const bool fits = mpz_fits_ulong_p(utility.get_mpz_t()) != 0;
        m_utility_word.push_back(fits ? mpz_get_ui(utility.get_mpz_t()) : 0);
    }
    mpz_class units;
    for (ProjectIndex p = 0; p < profile.ProjectCount(); ++p) {
        units = 0;
        for (const Supporter& supporter : profile.SupportersOf(p)) {
            mpz_addmul_ui(units.get_mpz_t(),
                          m_utility[m_uniform ? 0 : supporter.utility].get_mpz_t(),
                          profile.group_weight[supporter.group]);
        }
        if (units == 0) continue; // nobody supports it: never selected
        if (profile.cost[p] == 0) {
            m_free.push_back(p);
            continue;
        }
        // rho = cost / total utility; under cost satisfaction that is 1 / supporters.
        m_first_bound[p] = m_uniform ? mpq_class{mpz_class{1}, units}
                                     : mpq_class{profile.cost[p] * m_utility_scale / units};
        m_first_bound[p].canonicalize();
        m_cost_denominator = Lcm(m_cost_denominator, profile.cost[p].get_den());
        m_candidates.push_back(p);
    }
    m_reach = OrderByReach(profile, m_candidates);
    std::sort(m_free.begin(), m_free.end(), [&](ProjectIndex a, ProjectIndex b) {
        return profile.id_rank[a] < profile.id_rank[b];
    });
}

bool EqualSharesRun::Before(ProjectIndex a, ProjectIndex b) const
{
    const int order = cmp(m_bound[a], m_bound[b]);
    if (order != 0) return order < 0;
    return m_profile.id_rank[a] < m_profile.id_rank[b];
}

EqualSharesRun::Level EqualSharesRun::NewLevel()
{
    WB_PB_ASSERT(m_level_count < LEVELS_MAX);
    if (m_level_count == m_level_value.size()) {
        const std::size_t size = std::max<std::size_t>(16, 2 * m_level_value.size());
        m_level_value.resize(size);
        m_level_epoch.resize(size, 0);
        m_level_summary.resize(size);
        m_level_ceiling.resize(size, 0);
        m_bucket_weight.resize(size * m_utility_count, 0);
        m_bucket_slot.resize(m_bucket_weight.size(), 0);
    }
    return static_cast<Level>(m_level_count++);
}

//! A level's N over the current denominator, brought up to date if it was written earlier.
const mpz_class& EqualSharesRun::Budget(Level level)
{
    const auto now = static_cast<std::uint32_t>(m_epoch_factor.size() - 1);
    if (m_level_epoch[level] != now) {
        m_level_value[level] *= m_epoch_factor[m_level_epoch[level]];
        SetBudget(level, now);
    }
    return m_level_value[level];
}

//! Records that m_level_value[level] was written, over the denominator of `epoch`.
void EqualSharesRun::SetBudget(Level level, std::uint32_t epoch)
{
    m_level_epoch[level] = epoch;
    Summary& summary = m_level_summary[level];
    summary.epoch = epoch;
    Summarize(m_level_value[level].get_mpz_t(), summary.bits, summary.top);
}

//! The buckets of `project`'s supporters at the current node, computed once per node.
const std::vector<EqualSharesRun::Bucket>& EqualSharesRun::BucketsOf(ProjectIndex project)
{
    Node& node = m_path[m_depth];
    std::vector<Bucket>& buckets = node.buckets[project];
    if (node.has_buckets[project] != 0) return buckets;
    buckets.clear();
    for (const Supporter& supporter : m_profile.SupportersOf(project)) {
        const Level level = node.group_level[supporter.group];
        const UtilityIndex utility = m_uniform ? 0 : supporter.utility;
        const std::uint64_t key = BucketKey(level, utility);
        if (m_bucket_weight[key] == 0) buckets.push_back(Bucket{level, utility, 0});
        m_bucket_weight[key] += m_profile.group_weight[supporter.group];
    }
    for (Bucket& bucket : buckets) {
        const std::uint64_t key = BucketKey(bucket);
        bucket.weight = m_bucket_weight[key];
        m_bucket_weight[key] = 0;
    }
    std::uint64_t total{0};
    for (const Bucket& bucket : buckets) {
        total += bucket.weight;
    }
    node.bucket_weight[project] = total;
    node.has_buckets[project] = 1;
    return buckets;
}

//! Starts a pass with threshold m_threshold, the threshold of the current epoch; those of earlier
//! epochs are computed when needed.
void EqualSharesRun::StartPass()
{
    WB_PB_ASSERT(m_threshold > 0); // so that a spent budget is always below it
    ++m_pass;
    const std::size_t epochs = m_epoch_factor.size();
    if (m_epoch_threshold.size() < epochs) {
        m_epoch_threshold.resize(epochs);
        m_epoch_threshold_summary.resize(epochs);
        m_epoch_threshold_pass.resize(epochs, 0);
        m_epoch_rich_min.resize(epochs, Summary{0, NO_SUMMARY_BITS, 0});
    }
    const auto now = static_cast<std::uint32_t>(epochs - 1);
    m_epoch_threshold[now] = m_threshold;
    SummarizeThreshold(now);
}

/** Makes m_epoch_threshold[epoch] the pass's threshold over the denominator of `epoch`, rounded
 *  up, with its summary. From a later epoch whose threshold this pass has, a few epochs up, it
 *  goes down one epoch at a time, dividing by the word that ended each (ceil(ceil(T / a) / b) =
 *  ceil(T / (a * b))), which is cheaper than one long division by the epoch's factor; from
 *  further, it makes that long division. */
void EqualSharesRun::EpochThreshold(std::uint32_t epoch)
{
    WB_PB_ASSERT(m_uniform); // m_epoch_divisor holds the words of cost satisfaction only
    const auto now = static_cast<std::uint32_t>(m_epoch_factor.size() - 1);
    std::uint32_t from = epoch + 1;
    while (from < now && from - epoch < THRESHOLD_CHAIN_EPOCHS_MAX &&
           m_epoch_threshold_pass[from] != m_pass) {
        ++from;
    }
    if (m_epoch_threshold_pass[from] != m_pass) {
        mpz_cdiv_q(m_epoch_threshold[epoch].get_mpz_t(), m_threshold.get_mpz_t(),
                   m_epoch_factor[epoch].get_mpz_t());
        SummarizeThreshold(epoch);
        return;
    }
    for (std::uint32_t e = from; e-- > epoch;) {
        mpz_cdiv_q_ui(m_epoch_threshold[e].get_mpz_t(), m_epoch_threshold[e + 1].get_mpz_t(),
                      m_epoch_divisor[e]);
        SummarizeThreshold(e);
    }
}

void EqualSharesRun::SummarizeThreshold(std::uint32_t epoch)
{
    Summary& summary = m_epoch_threshold_summary[epoch];
    Summarize(m_epoch_threshold[epoch].get_mpz_t(), summary.bits, summary.top);
    m_epoch_threshold_pass[epoch] = m_pass;
}

//! Adds what a poor bucket holds to m_paid, summed per epoch first: one multiplication per
//! epoch in CollectPaid() instead of one per bucket.
void EqualSharesRun::AddPaid(Level level, std::uint32_t epoch, std::uint64_t weight)
{
    if (m_epoch_paid.size() < m_epoch_factor.size()) m_epoch_paid.resize(m_epoch_factor.size());
    if (mpz_sgn(m_epoch_paid[epoch].get_mpz_t()) == 0) m_paid_epochs.push_back(epoch);
    mpz_addmul_ui(m_epoch_paid[epoch].get_mpz_t(), m_level_value[level].get_mpz_t(), weight);
}

void EqualSharesRun::CollectPaid()
{
    for (const std::uint32_t epoch : m_paid_epochs) {
        mpz_addmul(m_paid.get_mpz_t(), m_epoch_paid[epoch].get_mpz_t(),
                   m_epoch_factor[epoch].get_mpz_t());
        m_epoch_paid[epoch] = 0;
    }
    m_paid_epochs.clear();
}

/** Under cost satisfaction: whether the level's budget is below the pass's threshold, compared
 *  in the level's own epoch (N * factor < T iff N < ceil(T / factor)). A spent budget always is,
 *  since a threshold is at least 1. The summaries decide unless they are equal (rare). */
bool EqualSharesRun::BelowThreshold(const Summary& mine, Level level)
{
    const std::uint32_t epoch = mine.epoch;
    if (m_epoch_threshold_pass[epoch] != m_pass) EpochThreshold(epoch);
    const Summary& theirs = m_epoch_threshold_summary[epoch];
    const bool same_bits = mine.bits == theirs.bits;
    if (same_bits && mine.top == theirs.top && mine.bits > SUMMARY_BITS) {
        return m_level_value[level] < m_epoch_threshold[epoch];
    }
    return (mine.bits < theirs.bits) | (same_bits & (mine.top < theirs.top));
}

/** Whether `project`'s supporters provably hold less than its cost, from the levels' ceilings
 *  alone: each ceiling is at least what a voter of its level holds, so a weighted sum below the
 *  cost is an exact proof. It spares the passes of ComputePrice() to most candidates that are out
 *  of reach (on Budapest 2024, half of all the candidates examined). */
bool EqualSharesRun::CeilingsProveUnaffordable(ProjectIndex project,
                                               const std::vector<Bucket>& buckets) const
{
    std::uint64_t held{0}; // below 2^CEILING_SUM_BITS: see StartCeilings()
    for (const Bucket& bucket : buckets) {
        held += bucket.weight * m_level_ceiling[bucket.level];
    }
    return held < m_cost_scaled[project];
}

//! Brings m_cost[project] to the current denominator.
void EqualSharesRun::CostToNow(ProjectIndex project)
{
    const auto now = static_cast<std::uint32_t>(m_epoch_factor.size() - 1);
    if (m_cost_epoch[project] == now) return;
    m_cost[project] *= m_epoch_factor[m_cost_epoch[project]];
    m_cost_epoch[project] = now;
}

/** The price of `project` (see Price) by poor and rich: false if its supporters together hold
 *  less than its cost. The first pass compares with the price its bound (a lower bound of rho)
 *  gives, each later pass with the price of the rich left by the pass before, again a lower bound
 *  of the final one (cf. equal_shares_run.hpp), so a bucket found poor stays poor, later passes
 *  look at the rich only, and once a pass leaves the price where it was, that price is rho's. */
bool EqualSharesRun::ComputePrice(ProjectIndex project, Price& price)
{
    const std::vector<Bucket>& buckets = BucketsOf(project);
    if (buckets.empty()) return false;
    if (CeilingsProveUnaffordable(project, buckets)) return false;
    CostToNow(project);
    if (m_uniform) return ComputeUniformPrice(project, buckets, price);
    m_rich.clear();
    price.rest = 0;
    for (std::uint32_t i = 0; i < buckets.size(); ++i) {
        const Bucket& bucket = buckets[i];
        // A spent budget is poor at any price and pays nothing.
        if (m_level_summary[bucket.level].bits == 0) continue;
        m_rich.push_back(i);
        mpz_addmul_ui(price.rest.get_mpz_t(), m_utility[bucket.utility].get_mpz_t(), bucket.weight);
    }
    m_paid = 0;
    // The bound's price per utility unit in budget numerators: rho * D / scale (see TrueRho()).
    const mpq_class& bound = m_bound[project];
    mpz_mul(m_threshold.get_mpz_t(), bound.get_num_mpz_t(), m_denominator.get_mpz_t());
    mpz_mul(m_threshold_rest.get_mpz_t(), bound.get_den_mpz_t(), m_utility_scale.get_mpz_t());
    for (;;) {
        if (price.rest == 0) return false; // everybody is poor: they hold less than the cost
        // N is poor iff N / points < threshold / threshold_rest.
        std::size_t kept{0};
        for (const std::uint32_t i : m_rich) {
            const Bucket& bucket = buckets[i];
            const mpz_class& budget = Budget(bucket.level);
            m_lhs = budget * m_threshold_rest;
            m_rhs = m_threshold * m_utility[bucket.utility];
            if (m_lhs >= m_rhs) {
                m_rich[kept++] = i;
                continue;
            }
            mpz_addmul_ui(m_paid.get_mpz_t(), budget.get_mpz_t(), bucket.weight);
            mpz_submul_ui(price.rest.get_mpz_t(), m_utility[bucket.utility].get_mpz_t(),
                          bucket.weight);
        }
        m_rich.resize(kept);
        if (price.rest == 0) return false;
        price.left = m_cost[project] - m_paid;
        m_lhs = price.left * m_threshold_rest;
        m_rhs = m_threshold * price.rest;
        WB_PB_ASSERT(m_lhs >= m_rhs); // the price never falls from one pass to the next
        if (m_lhs == m_rhs) break;
        m_threshold = price.left;
        m_threshold_rest = price.rest;
    }
    WB_PB_ASSERT(price.left > 0);
    return true;
}

/** ComputePrice() under cost satisfaction, where every supporter is one utility unit: N is poor
 *  iff N < left / rest, iff N < ceil(left / rest), so a pass compares integers only. The first
 *  pass reads every bucket's level (spent budgets are below any threshold); the buckets it leaves
 *  rich are copied with their summaries into m_rich_buckets, which later passes read in order. A
 *  pass that could find nobody new is skipped: see RichAllAbove(). */
bool EqualSharesRun::ComputeUniformPrice(ProjectIndex project, const std::vector<Bucket>& buckets,
                                         Price& price)
{
    std::uint64_t rich_weight = m_path[m_depth].bucket_weight[project];
    m_paid = 0;
    // The bound's price: rho * cost * D (see TrueRho()), rounded up.
    const mpq_class& bound = m_bound[project];
    mpz_mul(m_threshold.get_mpz_t(), bound.get_num_mpz_t(), m_cost[project].get_mpz_t());
    mpz_cdiv_q(m_threshold.get_mpz_t(), m_threshold.get_mpz_t(), bound.get_den_mpz_t());
    StartPass();
    FirstUniformPass(buckets, rich_weight);
    for (;;) {
        CollectPaid();
        if (rich_weight == 0) return false; // everybody is poor: they hold less than the cost
        price.rest = rich_weight;
        price.left = m_cost[project] - m_paid;
        mpz_cdiv_q(m_next_threshold.get_mpz_t(), price.left.get_mpz_t(), price.rest.get_mpz_t());
        WB_PB_ASSERT(m_next_threshold >= m_threshold); // the price never falls between passes
        if (m_next_threshold == m_threshold) break;
        std::swap(m_threshold, m_next_threshold);
        StartPass();
        if (RichAllAbove()) break;
        LaterUniformPass(rich_weight);
    }
    WB_PB_ASSERT(price.left > 0);
    m_rich.clear();
    for (const RichBucket& rich : m_rich_buckets) {
        m_rich.push_back(rich.index);
    }
    return true;
}

//! The first pass of ComputeUniformPrice(): over all the buckets.
void EqualSharesRun::FirstUniformPass(const std::vector<Bucket>& buckets,
                                      std::uint64_t& rich_weight)
{
    m_rich_buckets.clear();
    for (Summary& least : m_epoch_rich_min) {
        least.bits = NO_SUMMARY_BITS;
    }
    for (std::size_t k = 0; k < buckets.size(); ++k) {
        if (k + PREFETCH_DISTANCE < buckets.size()) {
            // The summaries are read in bucket order but lie in level order: ask for them early.
            __builtin_prefetch(&m_level_summary[buckets[k + PREFETCH_DISTANCE].level]);
        }
        const Bucket& bucket = buckets[k];
        const Summary& summary = m_level_summary[bucket.level];
        if (!BelowThreshold(summary, bucket.level)) {
            m_rich_buckets.push_back(
                RichBucket{summary, bucket.weight, bucket.level, static_cast<std::uint32_t>(k)});
            KeepRichMin(summary);
            continue;
        }
        rich_weight -= bucket.weight;
        if (summary.bits != 0) AddPaid(bucket.level, summary.epoch, bucket.weight);
    }
}

//! A later pass of ComputeUniformPrice(): over the buckets still rich, in place.
void EqualSharesRun::LaterUniformPass(std::uint64_t& rich_weight)
{
    std::size_t kept{0};
    for (const RichBucket& rich : m_rich_buckets) {
        if (!BelowThreshold(rich.summary, rich.level)) {
            m_rich_buckets[kept++] = rich;
            KeepRichMin(rich.summary);
            continue;
        }
        rich_weight -= rich.weight;
        AddPaid(rich.level, rich.summary.epoch, rich.weight);
    }
    m_rich_buckets.resize(kept);
}

//! Keeps the least summary of the rich buckets of each epoch in this pass, for RichAllAbove().
void EqualSharesRun::KeepRichMin(const Summary& summary)
{
    Summary& least = m_epoch_rich_min[summary.epoch];
    if (summary.bits < least.bits || (summary.bits == least.bits && summary.top < least.top)) {
        least = summary;
    }
}

/** Whether every bucket rich in the last pass is at least the new pass's threshold, from the
 *  least summary of each epoch: a pass would then find nobody new, and the price is final. False
 *  when a summary cannot tell (then the pass is made). Clears the least summaries. */
bool EqualSharesRun::RichAllAbove()
{
    bool above = true;
    // Downwards, so that each epoch's threshold comes from the one just above (EpochThreshold()).
    for (auto epoch = static_cast<std::uint32_t>(m_epoch_factor.size()); epoch-- > 0;) {
        Summary& least = m_epoch_rich_min[epoch];
        if (least.bits == NO_SUMMARY_BITS) continue;
        if (above) {
            if (m_epoch_threshold_pass[epoch] != m_pass) EpochThreshold(epoch);
            const Summary& threshold = m_epoch_threshold_summary[epoch];
            const bool same = least.bits == threshold.bits && least.top == threshold.top;
            above = least.bits > threshold.bits ||
                    (least.bits == threshold.bits && least.top > threshold.top) ||
                    (same && least.bits <= SUMMARY_BITS);
        }
        least.bits = NO_SUMMARY_BITS;
    }
    return above;
}

/** rho itself, which does not depend on the denominator: cost satisfaction asks each rich
 *  supporter left / (rest * D) and rho = that / cost; cardinal asks rho * points. */
void EqualSharesRun::TrueRho(ProjectIndex project, const Price& price, mpq_class& rho)
{
    if (m_uniform) {
        mpz_mul(rho.get_den_mpz_t(), price.rest.get_mpz_t(), m_cost[project].get_mpz_t());
        mpz_set(rho.get_num_mpz_t(), price.left.get_mpz_t());
    } else {
        mpz_mul(rho.get_num_mpz_t(), price.left.get_mpz_t(), m_utility_scale.get_mpz_t());
        mpz_mul(rho.get_den_mpz_t(), price.rest.get_mpz_t(), m_denominator.get_mpz_t());
    }
    rho.canonicalize();
}

/** Buys `project` at `price`; `rich` lists its buckets that pay the price (the others pay all
 *  they have), as ComputePrice() found them. */
void EqualSharesRun::Buy(ProjectIndex project, const Price& price,
                         const std::vector<std::uint32_t>& rich)
{
    const std::vector<Bucket>& buckets = BucketsOf(project);
    Node& node = m_path[m_depth];
    const bool known = node.bought == project && m_depth + 1 < m_path.size();
    if (!known) {
        // A purchase the last run did not make here: forget its continuation.
        m_path.resize(m_depth + 1);
        m_level_count = node.level_end;
        node.bought = project;
        node.child_level.clear();
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            node.child_level.push_back(NewLevel());
        }
    }
    // The price of one utility unit is a / c in numerators of D; afterwards D becomes D * c.
    mpz_gcd(m_gcd.get_mpz_t(), price.left.get_mpz_t(), price.rest.get_mpz_t());
    mpz_divexact(m_a.get_mpz_t(), price.left.get_mpz_t(), m_gcd.get_mpz_t());
    mpz_divexact(m_c.get_mpz_t(), price.rest.get_mpz_t(), m_gcd.get_mpz_t());
    if (m_c != 1) {
        for (mpz_class& factor : m_epoch_factor) {
            factor *= m_c;
        }
        m_epoch_factor.emplace_back(1);
        m_denominator *= m_c;
        // Under cost satisfaction c divides the rich weight, a word (see EpochThreshold()).
        WB_PB_ASSERT(!m_uniform || mpz_fits_ulong_p(m_c.get_mpz_t()) != 0);
        m_epoch_divisor.push_back(m_uniform ? mpz_get_ui(m_c.get_mpz_t()) : 0);
    }
    const auto now = static_cast<std::uint32_t>(m_epoch_factor.size() - 1);
    // What a rich bucket pays per utility unit, in ceiling units, rounded down: subtracted from
    // a ceiling, it leaves an upper bound of what the bucket keeps.
    const std::uint64_t paid_unit = Scaled(m_a, m_denominator, m_ceiling_shift, false,
                                           m_scratch_numerator, m_scratch_denominator);
    m_bucket_rich.assign(buckets.size(), 0);
    for (const std::uint32_t i : rich) {
        m_bucket_rich[i] = 1;
    }
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        const Level child = node.child_level[i];
        if (m_bucket_rich[i] == 0) {
            m_level_value[child] = 0; // a poor bucket pays everything it has
            m_level_ceiling[child] = 0;
            SetBudget(child, now);
            continue;
        }
        const Bucket& bucket = buckets[i];
        // The budget over the new D (its epoch's factor now includes c), less the price.
        mpz_mul(m_lhs.get_mpz_t(), m_level_value[bucket.level].get_mpz_t(),
                m_epoch_factor[m_level_epoch[bucket.level]].get_mpz_t());
        if (m_uniform) {
            mpz_sub(m_level_value[child].get_mpz_t(), m_lhs.get_mpz_t(), m_a.get_mpz_t());
        } else {
            m_rhs = m_a * m_utility[bucket.utility];
            mpz_sub(m_level_value[child].get_mpz_t(), m_lhs.get_mpz_t(), m_rhs.get_mpz_t());
        }
        SetBudget(child, now);
        const std::uint64_t paid = paid_unit * m_utility_word[bucket.utility];
        WB_PB_ASSERT(paid <= m_level_ceiling[bucket.level]); // paid <= budget <= ceiling
        m_level_ceiling[child] = m_level_ceiling[bucket.level] - paid;
    }
    if (!known) Descend(project, buckets);
    ++m_depth;
}

//! Adds the node after buying `project` at the current node: its supporters move to the levels
//! their buckets moved to.
void EqualSharesRun::Descend(ProjectIndex project, const std::vector<Bucket>& buckets)
{
    const Node& node = m_path[m_depth];
    Node next;
    next.group_level = node.group_level;
    next.buckets.resize(m_profile.ProjectCount());
    next.has_buckets.assign(m_profile.ProjectCount(), 0);
    next.bucket_weight.assign(m_profile.ProjectCount(), 0);
    next.level_end = m_level_count;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        m_bucket_slot[BucketKey(buckets[i])] = static_cast<std::uint32_t>(i);
    }
    for (const Supporter& supporter : m_profile.SupportersOf(project)) {
        Level& level = next.group_level[supporter.group];
        level =
            node.child_level[m_bucket_slot[BucketKey(level, m_uniform ? 0 : supporter.utility)]];
    }
    m_path.push_back(std::move(next));
}

void EqualSharesRun::StartRun(const mpq_class& voter_budget)
{
    if (m_path.empty()) {
        m_level_count = 0;
        const Level start = NewLevel();
        Node root;
        root.group_level.assign(m_profile.group_weight.size(), start);
        root.buckets.resize(m_profile.ProjectCount());
        root.has_buckets.assign(m_profile.ProjectCount(), 0);
        root.bucket_weight.assign(m_profile.ProjectCount(), 0);
        root.level_end = m_level_count;
        m_path.push_back(std::move(root));
    }
    m_depth = 0;
    m_voter_budget = voter_budget;
    m_denominator = Lcm(m_cost_denominator, voter_budget.get_den());
    m_epoch_factor.clear();
    m_epoch_factor.emplace_back(1);
    m_epoch_divisor.clear();
    m_level_value[0] = voter_budget.get_num() * (m_denominator / voter_budget.get_den());
    SetBudget(0, 0);
    StartCeilings(voter_budget);
    for (std::size_t i = 0; i < m_reachable; ++i) {
        m_in_pool[m_reach.projects[i]] = 0; // the last run's pool
    }
    m_reachable = m_reach.WithinReach(voter_budget);
    for (std::size_t i = 0; i < m_reachable; ++i) {
        const ProjectIndex p = m_reach.projects[i];
        m_cost[p] = m_profile.cost[p].get_num() * (m_denominator / m_profile.cost[p].get_den());
        m_cost_epoch[p] = 0;
        m_bound[p] = m_first_bound[p];
        m_bound_depth[p] = NOT_EXAMINED;
        m_hint_depth[p] = NOT_EXAMINED;
        m_in_pool[p] = 1;
    }
}

/** Chooses the scale of the ceilings of this run: 2^m_ceiling_shift units per unit of currency,
 *  as fine as keeps ballot_count * voter_budget below 2^CEILING_SUM_BITS units, since no voter
 *  ever holds more than voter_budget. Then the ceiling of the first level and, when the scale
 *  changed, the costs in ceiling units, rounded up (saturating is safe: a smaller cost proves
 *  less). */
void EqualSharesRun::StartCeilings(const mpq_class& voter_budget)
{
    mpz_cdiv_q(m_scratch_numerator.get_mpz_t(), voter_budget.get_num_mpz_t(),
               voter_budget.get_den_mpz_t());
    const auto shift = CEILING_SUM_BITS - static_cast<int>(std::bit_width(m_profile.ballot_count)) -
                       static_cast<int>(BitLength(m_scratch_numerator));
    m_level_ceiling[0] = Scaled(voter_budget.get_num(), voter_budget.get_den(), shift, true,
                                m_scratch_numerator, m_scratch_denominator);
    WB_PB_ASSERT(m_level_ceiling[0] < std::uint64_t{1} << CEILING_SUM_BITS);
    if (m_cost_scaled.size() == m_profile.ProjectCount() && shift == m_ceiling_shift) return;
    m_ceiling_shift = shift;
    m_cost_scaled.assign(m_profile.ProjectCount(), 0);
    for (const ProjectIndex p : m_candidates) {
        m_cost_scaled[p] = Scaled(m_profile.cost[p].get_num(), m_profile.cost[p].get_den(), shift,
                                  true, m_scratch_numerator, m_scratch_denominator);
    }
}

/** The hint set of this step that this run writes: the one it already wrote, or else an empty
 *  one, or else the one left by the run with the lowest budget. The completion's runs after a
 *  failed jump lie between the last budget it settled and the failed one, so the hints of higher
 *  budgets are the ones that still apply. */
EqualSharesRun::HintSet& EqualSharesRun::RunHints()
{
    Node& node = m_path[m_depth];
    if (node.hint_run == m_run_count) return node.hints[node.hint_slot];
    std::size_t slot{0};
    for (std::size_t i = 0; i < node.hints.size(); ++i) {
        const HintSet& set = node.hints[i];
        if (!set.budget) {
            slot = i;
            break;
        }
        if (*set.budget < *node.hints[slot].budget) slot = i;
    }
    HintSet& set = node.hints[slot];
    set.budget = m_voter_budget;
    set.hint_count = 0; // the hints stay allocated, to be written over
    set.unaffordable.clear();
    node.hint_run = m_run_count;
    node.hint_slot = slot;
    return set;
}

//! Keeps `project`'s rho, just computed at this step, as a hint for later runs (see HintSet).
void EqualSharesRun::RecordHint(ProjectIndex project)
{
    HintSet& set = RunHints();
    if (set.hint_count == set.hints.size()) set.hints.emplace_back();
    Hint& hint = set.hints[set.hint_count++];
    hint.project = project;
    hint.rho = m_bound[project];
    hint.rest = m_price.rest;
}

/** Raises `project`'s bound with the hints of this step left at a lower budget b, once per
 *  step: rho at the budget b' of this run is at least rho(b) - n * (b' - b) / R, where R is
 *  what its rich supporters at b weigh (sum of their utilities). Why: along a fixed path the
 *  voters together hold n * b less the costs bought, so from b to b' they gain n * (b' - b)
 *  together, each at least 0; the sum its supporters would pay at payment y per utility unit,
 *  Sum min(budget_i, y * u_i), is concave in y with slope at least R below rho(b), so those gains
 *  lower the payment that reaches the cost by at most n * (b' - b) / R. Whether the bound was
 *  raised. */
bool EqualSharesRun::RaiseFromHints(ProjectIndex project)
{
    if (m_hint_depth[project] == m_depth) return false;
    m_hint_depth[project] = m_depth;
    bool raised = false;
    for (const HintSet& set : m_path[m_depth].hints) {
        if (!set.budget || *set.budget >= m_voter_budget) continue; // ApplyHints() took those
        const auto end = set.hints.begin() + static_cast<std::ptrdiff_t>(set.hint_count);
        const auto hint = std::find_if(set.hints.begin(), end,
                                       [project](const Hint& h) { return h.project == project; });
        if (hint == end || hint->rho <= m_bound[project]) continue;
        m_hint_bound = m_voter_budget - *set.budget;
        m_hint_bound *= m_profile.ballot_count;
        if (m_uniform) {
            m_hint_bound /= m_profile.cost[project];
        } else {
            m_hint_bound *= m_utility_scale;
        }
        m_hint_bound /= hint->rest;
        m_hint_bound = hint->rho - m_hint_bound;
        if (m_hint_bound <= m_bound[project]) continue;
        std::swap(m_bound[project], m_hint_bound);
        raised = true;
    }
    return raised;
}

/** Applies the hints of this step that hold for this run (left at a budget no smaller): raises
 *  the bounds to them, and drops the candidates that were out of reach there (what the voters
 *  hold is nondecreasing in the budget along a fixed path, see equal_shares.cpp). */
void EqualSharesRun::ApplyHints()
{
    const Node& node = m_path[m_depth];
    bool dropped = false;
    for (const HintSet& set : node.hints) {
        if (!set.budget || *set.budget < m_voter_budget) continue;
        for (const ProjectIndex p : set.unaffordable) {
            if (m_in_pool[p] == 0) continue;
            m_in_pool[p] = 0;
            dropped = true;
        }
        for (std::size_t i = 0; i < set.hint_count; ++i) {
            const Hint& hint = set.hints[i];
            const ProjectIndex p = hint.project;
            if (m_in_pool[p] == 0 || hint.rho <= m_bound[p]) continue;
            m_bound[p] = hint.rho;
            m_raised.push_back(p);
        }
    }
    if (dropped) {
        std::erase_if(m_heap, [this](ProjectIndex p) { return m_in_pool[p] == 0; });
        const auto after = [this](ProjectIndex a, ProjectIndex b) {
            return Before(b, a);
        };
        std::make_heap(m_heap.begin(), m_heap.end(), after);
        m_raised.clear();
        return;
    }
    // A raised bound only moves its candidate away from the top.
    m_raised_place.clear();
    for (const ProjectIndex p : m_raised) {
        const auto place = std::find(m_heap.begin(), m_heap.end(), p);
        WB_PB_ASSERT(place != m_heap.end());
        m_raised_place.push_back(static_cast<std::size_t>(place - m_heap.begin()));
    }
    m_raised.clear();
    RestoreHeap(m_heap, m_raised_place,
                [this](ProjectIndex a, ProjectIndex b) { return Before(a, b); });
}

//! Computes `project`'s exact rho at this step into its bound; false (and out of the pool) if
//! its supporters can no longer pay for it.
bool EqualSharesRun::Examine(ProjectIndex project)
{
    if (!ComputePrice(project, m_price)) {
        m_in_pool[project] = 0; // unaffordable: dropped for good
        RunHints().unaffordable.push_back(project);
        return false;
    }
    TrueRho(project, m_price, m_rho_found);
    WB_PB_ASSERT(m_rho_found >= m_bound[project]); // rho never decreases; hints are lower bounds
    std::swap(m_bound[project], m_rho_found);
    m_bound_depth[project] = m_depth;
    RecordHint(project);
    return true;
}

/** Whether `check` accepts buying `best` at this step. The runner-up passed is the heap's top
 *  with its bound, a lower bound of its rho; only if `check` refuses a bound from an earlier step
 *  is the top made exact (which may change the top) and asked again: a proof that holds for a
 *  lower bound holds for the real rho. */
bool EqualSharesRun::CheckStep(const StepCheck& check, ProjectIndex best, RunnerUp& runner_up)
{
    const auto after = [this](ProjectIndex a, ProjectIndex b) {
        return Before(b, a);
    };
    const Purchase purchase{best, m_bound[best]};
    for (;;) {
        runner_up = RunnerUp{};
        if (!m_heap.empty()) runner_up = RunnerUp{m_heap.front(), m_bound[m_heap.front()]};
        if (check(m_purchases.size(), purchase, runner_up)) return true;
        if (m_heap.empty() || m_bound_depth[m_heap.front()] == m_depth) return false;
        const ProjectIndex p = m_heap.front();
        std::pop_heap(m_heap.begin(), m_heap.end(), after);
        m_heap.pop_back();
        if (RaiseFromHints(p) || Examine(p)) {
            m_heap.push_back(p);
            std::push_heap(m_heap.begin(), m_heap.end(), after);
        }
    }
}

void EqualSharesRun::Run(const mpq_class& voter_budget, const StepCheck* check)
{
    ++m_run_count;
    StartRun(voter_budget);
    m_stopped = false;
    // Nobody holds more than voter_budget, so a candidate whose supporters together could not pay
    // for it even then is out before the first step, without computing anything: StartRun() put
    // only those within reach in the pool.
    m_heap.assign(m_reach.projects.begin(),
                  m_reach.projects.begin() + static_cast<std::ptrdiff_t>(m_reachable));
    const auto after = [this](ProjectIndex a, ProjectIndex b) {
        return Before(b, a);
    };
    std::make_heap(m_heap.begin(), m_heap.end(), after);
    m_purchases.clear();
    m_runners_up.clear();
    for (;;) {
        ApplyHints();
        ProjectIndex best = NO_PROJECT;
        m_examined.clear();
        while (!m_heap.empty()) {
            const ProjectIndex p = m_heap.front();
            if (best != NO_PROJECT && m_bound[p] > m_bound[best]) break;
            std::pop_heap(m_heap.begin(), m_heap.end(), after);
            m_heap.pop_back();
            if (RaiseFromHints(p)) {
                // A better bound: p waits its turn again.
                m_heap.push_back(p);
                std::push_heap(m_heap.begin(), m_heap.end(), after);
                continue;
            }
            if (!Examine(p)) continue;
            m_examined.push_back(p);
            if (best == NO_PROJECT || Before(p, best)) {
                best = p;
                m_best_price.left = m_price.left;
                m_best_price.rest = m_price.rest;
                m_best_rich = m_rich;
            }
        }
        if (best == NO_PROJECT) return;
        for (const ProjectIndex p : m_examined) {
            if (p == best) continue;
            m_heap.push_back(p);
            std::push_heap(m_heap.begin(), m_heap.end(), after);
        }
        RunnerUp runner_up;
        if (check != nullptr && !CheckStep(*check, best, runner_up)) {
            m_stopped = true;
            return;
        }
        m_runners_up.push_back(std::move(runner_up));
        m_in_pool[best] = 0;
        Buy(best, m_best_price, m_best_rich);
        m_purchases.push_back(Purchase{best, m_bound[best]});
    }
}

} // namespace wijkbudget::pb
