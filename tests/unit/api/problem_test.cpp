// tests/unit/api/problem_test.cpp: RFC 9457 problem bodies and the error mapping.

#include "api/problem.hpp"
#include "ledger/errc.hpp"

#include <boost/json.hpp>
#include <boost/system/errc.hpp>
#include <gtest/gtest.h>

namespace wijkbudget::api {
namespace {

namespace http = boost::beast::http;

TEST(ProblemTest, MakeProblemBuildsRfc9457Body)
{
    const Reply reply = MakeProblem(http::status::payload_too_large, "body_too_large",
                                    "Request body too large", "Over 65536 bytes.");
    EXPECT_EQ(reply.response.result(), http::status::payload_too_large);
    EXPECT_EQ(reply.response[http::field::content_type], PROBLEM_CONTENT_TYPE);
    EXPECT_EQ(reply.response[http::field::cache_control], "no-store");
    const auto body = boost::json::parse(reply.response.body()).as_object();
    EXPECT_EQ(body.at("type").as_string(), "urn:wijkbudget:problem:body_too_large");
    EXPECT_EQ(body.at("title").as_string(), "Request body too large");
    EXPECT_EQ(body.at("status").as_int64(), 413);
    EXPECT_EQ(body.at("detail").as_string(), "Over 65536 bytes.");
    EXPECT_EQ(body.at("code").as_string(), "body_too_large");
    EXPECT_FALSE(body.contains("instance"));
    EXPECT_FALSE(body.contains("request_id"));
}

TEST(ProblemTest, InstanceAndRequestIdAppearWhenSet)
{
    Problem problem;
    problem.status = http::status::not_found;
    problem.code = "not_found";
    problem.instance = "/api/v1/ledger/entries/7";
    problem.request_id = "abc";
    const auto body = boost::json::parse(ProblemJson(problem)).as_object();
    EXPECT_EQ(body.at("instance").as_string(), "/api/v1/ledger/entries/7");
    EXPECT_EQ(body.at("request_id").as_string(), "abc");
}

TEST(ProblemTest, StampAddsRequestIdToProblemsOnly)
{
    Reply problem = MakeProblem(http::status::bad_request, "x", "X", "x");
    StampProblemRequestId(problem.response, "id-1");
    EXPECT_EQ(boost::json::parse(problem.response.body()).at("request_id").as_string(), "id-1");
    // An id already present (set by the router) is not overwritten.
    StampProblemRequestId(problem.response, "id-2");
    EXPECT_EQ(boost::json::parse(problem.response.body()).at("request_id").as_string(), "id-1");

    Response plain;
    plain.set(http::field::content_type, "application/json");
    plain.body() = R"({"a":1})";
    StampProblemRequestId(plain, "id-3");
    EXPECT_EQ(plain.body(), R"({"a":1})");
}

TEST(ProblemTest, LedgerErrorsMapByMeaning)
{
    using ledger::Errc;
    const auto check = [](Errc value, http::status status, const char* code) {
        const Problem problem = ProblemForError(make_error_code(value));
        EXPECT_EQ(problem.status, status) << code;
        EXPECT_EQ(problem.code, code);
        EXPECT_FALSE(problem.title.empty());
    };
    check(Errc::exceeds_budget_line, http::status::unprocessable_entity, "exceeds_budget_line");
    check(Errc::json_malformed, http::status::bad_request, "json_malformed");
    check(Errc::json_too_large, http::status::payload_too_large, "json_too_large");
    check(Errc::index_out_of_range, http::status::not_found, "index_out_of_range");
    check(Errc::sequence_conflict, http::status::conflict, "sequence_conflict");
    check(Errc::storage_unavailable, http::status::service_unavailable, "storage_unavailable");
    check(Errc::entry_altered, http::status::internal_server_error, "entry_altered");
}

TEST(ProblemTest, UnknownErrorIsInternalError)
{
    const Problem problem =
        ProblemForError(boost::system::errc::make_error_code(boost::system::errc::io_error));
    EXPECT_EQ(problem.status, http::status::internal_server_error);
    EXPECT_EQ(problem.code, "internal_error");
    // The detail of an unknown error may hold internals; it must not reach the client.
    EXPECT_EQ(problem.detail.find("Input/output"), std::string::npos);
}

} // namespace
} // namespace wijkbudget::api
