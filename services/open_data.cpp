#include "services/open_data.hpp"

#include "ledger/assert.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/merkle.hpp"
#include "services/governance_views.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <variant>

namespace wijkbudget::services {
namespace {

constexpr std::array MOVEMENT_KIND_SPELLINGS{"grant",   "commitment", "spending",   "reversal",
                                             "release", "carried_in", "closed_out", "allocation"};

//! The kinds of a transfer's two movements: (the debited account's, the credited account's).
//! `origin` is the line a debited commitment holds money of.
std::pair<MovementKind, MovementKind> KindsOf(const ledger::Account& from,
                                              const ledger::Account& to,
                                              const std::optional<ledger::Account>& origin)
{
    using ledger::AccountType;
    if (from.type == AccountType::pool) return {MovementKind::grant, MovementKind::grant};
    if (from.type == AccountType::line && to.type == AccountType::commitment) {
        return {MovementKind::commitment, MovementKind::commitment};
    }
    if (from.type == AccountType::commitment && to.type == AccountType::spent) {
        return {MovementKind::spending, MovementKind::spending};
    }
    if (from.type == AccountType::spent) return {MovementKind::reversal, MovementKind::reversal};
    if (from.type == AccountType::commitment && to.type == AccountType::commitment) {
        return {MovementKind::allocation, MovementKind::allocation};
    }
    if (from.type == AccountType::commitment && origin && to == *origin) {
        return {MovementKind::release, MovementKind::release};
    }
    // What remains leaves a line whose year closed (its year end, or a release after it), to the
    // pool or to a later year's line; the book allows no other transfer (ledger/check_entry.cpp).
    return {MovementKind::closed_out, MovementKind::carried_in};
}

} // namespace

std::string_view SpellingOf(MovementKind kind)
{
    return MOVEMENT_KIND_SPELLINGS.at(static_cast<std::size_t>(kind));
}

std::map<ledger::BudgetCategory, LineTotals> TotalsOf(const std::vector<Movement>& movements)
{
    // Sums stay within CENTS_MAX: each is one account's balance or one direction of its movements,
    // which the book kept within it.
    std::map<ledger::BudgetCategory, LineTotals> totals;
    for (const Movement& movement : movements) {
        LineTotals& line = totals[movement.category];
        const std::int64_t amount = movement.amount.value;
        if (movement.kind == MovementKind::grant) line.granted.value += amount;
        if (movement.kind == MovementKind::carried_in) line.carried_in.value += amount;
        if (movement.kind == MovementKind::closed_out) line.closed_out.value -= amount;
        switch (movement.account_type) {
        case ledger::AccountType::line: line.available.value += amount; break;
        case ledger::AccountType::commitment: line.held.value += amount; break;
        case ledger::AccountType::spent: line.spent.value += amount; break;
        case ledger::AccountType::pool: WB_ASSERT(false); // Never a council's movement.
        }
    }
    return totals;
}

void OpenData::Reset()
{
    std::unique_lock lock{m_mutex};
    m_movements.clear();
    m_council_names.clear();
    m_titles.clear();
    m_commitments.clear();
    m_round_projects.clear();
    m_spendings.clear();
    m_feed.clear();
    m_last_recorded_at = {};
    m_size = 0;
}

void OpenData::Observe(const ledger::Entry& entry)
{
    ObserveSealed(entry, ledger::LeafHash(ledger::SerialiseEntry(entry)));
}

void OpenData::ObserveSealed(const ledger::Entry& entry, const ledger::Hash& leaf)
{
    std::unique_lock lock{m_mutex};
    WB_ASSERT(entry.index.value == m_size); // Every entry once, in order.
    ++m_size;
    m_last_recorded_at = std::max(m_last_recorded_at, entry.recorded_at);
    if (!entry.council) return; // Checkpoints, and rounds or findings of no one council.
    const EntryFacts facts = FactsOf(entry);
    RememberFacts(entry, facts);
    AddMovements(entry, facts, leaf);
    AddToFeed(entry, facts);
}

void OpenData::RememberFacts(const ledger::Entry& entry, const EntryFacts& facts)
{
    const std::string& council = entry.council->value;
    const auto& payload = entry.payload;
    if (const auto* registered = std::get_if<ledger::CouncilRegistered>(&payload)) {
        m_council_names[council] = registered->name;
    } else if (const auto* submitted = std::get_if<ledger::ProposalSubmitted>(&payload)) {
        m_titles[{council, submitted->proposal.value}] = submitted->title;
    } else if (const auto* amended = std::get_if<ledger::ProposalAmended>(&payload)) {
        m_titles[{council, amended->proposal.value}] = amended->title;
    } else if (const auto* spending = std::get_if<ledger::SpendingRecorded>(&payload)) {
        m_spendings[entry.index.value] = {spending->amount, spending->payee, facts.proposal,
                                          facts.title};
    } else if (const auto* opened = std::get_if<ledger::RoundOpened>(&payload)) {
        for (const auto& project : opened->projects.items) {
            const auto account = ledger::CommitmentAccount(
                *entry.council, FundedCommitmentId(opened->round, project.id));
            m_round_projects[ledger::AccountName(account)] = {project.id, project.title};
        }
    }
}

OpenData::EntryFacts OpenData::FactsOf(const ledger::Entry& entry) const
{
    EntryFacts facts;
    const auto& payload = entry.payload;
    if (const auto* closed = std::get_if<ledger::VoteClosed>(&payload)) {
        facts.proposal = closed->proposal;
    } else if (const auto* cosigned = std::get_if<ledger::ApprovalCosigned>(&payload)) {
        facts.proposal = cosigned->proposal;
    } else if (const auto* released = std::get_if<ledger::CommitmentReleased>(&payload)) {
        facts.description = released->reason;
    } else if (const auto* spending = std::get_if<ledger::SpendingRecorded>(&payload)) {
        const auto origin = m_commitments.find(
            ledger::AccountName(ledger::CommitmentAccount(*entry.council, spending->commitment)));
        if (origin != m_commitments.end()) {
            facts.proposal = origin->second.proposal;
            facts.title = origin->second.title;
        }
        facts.amount = spending->amount;
        facts.payee = spending->payee;
        facts.description = spending->description;
        facts.refers_to = spending->confirms;
    } else if (const auto* reversal = std::get_if<ledger::SpendingReversed>(&payload)) {
        facts.description = reversal->reason;
        facts.refers_to = reversal->spending;
        if (auto found = m_spendings.find(reversal->spending.value); found != m_spendings.end()) {
            facts.proposal = found->second.proposal;
            facts.title = found->second.title;
            facts.amount = found->second.amount;
            facts.payee = found->second.payee;
        }
    }
    return facts;
}

void OpenData::AddMovements(const ledger::Entry& entry, const EntryFacts& facts,
                            const ledger::Hash& leaf)
{
    if (entry.postings.empty()) return;
    // CheckEntry made the postings debit/credit pairs of one amount: one transfer per pair.
    for (std::size_t position = 0; position + 1 < entry.postings.size(); position += 2) {
        const auto& debit = entry.postings[position];
        const auto& credit = entry.postings[position + 1];
        const auto from = ledger::ParseAccountName(debit.account.value);
        const auto to = ledger::ParseAccountName(credit.account.value);
        WB_ASSERT(from && to); // The Sealer checked every posting's account.
        if (from->type == ledger::AccountType::line &&
            to->type == ledger::AccountType::commitment) {
            m_commitments.try_emplace(
                credit.account.value,
                CommitmentOrigin{from->year, from->category, facts.proposal, std::nullopt});
        }
        std::optional<ledger::Account> origin;
        EntryFacts pair_facts = facts;
        if (from->type == ledger::AccountType::commitment) {
            const auto held = m_commitments.at(debit.account.value); // The book knows it.
            origin = ledger::LineAccount(from->council, held.year, held.category);
            // A round's close splits its hold into the funded projects' commitments, held on
            // the same line: each is for its project, under the project's title.
            if (to->type == ledger::AccountType::commitment) {
                if (auto project = m_round_projects.find(credit.account.value);
                    project != m_round_projects.end()) {
                    pair_facts.proposal = project->second.project;
                    pair_facts.title = project->second.title;
                }
                m_commitments.try_emplace(credit.account.value,
                                          CommitmentOrigin{held.year, held.category,
                                                           pair_facts.proposal, pair_facts.title});
            }
        }
        const auto [out, in] = KindsOf(*from, *to, origin);
        AddMovement(entry, pair_facts, leaf, {debit, *from}, {credit, *to}, out);
        AddMovement(entry, pair_facts, leaf, {credit, *to}, {debit, *from}, in);
    }
}

void OpenData::AddMovement(const ledger::Entry& entry, const EntryFacts& facts,
                           const ledger::Hash& leaf, const Leg& leg, const Leg& counter,
                           MovementKind kind)
{
    const ledger::Account& account = leg.account;
    if (account.type == ledger::AccountType::pool) return; // The municipality's, not a council's.
    Movement movement;
    movement.index = entry.index;
    movement.recorded_at = entry.recorded_at;
    movement.entry_kind = ledger::KindOf(entry);
    movement.kind = kind;
    movement.year = account.year;
    movement.category = account.category;
    movement.account_type = account.type;
    movement.account = leg.posting.account.value;
    movement.counter_account = counter.posting.account.value;
    // Every account but the pool is a credit account: a credit raises its balance.
    const bool credited = leg.posting.side == ledger::PostingSide::credit;
    movement.amount =
        ledger::Cents{credited ? leg.posting.amount.value : -leg.posting.amount.value};
    movement.balance_after = leg.posting.balance_after.cents;
    movement.proposal = facts.proposal;
    movement.title = facts.title;
    const ledger::Account* held = account.type == ledger::AccountType::commitment ? &account
                                  : counter.account.type == ledger::AccountType::commitment
                                      ? &counter.account
                                      : nullptr;
    if (held != nullptr) {
        movement.commitment = held->commitment;
        const auto& origin = m_commitments.at(ledger::AccountName(*held));
        if (account.type == ledger::AccountType::commitment) {
            movement.year = origin.year;
            movement.category = origin.category;
        }
        if (!movement.proposal) {
            movement.proposal = origin.proposal;
            movement.title = origin.title;
        }
    }
    if (!movement.title) movement.title = TitleOf(account.council, movement.proposal);
    movement.payee = facts.payee;
    movement.description = facts.description;
    movement.refers_to = facts.refers_to;
    movement.leaf = leaf;
    m_movements[account.council.value][movement.year.value].push_back(std::move(movement));
}

void OpenData::AddToFeed(const ledger::Entry& entry, const EntryFacts& facts)
{
    const auto* closed = std::get_if<ledger::VoteClosed>(&entry.payload);
    if (closed == nullptr && !std::holds_alternative<ledger::SpendingRecorded>(entry.payload) &&
        !std::holds_alternative<ledger::SpendingReversed>(entry.payload)) {
        return;
    }
    FeedItem item;
    item.index = entry.index;
    item.recorded_at = entry.recorded_at;
    item.entry_kind = ledger::KindOf(entry);
    item.council = *entry.council;
    if (auto name = m_council_names.find(entry.council->value); name != m_council_names.end()) {
        item.council_name = name->second;
    }
    item.proposal = facts.proposal;
    item.title = facts.title ? facts.title : TitleOf(*entry.council, facts.proposal);
    if (closed != nullptr) {
        item.result = closed->result;
        item.votes_for = closed->votes_for;
        item.votes_against = closed->votes_against;
        item.abstentions = closed->abstentions;
        item.quorum_met = closed->quorum_met;
    }
    item.amount = facts.amount;
    item.payee = facts.payee;
    item.description = facts.description;
    item.refers_to = facts.refers_to;
    m_feed.push_back(std::move(item));
    if (m_feed.size() > FEED_ITEMS_MAX) m_feed.pop_front();
}

std::optional<ledger::Title> OpenData::TitleOf(const ledger::Slug& council,
                                               const std::optional<ledger::Slug>& proposal) const
{
    if (!proposal) return std::nullopt;
    const auto found = m_titles.find({council.value, proposal->value});
    return found == m_titles.end() ? std::nullopt : std::optional{found->second};
}

// ---- Reads. ----

YearMovements OpenData::Movements(const ledger::Slug& council, ledger::Year year) const
{
    std::shared_lock lock{m_mutex};
    YearMovements found{m_size, {}};
    const auto years = m_movements.find(council.value);
    if (years == m_movements.end()) return found;
    if (const auto in_year = years->second.find(year.value); in_year != years->second.end()) {
        found.movements = in_year->second;
    }
    return found;
}

std::vector<FeedItem> OpenData::Feed() const
{
    std::shared_lock lock{m_mutex};
    return {m_feed.rbegin(), m_feed.rend()};
}

ledger::Timestamp OpenData::LastRecordedAt() const
{
    std::shared_lock lock{m_mutex};
    return m_last_recorded_at;
}

std::uint64_t OpenData::Size() const
{
    std::shared_lock lock{m_mutex};
    return m_size;
}

} // namespace wijkbudget::services
