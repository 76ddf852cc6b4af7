// api/main_codes.cpp: `wijkbudget codes issue` (api/main_codes.hpp).
//
// The order matters. FILE is created (O_EXCL, mode 0600) and written before anything is stored,
// because codes that reach the ledger without reaching the letters would count in the electorate
// while nobody can use them. The hashes are stored next and codes.issued appended last; until
// then the batch admits nobody (services/voting_codes.hpp), so on a refusal FILE is removed and
// nothing counts. A run that ends early (killed, or the database failing at every try of the
// append, api/command_append.hpp) leaves FILE, whose codes may or may not be issued: the command
// never overwrites it, and run again with the same --out it says which, from the codes' digest.
#include "api/main_codes.hpp"

#include "api/command_append.hpp"
#include "api/main_common.hpp"
#include "ledger/hex.hpp"
#include "ledger/round_rules.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/errc.hpp"
#include "services/governance.hpp"
#include "services/pg/pg_voting_codes.hpp"
#include "services/round_service.hpp"
#include "services/rounds.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wijkbudget::cli {
namespace {

//! The largest file of codes this command writes: ROUND_CODES_MAX lines of a printed code.
constexpr std::uintmax_t CODES_FILE_BYTES_MAX{ledger::ROUND_CODES_MAX * 32};
//! The shortest line that holds a code: its symbols (random ones and the check symbol) alone.
constexpr std::size_t CODE_LINE_BYTES_MIN{services::VOTING_CODE_RANDOM_SYMBOLS + 1};

//! The idempotency scope of the command's appends; the key is the batch's digest.
constexpr std::string_view CODES_PRINCIPAL{"codes"};

struct Batch {
    std::vector<std::string> printed; //!< As on the letters: "7KQ2-M9XD-4TVA-RH".
    std::vector<ledger::Hash> hashes; //!< What is stored: services::VotingCodeHash.
};

//! `count` distinct codes from libsodium's CSPRNG. A repeat (65 random bits: practically never)
//! is drawn again, since the store refuses a batch with a hash twice.
Batch MakeBatch(const ledger::Slug& round, std::uint64_t count)
{
    Batch batch;
    std::set<std::string> seen;
    std::array<std::uint8_t, services::VOTING_CODE_RANDOM_BYTES> random{};
    while (batch.printed.size() < count) {
        randombytes_buf(random.data(), random.size());
        std::string printed = services::MakeVotingCode(random);
        const auto canonical = services::CanonicalVotingCode(printed);
        if (!canonical) throw CommandError("codes: made a code that does not read back (a bug)");
        if (!seen.insert(*canonical).second) continue;
        batch.hashes.push_back(services::VotingCodeHash(round, *canonical));
        batch.printed.push_back(std::move(printed));
    }
    sodium_memzero(random.data(), random.size());
    return batch;
}

//! FILE, created for the owner alone; never an existing file (O_EXCL, no symlink followed).
int CreateCodesFile(const std::filesystem::path& out)
{
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          S_IRUSR | S_IWUSR);
    if (fd < 0) {
        throw CommandError("codes: cannot create " + out.string() +
                           (errno == EEXIST ? ": it exists; codes are never overwritten (run "
                                              "again to learn whether its codes are issued)"
                                            : ": " + std::string(std::strerror(errno))));
    }
    return fd;
}

//! Writes every code, one a line, and makes the file durable; false if anything failed.
bool WriteCodes(int fd, const std::vector<std::string>& printed)
{
    std::string text;
    text.reserve(printed.size() * 20);
    for (const std::string& code : printed)
        text += code + "\n";
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t step = ::write(fd, text.data() + written, text.size() - written);
        if (step < 0 && errno == EINTR) continue;
        if (step <= 0) break;
        written += static_cast<std::size_t>(step);
    }
    const bool complete =
        written == text.size() && ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 && ::fsync(fd) == 0;
    sodium_memzero(text.data(), text.size());
    return complete;
}

//! What became of the batch's codes.issued.
struct Appended {
    std::optional<std::uint64_t> index; //!< The entry's index, when it is on the ledger.
    std::string refusal;                //!< Why not, when it is not.
    bool unknown{false};                //!< The database failed at every try: it may be.
};

//! Appends under the batch's key and waits, retrying a database failure (api/command_append.hpp).
Appended Append(ledger::Appender& appender, const ledger::Hash& digest, services::DraftMaker draft)
{
    const std::string key = "codes:" + ledger::ToHex(digest);
    const ledger::AppendRequest request{
        ledger::IdempotencyClaim{std::string(CODES_PRINCIPAL), key,
                                 ledger::Sha256Of(std::string_view{key})},
        std::move(draft),
        [](const boost::system::result<ledger::AppendedEntry, ledger::Failure>& appended) {
            if (appended)
                return ledger::StoredAnswer{201,
                                            std::to_string(appended->sealed.entry.index.value)};
            const auto& failure = appended.error();
            return ledger::StoredAnswer{422, std::string(services::CodeNameOf(failure.code)) +
                                                 " (" + failure.where + ")"};
        },
        std::nullopt,
        /*record_refusal=*/false};
    const auto reply = api::AppendAndWait(appender, request);
    if (!reply) {
        return Appended{std::nullopt, "the sequencer could not write (see above)",
                        reply.error() == ledger::AppendFailure::unavailable};
    }
    if (reply->answer.status != 201) return Appended{std::nullopt, reply->answer.body, false};
    return Appended{std::stoull(reply->answer.body), {}, false};
}

void RequireArguments(const CodesIssueOptions& options)
{
    if (!ledger::SlugRule::Check(options.round))
        throw CommandError("codes: --round must be a round's id (lowercase letters, digits and "
                           "inner hyphens)");
    if (!ledger::SlugRule::Check(options.actor))
        throw CommandError("codes: --actor must be a pseudonymous id (a slug)");
    if (options.count < 1 || options.count > ledger::ROUND_CODES_MAX)
        throw CommandError("codes: --count must be 1.." + std::to_string(ledger::ROUND_CODES_MAX));
}

bool Exists(const std::filesystem::path& file)
{
    std::error_code error;
    return std::filesystem::symlink_status(file, error).type() !=
           std::filesystem::file_type::not_found;
}

/** FILE exists, left by an earlier run that may have failed before or after its codes.issued
 *  was committed (a killed command, a lost connection). It is never overwritten; the refusal
 *  says whether its codes are issued for `round`, by their digest, so that the operator knows
 *  whether to send them or to remove the file and issue again. */
[[noreturn]] void RefuseExistingFile(const std::filesystem::path& out, const ledger::Slug& round,
                                     const services::Rounds& rounds)
{
    const std::string refusal = "codes: " + out.string() + " exists; codes are never overwritten";
    std::error_code error;
    const auto size = std::filesystem::file_size(out, error);
    std::ifstream in{out, std::ios::binary};
    if (error || size > CODES_FILE_BYTES_MAX ||
        std::filesystem::symlink_status(out).type() != std::filesystem::file_type::regular || !in)
        throw CommandError(refusal + ". It is not a file of codes this command wrote: remove it "
                                     "only if you know what it is");
    // The codes themselves, for as long as it takes to hash them for each round (a code's hash
    // depends on its round, and the file may be another round's letters). Short codes live in
    // the vector's own buffer: it is sized once (a code's line has at least CODE_LINE_BYTES_MIN
    // bytes), so that no growth frees an unwiped copy, and it is wiped on every way out.
    std::vector<std::string> codes;
    codes.reserve(std::min<std::size_t>(size / CODE_LINE_BYTES_MIN + 1, ledger::ROUND_CODES_MAX));
    struct Wipe {
        std::vector<std::string>& codes;
        ~Wipe()
        {
            for (std::string& code : codes)
                sodium_memzero(code.data(), code.capacity());
        }
    } wipe{codes};
    std::size_t number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        auto canonical = services::CanonicalVotingCode(line);
        sodium_memzero(line.data(), line.size());
        if (!canonical || codes.size() == ledger::ROUND_CODES_MAX ||
            codes.size() == codes.capacity())
            throw CommandError(refusal + ". Line " + std::to_string(number) +
                               " is no voting code: it is not a file of codes this command "
                               "wrote; remove it only if you know what it is");
        codes.push_back(*canonical);
        sodium_memzero(canonical->data(), canonical->capacity());
    }
    const std::size_t count = codes.size();
    const auto issued_for = [&](const ledger::Slug& candidate) -> std::optional<ledger::Hash> {
        std::vector<ledger::Hash> hashes;
        for (const std::string& code : codes)
            hashes.push_back(services::VotingCodeHash(candidate, code));
        const ledger::Hash digest = services::CodesDigest(std::move(hashes));
        if (count > 0 && rounds.IsBatchIssued(candidate, digest)) return digest;
        return std::nullopt;
    };
    std::string outcome = ". Its " + std::to_string(count) + " codes were never issued for round " +
                          round.value +
                          " nor any other round on the ledger: remove it and issue again";
    if (const auto digest = issued_for(round)) {
        outcome = ". Its " + std::to_string(count) + " codes are issued for round " + round.value +
                  " (codes_digest " + ledger::ToHex(*digest) +
                  "): send them; to issue more, name another file";
    } else {
        for (const services::RoundSummary& other : rounds.List()) {
            if (other.opened.round == round) continue;
            if (const auto other_digest = issued_for(other.opened.round)) {
                // Removing them would lose another round's letters for good: only their hashes
                // are stored.
                outcome = ". Its " + std::to_string(count) + " codes are issued for round " +
                          other.opened.round.value + ", not " + round.value + " (codes_digest " +
                          ledger::ToHex(*other_digest) +
                          "): keep it for that round, and name another file for round " +
                          round.value;
                break;
            }
        }
    }
    throw CommandError(refusal + outcome);
}

//! The round, found on the ledger and still before its opening: a clear refusal otherwise,
//! before any code exists. The sequencer decides again when the entry is appended.
void RequireUpcomingRound(const services::Rounds& rounds, const ledger::Slug& round,
                          ledger::Timestamp now)
{
    const auto found = rounds.FindRound(round);
    if (!found) throw CommandError("codes: the ledger has no round " + round.value);
    if (found->Closed() || now >= found->opened.opens_at) {
        throw CommandError("codes: round " + round.value + " opened at " +
                           ledger::FormatTimestamp(found->opened.opens_at) +
                           "; codes are issued before voting starts");
    }
}

} // namespace

CLI::App* AddCodesCommand(CLI::App& app, CodesIssueOptions& options)
{
    auto* codes = app.add_subcommand("codes", "residents' one-time voting codes");
    codes->require_subcommand(1);
    auto* issue = codes->add_subcommand(
        "issue", "make voting codes for a round before it opens; only their hashes are stored");
    issue->add_option("--round", options.round, "the round's id")->required();
    issue
        ->add_option("--count", options.count,
                     "how many codes (1.." + std::to_string(ledger::ROUND_CODES_MAX) + ")")
        ->required()
        ->check(DecimalNumber());
    issue->add_option("--out", options.out, "file to create (mode 0600), one code a line")
        ->required();
    issue
        ->add_option("--actor", options.actor,
                     "the municipality officer's pseudonymous id on the ledger")
        ->capture_default_str();
    return issue;
}

int RunCodesIssue(const CodesIssueOptions& options)
{
    RequireArguments(options);
    const ledger::Slug round{options.round};
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    if (sodium_init() < 0) throw CommandError("codes: libsodium has no random source");
    auto pool = OpenRuntimePool(settings.database, 1);
    services::pg::PgVotingCodes store{*pool};
    services::CouncilRegistry registry;
    services::Governance governance;
    services::Rounds rounds;
    services::SystemClock clock;
    const auto sequencer =
        StartCommandSequencer(settings, {&registry, &governance, &rounds}, "sequencer");
    if (Exists(options.out)) RefuseExistingFile(options.out, round, rounds);
    // As the use case reckons: never before the ledger's last entry.
    RequireUpcomingRound(
        rounds, round,
        std::max({clock.Now(), registry.LastRecordedAt(), governance.LastRecordedAt()}));

    const int fd = CreateCodesFile(options.out);
    Batch batch = MakeBatch(round, options.count);
    const bool written = WriteCodes(fd, batch.printed);
    ::close(fd);
    for (std::string& code : batch.printed)
        sodium_memzero(code.data(), code.size());
    const auto fail = [&options](const std::string& why) {
        std::filesystem::remove(options.out);
        return CommandError("codes: " + why + "; nothing was issued and " + options.out.string() +
                            " is removed");
    };
    if (!written) throw fail("could not write " + options.out.string());

    services::RoundService service{registry, governance, rounds, store, clock};
    const services::Principal municipality{std::string(CODES_PRINCIPAL), ledger::Role::municipality,
                                           ledger::Slug{options.actor}, std::nullopt};
    auto draft = service.IssueCodes(municipality, round, batch.hashes);
    if (!draft) {
        throw fail(std::string(services::CodeNameOf(draft.error().code)) + " (" +
                   draft.error().where + ")");
    }
    const auto appended =
        Append(*sequencer, services::CodesDigest(batch.hashes), std::move(*draft));
    sequencer->Stop();
    if (appended.unknown) {
        // The codes may count: FILE stays, and the operator can tell from the round's batches.
        throw CommandError(
            "codes: " + appended.refusal + ", " + std::to_string(api::COMMAND_APPEND_TRIES_MAX) +
            " times; whether codes.issued was stored is unknown, so " + options.out.string() +
            " is kept. Once the database answers, run the same command again: it says whether "
            "the file's codes are issued (codes_digest " +
            ledger::ToHex(services::CodesDigest(batch.hashes)) + ")");
    }
    if (!appended.index) throw fail(appended.refusal);
    std::cout << "codes: " << options.count << " codes for round " << round.value << " written to "
              << options.out.string() << "; codes.issued is ledger entry " << *appended.index
              << "\n";
    return 0;
}

} // namespace wijkbudget::cli
