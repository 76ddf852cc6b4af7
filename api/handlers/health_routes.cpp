// api/handlers/health_routes.cpp: liveness, readiness and metrics for operators.
#include "api/routes.hpp"

namespace wijkbudget::api {

// These three take any query, unlike every other route (which answers an unknown parameter with
// 400): probes and scrapers add their own (a cache-buster, a target name), and a probe that
// failed on one would take a healthy server out of service.

Reply HandleHealth(RouteCall& /*call*/)
{
    // Alive: the process answers. Whether it can serve is /readyz's question.
    return JsonReply(http::status::ok, R"({"status":"ok"})");
}

Reply HandleReady(RouteCall& call)
{
    const Readiness readiness = call.ports.readiness();
    if (!readiness.ready)
        return ProblemReply(http::status::service_unavailable, "not_ready", readiness.reason);
    return JsonReply(http::status::ok, R"({"status":"ready"})");
}

Reply HandleMetrics(RouteCall& call)
{
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, Metrics::CONTENT_TYPE);
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.body() = call.ports.metrics.Render();
    reply.response.prepare_payload();
    return reply;
}

} // namespace wijkbudget::api
