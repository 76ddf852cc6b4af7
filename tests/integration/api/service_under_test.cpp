#include "tests/integration/api/service_under_test.hpp"

#include <boost/json.hpp>
#include <boost/system/system_error.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ; // NOLINT: POSIX declares it nowhere else.

namespace wijkbudget::test {
namespace {

const std::string SERVER_BINARY{WB_SERVER_BINARY};
const std::string VERIFY_TOOL{WB_VERIFY_TOOL};
const std::string PSQL{"/usr/bin/psql"};
const std::filesystem::path CERTIFICATE_FILE{WB_TEST_DATA_DIR "/support/tls/cert.pem"};
const std::filesystem::path PRIVATE_KEY_FILE{WB_TEST_DATA_DIR "/support/tls/key.pem"};
//! The runtime role of deploy/postgres/roles.sql, the user of WB_TEST_PG_RUNTIME_DSN.
constexpr std::string_view RUNTIME_ROLE{"wijkbudget_app"};
//! The checkpoints' origin; any key name will do, this one says where it came from.
constexpr std::string_view KEY_NAME{"wijkbudget.test/ledger"};
//! The environment prefix `wijkbudget` reads settings from (config/settings.hpp).
constexpr std::string_view SETTINGS_PREFIX{"WIJKBUDGET_"};
//! Readiness probes are short, so a probe of a server that is still starting fails fast.
constexpr std::chrono::milliseconds READY_PROBE_TIMEOUT{2s};
//! Random bytes of a schema name: unique across the tests two processes run at once.
constexpr std::size_t SCHEMA_RANDOM_BYTES{8};

std::string ReadWholeFile(const std::filesystem::path& file)
{
    std::ifstream in{file, std::ios::binary};
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Getenv(const char* name)
{
    const char* value = std::getenv(name);
    return value == nullptr ? std::string{} : std::string{value};
}

} // namespace

std::uint16_t FreePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    // The sockaddr casts are what the sockets API asks for.
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("bind: " + std::string(std::strerror(errno)));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

namespace {

//! A unique temporary file path under the system's temporary folder.
std::filesystem::path TemporaryFile(const char* what)
{
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("wbapi-" + std::string(what) + "-XXXXXX"))
            .string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp: " + std::string(std::strerror(errno)));
    ::close(fd);
    return pattern;
}

int StatusOf(int wait_status)
{
    return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

HttpsClientOptions ClientOptions(std::chrono::milliseconds timeout)
{
    HttpsClientOptions options;
    // The test certificate names 127.0.0.1, so the client checks it as a browser would.
    options.trusted_certificate_path = CERTIFICATE_FILE.string();
    options.timeout = timeout;
    return options;
}

} // namespace

std::optional<PgEnvironment> TestPgEnvironment()
{
    PgEnvironment environment{Getenv("WB_TEST_PG_DSN"), Getenv("WB_TEST_PG_OWNER_DSN"),
                              Getenv("WB_TEST_PG_RUNTIME_DSN")};
    if (environment.superuser_dsn.empty()) return std::nullopt;
    return environment;
}

bool PgRequired()
{
    return Getenv("WB_REQUIRE_PG") == "1";
}

std::string CommandResult::Describe() const
{
    return "exit status " + std::to_string(exit_status) + "\nstdout: " + out + "\nstderr: " + err;
}

ChildProcess::ChildProcess(const std::vector<std::string>& arguments, const Environment& extra,
                           const std::filesystem::path& stdin_file,
                           const std::filesystem::path& stdout_file,
                           const std::filesystem::path& stderr_file)
{
    std::vector<std::string> argument_storage = arguments;
    std::vector<std::string> environment_storage;
    for (char** variable = environ; *variable != nullptr; ++variable) {
        const std::string_view text{*variable};
        const std::string_view name = text.substr(0, text.find('='));
        if (name.starts_with(SETTINGS_PREFIX)) continue;
        bool overridden = false;
        for (const auto& [extra_name, value] : extra)
            overridden = overridden || extra_name == name;
        if (!overridden) environment_storage.emplace_back(text);
    }
    for (const auto& [name, value] : extra)
        environment_storage.push_back(name + "=" + value);
    std::vector<char*> argv;
    for (auto& argument : argument_storage)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& variable : environment_storage)
        envp.push_back(variable.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_file.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, S_IRUSR | S_IWUSR);
    // Other threads' client sockets must not live on in a server: a connection the test closed
    // would stay open, and a killed server's clients would hang instead of failing over.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // The test ignores SIGPIPE (a killed server must not kill its clients); a child would inherit
    // that, so its default comes back, as under an init system.
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigset_t no_mask;
    sigemptyset(&no_mask);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setsigmask(&attributes, &no_mask);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
    const int spawned =
        ::posix_spawn(&m_pid, argv.front(), &actions, &attributes, argv.data(), envp.data());
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        m_pid = -1;
        throw std::runtime_error("cannot start " + arguments.front() + ": " +
                                 std::strerror(spawned));
    }
}

ChildProcess::~ChildProcess()
{
    if (m_pid < 0 || m_status) return;
    ::kill(m_pid, SIGKILL);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
}

std::optional<int> ChildProcess::Poll()
{
    if (m_status || m_pid < 0) return m_status;
    int status = 0;
    const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
    if (done == m_pid) m_status = StatusOf(status);
    return m_status;
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!Poll() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(POLL_INTERVAL);
    return m_status;
}

void ChildProcess::Signal(int signal_number)
{
    if (m_pid > 0 && !m_status) ::kill(m_pid, signal_number);
}

CommandResult RunCommand(const std::vector<std::string>& arguments, const Environment& extra,
                         const std::string& input, std::chrono::milliseconds timeout)
{
    const auto input_file = TemporaryFile("in");
    const auto out_file = TemporaryFile("out");
    const auto err_file = TemporaryFile("err");
    {
        std::ofstream in{input_file, std::ios::binary};
        in << input;
    }
    CommandResult result;
    {
        ChildProcess child{arguments, extra, input_file, out_file, err_file};
        const auto status = child.Wait(timeout);
        result.exit_status = status.value_or(-1);
        if (!status) result.err = "(killed after " + std::to_string(timeout.count()) + " ms) ";
    }
    result.out = ReadWholeFile(out_file);
    result.err += ReadWholeFile(err_file);
    std::error_code ignored;
    std::filesystem::remove(input_file, ignored);
    std::filesystem::remove(out_file, ignored);
    std::filesystem::remove(err_file, ignored);
    return result;
}

ServiceUnderTest::ServiceUnderTest() = default;

ServiceUnderTest::~ServiceUnderTest()
{
    for (std::size_t number = 0; number < m_servers.size(); ++number) {
        if (m_servers[number].process && !m_servers[number].process->Poll()) StopServer(number);
    }
    m_servers.clear();
    if (m_schema_created) {
        const auto dropped = Psql("SET client_min_messages TO warning; DROP SCHEMA IF EXISTS " +
                                  m_schema + " CASCADE");
        if (dropped.exit_status != 0)
            ADD_FAILURE() << "dropping " << m_schema << ": " << dropped.Describe();
    }
    if (m_folder.empty()) return;
    if (::testing::Test::HasFailure()) {
        std::cerr << "kept the failed test's folder (settings, key, server logs): " << m_folder
                  << "\n";
        return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(m_folder, ignored);
}

void ServiceUnderTest::Prepare()
{
    const auto pg = TestPgEnvironment();
    ASSERT_TRUE(pg.has_value());
    m_pg = *pg;
    ASSERT_FALSE(m_pg.owner_dsn.empty()) << "WB_TEST_PG_DSN is set but WB_TEST_PG_OWNER_DSN is not";
    ASSERT_FALSE(m_pg.runtime_dsn.empty())
        << "WB_TEST_PG_DSN is set but WB_TEST_PG_RUNTIME_DSN is not";

    std::string folder = (std::filesystem::temp_directory_path() / "wbapi-XXXXXX").string();
    ASSERT_NE(::mkdtemp(folder.data()), nullptr) << std::strerror(errno);
    m_folder = folder;
    m_schema = "api_" + RandomHex(SCHEMA_RANDOM_BYTES);

    const auto key_file = m_folder / "ledger.key";
    const auto keygen = RunCommand(
        {SERVER_BINARY, "keygen", "--name", std::string(KEY_NAME), "--out", key_file.string()});
    ASSERT_EQ(keygen.exit_status, 0) << keygen.Describe();
    // keygen itself makes the key its owner's alone, whatever the umask: `serve` requires it.
    ASSERT_EQ(std::filesystem::status(key_file).permissions(),
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    m_verifier_key = keygen.out.substr(0, keygen.out.find('\n'));
    ASSERT_FALSE(m_verifier_key.empty());

    // The checked-in test key is as readable as any file git checks out; `serve` wants it the
    // owner's alone, as a real one is.
    const auto tls_key = m_folder / "tls.key";
    std::filesystem::copy_file(PRIVATE_KEY_FILE, tls_key);
    std::filesystem::permissions(tls_key, std::filesystem::perms::owner_read |
                                              std::filesystem::perms::owner_write);

    std::ostringstream settings;
    settings << "[server]\n"
             << "address = \"127.0.0.1\"\n"
             << "port = 8443\n" // Each server gets its own through WIJKBUDGET_SERVER_PORT.
             << "io_threads = " << SERVER_IO_THREADS << "\n"
             << "worker_threads = " << SERVER_WORKER_THREADS << "\n"
             << "[tls]\n"
             << "certificate_file = \"" << CERTIFICATE_FILE.string() << "\"\n"
             << "private_key_file = \"" << tls_key.string() << "\"\n"
             << "[database]\n"
             << "runtime_dsn = \"" << m_pg.runtime_dsn << "\"\n"
             << "owner_dsn = \"" << m_pg.owner_dsn << "\"\n"
             << "runtime_role = \"" << RUNTIME_ROLE << "\"\n"
             << "schema = \"" << m_schema << "\"\n"
             << "pool_size = " << SERVER_POOL_SIZE << "\n"
             << "[ledger]\n"
             // Relative on purpose: it resolves against the settings file's folder.
             << "signing_key_file = \"ledger.key\"\n";
    m_settings_file = WriteFile("wijkbudget.toml", settings.str());

    // The owner's DSN through the environment, as an operator would keep it out of the file that
    // `serve` reads; the file's value is overridden.
    m_schema_created = true; // From here on a half-made schema is dropped as well.
    const auto migrated =
        RunWijkbudget({"migrate"}, {}, {{"WIJKBUDGET_DATABASE_OWNER_DSN", m_pg.owner_dsn}});
    ASSERT_EQ(migrated.exit_status, 0) << migrated.Describe();

    const auto district = Psql("INSERT INTO " + m_schema + ".districts (slug, name) VALUES ('" +
                               std::string(TEST_DISTRICT) + "', 'Centrum')");
    ASSERT_EQ(district.exit_status, 0) << district.Describe();
    m_municipality_token = CreateToken("municipality", "gemeente-test");
    ASSERT_FALSE(m_municipality_token.empty());
}

void ServiceUnderTest::LoadDemo()
{
    const std::string data = WB_TEST_DATA_DIR "/../demo/haarlem";
    const auto demo = RunWijkbudget({"demo", "--data", data});
    ASSERT_EQ(demo.exit_status, 0) << demo.Describe();
}

std::filesystem::path ServiceUnderTest::ServerLogFile(std::size_t number, int start,
                                                      const char* stream) const
{
    return m_folder / ("server" + std::to_string(number) + "." + std::to_string(start) + "." +
                       stream + ".log");
}

std::size_t ServiceUnderTest::StartServer(const Environment& extra)
{
    m_servers.emplace_back();
    m_server_environments.push_back(extra);
    const std::size_t number = m_servers.size() - 1;
    Launch(m_servers[number], number, extra);
    return number;
}

void ServiceUnderTest::RestartServer(std::size_t number)
{
    Launch(m_servers.at(number), number, m_server_environments.at(number));
}

void ServiceUnderTest::Launch(Server& server, std::size_t number, const Environment& extra)
{
    for (int attempt = 0; attempt < START_ATTEMPTS_MAX; ++attempt) {
        if (server.port == 0 || attempt > 0) server.port = FreePort();
        ++server.starts;
        Environment environment = extra;
        environment.emplace_back("WIJKBUDGET_SERVER_PORT", std::to_string(server.port));
        const auto err_file = ServerLogFile(number, server.starts, "err");
        server.process = std::make_unique<ChildProcess>(
            std::vector<std::string>{SERVER_BINARY, "serve", "--config", m_settings_file.string()},
            environment, "/dev/null", ServerLogFile(number, server.starts, "out"), err_file);
        const auto deadline = std::chrono::steady_clock::now() + READY_TIMEOUT;
        bool exited = false;
        while (std::chrono::steady_clock::now() < deadline) {
            if (server.process->Poll()) {
                exited = true;
                break;
            }
            try {
                HttpsClient client{"127.0.0.1", server.port, ClientOptions(READY_PROBE_TIMEOUT)};
                if (client.Send("GET", "/readyz").status == 200) return;
            } catch (const boost::system::system_error&) {
                // Not listening yet, or a stale listener from someone else: look again.
            }
            std::this_thread::sleep_for(POLL_INTERVAL);
        }
        const std::string log = ReadWholeFile(err_file);
        if (exited && log.find("in use") != std::string::npos) continue; // Port taken: another.
        server.process->Signal(SIGKILL);
        server.process->Wait(STOP_TIMEOUT);
        FAIL() << "server " << number << " on port " << server.port
               << (exited ? " exited before it was ready" : " was not ready in time")
               << "; its log:\n"
               << log;
    }
    FAIL() << "server " << number << " found no free port in " << START_ATTEMPTS_MAX << " tries";
}

void ServiceUnderTest::KillServer(std::size_t number)
{
    auto& process = m_servers.at(number).process;
    ASSERT_TRUE(process);
    process->Signal(SIGKILL);
    ASSERT_TRUE(process->Wait(STOP_TIMEOUT).has_value()) << "SIGKILL did not end server " << number;
}

void ServiceUnderTest::StopServer(std::size_t number)
{
    auto& process = m_servers.at(number).process;
    if (!process) return;
    process->Signal(SIGTERM);
    const auto status = process->Wait(STOP_TIMEOUT);
    if (!status) {
        process->Signal(SIGKILL);
        process->Wait(STOP_TIMEOUT);
        ADD_FAILURE() << "server " << number << " did not stop within "
                      << std::chrono::duration_cast<std::chrono::seconds>(STOP_TIMEOUT).count()
                      << " s of SIGTERM";
        return;
    }
    EXPECT_EQ(*status, 0) << "server " << number << " after SIGTERM; its log:\n"
                          << ServerLog(number);
}

std::uint16_t ServiceUnderTest::Port(std::size_t number) const
{
    return m_servers.at(number).port;
}

std::string ServiceUnderTest::ServerLog(std::size_t number) const
{
    const auto& server = m_servers.at(number);
    return ReadWholeFile(ServerLogFile(number, server.starts, "err"));
}

HttpsResponse ServiceUnderTest::Send(std::string_view method, std::string_view target,
                                     std::string body, const Headers& headers,
                                     std::size_t number) const
{
    HttpsClient client{"127.0.0.1", Port(number), ClientOptions(REQUEST_TIMEOUT)};
    auto response = client.Send(method, target, std::move(body), headers);
    client.Close();
    return response;
}

HttpsResponse ServiceUnderTest::Post(std::string_view target, std::string body,
                                     const std::string& token, const std::string& key,
                                     std::size_t number) const
{
    Headers headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return Send("POST", target, std::move(body), headers, number);
}

void ServiceUnderTest::RegisterCouncil(const std::string& id)
{
    const std::string body = R"({"id":")" + id + R"(","name":"Wijkraad )" + id +
                             R"(","district":")" + std::string(TEST_DISTRICT) + R"("})";
    const auto response =
        Post("/api/v1/councils", body, m_municipality_token, "register-" + id + "-" + RandomHex(4));
    ASSERT_EQ(response.status, 201U) << response.body;
}

std::uint64_t ServiceUnderTest::LedgerSize(std::size_t number) const
{
    const auto response = Send("GET", "/api/v1/ledger/entries?limit=0", {}, {}, number);
    EXPECT_EQ(response.status, 200U) << response.body;
    const auto size = JsonNumber(response.body, "size");
    EXPECT_TRUE(size.has_value()) << response.body;
    return size.value_or(0);
}

std::string ServiceUnderTest::Export(std::size_t number) const
{
    const auto response = Send("GET", "/api/v1/ledger/export", {}, {}, number);
    EXPECT_EQ(response.status, 200U) << response.body;
    return response.body;
}

std::string ServiceUnderTest::Checkpoint(std::size_t number) const
{
    const auto response = Send("GET", "/api/v1/ledger/checkpoint", {}, {}, number);
    EXPECT_EQ(response.status, 200U) << response.body;
    return response.body;
}

std::string ServiceUnderTest::CreateToken(const std::string& role, const std::string& name,
                                          const std::string& council)
{
    std::vector<std::string> arguments{"token", "create", "--role", role, "--name", name};
    if (!council.empty()) {
        arguments.emplace_back("--council");
        arguments.push_back(council);
    }
    const auto created = RunWijkbudget(arguments);
    EXPECT_EQ(created.exit_status, 0) << created.Describe();
    if (created.exit_status != 0) return {};
    return created.out.substr(0, created.out.find('\n'));
}

CommandResult ServiceUnderTest::RunWijkbudget(std::vector<std::string> arguments,
                                              const std::string& input,
                                              const Environment& extra) const
{
    arguments.insert(arguments.begin(), SERVER_BINARY);
    arguments.emplace_back("--config");
    arguments.push_back(m_settings_file.string());
    return RunCommand(arguments, extra, input);
}

CommandResult ServiceUnderTest::Verify(const std::vector<std::string>& arguments)
{
    std::vector<std::string> command{VERIFY_TOOL};
    command.insert(command.end(), arguments.begin(), arguments.end());
    return RunCommand(command);
}

CommandResult ServiceUnderTest::Psql(const std::string& sql) const
{
    return RunCommand({PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d",
                       m_pg.superuser_dsn, "-c", sql});
}

std::filesystem::path ServiceUnderTest::WriteFile(const std::string& name,
                                                  std::string_view content) const
{
    const auto path = m_folder / name;
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return path;
}

void ApiIntegrationTest::SetUp()
{
    if (!TestPgEnvironment()) {
        if (PgRequired()) FAIL() << "WB_REQUIRE_PG=1 but WB_TEST_PG_DSN is not set";
        GTEST_SKIP() << "WB_TEST_PG_DSN is not set";
    }
    // A killed server must fail its clients' requests, not end the test process.
    std::signal(SIGPIPE, SIG_IGN);
    m_service = std::make_unique<ServiceUnderTest>();
    m_service->Prepare();
}

void ApiIntegrationTest::TearDown()
{
    m_service.reset();
}

std::string ProblemCode(const HttpsResponse& response)
{
    return JsonString(response.body, "code");
}

std::string JsonString(const std::string& json, std::string_view member)
{
    boost::system::error_code error;
    const auto value = boost::json::parse(json, error);
    if (error || !value.is_object()) return {};
    const auto* found = value.as_object().if_contains(member);
    if (found == nullptr || !found->is_string()) return {};
    return std::string(found->as_string());
}

std::optional<std::uint64_t> JsonNumber(const std::string& json, std::string_view member)
{
    boost::system::error_code error;
    const auto value = boost::json::parse(json, error);
    if (error || !value.is_object()) return std::nullopt;
    const auto* found = value.as_object().if_contains(member);
    if (found == nullptr) return std::nullopt;
    if (found->is_uint64()) return found->as_uint64();
    if (found->is_int64() && found->as_int64() >= 0)
        return static_cast<std::uint64_t>(found->as_int64());
    return std::nullopt;
}

std::vector<std::string> Lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto newline = text.find('\n', start);
        if (newline == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, newline - start));
        start = newline + 1;
    }
    return lines;
}

std::optional<std::uint64_t> CheckpointSize(const std::string& note)
{
    const auto lines = Lines(note);
    if (lines.size() < 2 || lines[1].empty()) return std::nullopt;
    std::uint64_t size = 0;
    for (const char digit : lines[1]) {
        if (digit < '0' || digit > '9') return std::nullopt;
        size = size * 10 + static_cast<std::uint64_t>(digit - '0');
    }
    return size;
}

std::string RandomHex(std::size_t bytes)
{
    static thread_local std::mt19937_64 generator{std::random_device{}()};
    constexpr std::string_view DIGITS{"0123456789abcdef"};
    std::string text;
    for (std::size_t index = 0; index < bytes * 2; ++index)
        text.push_back(DIGITS[generator() % DIGITS.size()]);
    return text;
}

std::string GrantBody(std::int64_t amount_cents, int year, std::string_view category)
{
    return R"({"year":)" + std::to_string(year) + R"(,"category":")" + std::string(category) +
           R"(","amount_cents":)" + std::to_string(amount_cents) + "}";
}

} // namespace wijkbudget::test
