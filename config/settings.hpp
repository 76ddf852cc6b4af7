#pragma once
// config/settings.hpp: the settings file (TOML) and WIJKBUDGET_* environment into plain structs.
//
// Only the composition root (api/main*.cpp) reads these; every layer gets the plain values it
// needs (STYLE.md section 2). Secrets never appear here as values: the database password comes
// from a libpq passfile named in the DSN, the signing key from a file (DESIGN.md section 8).

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <variant>

namespace wijkbudget::config {

//! The most `server.connections_per_client_max` may be: the server's own limit of connections
//! (CONNECTIONS_MAX in api/session.hpp; api/main_serve.cpp checks the two agree).
inline constexpr int SERVER_CONNECTIONS_MAX{1024};
//! Its default, CONNECTIONS_PER_CLIENT_MAX in api/session.hpp (checked there too).
inline constexpr int CONNECTIONS_PER_CLIENT_DEFAULT{128};

struct ServerSettings {
    std::string address{"127.0.0.1"};
    std::uint16_t port{8443};
    int io_threads{2};
    int worker_threads{16};
    //! Connections one client (an IPv4 address, an IPv6 /64) holds at most; loopback is not
    //! limited.
    int connections_per_client_max{CONNECTIONS_PER_CLIENT_DEFAULT};
};

struct TlsSettings {
    std::filesystem::path certificate_file;
    std::filesystem::path private_key_file;
};

//! Most sessions `database.pool_size` may ask for: what ledger/pg opens at most in one pool
//! (POOL_SESSIONS_MAX; api/main_common.cpp checks the two agree). Each is a PostgreSQL
//! connection, and the server's default max_connections is 100.
inline constexpr int DATABASE_POOL_SIZE_MAX{32};

struct DatabaseSettings {
    std::string runtime_dsn; //!< libpq DSN of the runtime role (may name a passfile).
    std::string owner_dsn;   //!< libpq DSN of the owner role, for `wijkbudget migrate` only.
    std::string runtime_role{"wijkbudget_app"};
    std::string schema{"public"};
    int pool_size{16};
};

struct LedgerSettings {
    std::filesystem::path signing_key_file; //!< Ed25519 signer key (note format), mode 0600.
};

struct WebSettings {
    //! The built front-end files (deploy/build_web.sh); empty: the site without scripts and styles.
    std::filesystem::path assets_dir;
};

struct Settings {
    ServerSettings server;
    TlsSettings tls;
    DatabaseSettings database;
    LedgerSettings ledger;
    WebSettings web;
};

//! Why a settings file was refused: the key path ("server.port") or file, and the reason.
struct SettingsError {
    std::string where;
    std::string message;
};

/**
 * Reads `file`, then applies overrides from `environment` (WIJKBUDGET_SERVER_PORT overrides
 * server.port, and so on for every setting), then validates. Relative paths in the file are
 * resolved against the file's directory.
 */
std::variant<Settings, SettingsError>
LoadSettings(const std::filesystem::path& file,
             const std::map<std::string, std::string>& environment);

//! The process environment's WIJKBUDGET_* variables.
std::map<std::string, std::string> WijkbudgetEnvironment();

} // namespace wijkbudget::config
