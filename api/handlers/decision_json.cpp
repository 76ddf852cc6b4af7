#include "api/handlers/decision_json.hpp"

#include "ledger/fields.hpp"

#include <boost/json/array.hpp>

namespace wijkbudget::api {
namespace {

using ledger::fields::Write;

boost::json::object ActorJson(const ledger::Actor& actor)
{
    return {{"role", std::string(ledger::SpellingOf(actor.role))}, {"id", actor.id.value}};
}

template <class Values, class Each>
boost::json::array ArrayOf(const Values& values, Each each)
{
    boost::json::array array;
    for (const auto& value : values)
        array.push_back(each(value));
    return array;
}

boost::json::array SlugArray(const std::vector<ledger::Slug>& slugs)
{
    return ArrayOf(slugs, [](const ledger::Slug& slug) { return boost::json::value(slug.value); });
}

template <class T>
void PutOptional(boost::json::object& json, std::string_view name, const std::optional<T>& value)
{
    if (value) json[name] = Write(*value);
}

boost::json::object LifeJson(const services::ProposalLife& life)
{
    boost::json::object json;
    json["submitted_index"] = Write(life.submitted);
    json["amended_indices"] =
        ArrayOf(life.amended, [](ledger::LeafIndex index) { return Write(index); });
    PutOptional(json, "withdrawn_index", life.withdrawn);
    PutOptional(json, "vote_opened_index", life.vote_opened);
    PutOptional(json, "vote_closed_index", life.vote_closed);
    PutOptional(json, "cosigned_index", life.cosigned);
    PutOptional(json, "released_index", life.released);
    return json;
}

} // namespace

boost::json::object MandateJson(const services::MandateView& mandate,
                                const std::map<std::string, std::string>& names, ledger::Date today)
{
    boost::json::object json;
    json["member"] = mandate.member.value;
    if (const auto name = names.find(mandate.member.value); name != names.end())
        json["name"] = name->second;
    json["seat"] = std::string(ledger::SpellingOf(mandate.seat));
    json["from"] = Write(mandate.from);
    json["until"] = Write(mandate.until);
    PutOptional(json, "ended_on", mandate.ended_on);
    if (mandate.end_reason) json["end_reason"] = std::string(SpellingOf(*mandate.end_reason));
    json["started_index"] = Write(mandate.started_index);
    PutOptional(json, "ended_index", mandate.ended_index);
    json["seated_today"] = mandate.SeatedOn(today);
    return json;
}

boost::json::object BylawsJson(const services::BylawsView& bylaws)
{
    boost::json::object json = Write(bylaws.rules).as_object();
    json["set_index"] = Write(bylaws.set_index);
    json["set_by"] = ActorJson(bylaws.set_by);
    return json;
}

boost::json::object ProposalJson(const services::ProposalView& proposal)
{
    boost::json::object json;
    json["id"] = proposal.id.value;
    json["council"] = proposal.council.value;
    json["submitter"] = proposal.submitter.value;
    json["title"] = proposal.title.value;
    json["description"] = proposal.description.value;
    json["amount_cents"] = Write(proposal.amount);
    json["year"] = Write(proposal.year);
    json["category"] = std::string(ledger::SpellingOf(proposal.category));
    if (proposal.beneficiary) json["beneficiary"] = proposal.beneficiary->value;
    json["attachments"] =
        ArrayOf(proposal.attachments, [](const ledger::Hash& hash) { return Write(hash); });
    json["status"] = std::string(services::SpellingOf(proposal.status));
    if (proposal.vote) json["vote"] = proposal.vote->value;
    if (proposal.commitment) json["commitment"] = proposal.commitment->value;
    if (proposal.commitment_refused)
        json["commitment_refused"] = proposal.commitment_refused->value;
    json["life"] = LifeJson(proposal.life);
    return json;
}

boost::json::object VoteJson(const services::VoteView& vote)
{
    boost::json::object json;
    json["id"] = vote.id.value;
    json["council"] = vote.council.value;
    json["proposal"] = vote.proposal.value;
    json["opener"] = vote.opener.value;
    json["bylaws_version"] = vote.bylaws_version;
    json["opened_at"] = Write(vote.opened_at);
    json["closes_at"] = Write(vote.closes_at);
    json["electorate"] = SlugArray(vote.electorate);
    json["ballots"] = ArrayOf(vote.ballots, [](const services::BallotView& ballot) {
        return boost::json::value(
            boost::json::object{{"member", ballot.member.value},
                                {"choice", std::string(ledger::SpellingOf(ballot.choice))},
                                {"index", Write(ballot.index)}});
    });
    json["recused"] = SlugArray(vote.recused);
    json["opened_index"] = Write(vote.opened_index);
    json["closed"] = vote.Closed();
    PutOptional(json, "closed_index", vote.closed_index);
    if (vote.decision) {
        const ledger::VoteClosed& decision = *vote.decision;
        boost::json::object result = Write(decision).as_object();
        // Turnout over those who could vote: the electorate less the recused.
        const std::uint64_t eligible =
            decision.electorate.items.size() - decision.recused.items.size();
        result["eligible"] = eligible;
        result["present"] = decision.votes_for + decision.votes_against + decision.abstentions;
        json["decision"] = std::move(result);
    }
    return json;
}

boost::json::object CommitmentJson(const services::CommitmentView& commitment)
{
    boost::json::object json;
    json["id"] = commitment.id.value;
    json["proposal"] = commitment.proposal.value;
    json["year"] = Write(commitment.year);
    json["category"] = std::string(ledger::SpellingOf(commitment.category));
    json["amount_cents"] = Write(commitment.amount);
    json["spent_cents"] = commitment.spent.value;
    json["released_cents"] = commitment.released.value;
    // A round's hold passes its funded projects' money on to their own commitments: shown, so
    // that held = spent + released + allocated + left, and no euro is counted as held twice.
    json["allocated_cents"] = commitment.allocated.value;
    json["left_cents"] = commitment.Left().value;
    if (commitment.round) {
        json["round"] = commitment.round->value;
        json["round_hold"] = commitment.round_hold;
    }
    json["resolved"] = commitment.resolved;
    json["created_index"] = Write(commitment.created_index);
    return json;
}

boost::json::object SpendingJson(const services::SpendingView& spending)
{
    boost::json::object json;
    json["index"] = Write(spending.index);
    json["commitment"] = spending.commitment.value;
    json["amount_cents"] = Write(spending.amount);
    json["paid_on"] = Write(spending.paid_on);
    json["payee"] = spending.payee.value;
    json["recorded_by"] = ActorJson(spending.recorded_by);
    PutOptional(json, "confirms_index", spending.confirms);
    PutOptional(json, "reversed_index", spending.reversed_index);
    json["reversed"] = spending.reversed_index.has_value();
    return json;
}

boost::json::object SubmissionJson(const services::SubmissionView& submission)
{
    boost::json::object json = Write(submission.values).as_object();
    json["submitter"] = submission.submitter.value;
    json["index"] = Write(submission.index);
    PutOptional(json, "confirmed_index", submission.confirmed_index);
    json["confirmed"] = submission.confirmed_index.has_value();
    PutOptional(json, "withdrawn_index", submission.withdrawn_index);
    json["withdrawn"] = submission.withdrawn_index.has_value();
    return json;
}

boost::json::object LineJson(const services::LineView& line)
{
    const services::LineTotals& totals = line.totals;
    boost::json::object json;
    json["year"] = Write(line.year);
    json["category"] = std::string(ledger::SpellingOf(line.category));
    json["at_year_end"] = std::string(ledger::SpellingOf(line.at_year_end));
    json["granted_cents"] = totals.granted.value;
    json["carried_in_cents"] = totals.carried_in.value;
    json["committed_cents"] = totals.held.value;
    json["spent_cents"] = totals.spent.value;
    json["closed_out_cents"] = totals.closed_out.value;
    json["available_cents"] = totals.available.value;
    return json;
}

} // namespace wijkbudget::api
