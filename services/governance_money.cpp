// Governance, the money half: commitments, spending, closed years and budget-line totals.
#include "ledger/account.hpp"
#include "ledger/assert.hpp"
#include "services/governance.hpp"
#include "services/map_lookup.hpp"

#include <algorithm>
#include <mutex>
#include <variant>

namespace wijkbudget::services {
namespace {

// Sums stay within CENTS_MAX: the book refused every entry that would take an account past it,
// and each total here is a sum of one account's movements in one direction.
void Add(ledger::Cents& total, ledger::Cents amount)
{
    total.value += amount.value;
}
void Subtract(ledger::Cents& total, ledger::Cents amount)
{
    total.value -= amount.value;
}

} // namespace

void Governance::ObserveMoneyFact(CouncilState& state, const ledger::Entry& entry)
{
    const auto& payload = entry.payload;
    if (const auto* decision = std::get_if<ledger::VoteClosed>(&payload)) {
        if (decision->commitment) CreateCommitment(state, entry, decision->proposal);
    } else if (const auto* cosigned = std::get_if<ledger::ApprovalCosigned>(&payload)) {
        CreateCommitment(state, entry, cosigned->proposal);
        if (auto* proposal = FindIn(state.proposals, cosigned->proposal)) {
            proposal->status = ProposalStatus::committed;
            proposal->commitment = cosigned->commitment;
            proposal->life.cosigned = entry.index;
        }
    } else if (const auto* released = std::get_if<ledger::CommitmentReleased>(&payload)) {
        if (auto* commitment = FindIn(state.commitments, released->commitment)) {
            Add(commitment->released, released->amount);
            commitment->resolved = true;
            if (auto* proposal = FindIn(state.proposals, commitment->proposal)) {
                proposal->life.released = entry.index;
            }
        }
    } else if (const auto* submitted = std::get_if<ledger::SpendingSubmitted>(&payload)) {
        state.submissions.try_emplace(submitted->spending.value,
                                      SubmissionView{*submitted, *entry.council, entry.actor.id,
                                                     entry.index, std::nullopt, std::nullopt});
        m_submissions_by_index[entry.index.value] = {entry.council->value,
                                                     submitted->spending.value};
    } else if (const auto* withdrawn = std::get_if<ledger::SpendingWithdrawn>(&payload)) {
        if (auto* submission = FindIn(state.submissions, withdrawn->spending)) {
            submission->withdrawn_index = entry.index;
        }
    } else if (const auto* spending = std::get_if<ledger::SpendingRecorded>(&payload)) {
        m_spendings[entry.index.value] =
            SpendingView{entry.index,      *entry.council,     spending->commitment,
                         spending->amount, spending->paid_on,  spending->payee,
                         entry.actor,      spending->confirms, std::nullopt};
        state.spendings.push_back(entry.index.value);
        if (auto* commitment = FindIn(state.commitments, spending->commitment)) {
            Add(commitment->spent, spending->amount);
        }
        auto confirmed = spending->confirms ? m_submissions_by_index.find(spending->confirms->value)
                                            : m_submissions_by_index.end();
        if (confirmed != m_submissions_by_index.end()) {
            auto& submissions = m_councils[confirmed->second.first].submissions;
            submissions.at(confirmed->second.second).confirmed_index = entry.index;
        }
    } else if (const auto* reversal = std::get_if<ledger::SpendingReversed>(&payload)) {
        auto found = m_spendings.find(reversal->spending.value);
        if (found == m_spendings.end()) return;
        found->second.reversed_index = entry.index;
        if (auto* commitment = FindIn(state.commitments, found->second.commitment)) {
            Subtract(commitment->spent, found->second.amount);
        }
    } else if (const auto* round = std::get_if<ledger::RoundOpened>(&payload)) {
        // A district's round holds anew; a council's takes over its decision's commitment.
        if (!entry.postings.empty()) CreateCommitment(state, entry, round->round);
        if (auto* hold = FindIn(state.commitments, round->hold)) {
            hold->round = round->round;
            hold->round_hold = true;
        }
        // Kept after the close too: a name a round could have given stays its own.
        for (const auto& project : round->projects.items)
            state.reserved_commitments.insert(FundedCommitmentId(round->round, project.id).value);
    } else if (const auto* round_closed = std::get_if<ledger::RoundClosed>(&payload)) {
        CloseRound(state, entry, *round_closed);
    } else if (const auto* closed = std::get_if<ledger::PeriodClosed>(&payload)) {
        state.closed_years.insert(closed->year.value);
    } else if (const auto* granted = std::get_if<ledger::BudgetGranted>(&payload)) {
        state.lines[{granted->year.value, granted->category}].at_year_end = granted->at_year_end;
    }
}

void Governance::CreateCommitment(CouncilState& state, const ledger::Entry& entry,
                                  const ledger::Slug& proposal)
{
    // CheckEntry made the postings one transfer, line -> commitment.
    WB_ASSERT(entry.postings.size() == 2);
    const auto line = ledger::ParseAccountName(entry.postings[0].account.value);
    const auto held = ledger::ParseAccountName(entry.postings[1].account.value);
    WB_ASSERT(line && held && line->type == ledger::AccountType::line);
    CommitmentView view;
    view.id = held->commitment;
    view.council = *entry.council;
    view.proposal = proposal;
    view.year = line->year;
    view.category = line->category;
    view.amount = entry.postings[0].amount;
    view.created_index = entry.index;
    state.commitments.try_emplace(held->commitment.value, std::move(view));
}

void Governance::CloseRound(CouncilState& state, const ledger::Entry& entry,
                            const ledger::RoundClosed& closed)
{
    // CheckEntry and the book made every transfer leave the round's hold: to a funded project's
    // new commitment, or, the last, a release of the rest.
    for (std::size_t position = 0; position + 1 < entry.postings.size(); position += 2) {
        const auto from = ledger::ParseAccountName(entry.postings[position].account.value);
        const auto to = ledger::ParseAccountName(entry.postings[position + 1].account.value);
        WB_ASSERT(from && to);
        auto* hold = FindIn(state.commitments, from->commitment);
        WB_ASSERT(hold != nullptr);
        const ledger::Cents amount = entry.postings[position].amount;
        hold->resolved = true;
        if (to->type != ledger::AccountType::commitment) {
            Add(hold->released, amount);
            continue;
        }
        Add(hold->allocated, amount);
        const auto winner = std::find_if(
            closed.winners.items.begin(), closed.winners.items.end(),
            [&](const ledger::RoundWinner& w) { return w.commitment == to->commitment; });
        WB_ASSERT(winner != closed.winners.items.end());
        CommitmentView view;
        view.id = to->commitment;
        view.council = *entry.council;
        view.proposal = winner->project;
        view.round = closed.round;
        view.year = hold->year;
        view.category = hold->category;
        view.amount = amount;
        view.created_index = entry.index;
        state.commitments.try_emplace(to->commitment.value, std::move(view));
    }
}

LineTotals& Governance::Touch(TouchedLines& touched, const ledger::Slug& council, LineKey key) const
{
    auto [slot, inserted] = touched.try_emplace({council.value, key}, LineTotals{});
    if (!inserted) return slot->second;
    const auto* state = FindIn(m_councils, council);
    if (state == nullptr) return slot->second;
    auto line = state->lines.find(key);
    if (line != state->lines.end() && !line->second.after.empty()) {
        slot->second = line->second.after.back().second;
    }
    return slot->second;
}

void Governance::ApplyPostings(const ledger::Entry& entry)
{
    using ledger::AccountType;
    TouchedLines touched;
    // CheckEntry made the postings debit/credit pairs of one amount: one transfer per pair.
    for (std::size_t position = 0; position + 1 < entry.postings.size(); position += 2) {
        const auto& debit = entry.postings[position];
        const auto& credit = entry.postings[position + 1];
        const auto from = ledger::ParseAccountName(debit.account.value);
        const auto to = ledger::ParseAccountName(credit.account.value);
        WB_ASSERT(from && to);
        const ledger::Cents amount = debit.amount;
        const auto line_of = [](const ledger::Account& account) {
            return LineKey{account.year.value, account.category};
        };
        const auto line_held_by = [this](const ledger::Posting& posting) {
            auto found = m_commitment_lines.find(posting.account.value);
            WB_ASSERT(found != m_commitment_lines.end()); // The book knows every commitment.
            return found->second;
        };
        if (from->type == AccountType::pool && to->type == AccountType::line) {
            LineTotals& line = Touch(touched, to->council, line_of(*to));
            Add(line.granted, amount);
            Add(line.available, amount);
        } else if (from->type == AccountType::line && to->type == AccountType::commitment) {
            m_commitment_lines[credit.account.value] = line_of(*from);
            LineTotals& line = Touch(touched, from->council, line_of(*from));
            Subtract(line.available, amount);
            Add(line.held, amount);
        } else if (from->type == AccountType::commitment && to->type == AccountType::spent) {
            LineTotals& line = Touch(touched, from->council, line_held_by(debit));
            Subtract(line.held, amount);
            Add(line.spent, amount);
        } else if (from->type == AccountType::spent && to->type == AccountType::commitment) {
            LineTotals& line = Touch(touched, to->council, line_held_by(credit));
            Subtract(line.spent, amount);
            Add(line.held, amount);
        } else if (from->type == AccountType::commitment && to->type == AccountType::commitment) {
            // A round's close splits its hold: still held, on the same line.
            m_commitment_lines[credit.account.value] = line_held_by(debit);
        } else if (from->type == AccountType::commitment) {
            // CheckEntry leaves a release as the only other way out of a commitment.
            WB_ASSERT(to->type == AccountType::line || to->type == AccountType::pool);
            ApplyRelease(touched, from->council, line_held_by(debit), *to, amount);
        } else if (from->type == AccountType::line) {
            // The year closes: to the pool, or carried over to the next year's line.
            LineTotals& line = Touch(touched, from->council, line_of(*from));
            Subtract(line.available, amount);
            Add(line.closed_out, amount);
            if (to->type == AccountType::line) {
                LineTotals& next = Touch(touched, to->council, line_of(*to));
                Add(next.available, amount);
                Add(next.carried_in, amount);
            }
        }
    }
    for (const auto& [where, totals] : touched) {
        WB_ASSERT(totals.available.value >= 0 && totals.held.value >= 0 && totals.spent.value >= 0);
        m_councils[where.first].lines[where.second].after.emplace_back(entry.index.value + 1,
                                                                       totals);
    }
}

void Governance::ApplyRelease(TouchedLines& touched, const ledger::Slug& council, LineKey origin,
                              const ledger::Account& to, ledger::Cents amount) const
{
    LineTotals& line = Touch(touched, council, origin);
    Subtract(line.held, amount);
    const bool to_origin =
        to.type == ledger::AccountType::line && LineKey{to.year.value, to.category} == origin;
    if (to_origin) {
        Add(line.available, amount);
        return;
    }
    // The line's year has closed: the money leaves it as its year end did, to the pool or to a
    // later year's line, and counts there, never again as available on the closed line.
    Add(line.closed_out, amount);
    if (to.type != ledger::AccountType::line) return;
    LineTotals& next = Touch(touched, to.council, LineKey{to.year.value, to.category});
    Add(next.available, amount);
    Add(next.carried_in, amount);
}

// ---- Reads. ----

std::vector<LineView> Governance::LinesAtLocked(const ledger::Slug& council,
                                                std::uint64_t size) const
{
    std::vector<LineView> views;
    const auto* state = FindIn(m_councils, council);
    if (state == nullptr) return views;
    for (const auto& [key, history] : state->lines) {
        // The last record made by an entry below `size`: its "size after" is at most `size`.
        auto after = std::upper_bound(
            history.after.begin(), history.after.end(), size,
            [](std::uint64_t wanted, const auto& record) { return wanted < record.first; });
        if (after == history.after.begin()) continue;
        views.push_back(
            {ledger::Year{key.first}, key.second, history.at_year_end, std::prev(after)->second});
    }
    return views;
}

std::vector<LineView> Governance::Lines(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    return LinesAtLocked(council, m_size);
}

std::vector<LineView> Governance::LinesAt(const ledger::Slug& council, std::uint64_t size) const
{
    std::shared_lock lock{m_mutex};
    return LinesAtLocked(council, size);
}

std::optional<LineView> Governance::FindLine(const ledger::Slug& council, ledger::Year year,
                                             ledger::BudgetCategory category) const
{
    std::shared_lock lock{m_mutex};
    for (const auto& line : LinesAtLocked(council, m_size)) {
        if (line.year == year && line.category == category) return line;
    }
    return std::nullopt;
}

std::optional<CommitmentView> Governance::FindCommitment(const ledger::Slug& council,
                                                         const ledger::Slug& id) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    const auto* found = state ? FindIn(state->commitments, id) : nullptr;
    return found ? std::optional{*found} : std::nullopt;
}

bool Governance::IsCommitmentNameTaken(const ledger::Slug& council, const ledger::Slug& name) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state != nullptr && (state->commitments.contains(name.value) ||
                                state->reserved_commitments.contains(name.value));
}

std::vector<CommitmentView> Governance::Commitments(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state ? ValuesOf(state->commitments) : std::vector<CommitmentView>{};
}

std::optional<SpendingView> Governance::FindSpending(ledger::LeafIndex index) const
{
    std::shared_lock lock{m_mutex};
    auto found = m_spendings.find(index.value);
    return found == m_spendings.end() ? std::nullopt : std::optional{found->second};
}

std::vector<SpendingView> Governance::Spendings(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    std::vector<SpendingView> views;
    if (const auto* state = FindIn(m_councils, council)) {
        for (std::uint64_t index : state->spendings) {
            views.push_back(m_spendings.at(index));
        }
    }
    return views;
}

std::optional<SubmissionView> Governance::FindSubmission(const ledger::Slug& council,
                                                         const ledger::Slug& id) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    const auto* found = state ? FindIn(state->submissions, id) : nullptr;
    return found ? std::optional{*found} : std::nullopt;
}

std::vector<SubmissionView> Governance::Submissions(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state ? ValuesOf(state->submissions) : std::vector<SubmissionView>{};
}

bool Governance::IsPeriodClosed(const ledger::Slug& council, ledger::Year year) const
{
    std::shared_lock lock{m_mutex};
    const auto* state = FindIn(m_councils, council);
    return state != nullptr && state->closed_years.contains(year.value);
}

std::vector<ledger::Year> Governance::ClosedPeriods(const ledger::Slug& council) const
{
    std::shared_lock lock{m_mutex};
    std::vector<ledger::Year> years;
    if (const auto* state = FindIn(m_councils, council)) {
        for (std::int32_t year : state->closed_years) {
            years.push_back(ledger::Year{year});
        }
    }
    return years;
}

} // namespace wijkbudget::services
