#pragma once
// api/routes.hpp: what the route handlers (api/handlers/*.cpp) share: the call, replies, query
// parameters, bodies, authentication and the write flow. Internal to api/.

#include "api/handler.hpp"
#include "api/immutable_cache.hpp"
#include "api/router.hpp"
#include "ledger/errc.hpp"
#include "ledger/fields.hpp"
#include "ledger/strict_json.hpp"
#include "services/principal.hpp"

#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::api {

namespace http = boost::beast::http;

struct Writer;

struct RouteCall {
    const Request& request;
    std::map<std::string, std::string> query;
    std::vector<std::string> parameters; //!< Path segments in {braces}, in order.
    RouterPorts& ports;
    InFlightClaims& in_flight;
    ImmutableCache& immutable;
    std::atomic<std::uint64_t>& signed_size; //!< The largest checkpoint size seen.
    Handler::Respond& respond;
    //! Set on an I/O thread (Router::TakeWithoutBlocking): the writer the token cache held, which
    //! AuthenticateWriter returns, so that the call cannot fall back to a database lookup.
    const Writer* cached_writer{nullptr};
    //! The peer's address and port (RequestInfo::remote), for the login throttle; empty on the
    //! I/O threads' paths, which never log in.
    std::string_view remote{};
    //! The request's id (RequestInfo::request_id): a write's stored problem carries it, so that a
    //! replay answers the very body the first request got. Empty where nothing stores an answer.
    std::string_view request_id{};
};

//! A JSON reply with the status; Cache-Control no-store unless the caller sets another.
Reply JsonReply(http::status status, std::string body);
Reply ProblemReply(http::status status, std::string_view code, std::string_view detail);
//! The problem for an expected failure (ledger or services code), with its `where` as detail.
Reply FailureReply(const ledger::Failure& failure);

//! A parameter of the query as a number 0..max; none if absent. 400 problems otherwise.
boost::system::result<std::optional<std::uint64_t>, ledger::Failure>
QueryNumber(const RouteCall& call, const std::string& name, std::uint64_t max);
//! 400 if the query names a parameter outside `allowed`.
boost::system::result<void, ledger::Failure>
OnlyQueryParameters(const RouteCall& call, std::initializer_list<std::string_view> allowed);

//! The hash of the request's well-formed bearer token; 401 not_authenticated without one.
boost::system::result<ledger::Hash, ledger::Failure> BearerTokenHash(const Request& request);
//! The bearer token's principal: 401 not_authenticated otherwise.
boost::system::result<services::Principal, ledger::Failure> Authenticate(const RouteCall& call);

//! A caller authenticated for a write. `credential`, the token's hash, is set when the principal
//! may come from the token cache (api/token_cache.hpp): SubmitWrite has the sequencer confirm it.
struct Writer {
    services::Principal principal;
    std::optional<ledger::Hash> credential;
};
//! As Authenticate, from the token cache when it holds the token. Only for requests that end in
//! SubmitWrite(call, writer, ...), which has the token confirmed in the appending batch.
boost::system::result<Writer, ledger::Failure> AuthenticateWriter(const RouteCall& call);
//! The writer of the request's well-formed bearer token if the token cache holds it; none
//! otherwise (no header, a malformed token, or one only the database knows).
std::optional<Writer> CachedWriter(const Request& request, const TokenCache& cache);
//! For public reads that show more to a caller with a token: none without an Authorization
//! header, the principal with a valid one, 401 with an invalid one.
boost::system::result<std::optional<services::Principal>, ledger::Failure>
AuthenticateIfPresent(const RouteCall& call);

/** Brings the in-memory projections up to date (RouterPorts::sync_registry) before a handler
 *  reads them: none if they may be served, else the 503 problem `storage_unavailable` (they are
 *  being rebuilt from the ledger, hold a batch that failed to commit, or the stored ledger failed
 *  its checks). A batch that fails between this check and the handler's reads, and a rebuild
 *  begun in that narrow window, are not caught. */
[[nodiscard]] std::optional<Reply> SyncProjections(RouteCall& call);

//! The path parameter at `position` as a slug; none if it cannot be one (the caller answers 404).
std::optional<ledger::Slug> SlugParameter(const RouteCall& call, std::size_t position);
/** A slot of RouterPorts::export_slots for a long public answer (the ledger's export, a round's
 *  .pb file), held by the answer's stream until it is sent or cut; the 503 `export_busy` reply
 *  with Retry-After when the slots are taken, in all or by this client. A null slot when the
 *  ports have no slots (tests). */
boost::system::result<std::shared_ptr<ExportSlots::Slot>, Reply>
TakeExportSlot(const RouteCall& call);
//! The 404 problem for a path parameter that names nothing: `code` as "proposal_unknown".
Reply UnknownReply(std::string_view code, std::string_view what);

//! The request body as a T: a JSON object with exactly T's fields (ledger/fields.hpp).
template <class T>
boost::system::result<T, ledger::Failure> ReadBody(const Request& request, std::size_t bytes_max)
{
    auto document = ledger::ParseStrictJson(request.body(), bytes_max);
    if (!document) return document.error();
    T value{};
    const ledger::fields::Path root{"body"};
    if (auto read = ledger::fields::Read(*document, value, root); !read) return read.error();
    return value;
}

//! The body of an action that needs no input (closing a vote or a round, co-approving,
//! confirming, logging out): `{}`, or nothing at all where the handler allows it.
struct NoFields {
    template <class Self, class Visit>
    static void Fields(Self& /*self*/, Visit&& /*visit*/)
    {}
};

/**
 * The write flow every POST shares: the Idempotency-Key (400 if missing or malformed), a stored
 * answer replayed (or 422 if the key came with another request), 409 while the key is in flight,
 * else the draft queued for the sequencer. `respond` is called once the batch committed.
 * `success` is the status of an appended entry (201).
 */
//! Whether a write's refusal is stored under its Idempotency-Key (ledger::AppendRequest::
//! record_refusal): yes, as issue 3 asks of writes; no only for residents' ballots.
enum class RefusalKept { yes, no };
//! A token's holder's write: its keys are the actor's (IdempotencyScope). The sequencer refuses
//! it (401, nothing stored under the key) if the token was revoked or expired before the batch
//! that would append it.
void SubmitWrite(RouteCall& call, const Writer& writer, services::DraftMaker make_draft,
                 http::status success);
//! A write without a token (a resident's ballot): its keys are `idempotency_scope`'s, which the
//! caller derives from the credential it checked (the ballot's nullifier).
void SubmitWriteScoped(RouteCall& call, std::string idempotency_scope,
                       services::DraftMaker make_draft, http::status success,
                       RefusalKept refusal_kept);

// The handlers, one group per file in api/handlers/.
Reply HandleHealth(RouteCall& call);
Reply HandleReady(RouteCall& call);
Reply HandleMetrics(RouteCall& call);
Reply HandleLedgerEntries(RouteCall& call);
Reply HandleLedgerEntry(RouteCall& call);
Reply HandleLedgerCheckpoint(RouteCall& call);
Reply HandleInclusionProof(RouteCall& call);
//! The same answer, when it is a proof in a signed tree whose hashes are all in memory already
//! (RouterPorts::hashes_in_memory); none otherwise, without reading the database.
std::optional<Reply> InclusionProofFromMemory(RouteCall& call);
Reply HandleConsistencyProof(RouteCall& call);
Reply HandleLedgerExport(RouteCall& call);
Reply HandleVerifierKey(RouteCall& call);
Reply HandleListCouncils(RouteCall& call);
Reply HandleGetCouncil(RouteCall& call);
//! Writes answer through call.respond themselves and return nothing.
void HandleRegisterCouncil(RouteCall& call);
void HandleGrantBudget(RouteCall& call);
Reply HandleLogin(RouteCall& call);
//! DELETE /api/v1/session: revokes the caller's own token (204), in every process at once.
Reply HandleLogout(RouteCall& call);

// api/handlers/decision_reads.cpp: a council's mandates, bylaws, proposals, votes, money.
Reply HandleListMandates(RouteCall& call);
Reply HandleGetBylaws(RouteCall& call);
Reply HandleListProposals(RouteCall& call);
Reply HandleGetProposal(RouteCall& call);
Reply HandleListVotes(RouteCall& call);
Reply HandleGetVote(RouteCall& call);
Reply HandleListCommitments(RouteCall& call);
Reply HandleListSpendings(RouteCall& call);
Reply HandleListSubmissions(RouteCall& call);
Reply HandleBudgetLines(RouteCall& call);
// api/handlers/decision_writes.cpp: the council-decision use cases.
void HandleStartMandate(RouteCall& call);
void HandleEndMandate(RouteCall& call);
Reply HandleEraseMemberName(RouteCall& call);
void HandleSetBylaws(RouteCall& call);
void HandleSubmitProposal(RouteCall& call);
void HandleAmendProposal(RouteCall& call);
void HandleWithdrawProposal(RouteCall& call);
void HandleCosign(RouteCall& call);
void HandleOpenVote(RouteCall& call);
void HandleCastVote(RouteCall& call);
void HandleRecuse(RouteCall& call);
void HandleCloseVote(RouteCall& call);
void HandleRecordSpending(RouteCall& call);
void HandleConfirmSpending(RouteCall& call);
void HandleWithdrawSpending(RouteCall& call);
void HandleReverseSpending(RouteCall& call);
void HandleReleaseCommitment(RouteCall& call);
void HandleClosePeriod(RouteCall& call);
// api/handlers/openapi_route.cpp.
Reply HandleOpenApi(RouteCall& call);
// api/handlers/open_data.cpp: a council's movements of one year as CSV and JSON; the Atom feed.
Reply HandleExportCsv(RouteCall& call);
Reply HandleExportJson(RouteCall& call);
Reply HandleFeed(RouteCall& call);
// api/handlers/round_routes.cpp: residents' participatory-budgeting rounds (issue 6).
void HandleOpenRound(RouteCall& call);
void HandleCastRoundBallot(RouteCall& call);
void HandleCloseRound(RouteCall& call);
Reply HandleListRounds(RouteCall& call);
Reply HandleListCouncilRounds(RouteCall& call);
Reply HandleGetRound(RouteCall& call);
Reply HandleRoundExport(RouteCall& call);

} // namespace wijkbudget::api
