// api/handlers/round_routes.cpp: residents' participatory-budgeting rounds over HTTP (issue 6).
//
// Opening and closing a round follow the path of every write (api/handlers/decision_writes.cpp):
// the bearer token, the path's ids, the strict body, the use case's immediate checks, then the
// write flow with its Idempotency-Key. A ballot has no token: the voting code is the credential,
// so the code is checked before anything else, and the idempotency claim is scoped by the
// ballot's nullifier, which only the code's holder can produce: two voters' keys never meet, and
// a retry of the same ballot replays its answer. Nothing here echoes a code.
//
// Reads are public and bring the projection up to date first (codes are issued, and ballots may
// be cast, through other processes).
#include "api/handlers/round_json.hpp"
#include "api/routes.hpp"
#include "ledger/assert.hpp"
#include "ledger/hex.hpp"
#include "services/errc.hpp"
#include "services/round_pb_file.hpp"
#include "services/voting_codes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

namespace wijkbudget::api {
namespace {

//! A round's opening with ROUND_PROJECTS_MAX projects of long, escaped titles and categories
//! needs the transport's whole limit; nothing else is this large.
constexpr std::size_t ROUND_BODY_BYTES_MAX{64 * 1024};
//! A ballot: a code and at most ROUND_PROJECTS_MAX choices of a slug and a number.
constexpr std::size_t BALLOT_BODY_BYTES_MAX{16 * 1024};
//! The nothing a close takes: `{}` or no body at all.
constexpr std::size_t CLOSE_BODY_BYTES_MAX{1024};
//! A round's .pb file is sent in chunks of this size (as the ledger's export is, a chunk a page).
constexpr std::size_t ROUND_FILE_CHUNK_BYTES{256 * 1024};
//! The idempotency scope of a ballot: this, then the nullifier in hex.
constexpr std::string_view VOTER_SCOPE_PREFIX{"voter:"};

const services::Rounds& RoundsOf(const RouteCall& call)
{
    WB_CHECK_NONFATAL(call.ports.rounds != nullptr); // api/main_serve.cpp wires it.
    return *call.ports.rounds;
}

services::RoundService& RoundServiceOf(const RouteCall& call)
{
    WB_CHECK_NONFATAL(call.ports.round_service != nullptr);
    return *call.ports.round_service;
}

Reply RoundUnknown()
{
    return FailureReply(ledger::Failure{ledger::Errc::round_unknown, "round"});
}

//! The round of the path, once the projection is up to date: a 404 reply if there is none.
boost::system::result<services::RoundSummary, Reply> RoundOf(RouteCall& call)
{
    const auto round = SlugParameter(call, 0);
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    auto found = round ? RoundsOf(call).FindRound(*round) : std::nullopt;
    if (!found) return RoundUnknown();
    return std::move(*found);
}

Reply Listed(const std::vector<services::RoundSummary>& rounds, ledger::Timestamp now)
{
    boost::json::array items;
    for (const services::RoundSummary& round : rounds)
        items.push_back(RoundSummaryJson(round, now));
    boost::json::object body;
    body["rounds"] = std::move(items);
    return JsonReply(http::status::ok, boost::json::serialize(body));
}

//! The seed of the round's tie order: drawn here, where the round is opened, from OpenSSL's
//! CSPRNG, so that nobody chooses the order.
std::optional<ledger::Hash> TieSeed()
{
    ledger::Hash seed{};
    if (RAND_bytes(seed.data(), static_cast<int>(seed.size())) != 1) return std::nullopt;
    return seed;
}

} // namespace

void HandleOpenRound(RouteCall& call)
{
    auto writer = AuthenticateWriter(call);
    if (!writer) return call.respond(FailureReply(writer.error()));
    const services::Principal& principal = writer->principal;
    const auto council = SlugParameter(call, 0);
    if (!council) return call.respond(UnknownReply("council_unknown", "council"));
    auto body = ReadBody<services::RoundOpening>(call.request, ROUND_BODY_BYTES_MAX);
    if (!body) return call.respond(FailureReply(body.error()));
    const auto seed = TieSeed();
    if (!seed) {
        return call.respond(ProblemReply(http::status::internal_server_error, "internal_error",
                                         "no random tie seed could be drawn; nothing was written"));
    }
    auto draft = RoundServiceOf(call).Open(principal, *council, std::move(*body), *seed);
    if (!draft) return call.respond(FailureReply(draft.error()));
    SubmitWrite(call, *writer, std::move(*draft), http::status::created);
}

void HandleCastRoundBallot(RouteCall& call)
{
    const auto round = SlugParameter(call, 0);
    if (!round) return call.respond(RoundUnknown());
    auto body = ReadBody<services::BallotSubmission>(call.request, BALLOT_BODY_BYTES_MAX);
    if (!body) return call.respond(FailureReply(body.error()));
    const auto canonical = services::CanonicalVotingCode(body->code.value);
    if (!canonical) {
        return call.respond(FailureReply(
            ledger::Failure{make_error_code(services::Errc::code_invalid), "body.code"}));
    }
    // Codes may have been issued, and this round opened, through another process.
    if (auto behind = SyncProjections(call)) return call.respond(std::move(*behind));
    if (!RoundsOf(call).FindRound(*round)) return call.respond(RoundUnknown());
    std::string scope =
        std::string(VOTER_SCOPE_PREFIX) + ledger::ToHex(services::NullifierOf(*round, *canonical));
    auto draft = RoundServiceOf(call).CastBallot(*round, std::move(*body));
    if (!draft) return call.respond(FailureReply(draft.error()));
    // A refusal (a used code, a round not open) is decided again on every try, not stored under
    // the key: anyone holding a used code could otherwise write a row for good with every fresh
    // key. Nothing is lost: the voting code is the credential and the nullifier on the ledger
    // the once-only guard, so a retry never casts twice, and a stored ballot still replays.
    SubmitWriteScoped(call, std::move(scope), std::move(*draft), http::status::created,
                      RefusalKept::no);
}

void HandleCloseRound(RouteCall& call)
{
    auto writer = AuthenticateWriter(call);
    if (!writer) return call.respond(FailureReply(writer.error()));
    const services::Principal& principal = writer->principal;
    const auto round = SlugParameter(call, 0);
    if (!round) return call.respond(RoundUnknown());
    if (!call.request.body().empty()) {
        if (auto body = ReadBody<NoFields>(call.request, CLOSE_BODY_BYTES_MAX); !body)
            return call.respond(FailureReply(body.error()));
    }
    if (auto behind = SyncProjections(call)) return call.respond(std::move(*behind));
    auto draft = RoundServiceOf(call).Close(principal, *round);
    if (!draft) return call.respond(FailureReply(draft.error()));
    SubmitWrite(call, *writer, std::move(*draft), http::status::created);
}

Reply HandleListRounds(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    return Listed(RoundsOf(call).List(), call.ports.clock.Now());
}

Reply HandleListCouncilRounds(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    const auto council = SlugParameter(call, 0);
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    if (!council || !call.ports.registry.Contains(*council))
        return UnknownReply("council_unknown", "council");
    return Listed(RoundsOf(call).OfCouncil(*council), call.ports.clock.Now());
}

Reply HandleGetRound(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    auto round = RoundOf(call);
    if (!round) return round.error();
    return JsonReply(http::status::ok,
                     boost::json::serialize(RoundJson(*round, call.ports.clock.Now())));
}

Reply HandleRoundExport(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    // A large round's file is megabytes, public, and made anew for each request: it takes an
    // export slot, as the ledger's export does, which its stream holds until the file is sent
    // (and which goes back at once when there is no file to send).
    auto slot = TakeExportSlot(call);
    if (!slot) return slot.error();
    auto round = RoundOf(call);
    if (!round) return round.error();
    // The file holds every ballot, so it is published with the outcome, like the tallies (the
    // ballots are on the ledger meanwhile; this file is the count's input, not a secret).
    if (!round->Closed()) {
        return FailureReply(ledger::Failure{make_error_code(services::Errc::round_still_open),
                                            "the export follows the close"});
    }
    const auto full = RoundsOf(call).FindRoundWithBallots(round->opened.round);
    WB_CHECK_NONFATAL(full.has_value()); // Rounds are never forgotten.
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "text/plain; charset=utf-8");
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.set(http::field::content_disposition,
                       "attachment; filename=\"" + round->opened.round.value + ".pb\"");
    auto file = std::make_shared<const std::string>(services::RoundPbFile(*full));
    auto sent = std::make_shared<std::size_t>(0);
    reply.stream = [file, sent,
                    slot =
                        std::move(*slot)]() -> boost::system::result<std::optional<std::string>> {
        if (*sent >= file->size()) return std::optional<std::string>{};
        const std::size_t count = std::min(ROUND_FILE_CHUNK_BYTES, file->size() - *sent);
        std::string chunk = file->substr(*sent, count);
        *sent += count;
        return std::optional<std::string>{std::move(chunk)};
    };
    return reply;
}

} // namespace wijkbudget::api
