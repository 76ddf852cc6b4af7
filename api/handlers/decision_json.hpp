#pragma once
// api/handlers/decision_json.hpp: the JSON of the governance projection's views (issue 4).
//
// Field names follow the entries' own (amount_cents, paid_on, ...), and every step links to its
// ledger index, so a reader can fetch the entry and its inclusion proof. Internal to api/.

#include "services/governance_views.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <string>

namespace wijkbudget::api {

//! `names` holds the names the caller may see (empty for the public), by member id.
boost::json::object MandateJson(const services::MandateView& mandate,
                                const std::map<std::string, std::string>& names,
                                ledger::Date today);
boost::json::object BylawsJson(const services::BylawsView& bylaws);
boost::json::object ProposalJson(const services::ProposalView& proposal);
boost::json::object VoteJson(const services::VoteView& vote);
boost::json::object CommitmentJson(const services::CommitmentView& commitment);
boost::json::object SpendingJson(const services::SpendingView& spending);
boost::json::object SubmissionJson(const services::SubmissionView& submission);
boost::json::object LineJson(const services::LineView& line);

} // namespace wijkbudget::api
