// tests/unit/api/openapi_test.cpp: the compiled-in OpenAPI document and the router's table
// describe the same API (api/openapi/README.md). A route without its documentation, or a
// documented operation the router does not have, fails here.

#include "api/openapi/openapi.hpp"
#include "api/router.hpp"
#include "ledger/values.hpp"
#include "services/open_data.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wijkbudget::api {
namespace {

namespace json = boost::json;

//! The fields of an OpenAPI Path Item that are operations.
constexpr std::array<std::string_view, 8> OPERATION_FIELDS{"get",     "put",  "post",  "delete",
                                                           "options", "head", "patch", "trace"};

std::string Lowercase(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

const json::object& Document()
{
    static const json::object document = json::parse(OpenApiDocument()).as_object();
    return document;
}

const json::object& Paths()
{
    return Document().at("paths").as_object();
}

//! The {name}s of a path template, in order.
std::vector<std::string> TemplateNames(std::string_view path)
{
    std::vector<std::string> names;
    for (auto open = path.find('{'); open != std::string_view::npos; open = path.find('{', open)) {
        const auto close = path.find('}', open);
        names.emplace_back(path.substr(open + 1, close - open - 1));
        open = close;
    }
    return names;
}

//! A parameter, or what its "$ref" ("#/components/parameters/X") points at.
const json::object& Resolved(const json::value& parameter)
{
    const json::object& object = parameter.as_object();
    const auto* reference = object.if_contains("$ref");
    if (reference == nullptr) return object;
    constexpr std::string_view PREFIX{"#/components/parameters/"};
    const std::string_view target = reference->as_string();
    EXPECT_TRUE(target.starts_with(PREFIX)) << target;
    return Document()
        .at("components")
        .at("parameters")
        .at(target.substr(PREFIX.size()))
        .as_object();
}

//! The parameters of an operation, with those of its path item, resolved.
std::vector<const json::object*> ParametersOf(const json::object& path_item,
                                              const json::object& operation)
{
    std::vector<const json::object*> parameters;
    for (const json::object* holder : {&path_item, &operation}) {
        if (const auto* list = holder->if_contains("parameters")) {
            for (const auto& parameter : list->as_array())
                parameters.push_back(&Resolved(parameter));
        }
    }
    return parameters;
}

TEST(OpenApiTest, IsOpenApi31)
{
    EXPECT_EQ(Document().at("openapi").as_string(), "3.1.0");
}

TEST(OpenApiTest, DocumentsEveryRoute)
{
    const auto table = RouteTable();
    ASSERT_FALSE(table.empty());
    for (const auto& [method, pattern] : table) {
        const auto* path_item = Paths().if_contains(pattern);
        if (path_item == nullptr) {
            ADD_FAILURE() << method << " " << pattern << " is not in the document";
            continue;
        }
        EXPECT_TRUE(path_item->as_object().contains(Lowercase(method)))
            << method << " " << pattern << " is not in the document";
    }
}

TEST(OpenApiTest, DocumentsNothingElse)
{
    std::set<std::pair<std::string, std::string>> routes; //!< ("get", pattern), ...
    for (const auto& [method, pattern] : RouteTable())
        routes.emplace(Lowercase(method), pattern);
    for (const auto& [path, path_item] : Paths()) {
        std::size_t operations = 0;
        for (const std::string_view field : OPERATION_FIELDS) {
            if (!path_item.as_object().contains(field)) continue;
            ++operations;
            EXPECT_TRUE(routes.contains({std::string(field), std::string(path)}))
                << field << " " << std::string_view(path) << " is documented but not routed";
        }
        EXPECT_GT(operations, 0U) << std::string_view(path) << " has no operation";
    }
}

TEST(OpenApiTest, PathParametersMatchTheTemplate)
{
    for (const auto& [path, path_item] : Paths()) {
        const auto expected = TemplateNames(path);
        for (const std::string_view field : OPERATION_FIELDS) {
            const auto* operation = path_item.as_object().if_contains(field);
            if (operation == nullptr) continue;
            std::vector<std::string> declared;
            for (const json::object* parameter :
                 ParametersOf(path_item.as_object(), operation->as_object())) {
                if (parameter->at("in").as_string() != "path") continue;
                declared.emplace_back(parameter->at("name").as_string());
                EXPECT_TRUE(parameter->at("required").as_bool()) << std::string_view(path);
            }
            std::set<std::string> want(expected.begin(), expected.end());
            std::set<std::string> have(declared.begin(), declared.end());
            EXPECT_EQ(have, want) << field << " " << std::string_view(path);
            EXPECT_EQ(declared.size(), have.size())
                << "repeated path parameter: " << field << " " << std::string_view(path);
        }
    }
}

TEST(OpenApiTest, OperationsHaveUniqueIdsAndWritesTakeAnIdempotencyKey)
{
    std::set<std::string> ids;
    for (const auto& [path, path_item] : Paths()) {
        for (const std::string_view field : OPERATION_FIELDS) {
            const auto* operation = path_item.as_object().if_contains(field);
            if (operation == nullptr) continue;
            const auto* id = operation->as_object().if_contains("operationId");
            ASSERT_NE(id, nullptr) << field << " " << std::string_view(path);
            EXPECT_TRUE(ids.insert(std::string(id->as_string())).second)
                << "operationId " << std::string_view(id->as_string()) << " repeats";
            // Every POST appends a ledger entry through the write flow, except the login.
            if (field != "post" || path == "/api/v1/session") continue;
            bool has_key = false;
            for (const json::object* parameter :
                 ParametersOf(path_item.as_object(), operation->as_object())) {
                has_key = has_key || (parameter->at("in").as_string() == "header" &&
                                      parameter->at("name").as_string() == "Idempotency-Key" &&
                                      parameter->at("required").as_bool());
            }
            EXPECT_TRUE(has_key) << "POST " << std::string_view(path)
                                 << " lacks the required Idempotency-Key header";
        }
    }
}

const json::object& Schema(std::string_view name)
{
    return Document().at("components").at("schemas").at(name).as_object();
}

TEST(OpenApiTest, OpenDataMovementsListEveryMovementKind)
{
    // A client generated from the document must accept every row the exports write.
    std::set<std::string> documented;
    for (const auto& value :
         Schema("OpenDataMovement").at("properties").at("movement").at("enum").as_array())
        documented.emplace(value.as_string());
    std::set<std::string> written;
    for (auto kind = services::MovementKind::grant;;
         kind = static_cast<services::MovementKind>(static_cast<int>(kind) + 1)) {
        written.emplace(services::SpellingOf(kind));
        if (kind == services::MovementKind::allocation) break; // The last of the enumeration.
    }
    EXPECT_EQ(documented, written);
    std::set<std::string> kinds;
    for (const auto& value :
         Schema("OpenDataMovement").at("properties").at("entry_kind").at("enum").as_array())
        kinds.emplace(value.as_string());
    // A round's opening holds its budget and its close allocates it: both move a line's money.
    EXPECT_TRUE(kinds.contains("round.opened"));
    EXPECT_TRUE(kinds.contains("round.closed"));
}

TEST(OpenApiTest, TheSlugPatternAcceptsWhatTheLedgerAccepts)
{
    const auto& slug = Schema("Slug");
    const std::regex pattern{std::string(slug.at("pattern").as_string())};
    const auto length_max = static_cast<std::size_t>(slug.at("maxLength").as_int64());
    const std::string longest(ledger::SLUG_BYTES_MAX, 'a');
    const std::string too_long(ledger::SLUG_BYTES_MAX + 1, 'a');
    for (const std::string_view text :
         {std::string_view{"noord-oost"}, std::string_view{"a"}, std::string_view{"7"},
          std::string_view{"noord--2027"}, std::string_view{"a-b-c"}, std::string_view{"-a"},
          std::string_view{"a-"}, std::string_view{"-"}, std::string_view{""},
          std::string_view{"Noord"}, std::string_view{"a_b"}, std::string_view{"a b"},
          std::string_view{"\xc3\xa9"}, std::string_view{longest}, std::string_view{too_long}}) {
        // A path segment is checked by SlugRule alone: it must hold the length too.
        EXPECT_EQ(std::regex_match(std::string(text), pattern) && text.size() <= length_max,
                  ledger::SlugRule::Check(text))
            << "\"" << text << "\"";
    }
}

} // namespace
} // namespace wijkbudget::api
