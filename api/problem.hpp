#pragma once
// api/problem.hpp: RFC 9457 problem details, the body of every error response.
//
// The body is {"type","title","status","detail","code","instance"?,"request_id"}. "code" is the
// stable machine code (a published code is never renamed, STYLE.md section 4); "type" is derived
// from it. The transport fills in "request_id" as it sends the reply, so a handler that builds a
// problem needs no access to the request.

#include "api/handler.hpp"

#include <boost/beast/http/status.hpp>
#include <boost/system/error_code.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace wijkbudget::api {

inline constexpr std::string_view PROBLEM_CONTENT_TYPE{"application/problem+json"};
//! The prefix of "type": the code is appended, e.g. "urn:wijkbudget:problem:body_too_large".
inline constexpr std::string_view PROBLEM_TYPE_PREFIX{"urn:wijkbudget:problem:"};

struct Problem {
    boost::beast::http::status status{boost::beast::http::status::internal_server_error};
    std::string code;                    //!< Stable snake_case machine code.
    std::string title;                   //!< Short, the same for every occurrence of the code.
    std::string detail;                  //!< This occurrence, for a human; never secrets.
    std::optional<std::string> instance; //!< A URI of this occurrence, when there is one.
    std::string request_id;              //!< Empty: the transport fills it in.
};

//! The JSON body of a problem; "request_id" is left out while it is empty.
std::string ProblemJson(const Problem& problem);

//! A reply with a problem body, Content-Type application/problem+json and Cache-Control no-store.
Reply MakeProblem(const Problem& problem);
Reply MakeProblem(boost::beast::http::status status, std::string_view code, std::string_view title,
                  std::string_view detail);

//! Puts "request_id" into a problem body that lacks it; other responses are left alone. The
//! transport calls this on every reply, so problems from the router and from the transport alike
//! carry the id that the X-Request-Id header carries.
void StampProblemRequestId(Response& response, std::string_view request_id);

//! The HTTP status and machine code for an expected failure: ledger::Errc values map by meaning
//! (a rule broken by the request is 422, a conflict with stored state 409, an unavailable store
//! 503); an error of an unknown category is 500 "internal_error". The router reuses this for
//! ledger errors and extends it for services::Errc.
Problem ProblemForError(const boost::system::error_code& error);

} // namespace wijkbudget::api
