// Tests of config/settings.cpp: the settings file, the WIJKBUDGET_* environment and validation.

#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>

namespace wijkbudget::config {
namespace {

namespace fs = std::filesystem;
using Environment = std::map<std::string, std::string>;

//! The required settings; each test adds or replaces what it is about.
constexpr const char* MINIMAL_FILE{R"([tls]
certificate_file = "tls/server.crt"
private_key_file = "tls/server.key"

[database]
runtime_dsn = "host=127.0.0.1 dbname=wijkbudget user=wijkbudget_app passfile=/x/pgpass"
owner_dsn = "host=127.0.0.1 dbname=wijkbudget user=wijkbudget_owner passfile=/x/pgpass"

[ledger]
signing_key_file = "/keys/ledger.key"
)"};

class SettingsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        std::string pattern = (fs::temp_directory_path() / "wb-settings-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        m_directory = pattern;
    }

    void TearDown() override
    {
        std::error_code ignored;
        fs::remove_all(m_directory, ignored);
    }

    fs::path Write(const std::string& text, const std::string& name = "wijkbudget.toml")
    {
        fs::path file = m_directory / name;
        std::ofstream{file} << text;
        return file;
    }

    //! Loads `text` as a settings file; fails the test if it is refused.
    Settings Load(const std::string& text, const Environment& environment = {})
    {
        auto result = LoadSettings(Write(text), environment);
        if (const auto* error = std::get_if<SettingsError>(&result)) {
            ADD_FAILURE() << error->where << ": " << error->message;
            return {};
        }
        return std::get<Settings>(std::move(result));
    }

    //! Loads `text` and expects it refused; returns the error.
    SettingsError Refuse(const std::string& text, const Environment& environment = {})
    {
        auto result = LoadSettings(Write(text), environment);
        if (std::holds_alternative<Settings>(result)) {
            ADD_FAILURE() << "accepted, expected an error:\n" << text;
            return {};
        }
        return std::get<SettingsError>(std::move(result));
    }

    //! The minimal file with one more section appended (TOML allows a section once, so tests
    //! that set [server] keys use this, and tests of other sections replace the line).
    static std::string WithServer(const std::string& lines)
    {
        return std::string{MINIMAL_FILE} + "\n[server]\n" + lines + "\n";
    }

    //! Why the minimal file with `dsn` as its owner_dsn is refused.
    SettingsError RefuseOwnerDsn(const std::string& dsn)
    {
        return Refuse(
            Replace(MINIMAL_FILE,
                    "\"host=127.0.0.1 dbname=wijkbudget user=wijkbudget_owner passfile=/x/pgpass\"",
                    "\"" + dsn + "\""));
    }

    static std::string Replace(std::string text, const std::string& from, const std::string& to)
    {
        const auto at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        if (at != std::string::npos) text.replace(at, from.size(), to);
        return text;
    }

    fs::path m_directory;
};

TEST_F(SettingsTest, LoadsTheExampleFile)
{
    const fs::path example =
        fs::path{WB_TEST_DATA_DIR} / ".." / "config" / "wijkbudget.example.toml";
    auto result = LoadSettings(example, {});
    ASSERT_TRUE(std::holds_alternative<Settings>(result))
        << std::get<SettingsError>(result).where << ": " << std::get<SettingsError>(result).message;
    const Settings& settings = std::get<Settings>(result);
    // The example documents the defaults, so it must agree with the structs' initialisers.
    const Settings defaults;
    EXPECT_EQ(settings.server.address, defaults.server.address);
    EXPECT_EQ(settings.server.port, defaults.server.port);
    EXPECT_EQ(settings.server.io_threads, defaults.server.io_threads);
    EXPECT_EQ(settings.server.worker_threads, defaults.server.worker_threads);
    EXPECT_EQ(settings.server.connections_per_client_max,
              defaults.server.connections_per_client_max);
    EXPECT_EQ(settings.database.runtime_role, defaults.database.runtime_role);
    EXPECT_EQ(settings.database.schema, defaults.database.schema);
    EXPECT_EQ(settings.database.pool_size, defaults.database.pool_size);
    const fs::path directory = fs::absolute(example).parent_path().lexically_normal();
    EXPECT_EQ(settings.tls.certificate_file, directory / "tls" / "server.crt");
    EXPECT_EQ(settings.ledger.signing_key_file, directory / "keys" / "ledger.key");
}

TEST_F(SettingsTest, AppliesDefaultsToAMinimalFile)
{
    const Settings settings = Load(MINIMAL_FILE);
    EXPECT_EQ(settings.server.address, "127.0.0.1");
    EXPECT_EQ(settings.server.port, 8443);
    EXPECT_EQ(settings.server.io_threads, 2);
    EXPECT_EQ(settings.server.worker_threads, 16);
    EXPECT_EQ(settings.database.runtime_role, "wijkbudget_app");
    EXPECT_EQ(settings.database.schema, "public");
    EXPECT_EQ(settings.database.pool_size, 16);
    EXPECT_EQ(settings.database.owner_dsn,
              "host=127.0.0.1 dbname=wijkbudget user=wijkbudget_owner passfile=/x/pgpass");
}

TEST_F(SettingsTest, ReadsEveryServerSetting)
{
    const Settings settings =
        Load(WithServer("address = \"::1\"\nport = 9443\nio_threads = 4\nworker_threads = 32"));
    EXPECT_EQ(settings.server.address, "::1");
    EXPECT_EQ(settings.server.port, 9443);
    EXPECT_EQ(settings.server.io_threads, 4);
    EXPECT_EQ(settings.server.worker_threads, 32);
}

TEST_F(SettingsTest, ResolvesRelativePathsAgainstTheFileDirectory)
{
    const Settings settings = Load(MINIMAL_FILE);
    EXPECT_EQ(settings.tls.certificate_file, m_directory / "tls" / "server.crt");
    EXPECT_EQ(settings.tls.private_key_file, m_directory / "tls" / "server.key");
    EXPECT_EQ(settings.ledger.signing_key_file, fs::path{"/keys/ledger.key"});
}

TEST_F(SettingsTest, NormalisesDotDotInRelativePaths)
{
    const Settings settings = Load(Replace(MINIMAL_FILE, "\"tls/server.crt\"", "\"../x/c.pem\""));
    EXPECT_EQ(settings.tls.certificate_file, m_directory.parent_path() / "x" / "c.pem");
}

TEST_F(SettingsTest, RejectsAnUnknownKeyByName)
{
    const SettingsError error = Refuse(WithServer("prot = 8443"));
    EXPECT_EQ(error.where, "server.prot");
    EXPECT_NE(error.message.find("unknown key"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("port"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("line 13"), std::string::npos) << error.message;
}

TEST_F(SettingsTest, RejectsAnUnknownSectionByName)
{
    const SettingsError error = Refuse(std::string{MINIMAL_FILE} + "[logging]\nlevel = 1\n");
    EXPECT_EQ(error.where, "logging");
    EXPECT_NE(error.message.find("unknown section"), std::string::npos) << error.message;
}

TEST_F(SettingsTest, RejectsAKeyOutsideASection)
{
    const SettingsError error = Refuse("port = 8443\n" + std::string{MINIMAL_FILE});
    EXPECT_EQ(error.where, "port");
}

TEST_F(SettingsTest, RejectsASectionThatIsNotATable)
{
    const SettingsError error = Refuse(std::string{"server = 8443\n"} + MINIMAL_FILE);
    EXPECT_EQ(error.where, "server");
    EXPECT_NE(error.message.find("must be a table"), std::string::npos) << error.message;
}

TEST_F(SettingsTest, RejectsWrongTypes)
{
    EXPECT_EQ(Refuse(WithServer("port = \"8443\"")).message,
              "must be an integer, not a string (line 13 of " +
                  (m_directory / "wijkbudget.toml").string() + ")");
    EXPECT_EQ(Refuse(WithServer("port = 8443.0")).where, "server.port");
    EXPECT_EQ(Refuse(WithServer("io_threads = true")).where, "server.io_threads");
    EXPECT_EQ(Refuse(WithServer("address = 127")).where, "server.address");
    EXPECT_EQ(Refuse(Replace(MINIMAL_FILE, "\"/keys/ledger.key\"", "[\"a\"]")).where,
              "ledger.signing_key_file");
}

TEST_F(SettingsTest, AcceptsPortBounds)
{
    EXPECT_EQ(Load(WithServer("port = 1")).server.port, 1);
    EXPECT_EQ(Load(WithServer("port = 65535")).server.port, 65535);
}

TEST_F(SettingsTest, RejectsPortsOutOfRange)
{
    for (const char* port : {"0", "65536", "-1", "9223372036854775807"}) {
        const SettingsError error = Refuse(WithServer(std::string{"port = "} + port));
        EXPECT_EQ(error.where, "server.port") << port;
        EXPECT_NE(error.message.find("from 1 to 65535"), std::string::npos) << error.message;
    }
}

TEST_F(SettingsTest, RejectsThreadCountsOutOfRange)
{
    EXPECT_EQ(Refuse(WithServer("io_threads = 0")).where, "server.io_threads");
    EXPECT_EQ(Refuse(WithServer("worker_threads = 257")).where, "server.worker_threads");
    EXPECT_EQ(Load(WithServer("io_threads = 1\nworker_threads = 256")).server.worker_threads, 256);
}

TEST_F(SettingsTest, RejectsConnectionsPerClientOutOfRange)
{
    for (const char* count : {"0", "1025", "-1"}) {
        const SettingsError error =
            Refuse(WithServer(std::string{"connections_per_client_max = "} + count));
        EXPECT_EQ(error.where, "server.connections_per_client_max") << count;
        EXPECT_NE(error.message.find("from 1 to 1024"), std::string::npos) << error.message;
    }
    EXPECT_EQ(
        Load(WithServer("connections_per_client_max = 1024")).server.connections_per_client_max,
        1024);
    EXPECT_EQ(Load(MINIMAL_FILE).server.connections_per_client_max, 128);
}

TEST_F(SettingsTest, RejectsPoolSizesOutOfRange)
{
    const std::string file = std::string{MINIMAL_FILE};
    EXPECT_EQ(Refuse(Replace(file, "[ledger]", "pool_size = 0\n[ledger]")).where,
              "database.pool_size");
    // Above 32 `serve` used to stop on ledger/pg's assertion: the file is refused instead.
    EXPECT_EQ(Refuse(Replace(file, "[ledger]", "pool_size = 33\n[ledger]")).where,
              "database.pool_size");
    EXPECT_EQ(Load(Replace(file, "[ledger]", "pool_size = 32\n[ledger]")).database.pool_size, 32);
}

TEST_F(SettingsTest, RejectsAddressesThatAreNotIpLiterals)
{
    for (const char* address : {"", "localhost", "256.0.0.1", "1.2.3", "01.2.3.4", "1.2.3.4.5",
                                "1::2::3", "fe80::1 ", "::g"}) {
        const SettingsError error =
            Refuse(WithServer(std::string{"address = \""} + address + "\""));
        EXPECT_EQ(error.where, "server.address") << address;
    }
    for (const char* address :
         {"0.0.0.0", "10.255.0.1", "::", "::1", "fe80::1:2", "::ffff:1.2.3.4"}) {
        EXPECT_EQ(Load(WithServer(std::string{"address = \""} + address + "\"")).server.address,
                  address);
    }
}

TEST_F(SettingsTest, RejectsSchemaAndRoleNamesThatAreNotPlainIdentifiers)
{
    const std::string too_long(64, 'a');
    for (const std::string& name : {std::string{}, std::string{"Public"}, std::string{"1abc"},
                                    std::string{"wb-app"}, std::string{"a;drop table x"},
                                    std::string{"wb.app"}, std::string{"\u00fcmlaut"}, too_long}) {
        const std::string file =
            Replace(MINIMAL_FILE, "[ledger]", "schema = \"" + name + "\"\n[ledger]");
        EXPECT_EQ(Refuse(file).where, "database.schema") << name;
        const std::string role_file =
            Replace(MINIMAL_FILE, "[ledger]", "runtime_role = \"" + name + "\"\n[ledger]");
        EXPECT_EQ(Refuse(role_file).where, "database.runtime_role") << name;
    }
    const std::string longest(63, 'z');
    const Settings settings =
        Load(Replace(MINIMAL_FILE, "[ledger]",
                     "schema = \"_wb_2\"\nruntime_role = \"" + longest + "\"\n[ledger]"));
    EXPECT_EQ(settings.database.schema, "_wb_2");
    EXPECT_EQ(settings.database.runtime_role, longest);
}

TEST_F(SettingsTest, RejectsAnEmptyDsn)
{
    const SettingsError error = Refuse(Replace(
        MINIMAL_FILE, "\"host=127.0.0.1 dbname=wijkbudget user=wijkbudget_app passfile=/x/pgpass\"",
        "\"\""));
    EXPECT_EQ(error.where, "database.runtime_dsn");
    EXPECT_NE(error.message.find("must not be empty"), std::string::npos) << error.message;
}

TEST_F(SettingsTest, RejectsAPasswordInADsnWithoutShowingIt)
{
    for (const char* dsn :
         {"host=h user=u password=s3cret", "host=h password = s3cret", "password=s3cret host=h",
          "postgresql://u:s3cret@h/wijkbudget", "postgres://h/wijkbudget?user=u&password=s3cret",
          // libpq decodes a URI's escapes, in names as in values; the user info it finds first.
          "postgresql://h/wijkbudget?user=u&%70assword=s3cret",
          "postgresql://u:s3cret%2Fx@h/wijkbudget"}) {
        const SettingsError error = RefuseOwnerDsn(dsn);
        EXPECT_EQ(error.where, "database.owner_dsn") << dsn;
        EXPECT_NE(error.message.find("passfile"), std::string::npos) << error.message;
        EXPECT_EQ(error.message.find("s3cret"), std::string::npos) << error.message;
    }
    // Words that merely contain "password" are not the keyword.
    const Settings settings = Load(Replace(MINIMAL_FILE, "user=wijkbudget_app passfile=/x/pgpass",
                                           "user=app_password_reader passfile=/x/password_file"));
    EXPECT_EQ(
        settings.database.runtime_dsn,
        "host=127.0.0.1 dbname=wijkbudget user=app_password_reader passfile=/x/password_file");
}

TEST_F(SettingsTest, RejectsARelativePassfileInADsn)
{
    // Every other path in the file is read from the file's folder; libpq reads a DSN's passfile
    // from the folder the command happens to run in, and logs in with whatever it finds there.
    for (const char* dsn : {"host=h user=u passfile=var/pg/secrets/pgpass",
                            "host=h user=u passfile='pgpass'", "host=h passfile = ./pgpass user=u",
                            "postgresql://h/wijkbudget?user=u&passfile=pgpass"}) {
        const SettingsError error = RefuseOwnerDsn(dsn);
        EXPECT_EQ(error.where, "database.owner_dsn") << dsn;
        EXPECT_NE(error.message.find("relative path"), std::string::npos) << error.message;
    }
    const Settings settings =
        Load(Replace(MINIMAL_FILE, "passfile=/x/pgpass", "passfile='/x/pg pass'"));
    EXPECT_NE(settings.database.runtime_dsn.find("/x/pg pass"), std::string::npos);
    Load(Replace(MINIMAL_FILE,
                 "host=127.0.0.1 dbname=wijkbudget user=wijkbudget_app passfile=/x/pgpass",
                 "postgresql://127.0.0.1/wijkbudget?user=wijkbudget_app&passfile=%2Fx%2Fpgpass"));
}

TEST_F(SettingsTest, RejectsAMissingRequiredSetting)
{
    const SettingsError error =
        Refuse(Replace(MINIMAL_FILE, "certificate_file = \"tls/server.crt\"\n", ""));
    EXPECT_EQ(error.where, "tls.certificate_file");
    EXPECT_NE(error.message.find("WIJKBUDGET_TLS_CERTIFICATE_FILE"), std::string::npos)
        << error.message;
    EXPECT_EQ(Refuse("").where, "tls.certificate_file");
}

TEST_F(SettingsTest, RejectsAnEmptyPath)
{
    const SettingsError error = Refuse(Replace(MINIMAL_FILE, "\"/keys/ledger.key\"", "\"\""));
    EXPECT_EQ(error.where, "ledger.signing_key_file");
}

TEST_F(SettingsTest, RejectsATomlSyntaxErrorWithItsLine)
{
    const SettingsError error = Refuse(WithServer("port = = 1"));
    EXPECT_EQ(error.where, (m_directory / "wijkbudget.toml").string());
    EXPECT_NE(error.message.find("line 13"), std::string::npos) << error.message;
}

TEST_F(SettingsTest, RejectsAMissingFile)
{
    auto result = LoadSettings(m_directory / "absent.toml", {});
    ASSERT_TRUE(std::holds_alternative<SettingsError>(result));
    EXPECT_EQ(std::get<SettingsError>(result).where, (m_directory / "absent.toml").string());
    EXPECT_EQ(std::get<SettingsError>(result).message, "no such settings file");
}

TEST_F(SettingsTest, EnvironmentOverridesEverySetting)
{
    const Environment environment{
        {"WIJKBUDGET_SERVER_ADDRESS", "0.0.0.0"},
        {"WIJKBUDGET_SERVER_PORT", "9443"},
        {"WIJKBUDGET_SERVER_IO_THREADS", "3"},
        {"WIJKBUDGET_SERVER_WORKER_THREADS", "5"},
        {"WIJKBUDGET_TLS_CERTIFICATE_FILE", "/e/cert.pem"},
        {"WIJKBUDGET_TLS_PRIVATE_KEY_FILE", "/e/key.pem"},
        {"WIJKBUDGET_DATABASE_RUNTIME_DSN", "dbname=r"},
        {"WIJKBUDGET_DATABASE_OWNER_DSN", "dbname=o"},
        {"WIJKBUDGET_DATABASE_RUNTIME_ROLE", "app2"},
        {"WIJKBUDGET_DATABASE_SCHEMA", "wb"},
        {"WIJKBUDGET_DATABASE_POOL_SIZE", "7"},
        {"WIJKBUDGET_LEDGER_SIGNING_KEY_FILE", "/e/ledger.key"},
        {"PATH", "/usr/bin"},
    };
    const Settings settings = Load(MINIMAL_FILE, environment);
    EXPECT_EQ(settings.server.address, "0.0.0.0");
    EXPECT_EQ(settings.server.port, 9443);
    EXPECT_EQ(settings.server.io_threads, 3);
    EXPECT_EQ(settings.server.worker_threads, 5);
    EXPECT_EQ(settings.tls.certificate_file, fs::path{"/e/cert.pem"});
    EXPECT_EQ(settings.tls.private_key_file, fs::path{"/e/key.pem"});
    EXPECT_EQ(settings.database.runtime_dsn, "dbname=r");
    EXPECT_EQ(settings.database.owner_dsn, "dbname=o");
    EXPECT_EQ(settings.database.runtime_role, "app2");
    EXPECT_EQ(settings.database.schema, "wb");
    EXPECT_EQ(settings.database.pool_size, 7);
    EXPECT_EQ(settings.ledger.signing_key_file, fs::path{"/e/ledger.key"});
}

TEST_F(SettingsTest, EnvironmentSuppliesRequiredSettings)
{
    const Environment environment{
        {"WIJKBUDGET_TLS_CERTIFICATE_FILE", "/e/cert.pem"},
        {"WIJKBUDGET_TLS_PRIVATE_KEY_FILE", "/e/key.pem"},
        {"WIJKBUDGET_DATABASE_RUNTIME_DSN", "dbname=r"},
        {"WIJKBUDGET_DATABASE_OWNER_DSN", "dbname=o"},
        {"WIJKBUDGET_LEDGER_SIGNING_KEY_FILE", "/e/ledger.key"},
    };
    EXPECT_EQ(Load("", environment).database.runtime_dsn, "dbname=r");
}

TEST_F(SettingsTest, EnvironmentPathsResolveAgainstTheWorkingDirectory)
{
    const Settings settings = Load(MINIMAL_FILE, {{"WIJKBUDGET_TLS_CERTIFICATE_FILE", "c.pem"}});
    EXPECT_EQ(settings.tls.certificate_file, (fs::current_path() / "c.pem").lexically_normal());
}

TEST_F(SettingsTest, EnvironmentIsValidatedLikeTheFile)
{
    const std::pair<const char*, const char*> bad[] = {
        {"WIJKBUDGET_SERVER_PORT", "0"},
        {"WIJKBUDGET_SERVER_PORT", "abc"},
        {"WIJKBUDGET_SERVER_PORT", "8443x"},
        {"WIJKBUDGET_SERVER_PORT", " 8443"},
        {"WIJKBUDGET_SERVER_PORT", ""},
        {"WIJKBUDGET_SERVER_ADDRESS", "localhost"},
        {"WIJKBUDGET_SERVER_IO_THREADS", "257"},
        {"WIJKBUDGET_SERVER_WORKER_THREADS", "0"},
        {"WIJKBUDGET_DATABASE_POOL_SIZE", "-3"},
        {"WIJKBUDGET_DATABASE_SCHEMA", "Wb"},
        {"WIJKBUDGET_DATABASE_RUNTIME_ROLE", "a b"},
        {"WIJKBUDGET_DATABASE_RUNTIME_DSN", ""},
        {"WIJKBUDGET_DATABASE_OWNER_DSN", "dbname=x password=s3cret"},
        {"WIJKBUDGET_TLS_PRIVATE_KEY_FILE", ""},
    };
    for (const auto& [name, value] : bad) {
        const SettingsError error = Refuse(MINIMAL_FILE, {{name, value}});
        EXPECT_EQ(error.where, name) << value;
        EXPECT_EQ(error.message.find("s3cret"), std::string::npos) << error.message;
    }
}

TEST_F(SettingsTest, RejectsAnUnknownWijkbudgetVariableByName)
{
    const SettingsError error = Refuse(MINIMAL_FILE, {{"WIJKBUDGET_SERVER_PROT", "1"}});
    EXPECT_EQ(error.where, "WIJKBUDGET_SERVER_PROT");
    EXPECT_NE(error.message.find("WIJKBUDGET_SERVER_PORT"), std::string::npos) << error.message;
}

TEST_F(SettingsTest, IgnoresVariablesWithoutThePrefix)
{
    EXPECT_EQ(Load(MINIMAL_FILE, {{"WIJKBUDGETX", "1"}, {"HOME", "/root"}}).server.port, 8443);
}

TEST_F(SettingsTest, ReadsWijkbudgetVariablesFromTheProcess)
{
    ASSERT_EQ(setenv("WIJKBUDGET_SERVER_PORT", "9999", 1), 0);
    ASSERT_EQ(setenv("WB_SETTINGS_TEST_OTHER", "x", 1), 0);
    const Environment environment = WijkbudgetEnvironment();
    unsetenv("WIJKBUDGET_SERVER_PORT");
    unsetenv("WB_SETTINGS_TEST_OTHER");
    ASSERT_EQ(environment.count("WIJKBUDGET_SERVER_PORT"), 1U);
    EXPECT_EQ(environment.at("WIJKBUDGET_SERVER_PORT"), "9999");
    EXPECT_EQ(environment.count("WB_SETTINGS_TEST_OTHER"), 0U);
    for (const auto& [name, value] : environment) {
        EXPECT_EQ(name.rfind("WIJKBUDGET_", 0), 0U) << name;
    }
}

} // namespace
} // namespace wijkbudget::config
