// api/main_round_import.cpp: `wijkbudget round import`.
#include "api/main_round_import.hpp"

#include "api/main_common.hpp"
#include "api/main_demo_decisions.hpp"
#include "ledger/hex.hpp"
#include "ledger/pg/pg_sequencer.hpp"
#include "ledger/round_rules.hpp"
#include "pb/csv_records.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/governance.hpp"
#include "services/pg/pg_voting_codes.hpp"
#include "services/rounds.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

namespace wijkbudget::cli {
namespace {

//! The importing officer, as the ledger names them.

template <class T>
T Checked(const std::string& text, std::string_view what)
{
    if (text.size() > T::RuleType::BYTES_MAX || !T::RuleType::Check(text)) {
        throw CommandError("round import: invalid " + std::string(what) + ": " + text);
    }
    return T{text};
}

ledger::Timestamp MomentOf(const std::string& text, std::string_view what)
{
    auto moment = ledger::ParseTimestamp(text);
    if (!moment) {
        throw CommandError("round import: " + std::string(what) +
                           " must be like 2026-10-01T00:00:00.000Z, not " + text);
    }
    return *moment;
}

//! Hashes no code has, one per member of the electorate who did not vote.
ledger::Hash NonVoterHash(const ledger::Slug& round, std::uint64_t number)
{
    return services::RoundLabelledHash("wijkbudget imported non-voter v1", round,
                                       std::to_string(number));
}

std::string ReadFileBounded(const std::filesystem::path& file)
{
    std::ifstream in{file, std::ios::binary};
    if (!in) throw CommandError("round import: cannot read " + file.string());
    std::string text;
    text.resize(pb::FILE_BYTES_MAX + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > pb::FILE_BYTES_MAX) throw CommandError("round import: file too large");
    return text;
}

} // namespace

namespace {

services::PastRound PastRoundOf(const std::string& text, const std::filesystem::path& file,
                                const services::PastRoundSettings& settings)
{
    auto past = services::ReadPastRound(text, settings);
    if (!past) throw CommandError("round import: " + file.string() + ": " + past.error().where);
    return std::move(*past);
}

//! What a run was given: the file's bytes and every option that shapes an entry, each with its
//! length, so that no two different inputs give one digest.
ledger::Hash InputDigest(const std::string& text, const RoundImportOptions& options)
{
    std::string input;
    const auto add = [&input](std::string_view part) {
        input += std::to_string(part.size()) + ":";
        input += part;
    };
    for (const std::string& part :
         {text, options.id, options.title, options.council, options.district,
          std::to_string(options.year), options.category, options.opens_at, options.closes_at,
          // The option's text, as before the file's rule became the default (then it was
          // "equal_shares"): an import begun then, without --rule, completes. The rule used
          // follows from the file's bytes and this text.
          options.rule.empty() ? std::string{"equal_shares"} : options.rule,
          std::to_string(options.min_turnout),
          options.electorate ? std::to_string(*options.electorate) : std::string{}})
        add(part);
    return ledger::Sha256Of(std::string_view{input});
}

} // namespace

services::PastRound ReadPastRoundFile(const std::filesystem::path& file,
                                      const services::PastRoundSettings& settings)
{
    return PastRoundOf(ReadFileBounded(file), file, settings);
}

services::PastRoundSettings PastRoundSettingsOf(const RoundImportOptions& options)
{
    services::PastRoundSettings settings;
    settings.id = Checked<ledger::Slug>(options.id, "--id");
    settings.title = Checked<ledger::Title>(options.title, "--title");
    settings.district = Checked<ledger::Slug>(options.district, "--district");
    if (options.year < ledger::YEAR_MIN || options.year > ledger::YEAR_MAX) {
        throw CommandError("round import: --year out of range");
    }
    settings.year = ledger::Year{options.year};
    auto category = ledger::EnumFromSpelling<ledger::BudgetCategory>(options.category);
    if (!category) throw CommandError("round import: unknown --category " + options.category);
    settings.category = *category;
    settings.opens_at = MomentOf(options.opens_at, "--opens-at");
    settings.closes_at = MomentOf(options.closes_at, "--closes-at");
    if (!options.rule.empty()) {
        auto rule = ledger::EnumFromSpelling<ledger::RoundRule>(options.rule);
        if (!rule) throw CommandError("round import: --rule is greedy or equal_shares");
        settings.rule = *rule;
    }
    if (options.min_turnout < 0 || options.min_turnout > 100) {
        throw CommandError("round import: --min-turnout is 0..100");
    }
    settings.min_turnout_percent = static_cast<std::uint64_t>(options.min_turnout);
    return settings;
}

std::size_t ImportPastRound(ledger::Appender& appender, services::RoundService& rounds,
                            const ledger::Slug& council, const services::PastRound& past,
                            std::optional<std::uint64_t> electorate,
                            const std::optional<ledger::Hash>& input)
{
    const services::Principal officer{"import", ledger::Role::municipality,
                                      ledger::Slug{std::string(IMPORT_ACTOR)}, std::nullopt};
    const ledger::Slug& id = past.opening.id;
    const std::string prefix = "round-import:" + id.value + ":";
    const auto unwrap = [&](services::RoundService::Drafted drafted) {
        if (!drafted) throw CommandError("round import: " + drafted.error().Describe());
        return std::move(*drafted);
    };
    // Checked before anything is appended: an opened round holds its budget line's money.
    const std::uint64_t voters = past.ballots.size();
    const std::uint64_t codes = electorate.value_or(voters);
    if (codes < voters || codes == 0 || codes > ledger::ROUND_CODES_MAX) {
        throw CommandError("round import: --electorate must be at least the " +
                           std::to_string(voters) + " ballots (and 1), at most " +
                           std::to_string(ledger::ROUND_CODES_MAX));
    }
    AppendDemoEntry(appender, prefix + "opened",
                    unwrap(rounds.OpenPast(officer, council, past.opening)), input);

    std::vector<ledger::Hash> hashes;
    for (const auto& ballot : past.ballots)
        hashes.push_back(ballot.nullifier);
    for (std::uint64_t number = voters; number < codes; ++number)
        hashes.push_back(NonVoterHash(id, number));
    // Under its key, a second run replays the batch's codes.issued; the store takes it again.
    AppendDemoEntry(appender, prefix + "codes", unwrap(rounds.IssueCodes(officer, id, hashes)),
                    input);
    for (std::size_t number = 0; number < past.ballots.size(); ++number) {
        AppendDemoEntry(appender, prefix + "ballot:" + std::to_string(number),
                        unwrap(rounds.RecordPastBallot(officer, id, past.ballots[number])), input);
    }
    AppendDemoEntry(appender, prefix + "closed", unwrap(rounds.Close(officer, id)), input);
    return past.ballots.size();
}

int RunRoundImport(const RoundImportOptions& options)
{
    const services::PastRoundSettings settings = PastRoundSettingsOf(options);
    const ledger::Slug council = Checked<ledger::Slug>(options.council, "--council");
    const std::string text = ReadFileBounded(options.file);
    const services::PastRound past = PastRoundOf(text, options.file, settings);
    const config::Settings config = LoadSettingsOrThrow(options.config);
    auto pool = OpenRuntimePool(config.database, 1);
    services::pg::PgVotingCodes codes{*pool};
    services::CouncilRegistry registry;
    services::Governance governance;
    services::Rounds rounds;
    services::SystemClock clock;
    const auto started =
        StartCommandSequencer(config, {&registry, &governance, &rounds}, "round import");
    services::RoundService service{registry, governance, rounds, codes, clock};
    const std::size_t ballots = ImportPastRound(*started, service, council, past,
                                                options.electorate, InputDigest(text, options));
    started->Stop();
    const auto closed = rounds.FindRound(settings.id);
    std::cout << "round import: " << settings.id.value << ": " << ballots << " ballots, "
              << (closed && closed->closed ? closed->closed->winners.items.size() : 0)
              << " projects funded, "
              << (closed && closed->closed && closed->closed->binding ? "binding" : "advisory")
              << "\n";
    return 0;
}

} // namespace wijkbudget::cli
