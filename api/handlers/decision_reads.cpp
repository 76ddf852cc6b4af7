// api/handlers/decision_reads.cpp: a council's mandates, bylaws, proposals, votes and money.
//
// Everything here is on the public ledger, so these reads need no token; members' names are
// not (they live outside the ledger, services/member_names.hpp), and are shown only to the
// municipality, the auditor and the council's own members.
#include "api/handlers/decision_json.hpp"
#include "api/routes.hpp"
#include "services/calendar.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace wijkbudget::api {
namespace {

//! The council of the path, once the projection is up to date: 404 if it is not registered.
boost::system::result<ledger::Slug, Reply> CouncilOf(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    const auto council = SlugParameter(call, 0);
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    if (!council || !call.ports.registry.Contains(*council))
        return UnknownReply("council_unknown", "council");
    return *council;
}

Reply Listed(std::string_view name, boost::json::array items)
{
    boost::json::object body;
    body[name] = std::move(items);
    return JsonReply(http::status::ok, boost::json::serialize(body));
}

template <class Views, class ToJson>
boost::json::array JsonArray(const Views& views, ToJson to_json)
{
    boost::json::array array;
    for (const auto& view : views)
        array.push_back(to_json(view));
    return array;
}

bool MaySeeNames(const services::Principal& principal, const ledger::Slug& council)
{
    return principal.role == ledger::Role::municipality ||
           principal.role == ledger::Role::auditor || principal.council == council;
}

} // namespace

Reply HandleListMandates(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    auto principal = AuthenticateIfPresent(call);
    if (!principal) return FailureReply(principal.error());
    std::map<std::string, std::string> names;
    if (*principal && MaySeeNames(**principal, *council)) {
        auto kept = call.ports.member_names.NamesOf(*council);
        if (!kept) return FailureReply(ledger::Failure{kept.error(), "names"});
        names = std::move(*kept);
    }
    const ledger::Date today = services::DateOf(call.ports.clock.Now());
    return Listed("mandates", JsonArray(call.ports.governance.Mandates(*council),
                                        [&](const services::MandateView& mandate) {
                                            return MandateJson(mandate, names, today);
                                        }));
}

Reply HandleGetBylaws(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    boost::json::object body;
    const auto in_force = call.ports.governance.BylawsInForce(*council);
    body["in_force"] = in_force ? boost::json::value(BylawsJson(*in_force)) : nullptr;
    body["history"] = JsonArray(call.ports.governance.BylawsHistory(*council), BylawsJson);
    return JsonReply(http::status::ok, boost::json::serialize(body));
}

Reply HandleListProposals(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    return Listed("proposals", JsonArray(call.ports.governance.Proposals(*council), ProposalJson));
}

Reply HandleGetProposal(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    const auto id = SlugParameter(call, 1);
    const auto proposal = id ? call.ports.governance.FindProposal(*council, *id) : std::nullopt;
    if (!proposal) return UnknownReply("proposal_unknown", "proposal");
    return JsonReply(http::status::ok, boost::json::serialize(ProposalJson(*proposal)));
}

Reply HandleListVotes(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    return Listed("votes", JsonArray(call.ports.governance.Votes(*council), VoteJson));
}

Reply HandleGetVote(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    const auto id = SlugParameter(call, 1);
    const auto vote = id ? call.ports.governance.FindVote(*council, *id) : std::nullopt;
    if (!vote) return UnknownReply("vote_unknown", "vote");
    return JsonReply(http::status::ok, boost::json::serialize(VoteJson(*vote)));
}

Reply HandleListCommitments(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    return Listed("commitments",
                  JsonArray(call.ports.governance.Commitments(*council), CommitmentJson));
}

Reply HandleListSpendings(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    return Listed("spendings", JsonArray(call.ports.governance.Spendings(*council), SpendingJson));
}

Reply HandleListSubmissions(RouteCall& call)
{
    auto council = CouncilOf(call);
    if (!council) return council.error();
    return Listed("submissions",
                  JsonArray(call.ports.governance.Submissions(*council), SubmissionJson));
}

Reply HandleBudgetLines(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {"at"}); !only) return FailureReply(only.error());
    const auto council = SlugParameter(call, 0);
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    if (!council || !call.ports.registry.Contains(*council))
        return UnknownReply("council_unknown", "council");
    const std::uint64_t size = call.ports.governance.Size();
    auto at = QueryNumber(call, "at", size);
    if (!at) return FailureReply(at.error());
    const std::uint64_t as_of = at->value_or(size);
    boost::json::object body;
    body["council"] = council->value;
    body["at"] = as_of;
    body["lines"] = JsonArray(call.ports.governance.LinesAt(*council, as_of), LineJson);
    return JsonReply(http::status::ok, boost::json::serialize(body));
}

} // namespace wijkbudget::api
