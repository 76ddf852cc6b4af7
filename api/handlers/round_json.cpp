#include "api/handlers/round_json.hpp"

#include "ledger/fields.hpp"

#include <boost/json/array.hpp>

namespace wijkbudget::api {

using ledger::fields::Write;

std::string_view RoundStateOf(const services::RoundSummary& round, ledger::Timestamp now)
{
    if (round.Closed()) return "closed";
    if (now < round.opened.opens_at) return "upcoming";
    if (now < round.opened.closes_at) return "voting";
    return "counting";
}

boost::json::object RoundSummaryJson(const services::RoundSummary& round, ledger::Timestamp now)
{
    const ledger::RoundOpened& opened = round.opened;
    boost::json::object json;
    json["id"] = opened.round.value;
    json["title"] = opened.title.value;
    json["council"] = round.council.value;
    if (opened.district) json["district"] = opened.district->value;
    json["year"] = Write(opened.year);
    json["category"] = Write(opened.category);
    json["budget_cents"] = Write(opened.budget);
    json["opens_at"] = Write(opened.opens_at);
    json["closes_at"] = Write(opened.closes_at);
    json["ballot_type"] = Write(opened.ballot_type);
    json["rule"] = Write(opened.rule);
    json["min_turnout_percent"] = opened.min_turnout_percent;
    json["state"] = RoundStateOf(round, now);
    json["codes_issued"] = round.CodesIssued();
    json["ballots_cast"] = round.ballots_cast;
    json["opened_index"] = Write(round.opened_index);
    if (round.closed) {
        json["binding"] = round.closed->binding;
        json["closed_index"] = Write(*round.closed_index);
    }
    return json;
}

boost::json::object RoundJson(const services::RoundSummary& round, ledger::Timestamp now)
{
    // The opening as recorded, with the id under the name lists use.
    boost::json::object json = Write(round.opened).as_object();
    json.erase("round");
    for (const auto& member : RoundSummaryJson(round, now))
        json[member.key()] = member.value();
    json["opened_by"] = Write(round.opened_by);
    boost::json::array batches;
    for (const services::CodesBatchView& batch : round.codes) {
        batches.push_back(boost::json::object{{"count", batch.count},
                                              {"codes_digest", Write(batch.digest)},
                                              {"index", Write(batch.index)}});
    }
    json["codes"] = std::move(batches);
    if (round.closed) {
        boost::json::object outcome = Write(*round.closed).as_object();
        outcome.erase("round");
        json["outcome"] = std::move(outcome);
    }
    return json;
}

} // namespace wijkbudget::api
