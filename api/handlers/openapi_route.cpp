// api/handlers/openapi_route.cpp: GET /api/v1/openapi.json, the API's OpenAPI 3.1 description.
//
// The document is compiled in (api/openapi/), so it changes only with the binary: it is public,
// may be cached for a few minutes, and is revalidated by a strong ETag, its SHA-256.
#include "api/entity_tags.hpp"
#include "api/openapi/openapi.hpp"
#include "api/routes.hpp"
#include "ledger/hex.hpp"
#include "ledger/sha256.hpp"

namespace wijkbudget::api {
namespace {

//! Short enough that a new binary's document reaches clients within minutes of a deploy.
constexpr std::string_view OPENAPI_CACHE{"public, max-age=300"};

//! The quoted SHA-256 of the document, computed once.
const std::string& OpenApiEtag()
{
    static const std::string etag =
        "\"" + ledger::ToHex(ledger::Sha256Of(OpenApiDocument())) + "\"";
    return etag;
}

} // namespace

Reply HandleOpenApi(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    const std::string& etag = OpenApiEtag();
    if (IfNoneMatchNames(call.request, etag)) {
        Reply reply;
        reply.response.result(http::status::not_modified);
        reply.response.set(http::field::cache_control, OPENAPI_CACHE);
        reply.response.set(http::field::etag, etag);
        return reply;
    }
    Reply reply = JsonReply(http::status::ok, std::string(OpenApiDocument()));
    reply.response.set(http::field::cache_control, OPENAPI_CACHE);
    reply.response.set(http::field::etag, etag);
    return reply;
}

} // namespace wijkbudget::api
