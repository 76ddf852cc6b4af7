#include "tests/support/sample_ledger.hpp"

#include "ledger/account.hpp"
#include "ledger/assert.hpp"
#include "ledger/checkpoint.hpp"
#include "ledger/cosignature.hpp"
#include "ledger/note_key.hpp"
#include "ledger/round_rules.hpp"
#include "ledger/sha256.hpp"
#include "tests/support/ledger_writer.hpp"

#include <array>

namespace wijkbudget::testing {
namespace {

using namespace ledger;

const Slug COUNCIL{"burgwal"};
constexpr std::string_view SAMPLE_LOG_NAME{"wijkbudget.haarlem.example"};
constexpr std::string_view WITNESS_NAME{"auditor.haarlem.example"};
constexpr Year YEAR{2027};

class Builder
{
public:
    void Add(Role role, std::string actor, Payload payload, std::vector<Posting> postings = {},
             bool with_council = true)
    {
        Entry entry;
        entry.actor = Actor{role, Slug{std::move(actor)}};
        // One entry a minute from 2027-01-04 09:00:00.123 UTC.
        entry.recorded_at =
            Timestamp{1'799'053'200'123 + static_cast<std::int64_t>(m_entries.size()) * 60'000};
        if (with_council) entry.council = COUNCIL;
        entry.payload = std::move(payload);
        entry.postings = std::move(postings);
        m_writer.Append(entry);
        m_entries.push_back(std::move(entry));
    }
    //! The auditor cosigns the checkpoint of everything so far, and that is recorded too.
    void AddWitnessed()
    {
        const std::array<std::uint8_t, ED25519_SEED_BYTES> seed{0x57};
        auto witness = SignerKey::FromSeed(WITNESS_NAME, KeyType::cosignature_ed25519, seed);
        WB_ASSERT(witness.has_value());
        const Checkpoint checkpoint{
            std::string(SAMPLE_LOG_NAME), m_writer.Size(), m_writer.Root(), {}};
        auto line = Cosign(checkpoint, *witness, 1'799'100'000);
        WB_ASSERT(line.has_value() && line->back() == '\n');
        line->pop_back(); // The entry holds the line without its newline.
        Add(Role::auditor, "auditor-1",
            CheckpointWitnessed{checkpoint.size, checkpoint.root, Token{std::string(WITNESS_NAME)},
                                Token{*line}},
            {}, false);
    }
    [[nodiscard]] LeafIndex NextIndex() const { return LeafIndex{m_entries.size()}; }
    std::vector<Entry> Take() { return std::move(m_entries); }

private:
    LedgerWriter m_writer;
    std::vector<Entry> m_entries;
};

std::string Line(BudgetCategory category, Year year = YEAR)
{
    return AccountName(LineAccount(COUNCIL, year, category));
}
std::string Commitment(const char* id)
{
    return AccountName(CommitmentAccount(COUNCIL, Slug{id}));
}
std::string Spent(BudgetCategory category)
{
    return AccountName(SpentAccount(COUNCIL, YEAR, category));
}

void AddGovernance(Builder& builder)
{
    builder.Add(Role::municipality, "officer-1",
                CouncilRegistered{Title{"Wijkraad Burgwal"}, Slug{"centrum"}});
    for (const char* member : {"m-anna", "m-bram", "m-cees"}) {
        builder.Add(Role::municipality, "officer-1",
                    MandateStarted{Slug{member}, Seat::member, *ParseDate("2026-01-01"),
                                   *ParseDate("2029-12-31")});
    }
    builder.Add(Role::municipality, "officer-1",
                BylawsSet{1, 50, MajorityRule::simple, TieRule::rejected, Cents{500'000},
                          Cents{100'000}, Cents{2'500'000}, 14, std::nullopt});
    builder.Add(Role::municipality, "officer-1",
                BudgetGranted{YEAR, BudgetCategory::public_space, Cents{1'500'000},
                              YearEndRule::carries_over},
                TransferPostings("pool", Line(BudgetCategory::public_space), Cents{1'500'000}));
    builder.Add(Role::municipality, "officer-1",
                BudgetGranted{YEAR, BudgetCategory::social, Cents{800'000}, YearEndRule::returns},
                TransferPostings("pool", Line(BudgetCategory::social), Cents{800'000}));
}

void AddDecisions(Builder& builder)
{
    builder.Add(Role::council_member, "m-anna",
                ProposalSubmitted{Slug{"p-bankjes"},
                                  Title{"Bankjes in het Burgwalpark"},
                                  Description{"Vier nieuwe bankjes.\nMet \"leuning\"."},
                                  Cents{350'000},
                                  YEAR,
                                  BudgetCategory::public_space,
                                  Title{"Stichting Groen"},
                                  {{Sha256Of(std::string_view{"offerte.pdf"})}}});
    builder.Add(Role::council_member, "m-anna",
                ProposalAmended{Slug{"p-bankjes"},
                                Title{"Bankjes in het Burgwalpark"},
                                Description{"Drie bankjes."},
                                Cents{300'000},
                                std::nullopt,
                                {}});
    builder.Add(Role::council_member, "m-bram",
                ProposalSubmitted{Slug{"p-feest"},
                                  Title{"Buurtfeest"},
                                  Description{""},
                                  Cents{90'000},
                                  YEAR,
                                  BudgetCategory::social,
                                  std::nullopt,
                                  {}});
    builder.Add(Role::council_member, "m-bram",
                ProposalWithdrawn{Slug{"p-feest"}, Description{"Te laat."}});
    builder.Add(Role::council_member, "m-anna",
                VoteOpened{Slug{"v-bankjes"},
                           Slug{"p-bankjes"},
                           1,
                           Timestamp{1'800'000'000'000},
                           {{Slug{"m-anna"}, Slug{"m-bram"}, Slug{"m-cees"}}}});
    builder.Add(Role::council_member, "m-anna",
                VoteCast{Slug{"v-bankjes"}, Slug{"m-anna"}, VoteChoice::in_favour});
    builder.Add(Role::council_member, "m-bram",
                VoteCast{Slug{"v-bankjes"}, Slug{"m-bram"}, VoteChoice::abstain});
    builder.Add(Role::council_member, "m-anna",
                VoteClosed{Slug{"v-bankjes"},
                           Slug{"p-bankjes"},
                           1,
                           {{Slug{"m-anna"}, Slug{"m-bram"}, Slug{"m-cees"}}},
                           {},
                           1,
                           0,
                           1,
                           true,
                           MajorityRule::simple,
                           TieRule::rejected,
                           DecisionResult::approved,
                           Slug{"c-bankjes"},
                           std::nullopt},
                TransferPostings(Line(BudgetCategory::public_space), Commitment("c-bankjes"),
                                 Cents{300'000}));
    builder.Add(Role::municipality, "officer-1",
                ApprovalCosigned{Slug{"p-plein"}, Slug{"v-plein"}, Slug{"c-plein"}, Cents{600'000}},
                TransferPostings(Line(BudgetCategory::public_space), Commitment("c-plein"),
                                 Cents{600'000}));
}

void AddMoney(Builder& builder)
{
    builder.Add(Role::treasurer, "m-cees",
                SpendingRecorded{Slug{"c-bankjes"}, Cents{120'000}, *ParseDate("2027-03-01"),
                                 Title{"Stichting Groen"},
                                 Sha256Of(std::string_view{"salt|factuur-17"}),
                                 Description{"Eerste termijn"}, std::nullopt},
                TransferPostings(Commitment("c-bankjes"), Spent(BudgetCategory::public_space),
                                 Cents{120'000}));
    const LeafIndex spending{16}; // The spending just above.
    builder.Add(Role::treasurer, "m-cees",
                SpendingReversed{spending, Description{"Dubbel geboekt"}},
                TransferPostings(Spent(BudgetCategory::public_space), Commitment("c-bankjes"),
                                 Cents{120'000}));
    builder.Add(Role::treasurer, "m-cees",
                SpendingRecorded{Slug{"c-bankjes"}, Cents{250'000}, *ParseDate("2027-03-02"),
                                 Title{"Stichting Groen"},
                                 Sha256Of(std::string_view{"salt|factuur-18"}),
                                 Description{"Bankjes geleverd"}, std::nullopt},
                TransferPostings(Commitment("c-bankjes"), Spent(BudgetCategory::public_space),
                                 Cents{250'000}));
    builder.Add(Role::treasurer, "m-cees",
                CommitmentReleased{Slug{"c-bankjes"}, Cents{50'000}, Description{"Klaar"}},
                TransferPostings(Commitment("c-bankjes"), Line(BudgetCategory::public_space),
                                 Cents{50'000}));
}

//! A district's round on the council's social line: opened by the municipality with a new hold,
//! binding at 1 ballot of 5 codes (20% >= 10%), funding "bomen" and releasing the rest.
RoundOpened SampleRound()
{
    RoundOpened round;
    round.round = Slug{"r-2027"};
    round.title = Title{"Buurtbudget 2027"};
    round.district = Slug{"centrum"};
    round.year = YEAR;
    round.category = BudgetCategory::social;
    round.budget = Cents{300'000};
    round.hold = Slug{"r-2027"};
    round.opens_at = Timestamp{1'800'000'000'000};
    round.closes_at = Timestamp{1'801'000'000'000};
    round.ballot_type = BallotType::approval;
    round.max_projects = 2;
    round.rule = RoundRule::equal_shares;
    round.min_turnout_percent = 10;
    round.projects.items = {
        RoundProject{Slug{"speeltuin"}, Title{"Speeltuin"}, Cents{250'000}, Title{"spelen"}},
        RoundProject{Slug{"bomen"}, Title{"Bomen"}, Cents{200'000}, std::nullopt}};
    round.tie_seed = Sha256Of(std::string_view{"tie seed r-2027"});
    round.tie_order.items = TieOrderOf(round.tie_seed, round.projects.items);
    return round;
}

RoundClosed SampleRoundClose()
{
    RoundClosed closed;
    closed.round = Slug{"r-2027"};
    closed.codes_issued = 5;
    closed.ballots_cast = 1;
    closed.turnout_percent = Token{TurnoutPercentText(1, 5)};
    closed.min_turnout_percent = 10;
    closed.binding = true;
    closed.rule = Token{"mes_cost_add1_greedy"};
    closed.voter_budget = Token{"3000"};
    closed.winners.items = {RoundWinner{Slug{"bomen"}, Cents{200'000}, Token{"equal_shares"},
                                        Token{"2000"}, Slug{"r-2027-bomen"}, std::nullopt}};
    closed.results.items = {
        RoundProjectResult{Slug{"bomen"}, Cents{200'000}, 1, 1, true, std::nullopt},
        RoundProjectResult{Slug{"speeltuin"}, Cents{250'000}, 0, 0, false, Token{"no_support"}}};
    return closed;
}

void AddRoundAndAudit(Builder& builder)
{
    builder.Add(
        Role::municipality, "officer-1", SampleRound(),
        TransferPostings(Line(BudgetCategory::social), Commitment("r-2027"), Cents{300'000}));
    builder.Add(Role::municipality, "officer-1",
                CodesIssued{Slug{"r-2027"}, 5, Sha256Of(std::string_view{"sorted code hashes"})});
    builder.Add(Role::resident, "voter",
                BallotCast{Slug{"r-2027"},
                           Sha256Of(std::string_view{"nullifier"}),
                           {{BallotChoice{Slug{"bomen"}, 1}}}});
    std::vector<Posting> split =
        TransferPostings(Commitment("r-2027"), Commitment("r-2027-bomen"), Cents{200'000});
    auto rest =
        TransferPostings(Commitment("r-2027"), Line(BudgetCategory::social), Cents{100'000});
    split.insert(split.end(), rest.begin(), rest.end());
    builder.Add(Role::system, "sequencer", SampleRoundClose(), split);
    builder.Add(Role::auditor, "auditor-1",
                FindingRecorded{Slug{"f-1"}, FindingSeverity::minor, Title{"Factuur laat"},
                                Description{"Factuur 18 kwam na de levering."}, LeafIndex{19}});
    builder.Add(Role::municipality, "officer-1",
                MandateEnded{Slug{"m-bram"}, *ParseDate("2027-06-30"), MandateEndReason::resigned});
    // Year end: public_space (carries over) holds 1,500,000 - 300,000 - 600,000 + 50,000.
    std::vector<Posting> close =
        TransferPostings(Line(BudgetCategory::public_space),
                         Line(BudgetCategory::public_space, Year{2028}), Cents{650'000});
    // social (returns) had 800,000, of which the round holds 200,000 for "bomen".
    auto returned = TransferPostings(Line(BudgetCategory::social), "pool", Cents{600'000});
    close.insert(close.end(), returned.begin(), returned.end());
    builder.Add(Role::municipality, "officer-1", PeriodClosed{YEAR}, close);
    builder.AddWitnessed();
}

//! Kinds added after the first format: appended last so the entries above keep their bytes.
void AddRecusalAndConfirmedSpending(Builder& builder)
{
    builder.Add(Role::council_member, "m-anna",
                VoteOpened{Slug{"v-plein-2"},
                           Slug{"p-plein-2"},
                           1,
                           Timestamp{1'800'000'000'000},
                           {{Slug{"m-anna"}, Slug{"m-cees"}, Slug{"m-dirk"}}}});
    builder.Add(Role::council_member, "m-dirk",
                VoteRecused{Slug{"v-plein-2"}, Slug{"m-dirk"}, Description{"Mijn broer levert."}});
    const LeafIndex submission = builder.NextIndex();
    const Hash invoice = Sha256Of(std::string_view{"salt|factuur-31"});
    builder.Add(Role::treasurer, "m-cees",
                SpendingSubmitted{Slug{"s-plein-1"}, Slug{"c-plein"}, Cents{200'000},
                                  *ParseDate("2028-01-15"), Title{"Straatwerk BV"}, invoice,
                                  Description{"Bestrating"}});
    builder.Add(Role::council_member, "m-anna",
                SpendingRecorded{Slug{"c-plein"}, Cents{200'000}, *ParseDate("2028-01-15"),
                                 Title{"Straatwerk BV"}, invoice, Description{"Bestrating"},
                                 submission},
                TransferPostings(Commitment("c-plein"), Spent(BudgetCategory::public_space),
                                 Cents{200'000}));
}

//! After the year end: what is left of c-plein (600,000 held, 200,000 spent) goes where its line's
//! year end went, to 2028's public_space line, since the line carries over. Appended last too.
void AddLateRelease(Builder& builder)
{
    builder.Add(Role::treasurer, "m-cees",
                CommitmentReleased{Slug{"c-plein"}, Cents{400'000}, Description{"Plein klaar"}},
                TransferPostings(Commitment("c-plein"),
                                 Line(BudgetCategory::public_space, Year{2028}), Cents{400'000}));
}

//! A second submission, taken back before anyone confirmed it. Appended last too.
void AddWithdrawnSubmission(Builder& builder)
{
    builder.Add(Role::treasurer, "m-cees",
                SpendingSubmitted{Slug{"s-plein-2"}, Slug{"c-plein"}, Cents{150'000},
                                  *ParseDate("2028-02-01"), Title{"Straatwerk BV"},
                                  Sha256Of(std::string_view{"salt|factuur-32"}),
                                  Description{"Tweede termijn"}});
    builder.Add(Role::treasurer, "m-cees",
                SpendingWithdrawn{Slug{"s-plein-2"}, Description{"Dubbel ingevoerd."}});
}

} // namespace

Entry CouncilEntry(const Slug& council, Payload payload, std::vector<Posting> postings)
{
    Entry entry;
    entry.actor = Actor{RolesAllowed(payload).front(), Slug{"actor-1"}};
    entry.recorded_at = *ParseTimestamp("2027-05-01T12:00:00.000Z");
    entry.council = council;
    entry.payload = std::move(payload);
    entry.postings = std::move(postings);
    return entry;
}

std::vector<Posting> TransferPostings(const std::string& from, const std::string& to, Cents amount)
{
    return {Posting{Token{from}, PostingSide::debit, amount, {}, 0},
            Posting{Token{to}, PostingSide::credit, amount, {}, 0}};
}

std::vector<Entry> SampleLedger()
{
    Builder builder;
    AddGovernance(builder);
    AddDecisions(builder);
    AddMoney(builder);
    AddRoundAndAudit(builder);
    AddRecusalAndConfirmedSpending(builder);
    AddLateRelease(builder);
    AddWithdrawnSubmission(builder);
    return builder.Take();
}

Entry SampleOfKind(std::string_view kind)
{
    for (auto& entry : SampleLedger()) {
        if (KindOf(entry) == kind) return entry;
    }
    WB_ASSERT(false && "no sample of this kind");
    return {};
}

} // namespace wijkbudget::testing
