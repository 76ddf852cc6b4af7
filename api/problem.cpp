// api/problem.cpp: RFC 9457 problem details.

#include "api/problem.hpp"

#include "ledger/errc.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>

#include <utility>

namespace wijkbudget::api {

namespace http = boost::beast::http;

namespace {

using ledger::Errc;

http::status StatusForLedgerErrc(Errc value)
{
    switch (value) {
    case Errc::json_too_large: return http::status::payload_too_large;
    case Errc::index_out_of_range:
    case Errc::round_unknown: return http::status::not_found;
    case Errc::round_exists:
    case Errc::round_closed:
    case Errc::commitment_exists:
    case Errc::spending_already_reversed:
    case Errc::sequence_conflict:
    case Errc::checkpoint_inconsistent: return http::status::conflict;
    case Errc::amount_out_of_range:
    case Errc::postings_unbalanced:
    case Errc::postings_not_allowed:
    case Errc::postings_mismatch:
    case Errc::exceeds_budget_line:
    case Errc::commitment_unknown:
    case Errc::commitment_resolved:
    case Errc::spending_exceeds_commitment:
    case Errc::spending_unknown:
    case Errc::reversal_mismatch:
    case Errc::period_closed:
    case Errc::recorded_balance_mismatch:
    case Errc::root_mismatch:
    case Errc::signature_invalid:
    case Errc::signature_missing: return http::status::unprocessable_entity;
    case Errc::storage_unavailable: return http::status::service_unavailable;
    // These mean the stored ledger or OpenSSL is broken, not that the request is wrong.
    case Errc::stored_hash_missing:
    case Errc::entry_altered:
    case Errc::export_incomplete:
    case Errc::crypto_failure: return http::status::internal_server_error;
    default: return http::status::bad_request; // The shape of the input is wrong.
    }
}

} // namespace

std::string ProblemJson(const Problem& problem)
{
    boost::json::object body;
    body["type"] = std::string{PROBLEM_TYPE_PREFIX} + problem.code;
    body["title"] = problem.title;
    body["status"] = static_cast<unsigned>(problem.status);
    body["detail"] = problem.detail;
    body["code"] = problem.code;
    if (problem.instance) body["instance"] = *problem.instance;
    if (!problem.request_id.empty()) body["request_id"] = problem.request_id;
    return boost::json::serialize(body);
}

Reply MakeProblem(const Problem& problem)
{
    Reply reply;
    reply.response.result(problem.status);
    reply.response.set(http::field::content_type, PROBLEM_CONTENT_TYPE);
    // A problem describes one occurrence; a cache must never hand it to someone else.
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.body() = ProblemJson(problem);
    return reply;
}

Reply MakeProblem(http::status status, std::string_view code, std::string_view title,
                  std::string_view detail)
{
    Problem problem;
    problem.status = status;
    problem.code = code;
    problem.title = title;
    problem.detail = detail;
    return MakeProblem(problem);
}

void StampProblemRequestId(Response& response, std::string_view request_id)
{
    if (response[http::field::content_type] != PROBLEM_CONTENT_TYPE) return;
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(response.body(), ec);
    // A body that is not a JSON object is the router's bug; sending it as it is beats hiding it.
    if (ec || !parsed.is_object()) return;
    boost::json::object& body = parsed.as_object();
    if (body.contains("request_id")) return;
    body["request_id"] = request_id;
    response.body() = boost::json::serialize(body);
}

Problem ProblemForError(const boost::system::error_code& error)
{
    Problem problem;
    if (error.category() == ledger::LedgerCategory()) {
        const auto value = static_cast<Errc>(error.value());
        problem.status = StatusForLedgerErrc(value);
        problem.code = ledger::CodeName(value);
        problem.title = error.message();
        problem.detail = error.message();
        return problem;
    }
    problem.status = http::status::internal_server_error;
    problem.code = "internal_error";
    problem.title = "Internal server error";
    problem.detail = "The server failed to handle the request.";
    return problem;
}

} // namespace wijkbudget::api
