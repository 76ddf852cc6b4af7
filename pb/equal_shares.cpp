// pb/equal_shares.cpp: see equal_shares.hpp.
#include "pb/equal_shares.hpp"

#include "pb/assert.hpp"
#include "pb/equal_shares_run.hpp"
#include "pb/separate_supports.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wijkbudget::pb {

namespace {

//! Proofs in a row at one stride before it may double again after a failed jump.
constexpr std::uint64_t STREAK_TO_GROW{4};
//! Largest jump of the completion, in units of currency per voter.
constexpr std::uint64_t STRIDE_MAX{1 << 20};

mpq_class Spent(const SatisfactionProfile& profile, const std::vector<Purchase>& purchases)
{
    mpq_class spent{0};
    for (const Purchase& purchase : purchases)
        spent += profile.cost[purchase.project];
    return spent;
}

/** Whether some candidate outside the purchases still fits into what is left (RULES.md: the
 *  exhaustiveness test of the completion looks at the candidates only). `by_cost` holds the
 *  candidates by cost, so the scan ends at the first that is too dear or not bought; `bought` is
 *  all false on entry and on return. */
bool CandidateFits(const SatisfactionProfile& profile, const std::vector<ProjectIndex>& by_cost,
                   const std::vector<Purchase>& purchases, const mpq_class& left,
                   std::vector<std::uint8_t>& bought)
{
    for (const Purchase& purchase : purchases)
        bought[purchase.project] = 1;
    bool fits = false;
    for (const ProjectIndex p : by_cost) {
        if (profile.cost[p] > left) break;
        if (bought[p] == 0) {
            fits = true;
            break;
        }
    }
    for (const Purchase& purchase : purchases)
        bought[purchase.project] = 0;
    return fits;
}

//! What the completion keeps of one run.
struct RunRecord {
    mpq_class voter_budget;
    std::vector<Purchase> purchases;
    std::vector<RunnerUp> runners_up;
    mpq_class spent;
};

/** Keeps `run`, made at `voter_budget`, in `record`, reusing what `record` holds: the
 *  completion records hundreds of runs, and fresh vectors of rationals cost more than most. */
void Record(const SatisfactionProfile& profile, const EqualSharesRun& run,
            const mpq_class& voter_budget, RunRecord& record)
{
    record.voter_budget = voter_budget;
    record.purchases = run.Purchases();
    record.runners_up = run.RunnersUp();
    record.spent = 0;
    for (const Purchase& purchase : record.purchases)
        record.spent += profile.cost[purchase.project];
}

/** Whether step `step` of a run at a higher budget keeps the proof that every budget between
 *  `low`'s and that one buys what `low` bought.
 *
 *  Why the proof holds: along a fixed sequence of purchases, every voter's budget at every step
 *  is nondecreasing in the starting budget b (a purchase's rho is nonincreasing when budgets
 *  grow, and a voter keeps max(0, budget - rho * u)), so every candidate's rho is nonincreasing
 *  in b, and a candidate unaffordable at the high b is unaffordable below it. If the high run
 *  buys what `low` bought, step by step, and at each step its runner-up (whose exact rho at the
 *  high b is a lower bound of every other candidate's rho at any smaller b) is still worse than
 *  the winner's rho in `low` (an upper bound of the winner's rho at any larger b), then by
 *  induction over the steps every b in between buys the same projects; and if the high run
 *  stops where `low` stopped, so do they all. */
bool StepKeepsProof(const SatisfactionProfile& profile, const RunRecord& low, std::size_t step,
                    const Purchase& purchase, const RunnerUp& runner_up)
{
    if (step >= low.purchases.size()) return false;
    const Purchase& winner = low.purchases[step];
    if (purchase.project != winner.project) return false;
    if (!runner_up.project) return true;
    const int order = cmp(runner_up.bound, winner.rho);
    if (order != 0) return order > 0;
    return profile.id_rank[winner.project] < profile.id_rank[*runner_up.project];
}

/** The outcome of `record`, where the completion stopped after its run at `last_budget` (the
 *  next budget when that run went over budget). */
Outcome Finish(const SatisfactionProfile& profile, const EqualSharesRun& run,
               const RunRecord& record, const mpq_class& first_budget, const mpq_class& last_budget,
               std::size_t computed)
{
    auto outcome = EqualSharesOutcome(profile, run.Candidates(), run.FreeProjects(),
                                      record.purchases, record.voter_budget);
    // Counted as pabutools counts them: one run per unit the budget was raised, plus the first.
    const mpq_class raised = last_budget - first_budget;
    outcome.equal_shares_runs =
        static_cast<std::size_t>(mpz_class{raised.get_num() / raised.get_den()}.get_ui()) + 1;
    outcome.equal_shares_runs_computed = computed;
    return outcome;
}

/** RULES.md's completion: raise every voter's budget by 1 until the outcome is exhaustive (return
 *  it) or over budget (return the one before). Most raises change nothing, so instead of running
 *  MES at every budget it jumps ahead, and StepKeepsProof() proves that the budgets jumped over
 *  give the outcome already seen, which was neither exhaustive nor over budget. A failed jump
 *  costs a run, so the stride adapts: it doubles while jumps are proved (after a failure, only
 *  once STREAK_TO_GROW jumps in a row were), halves when one is not, and where even a jump of 2
 *  fails (a near tie that the proof cannot separate), plain steps of 1 follow, more of them each
 *  time it fails again. A plain step is checked as pabutools checks every run. */
class CompletionSearch
{
public:
    CompletionSearch(const SatisfactionProfile& profile, const mpq_class& first_budget)
        : m_profile{profile},
          m_first_budget{first_budget}, m_run{profile}, m_by_cost{m_run.Candidates()},
          m_bought(profile.ProjectCount(), 0)
    {
        std::sort(m_by_cost.begin(), m_by_cost.end(), [&](ProjectIndex a, ProjectIndex b) {
            return profile.cost[a] < profile.cost[b];
        });
    }

    std::variant<Outcome, RuleFailure> Run()
    {
        m_run.Run(m_first_budget);
        Record(m_profile, m_run, m_first_budget, m_current);
        WB_PB_ASSERT(m_current.spent <= m_profile.budget); // budget / n per voter never overspends
        if (!Fits(m_current)) return Finish(m_current, m_first_budget);
        while (m_current.voter_budget - m_first_budget < COMPLETION_RAISE_MAX &&
               m_computed < COMPLETION_RUNS_MAX) {
            if (m_plain_left == 0 && m_stride > 1) {
                Jump();
                continue;
            }
            if (auto outcome = Step()) return std::move(*outcome);
        }
        if (m_computed >= COMPLETION_RUNS_MAX) {
            return RuleFailure{"the completion did not end within " +
                               std::to_string(COMPLETION_RUNS_MAX) + " runs of equal shares"};
        }
        return RuleFailure{"the completion did not end within a raise of " +
                           std::to_string(COMPLETION_RAISE_MAX) + " of the voters' budget"};
    }

private:
    bool Fits(const RunRecord& record)
    {
        return CandidateFits(m_profile, m_by_cost, record.purchases,
                             m_profile.budget - record.spent, m_bought);
    }

    Outcome Finish(const RunRecord& record, const mpq_class& last_budget)
    {
        return pb::Finish(m_profile, m_run, record, m_first_budget, last_budget, m_computed);
    }

    //! Tries to skip `m_stride` budgets at once.
    void Jump()
    {
        const mpq_class voter_budget = m_current.voter_budget + m_stride;
        const EqualSharesRun::StepCheck keeps_proof =
            [this](std::size_t step, const Purchase& purchase, const RunnerUp& runner_up) {
                return StepKeepsProof(m_profile, m_current, step, purchase, runner_up);
            };
        m_run.Run(voter_budget, &keeps_proof);
        ++m_computed;
        if (m_run.Stopped() || m_run.Purchases().size() != m_current.purchases.size()) {
            if (m_stride == 2) {
                m_plain_after_failure = std::max<std::uint64_t>(1, 2 * m_plain_after_failure);
                m_plain_left = m_plain_after_failure;
            }
            m_stride /= 2;
            m_capped = true;
            m_streak = 0;
            return;
        }
        // Every budget up to this one buys what m_current bought: nothing to check there.
        Record(m_profile, m_run, voter_budget, m_current);
        m_proved = m_stride;
        m_plain_after_failure /= 2; // forgiven slowly: near ties come in runs
        if (!m_capped || ++m_streak >= STREAK_TO_GROW) {
            m_stride = std::min<std::uint64_t>(2 * m_stride, STRIDE_MAX);
            m_capped = false;
            m_streak = 0;
        }
    }

    //! One plain raise by 1; the outcome if it ends the completion.
    std::optional<Outcome> Step()
    {
        const mpq_class voter_budget = m_current.voter_budget + 1;
        m_run.Run(voter_budget);
        ++m_computed;
        Record(m_profile, m_run, voter_budget, m_next);
        if (m_next.spent > m_profile.budget) return Finish(m_current, m_next.voter_budget);
        if (!Fits(m_next)) return Finish(m_next, m_next.voter_budget);
        std::swap(m_current, m_next);
        if (m_plain_left > 0) --m_plain_left;
        // Where jumps of 2 failed lately, try 2 again rather than the last long stride.
        m_stride = m_plain_after_failure > 0 ? 2 : std::max<std::uint64_t>(2, m_proved);
        m_capped = false;
        return std::nullopt;
    }

    const SatisfactionProfile& m_profile;
    mpq_class m_first_budget;
    EqualSharesRun m_run;
    //! The last budget known to be neither exhaustive nor over budget, and its run.
    RunRecord m_current;
    RunRecord m_next; //!< Step()'s run, kept to reuse its buffers
    std::uint64_t m_stride{2};
    std::uint64_t m_proved{2};              //!< the last stride that was proved
    bool m_capped{false};                   //!< a jump failed since the last plain step
    std::uint64_t m_streak{0};              //!< jumps proved in a row since that failure
    std::uint64_t m_plain_left{0};          //!< plain steps to take before the next jump
    std::uint64_t m_plain_after_failure{0}; //!< how many after the last jump of 2 failed
    std::size_t m_computed{1};
    std::vector<ProjectIndex> m_by_cost; //!< the candidates, cheapest first
    std::vector<std::uint8_t> m_bought;  //!< scratch of Fits(), all 0 between calls
};

} // namespace

Outcome EqualSharesOutcome(const SatisfactionProfile& profile,
                           const std::vector<ProjectIndex>& candidates,
                           const std::vector<ProjectIndex>& free,
                           const std::vector<Purchase>& purchases, const mpq_class& voter_budget)
{
    Outcome outcome;
    outcome.loss.assign(profile.ProjectCount(), LossReason::no_support);
    for (const ProjectIndex p : candidates)
        outcome.loss[p] = LossReason::unaffordable;
    for (const ProjectIndex p : free) {
        outcome.winners.push_back(Winner{p, Phase::zero_cost, 0});
        outcome.loss[p].reset();
    }
    for (const Purchase& purchase : purchases) {
        outcome.winners.push_back(Winner{purchase.project, Phase::equal_shares, purchase.rho});
        outcome.loss[purchase.project].reset();
    }
    outcome.spent = Spent(profile, purchases);
    outcome.voter_budget = voter_budget;
    return outcome;
}

std::variant<Outcome, RuleFailure> EqualShares(const SatisfactionProfile& profile,
                                               Completion completion)
{
    if (profile.UniformUtility() && SupportsAreSeparate(profile)) {
        return SeparateSupportsEqualShares(profile, FirstVoterBudget(profile), completion);
    }
    return EqualSharesByRuns(profile, completion);
}

mpq_class FirstVoterBudget(const SatisfactionProfile& profile)
{
    mpq_class voter_budget{0};
    if (profile.ballot_count > 0) voter_budget = profile.budget / profile.ballot_count;
    return voter_budget;
}

std::variant<Outcome, RuleFailure> EqualSharesByRuns(const SatisfactionProfile& profile,
                                                     Completion completion)
{
    const mpq_class voter_budget = FirstVoterBudget(profile);
    if (completion == Completion::add1) return CompletionSearch{profile, voter_budget}.Run();
    EqualSharesRun run{profile};
    run.Run(voter_budget);
    auto outcome = EqualSharesOutcome(profile, run.Candidates(), run.FreeProjects(),
                                      run.Purchases(), voter_budget);
    outcome.equal_shares_runs = 1;
    outcome.equal_shares_runs_computed = 1;
    WB_PB_ASSERT(outcome.spent <= profile.budget);
    return outcome;
}

} // namespace wijkbudget::pb
