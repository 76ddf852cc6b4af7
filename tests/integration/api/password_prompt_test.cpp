// tests/integration/api/password_prompt_test.cpp: `wijkbudget account create` at a terminal (a
// pseudo-terminal here). It asks for the password with the terminal's echo off; a Ctrl-C while
// the password is typed ends the command as Ctrl-C does, with the echo back on, so the operator's
// shell is not left silent, and no account is made.

#include "tests/integration/api/service_under_test.hpp"

#include <array>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char** environ;

namespace wijkbudget::test {
namespace {

//! The prompt must appear this soon (the command opens the database first).
constexpr std::chrono::milliseconds PROMPT_TIMEOUT{20s};
//! After Ctrl-C the command must end this soon.
constexpr std::chrono::milliseconds END_TIMEOUT{10s};
//! The terminal's interrupt character, as a person types it (Ctrl-C).
constexpr char INTERRUPT{'\x03'};

class PasswordPromptTest : public ApiIntegrationTest
{
protected:
    void TearDown() override
    {
        if (m_child > 0) {
            ::kill(m_child, SIGKILL);
            ::waitpid(m_child, nullptr, 0);
        }
        for (const int fd : {m_master, m_terminal}) {
            if (fd >= 0) ::close(fd);
        }
        ApiIntegrationTest::TearDown();
    }

    //! Whether the terminal echoes what is typed now.
    [[nodiscard]] bool Echoes() const
    {
        termios settings{};
        EXPECT_EQ(::tcgetattr(m_terminal, &settings), 0);
        return (settings.c_lflag & static_cast<tcflag_t>(ECHO)) != 0;
    }

    //! What the command wrote to the terminal until `text` appeared, or PROMPT_TIMEOUT passed.
    std::string ReadUntil(const std::string& text)
    {
        std::string seen;
        const auto deadline = std::chrono::steady_clock::now() + PROMPT_TIMEOUT;
        while (seen.find(text) == std::string::npos &&
               std::chrono::steady_clock::now() < deadline) {
            pollfd ready{m_master, POLLIN, 0};
            if (::poll(&ready, 1, static_cast<int>(POLL_INTERVAL.count())) <= 0) continue;
            std::array<char, 256> buffer{};
            const ssize_t got = ::read(m_master, buffer.data(), buffer.size());
            if (got <= 0) break;
            seen.append(buffer.data(), static_cast<std::size_t>(got));
        }
        return seen;
    }

    int m_master{-1};
    int m_terminal{-1};
    pid_t m_child{-1};
};

TEST_F(PasswordPromptTest, CtrlCWhileThePasswordIsTypedGivesTheTerminalItsEchoBack)
{
    ASSERT_EQ(::openpty(&m_master, &m_terminal, nullptr, nullptr, nullptr), 0)
        << std::strerror(errno);
    ASSERT_TRUE(Echoes());
    // Everything the child needs is made before fork: after it, only async-signal-safe calls.
    std::vector<std::string> arguments{WB_SERVER_BINARY,
                                       "account",
                                       "create",
                                       "--login",
                                       "pty@wijk.test",
                                       "--role",
                                       "municipality",
                                       "--member",
                                       "m-pty",
                                       "--config",
                                       m_service->SettingsFile().string()};
    std::vector<char*> argv;
    for (std::string& argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);
    // The test's own WIJKBUDGET_* settings are not the command's (as RunCommand does).
    std::vector<char*> envp;
    for (char** variable = environ; *variable != nullptr; ++variable) {
        if (std::strncmp(*variable, "WIJKBUDGET_", std::strlen("WIJKBUDGET_")) != 0)
            envp.push_back(*variable);
    }
    envp.push_back(nullptr);

    m_child = ::fork();
    ASSERT_GE(m_child, 0) << std::strerror(errno);
    if (m_child == 0) {
        // A session of its own with the pseudo-terminal as its controlling terminal, so that the
        // terminal's Ctrl-C goes to it, as at a shell's prompt.
        ::setsid();
        ::ioctl(m_terminal, TIOCSCTTY, 0);
        ::dup2(m_terminal, STDIN_FILENO);
        ::dup2(m_terminal, STDOUT_FILENO);
        ::dup2(m_terminal, STDERR_FILENO);
        ::close(m_master);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }

    const std::string prompt = ReadUntil("not shown");
    ASSERT_NE(prompt.find("password"), std::string::npos) << prompt;
    EXPECT_FALSE(Echoes()) << "the password would be shown as it is typed";
    // Half a password, then Ctrl-C.
    ASSERT_EQ(::write(m_master, "geheim", 6), 6);
    ASSERT_EQ(::write(m_master, &INTERRUPT, 1), 1);

    int status = 0;
    pid_t ended = 0;
    const auto deadline = std::chrono::steady_clock::now() + END_TIMEOUT;
    while ((ended = ::waitpid(m_child, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(POLL_INTERVAL);
    ASSERT_EQ(ended, m_child) << "Ctrl-C did not end the command";
    m_child = -1;
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)
        << "ended otherwise than by Ctrl-C: status " << status;
    EXPECT_TRUE(Echoes()) << "the terminal was left without echo";
    EXPECT_EQ(m_service
                  ->Psql("SELECT count(*) FROM " + m_service->Schema() +
                         ".accounts WHERE login = 'pty@wijk.test'")
                  .out,
              "0\n");
}

} // namespace
} // namespace wijkbudget::test
