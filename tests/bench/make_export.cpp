// make_export: writes a valid ledger export of N entries, its signed checkpoint and the log's
// verifier key, for timing wijkbudget-verify (tests/bench/verify_export_bench.sh).
//
// usage: make_export N OUT_DIR  ->  OUT_DIR/export.ndjson, checkpoint.txt, log.vkey
//
// The entries follow the life of a council's money: a grant, a proposal, a roll-call vote
// that creates a commitment, spendings against it and a release, so the verifier replays
// every rule of the book, not one kind of entry over and over.

#include "ledger/account.hpp"
#include "ledger/checkpoint.hpp"
#include "ledger/note_key.hpp"
#include "tests/support/ledger_writer.hpp"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

using namespace wijkbudget::ledger;
using wijkbudget::testing::LedgerWriter;

constexpr std::uint64_t ENTRIES_MAX{100'000'000};
constexpr const char* LOG_NAME{"bench.wijkbudget.example"};
constexpr Year YEAR{2027};
constexpr std::int64_t GRANT_CENTS{10'000'000};
constexpr std::int64_t COMMITMENT_CENTS{100'000};
constexpr std::int64_t SPENDING_CENTS{20'000};
constexpr int SPENDINGS_PER_COMMITMENT{3};

class Generator
{
public:
    Generator(std::uint64_t entries, std::ofstream& out) : m_target{entries}, m_out{out} {}

    void Run()
    {
        for (std::uint64_t cycle = 0; !Done(); ++cycle)
            Cycle(cycle);
    }
    [[nodiscard]] Hash Root() const { return m_writer.Root(); }
    [[nodiscard]] std::uint64_t Size() const { return m_writer.Size(); }

private:
    bool Done() const { return m_writer.Size() >= m_target; }

    void Add(Role role, const std::string& actor, const Slug& council, Payload payload,
             std::vector<Posting> postings = {})
    {
        if (Done()) return;
        Entry entry;
        entry.actor = Actor{role, Slug{actor}};
        entry.recorded_at =
            Timestamp{1'798'761'600'000 + static_cast<std::int64_t>(m_writer.Size()) * 1000};
        entry.council = council;
        entry.payload = std::move(payload);
        entry.postings = std::move(postings);
        m_out << m_writer.Append(entry) << '\n';
    }

    static std::vector<Posting> Transfer(const Account& from, const Account& to, std::int64_t cents)
    {
        return {Posting{Token{AccountName(from)}, PostingSide::debit, Cents{cents}, {}, 0},
                Posting{Token{AccountName(to)}, PostingSide::credit, Cents{cents}, {}, 0}};
    }

    void Council(const Slug& council)
    {
        Add(Role::municipality, "officer-1", council,
            CouncilRegistered{Title{"Wijkraad " + council.value}, Slug{"centrum"}});
        for (const char* member : {"m-1", "m-2", "m-3"}) {
            Add(Role::municipality, "officer-1", council,
                MandateStarted{Slug{member}, Seat::member, *ParseDate("2026-01-01"),
                               *ParseDate("2029-12-31")});
        }
        Add(Role::municipality, "officer-1", council,
            BylawsSet{1, 50, MajorityRule::simple, TieRule::rejected, Cents{5'000'000},
                      Cents{1'000'000}, std::nullopt, 14, std::nullopt});
    }

    void Cycle(std::uint64_t cycle)
    {
        const Slug council{"wijkraad-" + std::to_string(cycle % 29)};
        if (cycle < 29) Council(council);
        const Account line = LineAccount(council, YEAR, BudgetCategory::public_space);
        const std::string id = std::to_string(cycle);
        const Slug proposal{"p-" + id};
        const Slug vote{"v-" + id};
        const Slug commitment{"c-" + id};
        const Account held = CommitmentAccount(council, commitment);
        Add(Role::municipality, "officer-1", council,
            BudgetGranted{YEAR, BudgetCategory::public_space, Cents{GRANT_CENTS},
                          YearEndRule::returns},
            Transfer(PoolAccount(), line, GRANT_CENTS));
        Add(Role::council_member, "m-1", council,
            ProposalSubmitted{proposal,
                              Title{"Voorstel " + id},
                              Description{"Een plan voor de buurt."},
                              Cents{COMMITMENT_CENTS},
                              YEAR,
                              BudgetCategory::public_space,
                              std::nullopt,
                              {}});
        const BoundedList<Slug, ELECTORATE_MAX> electorate{{Slug{"m-1"}, Slug{"m-2"}, Slug{"m-3"}}};
        Add(Role::council_member, "m-1", council,
            VoteOpened{vote, proposal, 1, Timestamp{1'900'000'000'000}, electorate});
        for (const auto& member : electorate.items) {
            Add(Role::council_member, member.value, council,
                VoteCast{vote, member, VoteChoice::in_favour});
        }
        Add(Role::council_member, "m-1", council,
            VoteClosed{vote,
                       proposal,
                       1,
                       electorate,
                       {},
                       3,
                       0,
                       0,
                       true,
                       MajorityRule::simple,
                       TieRule::rejected,
                       DecisionResult::approved,
                       commitment,
                       std::nullopt},
            Transfer(line, held, COMMITMENT_CENTS));
        const Account spent = SpentAccount(council, YEAR, BudgetCategory::public_space);
        for (int spending = 0; spending < SPENDINGS_PER_COMMITMENT; ++spending) {
            Add(Role::treasurer, "m-2", council,
                SpendingRecorded{commitment, Cents{SPENDING_CENTS}, *ParseDate("2027-03-01"),
                                 Title{"Leverancier"},
                                 Sha256Of(id + "/" + std::to_string(spending)),
                                 Description{"Termijn"}, std::nullopt},
                Transfer(held, spent, SPENDING_CENTS));
        }
        const std::int64_t left = COMMITMENT_CENTS - SPENDINGS_PER_COMMITMENT * SPENDING_CENTS;
        Add(Role::treasurer, "m-2", council,
            CommitmentReleased{commitment, Cents{left}, Description{"Afgerond"}},
            Transfer(held, line, left));
    }

    std::uint64_t m_target;
    std::ofstream& m_out;
    LedgerWriter m_writer;
};

int Fail(const std::string& message)
{
    std::fprintf(stderr, "make_export: %s\nusage: make_export N OUT_DIR\n", message.c_str());
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) return Fail("two arguments expected");
    const std::string_view count_text = argv[1];
    std::uint64_t entries = 0;
    const auto [end, error] =
        std::from_chars(count_text.data(), count_text.data() + count_text.size(), entries);
    if (error != std::errc{} || end != count_text.data() + count_text.size() ||
        entries > ENTRIES_MAX) {
        return Fail("N must be a number up to " + std::to_string(ENTRIES_MAX));
    }
    const std::string directory = argv[2];
    std::ofstream out(directory + "/export.ndjson", std::ios::binary);
    if (!out) return Fail("cannot write " + directory + "/export.ndjson");
    Generator generator(entries, out);
    generator.Run();
    out.close();

    auto key_text = GenerateSignerKey(LOG_NAME);
    auto signer =
        key_text ? ParseSignerKey(*key_text) : boost::system::result<SignerKey>(key_text.error());
    if (!signer) return Fail("cannot make a signing key: " + signer.error().message());
    auto note =
        SignCheckpoint(Checkpoint{LOG_NAME, generator.Size(), generator.Root(), {}}, *signer);
    if (!note) return Fail("cannot sign the checkpoint: " + note.error().message());
    std::ofstream(directory + "/checkpoint.txt", std::ios::binary) << *note;
    std::ofstream(directory + "/log.vkey", std::ios::binary)
        << FormatVerifierKey(VerifierKeyOf(*signer)) << '\n';
    return out.good() ? 0 : Fail("write failed");
}
