#pragma once
// api/main_common.hpp: what the wijkbudget commands share: settings, the signing key, the
// database. Part of the composition root, so it may include every layer and config.

#include "config/settings.hpp"
#include "ledger/note_key.hpp"

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

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

/** The log's signing key from its file. Refused (CommandError) if the file can be read by
 *  anyone but its owner: a signing key others can read is no longer the log's alone. */
ledger::SignerKey LoadSignerKey(const std::filesystem::path& file);

//! A pool of runtime sessions in the ledger's schema; CommandError if the database is away.
std::shared_ptr<soci::connection_pool> OpenRuntimePool(const config::DatabaseSettings& database,
                                                       std::size_t sessions);

} // namespace wijkbudget::cli
