// config/settings.cpp: the settings file (TOML) and the WIJKBUDGET_* environment, validated.
//
// One table (Bind) names every setting once: its section, key, kind and field. The file reader,
// the environment reader, the unknown-key checks and the error messages all derive from it, so a
// new setting cannot be readable from the file but not from the environment, or the reverse.

#include "config/settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <string_view>
#include <system_error>
#include <utility>

#include <toml++/toml.h>

// POSIX: the process environment. Declared here rather than through <unistd.h> because the config
// layer includes std and toml++ only (STYLE.md section 2).
extern "C" char** environ;

namespace wijkbudget::config {
namespace {

//! Every variable with this prefix must name a setting, so that a typo is an error, not a no-op.
constexpr std::string_view ENV_PREFIX{"WIJKBUDGET_"};
constexpr std::int64_t PORT_MIN{1};
constexpr std::int64_t PORT_MAX{65535};
constexpr std::int64_t THREADS_MIN{1};
//! More threads than this is a typo on any machine we run on, not a tuning choice.
constexpr std::int64_t THREADS_MAX{256};
//! Per client: 1 up to the server's own limit of connections.
constexpr std::int64_t CLIENT_CONNECTIONS_MIN{1};
constexpr std::int64_t CLIENT_CONNECTIONS_MAX{SERVER_CONNECTIONS_MAX};
constexpr std::int64_t POOL_SIZE_MIN{1};
constexpr std::int64_t POOL_SIZE_MAX{DATABASE_POOL_SIZE_MAX};
//! PostgreSQL silently truncates identifiers to 63 bytes (NAMEDATALEN - 1); we refuse instead.
constexpr std::size_t IDENTIFIER_CHARS_MAX{63};
//! The longest textual IPv6 address (with an embedded IPv4 part).
constexpr std::size_t IPV6_CHARS_MAX{45};
//! A settings file is a few hundred bytes; a huge one is a wrong path, not a configuration.
constexpr std::size_t SETTINGS_FILE_BYTES_MAX{std::size_t{1024} * 1024};
//! Values quoted back in messages are cut here, so a pasted blob does not flood the log.
constexpr std::size_t QUOTED_VALUE_CHARS_MAX{80};

//! optional_path: a path that may be left empty (a feature the service can run without).
enum class Kind {
    address,
    port,
    thread_count,
    connection_count,
    pool_size,
    identifier,
    dsn,
    path,
    optional_path
};

//! Where a validated value goes. The alternative must match the setting's Kind.
using Target = std::variant<std::string*, std::uint16_t*, int*, std::filesystem::path*>;

struct Setting {
    std::string_view section;
    std::string_view key;
    Kind kind;
    Target target;
};

constexpr std::array<std::string_view, 5> SECTIONS{"server", "tls", "database", "ledger", "web"};
constexpr std::size_t SETTING_COUNT{14};

//! Every setting, bound to its field in `settings`. The order is the example file's.
std::array<Setting, SETTING_COUNT> Bind(Settings& settings)
{
    return {{
        {"server", "address", Kind::address, &settings.server.address},
        {"server", "port", Kind::port, &settings.server.port},
        {"server", "io_threads", Kind::thread_count, &settings.server.io_threads},
        {"server", "worker_threads", Kind::thread_count, &settings.server.worker_threads},
        {"server", "connections_per_client_max", Kind::connection_count,
         &settings.server.connections_per_client_max},
        {"tls", "certificate_file", Kind::path, &settings.tls.certificate_file},
        {"tls", "private_key_file", Kind::path, &settings.tls.private_key_file},
        {"database", "runtime_dsn", Kind::dsn, &settings.database.runtime_dsn},
        {"database", "owner_dsn", Kind::dsn, &settings.database.owner_dsn},
        {"database", "runtime_role", Kind::identifier, &settings.database.runtime_role},
        {"database", "schema", Kind::identifier, &settings.database.schema},
        {"database", "pool_size", Kind::pool_size, &settings.database.pool_size},
        {"ledger", "signing_key_file", Kind::path, &settings.ledger.signing_key_file},
        {"web", "assets_dir", Kind::optional_path, &settings.web.assets_dir},
    }};
}

using Bound = std::array<Setting, SETTING_COUNT>;
//! A value as read, before validation: TOML integers stay integers, everything else is text.
using RawValue = std::variant<std::int64_t, std::string>;

std::string KeyPath(const Setting& setting)
{
    return std::string{setting.section} + "." + std::string{setting.key};
}

std::string EnvName(const Setting& setting)
{
    std::string name{ENV_PREFIX};
    for (const char c : KeyPath(setting)) {
        name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return name;
}

bool IsIntegerKind(Kind kind)
{
    return kind == Kind::port || kind == Kind::thread_count || kind == Kind::connection_count ||
           kind == Kind::pool_size;
}

std::string Quote(std::string_view value)
{
    if (value.size() > QUOTED_VALUE_CHARS_MAX) {
        return "\"" + std::string{value.substr(0, QUOTED_VALUE_CHARS_MAX)} + "...\"";
    }
    return "\"" + std::string{value} + "\"";
}

std::optional<std::string> CheckRange(std::int64_t value, std::int64_t min, std::int64_t max)
{
    if (value >= min && value <= max) return std::nullopt;
    return "must be an integer from " + std::to_string(min) + " to " + std::to_string(max) +
           ", got " + std::to_string(value);
}

bool IsDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool IsHexDigit(char c)
{
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

//! Dotted quad, each part 0..255 without leading zeros (some resolvers read those as octal).
bool IsIpv4(std::string_view text)
{
    int parts = 0;
    while (true) {
        const auto dot = text.find('.');
        const auto part = text.substr(0, dot);
        if (part.empty() || part.size() > 3 || (part.size() > 1 && part.front() == '0')) {
            return false;
        }
        int value = 0;
        for (const char c : part) {
            if (!IsDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        if (value > 255) return false;
        ++parts;
        if (dot == std::string_view::npos) break;
        text.remove_prefix(dot + 1);
    }
    return parts == 4;
}

//! A loose IPv6 check (hex groups, colons, at most one "::"); the listener parses it exactly.
bool IsIpv6(std::string_view text)
{
    if (text.size() < 2 || text.size() > IPV6_CHARS_MAX) return false;
    if (text.find(':') == std::string_view::npos || text.find(":::") != std::string_view::npos) {
        return false;
    }
    const auto double_colon = text.find("::");
    if (double_colon != std::string_view::npos &&
        text.find("::", double_colon + 1) != std::string_view::npos) {
        return false;
    }
    for (const char c : text) {
        if (!IsHexDigit(c) && c != ':' && c != '.') return false;
    }
    return true;
}

std::optional<std::string> CheckAddress(std::string_view value)
{
    if (IsIpv4(value) || IsIpv6(value)) return std::nullopt;
    return "must be an IP address such as 127.0.0.1, 0.0.0.0 or ::1 (host names are not "
           "resolved), got " +
           Quote(value);
}

//! Plain identifiers need no quoting in SQL, so a schema or role name can never inject SQL.
std::optional<std::string> CheckIdentifier(std::string_view value)
{
    bool plain = !value.empty() && value.size() <= IDENTIFIER_CHARS_MAX && !IsDigit(value.front());
    for (const char c : value) {
        plain = plain && ((c >= 'a' && c <= 'z') || IsDigit(c) || c == '_');
    }
    if (plain) return std::nullopt;
    return "must be a plain identifier ([a-z_][a-z0-9_]{0,62}), got " + Quote(value);
}

//! A URI DSN as libpq reads its parts: percent-escapes decoded ("%70assword" is "password").
//! A key/value DSN is returned as it is.
std::string AsLibpqReadsIt(const std::string& dsn)
{
    static const std::regex uri{R"(^postgres(ql)?://)", std::regex::icase};
    if (!std::regex_search(dsn, uri)) return dsn;
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string decoded;
    for (std::size_t i = 0; i < dsn.size(); ++i) {
        if (dsn[i] == '%' && i + 2 < dsn.size() && hex(dsn[i + 1]) >= 0 && hex(dsn[i + 2]) >= 0) {
            decoded += static_cast<char>(hex(dsn[i + 1]) * 16 + hex(dsn[i + 2]));
            i += 2;
        } else {
            decoded += dsn[i];
        }
    }
    return decoded;
}

//! `read`: the DSN as AsLibpqReadsIt gives it; `raw`: as written.
bool DsnHasPassword(const std::string& raw, const std::string& read)
{
    // Key/value form: the "password" keyword, libpq allows spaces before '='. URI form: a
    // password in the user info (postgresql://user:secret@host), found in the raw text as libpq
    // finds it ("pa%2Fss" decodes to a '/' that would end the match), or as a query parameter.
    static const std::regex keyword{R"((^|[\s?&])password\s*=)", std::regex::icase};
    static const std::regex uri_user_info{R"(^postgres(ql)?://[^@/?]*:[^@/?]*@)",
                                          std::regex::icase};
    return std::regex_search(read, keyword) || std::regex_search(raw, uri_user_info);
}

//! A passfile the DSN names by a relative path: libpq looks for it from whatever folder the
//! command runs in, not from the settings file's (as every other path here is read).
bool DsnHasRelativePassfile(const std::string& dsn)
{
    static const std::regex passfile{R"((^|[\s?&])passfile\s*=\s*'?([^\s&']*))", std::regex::icase};
    for (auto it = std::sregex_iterator(dsn.begin(), dsn.end(), passfile);
         it != std::sregex_iterator(); ++it) {
        const std::string path = (*it)[2].str();
        if (path.empty() || path.front() != '/') return true;
    }
    return false;
}

//! The value is never quoted back: a rejected DSN may hold a password.
std::optional<std::string> CheckDsn(const std::string& value)
{
    if (value.empty()) return "must not be empty (a libpq connection string)";
    const std::string read = AsLibpqReadsIt(value);
    if (DsnHasPassword(value, read)) {
        return "must not contain a password (password=...): secrets come from a libpq passfile, "
               "named in the DSN as passfile=/absolute/path/pgpass (mode 0600)";
    }
    if (DsnHasRelativePassfile(read)) {
        return "names its passfile by a relative path, which libpq looks for from the folder a "
               "command runs in: give passfile=/absolute/path/pgpass";
    }
    return std::nullopt;
}

std::filesystem::path Resolve(const std::filesystem::path& base, const std::filesystem::path& path)
{
    return (path.is_absolute() ? path : base / path).lexically_normal();
}

/**
 * Validates `raw` for `setting` and stores it in the bound field. Returns why it was refused.
 * @pre raw holds an integer exactly when the setting's kind is an integer kind.
 */
std::optional<std::string> Store(const Setting& setting, RawValue raw,
                                 const std::filesystem::path& base)
{
    if (IsIntegerKind(setting.kind)) {
        const std::int64_t value = std::get<std::int64_t>(raw);
        if (setting.kind == Kind::port) {
            if (auto error = CheckRange(value, PORT_MIN, PORT_MAX)) return error;
            *std::get<std::uint16_t*>(setting.target) = static_cast<std::uint16_t>(value);
            return std::nullopt;
        }
        std::optional<std::string> error;
        switch (setting.kind) {
        case Kind::pool_size: error = CheckRange(value, POOL_SIZE_MIN, POOL_SIZE_MAX); break;
        case Kind::connection_count:
            error = CheckRange(value, CLIENT_CONNECTIONS_MIN, CLIENT_CONNECTIONS_MAX);
            break;
        default: error = CheckRange(value, THREADS_MIN, THREADS_MAX); break;
        }
        if (error) return error;
        *std::get<int*>(setting.target) = static_cast<int>(value);
        return std::nullopt;
    }
    std::string text = std::get<std::string>(std::move(raw));
    std::optional<std::string> error;
    switch (setting.kind) {
    case Kind::address: error = CheckAddress(text); break;
    case Kind::identifier: error = CheckIdentifier(text); break;
    case Kind::dsn: error = CheckDsn(text); break;
    case Kind::path:
        if (text.empty()) return "must not be empty (a file path)";
        *std::get<std::filesystem::path*>(setting.target) = Resolve(base, text);
        return std::nullopt;
    case Kind::optional_path:
        *std::get<std::filesystem::path*>(setting.target) =
            text.empty() ? std::filesystem::path{} : Resolve(base, text);
        return std::nullopt;
    default: break;
    }
    if (error) return error;
    *std::get<std::string*>(setting.target) = std::move(text);
    return std::nullopt;
}

const Setting* Find(const Bound& bound, std::string_view section, std::string_view key)
{
    for (const Setting& setting : bound) {
        if (setting.section == section && setting.key == key) return &setting;
    }
    return nullptr;
}

std::string KeysOf(const Bound& bound, std::string_view section)
{
    std::string keys;
    for (const Setting& setting : bound) {
        if (setting.section != section) continue;
        keys += (keys.empty() ? "" : ", ") + std::string{setting.key};
    }
    return keys;
}

std::string SectionList()
{
    std::string sections;
    for (const std::string_view section : SECTIONS) {
        sections += (sections.empty() ? "[" : ", [") + std::string{section} + "]";
    }
    return sections;
}

std::string TypeName(const toml::node& node)
{
    if (node.is_string()) return "a string";
    if (node.is_integer()) return "an integer";
    if (node.is_floating_point()) return "a floating-point number";
    if (node.is_boolean()) return "a boolean";
    if (node.is_array()) return "an array";
    if (node.is_table()) return "a table";
    return "a date or time";
}

//! " (line 3 of /etc/wijkbudget/wijkbudget.toml)": where in the file a value was found.
std::string At(const toml::node& node, const std::filesystem::path& file)
{
    return " (line " + std::to_string(node.source().begin.line) + " of " + file.string() + ")";
}

std::optional<SettingsError> ApplyTomlValue(const Setting& setting, const toml::node& node,
                                            const std::filesystem::path& file)
{
    std::optional<RawValue> raw;
    if (IsIntegerKind(setting.kind)) {
        if (const auto* integer = node.as_integer()) raw = integer->get();
    } else if (const auto* text = node.as_string()) {
        raw = text->get();
    }
    if (!raw) {
        const std::string wanted = IsIntegerKind(setting.kind) ? "an integer" : "a string";
        return SettingsError{KeyPath(setting),
                             "must be " + wanted + ", not " + TypeName(node) + At(node, file)};
    }
    if (auto error = Store(setting, std::move(*raw), file.parent_path())) {
        return SettingsError{KeyPath(setting), *error + At(node, file)};
    }
    return std::nullopt;
}

/** @pre file is absolute, so that relative paths in it resolve against its directory. */
std::optional<SettingsError> ApplyFile(const toml::table& root, const std::filesystem::path& file,
                                       const Bound& bound)
{
    for (const auto& [section_key, section_node] : root) {
        const std::string section{section_key.str()};
        if (std::find(SECTIONS.begin(), SECTIONS.end(), section) == SECTIONS.end()) {
            return SettingsError{section, "unknown section or key; the settings file has the "
                                          "sections " +
                                              SectionList() + At(section_node, file)};
        }
        const toml::table* table = section_node.as_table();
        if (table == nullptr) {
            return SettingsError{section, "must be a table ([" + section + "]), not " +
                                              TypeName(section_node) + At(section_node, file)};
        }
        for (const auto& [key, node] : *table) {
            const Setting* setting = Find(bound, section, key.str());
            if (setting == nullptr) {
                return SettingsError{section + "." + std::string{key.str()},
                                     "unknown key; [" + section + "] has " +
                                         KeysOf(bound, section) + At(node, file)};
            }
            if (auto error = ApplyTomlValue(*setting, node, file)) return error;
        }
    }
    return std::nullopt;
}

std::optional<SettingsError> ApplyEnvironmentValue(const Setting& setting, const std::string& name,
                                                   const std::string& value,
                                                   const std::filesystem::path& base)
{
    RawValue raw{value};
    if (IsIntegerKind(setting.kind)) {
        std::int64_t integer = 0;
        const char* end = value.data() + value.size();
        const auto [last, errc] = std::from_chars(value.data(), end, integer);
        if (value.empty() || errc != std::errc{} || last != end) {
            return SettingsError{name, "must be an integer, got " + Quote(value)};
        }
        raw = integer;
    }
    if (auto error = Store(setting, std::move(raw), base)) return SettingsError{name, *error};
    return std::nullopt;
}

/**
 * Applies the WIJKBUDGET_* variables of `environment` and ignores all others. Relative paths
 * resolve against the working directory, as a shell user expects of a path on a command line.
 */
std::optional<SettingsError> ApplyEnvironment(const std::map<std::string, std::string>& environment,
                                              const Bound& bound)
{
    std::error_code error_code;
    const std::filesystem::path working_directory = std::filesystem::current_path(error_code);
    for (const auto& [name, value] : environment) {
        if (!name.starts_with(ENV_PREFIX)) continue;
        const Setting* found = nullptr;
        std::string known;
        for (const Setting& setting : bound) {
            if (EnvName(setting) == name) found = &setting;
            known += (known.empty() ? "" : ", ") + EnvName(setting);
        }
        if (found == nullptr) {
            return SettingsError{name, "unknown environment variable; wijkbudget reads " + known};
        }
        if (error_code && (found->kind == Kind::path || found->kind == Kind::optional_path)) {
            return SettingsError{name, "cannot resolve a path: no working directory (" +
                                           error_code.message() + ")"};
        }
        if (auto error = ApplyEnvironmentValue(*found, name, value, working_directory)) {
            return error;
        }
    }
    return std::nullopt;
}

//! The settings without a usable default: the DSNs and the files the service must open.
std::optional<SettingsError> CheckRequired(const Bound& bound)
{
    for (const Setting& setting : bound) {
        bool missing = false;
        if (setting.kind == Kind::dsn) missing = std::get<std::string*>(setting.target)->empty();
        if (setting.kind == Kind::path) {
            missing = std::get<std::filesystem::path*>(setting.target)->empty();
        }
        if (missing) {
            return SettingsError{KeyPath(setting),
                                 "missing: set it in [" + std::string{setting.section} +
                                     "] of the settings file or with " + EnvName(setting)};
        }
    }
    return std::nullopt;
}

std::variant<toml::table, SettingsError> ParseFile(const std::filesystem::path& file)
{
    std::error_code error_code;
    const auto status = std::filesystem::status(file, error_code);
    if (status.type() == std::filesystem::file_type::not_found) {
        return SettingsError{file.string(), "no such settings file"};
    }
    if (error_code) return SettingsError{file.string(), error_code.message()};
    if (status.type() != std::filesystem::file_type::regular) {
        return SettingsError{file.string(), "not a regular file"};
    }
    std::ifstream stream{file, std::ios::binary};
    std::string text;
    text.assign(std::istreambuf_iterator<char>{stream}, std::istreambuf_iterator<char>{});
    if (!stream.good() && !stream.eof()) {
        return SettingsError{file.string(), "cannot read the settings file"};
    }
    if (text.size() > SETTINGS_FILE_BYTES_MAX) {
        return SettingsError{file.string(), "larger than " +
                                                std::to_string(SETTINGS_FILE_BYTES_MAX) +
                                                " bytes; is this the settings file?"};
    }
    try {
        return toml::parse(text, file.string());
    } catch (const toml::parse_error& error) {
        const auto& begin = error.source().begin;
        return SettingsError{file.string(), std::string{error.description()} + " (line " +
                                                std::to_string(begin.line) + ", column " +
                                                std::to_string(begin.column) + ")"};
    }
}

} // namespace

std::variant<Settings, SettingsError>
LoadSettings(const std::filesystem::path& file,
             const std::map<std::string, std::string>& environment)
{
    std::error_code error_code;
    const std::filesystem::path absolute_file = std::filesystem::absolute(file, error_code);
    if (error_code) return SettingsError{file.string(), error_code.message()};
    auto parsed = ParseFile(absolute_file);
    if (auto* error = std::get_if<SettingsError>(&parsed)) return std::move(*error);

    Settings settings;
    const Bound bound = Bind(settings);
    if (auto error = ApplyFile(std::get<toml::table>(parsed), absolute_file, bound)) {
        return std::move(*error);
    }
    if (auto error = ApplyEnvironment(environment, bound)) return std::move(*error);
    if (auto error = CheckRequired(bound)) return std::move(*error);
    return settings;
}

std::map<std::string, std::string> WijkbudgetEnvironment()
{
    std::map<std::string, std::string> variables;
    for (char** entry = ::environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text{*entry};
        const auto equals = text.find('=');
        if (!text.starts_with(ENV_PREFIX) || equals == std::string_view::npos) continue;
        variables.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return variables;
}

} // namespace wijkbudget::config
