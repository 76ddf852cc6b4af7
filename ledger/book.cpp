#include "ledger/book.hpp"

#include "ledger/assert.hpp"

namespace wijkbudget::ledger {
namespace {

using BookResult = boost::system::result<void, Failure>;

std::string PostingPath(std::size_t position)
{
    return "postings[" + std::to_string(position) + "]";
}

//! The reason an account may not go below zero, by its type. The pool and the spent accounts
//! cannot: CheckEntry lets the pool be credited only from a line or a commitment (whose money
//! came from the pool, so the pool's balance is at least theirs), and a spent account be debited
//! only by the mirror of a spending still on it.
Errc BelowZeroError(AccountType type)
{
    WB_ASSERT(type == AccountType::line || type == AccountType::commitment);
    return type == AccountType::line ? Errc::exceeds_budget_line
                                     : Errc::spending_exceeds_commitment;
}

} // namespace

AccountState Book::StateOf(const std::string& account_name) const
{
    auto found = m_accounts.find(account_name);
    return found == m_accounts.end() ? AccountState{} : found->second;
}

bool Book::IsResolved(const std::string& commitment_account) const
{
    auto found = m_commitments.find(commitment_account);
    return found != m_commitments.end() && found->second.resolved;
}

bool Book::IsPeriodClosed(const Slug& council, Year year) const
{
    return m_closed_periods.contains({council.value, year.value});
}

YearEndRule Book::YearEndRuleOf(const std::string& line) const
{
    auto rule = m_year_end_rules.find(line);
    return rule == m_year_end_rules.end() ? YearEndRule::returns : rule->second;
}

std::string Book::ReleaseDestination(const std::string& origin_line) const
{
    auto line = ParseAccountName(origin_line);
    WB_ASSERT(line.has_value());
    WB_ASSERT(line->type == AccountType::line);
    // Each turn moves a year on, and only a closed year turns: the walk ends by YEAR_MAX.
    while (IsPeriodClosed(line->council, line->year)) {
        if (YearEndRuleOf(AccountName(*line)) == YearEndRule::returns) return "pool";
        if (line->year.value == YEAR_MAX) return "pool";
        line->year = Year{line->year.value + 1};
    }
    return AccountName(*line);
}

boost::system::result<Book::Scratch, Failure> Book::Post(const Entry& entry, bool fill_in,
                                                         std::vector<Posting>* filled) const
{
    Scratch scratch;
    for (std::size_t position = 0; position < entry.postings.size(); ++position) {
        const Posting& posting = entry.postings[position];
        auto account = ParseAccountName(posting.account.value);
        WB_ASSERT(account.has_value()); // CheckEntry has parsed every name.
        if (account->type == AccountType::line && IsPeriodClosed(account->council, account->year)) {
            return MakeFailure(Errc::period_closed, PostingPath(position));
        }
        auto [state, inserted] = scratch.try_emplace(posting.account.value, AccountState{});
        if (inserted) state->second = StateOf(posting.account.value);
        const bool raises = (posting.side == PostingSide::debit) == IsDebitAccount(account->type);
        auto balance = raises ? AddCents(state->second.balance, posting.amount)
                              : SubtractCents(state->second.balance, posting.amount);
        if (!balance) return MakeFailure(Errc::amount_out_of_range, PostingPath(position));
        if (balance->value < 0) {
            return MakeFailure(BelowZeroError(account->type), posting.account.value);
        }
        state->second = AccountState{*balance, state->second.version + 1};
        if (fill_in) {
            (*filled)[position].balance_after = Balance{*balance};
            (*filled)[position].version_after = state->second.version;
        } else if (posting.balance_after.cents != *balance ||
                   posting.version_after != state->second.version) {
            return MakeFailure(Errc::recorded_balance_mismatch, PostingPath(position));
        }
    }
    return scratch;
}

BookResult Book::CheckReferences(const Entry& entry) const
{
    const auto& postings = entry.postings;
    const bool creates_commitment =
        std::holds_alternative<ApprovalCosigned>(entry.payload) ||
        (std::holds_alternative<VoteClosed>(entry.payload) && !postings.empty());
    if (creates_commitment && m_commitments.contains(postings[1].account.value)) {
        return MakeFailure(Errc::commitment_exists, postings[1].account.value);
    }
    if (std::holds_alternative<SpendingRecorded>(entry.payload) ||
        std::holds_alternative<CommitmentReleased>(entry.payload)) {
        const std::string& name = postings[0].account.value;
        auto commitment = m_commitments.find(name);
        if (commitment == m_commitments.end()) return MakeFailure(Errc::commitment_unknown, name);
        if (commitment->second.resolved) return MakeFailure(Errc::commitment_resolved, name);
        if (commitment->second.round_hold) return MakeFailure(Errc::postings_mismatch, name);
        if (auto target = CheckTarget(entry, commitment->second.origin_line); !target) {
            return target;
        }
    }
    if (const auto* reversal = std::get_if<SpendingReversed>(&entry.payload)) {
        auto spending = m_spendings.find(reversal->spending.value);
        if (spending == m_spendings.end()) {
            return MakeFailure(Errc::spending_unknown, "payload.spending_index");
        }
        if (spending->second.reversed) {
            return MakeFailure(Errc::spending_already_reversed, "payload.spending_index");
        }
        const bool mirrors = postings[0].account.value == spending->second.spent &&
                             postings[1].account.value == spending->second.commitment &&
                             postings[0].amount == spending->second.amount;
        if (!mirrors) return MakeFailure(Errc::reversal_mismatch, "postings");
        if (IsResolved(spending->second.commitment)) {
            return MakeFailure(Errc::commitment_resolved, spending->second.commitment);
        }
    }
    if (const auto* grant = std::get_if<BudgetGranted>(&entry.payload)) {
        auto rule = m_year_end_rules.find(postings[1].account.value);
        if (rule != m_year_end_rules.end() && rule->second != grant->at_year_end) {
            return MakeFailure(Errc::field_invalid, "payload.at_year_end");
        }
    }
    if (const auto* close = std::get_if<PeriodClosed>(&entry.payload)) {
        if (IsPeriodClosed(*entry.council, close->year)) {
            return MakeFailure(Errc::period_closed, "payload.year");
        }
        return CheckYearEndRules(entry);
    }
    return CheckRoundReferences(entry);
}

BookResult Book::CheckRoundReferences(const Entry& entry) const
{
    const auto& postings = entry.postings;
    if (const auto* round = std::get_if<RoundOpened>(&entry.payload)) {
        if (m_rounds.contains(round->round.value)) {
            return MakeFailure(Errc::round_exists, "payload.round");
        }
        const std::string hold = AccountName(CommitmentAccount(*entry.council, round->hold));
        if (!postings.empty()) {
            if (m_commitments.contains(hold)) return MakeFailure(Errc::commitment_exists, hold);
            return {};
        }
        // A council's round takes over its decision's commitment, whole and untouched.
        auto commitment = m_commitments.find(hold);
        if (commitment == m_commitments.end()) return MakeFailure(Errc::commitment_unknown, hold);
        if (commitment->second.resolved) return MakeFailure(Errc::commitment_resolved, hold);
        // Untouched: its creation is its only posting. A balance equal to the budget is not
        // enough, since a spending reversed later would move its money into the round's hold.
        const AccountState state = StateOf(hold);
        if (commitment->second.round_hold || state.balance != round->budget || state.version != 1) {
            return MakeFailure(Errc::field_invalid, "payload.hold");
        }
        // The round's line is the one the commitment holds money of: its winners spend there.
        const auto origin = ParseAccountName(commitment->second.origin_line);
        WB_ASSERT(origin.has_value());
        if (origin->year != round->year || origin->category != round->category) {
            return MakeFailure(Errc::field_invalid, "payload.category");
        }
        return {};
    }
    const auto* closed = std::get_if<RoundClosed>(&entry.payload);
    if (closed == nullptr) return {};
    auto round = m_rounds.find(closed->round.value);
    if (round == m_rounds.end()) return MakeFailure(Errc::round_unknown, "payload.round");
    if (round->second.closed) return MakeFailure(Errc::round_closed, "payload.round");
    const auto& hold = m_commitments.at(round->second.hold);
    std::set<std::string> created;
    for (std::size_t position = 0; position < postings.size(); position += 2) {
        if (postings[position].account.value != round->second.hold) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(position) + ".account");
        }
        const std::string& to = postings[position + 1].account.value;
        if (ParseAccountName(to)->type != AccountType::commitment) {
            if (to != ReleaseDestination(hold.origin_line)) {
                return MakeFailure(Errc::postings_mismatch, PostingPath(position + 1) + ".account");
            }
        } else if (m_commitments.contains(to) || !created.insert(to).second) {
            return MakeFailure(Errc::commitment_exists, to);
        }
    }
    return {};
}

BookResult Book::CheckTarget(const Entry& entry, const std::string& origin_line) const
{
    const std::string& to = entry.postings[1].account.value;
    if (std::holds_alternative<CommitmentReleased>(entry.payload)) {
        if (to != ReleaseDestination(origin_line)) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(1) + ".account");
        }
        return {};
    }
    // Spending lands on the spent account of the commitment's own line, closed year or not.
    const auto origin = ParseAccountName(origin_line);
    const auto target = ParseAccountName(to);
    WB_ASSERT(origin && target);
    if (origin->year != target->year || origin->category != target->category) {
        return MakeFailure(Errc::postings_mismatch, PostingPath(1) + ".account");
    }
    return {};
}

BookResult Book::CheckYearEndRules(const Entry& entry) const
{
    for (std::size_t position = 0; position < entry.postings.size(); position += 2) {
        const YearEndRule expected = YearEndRuleOf(entry.postings[position].account.value);
        const bool to_pool = entry.postings[position + 1].account.value == "pool";
        if (to_pool != (expected == YearEndRule::returns)) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(position + 1) + ".account");
        }
    }
    return {};
}

BookResult Book::CheckOutcome(const Entry& entry, const Scratch& scratch) const
{
    // A release returns exactly what is left, so the commitment ends empty; so does a round's
    // close, which splits and releases its hold.
    const bool empties = std::holds_alternative<CommitmentReleased>(entry.payload) ||
                         std::holds_alternative<RoundClosed>(entry.payload);
    if (empties && scratch.at(entry.postings[0].account.value).balance.value != 0) {
        return MakeFailure(Errc::postings_mismatch, PostingPath(0) + ".amount_cents");
    }
    const auto* close = std::get_if<PeriodClosed>(&entry.payload);
    if (close == nullptr) return {};
    // Every line of the year must end empty: what is left returns or carries over.
    auto lines = m_lines_by_period.find({entry.council->value, close->year.value});
    if (lines == m_lines_by_period.end()) return {};
    for (const std::string& name : lines->second) {
        auto after = scratch.find(name);
        const Cents left =
            after == scratch.end() ? m_accounts.at(name).balance : after->second.balance;
        if (left.value != 0) return MakeFailure(Errc::postings_mismatch, name);
    }
    return {};
}

void Book::Record(const Entry& entry, LeafIndex index)
{
    const auto& postings = entry.postings;
    if (std::holds_alternative<ApprovalCosigned>(entry.payload) ||
        (std::holds_alternative<VoteClosed>(entry.payload) && !postings.empty())) {
        m_commitments.emplace(postings[1].account.value,
                              CommitmentState{postings[0].account.value, false});
    }
    if (std::holds_alternative<CommitmentReleased>(entry.payload)) {
        m_commitments.at(postings[0].account.value).resolved = true;
    }
    if (const auto* round = std::get_if<RoundOpened>(&entry.payload)) {
        const std::string hold = AccountName(CommitmentAccount(*entry.council, round->hold));
        if (!postings.empty()) {
            m_commitments.emplace(hold, CommitmentState{postings[0].account.value, false, true});
        }
        m_commitments.at(hold).round_hold = true;
        m_rounds.emplace(round->round.value, RoundState{hold, false});
    }
    if (const auto* closed = std::get_if<RoundClosed>(&entry.payload)) {
        RoundState& round = m_rounds.at(closed->round.value);
        CommitmentState& hold = m_commitments.at(round.hold);
        for (std::size_t position = 1; position < postings.size(); position += 2) {
            const std::string& to = postings[position].account.value;
            if (ParseAccountName(to)->type == AccountType::commitment) {
                m_commitments.emplace(to, CommitmentState{hold.origin_line, false, false});
            }
        }
        hold.resolved = true;
        round.closed = true;
    }
    if (const auto* grant = std::get_if<BudgetGranted>(&entry.payload)) {
        m_year_end_rules.emplace(postings[1].account.value, grant->at_year_end);
    }
    if (std::holds_alternative<SpendingRecorded>(entry.payload)) {
        m_spendings.emplace(index.value,
                            SpendingRecord{postings[0].account.value, postings[1].account.value,
                                           postings[0].amount, false});
    }
    if (const auto* reversal = std::get_if<SpendingReversed>(&entry.payload)) {
        m_spendings.at(reversal->spending.value).reversed = true;
    }
    if (const auto* close = std::get_if<PeriodClosed>(&entry.payload)) {
        m_closed_periods.emplace(entry.council->value, close->year.value);
    }
}

boost::system::result<void, Failure> Book::Apply(const Entry& entry, LeafIndex index)
{
    if (auto references = CheckReferences(entry); !references) return references;
    auto scratch = Post(entry, false, nullptr);
    if (!scratch) return scratch.error();
    if (auto outcome = CheckOutcome(entry, *scratch); !outcome) return outcome;
    for (auto& [name, state] : *scratch) {
        WB_ASSERT(BalanceInRange(state.balance));
        const bool opened = m_accounts.insert_or_assign(name, state).second;
        if (!opened) continue;
        auto account = ParseAccountName(name);
        if (account->type == AccountType::line) {
            m_lines_by_period[{account->council.value, account->year.value}].push_back(name);
        }
    }
    Record(entry, index);
    return {};
}

boost::system::result<void, Failure> Book::Prepare(Entry& entry) const
{
    if (auto references = CheckReferences(entry); !references) return references;
    std::vector<Posting> filled = entry.postings;
    auto scratch = Post(entry, true, &filled);
    if (!scratch) return scratch.error();
    if (auto outcome = CheckOutcome(entry, *scratch); !outcome) return outcome;
    entry.postings = std::move(filled);
    return {};
}

} // namespace wijkbudget::ledger
