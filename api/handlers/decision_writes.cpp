// api/handlers/decision_writes.cpp: the council-decision use cases over HTTP (issue 4).
//
// Every handler follows one path: the bearer token (401), the path's ids (404 when one cannot
// name anything), the body read strictly into the request struct of services/decision_requests.hpp
// (400), the use case's immediate checks of role and council (403), and then the write flow with
// its Idempotency-Key; what depends on the ledger is decided by the draft maker, in sequence.
#include "api/routes.hpp"
#include "ledger/assert.hpp"
#include "ledger/check_entry.hpp"
#include "services/decision_requests.hpp"

#include <charconv>
#include <type_traits>

namespace wijkbudget::api {
namespace {

//! The largest body here is a proposal: a 4,000-byte description, a title, a beneficiary and 16
//! attachment hashes, escaped. The transport's 64 KiB limit is the outer bound.
constexpr std::size_t DECISION_BODY_BYTES_MAX{16 * 1024};
//! An erasure of a name carries no fields: at most `{}` with some spaces.
constexpr std::size_t ERASE_BODY_BYTES_MAX{64};

//! POST /api/v1/councils/{council}/mandates: the ledger's mandate, and the member's name, which
//! is kept apart from the ledger (services/member_names.hpp) so that it can be erased.
struct MandateBody {
    services::MandateStart mandate;
    std::optional<ledger::Title> name;
    template <class Self, class Visit>
    static void Fields(Self& self, Visit&& visit)
    {
        visit("member", self.mandate.member);
        visit("name", self.name);
        visit("seat", self.mandate.seat);
        visit("from", self.mandate.from);
        visit("until", self.mandate.until);
    }
};

template <class Body>
boost::system::result<Body, ledger::Failure> ReadDecisionBody(const Request& request)
{
    if constexpr (std::is_same_v<Body, NoFields>) {
        if (request.body().empty()) return Body{};
    }
    return ReadBody<Body>(request, DECISION_BODY_BYTES_MAX);
}

//! A refusal of a path id that cannot name anything (404, or the ledger's answer), or none.
using PathCheck = std::optional<Reply>;

/**
 * The shared path of every write: `use(principal, council, body)` is the use case, returning the
 * draft maker or the refusal. `path_ids` is the answer for ids after the council's that cannot
 * name anything (none: they can): asked once the token is known, so that a caller without one is
 * told that first, whatever the path.
 */
template <class Body, class Use>
void Submit(RouteCall& call, Use use, PathCheck path_ids = std::nullopt)
{
    auto writer = AuthenticateWriter(call);
    if (!writer) return call.respond(FailureReply(writer.error()));
    const services::Principal& principal = writer->principal;
    const auto council = SlugParameter(call, 0);
    if (!council) return call.respond(UnknownReply("council_unknown", "council"));
    if (path_ids) return call.respond(std::move(*path_ids));
    auto body = ReadDecisionBody<Body>(call.request);
    if (!body) return call.respond(FailureReply(body.error()));
    auto draft = use(principal, *council, std::move(*body));
    if (!draft) return call.respond(FailureReply(draft.error()));
    SubmitWrite(call, *writer, std::move(*draft), http::status::created);
}

//! A ledger index in the path, 0..max: none if it is not one.
std::optional<std::uint64_t> IndexParameter(const RouteCall& call, std::size_t position)
{
    WB_CHECK_NONFATAL(position < call.parameters.size());
    const std::string& text = call.parameters[position];
    std::uint64_t value{0};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() ||
        (text.size() > 1 && text.front() == '0')) {
        return std::nullopt;
    }
    return value;
}

//! A path segment that cannot name a commitment or spending gets the same answer as one that
//! names none: the ledger's code, with the ledger's status (api/problem.cpp), wherever it is found.
Reply LedgerUnknown(ledger::Errc code, std::string where)
{
    return FailureReply(ledger::Failure{make_error_code(code), std::move(where)});
}

} // namespace

void HandleStartMandate(RouteCall& call)
{
    Submit<MandateBody>(call, [&call](const services::Principal& principal,
                                      const ledger::Slug& council, MandateBody body) {
        const ledger::Slug member = body.mandate.member;
        auto draft = call.ports.decisions.StartMandate(principal, council, std::move(body.mandate));
        if (!draft || !body.name) return draft;
        // The name is kept by the sequencer, once the mandate's own draft is accepted and before
        // its entry is sealed, so that an acknowledged mandate never lacks its name. Nothing else
        // writes it: not a request refused before (no key, a key in flight or reused, a revoked
        // token) or by the ledger (the member already seated), nor a replay of an earlier answer,
        // which must not bring back a name erased since. A batch that then fails to commit leaves
        // a name that nothing shows, until a retry seats the member.
        return services::DecisionService::Drafted{services::DraftMaker{
            [make = std::move(*draft), &names = call.ports.member_names, council, member,
             name =
                 std::move(*body.name)]() -> boost::system::result<ledger::Entry, ledger::Failure> {
                auto entry = make();
                if (!entry) return entry;
                // What sealing would refuse must not leave a name behind either.
                if (auto checked = ledger::CheckEntry(*entry); !checked) return checked.error();
                if (auto kept = names.Put(council, member, name); !kept)
                    return ledger::Failure{kept.error(), "names"};
                return entry;
            }}};
    });
}

void HandleEndMandate(RouteCall& call)
{
    const auto member = SlugParameter(call, 1);
    Submit<services::MandateEnd>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::MandateEnd body) {
            return call.ports.decisions.EndMandate(principal, council, *member, body);
        },
        member ? PathCheck{} : PathCheck{UnknownReply("member_unknown", "member")});
}

Reply HandleEraseMemberName(RouteCall& call)
{
    // An erasure has no body; one with a body is refused rather than ignored (as a logout's).
    if (!call.request.body().empty()) {
        if (auto body = ReadBody<NoFields>(call.request, ERASE_BODY_BYTES_MAX); !body)
            return FailureReply(body.error());
    }
    auto principal = Authenticate(call);
    if (!principal) return FailureReply(principal.error());
    const auto council = SlugParameter(call, 0);
    if (!council) return UnknownReply("council_unknown", "council");
    const auto member = SlugParameter(call, 1);
    if (!member) return UnknownReply("member_unknown", "member");
    // Erasure is the municipality's duty as controller of the personal data (AVG article 17).
    if (principal->role != ledger::Role::municipality) {
        return ProblemReply(http::status::forbidden, "not_permitted",
                            "only the municipality erases names");
    }
    auto erased = call.ports.member_names.Erase(*council, *member);
    if (!erased) return FailureReply(ledger::Failure{erased.error(), "names"});
    if (!*erased) return ProblemReply(http::status::not_found, "member_unknown", "no name kept");
    Reply reply;
    reply.response.result(http::status::no_content);
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.prepare_payload();
    return reply;
}

void HandleSetBylaws(RouteCall& call)
{
    Submit<services::BylawsChange>(call, [&](const services::Principal& principal,
                                             const ledger::Slug& council,
                                             services::BylawsChange body) {
        return call.ports.decisions.SetBylaws(principal, council, body);
    });
}

void HandleSubmitProposal(RouteCall& call)
{
    Submit<services::ProposalSubmission>(call, [&](const services::Principal& principal,
                                                   const ledger::Slug& council,
                                                   services::ProposalSubmission body) {
        return call.ports.decisions.SubmitProposal(principal, council, std::move(body));
    });
}

void HandleAmendProposal(RouteCall& call)
{
    const auto proposal = SlugParameter(call, 1);
    Submit<services::ProposalAmendment>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::ProposalAmendment body) {
            return call.ports.decisions.AmendProposal(principal, council, *proposal,
                                                      std::move(body));
        },
        proposal ? PathCheck{} : PathCheck{UnknownReply("proposal_unknown", "proposal")});
}

void HandleWithdrawProposal(RouteCall& call)
{
    const auto proposal = SlugParameter(call, 1);
    Submit<services::Reasoned>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::Reasoned body) {
            return call.ports.decisions.WithdrawProposal(principal, council, *proposal,
                                                         std::move(body));
        },
        proposal ? PathCheck{} : PathCheck{UnknownReply("proposal_unknown", "proposal")});
}

void HandleCosign(RouteCall& call)
{
    const auto proposal = SlugParameter(call, 1);
    Submit<NoFields>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council, NoFields /*body*/) {
            return call.ports.decisions.Cosign(principal, council, *proposal);
        },
        proposal ? PathCheck{} : PathCheck{UnknownReply("proposal_unknown", "proposal")});
}

void HandleOpenVote(RouteCall& call)
{
    Submit<services::VoteOpening>(call, [&](const services::Principal& principal,
                                            const ledger::Slug& council,
                                            services::VoteOpening body) {
        return call.ports.decisions.OpenVote(principal, council, std::move(body));
    });
}

void HandleCastVote(RouteCall& call)
{
    const auto vote = SlugParameter(call, 1);
    Submit<services::Ballot>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::Ballot body) {
            return call.ports.decisions.CastVote(principal, council, *vote, body);
        },
        vote ? PathCheck{} : PathCheck{UnknownReply("vote_unknown", "vote")});
}

void HandleRecuse(RouteCall& call)
{
    const auto vote = SlugParameter(call, 1);
    Submit<services::Reasoned>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::Reasoned body) {
            return call.ports.decisions.Recuse(principal, council, *vote, std::move(body));
        },
        vote ? PathCheck{} : PathCheck{UnknownReply("vote_unknown", "vote")});
}

void HandleCloseVote(RouteCall& call)
{
    const auto vote = SlugParameter(call, 1);
    Submit<NoFields>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council, NoFields /*body*/) {
            return call.ports.decisions.CloseVote(principal, council, *vote);
        },
        vote ? PathCheck{} : PathCheck{UnknownReply("vote_unknown", "vote")});
}

void HandleRecordSpending(RouteCall& call)
{
    const auto commitment = SlugParameter(call, 1);
    Submit<services::SpendingRequest>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::SpendingRequest body) {
            return call.ports.decisions.RecordSpending(principal, council, *commitment,
                                                       std::move(body));
        },
        commitment ? PathCheck{}
                   : PathCheck{LedgerUnknown(ledger::Errc::commitment_unknown, "path commitment")});
}

void HandleConfirmSpending(RouteCall& call)
{
    const auto submission = SlugParameter(call, 1);
    Submit<NoFields>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council, NoFields /*body*/) {
            return call.ports.decisions.ConfirmSpending(principal, council, *submission);
        },
        submission ? PathCheck{} : PathCheck{UnknownReply("submission_unknown", "submission")});
}

void HandleWithdrawSpending(RouteCall& call)
{
    const auto submission = SlugParameter(call, 1);
    Submit<services::Reasoned>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::Reasoned body) {
            return call.ports.decisions.WithdrawSpending(principal, council, *submission,
                                                         std::move(body));
        },
        submission ? PathCheck{} : PathCheck{UnknownReply("submission_unknown", "submission")});
}

void HandleReverseSpending(RouteCall& call)
{
    const auto index = IndexParameter(call, 1);
    Submit<services::Reasoned>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::Reasoned body) {
            return call.ports.decisions.ReverseSpending(principal, council,
                                                        ledger::LeafIndex{*index}, std::move(body));
        },
        index ? PathCheck{}
              : PathCheck{LedgerUnknown(ledger::Errc::spending_unknown, "path index")});
}

void HandleReleaseCommitment(RouteCall& call)
{
    const auto commitment = SlugParameter(call, 1);
    Submit<services::Reasoned>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council,
            services::Reasoned body) {
            return call.ports.decisions.ReleaseCommitment(principal, council, *commitment,
                                                          std::move(body));
        },
        commitment ? PathCheck{}
                   : PathCheck{LedgerUnknown(ledger::Errc::commitment_unknown, "path commitment")});
}

void HandleClosePeriod(RouteCall& call)
{
    const auto year = IndexParameter(call, 1);
    const bool known = year && *year >= static_cast<std::uint64_t>(ledger::YEAR_MIN) &&
                       *year <= static_cast<std::uint64_t>(ledger::YEAR_MAX);
    Submit<NoFields>(
        call,
        [&](const services::Principal& principal, const ledger::Slug& council, NoFields /*body*/) {
            const ledger::Year budget_year{static_cast<std::int32_t>(*year)};
            return call.ports.decisions.ClosePeriod(principal, council, budget_year);
        },
        known ? PathCheck{} : PathCheck{UnknownReply("year_unknown", "budget year")});
}

} // namespace wijkbudget::api
