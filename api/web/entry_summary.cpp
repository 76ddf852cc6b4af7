#include "api/web/entry_summary.hpp"

#include "api/web/format.hpp"
#include "api/web/phrases.hpp"
#include "ledger/hex.hpp"

#include <type_traits>

namespace wijkbudget::api::web {
namespace {

//! The sentence in the reader's language; both are built, which is cheap for one line.
std::string Pick(Language language, std::string nl, std::string en)
{
    return language == Language::en ? std::move(en) : std::move(nl);
}

std::string Line(ledger::BudgetCategory category, ledger::Year year, Language language)
{
    return std::string(Say(phrase::Of(category), language)) + " " + std::to_string(year.value);
}

//! "1 project", "12.000 stemcodes": the count as the language groups it, and the noun's number.
std::string Counted(std::uint64_t count, Language language, const Phrase& one, const Phrase& many)
{
    return FormatCount(count, language) + " " + std::string(Say(count == 1 ? one : many, language));
}

constexpr Phrase ENTITLED_ONE{"stemgerechtigde", "entitled to vote"};
constexpr Phrase ENTITLED_MANY{"stemgerechtigden", "entitled to vote"};
constexpr Phrase CODES_ONE{"stemcode", "voting code"};
constexpr Phrase CODES_MANY{"stemcodes", "voting codes"};
constexpr Phrase BALLOTS_ONE{"stem", "ballot"};
constexpr Phrase BALLOTS_MANY{"stemmen", "ballots"};
constexpr Phrase CHOSEN_ONE{"project gekozen", "project chosen"};
constexpr Phrase CHOSEN_MANY{"projecten gekozen", "projects chosen"};

} // namespace

std::string Summarize(const ledger::Entry& entry, Language l)
{
    return std::visit(
        [&](const auto& p) -> std::string {
            using P = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<P, ledger::CouncilRegistered>) {
                return Pick(l, p.name.value + " (stadsdeel " + p.district.value + ")",
                            p.name.value + " (district " + p.district.value + ")");
            } else if constexpr (std::is_same_v<P, ledger::MandateStarted>) {
                const std::string seat{Say(phrase::Of(p.seat), l)};
                return Pick(l,
                            p.member.value + " als " + seat + " van " + FormatDay(p.from, l) +
                                " tot en met " + FormatDay(p.until, l),
                            p.member.value + " as " + seat + " from " + FormatDay(p.from, l) +
                                " to " + FormatDay(p.until, l));
            } else if constexpr (std::is_same_v<P, ledger::MandateEnded>) {
                return Pick(l, p.member.value + " per " + FormatDay(p.on, l),
                            p.member.value + " on " + FormatDay(p.on, l));
            } else if constexpr (std::is_same_v<P, ledger::BylawsSet>) {
                return Pick(l,
                            "versie " + std::to_string(p.version) + ": quorum " +
                                std::to_string(p.quorum_percent) + "%, " +
                                std::string(Say(phrase::Of(p.majority), l)),
                            "version " + std::to_string(p.version) + ": quorum " +
                                std::to_string(p.quorum_percent) + "%, " +
                                std::string(Say(phrase::Of(p.majority), l)));
            } else if constexpr (std::is_same_v<P, ledger::BudgetGranted>) {
                return Pick(l, FormatAmount(p.amount, l) + " voor " + Line(p.category, p.year, l),
                            FormatAmount(p.amount, l) + " for " + Line(p.category, p.year, l));
            } else if constexpr (std::is_same_v<P, ledger::ProposalSubmitted>) {
                return "“" + p.title.value + "”, " + FormatAmount(p.amount, l);
            } else if constexpr (std::is_same_v<P, ledger::ProposalAmended>) {
                return "“" + p.title.value + "”, " + FormatAmount(p.amount, l);
            } else if constexpr (std::is_same_v<P, ledger::ProposalWithdrawn>) {
                return Pick(l, "voorstel " + p.proposal.value, "proposal " + p.proposal.value);
            } else if constexpr (std::is_same_v<P, ledger::VoteOpened>) {
                return Pick(l, "over voorstel ", "on proposal ") + p.proposal.value + ", " +
                       Counted(p.electorate.items.size(), l, ENTITLED_ONE, ENTITLED_MANY);
            } else if constexpr (std::is_same_v<P, ledger::VoteCast>) {
                return p.member.value + ": " + std::string(Say(phrase::Of(p.choice), l));
            } else if constexpr (std::is_same_v<P, ledger::VoteClosed>) {
                const std::string result{Say(phrase::Of(p.result), l)};
                return Pick(
                    l,
                    "voorstel " + p.proposal.value + ": " + result + " (" +
                        std::to_string(p.votes_for) + " voor, " + std::to_string(p.votes_against) +
                        " tegen, " + std::to_string(p.abstentions) + " onthouding)",
                    "proposal " + p.proposal.value + ": " + result + " (" +
                        std::to_string(p.votes_for) + " for, " + std::to_string(p.votes_against) +
                        " against, " + std::to_string(p.abstentions) + " abstained)");
            } else if constexpr (std::is_same_v<P, ledger::VoteRecused>) {
                return p.member.value + ": " + p.reason.value;
            } else if constexpr (std::is_same_v<P, ledger::ApprovalCosigned>) {
                return Pick(l, "voorstel " + p.proposal.value + ", " + FormatAmount(p.amount, l),
                            "proposal " + p.proposal.value + ", " + FormatAmount(p.amount, l));
            } else if constexpr (std::is_same_v<P, ledger::CommitmentReleased>) {
                return Pick(l,
                            FormatAmount(p.amount, l) + " van verplichting " + p.commitment.value,
                            FormatAmount(p.amount, l) + " of commitment " + p.commitment.value);
            } else if constexpr (std::is_same_v<P, ledger::SpendingSubmitted> ||
                                 std::is_same_v<P, ledger::SpendingRecorded>) {
                return Pick(l,
                            FormatAmount(p.amount, l) + " aan " + p.payee.value + " (" +
                                FormatDay(p.paid_on, l) + ")",
                            FormatAmount(p.amount, l) + " to " + p.payee.value + " (" +
                                FormatDay(p.paid_on, l) + ")");
            } else if constexpr (std::is_same_v<P, ledger::SpendingWithdrawn>) {
                return Pick(l, "uitgave " + p.spending.value + ": " + p.reason.value,
                            "spending " + p.spending.value + ": " + p.reason.value);
            } else if constexpr (std::is_same_v<P, ledger::SpendingReversed>) {
                return Pick(
                    l, "uitgave #" + std::to_string(p.spending.value) + ": " + p.reason.value,
                    "spending #" + std::to_string(p.spending.value) + ": " + p.reason.value);
            } else if constexpr (std::is_same_v<P, ledger::RoundOpened>) {
                return "“" + p.title.value + "”, " + FormatAmount(p.budget, l);
            } else if constexpr (std::is_same_v<P, ledger::CodesIssued>) {
                return Pick(l, "ronde ", "round ") + p.round.value + ": " +
                       Counted(p.count, l, CODES_ONE, CODES_MANY);
            } else if constexpr (std::is_same_v<P, ledger::BallotCast>) {
                return Pick(l, "ronde " + p.round.value, "round " + p.round.value);
            } else if constexpr (std::is_same_v<P, ledger::RoundClosed>) {
                return Pick(l, "ronde ", "round ") + p.round.value + ": " +
                       Counted(p.ballots_cast, l, BALLOTS_ONE, BALLOTS_MANY) + ", " +
                       Counted(p.winners.items.size(), l, CHOSEN_ONE, CHOSEN_MANY);
            } else if constexpr (std::is_same_v<P, ledger::FindingRecorded>) {
                return p.title.value;
            } else if constexpr (std::is_same_v<P, ledger::PeriodClosed>) {
                return Pick(l, "boekjaar " + std::to_string(p.year.value),
                            "year " + std::to_string(p.year.value));
            } else {
                static_assert(std::is_same_v<P, ledger::CheckpointWitnessed>, "every kind");
                return Pick(l, "grootte ", "size ") + FormatCount(p.size, l) +
                       Pick(l, ", getuige ", ", witness ") + p.witness.value;
            }
        },
        entry.payload);
}

} // namespace wijkbudget::api::web
