#include "api/router.hpp"

#include "api/problem.hpp"
#include "api/query.hpp"
#include "api/routes.hpp"
#include "api/web/site_pages.hpp"
#include "ledger/assert.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <span>
#include <string>
#include <variant>

namespace wijkbudget::api {
namespace {

using Answering = Reply (*)(RouteCall&);
using Writing = void (*)(RouteCall&); //!< Answers through call.respond, maybe later.

//! Where a route's handler may run (Router::TakeWithoutBlocking).
enum class Runs {
    on_workers, //!< Only on the worker pool: it may block on the database.
    /** On the I/O thread that read the request when the token cache holds its writer: a write
     *  whose handler then touches only memory until SubmitWrite queues it. */
    on_io_thread_with_cached_token,
};

struct Route {
    http::verb method;
    std::string_view pattern; //!< Segments; "{name}" matches one non-empty segment.
    std::variant<Answering, Writing> handler;
    Runs runs{Runs::on_workers};
};

//! In the table, and answered from memory when it can be (Router::AnswerFromMemory).
constexpr std::string_view INCLUSION_PROOF_PATH{"/api/v1/ledger/proofs/inclusion"};
//! Where the API's routes are; the rest is the site.
constexpr std::string_view API_PATH_PREFIX{"/api/"};

const std::array ROUTES{
    Route{http::verb::get, "/healthz", Answering{HandleHealth}},
    Route{http::verb::get, "/readyz", Answering{HandleReady}},
    Route{http::verb::get, "/metrics", Answering{HandleMetrics}},
    Route{http::verb::get, "/api/v1/openapi.json", Answering{HandleOpenApi}},
    Route{http::verb::get, "/api/v1/ledger/entries", Answering{HandleLedgerEntries}},
    Route{http::verb::get, "/api/v1/ledger/entries/{index}", Answering{HandleLedgerEntry}},
    Route{http::verb::get, "/api/v1/ledger/checkpoint", Answering{HandleLedgerCheckpoint}},
    Route{http::verb::get, INCLUSION_PROOF_PATH, Answering{HandleInclusionProof}},
    Route{http::verb::get, "/api/v1/ledger/proofs/consistency", Answering{HandleConsistencyProof}},
    Route{http::verb::get, "/api/v1/ledger/export", Answering{HandleLedgerExport}},
    Route{http::verb::get, "/api/v1/ledger/vkey", Answering{HandleVerifierKey}},
    Route{http::verb::post, "/api/v1/session", Answering{HandleLogin}},
    Route{http::verb::delete_, "/api/v1/session", Answering{HandleLogout}},
    Route{http::verb::get, "/api/v1/councils", Answering{HandleListCouncils}},
    Route{http::verb::post, "/api/v1/councils", Writing{HandleRegisterCouncil},
          Runs::on_io_thread_with_cached_token},
    Route{http::verb::get, "/api/v1/councils/{id}", Answering{HandleGetCouncil}},
    Route{http::verb::post, "/api/v1/councils/{id}/grants", Writing{HandleGrantBudget},
          Runs::on_io_thread_with_cached_token},
    // Council decisions (issue 4).
    Route{http::verb::get, "/api/v1/councils/{id}/mandates", Answering{HandleListMandates}},
    Route{http::verb::post, "/api/v1/councils/{id}/mandates", Writing{HandleStartMandate}},
    Route{http::verb::post, "/api/v1/councils/{id}/mandates/{member}/end",
          Writing{HandleEndMandate}},
    Route{http::verb::delete_, "/api/v1/councils/{id}/members/{member}/name",
          Answering{HandleEraseMemberName}},
    Route{http::verb::get, "/api/v1/councils/{id}/bylaws", Answering{HandleGetBylaws}},
    Route{http::verb::post, "/api/v1/councils/{id}/bylaws", Writing{HandleSetBylaws}},
    Route{http::verb::get, "/api/v1/councils/{id}/proposals", Answering{HandleListProposals}},
    Route{http::verb::post, "/api/v1/councils/{id}/proposals", Writing{HandleSubmitProposal}},
    Route{http::verb::get, "/api/v1/councils/{id}/proposals/{proposal}",
          Answering{HandleGetProposal}},
    Route{http::verb::post, "/api/v1/councils/{id}/proposals/{proposal}/amendments",
          Writing{HandleAmendProposal}},
    Route{http::verb::post, "/api/v1/councils/{id}/proposals/{proposal}/withdrawal",
          Writing{HandleWithdrawProposal}},
    Route{http::verb::post, "/api/v1/councils/{id}/proposals/{proposal}/cosignature",
          Writing{HandleCosign}},
    Route{http::verb::get, "/api/v1/councils/{id}/votes", Answering{HandleListVotes}},
    Route{http::verb::post, "/api/v1/councils/{id}/votes", Writing{HandleOpenVote}},
    Route{http::verb::get, "/api/v1/councils/{id}/votes/{vote}", Answering{HandleGetVote}},
    Route{http::verb::post, "/api/v1/councils/{id}/votes/{vote}/ballots", Writing{HandleCastVote}},
    Route{http::verb::post, "/api/v1/councils/{id}/votes/{vote}/recusals", Writing{HandleRecuse}},
    Route{http::verb::post, "/api/v1/councils/{id}/votes/{vote}/close", Writing{HandleCloseVote}},
    Route{http::verb::get, "/api/v1/councils/{id}/commitments", Answering{HandleListCommitments}},
    Route{http::verb::post, "/api/v1/councils/{id}/commitments/{commitment}/spendings",
          Writing{HandleRecordSpending}},
    Route{http::verb::post, "/api/v1/councils/{id}/commitments/{commitment}/release",
          Writing{HandleReleaseCommitment}},
    Route{http::verb::get, "/api/v1/councils/{id}/spendings", Answering{HandleListSpendings}},
    Route{http::verb::post, "/api/v1/councils/{id}/spendings/{index}/reversal",
          Writing{HandleReverseSpending}},
    Route{http::verb::get, "/api/v1/councils/{id}/spending-submissions",
          Answering{HandleListSubmissions}},
    Route{http::verb::post, "/api/v1/councils/{id}/spending-submissions/{submission}/confirmation",
          Writing{HandleConfirmSpending}},
    Route{http::verb::post, "/api/v1/councils/{id}/spending-submissions/{submission}/withdrawal",
          Writing{HandleWithdrawSpending}},
    Route{http::verb::post, "/api/v1/councils/{id}/periods/{year}/close",
          Writing{HandleClosePeriod}},
    Route{http::verb::get, "/api/v1/councils/{id}/budget-lines", Answering{HandleBudgetLines}},
    // Open data (issue 5).
    Route{http::verb::get, "/api/v1/councils/{id}/export.csv", Answering{HandleExportCsv}},
    Route{http::verb::get, "/api/v1/councils/{id}/export.json", Answering{HandleExportJson}},
    Route{http::verb::get, "/api/v1/feed.atom", Answering{HandleFeed}},
    // Residents' participatory-budgeting rounds (issue 6).
    Route{http::verb::get, "/api/v1/councils/{id}/rounds", Answering{HandleListCouncilRounds}},
    Route{http::verb::post, "/api/v1/councils/{id}/rounds", Writing{HandleOpenRound}},
    Route{http::verb::get, "/api/v1/rounds", Answering{HandleListRounds}},
    Route{http::verb::get, "/api/v1/rounds/{round}", Answering{HandleGetRound}},
    Route{http::verb::post, "/api/v1/rounds/{round}/ballots", Writing{HandleCastRoundBallot}},
    Route{http::verb::post, "/api/v1/rounds/{round}/close", Writing{HandleCloseRound}},
    Route{http::verb::get, "/api/v1/rounds/{round}/export.pb", Answering{HandleRoundExport}},
};

//! The public site's pages (api/web/) and its assets: HTML for people, not part of the API's
//! table (RouteTable, the OpenAPI document). Matched after the API's routes.
const std::array SITE_ROUTES{
    Route{http::verb::get, "/", Answering{web::HandleMunicipalityPage}},
    Route{http::verb::get, "/councils/{id}", Answering{web::HandleCouncilPage}},
    Route{http::verb::get, "/councils/{id}/proposals/{proposal}",
          Answering{web::HandleProposalPage}},
    Route{http::verb::get, "/ledger", Answering{web::HandleLedgerPage}},
    Route{http::verb::get, "/ledger/{index}", Answering{web::HandleEntryPage}},
    Route{http::verb::get, "/verify", Answering{web::HandleVerifyPage}},
    // Residents' rounds (issue 6): the ballot form posts to the site, not to the API.
    Route{http::verb::get, "/rounds", Answering{web::HandleRoundsPage}},
    Route{http::verb::get, "/rounds/{round}", Answering{web::HandleRoundPage}},
    Route{http::verb::post, "/rounds/{round}/ballot", Writing{web::HandleBallotForm}},
    Route{http::verb::get, "/rounds/{round}/ballot", Answering{web::HandleBallotAddress}},
    Route{http::verb::get, "/assets/{name}", Answering{web::HandleAsset}},
    Route{http::verb::get, "/favicon.svg", Answering{web::HandleIcon}},
};

//! The API's routes first, then the site's.
const std::array<std::span<const Route>, 2> ALL_ROUTES{std::span<const Route>{ROUTES},
                                                       std::span<const Route>{SITE_ROUTES}};

//! The path's segments; a trailing or doubled slash makes an empty segment, which no route has.
std::vector<std::string_view> Segments(std::string_view path)
{
    std::vector<std::string_view> segments;
    if (path.empty() || path.front() != '/') return segments;
    path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

/** Whether `pattern` matches the path's segments; on a match, the "{name}" segments go to
 *  `parameters`. Every request tries each route of the table, so the pattern is walked in place
 *  and nothing is allocated before a route matches. */
bool Matches(std::string_view pattern, const std::vector<std::string_view>& segments,
             std::vector<std::string>& parameters)
{
    if (pattern.empty() || pattern.front() != '/') return false;
    std::string_view rest = pattern.substr(1);
    std::size_t count = 0;
    for (bool more = true; more; ++count) {
        const auto slash = rest.find('/');
        more = slash != std::string_view::npos;
        const std::string_view expected = rest.substr(0, slash);
        rest = more ? rest.substr(slash + 1) : std::string_view{};
        if (count >= segments.size()) return false;
        const bool is_parameter = expected.starts_with('{');
        if (is_parameter ? segments[count].empty() : expected != segments[count]) return false;
    }
    if (count != segments.size()) return false;
    const auto expected = Segments(pattern);
    parameters.clear();
    for (std::size_t position = 0; position < expected.size(); ++position) {
        if (expected[position].starts_with('{')) parameters.emplace_back(segments[position]);
    }
    return true;
}

std::string AllowedMethods(const std::vector<std::string_view>& segments)
{
    std::string allowed;
    std::vector<std::string> ignored;
    for (const auto table : ALL_ROUTES) {
        for (const auto& route : table) {
            if (!Matches(route.pattern, segments, ignored)) continue;
            if (!allowed.empty()) allowed += ", ";
            allowed += std::string(http::to_string(route.method));
            if (route.method == http::verb::get) allowed += ", HEAD";
        }
    }
    return allowed;
}

//! Whether a path is the API's, by its prefix or its route (/healthz, /readyz, /metrics): its
//! callers are programs, which read problems, not the site's pages.
bool IsApiPath(std::string_view path, const std::vector<std::string_view>& segments)
{
    if (path.starts_with(API_PATH_PREFIX)) return true;
    std::vector<std::string> ignored;
    return std::any_of(ROUTES.begin(), ROUTES.end(), [&](const Route& route) {
        return Matches(route.pattern, segments, ignored);
    });
}

/** The route a request takes: the first in table order whose method and pattern match, with
 *  its "{name}" segments in `parameters`; none if no route matches. */
const Route* MatchRoute(http::verb method, const std::vector<std::string_view>& segments,
                        std::vector<std::string>& parameters)
{
    // HEAD is GET without the body (RFC 9110 section 9.3.2), which the session leaves out.
    const http::verb wanted = method == http::verb::head ? http::verb::get : method;
    for (const auto table : ALL_ROUTES) {
        for (const auto& route : table) {
            if (route.method == wanted && Matches(route.pattern, segments, parameters))
                return &route;
        }
    }
    return nullptr;
}

//! `respond`, with the route's template set on each reply for metrics and logs.
Handler::Respond Labelled(const Route& route, Handler::Respond respond)
{
    return [respond = std::move(respond), label = std::string(http::to_string(route.method)) + " " +
                                                  std::string(route.pattern)](Reply reply) {
        reply.route = label;
        respond(std::move(reply));
    };
}

//! The answer to a request whose handler threw: a bug inside one request, logged, not fatal.
Reply HandlerFailed()
{
    return ProblemReply(http::status::internal_server_error, "internal_error",
                        "the server failed to handle this request; it is logged");
}

} // namespace

std::vector<std::pair<std::string, std::string>> RouteTable()
{
    std::vector<std::pair<std::string, std::string>> table;
    for (const auto& route : ROUTES)
        table.emplace_back(http::to_string(route.method), route.pattern);
    return table;
}

void Router::Handle(Request request, const RequestInfo& info, Respond respond)
{
    try {
        Dispatch(request, respond, info);
    } catch (const std::exception& error) {
        // A bug inside one request (WB_CHECK_NONFATAL and the like): answer it, keep serving.
        respond(HandlerFailed());
    }
}

std::optional<Reply> Router::AnswerFromMemory(const Request& request)
{
    if (request.method() != http::verb::get || m_ports.hashes_in_memory == nullptr)
        return std::nullopt;
    const std::string_view target = request.target();
    const auto question = target.find('?');
    if (target.substr(0, question) != INCLUSION_PROOF_PATH || question == std::string_view::npos)
        return std::nullopt;
    auto query = ParseQuery(target.substr(question + 1));
    if (!query) return std::nullopt;
    Respond unused = [](Reply) {
        WB_ASSERT(false);
    }; // Answering handlers return their reply.
    RouteCall call{request,     std::move(*query), {},    m_ports, m_in_flight,
                   m_immutable, m_signed_size,     unused};
    auto reply = InclusionProofFromMemory(call);
    if (reply) reply->route = "GET " + std::string(INCLUSION_PROOF_PATH);
    return reply;
}

bool Router::TakeWithoutBlocking(const Request& request, const RequestInfo& info,
                                 const Respond& respond)
{
    if (request.method() != http::verb::post || m_ports.token_cache == nullptr) return false;
    // A query string, even one the route ignores, is checked by Dispatch.
    const std::string_view path = request.target();
    if (path.find('?') != std::string_view::npos) return false;
    // Nothing may leave this function (it runs inside the I/O thread's io_context): a failure
    // before the handler ran leaves the request to the worker pool; one after it is a 500, as
    // in Handle, and the handler's own answer, if it gave one, stays the only one.
    bool handed = false;
    try {
        std::vector<std::string> parameters;
        const Route* route = MatchRoute(request.method(), Segments(path), parameters);
        if (route == nullptr || route->runs != Runs::on_io_thread_with_cached_token) return false;
        const auto* writing = std::get_if<Writing>(&route->handler);
        if (writing == nullptr) return false;
        const auto writer = CachedWriter(request, *m_ports.token_cache);
        if (!writer) return false; // The worker pool looks the token up.
        Respond labelled = Labelled(*route, respond);
        RouteCall call{request,     {},          std::move(parameters), m_ports,
                       m_in_flight, m_immutable, m_signed_size,         labelled,
                       &*writer,    {},          info.request_id};
        handed = true;
        (*writing)(call);
        return true;
    } catch (const std::exception&) {
        if (!handed) return false;
        try {
            respond(HandlerFailed());
        } catch (const std::exception&) {
            // Out of memory for the problem too: the session's Responder answers 500 when the
            // last copy of `respond` goes.
        }
        return true;
    }
}

void Router::Dispatch(Request& request, Respond& respond, const RequestInfo& info)
{
    const std::string_view remote = info.remote;
    const std::string_view target = request.target();
    const auto question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const auto segments = Segments(path);
    auto query = ParseQuery(question == std::string_view::npos ? "" : target.substr(question + 1));
    if (!query) {
        // A reader's browser gets the site's 400 page, as for a query a page does not take.
        if (!IsApiPath(path, segments) &&
            (request.method() == http::verb::get || request.method() == http::verb::head)) {
            RouteCall call{request,       {},      {},      m_ports, m_in_flight, m_immutable,
                           m_signed_size, respond, nullptr, remote};
            respond(web::MalformedQueryPage(call));
            return;
        }
        respond(ProblemReply(http::status::bad_request, "query_invalid",
                             "the query string is malformed, too long or repeats a parameter"));
        return;
    }
    std::vector<std::string> parameters;
    if (const Route* route = MatchRoute(request.method(), segments, parameters)) {
        Respond labelled = Labelled(*route, respond);
        RouteCall call{request,       std::move(*query), std::move(parameters),
                       m_ports,       m_in_flight,       m_immutable,
                       m_signed_size, labelled,          nullptr,
                       remote,        info.request_id};
        // The API's writes take their input from the body alone; each read checks its own
        // parameters. (The site's form posts keep ?lang=, which its pages read.)
        const bool reads =
            request.method() == http::verb::get || request.method() == http::verb::head;
        if (!reads && path.starts_with(API_PATH_PREFIX)) {
            if (auto only = OnlyQueryParameters(call, {}); !only) {
                labelled(FailureReply(only.error()));
                return;
            }
        }
        if (const auto* answering = std::get_if<Answering>(&route->handler)) {
            labelled((*answering)(call));
        } else {
            std::get<Writing>(route->handler)(call);
        }
        return;
    }
    if (const std::string allowed = AllowedMethods(segments); !allowed.empty()) {
        Reply reply = ProblemReply(http::status::method_not_allowed, "method_not_allowed",
                                   "this resource allows " + allowed);
        reply.response.set(http::field::allow, allowed);
        respond(std::move(reply));
        return;
    }
    // A reader's browser outside the API (a mistyped address, a trailing slash) gets the site's
    // page in the reader's language, not a problem in JSON.
    if (!path.starts_with(API_PATH_PREFIX) &&
        (request.method() == http::verb::get || request.method() == http::verb::head)) {
        RouteCall call{request,     std::move(*query), {},      m_ports, m_in_flight,
                       m_immutable, m_signed_size,     respond, nullptr, remote};
        respond(web::UnknownPage(call));
        return;
    }
    respond(ProblemReply(http::status::not_found, "not_found", "no such resource"));
}

} // namespace wijkbudget::api
