// api/route_support.cpp: replies, query parameters and authentication shared by the handlers.
#include "api/login_throttle.hpp"
#include "api/problem.hpp"
#include "api/routes.hpp"
#include "ledger/assert.hpp"
#include "services/errc.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <charconv>

namespace wijkbudget::api {
namespace {

//! The authentication scheme of our tokens (RFC 6750), before a space and the token.
constexpr std::string_view BEARER_SCHEME{"Bearer"};

//! Who cannot act gets 403; what does not exist, 404; what clashes with the state the ledger is
//! in, 409; a request that can never succeed as written, 422. Every code is listed, so a new
//! code does not compile until it has a status.
http::status StatusOf(services::Errc code)
{
    using enum services::Errc;
    switch (code) {
    case not_authenticated:
    case login_failed: return http::status::unauthorized;
    case not_permitted:
    case not_submitter:
    case confirmation_by_submitter:
    case mandate_invalid:
    case recused:
    case not_in_electorate: return http::status::forbidden;
    case code_unknown: return http::status::forbidden;
    case council_unknown:
    case member_unknown:
    case proposal_unknown:
    case vote_unknown:
    case submission_unknown:
    case year_unknown: return http::status::not_found;
    case council_exists:
    case year_end_rule_fixed:
    case mandate_exists:
    case seat_taken:
    case proposal_exists:
    case proposal_not_open:
    case vote_exists:
    case vote_closed:
    case vote_still_open:
    case already_voted:
    case cosign_not_required:
    case earlier_year_open:
    case year_not_over:
    case commitment_held_by_round:
    case residents_not_consulted:
    case nothing_to_release:
    case submission_exists:
    case already_confirmed:
    case submission_withdrawn:
    case voting_started:
    case round_not_open:
    case round_still_open:
    case code_used: return http::status::conflict;
    case district_unknown:
    case too_few_members:
    case bylaws_missing:
    case tie_rule_unsupported:
    case voting_period_too_long:
    case voting_period_too_short:
    case closes_at_passed:
    case decision_unsuitable:
    case district_mismatch:
    case opens_at_passed:
    case round_too_long:
    case code_invalid:
    case ballot_invalid:
    case paid_on_in_future:
    case no_ballot_possible: return http::status::unprocessable_entity;
    }
    return http::status::internal_server_error;
}

ledger::Failure BadQuery(std::string where)
{
    return {make_error_code(ledger::Errc::field_invalid), std::move(where)};
}

} // namespace

Reply JsonReply(http::status status, std::string body)
{
    Reply reply;
    reply.response.result(status);
    reply.response.set(http::field::content_type, "application/json");
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.body() = std::move(body);
    reply.response.prepare_payload();
    return reply;
}

Reply ProblemReply(http::status status, std::string_view code, std::string_view detail)
{
    return MakeProblem(status, code, http::obsolete_reason(status), detail);
}

Reply FailureReply(const ledger::Failure& failure)
{
    if (failure.code.category() == services::ServicesCategory()) {
        const auto code = static_cast<services::Errc>(failure.code.value());
        // Describe() spells ledger codes only; a services code reads "<message> (<where>)".
        Reply reply = ProblemReply(StatusOf(code), services::CodeName(code),
                                   failure.code.message() + " (" + failure.where + ")");
        // Every 401 names the scheme that would do (RFC 9110 section 15.5.2), the failed
        // password login's too: it hands out a Bearer token.
        if (code == services::Errc::not_authenticated || code == services::Errc::login_failed)
            reply.response.set(http::field::www_authenticate, BEARER_SCHEME);
        return reply;
    }
    Problem problem = ProblemForError(failure.code);
    problem.detail = failure.Describe();
    return MakeProblem(problem);
}

boost::system::result<std::optional<std::uint64_t>, ledger::Failure>
QueryNumber(const RouteCall& call, const std::string& name, std::uint64_t max)
{
    const auto found = call.query.find(name);
    if (found == call.query.end()) return std::optional<std::uint64_t>{};
    const std::string& text = found->second;
    std::uint64_t value{0};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // Digits only: no sign, no leading zeros beyond "0", no trailing garbage.
    if (error != std::errc{} || end != text.data() + text.size() || text.empty() ||
        (text.size() > 1 && text.front() == '0') || value > max) {
        return BadQuery("query " + name + " (an integer 0.." + std::to_string(max) + ")");
    }
    return std::optional<std::uint64_t>{value};
}

boost::system::result<void, ledger::Failure>
OnlyQueryParameters(const RouteCall& call, std::initializer_list<std::string_view> allowed)
{
    for (const auto& [name, value] : call.query) {
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            return ledger::Failure{make_error_code(ledger::Errc::field_unknown), "query " + name};
    }
    return {};
}

namespace {

ledger::Failure NotAuthenticated(std::string why)
{
    return ledger::Failure{make_error_code(services::Errc::not_authenticated), std::move(why)};
}

} // namespace

boost::system::result<ledger::Hash, ledger::Failure> BearerTokenHash(const Request& request)
{
    const auto header = request.find(http::field::authorization);
    if (header == request.end()) return NotAuthenticated("no Authorization header");
    // Whichever a proxy kept must not decide who acts.
    if (request.count(http::field::authorization) > 1)
        return NotAuthenticated("more than one Authorization header");
    const std::string_view value = header->value();
    // "Bearer", in any case (RFC 9110 section 11.1), then one or more spaces and the token.
    const std::size_t space = value.find(' ');
    if (space == std::string_view::npos ||
        !boost::beast::iequals(value.substr(0, space), BEARER_SCHEME))
        return NotAuthenticated("Authorization is not a Bearer token");
    std::string_view token = value.substr(space);
    token.remove_prefix(std::min(token.find_first_not_of(' '), token.size()));
    if (!services::IsTokenText(token)) return NotAuthenticated("malformed bearer token");
    return services::TokenHash(token);
}

namespace {

boost::system::result<services::Principal, ledger::Failure> LookUpToken(const RouteCall& call,
                                                                        const ledger::Hash& hash)
{
    auto principal = call.ports.credentials.FindToken(hash, call.ports.clock.Now());
    if (!principal) return ledger::Failure{principal.error(), "tokens"};
    if (!*principal) return NotAuthenticated("unknown, expired or revoked token");
    return std::move(**principal);
}

} // namespace

boost::system::result<services::Principal, ledger::Failure> Authenticate(const RouteCall& call)
{
    auto hash = BearerTokenHash(call.request);
    if (!hash) return hash.error();
    return LookUpToken(call, *hash);
}

boost::system::result<Writer, ledger::Failure> AuthenticateWriter(const RouteCall& call)
{
    if (call.cached_writer != nullptr) return *call.cached_writer;
    auto hash = BearerTokenHash(call.request);
    if (!hash) return hash.error();
    TokenCache* cache = call.ports.token_cache;
    if (cache == nullptr) {
        auto principal = LookUpToken(call, *hash);
        if (!principal) return principal.error();
        return Writer{std::move(*principal), std::nullopt};
    }
    const auto now = TokenCache::Clock::now();
    if (auto kept = cache->Find(*hash, now)) return Writer{std::move(*kept), *hash};
    auto principal = LookUpToken(call, *hash);
    if (!principal) return principal.error();
    cache->Keep(*hash, *principal, now);
    return Writer{std::move(*principal), *hash};
}

std::optional<Writer> CachedWriter(const Request& request, const TokenCache& cache)
{
    auto hash = BearerTokenHash(request);
    if (!hash) return std::nullopt;
    auto kept = cache.Find(*hash, TokenCache::Clock::now());
    if (!kept) return std::nullopt;
    return Writer{std::move(*kept), *hash};
}

boost::system::result<std::optional<services::Principal>, ledger::Failure>
AuthenticateIfPresent(const RouteCall& call)
{
    if (call.request.find(http::field::authorization) == call.request.end())
        return std::optional<services::Principal>{};
    auto principal = Authenticate(call);
    if (!principal) return principal.error();
    return std::optional<services::Principal>{std::move(*principal)};
}

std::optional<Reply> SyncProjections(RouteCall& call)
{
    if (call.ports.sync_registry()) return std::nullopt;
    return ProblemReply(http::status::service_unavailable, "storage_unavailable",
                        "the council data cannot be shown now: it is being rebuilt from the "
                        "ledger after a write that failed to commit, or the stored ledger failed "
                        "its checks (GET /readyz then says so); try again later");
}

std::optional<ledger::Slug> SlugParameter(const RouteCall& call, std::size_t position)
{
    WB_CHECK_NONFATAL(position < call.parameters.size());
    if (!ledger::SlugRule::Check(call.parameters[position])) return std::nullopt;
    return ledger::Slug{call.parameters[position]};
}

Reply UnknownReply(std::string_view code, std::string_view what)
{
    return ProblemReply(http::status::not_found, code, "no " + std::string(what) + " with this id");
}

boost::system::result<std::shared_ptr<ExportSlots::Slot>, Reply>
TakeExportSlot(const RouteCall& call)
{
    if (call.ports.export_slots == nullptr) return std::shared_ptr<ExportSlots::Slot>{};
    auto slot = call.ports.export_slots->TryTake(LoginClientOf(call.remote));
    if (slot) return slot;
    Reply busy = ProblemReply(http::status::service_unavailable, "export_busy",
                              "too many exports are streaming now, in all or to this address; "
                              "try again later");
    busy.response.set(http::field::retry_after, EXPORT_BUSY_RETRY_AFTER_SECONDS);
    return busy;
}

} // namespace wijkbudget::api
