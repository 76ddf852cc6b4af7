// pb/equal_shares_run.cpp: see equal_shares_run.hpp.
#include "pb/equal_shares_run.hpp"

#include "pb/assert.hpp"

#include <algorithm>
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

mpz_class Lcm(const mpz_class& a, const mpz_class& b)
{
    mpz_class result;
    mpz_lcm(result.get_mpz_t(), a.get_mpz_t(), b.get_mpz_t());
    return result;
}

//! -1, 0 or 1 as a < b, a == b, a > b when the summaries decide it; 2 when they do not.
int CompareSummaries(std::uint64_t a_bits, std::uint64_t a_top, std::uint64_t b_bits,
                     std::uint64_t b_top)
{
    if (a_bits != b_bits) return a_bits < b_bits ? -1 : 1;
    if (a_top != b_top) return a_top < b_top ? -1 : 1;
    return a_bits <= SUMMARY_BITS ? 0 : 2;
}

} // namespace

EqualSharesRun::EqualSharesRun(const SatisfactionProfile& profile)
    : m_profile{profile}, m_uniform{profile.UniformUtility()},
      m_first_bound(profile.ProjectCount()), m_cost(profile.ProjectCount()),
      m_cost_epoch(profile.ProjectCount(), 0), m_bound(profile.ProjectCount()),
      m_bound_depth(profile.ProjectCount(), 0), m_in_pool(profile.ProjectCount(), 0),
      m_supporter_count(profile.ProjectCount(), 0)
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
        for (const Supporter& supporter : profile.SupportersOf(p)) {
            m_supporter_count[p] += profile.group_weight[supporter.group];
        }
    }
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
    const mpz_class& value = m_level_value[level];
    Summary& summary = m_level_summary[level];
    summary.epoch = epoch;
    summary.bits = mpz_sgn(value.get_mpz_t()) == 0
                       ? 0
                       : static_cast<std::uint32_t>(mpz_sizeinbase(value.get_mpz_t(), 2));
    if (summary.bits <= SUMMARY_BITS) {
        summary.top = mpz_get_ui(value.get_mpz_t());
    } else {
        mpz_tdiv_q_2exp(m_summary_scratch.get_mpz_t(), value.get_mpz_t(),
                        summary.bits - SUMMARY_BITS);
        summary.top = mpz_get_ui(m_summary_scratch.get_mpz_t());
    }
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
    for (const Bucket& bucket : buckets)
        total += bucket.weight;
    node.bucket_weight[project] = total;
    node.has_buckets[project] = 1;
    return buckets;
}

//! Starts a pass with threshold m_threshold: the per-epoch thresholds are computed when needed.
void EqualSharesRun::StartPass()
{
    ++m_pass;
    if (m_epoch_threshold.size() < m_epoch_factor.size()) {
        m_epoch_threshold.resize(m_epoch_factor.size());
        m_epoch_threshold_summary.resize(m_epoch_factor.size());
        m_epoch_threshold_pass.resize(m_epoch_factor.size(), 0);
    }
}

//! Makes m_epoch_threshold[epoch] the pass's threshold over the denominator of `epoch`
//! (rounded up), with its summary.
void EqualSharesRun::EpochThreshold(std::uint32_t epoch)
{
    mpz_class& threshold = m_epoch_threshold[epoch];
    mpz_cdiv_q(threshold.get_mpz_t(), m_threshold.get_mpz_t(), m_epoch_factor[epoch].get_mpz_t());
    Summary& summary = m_epoch_threshold_summary[epoch];
    summary.bits = mpz_sgn(threshold.get_mpz_t()) == 0
                       ? 0
                       : static_cast<std::uint32_t>(mpz_sizeinbase(threshold.get_mpz_t(), 2));
    if (summary.bits <= SUMMARY_BITS) {
        summary.top = mpz_get_ui(threshold.get_mpz_t());
    } else {
        mpz_tdiv_q_2exp(m_summary_scratch.get_mpz_t(), threshold.get_mpz_t(),
                        summary.bits - SUMMARY_BITS);
        summary.top = mpz_get_ui(m_summary_scratch.get_mpz_t());
    }
    m_epoch_threshold_pass[epoch] = m_pass;
}

//! Adds what a poor bucket holds to m_paid, summed per epoch first: one multiplication per
//! epoch in CollectPaid() instead of one per bucket.
void EqualSharesRun::AddPaid(Level level, std::uint64_t weight)
{
    const std::uint32_t epoch = m_level_epoch[level];
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

//! Under cost satisfaction: whether the level's budget is below the pass's threshold, compared
//! in the level's own epoch (N * factor < T iff N < ceil(T / factor)).
bool EqualSharesRun::BelowThreshold(Level level)
{
    const Summary& mine = m_level_summary[level];
    const std::uint32_t epoch = mine.epoch;
    if (m_epoch_threshold_pass[epoch] != m_pass) EpochThreshold(epoch);
    const Summary& theirs = m_epoch_threshold_summary[epoch];
    const int order = CompareSummaries(mine.bits, mine.top, theirs.bits, theirs.top);
    if (order != 2) return order < 0;
    return m_level_value[level] < m_epoch_threshold[epoch];
}

/** The price of `project` (see Price) by poor and rich: false if its supporters together hold
 *  less than its cost. Each pass compares with the price of the pass before, a lower bound of
 *  the final one, so a bucket found poor stays poor, and later passes look at the rich only. */
bool EqualSharesRun::ComputePrice(ProjectIndex project, Price& price)
{
    if (m_uniform) return ComputeUniformPrice(project, price);
    const std::vector<Bucket>& buckets = BucketsOf(project);
    if (buckets.empty()) return false;
    const auto now = static_cast<std::uint32_t>(m_epoch_factor.size() - 1);
    if (m_cost_epoch[project] != now) {
        m_cost[project] *= m_epoch_factor[m_cost_epoch[project]];
        m_cost_epoch[project] = now;
    }
    m_rich.clear();
    std::uint64_t rich_weight{0};
    price.rest = 0;
    for (std::uint32_t i = 0; i < buckets.size(); ++i) {
        const Bucket& bucket = buckets[i];
        // A spent budget is poor at any price and pays nothing.
        if (m_level_summary[bucket.level].bits == 0) continue;
        m_rich.push_back(i);
        if (m_uniform) {
            rich_weight += bucket.weight; // one utility unit each
        } else {
            mpz_addmul_ui(price.rest.get_mpz_t(), m_utility[bucket.utility].get_mpz_t(),
                          bucket.weight);
        }
    }
    if (m_uniform) price.rest = rich_weight;
    m_paid = 0;
    for (bool changed = true; changed;) {
        if (price.rest == 0)
            return false; // everybody is poor: together they hold less than the cost
        changed = false;
        price.left = m_cost[project] - m_paid;
        // Under cost satisfaction N is poor iff N < left / rest, iff N < ceil(left / rest). With
        // points, N is poor iff N * rest < left * points, for the rest at the start of the pass.
        if (m_uniform) {
            mpz_cdiv_q(m_threshold.get_mpz_t(), price.left.get_mpz_t(), price.rest.get_mpz_t());
            StartPass();
        } else {
            m_threshold = price.rest;
        }
        std::size_t kept{0};
        for (const std::uint32_t i : m_rich) {
            const Bucket& bucket = buckets[i];
            bool poor = false;
            if (m_uniform) {
                poor = BelowThreshold(bucket.level);
            } else {
                m_lhs = Budget(bucket.level) * m_threshold;
                m_rhs = price.left * m_utility[bucket.utility];
                poor = m_lhs < m_rhs;
            }
            if (!poor) {
                m_rich[kept++] = i;
                continue;
            }
            changed = true;
            if (m_uniform) {
                AddPaid(bucket.level, bucket.weight);
            } else {
                mpz_addmul_ui(m_paid.get_mpz_t(), Budget(bucket.level).get_mpz_t(), bucket.weight);
            }
            if (m_uniform) {
                rich_weight -= bucket.weight;
            } else {
                mpz_submul_ui(price.rest.get_mpz_t(), m_utility[bucket.utility].get_mpz_t(),
                              bucket.weight);
            }
        }
        m_rich.resize(kept);
        if (m_uniform) {
            price.rest = rich_weight;
            CollectPaid();
        }
    }
    price.left = m_cost[project] - m_paid;
    WB_PB_ASSERT(price.left > 0);
    return true;
}

/** ComputePrice() under cost satisfaction, where every supporter is one utility unit: the first
 *  pass starts from the price as if every supporter were rich, spent budgets included (a lower
 *  bound again), so spent budgets are set aside in the same loop that compares the others. */
bool EqualSharesRun::ComputeUniformPrice(ProjectIndex project, Price& price)
{
    const std::vector<Bucket>& buckets = BucketsOf(project);
    if (buckets.empty()) return false;
    const auto now = static_cast<std::uint32_t>(m_epoch_factor.size() - 1);
    if (m_cost_epoch[project] != now) {
        m_cost[project] *= m_epoch_factor[m_cost_epoch[project]];
        m_cost_epoch[project] = now;
    }
    std::uint64_t rich_weight = m_path[m_depth].bucket_weight[project];
    m_paid = 0;
    price.left = m_cost[project];
    bool first = true;
    for (bool changed = true; changed;) {
        if (rich_weight == 0)
            return false; // everybody is poor: together they hold less than the cost
        changed = false;
        price.rest = rich_weight;
        price.left = m_cost[project] - m_paid;
        // N is poor iff N < left / rest, iff N < ceil(left / rest).
        mpz_cdiv_q(m_threshold.get_mpz_t(), price.left.get_mpz_t(), price.rest.get_mpz_t());
        StartPass();
        std::size_t kept{0};
        const std::size_t count = first ? buckets.size() : m_rich.size();
        if (first) m_rich.resize(buckets.size());
        for (std::size_t k = 0; k < count; ++k) {
            const std::uint32_t i = first ? static_cast<std::uint32_t>(k) : m_rich[k];
            if (first && k + PREFETCH_DISTANCE < count) {
                // The summaries are read in bucket order but lie in level order: ask for them
                // early.
                __builtin_prefetch(&m_level_summary[buckets[k + PREFETCH_DISTANCE].level]);
            }
            const Bucket& bucket = buckets[i];
            const bool spent = m_level_summary[bucket.level].bits == 0;
            if (!spent && !BelowThreshold(bucket.level)) {
                m_rich[kept++] = i;
                continue;
            }
            changed = true;
            rich_weight -= bucket.weight;
            if (!spent) AddPaid(bucket.level, bucket.weight);
        }
        m_rich.resize(kept);
        CollectPaid();
        first = false;
    }
    price.rest = rich_weight;
    price.left = m_cost[project] - m_paid;
    WB_PB_ASSERT(price.left > 0);
    return true;
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

void EqualSharesRun::Buy(ProjectIndex project, const Price& price)
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
        for (std::size_t i = 0; i < buckets.size(); ++i)
            node.child_level.push_back(NewLevel());
    }
    // The price of one utility unit is a / c in numerators of D; afterwards D becomes D * c.
    mpz_gcd(m_gcd.get_mpz_t(), price.left.get_mpz_t(), price.rest.get_mpz_t());
    mpz_divexact(m_a.get_mpz_t(), price.left.get_mpz_t(), m_gcd.get_mpz_t());
    mpz_divexact(m_c.get_mpz_t(), price.rest.get_mpz_t(), m_gcd.get_mpz_t());
    const bool new_epoch = m_c != 1;
    const auto next_epoch = static_cast<std::uint32_t>(m_epoch_factor.size() - (new_epoch ? 0 : 1));
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        const Level child = node.child_level[i];
        m_lhs = Budget(buckets[i].level) * m_c;      // the budget over the new D
        m_rhs = m_a * m_utility[buckets[i].utility]; // what it is asked
        // A poor bucket pays everything it has.
        if (m_lhs <= m_rhs) {
            m_level_value[child] = 0;
        } else {
            m_level_value[child] = m_lhs - m_rhs;
        }
        SetBudget(child, next_epoch);
    }
    if (new_epoch) {
        for (mpz_class& factor : m_epoch_factor)
            factor *= m_c;
        m_epoch_factor.emplace_back(1);
        m_denominator *= m_c;
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
    m_level_value[0] = voter_budget.get_num() * (m_denominator / voter_budget.get_den());
    SetBudget(0, 0);
    for (const ProjectIndex p : m_candidates) {
        m_cost[p] = m_profile.cost[p].get_num() * (m_denominator / m_profile.cost[p].get_den());
        m_cost_epoch[p] = 0;
        m_bound[p] = m_first_bound[p];
        m_bound_depth[p] = NOT_EXAMINED;
        m_in_pool[p] = 1;
    }
}

//! Keeps `project`'s rho, just computed at this step, as a hint for later runs (see Node).
void EqualSharesRun::RecordHint(ProjectIndex project)
{
    Node& node = m_path[m_depth];
    if (!node.hint_budget || *node.hint_budget != m_voter_budget) {
        node.hint_budget = m_voter_budget;
        node.hinted.clear();
        node.hint.resize(m_profile.ProjectCount());
    }
    node.hint[project] = m_bound[project];
    node.hinted.push_back(project);
}

//! Raises the bounds of the candidates to the hints of this step, when they apply to this run.
void EqualSharesRun::ApplyHints()
{
    const Node& node = m_path[m_depth];
    if (!node.hint_budget || *node.hint_budget < m_voter_budget) return;
    bool raised = false;
    for (const ProjectIndex p : node.hinted) {
        if (m_in_pool[p] == 0 || node.hint[p] <= m_bound[p]) continue;
        m_bound[p] = node.hint[p];
        raised = true;
    }
    if (!raised) return;
    const auto after = [this](ProjectIndex a, ProjectIndex b) {
        return Before(b, a);
    };
    std::make_heap(m_heap.begin(), m_heap.end(), after);
}

//! Computes `project`'s exact rho at this step into its bound; false (and out of the pool) if
//! its supporters can no longer pay for it.
bool EqualSharesRun::Examine(ProjectIndex project)
{
    if (!ComputePrice(project, m_price)) {
        m_in_pool[project] = 0; // unaffordable: dropped for good
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
        if (!Examine(p)) continue;
        m_heap.push_back(p);
        std::push_heap(m_heap.begin(), m_heap.end(), after);
    }
}

void EqualSharesRun::Run(const mpq_class& voter_budget, const StepCheck* check)
{
    StartRun(voter_budget);
    m_stopped = false;
    // Nobody holds more than voter_budget, so a candidate whose supporters together could not pay
    // for it even then is out before the first step, without computing anything.
    m_heap.clear();
    for (const ProjectIndex p : m_candidates) {
        m_reach = voter_budget * m_supporter_count[p];
        if (m_reach < m_profile.cost[p]) {
            m_in_pool[p] = 0;
            continue;
        }
        m_heap.push_back(p);
    }
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
            if (!Examine(p)) continue;
            m_examined.push_back(p);
            if (best == NO_PROJECT || Before(p, best)) {
                best = p;
                m_best_price.left = m_price.left;
                m_best_price.rest = m_price.rest;
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
        Buy(best, m_best_price);
        m_purchases.push_back(Purchase{best, m_bound[best]});
    }
}

} // namespace wijkbudget::pb
