#include "ledger/check_entry.hpp"

#include "ledger/account.hpp"
#include "ledger/base64.hpp"
#include "ledger/cosignature.hpp"
#include "ledger/note.hpp"
#include "ledger/round_rules.hpp"

#include <algorithm>
#include <set>

namespace wijkbudget::ledger {
namespace {

using CheckResult = boost::system::result<void, Failure>;

//! A debit and the credit that follows it: the postings of every kind come in such pairs.
struct Transfer {
    Account from;
    Account to;
    Cents amount;
};

std::string PostingPath(std::size_t position)
{
    return "postings[" + std::to_string(position) + "]";
}

//! Reads the postings as transfers; fails unless they are debit/credit pairs of equal amounts.
boost::system::result<std::vector<Transfer>, Failure> Transfers(const Entry& entry)
{
    std::vector<Transfer> transfers;
    if (entry.postings.size() % 2 != 0) {
        return MakeFailure(Errc::postings_unbalanced, "postings");
    }
    for (std::size_t position = 0; position < entry.postings.size(); position += 2) {
        const Posting& debit = entry.postings[position];
        const Posting& credit = entry.postings[position + 1];
        if (debit.side != PostingSide::debit || credit.side != PostingSide::credit) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(position));
        }
        if (debit.amount != credit.amount) {
            return MakeFailure(Errc::postings_unbalanced, PostingPath(position + 1));
        }
        auto from = ParseAccountName(debit.account.value);
        if (!from) return MakeFailure(Errc::field_invalid, PostingPath(position) + ".account");
        auto to = ParseAccountName(credit.account.value);
        if (!to) return MakeFailure(Errc::field_invalid, PostingPath(position + 1) + ".account");
        if (*from == *to) return MakeFailure(Errc::postings_mismatch, PostingPath(position + 1));
        transfers.push_back(Transfer{*from, *to, debit.amount});
    }
    return transfers;
}

//! Every account but the pool belongs to the entry's council.
CheckResult CheckCouncilOfAccounts(const Entry& entry, const std::vector<Transfer>& transfers)
{
    for (std::size_t position = 0; position < transfers.size(); ++position) {
        for (const Account* account : {&transfers[position].from, &transfers[position].to}) {
            if (account->type != AccountType::pool &&
                (!entry.council || account->council != *entry.council)) {
                return MakeFailure(Errc::postings_mismatch, PostingPath(position * 2));
            }
        }
    }
    return {};
}

//! Exactly one transfer, of `amount` when given, from an account of type `from` to one of `to`.
CheckResult ExpectOneTransfer(const std::vector<Transfer>& transfers, AccountType from,
                              AccountType to, std::optional<Cents> amount)
{
    if (transfers.size() != 1) return MakeFailure(Errc::postings_mismatch, "postings");
    const Transfer& transfer = transfers.front();
    if (transfer.from.type != from) return MakeFailure(Errc::postings_mismatch, PostingPath(0));
    if (transfer.to.type != to) return MakeFailure(Errc::postings_mismatch, PostingPath(1));
    if (amount && transfer.amount != *amount) {
        return MakeFailure(Errc::postings_mismatch, PostingPath(0) + ".amount_cents");
    }
    return {};
}

CheckResult CheckPeriodClose(const PeriodClosed& close, const std::vector<Transfer>& transfers)
{
    // Each line of the year is emptied at most once, to the pool or to the next year's line.
    std::set<BudgetCategory> emptied;
    for (std::size_t position = 0; position < transfers.size(); ++position) {
        const Transfer& transfer = transfers[position];
        const bool from_year_line =
            transfer.from.type == AccountType::line && transfer.from.year == close.year;
        const bool to_pool = transfer.to.type == AccountType::pool;
        const bool to_next_line = transfer.to.type == AccountType::line &&
                                  transfer.to.year.value == close.year.value + 1 &&
                                  transfer.to.category == transfer.from.category;
        if (!from_year_line || !(to_pool || to_next_line) ||
            !emptied.insert(transfer.from.category).second) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(position * 2));
        }
    }
    return {};
}

/**
 * A round's close moves its whole hold, one commitment: to each winner's new commitment in
 * order of selection when binding, at its cost, then what is left to a line or the pool (which
 * one, and that the hold ends empty, Book::Apply checks).
 */
CheckResult CheckRoundCloseTransfers(const RoundClosed& closed,
                                     const std::vector<Transfer>& transfers)
{
    const std::size_t splits = closed.binding ? closed.winners.items.size() : 0;
    if (transfers.empty() || transfers.size() < splits || transfers.size() > splits + 1) {
        return MakeFailure(Errc::postings_mismatch, "postings");
    }
    for (std::size_t position = 0; position < transfers.size(); ++position) {
        const Transfer& transfer = transfers[position];
        if (transfer.from.type != AccountType::commitment ||
            transfer.from != transfers.front().from) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(position * 2));
        }
        if (position == splits) {
            if (transfer.to.type != AccountType::line && transfer.to.type != AccountType::pool) {
                return MakeFailure(Errc::postings_mismatch, PostingPath(position * 2 + 1));
            }
            continue;
        }
        const RoundWinner& winner = closed.winners.items[position];
        if (transfer.to.type != AccountType::commitment ||
            transfer.to.commitment != *winner.commitment || transfer.amount != winner.cost) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(position * 2 + 1));
        }
    }
    return {};
}

CheckResult CheckTransfers(const Entry& entry, const std::vector<Transfer>& transfers)
{
    using enum AccountType;
    if (const auto* grant = std::get_if<BudgetGranted>(&entry.payload)) {
        if (auto one = ExpectOneTransfer(transfers, pool, line, grant->amount); !one) return one;
        if (transfers.front().to != LineAccount(*entry.council, grant->year, grant->category)) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(1) + ".account");
        }
        return {};
    }
    if (const auto* decision = std::get_if<VoteClosed>(&entry.payload)) {
        if (!decision->commitment) {
            if (transfers.empty()) return {};
            return MakeFailure(Errc::postings_not_allowed, "postings");
        }
        if (decision->result != DecisionResult::approved) {
            return MakeFailure(Errc::field_invalid, "payload.commitment");
        }
        if (auto one = ExpectOneTransfer(transfers, line, commitment, std::nullopt); !one) {
            return one;
        }
        if (transfers.front().to.commitment != *decision->commitment) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(1) + ".account");
        }
        return {};
    }
    if (const auto* cosign = std::get_if<ApprovalCosigned>(&entry.payload)) {
        if (auto one = ExpectOneTransfer(transfers, line, commitment, cosign->amount); !one) {
            return one;
        }
        if (transfers.front().to.commitment != cosign->commitment) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(1) + ".account");
        }
        return {};
    }
    if (const auto* release = std::get_if<CommitmentReleased>(&entry.payload)) {
        // Back to a line of the council (CheckCouncilOfAccounts), or to the pool once the
        // commitment's year has closed. Which line, or whether the pool, depends on the
        // commitment's line and the closed years: Book::Apply checks that.
        const bool to_pool = transfers.size() == 1 && transfers.front().to.type == pool;
        if (auto one =
                ExpectOneTransfer(transfers, commitment, to_pool ? pool : line, release->amount);
            !one) {
            return one;
        }
        if (transfers.front().from.commitment != release->commitment) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(0) + ".account");
        }
        return {};
    }
    if (const auto* spending = std::get_if<SpendingRecorded>(&entry.payload)) {
        if (auto one = ExpectOneTransfer(transfers, commitment, spent, spending->amount); !one) {
            return one;
        }
        if (transfers.front().from.commitment != spending->commitment) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(0) + ".account");
        }
        return {};
    }
    if (std::holds_alternative<SpendingReversed>(entry.payload)) {
        return ExpectOneTransfer(transfers, spent, commitment, std::nullopt);
    }
    if (const auto* close = std::get_if<PeriodClosed>(&entry.payload)) {
        return CheckPeriodClose(*close, transfers);
    }
    if (const auto* round = std::get_if<RoundOpened>(&entry.payload)) {
        // A council's round takes over its decision's commitment; a district's holds anew.
        if (round->decision) {
            if (transfers.empty()) return {};
            return MakeFailure(Errc::postings_not_allowed, "postings");
        }
        if (auto one = ExpectOneTransfer(transfers, line, commitment, round->budget); !one) {
            return one;
        }
        if (transfers.front().from != LineAccount(*entry.council, round->year, round->category) ||
            transfers.front().to.commitment != round->hold) {
            return MakeFailure(Errc::postings_mismatch, PostingPath(0) + ".account");
        }
        return {};
    }
    if (const auto* closed = std::get_if<RoundClosed>(&entry.payload)) {
        return CheckRoundCloseTransfers(*closed, transfers);
    }
    return {};
}

/**
 * What the counts of a decision allow, whatever the bylaws say: no more votes than voters, and
 * approval only with quorum and at least as many for as against (a tie can be approved only by
 * the chair's casting vote). The full rule is replayed against the bylaws by the services.
 */
CheckResult CheckDecisionCounts(const VoteClosed& decision)
{
    const std::uint64_t cast = decision.votes_for + decision.votes_against + decision.abstentions;
    if (cast > decision.electorate.items.size()) {
        return MakeFailure(Errc::field_invalid, "payload.votes_for");
    }
    if (decision.result != DecisionResult::approved) return {};
    if (!decision.quorum_met) return MakeFailure(Errc::field_invalid, "payload.result");
    const bool tie = decision.votes_for == decision.votes_against;
    if (decision.votes_for == 0 || decision.votes_for < decision.votes_against ||
        (tie && decision.tie_rule != TieRule::chair_decides)) {
        return MakeFailure(Errc::field_invalid, "payload.result");
    }
    return {};
}

/**
 * A witnessed checkpoint is of an earlier tree (size at most this entry's index), and its
 * cosignature is a signature line by the named witness: the key id, timestamp and signature
 * (C2SP tlog-cosignature). The export verifier compares the root with its own.
 */
CheckResult CheckWitnessed(const CheckpointWitnessed& witnessed, LeafIndex index)
{
    if (witnessed.size > index.value) return MakeFailure(Errc::field_invalid, "payload.size");
    const std::string prefix = std::string(SIGNATURE_LINE_PREFIX) + witnessed.witness.value + " ";
    const std::string_view line = witnessed.cosignature.value;
    if (line.substr(0, prefix.size()) != prefix) {
        return MakeFailure(Errc::field_invalid, "payload.cosignature");
    }
    auto blob = FromBase64(line.substr(prefix.size()));
    if (!blob || blob->size() != KEY_ID_BYTES + COSIGNATURE_BYTES) {
        return MakeFailure(Errc::field_invalid, "payload.cosignature");
    }
    return {};
}

/**
 * A spending recorded by a council member (not the treasurer) is the second member's
 * confirmation, so it names the earlier submission it confirms. Whether that submission matches
 * is the services' rule, checked against the ledger as it stands.
 */
CheckResult CheckSpendingConfirmation(const Entry& entry)
{
    const auto* spending = std::get_if<SpendingRecorded>(&entry.payload);
    if (spending == nullptr) return {};
    if (spending->confirms && spending->confirms->value >= entry.index.value) {
        return MakeFailure(Errc::field_invalid, "payload.confirms_index");
    }
    if (entry.actor.role == Role::council_member && !spending->confirms) {
        return MakeFailure(Errc::field_missing, "payload.confirms_index");
    }
    return {};
}

//! Context-free checks of payload values that the field types alone cannot express.
CheckResult CheckPayload(const Payload& payload)
{
    if (const auto* mandate = std::get_if<MandateStarted>(&payload)) {
        if (mandate->until < mandate->from) {
            return MakeFailure(Errc::field_invalid, "payload.until");
        }
    }
    if (const auto* bylaws = std::get_if<BylawsSet>(&payload)) {
        if (bylaws->version < 1) return MakeFailure(Errc::field_invalid, "payload.version");
        if (bylaws->quorum_percent < 1 || bylaws->quorum_percent > 100) {
            return MakeFailure(Errc::field_invalid, "payload.quorum_percent");
        }
        if (bylaws->voting_period_days_max < 1 || bylaws->voting_period_days_max > 365) {
            return MakeFailure(Errc::field_invalid, "payload.voting_period_days_max");
        }
        // Within the longest period, or no vote could ever open.
        if (const auto hours = bylaws->voting_period_hours_min;
            hours && (*hours < 1 || *hours > bylaws->voting_period_days_max * 24)) {
            return MakeFailure(Errc::field_invalid, "payload.voting_period_hours_min");
        }
    }
    if (const auto* decision = std::get_if<VoteClosed>(&payload)) {
        if (auto counted = CheckDecisionCounts(*decision); !counted) return counted;
        // A refused commitment is the reason an approval holds nothing: never both, and never
        // on a rejection.
        if (decision->commitment_refused &&
            (decision->commitment || decision->result != DecisionResult::approved)) {
            return MakeFailure(Errc::field_invalid, "payload.commitment_refused");
        }
    }
    return {};
}

} // namespace

CheckResult CheckEntry(const Entry& entry)
{
    if (entry.format_version != ENTRY_FORMAT_VERSION) {
        return MakeFailure(Errc::unsupported_version, "format");
    }
    if (entry.index.value == 0 && entry.previous) {
        return MakeFailure(Errc::field_unknown, "previous");
    }
    if (entry.index.value != 0 && !entry.previous) {
        return MakeFailure(Errc::field_missing, "previous");
    }
    const CouncilPresence presence = CouncilPresenceOf(entry.payload);
    if (presence == CouncilPresence::required && !entry.council) {
        return MakeFailure(Errc::field_missing, "council");
    }
    if (presence == CouncilPresence::absent && entry.council) {
        return MakeFailure(Errc::field_unknown, "council");
    }
    const auto roles = RolesAllowed(entry.payload);
    if (std::find(roles.begin(), roles.end(), entry.actor.role) == roles.end()) {
        return MakeFailure(Errc::field_invalid, "actor.role");
    }
    if (auto payload = CheckPayload(entry.payload); !payload) return payload;
    if (auto round = CheckRoundPayload(entry); !round) return round;
    if (auto confirmation = CheckSpendingConfirmation(entry); !confirmation) return confirmation;
    if (const auto* witnessed = std::get_if<CheckpointWitnessed>(&entry.payload)) {
        if (auto checked = CheckWitnessed(*witnessed, entry.index); !checked) return checked;
    }
    if (entry.postings.size() > POSTINGS_PER_ENTRY_MAX) {
        return MakeFailure(Errc::field_too_long, "postings");
    }
    if (!IsFinancial(entry.payload) && !entry.postings.empty()) {
        return MakeFailure(Errc::postings_not_allowed, "postings");
    }
    auto transfers = Transfers(entry);
    if (!transfers) return transfers.error();
    if (auto councils = CheckCouncilOfAccounts(entry, *transfers); !councils) return councils;
    return CheckTransfers(entry, *transfers);
}

} // namespace wijkbudget::ledger
