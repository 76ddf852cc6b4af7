// tests/integration/api/bad_input_test.cpp: what the server answers to requests it must refuse,
// over the real transport: the status, the RFC 9457 problem with its stable "code", the problem
// media type, and a ledger that did not change.

#include "ledger/strict_json.hpp"
#include "ledger/values.hpp"
#include "tests/integration/api/service_under_test.hpp"

#include <string>
#include <vector>

namespace wijkbudget::test {
namespace {

constexpr std::string_view COUNCIL{"wijk-invoer"};
//! Just over the transport's request body limit (api/session.hpp: 64 KiB).
constexpr std::size_t OVERSIZED_BODY_BYTES{64 * 1024 + 1};

//! One request the server must refuse, and how.
struct Refusal {
    std::string name;
    std::string method;
    std::string target;
    std::string body;
    Headers headers;
    unsigned status{0};
    std::string code;
    //! A business rejection (decided on the ledger's state), which is bound to its key: its
    //! answer is stored, so that a retry gets it again. Other refusals store nothing.
    bool bound_to_key{false};
};

class BadInputTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
        ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil(std::string(COUNCIL)));
    }

    //! The headers of a well-formed grant request with `token`.
    [[nodiscard]] static Headers WriteHeaders(const std::string& token)
    {
        return {{"Content-Type", "application/json"},
                {"Authorization", "Bearer " + token},
                {"Idempotency-Key", "bad-input-" + RandomHex(8)}};
    }

    [[nodiscard]] static std::string GrantTarget()
    {
        return "/api/v1/councils/" + std::string(COUNCIL) + "/grants";
    }

    //! Rows in `table`, one of the ledger's.
    [[nodiscard]] std::uint64_t Rows(const char* table) const
    {
        const auto rows =
            m_service->Psql("SELECT count(*) FROM " + m_service->Schema() + "." + table);
        EXPECT_EQ(rows.exit_status, 0) << rows.Describe();
        return std::stoull(rows.out.empty() ? "0" : rows.out);
    }

    //! Sends each refusal and checks the answer; nothing may be written, not even a record of
    //! the refusal under its Idempotency-Key (a retry with the body corrected must succeed),
    //! but for a business rejection's record.
    void ExpectRefused(const std::vector<Refusal>& refusals)
    {
        const std::uint64_t size_before = m_service->LedgerSize();
        const auto ledger_rows = [this] {
            return std::vector<std::uint64_t>{Rows("entries"), Rows("postings"),
                                              Rows("stored_hashes"), Rows("checkpoints")};
        };
        const auto rows_before = ledger_rows();
        const std::uint64_t records_before = Rows("idempotency_records");
        std::size_t bound = 0;
        for (const auto& refusal : refusals) {
            SCOPED_TRACE(refusal.name);
            const auto response =
                m_service->Send(refusal.method, refusal.target, refusal.body, refusal.headers);
            EXPECT_EQ(response.status, refusal.status) << response.body;
            EXPECT_EQ(ProblemCode(response), refusal.code) << response.body;
            EXPECT_EQ(response.Header("Content-Type"), "application/problem+json");
            if (refusal.bound_to_key) ++bound;
        }
        EXPECT_EQ(m_service->LedgerSize(), size_before);
        EXPECT_EQ(ledger_rows(), rows_before);
        EXPECT_EQ(Rows("idempotency_records"), records_before + bound);
    }
};

TEST_F(BadInputTest, RejectsMalformedAndMistypedBodies)
{
    const std::string target = GrantTarget();
    // Each refusal gets its own key, so a stored answer of one can never explain another's.
    const auto headers_for = [&] {
        return WriteHeaders(m_service->MunicipalityToken());
    };
    ExpectRefused({
        {"malformed JSON", "POST", target, R"({"year":2027,"category":)", headers_for(), 400,
         "json_malformed"},
        {"year as a string", "POST", target,
         R"({"year":"2027","category":"public_space","amount_cents":1250})", headers_for(), 400,
         "field_wrong_type"},
        {"category as a number", "POST", target,
         R"({"year":2027,"category":3,"amount_cents":1250})", headers_for(), 400,
         "field_wrong_type"},
        {"fractional amount", "POST", target,
         R"({"year":2027,"category":"public_space","amount_cents":12.5})", headers_for(), 400,
         "amount_not_integer"},
        {"amount as a string", "POST", target,
         R"({"year":2027,"category":"public_space","amount_cents":"1250"})", headers_for(), 400,
         "amount_not_integer"},
        {"unknown field", "POST", target,
         R"({"year":2027,"category":"public_space","amount_cents":1250,"note":"x"})", headers_for(),
         400, "field_unknown"},
        {"missing field", "POST", target, R"({"year":2027,"category":"public_space"})",
         headers_for(), 400, "field_missing"},
        // Short, but deeper than the service's JSON: malformed here, not too large (413).
        {"nested too deep", "POST", target,
         R"({"year":)" + std::string(ledger::JSON_DEPTH_MAX + 1, '[') +
             std::string(ledger::JSON_DEPTH_MAX + 1, ']') + "}",
         headers_for(), 400, "json_malformed"},
    });
    // The key of a refused body is free: the corrected request under it is taken, not refused
    // as another body under a used key (422) or answered with the refusal again.
    const Headers headers = headers_for();
    const auto refused = m_service->Send("POST", target, R"({"year":2027,"category":)", headers);
    EXPECT_EQ(refused.status, 400U) << refused.body;
    const auto corrected = m_service->Send(
        "POST", target, R"({"year":2027,"category":"public_space","amount_cents":1250})", headers);
    EXPECT_EQ(corrected.status, 201U) << corrected.body;
    EXPECT_EQ(corrected.Header("Idempotency-Replayed"), "");
}

TEST_F(BadInputTest, RejectsTwoKeysTwoTokensAndPathIdsNoSlugCouldBe)
{
    const std::string body = R"({"year":2027,"category":"public_space","amount_cents":1250})";
    const std::string token = m_service->MunicipalityToken();
    auto two_keys = WriteHeaders(token);
    two_keys.emplace_back("Idempotency-Key", "bad-input-" + RandomHex(8));
    auto two_tokens = WriteHeaders(token);
    two_tokens.emplace_back("Authorization", "Bearer " + token);
    const std::string too_long(ledger::SLUG_BYTES_MAX + 1, 'a');
    // What a proxy kept must not decide the key or the actor; an id longer than any slug names
    // no council, as an id with capitals does, and its refusal is not kept under the key.
    ExpectRefused({
        {"two Idempotency-Keys", "POST", GrantTarget(), body, two_keys, 400,
         "idempotency_key_invalid"},
        {"two Authorization headers", "POST", GrantTarget(), body, two_tokens, 401,
         "not_authenticated"},
        {"a council id longer than a slug", "POST", "/api/v1/councils/" + too_long + "/grants",
         body, WriteHeaders(token), 404, "council_unknown"},
        {"a council id with capitals", "POST", "/api/v1/councils/Wijk/grants", body,
         WriteHeaders(token), 404, "council_unknown"},
    });
}

TEST_F(BadInputTest, AMandateEndingBeforeItStartsLeavesItsKeyFree)
{
    const std::string target = "/api/v1/councils/" + std::string(COUNCIL) + "/mandates";
    const auto mandate = [](const std::string& until) {
        return R"({"member":"m-invoer","seat":"member","from":"2027-02-01","until":")" + until +
               R"("})";
    };
    const Headers headers = WriteHeaders(m_service->MunicipalityToken());
    ExpectRefused({{"until before from", "POST", target, mandate("2027-01-01"), headers, 400,
                    "field_invalid"}});
    const auto corrected = m_service->Send("POST", target, mandate("2028-01-31"), headers);
    EXPECT_EQ(corrected.status, 201U) << corrected.body;
    EXPECT_EQ(corrected.Header("Idempotency-Replayed"), "");
}

TEST_F(BadInputTest, RejectsBadCouncilIdsUnknownDistrictsAndCategories)
{
    const auto headers_for = [&] {
        return WriteHeaders(m_service->MunicipalityToken());
    };
    const auto council = [](const std::string& id, const std::string& district) {
        return R"({"id":")" + id + R"(","name":"Wijkraad Test","district":")" + district + R"("})";
    };
    ExpectRefused({
        {"an id with capitals", "POST", "/api/v1/councils", council("Burgwal", "centrum"),
         headers_for(), 400, "field_invalid"},
        {"an id with a space", "POST", "/api/v1/councils", council("burg wal", "centrum"),
         headers_for(), 400, "field_invalid"},
        {"an id that starts with a hyphen", "POST", "/api/v1/councils", council("-x", "centrum"),
         headers_for(), 400, "field_invalid"},
        {"a district nobody registered", "POST", "/api/v1/councils",
         council("nieuwe-wijk", "atlantis"), headers_for(), 422, "district_unknown", true},
        {"a category that does not exist", "POST", GrantTarget(),
         R"({"year":2027,"category":"parks","amount_cents":1250})", headers_for(), 400,
         "field_invalid"},
    });
}

// The whole oversized body is sent before the answer is read: the server answers 413 and then
// reads the rest before it closes (a lingering close, api/session.cpp), so the client's sending
// never meets a reset and the answer arrives. (An earlier note here called this flaky; 15 runs
// of this test and 30 of TransportTest.OversizedBodySentWholeStillGets413 passed on 2026-11-29.)
TEST_F(BadInputTest, RejectsOversizedBody)
{
    // Valid JSON up to the end, so only its size can be the reason.
    std::string body = R"({"year":2027,"category":"public_space","amount_cents":1250,"note":")";
    body.append(OVERSIZED_BODY_BYTES - body.size() - 2, 'x');
    body += "\"}";
    ASSERT_EQ(body.size(), OVERSIZED_BODY_BYTES);
    ExpectRefused({{"body over 64 KiB", "POST", GrantTarget(), body,
                    WriteHeaders(m_service->MunicipalityToken()), 413, "body_too_large"}});
}

TEST_F(BadInputTest, RejectsUnknownRoutesMethodsAndQueries)
{
    ExpectRefused({
        {"unknown route", "GET", "/api/v1/begroting", "", {}, 404, "not_found"},
        {"wrong method", "DELETE", "/api/v1/councils", "", {}, 405, "method_not_allowed"},
        {"limit not a number",
         "GET",
         "/api/v1/ledger/entries?limit=abc",
         "",
         {},
         400,
         "field_invalid"},
        {"unknown query parameter",
         "GET",
         "/api/v1/ledger/entries?offset=3",
         "",
         {},
         400,
         "field_unknown"},
    });
    // A write takes its input from the body alone: a query string would change nothing, so it
    // is refused rather than ignored (the same key with another query would be 422 otherwise).
    const std::string grant = R"({"year":2027,"category":"public_space","amount_cents":1250})";
    ExpectRefused({
        {"query on a write", "POST", GrantTarget() + "?dry_run=1", grant,
         WriteHeaders(m_service->MunicipalityToken()), 400, "field_unknown"},
        {"empty parameter on a write", "POST", "/api/v1/councils?x",
         R"({"id":"burgwal-2","name":"Wijkraad","district":"centrum"})",
         WriteHeaders(m_service->MunicipalityToken()), 400, "field_unknown"},
    });
    // 405 must say what is allowed (RFC 9110 section 15.5.6).
    const auto wrong_method = m_service->Send("DELETE", "/api/v1/councils");
    EXPECT_EQ(wrong_method.status, 405U);
    EXPECT_EQ(wrong_method.Header("Allow"), "GET, HEAD, POST");
}

TEST_F(BadInputTest, HeadIsGetWithoutTheBody)
{
    // RFC 9110 section 9.1: a general-purpose server supports HEAD (probes and caches use it).
    for (const std::string target :
         {"/healthz", "/api/v1/ledger/entries/0", "/api/v1/councils", "/api/v1/ledger/export"}) {
        const auto get = m_service->Send("GET", target);
        ASSERT_EQ(get.status, 200U) << target << ": " << get.body;
        const auto head = m_service->Send("HEAD", target);
        EXPECT_EQ(head.status, 200U) << target;
        EXPECT_TRUE(head.body.empty()) << target;
        EXPECT_EQ(head.Header("Content-Type"), get.Header("Content-Type")) << target;
        EXPECT_EQ(head.Header("Content-Length"), get.Header("Content-Length")) << target;
        EXPECT_EQ(head.Header("ETag"), get.Header("ETag")) << target;
    }
    // Nothing follows a HEAD's header: the next answer on the same connection reads as one.
    HttpsClientOptions options;
    options.trusted_certificate_path = WB_TEST_DATA_DIR "/support/tls/cert.pem";
    HttpsClient client{"127.0.0.1", m_service->Port(), options};
    for (const std::string target : {"/api/v1/ledger/entries/0", "/api/v1/ledger/export"}) {
        EXPECT_EQ(client.Send("HEAD", target).status, 200U) << target;
        const auto next = client.Send("GET", "/api/v1/ledger/vkey");
        EXPECT_EQ(next.status, 200U) << "after HEAD " << target;
        EXPECT_EQ(next.body.substr(0, next.body.find('\n')), m_service->VerifierKey());
    }
    // Not a way around a write's method: HEAD on a POST-only path is 405.
    const auto grants = m_service->Send("HEAD", GrantTarget());
    EXPECT_EQ(grants.status, 405U);
    EXPECT_EQ(grants.Header("Allow"), "POST");
}

TEST_F(BadInputTest, RejectsMissingUnpermittedAndRevokedTokens)
{
    const std::string body = GrantBody(1250);
    Headers no_token{{"Content-Type", "application/json"}, {"Idempotency-Key", "no-token"}};
    const std::string auditor = m_service->CreateToken("auditor", "rekenkamer");
    const std::string revoked = m_service->CreateToken("municipality", "oud-wethouder");
    ASSERT_FALSE(auditor.empty());
    ASSERT_FALSE(revoked.empty());

    // A revoked token worked before: the 401 below is the revocation's doing.
    const auto before = m_service->Post(GrantTarget(), body, revoked, "revoked-before");
    ASSERT_EQ(before.status, 201U) << before.body;
    // The whole token instead of its id: refused, and its secret is not repeated anywhere.
    const auto pasted = m_service->RunWijkbudget({"token", "revoke", "--id", revoked});
    EXPECT_NE(pasted.exit_status, 0) << pasted.Describe();
    const std::string secret = revoked.substr(revoked.find('.') + 1);
    EXPECT_EQ(pasted.err.find(secret), std::string::npos) << "the secret was echoed";
    EXPECT_EQ(pasted.out.find(secret), std::string::npos) << "the secret was echoed";
    const auto revocation =
        m_service->RunWijkbudget({"token", "revoke", "--id", revoked.substr(0, revoked.find('.'))});
    ASSERT_EQ(revocation.exit_status, 0) << revocation.Describe();

    ExpectRefused({
        {"no token", "POST", GrantTarget(), body, no_token, 401, "not_authenticated"},
        {"auditor token", "POST", GrantTarget(), body, WriteHeaders(auditor), 403, "not_permitted"},
        {"revoked token", "POST", GrantTarget(), body, WriteHeaders(revoked), 401,
         "not_authenticated"},
        {"malformed token", "POST", GrantTarget(), body, WriteHeaders("not-a-token"), 401,
         "not_authenticated"},
    });
    const auto unauthenticated = m_service->Send("POST", GrantTarget(), body, no_token);
    EXPECT_EQ(unauthenticated.Header("WWW-Authenticate"), "Bearer");

    // The scheme's name is case-insensitive (RFC 9110 section 11.1), and so is not the token.
    const std::string token = m_service->MunicipalityToken();
    for (const std::string scheme : {"bearer ", "BEARER ", "Bearer   "}) {
        Headers headers = WriteHeaders(token);
        headers[1].second = scheme + token;
        const auto accepted = m_service->Send("POST", GrantTarget(), body, headers);
        EXPECT_EQ(accepted.status, 201U) << scheme << ": " << accepted.body;
    }
    for (const std::string& malformed :
         std::vector<std::string>{"Bearer", "Bearer" + token, "Basic " + token}) {
        Headers headers = WriteHeaders(token);
        headers[1].second = malformed;
        const auto refused = m_service->Send("POST", GrantTarget(), body, headers);
        EXPECT_EQ(refused.status, 401U) << malformed << ": " << refused.body;
    }
}

TEST_F(BadInputTest, ACommandWhoseOutputIsLostFailsAndSaysWhatItMade)
{
    // A token printed to a full disk is lost: that must not look like success, and nobody holds
    // its text, so it is revoked again (a token left valid would be one nobody knows of).
    const auto lost = RunCommand(
        {"/bin/sh", "-c", "exec \"$0\" \"$@\" >/dev/full", WB_SERVER_BINARY, "token", "create",
         "--config", m_service->SettingsFile().string(), "--role", "auditor", "--name", "lost"});
    EXPECT_NE(lost.exit_status, 0) << lost.Describe();
    EXPECT_NE(lost.err.find("could not write standard output"), std::string::npos)
        << lost.Describe();
    EXPECT_NE(lost.err.find("was revoked again"), std::string::npos) << lost.Describe();
    EXPECT_EQ(m_service
                  ->Psql("SELECT count(*) FROM " + m_service->Schema() +
                         ".tokens WHERE name = 'lost' AND revoked_at IS NULL")
                  .out,
              "0\n");
    EXPECT_EQ(m_service
                  ->Psql("SELECT count(*) FROM " + m_service->Schema() +
                         ".tokens WHERE name = 'lost' AND revoked_at IS NOT NULL")
                  .out,
              "1\n");
}

TEST_F(BadInputTest, ACommandLineTheCommandsCannotRunExitsTwo)
{
    // 2 is a usage error, 1 a command that ran and failed; CLI11's own numbers (106 for a missing
    // option) were neither.
    const std::vector<std::vector<std::string>> usage_errors{
        {},
        {"token"},
        {"token", "create", "--name", "no-role"},
        {"token", "create", "--role", "auditor", "--name", "x", "--bogus"},
        {"demo", "--config", "/nonexistent/wijkbudget.toml"},
        // The default, var/wijkbudget.toml under the working folder (this test's is not a
        // quick start's): missing too.
        {"vkey"},
        {"token", "revoke", "--id", "0000000000000000"},
        {"pb"}};
    for (const auto& arguments : usage_errors) {
        std::vector<std::string> command{WB_SERVER_BINARY};
        command.insert(command.end(), arguments.begin(), arguments.end());
        const auto refused = RunCommand(command);
        EXPECT_EQ(refused.exit_status, 2) << refused.Describe();
        EXPECT_NE(refused.err.find("Run with --help for more information"), std::string::npos)
            << refused.Describe();
    }
    const auto help = RunCommand({WB_SERVER_BINARY, "token", "create", "--help"});
    EXPECT_EQ(help.exit_status, 0) << help.Describe();
    EXPECT_NE(help.out.find("--role"), std::string::npos) << help.Describe();
    // A command that ran and failed stays 1.
    const auto failed = m_service->RunWijkbudget({"token", "revoke", "--id", "0000000000000000"});
    EXPECT_EQ(failed.exit_status, 1) << failed.Describe();
}

TEST_F(BadInputTest, ACommandNamingAnUnregisteredCouncilIsRefusedAndWritesNothing)
{
    const auto count = [this](const std::string& table) {
        return m_service->Psql("SELECT count(*) FROM " + m_service->Schema() + "." + table).out;
    };
    const std::string tokens_before = count("tokens");
    const std::string accounts_before = count("accounts");
    // A typo in --council: a token for it could never act, every council route answers 404.
    const auto token = m_service->RunWijkbudget({"token", "create", "--role", "council_member",
                                                 "--name", "m-typo", "--council", "wijk-invoor"});
    EXPECT_NE(token.exit_status, 0) << token.Describe();
    EXPECT_NE(token.err.find("--council wijk-invoor: no council with this id is registered"),
              std::string::npos)
        << token.Describe();
    EXPECT_TRUE(token.out.empty()) << token.Describe();
    // Refused before the password is asked for: standard input is never read.
    const auto account =
        m_service->RunWijkbudget({"account", "create", "--login", "typo@wijk.test", "--role",
                                  "treasurer", "--member", "m-typo", "--council", "wijk-invoor"});
    EXPECT_NE(account.exit_status, 0) << account.Describe();
    EXPECT_NE(account.err.find("--council wijk-invoor: no council with this id is registered"),
              std::string::npos)
        << account.Describe();
    EXPECT_EQ(count("tokens"), tokens_before);
    EXPECT_EQ(count("accounts"), accounts_before);
    // The registered council's id is taken, by both.
    EXPECT_FALSE(m_service->CreateToken("council_member", "m-echt", std::string(COUNCIL)).empty());
    const auto created = m_service->RunWijkbudget({"account", "create", "--login", "echt@wijk.test",
                                                   "--role", "treasurer", "--member", "m-echt",
                                                   "--council", std::string(COUNCIL)},
                                                  "een-wachtwoord-van-lengte\n");
    EXPECT_EQ(created.exit_status, 0) << created.Describe();
}

TEST_F(BadInputTest, AnActorIdLongerThanTheLedgerTakesIsRefusedAndWritesNothing)
{
    // The ledger's readers refuse an actor id over 64 bytes: a token with one could append
    // nothing, and an entry sealed with it would stop every replay and verification.
    const auto count = [this](const std::string& table) {
        return m_service->Psql("SELECT count(*) FROM " + m_service->Schema() + "." + table).out;
    };
    const std::string tokens_before = count("tokens");
    const std::string accounts_before = count("accounts");
    const std::string too_long(ledger::SLUG_BYTES_MAX + 1, 'a');
    const auto token =
        m_service->RunWijkbudget({"token", "create", "--role", "auditor", "--name", too_long});
    EXPECT_NE(token.exit_status, 0) << token.Describe();
    EXPECT_NE(token.err.find("at most 64 bytes"), std::string::npos) << token.Describe();
    EXPECT_TRUE(token.out.empty()) << token.Describe();
    const auto account = m_service->RunWijkbudget({"account", "create", "--login", "lang@wijk.test",
                                                   "--role", "treasurer", "--member", too_long,
                                                   "--council", std::string(COUNCIL)},
                                                  "een-wachtwoord-van-lengte\n");
    EXPECT_NE(account.exit_status, 0) << account.Describe();
    EXPECT_NE(account.err.find("at most 64 bytes"), std::string::npos) << account.Describe();
    // It names the option the command has: account create takes --member, not --name.
    EXPECT_NE(account.err.find("--member must be"), std::string::npos) << account.Describe();
    // A login with spaces at its ends could never be typed back at the sign-in form.
    const auto spaced =
        m_service->RunWijkbudget({"account", "create", "--login", " lang@wijk.test ", "--role",
                                  "auditor", "--member", "a-lang"},
                                 "een-wachtwoord-van-lengte\n");
    EXPECT_NE(spaced.exit_status, 0) << spaced.Describe();
    EXPECT_NE(spaced.err.find("without spaces at either end"), std::string::npos)
        << spaced.Describe();
    // Nor the round import's actor: its holder could close an imported round halfway.
    const auto import_name = m_service->RunWijkbudget(
        {"token", "create", "--role", "municipality", "--name", "gemeente-import"});
    EXPECT_NE(import_name.exit_status, 0) << import_name.Describe();
    EXPECT_NE(import_name.err.find("round import's own actor"), std::string::npos)
        << import_name.Describe();
    const auto import_login =
        m_service->RunWijkbudget({"account", "create", "--login", "import@wijk.test", "--role",
                                  "municipality", "--member", "gemeente-import"},
                                 "een-wachtwoord-van-lengte\n");
    EXPECT_NE(import_login.exit_status, 0) << import_login.Describe();
    EXPECT_EQ(count("tokens"), tokens_before);
    EXPECT_EQ(count("accounts"), accounts_before);
    // At the limit, a token is made.
    EXPECT_FALSE(
        m_service->CreateToken("auditor", std::string(ledger::SLUG_BYTES_MAX, 'a')).empty());
}

TEST_F(BadInputTest, AnAccountNobodyCouldSignInToIsRefusedAndWritesNothing)
{
    // POST /api/v1/session takes a JSON body: UTF-8, and the sign-in form sends no control
    // characters. A login or password outside that could never be matched.
    const auto count = [this]() {
        return m_service->Psql("SELECT count(*) FROM " + m_service->Schema() + ".accounts").out;
    };
    const std::string accounts_before = count();
    const auto create = [this](const std::string& login, const std::string& password) {
        return m_service->RunWijkbudget(
            {"account", "create", "--login", login, "--role", "auditor", "--member", "a-typ"},
            password + "\n");
    };
    const auto latin1_login = create("l\xe9on@wijk.test", "een-wachtwoord-van-lengte");
    EXPECT_NE(latin1_login.exit_status, 0) << latin1_login.Describe();
    EXPECT_NE(latin1_login.err.find("bytes of UTF-8"), std::string::npos)
        << latin1_login.Describe();
    for (const std::string& password :
         {std::string("een-wachtwoord\tmet-tab"), std::string("een-wachtwoord-van-l\xe9ngte"),
          std::string("een-wachtwoord-met-nul\0", 23)}) {
        const auto refused = create("typ@wijk.test", password);
        EXPECT_NE(refused.exit_status, 0) << refused.Describe();
        EXPECT_NE(refused.err.find("must be UTF-8 without control characters"), std::string::npos)
            << refused.Describe();
    }
    EXPECT_EQ(count(), accounts_before);
    // UTF-8 beyond ASCII is typeable: it is taken, and signs in.
    const auto accented = create("l\xc3\xa9on@wijk.test", "een-wachtw\xc3\xb6\xc3\xb6rd-lang");
    EXPECT_EQ(accented.exit_status, 0) << accented.Describe();
    const auto login = m_service->Send(
        "POST", "/api/v1/session",
        R"({"login":"l\u00e9on@wijk.test","password":"een-wachtw\u00f6\u00f6rd-lang"})",
        {{"Content-Type", "application/json"}});
    EXPECT_EQ(login.status, 201U) << login.body;
}

TEST_F(BadInputTest, ServeNamesTheFileOrAddressItCannotUse)
{
    // What an operator must fix, named: not "unexpected failure: bind: Address already in use".
    const auto no_certificate = m_service->RunWijkbudget(
        {"serve"}, {}, {{"WIJKBUDGET_TLS_CERTIFICATE_FILE", "/nonexistent/server.crt"}});
    EXPECT_NE(no_certificate.exit_status, 0) << no_certificate.Describe();
    EXPECT_NE(no_certificate.err.find("/nonexistent/server.crt (tls.certificate_file)"),
              std::string::npos)
        << no_certificate.Describe();
    EXPECT_EQ(no_certificate.err.find("unexpected failure"), std::string::npos)
        << no_certificate.Describe();
    // The port of the server this test runs is taken.
    const std::string port = std::to_string(m_service->Port());
    const auto taken = m_service->RunWijkbudget({"serve"}, {}, {{"WIJKBUDGET_SERVER_PORT", port}});
    EXPECT_NE(taken.exit_status, 0) << taken.Describe();
    EXPECT_NE(taken.err.find("cannot listen on 127.0.0.1 port " + port +
                             " (server.address, server.port)"),
              std::string::npos)
        << taken.Describe();
    EXPECT_EQ(taken.err.find("unexpected failure"), std::string::npos) << taken.Describe();
}

} // namespace
} // namespace wijkbudget::test
