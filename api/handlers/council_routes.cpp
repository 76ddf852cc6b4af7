// api/handlers/council_routes.cpp: councils and their budget grants.
#include "api/routes.hpp"
#include "ledger/assert.hpp"
#include "ledger/money.hpp"
#include "services/councils.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace wijkbudget::api {
namespace {

//! Request bodies of these routes are small objects; the transport's 64 KiB limit is the outer
//! bound, this one is the JSON reader's.
constexpr std::size_t COUNCIL_BODY_BYTES_MAX{4096};

boost::json::object CouncilJson(const services::CouncilView& council)
{
    boost::json::object json;
    json["id"] = council.id.value;
    json["name"] = council.name.value;
    json["district"] = council.district.value;
    json["registered_at"] = council.registered_at;
    boost::json::array lines;
    for (const auto& line : council.lines) {
        boost::json::object line_json;
        line_json["year"] = line.year.value;
        line_json["category"] = std::string(ledger::SpellingOf(line.category));
        line_json["granted_cents"] = line.granted.value;
        line_json["available_cents"] = line.available.value;
        line_json["spent_cents"] = line.spent.value;
        lines.push_back(std::move(line_json));
    }
    json["budget_lines"] = std::move(lines);
    return json;
}

//! The council of the path, as a slug; 404 if it cannot be one.
std::optional<ledger::Slug> CouncilOfPath(const RouteCall& call)
{
    WB_CHECK_NONFATAL(call.parameters.size() == 1);
    if (!ledger::SlugRule::Check(call.parameters.front())) return std::nullopt;
    return ledger::Slug{call.parameters.front()};
}

} // namespace

Reply HandleListCouncils(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    boost::json::array councils;
    for (const auto& council : call.ports.registry.List())
        councils.push_back(CouncilJson(council));
    boost::json::object body;
    body["councils"] = std::move(councils);
    return JsonReply(http::status::ok, boost::json::serialize(body));
}

Reply HandleGetCouncil(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    const auto id = CouncilOfPath(call);
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    const auto council = id ? call.ports.registry.Find(*id) : std::nullopt;
    if (!council)
        return ProblemReply(http::status::not_found, "council_unknown", "no council with this id");
    return JsonReply(http::status::ok, boost::json::serialize(CouncilJson(*council)));
}

void HandleRegisterCouncil(RouteCall& call)
{
    auto writer = AuthenticateWriter(call);
    if (!writer) return call.respond(FailureReply(writer.error()));
    const services::Principal& principal = writer->principal;
    auto registration =
        ReadBody<services::CouncilRegistration>(call.request, COUNCIL_BODY_BYTES_MAX);
    if (!registration) return call.respond(FailureReply(registration.error()));
    auto draft = call.ports.councils.Register(principal, std::move(*registration));
    if (!draft) return call.respond(FailureReply(draft.error()));
    SubmitWrite(call, *writer, std::move(*draft), http::status::created);
}

void HandleGrantBudget(RouteCall& call)
{
    auto writer = AuthenticateWriter(call);
    if (!writer) return call.respond(FailureReply(writer.error()));
    const services::Principal& principal = writer->principal;
    const auto council = CouncilOfPath(call);
    if (!council) {
        return call.respond(
            ProblemReply(http::status::not_found, "council_unknown", "no council with this id"));
    }
    auto grant = ReadBody<services::BudgetGrant>(call.request, COUNCIL_BODY_BYTES_MAX);
    if (!grant) return call.respond(FailureReply(grant.error()));
    auto draft = call.ports.councils.Grant(principal, *council, *grant);
    if (!draft) return call.respond(FailureReply(draft.error()));
    SubmitWrite(call, *writer, std::move(*draft), http::status::created);
}

} // namespace wijkbudget::api
