// api/main_admin.cpp: the operators' commands: migrate, keygen, token, account.
#include "api/main_admin.hpp"

#include "api/main_common.hpp"
#include "api/main_round_import.hpp"
#include "ledger/pg/connection.hpp"
#include "ledger/pg/migrations.hpp"
#include "ledger/values.hpp"
#include "services/clock.hpp"
#include "services/pg/pg_credential_store.hpp"
#include "services/pg/pg_registered_councils.hpp"

#include <openssl/crypto.h>
#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace wijkbudget::cli {
namespace {

ledger::Role ParseRole(const std::string& text)
{
    const auto role = ledger::EnumFromSpelling<ledger::Role>(text);
    if (!role || *role == ledger::Role::system || *role == ledger::Role::resident) {
        throw CommandError("--role must be one of council_member, treasurer, municipality, auditor "
                           "(residents need no token; system is the service itself)");
    }
    return *role;
}

//! `name_option`: the option that gave `name` on this command (--name, --member), for messages.
services::TokenGrant GrantOf(const std::string& role_text, const std::string& name,
                             std::string_view name_option, const std::string& council, int days)
{
    services::TokenGrant grant;
    grant.role = ParseRole(role_text);
    // The ledger's readers refuse a longer actor id: a token with one could write nothing.
    if (!ledger::SlugRule::Check(name))
        throw CommandError(std::string(name_option) +
                           " must be a lowercase slug (a-z, 0-9, single dashes) of at most " +
                           std::to_string(ledger::SLUG_BYTES_MAX) +
                           " bytes: it is the pseudonymous actor id written into the ledger");
    if (name == IMPORT_ACTOR)
        throw CommandError(std::string(name_option) + " " + name +
                           " is the round import's own actor id: no token or login takes it");
    grant.member = ledger::Slug{name};
    if (!council.empty()) {
        if (!ledger::SlugRule::Check(council))
            throw CommandError("--council must be a council's id (a slug of at most " +
                               std::to_string(ledger::SLUG_BYTES_MAX) + " bytes)");
        grant.council = ledger::Slug{council};
    }
    if (services::RoleNeedsCouncil(grant.role) != grant.council.has_value()) {
        throw CommandError(services::RoleNeedsCouncil(grant.role)
                               ? "--council is required for council members and treasurers"
                               : "--council is only for council members and treasurers");
    }
    const auto lifetime = std::chrono::hours{24} * days;
    if (days < 1 || lifetime > services::TOKEN_LIFETIME_MAX)
        throw CommandError("--days must be 1..366");
    grant.lifetime = lifetime;
    return grant;
}

} // namespace

int RunMigrate(const MigrateOptions& options)
{
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    auto owner = ledger::pg::OpenSession(settings.database.owner_dsn, "public");
    if (!owner) throw CommandError("database (owner role): " + owner.error().Describe());
    auto applied =
        ledger::pg::Migrate(**owner, {settings.database.schema, settings.database.runtime_role});
    if (!applied) throw CommandError("migrate: " + applied.error().Describe());
    std::cout << "migrated schema " << settings.database.schema << ": " << *applied
              << " migration(s) applied\n";
    return 0;
}

int RunVkey(const VkeyOptions& options)
{
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    const ledger::SignerKey key = LoadSignerKey(settings.ledger.signing_key_file);
    std::cout << ledger::FormatVerifierKey(ledger::VerifierKeyOf(key)) << "\n";
    return 0;
}

int RunKeygen(const KeygenOptions& options)
{
    auto text = ledger::GenerateSignerKey(options.name);
    if (!text && text.error() == make_error_code(ledger::Errc::key_malformed))
        throw CommandError(
            "keygen: --name must be a key name such as wijkbudget.example.org/ledger");
    // Anything else is the random source or OpenSSL failing, not the name.
    if (!text) throw CommandError("keygen: could not make a key: " + text.error().message());
    // O_EXCL: never overwrite a key, because the checkpoints it signed would no longer verify.
    const int fd = ::open(options.out.c_str(), O_WRONLY | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
    if (fd < 0)
        throw CommandError("keygen: cannot create " + options.out.string() + ": " +
                           std::strerror(errno) +
                           (errno == EEXIST ? " (keys are never overwritten)" : ""));
    // Two writes, no copy of the key text that would outlive it uncleansed.
    const bool written =
        ::write(fd, text->data(), text->size()) == static_cast<ssize_t>(text->size()) &&
        ::write(fd, "\n", 1) == 1 && ::fsync(fd) == 0;
    ::close(fd);
    OPENSSL_cleanse(text->data(), text->size());
    if (!written) {
        // A partial key would be refused later as "not a signer key", and block a rerun here.
        std::filesystem::remove(options.out);
        throw CommandError("keygen: could not write " + options.out.string() +
                           "; nothing is left there");
    }
    const ledger::SignerKey key = LoadSignerKey(options.out);
    std::cout << ledger::FormatVerifierKey(ledger::VerifierKeyOf(key)) << "\n";
    return 0;
}

namespace {

/** Refuses a grant for a council the ledger has not registered: its holder could never act (every
 *  route of that council answers 404), and the operator most likely mistyped --council. */
void RequireRegisteredCouncil(soci::connection_pool& pool, const services::TokenGrant& grant,
                              std::string_view command)
{
    if (!grant.council) return;
    const auto registered = services::pg::IsCouncilRegistered(pool, *grant.council);
    if (!registered) {
        throw CommandError(std::string(command) +
                           ": the database failed: " + registered.error().message());
    }
    if (!*registered) {
        throw CommandError(std::string(command) + ": --council " + grant.council->value +
                           ": no council with this id is registered in the ledger (GET "
                           "/api/v1/councils lists them); nothing was written");
    }
}

} // namespace

int RunTokenCreate(const TokenCreateOptions& options)
{
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    const services::TokenGrant grant =
        GrantOf(options.role, options.name, "--name", options.council, options.days);
    auto pool = OpenRuntimePool(settings.database, 1);
    RequireRegisteredCouncil(*pool, grant, "token create");
    services::pg::PgCredentialStore store{
        *pool, {}, ledger::pg::LedgerLockKey(settings.database.schema)};
    services::SystemClock clock;
    auto token = store.IssueToken(grant, clock.Now());
    if (!token) throw CommandError("token create: the database failed: " + token.error().message());
    std::cerr << "token " << token->id << " for " << options.name << " (" << options.role
              << "), expires " << ledger::FormatTimestamp(token->expires_at) << "\n";
    // A closed pipe must fail the write, not end the process before the token is revoked.
    std::signal(SIGPIPE, SIG_IGN);
    std::cout << token->text << "\n" << std::flush;
    if (!std::cout) {
        // Nobody holds its text (a full disk, a closed pipe): left valid, it would be a token
        // nobody can use and nobody knows to revoke.
        const auto revoked = store.RevokeToken(token->id, clock.Now());
        throw CommandError("token create: could not write standard output, where the token's "
                           "text goes; " +
                           (revoked && *revoked
                                ? "token " + token->id + " was revoked again"
                                : "revoke it: wijkbudget token revoke --id " + token->id));
    }
    return 0;
}

int RunTokenRevoke(const TokenRevokeOptions& options)
{
    // The whole token pasted in: its secret must not be echoed into a terminal or a log.
    if (options.id.find('.') != std::string::npos)
        throw CommandError("token revoke: --id takes the token's id, the part before the dot; "
                           "a whole token was given (not shown)");
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    auto pool = OpenRuntimePool(settings.database, 1);
    services::pg::PgCredentialStore store{
        *pool, {}, ledger::pg::LedgerLockKey(settings.database.schema)};
    services::SystemClock clock;
    auto revoked = store.RevokeToken(options.id, clock.Now());
    if (!revoked)
        throw CommandError("token revoke: the database failed: " + revoked.error().message());
    if (!*revoked) throw CommandError("token revoke: no live token with id " + options.id);
    std::cout << "revoked token " << options.id << "\n";
    return 0;
}

namespace {

//! The signals that end the command while a password is typed (Ctrl-C, Ctrl-Backslash, a closed
//! terminal, kill): each puts the terminal's echo back first, or the shell would be left silent.
constexpr std::array<int, 4> PROMPT_END_SIGNALS{SIGINT, SIGQUIT, SIGHUP, SIGTERM};

//! The terminal's settings before the prompt, for RestoreTerminalAndEnd (set before it is
//! installed, read only by it).
termios g_terminal_before_prompt{};

//! A signal handler: only async-signal-safe calls. Ends the process as the signal would have.
void RestoreTerminalAndEnd(int signal_number)
{
    ::tcsetattr(STDIN_FILENO, TCSANOW, &g_terminal_before_prompt);
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
}

/** The terminal on standard input without echo, for as long as it lives; its settings come back
 *  when it goes, and also when one of PROMPT_END_SIGNALS ends the process meanwhile. */
class EchoOff
{
public:
    explicit EchoOff(const termios& saved) : m_saved{saved}
    {
        g_terminal_before_prompt = saved;
        struct sigaction restore {
        };
        restore.sa_handler = RestoreTerminalAndEnd;
        // One of them at a time: a second one waits, and the process ends by the first.
        ::sigemptyset(&restore.sa_mask);
        for (const int signal_number : PROMPT_END_SIGNALS)
            ::sigaddset(&restore.sa_mask, signal_number);
        for (std::size_t which = 0; which < PROMPT_END_SIGNALS.size(); ++which) {
            ::sigaction(PROMPT_END_SIGNALS[which], nullptr, &m_before[which]);
            // A signal the caller ignores (nohup's SIGHUP) stays ignored.
            if (m_before[which].sa_handler == SIG_IGN) continue;
            ::sigaction(PROMPT_END_SIGNALS[which], &restore, nullptr);
        }
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    ~EchoOff()
    {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
        for (std::size_t which = 0; which < PROMPT_END_SIGNALS.size(); ++which)
            ::sigaction(PROMPT_END_SIGNALS[which], &m_before[which], nullptr);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    termios m_saved;
    std::array<struct sigaction, PROMPT_END_SIGNALS.size()> m_before{};
};

/** One line of standard input: the password. At a terminal it is asked for and not echoed (the
 *  screen and its scrollback are no place for it). A line ending in CR LF (a file written on
 *  Windows) loses its CR: it is no part of the password anyone would type to log in. */
/** Whether `text` can be typed at the sign-in form and sent by POST /api/v1/session: UTF-8
 *  (the JSON body's encoding) without C0 control characters or DEL. */
bool IsTypeable(std::string_view text)
{
    const auto control = [](unsigned char c) {
        return c < 0x20 || c == 0x7f;
    };
    return ledger::IsValidUtf8(text) && std::none_of(text.begin(), text.end(), control);
}

std::string ReadPasswordLine()
{
    termios saved{};
    const bool terminal = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    std::optional<EchoOff> echo_off;
    if (terminal) {
        // Echo off before the prompt: what is typed as soon as it shows is not echoed either.
        echo_off.emplace(saved);
        std::cerr << "password (12..256 bytes, not shown): " << std::flush;
    }
    std::string password;
    std::getline(std::cin, password);
    if (terminal) {
        echo_off.reset();
        std::cerr << "\n";
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    return password;
}

} // namespace

int RunAccountCreate(const AccountCreateOptions& options)
{
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    const services::TokenGrant grant =
        GrantOf(options.role, options.member, "--member", options.council, 1);
    // A login is typed at the sign-in form: spaces at its ends, a control character, or bytes
    // that are not UTF-8 (which POST /api/v1/session refuses) would make an account nobody can
    // sign in to.
    if (options.login.empty() || options.login.size() > services::LOGIN_BYTES_MAX ||
        options.login.front() == ' ' || options.login.back() == ' ' || !IsTypeable(options.login))
        throw CommandError("--login must be 1.." + std::to_string(services::LOGIN_BYTES_MAX) +
                           " bytes of UTF-8, without spaces at either end or control characters");
    // Before the password is asked for: a mistyped council is refused before anything is typed.
    auto pool = OpenRuntimePool(settings.database, 1);
    RequireRegisteredCouncil(*pool, grant, "account create");
    // The password comes from standard input, never from the command line (ps shows arguments).
    std::string password = ReadPasswordLine();
    if (password.size() < services::PASSWORD_BYTES_MIN ||
        password.size() > services::PASSWORD_BYTES_MAX) {
        OPENSSL_cleanse(password.data(), password.size());
        throw CommandError("the password (one line on standard input) must be 12..256 bytes");
    }
    // The same holds for the password: one the sign-in form cannot send is never matched.
    if (!IsTypeable(password)) {
        OPENSSL_cleanse(password.data(), password.size());
        throw CommandError("the password (one line on standard input) must be UTF-8 without "
                           "control characters");
    }
    services::pg::PgCredentialStore store{
        *pool, {}, ledger::pg::LedgerLockKey(settings.database.schema)};
    auto written = store.CreateAccount(options.login, password, grant, options.reset);
    OPENSSL_cleanse(password.data(), password.size());
    if (!written)
        throw CommandError("account create: the database failed: " + written.error().message());
    if (!written->written) {
        // A typo in --login must not take over someone else's account.
        throw CommandError("account create: login " + options.login +
                           " exists and is unchanged; --reset replaces its password, role, "
                           "member and council, and revokes the tokens of its member");
    }
    if (written->existed) {
        std::cout << "account " << options.login << " (" << options.role << ") reset; "
                  << written->revoked_tokens << " token(s) of its former member revoked\n";
    } else {
        std::cout << "account " << options.login << " (" << options.role << ") ready\n";
    }
    return 0;
}

} // namespace wijkbudget::cli
