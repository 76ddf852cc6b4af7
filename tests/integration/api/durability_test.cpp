// tests/integration/api/durability_test.cpp: `serve` refuses a database session in which a commit
// is not durable (api/main_serve.cpp, ledger/pg/pg_sequencer.hpp CheckDurability): with
// synchronous_commit off an acknowledged write could still be lost in a crash. It also refuses a
// TLS private key that others can read, as it does a signing key.

#include "tests/integration/api/service_under_test.hpp"

#include <filesystem>
#include <string>

namespace wijkbudget::test {
namespace {

//! A refusal is a check at start-up; a server still running after this has not refused.
constexpr std::chrono::milliseconds REFUSAL_TIMEOUT{20s};

class DurabilityTest : public ApiIntegrationTest
{
};

TEST_F(DurabilityTest, ServeRefusesSynchronousCommitOff)
{
    // libpq sends PGOPTIONS at connection start: every session of the server gets the setting.
    const auto refused =
        RunCommand({WB_SERVER_BINARY, "serve", "--config", m_service->SettingsFile().string()},
                   {{"PGOPTIONS", "-c synchronous_commit=off"},
                    {"WIJKBUDGET_SERVER_PORT", std::to_string(FreePort())}},
                   {}, REFUSAL_TIMEOUT);
    EXPECT_NE(refused.exit_status, 0) << refused.Describe();
    EXPECT_NE(refused.exit_status, -1)
        << "it must exit by itself, not be killed: " << refused.Describe();
    EXPECT_NE(refused.err.find("synchronous_commit"), std::string::npos) << refused.Describe();

    // The same settings without PGOPTIONS serve: the refusal was the setting's doing.
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    EXPECT_EQ(m_service->Send("GET", "/readyz").status, 200U);
}

TEST_F(DurabilityTest, ServeRefusesATlsKeyOthersCanRead)
{
    // Whoever reads the TLS key can pass for this server to every resident.
    const auto readable = m_service->SettingsFile().parent_path() / "readable-tls.key";
    std::filesystem::copy_file(WB_TEST_DATA_DIR "/support/tls/key.pem", readable);
    std::filesystem::permissions(readable, std::filesystem::perms::owner_read |
                                               std::filesystem::perms::owner_write |
                                               std::filesystem::perms::others_read);
    const auto refused =
        RunCommand({WB_SERVER_BINARY, "serve", "--config", m_service->SettingsFile().string()},
                   {{"WIJKBUDGET_TLS_PRIVATE_KEY_FILE", readable.string()},
                    {"WIJKBUDGET_SERVER_PORT", std::to_string(FreePort())}},
                   {}, REFUSAL_TIMEOUT);
    EXPECT_NE(refused.exit_status, 0) << refused.Describe();
    EXPECT_NE(refused.exit_status, -1)
        << "it must exit by itself, not be killed: " << refused.Describe();
    EXPECT_NE(refused.err.find("TLS private key"), std::string::npos) << refused.Describe();
    EXPECT_NE(refused.err.find("chmod 600"), std::string::npos) << refused.Describe();
}

} // namespace
} // namespace wijkbudget::test
