// api/handlers/session_routes.cpp: POST /api/v1/session, a password login that returns a token.
#include "api/routes.hpp"
#include "ledger/values.hpp"
#include "services/credentials.hpp"
#include "services/errc.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace wijkbudget::api {
namespace {

constexpr std::size_t LOGIN_BODY_BYTES_MAX{1024};

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

} // namespace

Reply HandleLogin(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    auto login = ReadBody<Login>(call.request, LOGIN_BODY_BYTES_MAX);
    if (!login) return FailureReply(login.error());
    if (login->login.value.size() > services::LOGIN_BYTES_MAX) {
        return FailureReply({make_error_code(services::Errc::login_failed), "login"});
    }
    auto grant = call.ports.credentials.CheckPassword(login->login.value, login->password.value);
    if (!grant) return FailureReply({grant.error(), "accounts"});
    if (!*grant) return FailureReply({make_error_code(services::Errc::login_failed), "login"});
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
