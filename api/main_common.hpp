#pragma once
// api/main_common.hpp: what the wijkbudget commands share: settings, the signing key, the
// database. Part of the composition root, so it may include every layer and config.

#include "config/settings.hpp"
#include "ledger/append.hpp"
#include "ledger/note_key.hpp"
#include "ledger/pg/pg_sequencer.hpp"

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace soci {
class connection_pool;
}

namespace wijkbudget::cli {

//! A failure that ends a command: printed as "wijkbudget: <message>", exit status 1.
class CommandError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

//! Settings from the file and WIJKBUDGET_* variables; CommandError naming the bad key.
config::Settings LoadSettingsOrThrow(const std::filesystem::path& file);

/** Refuses (CommandError, "chmod 600 it") a private key file that is missing or readable by
 *  anyone but its owner: what others can read is no longer the server's alone. */
void RequirePrivateFile(const std::filesystem::path& file, std::string_view what);

/** The log's signing key from its file. Refused (CommandError) if the file can be read by
 *  anyone but its owner: a signing key others can read is no longer the log's alone. */
ledger::SignerKey LoadSignerKey(const std::filesystem::path& file);

/** A pool of runtime sessions in the ledger's schema; CommandError if the database is away or the
 *  schema lacks one of this binary's migrations. */
std::shared_ptr<soci::connection_pool> OpenRuntimePool(const config::DatabaseSettings& database,
                                                       std::size_t sessions);

/** The ledger's sequencer for a command (demo, rebuild-projections): the stored ledger replayed
 *  through the Sealer and `observers`, the signing key from the settings. CommandError, naming
 *  `purpose`, when it cannot start. */
std::unique_ptr<ledger::pg::PgSequencer>
StartCommandSequencer(const config::Settings& settings,
                      std::vector<ledger::EntryObserver*> observers, std::string_view purpose);

/** The check of every whole-number option. CLI11 (2.1, Debian 12's) reads integers as C's
 * strtoll in base 0, so `--min-turnout 020` would be 16 and `--count 0x10` 16: figures that end up
 * on the ledger for good. An operator's number is decimal: this refuses anything but decimal
 * digits, with no sign and no leading zero. */
const CLI::Validator& DecimalNumber();

} // namespace wijkbudget::cli
