// tests/integration/api/login_test.cpp: password logins (DESIGN.md section 7). An operator makes
// the account with `wijkbudget account create` (password on standard input); POST /api/v1/session
// trades the password for a bearer token that then writes to the ledger as the account's member.

#include "ledger/pg/connection.hpp"
#include "tests/integration/api/service_under_test.hpp"

#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>

namespace wijkbudget::test {
namespace {

constexpr std::string_view LOGIN{"wethouder@haarlem.test"};
constexpr std::string_view PASSWORD{"correct horse battery staple"};
//! The account's pseudonymous member id: what entries written with its token carry.
constexpr std::string_view MEMBER{"wethouder-financien"};
//! Polls of pg_locks for a lock taken or waited for, before the test gives up.
constexpr int LOCK_POLLS_MAX{250};
constexpr std::chrono::milliseconds LOCK_POLL_INTERVAL{20};

std::string LoginBody(std::string_view login, std::string_view password)
{
    return R"({"login":")" + std::string(login) + R"(","password":")" + std::string(password) +
           R"("})";
}

class LoginTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        const auto created =
            m_service->RunWijkbudget({"account", "create", "--login", std::string(LOGIN), "--role",
                                      "municipality", "--member", std::string(MEMBER)},
                                     std::string(PASSWORD) + "\n");
        ASSERT_EQ(created.exit_status, 0) << created.Describe();
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    }

    void TearDown() override
    {
        if (m_lock_holder.valid()) ReleaseLedgerLock();
        ApiIntegrationTest::TearDown();
    }

    //! A session's token from a password login; "" if refused.
    std::string LogIn()
    {
        const auto session = m_service->Send("POST", "/api/v1/session", LoginBody(LOGIN, PASSWORD),
                                             {{"Content-Type", "application/json"}});
        EXPECT_EQ(session.status, 201U) << session.body;
        return JsonString(session.body, "token");
    }

    //! A psql session takes the ledger's advisory lock and keeps it until ReleaseLedgerLock;
    //! whether it holds it.
    bool HoldLedgerLock()
    {
        m_lock_holder = std::async(std::launch::async, [this] {
            return m_service->Psql("SELECT pg_advisory_lock(" + std::to_string(LockKey()) +
                                   "); SELECT pg_sleep(60) AS " + HolderMarker());
        });
        return LockCountIsOne("granted");
    }

    //! Whether a session waits for the ledger's lock, before long.
    bool LedgerLockWaitedFor() { return LockCountIsOne("NOT granted"); }

    void ReleaseLedgerLock()
    {
        m_service->Psql("SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE query "
                        "LIKE '%AS " +
                        HolderMarker() + "' AND pid <> pg_backend_pid()");
        m_lock_holder.get();
    }

private:
    [[nodiscard]] std::int64_t LockKey() const
    {
        return ledger::pg::LedgerLockKey(m_service->Schema());
    }
    [[nodiscard]] std::string HolderMarker() const { return "hold_" + m_service->Schema(); }

    bool LockCountIsOne(const std::string& state)
    {
        const auto bits = static_cast<std::uint64_t>(LockKey());
        const std::string sql = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND "
                                "classid = " +
                                std::to_string(bits >> 32U) +
                                " AND objid = " + std::to_string(bits & 0xffffffffU) + " AND " +
                                state;
        std::string count;
        for (int poll = 0; poll < LOCK_POLLS_MAX && count != "1\n"; ++poll) {
            std::this_thread::sleep_for(LOCK_POLL_INTERVAL);
            count = m_service->Psql(sql).out;
        }
        return count == "1\n";
    }

    std::future<CommandResult> m_lock_holder;
};

TEST_F(LoginTest, PasswordLoginGivesATokenThatWrites)
{
    const auto session = m_service->Send("POST", "/api/v1/session", LoginBody(LOGIN, PASSWORD),
                                         {{"Content-Type", "application/json"}});
    ASSERT_EQ(session.status, 201U) << session.body;
    EXPECT_EQ(JsonString(session.body, "role"), "municipality");
    const std::string token = JsonString(session.body, "token");
    ASSERT_FALSE(token.empty()) << session.body;

    const auto registered = m_service->Post(
        "/api/v1/councils", R"({"id":"wijk-login","name":"Wijkraad Login","district":"centrum"})",
        token, "login-register");
    ASSERT_EQ(registered.status, 201U) << registered.body;
    EXPECT_NE(JsonString(registered.body, "entry").find(std::string(MEMBER)), std::string::npos)
        << "the entry names the account's member: " << registered.body;
}

TEST_F(LoginTest, LogoutEndsTheSessionsTokenAndOnlyIt)
{
    const auto login = [this] {
        const auto session = m_service->Send("POST", "/api/v1/session", LoginBody(LOGIN, PASSWORD),
                                             {{"Content-Type", "application/json"}});
        EXPECT_EQ(session.status, 201U) << session.body;
        return JsonString(session.body, "token");
    };
    const std::string ending = login();
    const std::string other = login();
    ASSERT_FALSE(ending.empty());
    ASSERT_FALSE(other.empty());
    // A write first, so that the token cache holds the token that ends.
    const auto before = m_service->Post(
        "/api/v1/councils", R"({"id":"wijk-logout","name":"Wijkraad Logout","district":"centrum"})",
        ending, "logout-register");
    ASSERT_EQ(before.status, 201U) << before.body;
    const Headers bearer{{"Authorization", "Bearer " + ending}};

    // Without a token, or with a body, nothing ends.
    EXPECT_EQ(m_service->Send("DELETE", "/api/v1/session").status, 401U);
    const auto with_body = m_service->Send(
        "DELETE", "/api/v1/session", R"({"token_id":"x"})",
        {{"Authorization", "Bearer " + ending}, {"Content-Type", "application/json"}});
    EXPECT_EQ(with_body.status, 400U) << with_body.body;
    EXPECT_EQ(ProblemCode(with_body), "field_unknown") << with_body.body;

    const auto with_query = m_service->Send("DELETE", "/api/v1/session?all=1", {}, bearer);
    EXPECT_EQ(with_query.status, 400U) << with_query.body;

    const auto logout = m_service->Send("DELETE", "/api/v1/session", {}, bearer);
    EXPECT_EQ(logout.status, 204U) << logout.body;
    EXPECT_TRUE(logout.body.empty());
    EXPECT_EQ(logout.Header("Cache-Control"), "no-store");

    // The ended token neither writes (though the cache held it) nor ends anything again.
    const std::uint64_t size = m_service->LedgerSize();
    const auto after = m_service->Post(
        "/api/v1/councils", R"({"id":"wijk-na","name":"Wijkraad Na","district":"centrum"})", ending,
        "logout-after");
    EXPECT_EQ(after.status, 401U) << after.body;
    EXPECT_EQ(ProblemCode(after), "not_authenticated") << after.body;
    EXPECT_EQ(m_service->LedgerSize(), size);
    EXPECT_EQ(m_service->Send("DELETE", "/api/v1/session", {}, bearer).status, 401U);
    // The other session of the same account goes on.
    const auto other_write = m_service->Post(
        "/api/v1/councils", R"({"id":"wijk-ander","name":"Wijkraad Ander","district":"centrum"})",
        other, "logout-other");
    EXPECT_EQ(other_write.status, 201U) << other_write.body;
}

TEST_F(LoginTest, ALogoutWaitsForTheBatchInFlightSoThatNoWriteOfItsTokenCommitsAfterIt)
{
    const std::string token = LogIn();
    ASSERT_FALSE(token.empty());
    // Another session holds the ledger's lock, as a batch in flight does (its credential query
    // runs under it): the revocation waits for it, and every later batch sees the revocation.
    ASSERT_TRUE(HoldLedgerLock()) << "the lock holder never took the lock";
    auto logout = std::async(std::launch::async, [this, &token] {
        return m_service->Send("DELETE", "/api/v1/session", {},
                               {{"Authorization", "Bearer " + token}});
    });
    const bool waited = LedgerLockWaitedFor();
    ReleaseLedgerLock();
    EXPECT_TRUE(waited) << "the logout did not wait for the ledger's lock";
    EXPECT_EQ(logout.get().status, 204U);
}

TEST_F(LoginTest, ALogoutThatWaitsTooLongForTheLedgersLockEndsNothingAndSaysSo)
{
    const std::string token = LogIn();
    ASSERT_FALSE(token.empty());
    // A batch that holds the lock past the bound (it may wait for a pooled session that
    // waiting logouts would hold): the logout gives up, 503, and its token still acts.
    ASSERT_TRUE(HoldLedgerLock()) << "the lock holder never took the lock";
    const auto logout =
        m_service->Send("DELETE", "/api/v1/session", {}, {{"Authorization", "Bearer " + token}});
    ReleaseLedgerLock();
    EXPECT_EQ(logout.status, 503U) << logout.body;
    EXPECT_EQ(ProblemCode(logout), "storage_unavailable") << logout.body;
    const auto write = m_service->Post(
        "/api/v1/councils", R"({"id":"wijk-blijft","name":"Wijkraad Blijft","district":"centrum"})",
        token, "still-logged-in");
    EXPECT_EQ(write.status, 201U) << write.body;
}

TEST_F(LoginTest, WrongPasswordOrUnknownLoginIsRefused)
{
    const auto wrong = m_service->Send("POST", "/api/v1/session",
                                       LoginBody(LOGIN, "correct horse battery stapler"),
                                       {{"Content-Type", "application/json"}});
    EXPECT_EQ(wrong.status, 401U) << wrong.body;
    EXPECT_EQ(ProblemCode(wrong), "login_failed") << wrong.body;
    EXPECT_TRUE(JsonString(wrong.body, "token").empty());

    // The same answer for an unknown login: a caller cannot tell which logins exist.
    const auto unknown =
        m_service->Send("POST", "/api/v1/session", LoginBody("niemand@haarlem.test", PASSWORD),
                        {{"Content-Type", "application/json"}});
    EXPECT_EQ(unknown.status, 401U) << unknown.body;
    EXPECT_EQ(ProblemCode(unknown), "login_failed") << unknown.body;
    // Every 401 names a scheme (RFC 9110 section 15.5.2): the token a login hands out.
    EXPECT_EQ(wrong.Header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(unknown.Header("WWW-Authenticate"), "Bearer");
}

TEST_F(LoginTest, APasswordFromACrLfFileLogsInWithoutItsCarriageReturn)
{
    // A password file written on Windows ends its line in CR LF; nobody types the CR.
    const auto created =
        m_service->RunWijkbudget({"account", "create", "--login", "penningmeester@haarlem.test",
                                  "--role", "municipality", "--member", "m-windows"},
                                 std::string(PASSWORD) + "\r\n");
    ASSERT_EQ(created.exit_status, 0) << created.Describe();
    const auto login = m_service->Send("POST", "/api/v1/session",
                                       LoginBody("penningmeester@haarlem.test", PASSWORD),
                                       {{"Content-Type", "application/json"}});
    EXPECT_EQ(login.status, 201U) << login.body; // A token was made.
}

TEST_F(LoginTest, AnExistingLoginChangesOnlyWithResetWhichEndsItsSessions)
{
    const auto session = m_service->Send("POST", "/api/v1/session", LoginBody(LOGIN, PASSWORD),
                                         {{"Content-Type", "application/json"}});
    ASSERT_EQ(session.status, 201U) << session.body;
    const std::string token = JsonString(session.body, "token");

    // A create that names an existing login, as a typo would, takes nothing over.
    const auto takeover =
        m_service->RunWijkbudget({"account", "create", "--login", std::string(LOGIN), "--role",
                                  "auditor", "--member", "m-other"},
                                 "another long password\n");
    EXPECT_NE(takeover.exit_status, 0) << takeover.Describe();
    EXPECT_NE(takeover.err.find("exists and is unchanged"), std::string::npos)
        << takeover.Describe();
    EXPECT_EQ(m_service
                  ->Send("POST", "/api/v1/session", LoginBody(LOGIN, PASSWORD),
                         {{"Content-Type", "application/json"}})
                  .status,
              201U);

    // A reset after a leak: the new password logs in, and the sessions of the old one end.
    const auto reset =
        m_service->RunWijkbudget({"account", "create", "--login", std::string(LOGIN), "--role",
                                  "municipality", "--member", std::string(MEMBER), "--reset"},
                                 "a fresh long password\n");
    ASSERT_EQ(reset.exit_status, 0) << reset.Describe();
    EXPECT_NE(reset.out.find("reset; 2 token(s)"), std::string::npos) << reset.Describe();
    const auto write = m_service->Post(
        "/api/v1/councils", R"({"id":"wijk-reset","name":"Wijkraad Reset","district":"centrum"})",
        token, "after-reset");
    EXPECT_EQ(write.status, 401U) << write.body;
    EXPECT_EQ(m_service
                  ->Send("POST", "/api/v1/session", LoginBody(LOGIN, "a fresh long password"),
                         {{"Content-Type", "application/json"}})
                  .status,
              201U);
}

TEST_F(LoginTest, RepeatedFailuresRefuseALoginForAWhileKnownOrNot)
{
    const auto attempt = [this](std::string_view login, std::string_view password) {
        return m_service->Send("POST", "/api/v1/session", LoginBody(login, password),
                               {{"Content-Type", "application/json"}});
    };
    for (const std::string_view login : {LOGIN, std::string_view{"niemand@haarlem.test"}}) {
        SCOPED_TRACE(login);
        for (int failure = 0; failure < 5; ++failure)
            EXPECT_EQ(attempt(login, "not the password at all").status, 401U);
        // Refused now, even with the right password: guessing gets five tries a quarter hour,
        // and an unknown login is refused alike, so the refusal shows no login exists.
        const auto refused = attempt(login, PASSWORD);
        EXPECT_EQ(refused.status, 429U) << refused.body;
        EXPECT_EQ(ProblemCode(refused), "login_throttled") << refused.body;
        EXPECT_FALSE(refused.Header("Retry-After").empty());
        EXPECT_TRUE(JsonString(refused.body, "token").empty());
    }
    // Nor does a NUL make a variant of a login: it is refused as no login at all (PostgreSQL
    // would have read the name up to the NUL, the throttle all of it).
    for (int variant = 0; variant < 3; ++variant) {
        const auto nul = m_service->Send("POST", "/api/v1/session",
                                         R"({"login":")" + std::string(LOGIN) + R"(\u0000)" +
                                             std::to_string(variant) + R"(","password":")" +
                                             std::string(PASSWORD) + R"("})",
                                         {{"Content-Type", "application/json"}});
        EXPECT_EQ(nul.status, 401U) << nul.body;
        EXPECT_EQ(ProblemCode(nul), "login_failed") << nul.body;
    }
    // Another login is not held back by these.
    const auto other =
        m_service->RunWijkbudget({"account", "create", "--login", "penningmeester@haarlem.test",
                                  "--role", "municipality", "--member", "m-other"},
                                 std::string(PASSWORD) + "\n");
    ASSERT_EQ(other.exit_status, 0) << other.Describe();
    EXPECT_EQ(attempt("penningmeester@haarlem.test", PASSWORD).status, 201U);
}

} // namespace
} // namespace wijkbudget::test
