#pragma once
// ledger/entry.hpp: the facts the ledger records, and the glossary of the words they use.
//
// Glossary (DESIGN.md section 2; one meaning per word):
//   municipality (gemeente)  the tenant; owns one ledger and the pool that grants come from.
//   district (stadsdeel)     a group of councils; may hold a joint initiatives budget.
//   council (wijkraad)       the body that manages a budget.
//   mandate (zetel)          a member's seat on a council, with a term (from, until).
//   bylaws (reglement)       a council's decision rules: quorum, majority, tie rule, limits.
//   budget line (begrotingspost)  a council's budget for one category and year.
//   grant (toekenning)       municipality -> budget line.
//   proposal (voorstel)      a plan to spend an amount from a budget line.
//   decision (besluit)       the recorded outcome of a vote on a proposal.
//   commitment (verplichting)  money held for an approved proposal: a pending hold on a line.
//   spending (uitgave)       money paid out against a commitment.
//   release (vrijval)        unspent commitment returned to its budget line.
//   round (stemronde)        a participatory-budgeting vote of residents.
//   finding (bevinding)      an auditor's recorded observation.
//   checkpoint (controlepunt)  a signed statement of the ledger's size and Merkle root.
//
// Every entry has a format version, a kind, an actor, a recorded time, the council it
// concerns (where it concerns one), a payload whose type is the kind, and, for financial
// kinds, postings (ledger/book.hpp). No personal data: members are pseudonymous ids.
//
// Every entry also states its own index and the leaf hash of the entry before it. The Merkle
// tree already makes any change evident; the chain says *where*: an altered entry no longer
// matches the hash its successor records, so wijkbudget-verify names the first altered index.

#include "ledger/money.hpp"
#include "ledger/sha256.hpp"
#include "ledger/values.hpp"

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <variant>

namespace wijkbudget::ledger {

//! The entry format this build writes and reads.
inline constexpr std::int64_t ENTRY_FORMAT_VERSION{1};
//! Named limits on lists inside entries.
//! Round projects are few enough that a round's close, which creates a commitment per funded
//! project and releases the rest, fits in one entry: two postings each, plus the release.
inline constexpr std::size_t ROUND_PROJECTS_MAX{64};
inline constexpr std::size_t POSTINGS_PER_ENTRY_MAX{2 * (ROUND_PROJECTS_MAX + 1)};
inline constexpr std::size_t ATTACHMENTS_MAX{16};
inline constexpr std::size_t ELECTORATE_MAX{99};
//! The longest canonical entry we accept; the longest real one is a few kilobytes.
inline constexpr std::size_t ENTRY_BYTES_MAX{std::size_t{64} * 1024};

// ---- Enumerations. Their spellings (ledger/entry.cpp) are part of the format. ----

enum class Role { resident, council_member, treasurer, municipality, auditor, system };
enum class Seat { member, chair, treasurer };
enum class MandateEndReason { term_ended, resigned, dismissed };
enum class MajorityRule { simple, absolute, two_thirds };
enum class TieRule { rejected, chair_decides, lot };
enum class BudgetCategory { public_space, social, initiatives, operations };
enum class YearEndRule { returns, carries_over };
enum class VoteChoice { in_favour, against, abstain };
enum class DecisionResult { approved, rejected };
enum class BallotType { approval, cumulative };
enum class RoundRule { greedy, equal_shares };
enum class FindingSeverity { info, minor, major };
enum class PostingSide { debit, credit };

//! The spelling of each value of an enumeration, in declaration order.
template <class E>
struct EnumSpelling;

#define WB_ENUM_SPELLING(E, ...)                                                                   \
    template <>                                                                                    \
    struct EnumSpelling<E> {                                                                       \
        static constexpr std::array NAMES{__VA_ARGS__};                                            \
    }

WB_ENUM_SPELLING(Role, "resident", "council_member", "treasurer", "municipality", "auditor",
                 "system");
WB_ENUM_SPELLING(Seat, "member", "chair", "treasurer");
WB_ENUM_SPELLING(MandateEndReason, "term_ended", "resigned", "dismissed");
WB_ENUM_SPELLING(MajorityRule, "simple", "absolute", "two_thirds");
WB_ENUM_SPELLING(TieRule, "rejected", "chair_decides", "lot");
WB_ENUM_SPELLING(BudgetCategory, "public_space", "social", "initiatives", "operations");
WB_ENUM_SPELLING(YearEndRule, "return", "carry_over");
WB_ENUM_SPELLING(VoteChoice, "for", "against", "abstain");
WB_ENUM_SPELLING(DecisionResult, "approved", "rejected");
WB_ENUM_SPELLING(BallotType, "approval", "cumulative");
WB_ENUM_SPELLING(RoundRule, "greedy", "equal_shares");
WB_ENUM_SPELLING(FindingSeverity, "info", "minor", "major");
WB_ENUM_SPELLING(PostingSide, "debit", "credit");

template <class E>
std::string_view SpellingOf(E value)
{
    return EnumSpelling<E>::NAMES[static_cast<std::size_t>(value)];
}

template <class E>
std::optional<E> EnumFromSpelling(std::string_view text)
{
    const auto& names = EnumSpelling<E>::NAMES;
    for (std::size_t position = 0; position < names.size(); ++position) {
        if (names[position] == text) return static_cast<E>(position);
    }
    return std::nullopt;
}

// ---- Parts shared by several kinds. `Fields` lists the JSON members (ledger/fields.hpp). ----

//! Who recorded the fact: a role and a pseudonymous id (never a name).
struct Actor {
    Role role{Role::system};
    Slug id;
    friend bool operator==(const Actor&, const Actor&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("role", self.role);
        visit("id", self.id);
    }
};

//! An account's balance after a posting: 0..CENTS_MAX, where an amount is 1..CENTS_MAX.
struct Balance {
    Cents cents;
    friend auto operator<=>(const Balance&, const Balance&) = default;
};

/**
 * One side of a double-entry movement on one account. Account names are written by
 * ledger/account.hpp. balance_after and version_after are the account's state after this
 * posting: a balance at any ledger size is one read, and the verifier re-derives both.
 */
struct Posting {
    Token account;
    PostingSide side{PostingSide::debit};
    Cents amount;
    Balance balance_after;
    std::uint64_t version_after{0};
    friend bool operator==(const Posting&, const Posting&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("account", self.account);
        visit("side", self.side);
        visit("amount_cents", self.amount);
        visit("balance_after_cents", self.balance_after);
        visit("version_after", self.version_after);
    }
};

//! A project in a participatory-budgeting round; `category` is the council's own label
//! ("groen", "spelen"), shown and exported, never used by the rules.
struct RoundProject {
    Slug id;
    Title title;
    Cents cost;
    std::optional<Title> category;
    friend bool operator==(const RoundProject&, const RoundProject&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("id", self.id);
        visit("title", self.title);
        visit("cost_cents", self.cost);
        visit("category", self.category);
    }
};

//! Points given to one project on a ballot (1 for an approval ballot).
struct BallotChoice {
    Slug project;
    std::uint64_t points{0};
    friend bool operator==(const BallotChoice&, const BallotChoice&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("project", self.project);
        visit("points", self.points);
    }
};

// ---- Payloads: one struct per kind. ----

struct CouncilRegistered {
    static constexpr std::string_view KIND{"council.registered"};
    Title name;
    Slug district;
    friend bool operator==(const CouncilRegistered&, const CouncilRegistered&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("name", self.name);
        visit("district", self.district);
    }
};

struct MandateStarted {
    static constexpr std::string_view KIND{"mandate.started"};
    Slug member;
    Seat seat{Seat::member};
    Date from;
    Date until;
    friend bool operator==(const MandateStarted&, const MandateStarted&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("member", self.member);
        visit("seat", self.seat);
        visit("from", self.from);
        visit("until", self.until);
    }
};

struct MandateEnded {
    static constexpr std::string_view KIND{"mandate.ended"};
    Slug member;
    Date on;
    MandateEndReason reason{MandateEndReason::term_ended};
    friend bool operator==(const MandateEnded&, const MandateEnded&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("member", self.member);
        visit("on", self.on);
        visit("reason", self.reason);
    }
};

struct BylawsSet {
    static constexpr std::string_view KIND{"bylaws.set"};
    std::uint64_t version{0};
    std::uint64_t quorum_percent{0};
    MajorityRule majority{MajorityRule::simple};
    TieRule tie_rule{TieRule::rejected};
    Cents cosign_above;
    Cents confirm_spending_above;
    std::optional<Cents> consult_residents_above;
    std::uint64_t voting_period_days_max{0};
    //! The shortest voting period in hours, 1 .. 24 * voting_period_days_max; absent, as in bylaws
    //! set before it existed, a vote may close at any moment after it opens.
    std::optional<std::uint64_t> voting_period_hours_min;
    friend bool operator==(const BylawsSet&, const BylawsSet&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("version", self.version);
        visit("quorum_percent", self.quorum_percent);
        visit("majority", self.majority);
        visit("tie_rule", self.tie_rule);
        visit("cosign_above_cents", self.cosign_above);
        visit("confirm_spending_above_cents", self.confirm_spending_above);
        visit("consult_residents_above_cents", self.consult_residents_above);
        visit("voting_period_days_max", self.voting_period_days_max);
        visit("voting_period_hours_min", self.voting_period_hours_min);
    }
};

struct BudgetGranted {
    static constexpr std::string_view KIND{"budget.granted"};
    Year year;
    BudgetCategory category{BudgetCategory::public_space};
    Cents amount;
    YearEndRule at_year_end{YearEndRule::returns};
    friend bool operator==(const BudgetGranted&, const BudgetGranted&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("year", self.year);
        visit("category", self.category);
        visit("amount_cents", self.amount);
        visit("at_year_end", self.at_year_end);
    }
};

struct ProposalSubmitted {
    static constexpr std::string_view KIND{"proposal.submitted"};
    Slug proposal;
    Title title;
    Description description;
    Cents amount;
    Year year;
    BudgetCategory category{BudgetCategory::public_space};
    std::optional<Title> beneficiary;
    BoundedList<Hash, ATTACHMENTS_MAX> attachments;
    friend bool operator==(const ProposalSubmitted&, const ProposalSubmitted&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("proposal", self.proposal);
        visit("title", self.title);
        visit("description", self.description);
        visit("amount_cents", self.amount);
        visit("year", self.year);
        visit("category", self.category);
        visit("beneficiary", self.beneficiary);
        visit("attachments", self.attachments);
    }
};

struct ProposalAmended {
    static constexpr std::string_view KIND{"proposal.amended"};
    Slug proposal;
    Title title;
    Description description;
    Cents amount;
    std::optional<Title> beneficiary;
    BoundedList<Hash, ATTACHMENTS_MAX> attachments;
    friend bool operator==(const ProposalAmended&, const ProposalAmended&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("proposal", self.proposal);
        visit("title", self.title);
        visit("description", self.description);
        visit("amount_cents", self.amount);
        visit("beneficiary", self.beneficiary);
        visit("attachments", self.attachments);
    }
};

struct ProposalWithdrawn {
    static constexpr std::string_view KIND{"proposal.withdrawn"};
    Slug proposal;
    Description reason;
    friend bool operator==(const ProposalWithdrawn&, const ProposalWithdrawn&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("proposal", self.proposal);
        visit("reason", self.reason);
    }
};

struct VoteOpened {
    static constexpr std::string_view KIND{"vote.opened"};
    Slug vote;
    Slug proposal;
    std::uint64_t bylaws_version{0};
    Timestamp closes_at;
    BoundedList<Slug, ELECTORATE_MAX> electorate;
    friend bool operator==(const VoteOpened&, const VoteOpened&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("vote", self.vote);
        visit("proposal", self.proposal);
        visit("bylaws_version", self.bylaws_version);
        visit("closes_at", self.closes_at);
        visit("electorate", self.electorate);
    }
};

struct VoteCast {
    static constexpr std::string_view KIND{"vote.cast"};
    Slug vote;
    Slug member;
    VoteChoice choice{VoteChoice::abstain};
    friend bool operator==(const VoteCast&, const VoteCast&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("vote", self.vote);
        visit("member", self.member);
        visit("choice", self.choice);
    }
};

/**
 * The decision: who could vote, who was recused, the counts, quorum, the rule applied and
 * the result. When it approves without a required co-approval it creates the commitment,
 * and carries the postings of that hold.
 */
struct VoteClosed {
    static constexpr std::string_view KIND{"vote.closed"};
    Slug vote;
    Slug proposal;
    std::uint64_t bylaws_version{0};
    BoundedList<Slug, ELECTORATE_MAX> electorate;
    BoundedList<Slug, ELECTORATE_MAX> recused;
    std::uint64_t votes_for{0};
    std::uint64_t votes_against{0};
    std::uint64_t abstentions{0};
    bool quorum_met{false};
    MajorityRule majority{MajorityRule::simple};
    TieRule tie_rule{TieRule::rejected};
    DecisionResult result{DecisionResult::rejected};
    std::optional<Slug> commitment;
    //! Why an approving decision created no commitment although none needed a co-approval:
    //! the stable code "exceeds_budget_line" when the line could not hold the amount.
    std::optional<Token> commitment_refused;
    friend bool operator==(const VoteClosed&, const VoteClosed&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("vote", self.vote);
        visit("proposal", self.proposal);
        visit("bylaws_version", self.bylaws_version);
        visit("electorate", self.electorate);
        visit("recused", self.recused);
        visit("votes_for", self.votes_for);
        visit("votes_against", self.votes_against);
        visit("abstentions", self.abstentions);
        visit("quorum_met", self.quorum_met);
        visit("majority", self.majority);
        visit("tie_rule", self.tie_rule);
        visit("result", self.result);
        visit("commitment", self.commitment);
        visit("commitment_refused", self.commitment_refused);
    }
};

//! A member declares a conflict of interest in a vote and is recused: excluded from its
//! quorum and count (DESIGN.md section 5).
struct VoteRecused {
    static constexpr std::string_view KIND{"vote.recused"};
    Slug vote;
    Slug member;
    Description reason;
    friend bool operator==(const VoteRecused&, const VoteRecused&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("vote", self.vote);
        visit("member", self.member);
        visit("reason", self.reason);
    }
};

//! The municipality's co-approval above the bylaws' limit; creates the commitment.
struct ApprovalCosigned {
    static constexpr std::string_view KIND{"approval.cosigned"};
    Slug proposal;
    Slug vote;
    Slug commitment;
    Cents amount;
    friend bool operator==(const ApprovalCosigned&, const ApprovalCosigned&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("proposal", self.proposal);
        visit("vote", self.vote);
        visit("commitment", self.commitment);
        visit("amount_cents", self.amount);
    }
};

//! What is left of a commitment returns to its line; the commitment is then resolved.
struct CommitmentReleased {
    static constexpr std::string_view KIND{"commitment.released"};
    Slug commitment;
    Cents amount;
    Description reason;
    friend bool operator==(const CommitmentReleased&, const CommitmentReleased&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("commitment", self.commitment);
        visit("amount_cents", self.amount);
        visit("reason", self.reason);
    }
};

/**
 * A spending above the bylaws' confirmation limit, as the treasurer entered it: it posts
 * nothing until a second member confirms it with a spending.recorded that names this entry.
 */
struct SpendingSubmitted {
    static constexpr std::string_view KIND{"spending.submitted"};
    Slug spending;
    Slug commitment;
    Cents amount;
    Date paid_on;
    Title payee;
    Hash invoice{};
    Description description;
    friend bool operator==(const SpendingSubmitted&, const SpendingSubmitted&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("spending", self.spending);
        visit("commitment", self.commitment);
        visit("amount_cents", self.amount);
        visit("paid_on", self.paid_on);
        visit("payee", self.payee);
        visit("invoice_sha256", self.invoice);
        visit("description", self.description);
    }
};

/**
 * A spending.submitted taken back by a treasurer before anyone confirmed it (a wrong amount, an
 * invoice paid otherwise): it can no longer be confirmed. It posts nothing, as the submission
 * posted nothing.
 */
struct SpendingWithdrawn {
    static constexpr std::string_view KIND{"spending.withdrawn"};
    Slug spending;
    Description reason;
    friend bool operator==(const SpendingWithdrawn&, const SpendingWithdrawn&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("spending", self.spending);
        visit("reason", self.reason);
    }
};

/**
 * Money paid against a commitment. The invoice enters only as a salted hash commitment.
 * `confirms` names the spending.submitted this entry confirms: then the actor is the second
 * member, and the values are the submission's.
 */
struct SpendingRecorded {
    static constexpr std::string_view KIND{"spending.recorded"};
    Slug commitment;
    Cents amount;
    Date paid_on;
    Title payee;
    Hash invoice{};
    Description description;
    std::optional<LeafIndex> confirms;
    friend bool operator==(const SpendingRecorded&, const SpendingRecorded&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("commitment", self.commitment);
        visit("amount_cents", self.amount);
        visit("paid_on", self.paid_on);
        visit("payee", self.payee);
        visit("invoice_sha256", self.invoice);
        visit("description", self.description);
        visit("confirms_index", self.confirms);
    }
};

//! Undoes one spending entry, once, by mirrored postings; nothing is ever edited.
struct SpendingReversed {
    static constexpr std::string_view KIND{"spending.reversed"};
    LeafIndex spending;
    Description reason;
    friend bool operator==(const SpendingReversed&, const SpendingReversed&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("spending_index", self.spending);
        visit("reason", self.reason);
    }
};

/**
 * A participatory-budgeting round opens (DESIGN.md section 6). Its budget is held on a budget
 * line of the council as the commitment `hold`: for a council's own round, the commitment its
 * decision `decision` (a closed, approving vote) created, taken over untouched, so the entry
 * posts nothing; for a district's round, opened by the municipality on a council of that
 * district, a new commitment this entry's postings create from the line (year, category).
 *
 * The ballot: `approval` with optional minimum and maximum numbers of projects and maximum
 * total cost; `cumulative` with `points_total` to spread and `points_per_project_max`. The tie
 * order is a permutation of the projects fixed by `tie_seed` (ledger/tie_order.hpp), drawn
 * before voting opens and checked by anyone.
 */
struct RoundOpened {
    static constexpr std::string_view KIND{"round.opened"};
    Slug round;
    Title title;
    std::optional<Slug> district;
    Year year;
    BudgetCategory category{BudgetCategory::initiatives};
    Cents budget;
    Slug hold;
    std::optional<Slug> decision;
    Timestamp opens_at;
    Timestamp closes_at;
    BallotType ballot_type{BallotType::approval};
    std::optional<std::uint64_t> min_projects;
    std::optional<std::uint64_t> max_projects;
    std::optional<Cents> max_cost;
    std::optional<std::uint64_t> points_total;
    std::optional<std::uint64_t> points_per_project_max;
    RoundRule rule{RoundRule::greedy};
    std::uint64_t min_turnout_percent{0};
    BoundedList<RoundProject, ROUND_PROJECTS_MAX> projects;
    Hash tie_seed{};
    BoundedList<Slug, ROUND_PROJECTS_MAX> tie_order;
    friend bool operator==(const RoundOpened&, const RoundOpened&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("round", self.round);
        visit("title", self.title);
        visit("district", self.district);
        visit("year", self.year);
        visit("category", self.category);
        visit("budget_cents", self.budget);
        visit("hold", self.hold);
        visit("decision", self.decision);
        visit("opens_at", self.opens_at);
        visit("closes_at", self.closes_at);
        visit("ballot_type", self.ballot_type);
        visit("min_projects", self.min_projects);
        visit("max_projects", self.max_projects);
        visit("max_cost_cents", self.max_cost);
        visit("points_total", self.points_total);
        visit("points_per_project_max", self.points_per_project_max);
        visit("rule", self.rule);
        visit("min_turnout_percent", self.min_turnout_percent);
        visit("projects", self.projects);
        visit("tie_seed", self.tie_seed);
        visit("tie_order", self.tie_order);
    }
};

/**
 * One-time voting codes were issued for a round: `count` codes whose SHA-256 hashes, sorted
 * and concatenated, hash to `codes_digest`. Only the hashes are stored, apart from the ledger;
 * the electorate's size is public and fixed before voting opens. Never a name or address.
 */
struct CodesIssued {
    static constexpr std::string_view KIND{"codes.issued"};
    Slug round;
    std::uint64_t count{0};
    Hash codes_digest{};
    friend bool operator==(const CodesIssued&, const CodesIssued&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("round", self.round);
        visit("count", self.count);
        visit("codes_digest", self.codes_digest);
    }
};

//! A resident's ballot: the nullifier derived from the voting code, never the code itself.
struct BallotCast {
    static constexpr std::string_view KIND{"ballot.cast"};
    Slug round;
    Hash nullifier{};
    BoundedList<BallotChoice, ROUND_PROJECTS_MAX> choices;
    friend bool operator==(const BallotCast&, const BallotCast&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("round", self.round);
        visit("nullifier", self.nullifier);
        visit("choices", self.choices);
    }
};

//! A funded project of a closed round, in order of selection. `phase`, `price_per_voter` and
//! `price_per_point` are pb/'s: exact fractions of euros, what each supporter paid at most on
//! approval ballots, and the price of one point on cumulative ones (a supporter who gave it k
//! points paid k times it, at most what they had left); `commitment` is the commitment it
//! became when the round was binding.
struct RoundWinner {
    Slug project;
    Cents cost;
    Token phase;
    std::optional<Token> price_per_voter;
    std::optional<Slug> commitment;
    std::optional<Token> price_per_point;
    friend bool operator==(const RoundWinner&, const RoundWinner&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("project", self.project);
        visit("cost_cents", self.cost);
        visit("phase", self.phase);
        visit("price_per_voter", self.price_per_voter);
        visit("price_per_point", self.price_per_point);
        visit("commitment", self.commitment);
    }
};

//! Every project's result: ballots that chose it, points given, and why it lost if it did
//! (`no_support`, `unaffordable`, `did_not_fit`).
struct RoundProjectResult {
    Slug project;
    Cents cost;
    std::uint64_t votes{0};
    std::uint64_t points{0};
    bool funded{false};
    std::optional<Token> reason;
    friend bool operator==(const RoundProjectResult&, const RoundProjectResult&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("project", self.project);
        visit("cost_cents", self.cost);
        visit("votes", self.votes);
        visit("points", self.points);
        visit("funded", self.funded);
        visit("reason", self.reason);
    }
};

/**
 * A round closes. Binding when codes were issued and ballots_cast * 100 >= min_turnout_percent
 * * codes_issued; then each winner becomes a commitment split off the round's hold, and what is
 * left is released; an advisory result releases the whole hold. `rule` is the exact rule of
 * ../shared/pb/RULES.md that counted (for example "mes_cost_add1_greedy").
 */
struct RoundClosed {
    static constexpr std::string_view KIND{"round.closed"};
    Slug round;
    std::uint64_t codes_issued{0};
    std::uint64_t ballots_cast{0};
    Token turnout_percent;
    std::uint64_t min_turnout_percent{0};
    bool binding{false};
    Token rule;
    std::optional<Token> voter_budget;
    BoundedList<RoundWinner, ROUND_PROJECTS_MAX> winners;
    BoundedList<RoundProjectResult, ROUND_PROJECTS_MAX> results;
    friend bool operator==(const RoundClosed&, const RoundClosed&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("round", self.round);
        visit("codes_issued", self.codes_issued);
        visit("ballots_cast", self.ballots_cast);
        visit("turnout_percent", self.turnout_percent);
        visit("min_turnout_percent", self.min_turnout_percent);
        visit("binding", self.binding);
        visit("rule", self.rule);
        visit("voter_budget", self.voter_budget);
        visit("winners", self.winners);
        visit("results", self.results);
    }
};

struct FindingRecorded {
    static constexpr std::string_view KIND{"finding.recorded"};
    Slug finding;
    FindingSeverity severity{FindingSeverity::info};
    Title title;
    Description description;
    std::optional<LeafIndex> refers_to;
    friend bool operator==(const FindingRecorded&, const FindingRecorded&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("finding", self.finding);
        visit("severity", self.severity);
        visit("title", self.title);
        visit("description", self.description);
        visit("refers_to_index", self.refers_to);
    }
};

//! Closes a council's year: what is available returns to the pool or carries over.
struct PeriodClosed {
    static constexpr std::string_view KIND{"period.closed"};
    Year year;
    friend bool operator==(const PeriodClosed&, const PeriodClosed&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("year", self.year);
    }
};

//! A witness (the auditor) cosigned the checkpoint of this size and root; `cosignature` is
//! its C2SP signature line without the newline.
struct CheckpointWitnessed {
    static constexpr std::string_view KIND{"checkpoint.witnessed"};
    std::uint64_t size{0};
    Hash root{};
    Token witness;
    Token cosignature;
    friend bool operator==(const CheckpointWitnessed&, const CheckpointWitnessed&) = default;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("size", self.size);
        visit("root", self.root);
        visit("witness", self.witness);
        visit("cosignature", self.cosignature);
    }
};

//! The payload; its alternative is the entry's kind, so kind and payload cannot disagree.
using Payload = std::variant<CouncilRegistered, MandateStarted, MandateEnded, BylawsSet,
                             BudgetGranted, ProposalSubmitted, ProposalAmended, ProposalWithdrawn,
                             VoteOpened, VoteCast, VoteClosed, ApprovalCosigned, CommitmentReleased,
                             SpendingRecorded, SpendingReversed, RoundOpened, BallotCast,
                             RoundClosed, FindingRecorded, PeriodClosed, CheckpointWitnessed,
                             VoteRecused, SpendingSubmitted, CodesIssued, SpendingWithdrawn>;

struct Entry {
    std::int64_t format_version{ENTRY_FORMAT_VERSION};
    LeafIndex index;              //!< Assigned by the sequencer: dense, from 0.
    std::optional<Hash> previous; //!< Leaf hash of entry index-1; absent at index 0.
    Actor actor;
    Timestamp recorded_at;
    std::optional<Slug> council;
    Payload payload;
    std::vector<Posting> postings;
    friend bool operator==(const Entry&, const Entry&) = default;
};

//! "budget.granted" and so on.
std::string_view KindOf(const Entry& entry);

//! Whether an entry of this payload type names a council: always, never, or optionally.
enum class CouncilPresence { required, optional, absent };
CouncilPresence CouncilPresenceOf(const Payload& payload);

//! Financial kinds may carry postings; all others never do.
bool IsFinancial(const Payload& payload);

//! The roles that may record an entry of this kind (DESIGN.md section 1); the first is the
//! usual one. Who of them may act for which council is the services' rule, not the ledger's.
std::span<const Role> RolesAllowed(const Payload& payload);

} // namespace wijkbudget::ledger
