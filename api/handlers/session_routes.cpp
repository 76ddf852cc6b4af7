// api/handlers/session_routes.cpp: POST /api/v1/session, a password login that returns a token,
// and DELETE /api/v1/session, which ends the session: the caller's own token is revoked.
#include "api/login_throttle.hpp"
#include "api/routes.hpp"
#include "ledger/values.hpp"
#include "services/credentials.hpp"
#include "services/errc.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

namespace wijkbudget::api {
namespace {

constexpr std::size_t LOGIN_BODY_BYTES_MAX{1024};
//! What a login that found every password check busy is told to wait, in seconds.
constexpr std::string_view LOGIN_BUSY_RETRY_AFTER_SECONDS{"1"};

struct LoginRule {
    static constexpr std::size_t BYTES_MAX{services::PASSWORD_BYTES_MAX};
    static bool Check(std::string_view text) { return !text.empty() && ledger::IsValidUtf8(text); }
};
using Secret = ledger::Text<LoginRule>;

struct Login {
    Secret login;
    Secret password;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("login", self.login);
        visit("password", self.password);
    }
};

//! A logout has no body; one with a body is refused rather than ignored.
constexpr std::size_t LOGOUT_BODY_BYTES_MAX{64};

} // namespace

Reply HandleLogout(RouteCall& call)
{
    if (!call.request.body().empty()) {
        if (auto body = ReadBody<NoFields>(call.request, LOGOUT_BODY_BYTES_MAX); !body)
            return FailureReply(body.error());
    }
    // Looked up, never taken from the token cache: a token revoked elsewhere is not ended twice.
    auto principal = Authenticate(call);
    if (!principal) return FailureReply(principal.error());
    auto revoked = call.ports.credentials.RevokeToken(principal->token_id, call.ports.clock.Now());
    if (!revoked) return FailureReply({revoked.error(), "tokens"});
    // Not revoked here means revoked (or expired) a moment ago, after the lookup: ended either way.
    if (call.ports.token_cache != nullptr) {
        if (auto hash = BearerTokenHash(call.request)) call.ports.token_cache->Forget(*hash);
    }
    Reply reply;
    reply.response.result(http::status::no_content);
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.prepare_payload();
    return reply;
}

Reply HandleLogin(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    auto login = ReadBody<Login>(call.request, LOGIN_BODY_BYTES_MAX);
    if (!login) return FailureReply(login.error());
    // No login holds a control character. A NUL in particular would reach PostgreSQL cut short
    // (libpq sends C strings), so "alice\0x1" would be checked as alice while the throttle kept
    // it apart from her: endless tries at her password. Refused like an unknown login, unhashed.
    const std::string& name = login->login.value;
    if (name.size() > services::LOGIN_BYTES_MAX ||
        std::any_of(name.begin(), name.end(), [](char byte) {
            return static_cast<unsigned char>(byte) < 0x20 || byte == 0x7f;
        })) {
        return FailureReply({make_error_code(services::Errc::login_failed), "login"});
    }
    LoginThrottle* throttle = call.ports.login_throttle;
    const auto now = LoginThrottle::Clock::now();
    const std::string client = LoginClientOf(call.remote);
    if (throttle != nullptr) {
        if (const auto wait = throttle->Refusal(login->login.value, client, now)) {
            Reply refused = ProblemReply(http::status::too_many_requests, "login_throttled",
                                         "too many failed logins for this login; try again later");
            const auto seconds = std::chrono::ceil<std::chrono::seconds>(*wait).count();
            refused.response.set(http::field::retry_after, std::to_string(seconds));
            return refused;
        }
    }
    if (throttle != nullptr && !throttle->TryBeginCheck()) {
        Reply busy = ProblemReply(http::status::service_unavailable, "login_busy",
                                  "too many logins are being checked; try again shortly");
        busy.response.set(http::field::retry_after, LOGIN_BUSY_RETRY_AFTER_SECONDS);
        return busy;
    }
    const auto grant = [&] {
        std::optional<LoginThrottle::EndsCheck> ends;
        if (throttle != nullptr) ends.emplace(*throttle);
        return call.ports.credentials.CheckPassword(login->login.value, login->password.value);
    }();
    if (!grant) return FailureReply({grant.error(), "accounts"});
    if (!*grant) {
        if (throttle != nullptr) throttle->RecordFailure(login->login.value, client, now);
        return FailureReply({make_error_code(services::Errc::login_failed), "login"});
    }
    if (throttle != nullptr) throttle->RecordSuccess(login->login.value, client);
    services::TokenGrant session = **grant;
    session.lifetime = services::SESSION_TOKEN_LIFETIME;
    auto token = call.ports.credentials.IssueToken(session, call.ports.clock.Now());
    if (!token) return FailureReply({token.error(), "tokens"});
    boost::json::object body;
    body["token"] = token->text;
    body["token_id"] = token->id;
    body["role"] = std::string(ledger::SpellingOf(session.role));
    body["expires_at"] = ledger::FormatTimestamp(token->expires_at);
    return JsonReply(http::status::created, boost::json::serialize(body));
}

} // namespace wijkbudget::api
