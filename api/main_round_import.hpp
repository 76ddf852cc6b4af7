#pragma once
// api/main_round_import.hpp: `wijkbudget round import FILE.pb ...`: a past election from a Pabulib
// file recorded as a round of a district, on a council of that district (issue 6, "rounds can be
// created from a .pb file for testing and for migrating past elections"). The demo imports one.

#include "ledger/append.hpp"
#include "services/round_import.hpp"
#include "services/round_service.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::cli {

/** The municipality's actor of every round import: only it closes an imported round (after its
 *  last ballot). No token or login may take this id (token create, account create refuse it),
 *  or its holder could close an import halfway, and the partial count would stand for good. */
inline constexpr std::string_view IMPORT_ACTOR{"gemeente-import"};

struct RoundImportOptions {
    std::filesystem::path config;
    std::filesystem::path file;
    std::string id;
    std::string title;
    std::string council;
    std::string district;
    int year{0};
    std::string category{"initiatives"};
    std::string opens_at;  //!< RFC 3339 UTC, e.g. 2026-10-01T00:00:00.000Z
    std::string closes_at; //!< idem; must have passed
    std::string rule;      //!< Empty: the rule the file's META names (PastRoundSettings::rule).
    int min_turnout{0};
    //! Codes the electorate held (at least the ballots); the ballots' number when absent.
    std::optional<std::uint64_t> electorate;
};

//! The past round a .pb file (at most pb::FILE_BYTES_MAX) describes; CommandError naming the
//! file and the line when it cannot be read or is no round.
services::PastRound ReadPastRoundFile(const std::filesystem::path& file,
                                      const services::PastRoundSettings& settings);

//! The settings the options name; CommandError on a value out of its type's range.
services::PastRoundSettings PastRoundSettingsOf(const RoundImportOptions& options);

/**
 * Records the past round: opened, its electorate as one batch of codes (the voters' nullifiers and,
 * for who did not vote, hashes no code has), every ballot, then the close. Each entry under an
 * Idempotency-Key of its own, so a second run changes nothing and a broken run completes. With
 * `input` (the digest of the command's file and options), a run with other input under the same
 * round id is refused at its first entry (CommandError) instead of replayed. Returns the number
 * of ballots recorded.
 */
std::size_t ImportPastRound(ledger::Appender& appender, services::RoundService& rounds,
                            const ledger::Slug& council, const services::PastRound& past,
                            std::optional<std::uint64_t> electorate,
                            const std::optional<ledger::Hash>& input = std::nullopt);

int RunRoundImport(const RoundImportOptions& options);

} // namespace wijkbudget::cli
