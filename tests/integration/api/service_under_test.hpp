#pragma once
// tests/integration/api/service_under_test.hpp: the real `wijkbudget serve` against a real
// PostgreSQL, driven over HTTPS (STYLE.md section 8).
//
// A ServiceUnderTest owns everything one test needs and nothing another test could see: a
// uniquely named schema migrated by `wijkbudget migrate` as the owner role, a temporary folder with
// the settings file, a signing key from `wijkbudget keygen` and the servers' logs, a municipality
// token from `wijkbudget token create`, and the `serve` processes it started. The servers run as
// the runtime role (SELECT and INSERT only), exactly as in production; only setup and tampering use
// the superuser, through psql. Everything is torn down in the destructor: servers are stopped
// (SIGTERM, then SIGKILL), the schema is dropped, and the folder is removed unless the test failed
// (then its path is printed, so the servers' logs can be read).
//
// The database comes from WB_TEST_PG_DSN (superuser), WB_TEST_PG_OWNER_DSN and
// WB_TEST_PG_RUNTIME_DSN, as deploy/test.sh exports them. Without them the tests skip, unless
// WB_REQUIRE_PG=1 turns that into a failure. This mirrors tests/integration/pg/pg_test_database.hpp
// without including it: that helper links SOCI and makes its own runtime role, whereas these tests
// must use the cluster's real roles through the programs alone.

#include "tests/support/https/https_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace wijkbudget::test {

using namespace std::chrono_literals;

//! A program run to completion: at most this long (migrate, keygen, token, demo, psql, verify).
inline constexpr std::chrono::milliseconds COMMAND_TIMEOUT{60s};
//! A server must answer GET /readyz with 200 within this time after it was started.
inline constexpr std::chrono::milliseconds READY_TIMEOUT{20s};
//! After SIGTERM a server drains and exits; past this it is killed (and the test notes it).
inline constexpr std::chrono::milliseconds STOP_TIMEOUT{15s};
//! How often a waiting helper looks again (readiness, a child's exit).
inline constexpr std::chrono::milliseconds POLL_INTERVAL{20ms};
//! Each request of a test gets this long; a server that hangs fails the test instead.
inline constexpr std::chrono::milliseconds REQUEST_TIMEOUT{15s};
//! Ports picked by binding port 0 can be taken by another process before `serve` binds them: a
//! start is retried on another port this often.
inline constexpr int START_ATTEMPTS_MAX{5};
//! Settings of the servers under test: small, because two test processes run at once against
//! one cluster (max_connections 100) and the two-process test runs two servers.
inline constexpr int SERVER_IO_THREADS{2};
inline constexpr int SERVER_WORKER_THREADS{4};
inline constexpr int SERVER_POOL_SIZE{4};
//! The district every test's councils belong to (inserted as superuser, as an operator would).
inline constexpr std::string_view TEST_DISTRICT{"centrum"};

//! The three DSNs of deploy/pg_cluster.sh, from the WB_TEST_PG_* variables.
struct PgEnvironment {
    std::string superuser_dsn;
    std::string owner_dsn;
    std::string runtime_dsn;
};

//! The DSNs, or nullopt when WB_TEST_PG_DSN is unset or empty.
std::optional<PgEnvironment> TestPgEnvironment();
//! True if WB_REQUIRE_PG=1: a missing database is a failure, not a skip.
bool PgRequired();

//! Environment variables given to a child on top of the test's own (minus its WIJKBUDGET_*).
using Environment = std::vector<std::pair<std::string, std::string>>;

struct CommandResult {
    //! The exit status, or -1 when the program was killed by a signal or ran out of time.
    int exit_status{-1};
    std::string out;
    std::string err;
    [[nodiscard]] std::string Describe() const;
};

/** Runs a program to completion (at most `timeout`, then SIGKILL), `input` on its standard input.
 *  The test's own WIJKBUDGET_* variables are not passed on: an unknown one is an error to
 *  `wijkbudget`, and a stray one would change the settings under test. */
CommandResult RunCommand(const std::vector<std::string>& arguments, const Environment& extra = {},
                         const std::string& input = {},
                         std::chrono::milliseconds timeout = COMMAND_TIMEOUT);

//! A child process whose output goes to files. Killed (SIGKILL) and reaped on destruction.
class ChildProcess
{
public:
    /** Starts `arguments[0]` (an absolute path) with standard input from `stdin_file`.
     *  @throws std::runtime_error when the program cannot be started. */
    ChildProcess(const std::vector<std::string>& arguments, const Environment& extra,
                 const std::filesystem::path& stdin_file, const std::filesystem::path& stdout_file,
                 const std::filesystem::path& stderr_file);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    //! The exit status once it exited (-1 after a signal); nullopt while it runs.
    std::optional<int> Poll();
    //! Waits up to `timeout` for the exit; nullopt if it still runs.
    std::optional<int> Wait(std::chrono::milliseconds timeout);
    void Signal(int signal_number);
    [[nodiscard]] pid_t Pid() const { return m_pid; }

private:
    pid_t m_pid{-1};
    std::optional<int> m_status;
};

class ServiceUnderTest
{
public:
    ServiceUnderTest();
    ~ServiceUnderTest();
    ServiceUnderTest(const ServiceUnderTest&) = delete;
    ServiceUnderTest& operator=(const ServiceUnderTest&) = delete;

    /** Makes the folder, settings and key, migrates a fresh schema, inserts TEST_DISTRICT and
     *  issues the municipality token. Reports failures through gtest; the caller checks
     *  HasFatalFailure(). @pre TestPgEnvironment() has a value. */
    void Prepare();
    //! `wijkbudget demo` with demo/haarlem: 5 districts, 29 councils, 4 grants each.
    void LoadDemo();

    /** Starts one more `serve` on a free port and waits for /readyz; its number (0, 1, ...).
     *  `extra` is added to its environment. Fails the test when it never becomes ready. */
    std::size_t StartServer(const Environment& extra = {});
    //! Starts server `number` again, on its port if that is still free. Waits for /readyz.
    void RestartServer(std::size_t number);
    //! SIGKILL and reap: a crash, with no chance to finish anything.
    void KillServer(std::size_t number);
    //! SIGTERM, the orderly stop; a server that does not exit in STOP_TIMEOUT fails the test.
    void StopServer(std::size_t number);
    [[nodiscard]] std::uint16_t Port(std::size_t number = 0) const;
    //! The server's stderr so far (its JSON log), for failure messages.
    [[nodiscard]] std::string ServerLog(std::size_t number = 0) const;

    /** One request on a new connection to server `number`.
     *  @throws boost::system::system_error on a transport failure (a server that is down). */
    HttpsResponse Send(std::string_view method, std::string_view target, std::string body = {},
                       const Headers& headers = {}, std::size_t number = 0) const;
    //! POST with a bearer token and an Idempotency-Key (none when `key` is empty).
    HttpsResponse Post(std::string_view target, std::string body, const std::string& token,
                       const std::string& key, std::size_t number = 0) const;
    //! Registers council `id` in TEST_DISTRICT as the municipality; the test fails unless 201.
    void RegisterCouncil(const std::string& id);

    //! Entries in the ledger according to server `number` (GET /api/v1/ledger/entries).
    std::uint64_t LedgerSize(std::size_t number = 0) const;
    //! GET /api/v1/ledger/export: the entries' canonical bytes, one a line.
    std::string Export(std::size_t number = 0) const;
    //! GET /api/v1/ledger/checkpoint: the latest signed note.
    std::string Checkpoint(std::size_t number = 0) const;

    //! `wijkbudget token create`: the token's text. Fails the test (and returns "") if refused.
    std::string CreateToken(const std::string& role, const std::string& name,
                            const std::string& council = {});
    //! `wijkbudget <arguments...> --config <settings>` with optional standard input.
    CommandResult RunWijkbudget(std::vector<std::string> arguments, const std::string& input = {},
                                const Environment& extra = {}) const;
    //! wijkbudget-verify with these arguments.
    static CommandResult Verify(const std::vector<std::string>& arguments);
    //! SQL as the superuser through psql (-v ON_ERROR_STOP=1): the rows, tab-separated.
    CommandResult Psql(const std::string& sql) const;

    //! Writes a file in the test's folder and returns its path.
    std::filesystem::path WriteFile(const std::string& name, std::string_view content) const;

    [[nodiscard]] const std::string& Schema() const { return m_schema; }
    [[nodiscard]] const std::filesystem::path& SettingsFile() const { return m_settings_file; }
    //! The verifier key printed by `wijkbudget keygen` (what wijkbudget-verify --vkey takes).
    [[nodiscard]] const std::string& VerifierKey() const { return m_verifier_key; }
    [[nodiscard]] const std::string& MunicipalityToken() const { return m_municipality_token; }

private:
    struct Server {
        std::uint16_t port{0};
        std::unique_ptr<ChildProcess> process;
        int starts{0}; //!< Log files are numbered by start, so a restart keeps the old ones.
    };

    //! Starts `server` on its port (or a new one after a bind failure) and waits until ready.
    void Launch(Server& server, std::size_t number, const Environment& extra);
    std::filesystem::path ServerLogFile(std::size_t number, int start, const char* stream) const;

    PgEnvironment m_pg;
    std::filesystem::path m_folder;
    std::filesystem::path m_settings_file;
    std::string m_schema;
    bool m_schema_created{false};
    std::string m_verifier_key;
    std::string m_municipality_token;
    std::vector<Server> m_servers;
    std::vector<Environment> m_server_environments;
};

/** Base of the suites: skips (or with WB_REQUIRE_PG=1 fails) without a database, else prepares
 *  `m_service`. A test body runs only when SetUp succeeded. */
class ApiIntegrationTest : public ::testing::Test
{
protected:
    void SetUp() override;
    void TearDown() override;

    std::unique_ptr<ServiceUnderTest> m_service;
};

//! The problem's "code" member, or "" when the body is not a problem object.
std::string ProblemCode(const HttpsResponse& response);
//! A JSON object's string member, or "" when absent.
std::string JsonString(const std::string& json, std::string_view member);
//! A JSON object's unsigned integer member, or nullopt when absent.
std::optional<std::uint64_t> JsonNumber(const std::string& json, std::string_view member);
//! The lines of an export (without their newlines).
std::vector<std::string> Lines(const std::string& text);
//! A port no one listens on right now (the kernel's pick for port 0; racy, hence the retries).
std::uint16_t FreePort();
//! The tree size a checkpoint note names (its second line), or nullopt if it has none.
std::optional<std::uint64_t> CheckpointSize(const std::string& note);
//! A fresh random hex string, for unique names and keys.
std::string RandomHex(std::size_t bytes);
//! A grant's request body.
std::string GrantBody(std::int64_t amount_cents, int year = 2027,
                      std::string_view category = "public_space");

} // namespace wijkbudget::test
