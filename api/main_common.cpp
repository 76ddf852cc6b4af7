#include "api/main_common.hpp"

#include "ledger/pg/connection.hpp"
#include "ledger/pg/migrations.hpp"

#include <openssl/crypto.h>
#include <soci/soci.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <variant>

namespace wijkbudget::cli {
namespace {

//! A signer key is one line of about 100 bytes; anything much longer is not one.
constexpr std::uintmax_t SIGNER_KEY_FILE_BYTES_MAX{4096};

/** Refuses a schema that lacks a migration this binary needs, before a command meets a missing
 *  table or column and can only say that the storage failed. */
void RequireMigratedSchema(soci::connection_pool& pool, const std::string& schema)
{
    soci::session session{pool};
    auto missing = ledger::pg::MissingMigrations(session, schema);
    if (!missing) throw CommandError("database (runtime role): " + missing.error().Describe());
    if (missing->empty()) return;
    const std::string remedy = ": run `wijkbudget migrate` with the same settings first";
    if (missing->size() == ledger::pg::EmbeddedMigrations().size())
        throw CommandError("database schema " + schema + " has not been migrated" + remedy);
    std::string names;
    for (const ledger::pg::Migration& migration : *missing)
        names.append(names.empty() ? "" : ", ").append(migration.name);
    throw CommandError("database schema " + schema + " lacks " +
                       (missing->size() == 1 ? "migration " : "migrations ") + names + remedy);
}

} // namespace

config::Settings LoadSettingsOrThrow(const std::filesystem::path& file)
{
    auto loaded = config::LoadSettings(file, config::WijkbudgetEnvironment());
    if (const auto* error = std::get_if<config::SettingsError>(&loaded))
        throw CommandError("settings " + file.string() + ": " + error->where + ": " +
                           error->message);
    return std::get<config::Settings>(std::move(loaded));
}

void RequirePrivateFile(const std::filesystem::path& file, std::string_view what)
{
    std::error_code error;
    const auto status = std::filesystem::status(file, error);
    // A folder on the way that this user may not enter is not "no such file": say what it is.
    if (error && error != std::errc::no_such_file_or_directory)
        throw CommandError(std::string(what) + " " + file.string() + ": " + error.message());
    if (error || !std::filesystem::is_regular_file(status))
        throw CommandError(std::string(what) + " " + file.string() + ": no such file");
    using std::filesystem::perms;
    if ((status.permissions() & (perms::group_all | perms::others_all)) != perms::none)
        throw CommandError(std::string(what) + " " + file.string() +
                           ": readable by others; chmod 600 it");
}

ledger::SignerKey LoadSignerKey(const std::filesystem::path& file)
{
    RequirePrivateFile(file, "signing key");
    std::error_code error;
    if (std::filesystem::file_size(file, error) > SIGNER_KEY_FILE_BYTES_MAX || error)
        throw CommandError("signing key " + file.string() + ": too large to be a key");
    std::ifstream in{file};
    // Private to another user (mode 0600, owner root): unreadable is not "not a signer key",
    // which would invite making a new key, and every checkpoint signed before would stop
    // verifying against it.
    if (!in.is_open())
        throw CommandError("signing key " + file.string() + ": cannot read it (" +
                           std::strerror(errno) + ")");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        OPENSSL_cleanse(text.data(), text.size());
        throw CommandError("signing key " + file.string() + ": cannot read it");
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    auto key = ledger::ParseSignerKey(text);
    OPENSSL_cleanse(text.data(), text.size());
    if (!key)
        throw CommandError("signing key " + file.string() + ": not a signer key (" +
                           key.error().message() + ")");
    return std::move(*key);
}

// A pool_size the settings accept must be one OpenPool opens: a larger one failed its assertion.
static_assert(static_cast<std::size_t>(config::DATABASE_POOL_SIZE_MAX) ==
              ledger::pg::POOL_SESSIONS_MAX);

std::shared_ptr<soci::connection_pool> OpenRuntimePool(const config::DatabaseSettings& database,
                                                       std::size_t sessions)
{
    auto pool = ledger::pg::OpenPool(database.runtime_dsn, database.schema, sessions);
    if (!pool) throw CommandError("database (runtime role): " + pool.error().Describe());
    RequireMigratedSchema(**pool, database.schema);
    return std::shared_ptr<soci::connection_pool>(std::move(*pool));
}

std::unique_ptr<ledger::pg::PgSequencer>
StartCommandSequencer(const config::Settings& settings,
                      std::vector<ledger::EntryObserver*> observers, std::string_view purpose)
{
    ledger::pg::SequencerOptions options;
    options.dsn = settings.database.runtime_dsn;
    options.schema = settings.database.schema;
    options.signer =
        std::make_shared<const ledger::SignerKey>(LoadSignerKey(settings.ledger.signing_key_file));
    options.observers = std::move(observers);
    auto started = ledger::pg::PgSequencer::Start(std::move(options));
    if (!started) throw CommandError(std::string(purpose) + ": " + started.error().Describe());
    return std::move(*started);
}

const CLI::Validator& DecimalNumber()
{
    static const CLI::Validator decimal{
        [](std::string& text) -> std::string {
            const bool digits =
                !text.empty() && std::all_of(text.begin(), text.end(), [](char character) {
                    return character >= '0' && character <= '9';
                });
            if (digits && (text.size() == 1 || text.front() != '0')) return {};
            return "must be a decimal number without sign or leading zero, not " + text;
        },
        "DECIMAL"};
    return decimal;
}

} // namespace wijkbudget::cli
