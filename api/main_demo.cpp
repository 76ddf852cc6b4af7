// api/main_demo.cpp: `wijkbudget demo`: the municipality of Haarlem, its five districts, the 29
// councils of the 2019 city conversations (demo/haarlem/), each council's 2027 grants, and two
// councils' decisions (api/main_demo_decisions.hpp).
//
// Every write goes through the sequencer like any request, under an Idempotency-Key of its own,
// so running the demo again changes nothing and a half-finished run completes.
#include "api/main_demo.hpp"

#include "api/command_append.hpp"
#include "api/main_common.hpp"
#include "api/main_demo_decisions.hpp"
#include "api/main_round_import.hpp"
#include "ledger/hex.hpp"
#include "ledger/pg/pg_sequencer.hpp"
#include "services/council_registry.hpp"
#include "services/councils.hpp"
#include "services/governance.hpp"
#include "services/pg/pg_district_directory.hpp"
#include "services/pg/pg_member_names.hpp"
#include "services/pg/pg_voting_codes.hpp"
#include "services/rounds.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <vector>

namespace wijkbudget::cli {
namespace {

//! The demo's files are small; a line or a file beyond these is not ours.
constexpr std::size_t DEMO_LINE_BYTES_MAX{512};
constexpr std::size_t DEMO_ROWS_MAX{1000};
constexpr ledger::Year DEMO_YEAR{2027};
//! Each council's 2027 grants, in cents: a plausible split of a neighbourhood budget.
constexpr std::array DEMO_GRANTS{
    std::pair{ledger::BudgetCategory::public_space, ledger::Cents{1'500'000}},
    std::pair{ledger::BudgetCategory::social, ledger::Cents{800'000}},
    std::pair{ledger::BudgetCategory::initiatives, ledger::Cents{500'000}},
    std::pair{ledger::BudgetCategory::operations, ledger::Cents{200'000}},
};
//! The demo's past round: its .pb file in the data folder, electorate and minimum turnout.
constexpr std::string_view DEMO_ROUND_FILE{"bewonersbudget-binnenstad-2026.pb"};
constexpr std::uint64_t DEMO_ROUND_ELECTORATE{200};
constexpr int DEMO_ROUND_MIN_TURNOUT_PERCENT{20};
//! The demo acts as the municipality's officer; the ledger names this pseudonymous actor.
constexpr std::string_view DEMO_ACTOR{"gemeente-haarlem"};

//! A row of a CSV file and the line it stands on, for the messages.
struct CsvRow {
    std::size_t line{0};
    std::vector<std::string> fields;
};

//! Rows of a CSV file with a known header; fields hold no commas or quotes (ours do not).
std::vector<CsvRow> ReadCsv(const std::filesystem::path& file, std::string_view header,
                            std::size_t columns)
{
    std::ifstream in{file};
    if (!in) throw CommandError("demo: cannot read " + file.string());
    std::string line;
    if (!std::getline(in, line) || line != header)
        throw CommandError("demo: " + file.string() + ": the first line must be " +
                           std::string(header));
    std::vector<CsvRow> rows;
    for (std::size_t number = 2; std::getline(in, line); ++number) {
        if (line.empty()) continue;
        if (line.size() > DEMO_LINE_BYTES_MAX || rows.size() >= DEMO_ROWS_MAX)
            throw CommandError("demo: " + file.string() + ": too large at line " +
                               std::to_string(number));
        std::vector<std::string> fields;
        std::stringstream stream{line};
        for (std::string field; std::getline(stream, field, ',');)
            fields.push_back(field);
        if (fields.size() != columns)
            throw CommandError("demo: " + file.string() + ":" + std::to_string(number) +
                               ": expected " + std::to_string(columns) + " fields");
        rows.push_back(CsvRow{number, std::move(fields)});
    }
    return rows;
}

//! Field `column` of `row` as a T, by the rule and limit the ledger reads it with.
template <class T>
T Checked(const CsvRow& row, std::size_t column, const std::filesystem::path& file)
{
    const std::string& text = row.fields.at(column);
    if (text.size() > T::RuleType::BYTES_MAX || !T::RuleType::Check(text))
        throw CommandError("demo: " + file.string() + ":" + std::to_string(row.line) +
                           ": invalid value " + text);
    return T{text};
}

[[noreturn]] void RefuseRow(const std::filesystem::path& file, const CsvRow& row,
                            const std::string& why)
{
    throw CommandError("demo: " + file.string() + ":" + std::to_string(row.line) + ": " + why);
}

//! Every district of the file, checked (values, no id twice) before anything is written.
std::vector<services::District> ReadDistricts(const std::filesystem::path& file)
{
    std::vector<services::District> districts;
    std::set<std::string> seen;
    for (const CsvRow& row : ReadCsv(file, "slug,name", 2)) {
        services::District district{Checked<ledger::Slug>(row, 0, file),
                                    Checked<ledger::Title>(row, 1, file)};
        if (!seen.insert(district.slug.value).second)
            RefuseRow(file, row, "district " + district.slug.value + " is listed twice");
        districts.push_back(std::move(district));
    }
    return districts;
}

/** Every council of the file, checked before anything is written: values, no id twice, and a
 *  district among `districts`. A bad row found halfway would leave the councils before it on the
 *  ledger for good. */
std::vector<services::CouncilRegistration>
ReadCouncils(const std::filesystem::path& file, const std::vector<services::District>& districts)
{
    std::vector<services::CouncilRegistration> councils;
    std::set<std::string> seen;
    for (const CsvRow& row : ReadCsv(file, "slug,name,district", 3)) {
        services::CouncilRegistration council{Checked<ledger::Slug>(row, 0, file),
                                              Checked<ledger::Title>(row, 1, file),
                                              Checked<ledger::Slug>(row, 2, file)};
        if (!seen.insert(council.id.value).second)
            RefuseRow(file, row, "council " + council.id.value + " is listed twice");
        const bool known = std::any_of(districts.begin(), districts.end(),
                                       [&](const auto& d) { return d.slug == council.district; });
        if (!known)
            RefuseRow(file, row,
                      "district " + council.district.value + " is not in the districts' file");
        councils.push_back(std::move(council));
    }
    return councils;
}

} // namespace

void AppendDemoEntry(ledger::Appender& appender, const std::string& key, services::DraftMaker draft,
                     const std::optional<ledger::Hash>& input)
{
    const std::string request = input ? key + "\n" + ledger::ToHex(*input) : key;
    const ledger::AppendRequest request_to_append{
        ledger::IdempotencyClaim{"demo", key, ledger::Sha256Of(std::string_view{request})},
        std::move(draft),
        [](const boost::system::result<ledger::AppendedEntry, ledger::Failure>& appended) {
            if (appended) return ledger::StoredAnswer{201, "{}"};
            return ledger::StoredAnswer{422, appended.error().Describe()};
        },
        std::nullopt,
        /*record_refusal=*/false};
    const auto reply = api::AppendAndWait(appender, request_to_append);
    if (!reply && reply.error() == ledger::AppendFailure::key_reused) {
        throw CommandError(key + ": recorded before from other input; the ledger keeps what " +
                           "that run recorded, and nothing of this run's input was appended");
    }
    if (!reply) throw CommandError(key + ": the sequencer could not write (see above)");
    if (reply->answer.status != 201) throw CommandError(key + ": " + reply->answer.body);
}

namespace {

//! The councils that get decisions must be among those the demo registers.
void RequireDecidingCouncils(const std::vector<services::CouncilRegistration>& councils,
                             const std::filesystem::path& councils_file)
{
    for (const std::string_view council : {DEMO_DECIDING_COUNCIL_A, DEMO_DECIDING_COUNCIL_B}) {
        const bool listed = std::any_of(councils.begin(), councils.end(),
                                        [&](const auto& row) { return row.id.value == council; });
        if (!listed)
            throw CommandError("demo: " + councils_file.string() + " lacks council " +
                               std::string(council) + ", which the demo's decisions need");
    }
}

//! A past residents' round of the Binnenstad council, 2026: 60 ballots out of 200 codes.
RoundImportOptions DemoRoundOptions(const std::filesystem::path& file)
{
    RoundImportOptions options;
    options.file = file;
    options.id = "binnenstad-2026";
    options.title = "Bewonersbudget Binnenstad 2026";
    options.council = "binnenstad";
    options.district = "centrum";
    options.year = DEMO_YEAR.value;
    options.opens_at = "2026-10-01T00:00:00.000Z";
    options.closes_at = "2026-10-31T23:00:00.000Z";
    options.min_turnout = DEMO_ROUND_MIN_TURNOUT_PERCENT;
    return options;
}

/** The demo's councils, grants and decisions are fiction; once on a ledger, they stay there for
 *  good. So the demo runs on an empty ledger, or one it loaded before (a rerun completes it), and
 *  never on a ledger that holds anything else. Its own claims' keys open with "demo:" (round
 *  import claims under the same principal, with keys of its own). */
void RequireDemoLedger(soci::connection_pool& pool)
{
    std::int64_t entries = 0;
    int demo_claims = 0;
    try {
        soci::session sql{pool};
        sql << "SELECT (SELECT count(*) FROM entries), "
               "(SELECT count(*) FROM (SELECT 1 FROM idempotency_records "
               "WHERE principal = 'demo' AND key LIKE 'demo:%' LIMIT 1) AS demo)",
            soci::into(entries), soci::into(demo_claims);
    } catch (const soci::soci_error& error) {
        throw CommandError(std::string("demo: reading the ledger: ") + error.what());
    }
    if (entries > 0 && demo_claims == 0) {
        throw CommandError("demo: the ledger holds " + std::to_string(entries) +
                           " entries that the demo did not write; its fictional councils and "
                           "grants would stay on it for good. Run the demo on a fresh database.");
    }
}

} // namespace

int RunDemo(const DemoOptions& options)
{
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    const auto districts_file = options.data / "haarlem-districts.csv";
    const auto councils_file = options.data / "haarlem-councils.csv";
    const auto district_list = ReadDistricts(districts_file);
    const auto council_list = ReadCouncils(councils_file, district_list);
    RequireDecidingCouncils(council_list, councils_file);
    // Read before anything is written, so that a missing or broken file changes nothing.
    const RoundImportOptions round_options = DemoRoundOptions(options.data / DEMO_ROUND_FILE);
    const services::PastRound past_round =
        ReadPastRoundFile(round_options.file, PastRoundSettingsOf(round_options));

    auto pool = OpenRuntimePool(settings.database, 1);
    RequireDemoLedger(*pool);
    services::pg::PgMemberNames names{*pool};
    services::CouncilRegistry registry;
    services::Governance governance;
    services::SystemClock clock;
    services::Rounds rounds;
    // Before any write: a missing or unreadable signing key stops it here, with nothing written.
    const auto started =
        StartCommandSequencer(settings, {&registry, &governance, &rounds}, "sequencer");
    ledger::pg::PgSequencer& sequencer = *started;
    services::pg::PgDistrictDirectory districts{*pool};
    for (const services::District& district : district_list) {
        if (auto put = districts.Put(district); !put)
            throw CommandError("demo: districts: " + put.error().message());
    }

    services::CouncilService councils{registry, districts, clock};
    const services::Principal municipality{"demo", ledger::Role::municipality,
                                           ledger::Slug{std::string(DEMO_ACTOR)}, std::nullopt};
    for (services::CouncilRegistration registration : council_list) {
        const ledger::Slug id = registration.id;
        AppendDemoEntry(sequencer, "demo:council:" + id.value,
                        *councils.Register(municipality, std::move(registration)));
        for (const auto& [category, amount] : DEMO_GRANTS) {
            const std::string key = "demo:grant:" + id.value + ":" +
                                    std::to_string(DEMO_YEAR.value) + ":" +
                                    std::string(ledger::SpellingOf(category));
            AppendDemoEntry(sequencer, key,
                            *councils.Grant(municipality, id, {DEMO_YEAR, category, amount}));
        }
    }
    services::DecisionService decisions{registry, governance, clock};
    LoadDemoDecisions(sequencer, decisions, governance, names);
    services::pg::PgVotingCodes codes{*pool};
    services::RoundService round_service{registry, governance, rounds, codes, clock};
    ImportPastRound(sequencer, round_service, ledger::Slug{round_options.council}, past_round,
                    DEMO_ROUND_ELECTORATE);
    sequencer.Stop();
    std::cout << "demo: " << district_list.size() << " districts, " << council_list.size()
              << " councils with " << DEMO_GRANTS.size() << " grants each for " << DEMO_YEAR.value
              << ", a residents' round, decisions in " << DEMO_DECIDING_COUNCIL_A << " and "
              << DEMO_DECIDING_COUNCIL_B << "; the ledger holds " << sequencer.Size()
              << " entries\n";
    return 0;
}

} // namespace wijkbudget::cli
