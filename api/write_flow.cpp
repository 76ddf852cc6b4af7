// api/write_flow.cpp: the path of every POST that appends an entry (DESIGN.md section 4).
#include "api/idempotency.hpp"
#include "api/problem.hpp"
#include "api/routes.hpp"
#include "ledger/hex.hpp"
#include "services/errc.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <memory>

namespace wijkbudget::api {
namespace {

//! The body of a successful write: where the entry landed, and the proof that it is there.
std::string AppendedJson(const ledger::AppendedEntry& appended)
{
    boost::json::object body;
    body["index"] = appended.sealed.entry.index.value;
    body["leaf_hash"] = ledger::ToHex(appended.sealed.leaf);
    body["entry"] = appended.sealed.bytes;
    body["checkpoint"] = appended.checkpoint;
    body["receipt"] = appended.receipt;
    return boost::json::serialize(body);
}

Reply ReplyOf(const ledger::StoredAnswer& answer, bool replayed)
{
    Reply reply;
    reply.response.result(static_cast<unsigned>(answer.status));
    reply.response.set(http::field::content_type, answer.status >= 400
                                                      ? std::string(PROBLEM_CONTENT_TYPE)
                                                      : std::string("application/json"));
    reply.response.set(http::field::cache_control, "no-store");
    if (replayed) reply.response.set(IDEMPOTENCY_REPLAYED_HEADER, "true");
    reply.response.body() = answer.body;
    reply.response.prepare_payload();
    return reply;
}

Reply ReplyOf(ledger::AppendFailure failure)
{
    switch (failure) {
    case ledger::AppendFailure::key_reused:
        return ProblemReply(http::status::unprocessable_entity, "idempotency_key_reused",
                            "this Idempotency-Key was used with another request");
    case ledger::AppendFailure::read_only:
        return ProblemReply(http::status::service_unavailable, "ledger_read_only",
                            "the ledger refuses writes until an operator has checked it");
    case ledger::AppendFailure::unavailable:
        return ProblemReply(http::status::service_unavailable, "storage_unavailable",
                            "the write could not be made now (the database failed, perhaps as "
                            "it committed, or too many writes are waiting): retry with the "
                            "same Idempotency-Key, which never writes twice");
    case ledger::AppendFailure::shutting_down:
        return ProblemReply(http::status::service_unavailable, "shutting_down",
                            "the server is stopping; nothing was written, a retry is safe");
    case ledger::AppendFailure::credential_refused:
        // The answer Authenticate gives the same token now.
        return FailureReply(ledger::Failure{make_error_code(services::Errc::not_authenticated),
                                            "unknown, expired or revoked token"});
    }
    return ProblemReply(http::status::internal_server_error, "internal_error", "unknown failure");
}

/** SubmitWrite's flow, with the keys of `scope`; `credential`, when set, goes with the request
 *  for the sequencer to confirm, and is forgotten by the token cache if refused. */
void SubmitWriteWith(RouteCall& call, std::string scope,
                     const std::optional<ledger::Hash>& credential, services::DraftMaker make_draft,
                     http::status success, RefusalKept refusal_kept = RefusalKept::yes)
{
    const auto header = call.request.find(IDEMPOTENCY_KEY_HEADER);
    if (header == call.request.end()) {
        call.respond(ProblemReply(http::status::bad_request, "idempotency_key_missing",
                                  "every POST needs an Idempotency-Key header"));
        return;
    }
    // Two keys must not mean whichever one a proxy kept (as repeated query parameters).
    if (call.request.count(IDEMPOTENCY_KEY_HEADER) > 1) {
        call.respond(ProblemReply(http::status::bad_request, "idempotency_key_invalid",
                                  "a request carries one Idempotency-Key header, not several"));
        return;
    }
    if (!IsValidIdempotencyKey(header->value())) {
        call.respond(ProblemReply(http::status::bad_request, "idempotency_key_invalid",
                                  "an Idempotency-Key is 1.." +
                                      std::to_string(ledger::IDEMPOTENCY_KEY_BYTES_MAX) +
                                      " printable ASCII characters"));
        return;
    }
    ledger::IdempotencyClaim claim{std::move(scope), std::string(header->value()),
                                   RequestHash(call.request)};
    // A stored answer is found by the sequencer, which looks up all claims of a batch in one
    // query under its lock: a retry queues like any request and is answered from the store.
    if (!call.in_flight.TryAcquire(claim)) {
        call.respond(ProblemReply(http::status::conflict, "idempotency_key_in_flight",
                                  "a request with this Idempotency-Key is still being handled"));
        return;
    }
    // Set by `done` once it has released the key; shared, as `done` may outlive this call.
    const auto released = std::make_shared<bool>(false);
    try {
        const int success_status = static_cast<int>(success);
        ledger::AppendRequest request{
            claim, std::move(make_draft),
            [success_status, request_id = std::string(call.request_id)](
                const boost::system::result<ledger::AppendedEntry, ledger::Failure>& outcome) {
                if (!outcome) {
                    Reply refusal = FailureReply(outcome.error());
                    // Stored with this request's id, which the session then leaves alone: a
                    // replay answers the first request's body byte for byte.
                    if (!request_id.empty()) StampProblemRequestId(refusal.response, request_id);
                    return ledger::StoredAnswer{static_cast<int>(refusal.response.result_int()),
                                                refusal.response.body()};
                }
                return ledger::StoredAnswer{success_status, AppendedJson(*outcome)};
            },
            credential, refusal_kept == RefusalKept::yes};
        call.ports.appender.Submit(
            std::move(request),
            [respond = call.respond, &in_flight = call.in_flight, claim, credential,
             cache = call.ports.token_cache,
             released](boost::system::result<ledger::AppendReply, ledger::AppendFailure> reply) {
                in_flight.Release(claim);
                *released = true;
                if (!reply && reply.error() == ledger::AppendFailure::credential_refused &&
                    cache != nullptr && credential)
                    cache->Forget(*credential);
                respond(reply ? ReplyOf(reply->answer, reply->replayed) : ReplyOf(reply.error()));
            });
    } catch (...) {
        // The request was not queued (out of memory): its `done`, which releases the key, will
        // never run, and a retry must not be told the key is still in flight. (Unless `done` ran
        // already, answering at once, and what threw came after: then a retry may hold the key.)
        if (!*released) call.in_flight.Release(claim);
        throw;
    }
}

} // namespace

void SubmitWrite(RouteCall& call, const Writer& writer, services::DraftMaker make_draft,
                 http::status success)
{
    SubmitWriteWith(call, IdempotencyScope(writer.principal), writer.credential,
                    std::move(make_draft), success);
}

void SubmitWriteScoped(RouteCall& call, std::string idempotency_scope,
                       services::DraftMaker make_draft, http::status success,
                       RefusalKept refusal_kept)
{
    SubmitWriteWith(call, std::move(idempotency_scope), std::nullopt, std::move(make_draft),
                    success, refusal_kept);
}

} // namespace wijkbudget::api
