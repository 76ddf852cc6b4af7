#include "services/errc.hpp"

#include "ledger/errc.hpp"
#include "ledger/error_table.hpp"

#include <array>
#include <string>

namespace wijkbudget::services {
namespace {

using ErrcText = ledger::ErrorText<Errc>;

constexpr std::array ERRC_TEXTS{
    ErrcText{Errc::not_authenticated, "not_authenticated",
             "a valid bearer token is required (missing, unknown, expired or revoked)"},
    ErrcText{Errc::not_permitted, "not_permitted", "your role may not do this"},
    ErrcText{Errc::login_failed, "login_failed", "unknown login or wrong password"},
    ErrcText{Errc::council_exists, "council_exists", "a council with this id is registered"},
    ErrcText{Errc::council_unknown, "council_unknown", "no council with this id"},
    ErrcText{Errc::district_unknown, "district_unknown", "no district with this slug"},
    ErrcText{Errc::year_end_rule_fixed, "year_end_rule_fixed",
             "the budget line's first grant decided where its money goes at the year end"},
    ErrcText{Errc::member_unknown, "member_unknown",
             "the member never held a seat on this council"},
    ErrcText{Errc::mandate_invalid, "mandate_invalid", "no mandate valid at that moment"},
    ErrcText{Errc::mandate_exists, "mandate_exists",
             "the member already holds a seat in an overlapping term"},
    ErrcText{Errc::seat_taken, "seat_taken", "another member holds that seat in that term"},
    ErrcText{Errc::too_few_members, "too_few_members",
             "a council needs at least three seated members to decide"},
    ErrcText{Errc::bylaws_missing, "bylaws_missing", "the council has no bylaws yet"},
    ErrcText{Errc::tie_rule_unsupported, "tie_rule_unsupported",
             "the tie rule lot is not supported for new bylaws"},
    ErrcText{Errc::proposal_unknown, "proposal_unknown", "no proposal with this id"},
    ErrcText{Errc::proposal_exists, "proposal_exists", "a proposal with this id exists"},
    ErrcText{Errc::proposal_not_open, "proposal_not_open",
             "the proposal is no longer open (a vote opened, or it was withdrawn)"},
    ErrcText{Errc::not_submitter, "not_submitter", "only the submitter may do this"},
    ErrcText{Errc::vote_unknown, "vote_unknown", "no vote with this id"},
    ErrcText{Errc::vote_exists, "vote_exists", "a vote with this id exists"},
    ErrcText{Errc::vote_closed, "vote_closed", "the vote is closed or its deadline has passed"},
    ErrcText{Errc::vote_still_open, "vote_still_open",
             "a vote closes before its deadline only by its opener, once no member is left to "
             "vote or recuse"},
    ErrcText{Errc::already_voted, "already_voted", "the member has already voted"},
    ErrcText{Errc::recused, "recused", "the member is recused from this vote"},
    ErrcText{Errc::not_in_electorate, "not_in_electorate",
             "the member was not seated when the vote opened"},
    ErrcText{Errc::voting_period_too_long, "voting_period_too_long",
             "the deadline lies beyond the longest voting period of the bylaws"},
    ErrcText{Errc::voting_period_too_short, "voting_period_too_short",
             "the deadline comes before the shortest voting period of the bylaws"},
    ErrcText{Errc::closes_at_passed, "closes_at_passed", "the deadline is not in the future"},
    ErrcText{Errc::cosign_not_required, "cosign_not_required",
             "the proposal is not awaiting a co-approval"},
    ErrcText{Errc::nothing_to_release, "nothing_to_release",
             "the commitment has nothing left to release"},
    ErrcText{Errc::submission_unknown, "submission_unknown", "no spending submission with this id"},
    ErrcText{Errc::submission_exists, "submission_exists",
             "a spending submission with this id exists"},
    ErrcText{Errc::already_confirmed, "already_confirmed", "the spending is already confirmed"},
    ErrcText{Errc::submission_withdrawn, "submission_withdrawn",
             "the spending submission was withdrawn"},
    ErrcText{Errc::confirmation_by_submitter, "confirmation_by_submitter",
             "a spending is confirmed by a member other than its submitter"},
    ErrcText{Errc::year_unknown, "year_unknown", "the council has no budget line in that year"},
    ErrcText{Errc::earlier_year_open, "earlier_year_open",
             "an earlier year of the council is still open: close the years in order"},
    ErrcText{Errc::year_not_over, "year_not_over",
             "the year has not ended yet: it closes from 1 January of the next year (Dutch time)"},
    ErrcText{Errc::paid_on_in_future, "paid_on_in_future",
             "paid_on is after today (Dutch time): record a spending once it is paid"},
    ErrcText{Errc::commitment_held_by_round, "commitment_held_by_round",
             "the commitment holds a residents' round's budget: the round's close spends it"},
    ErrcText{Errc::residents_not_consulted, "residents_not_consulted",
             "above the bylaws' limit for consulting residents, the commitment is spent only "
             "through a residents' round held on it"},
    ErrcText{Errc::decision_unsuitable, "decision_unsuitable",
             "the decision did not approve an untouched commitment of the round's budget and line"},
    ErrcText{Errc::district_mismatch, "district_mismatch",
             "the council does not belong to the round's district"},
    ErrcText{Errc::opens_at_passed, "opens_at_passed", "the round must open in the future"},
    ErrcText{Errc::round_too_long, "round_too_long",
             "the round would open too far ahead, or take votes for too long"},
    ErrcText{Errc::voting_started, "voting_started",
             "codes are issued only before the round opens"},
    ErrcText{Errc::round_not_open, "round_not_open", "the round is not open for voting"},
    ErrcText{Errc::round_still_open, "round_still_open",
             "the round closes only after its closing time"},
    ErrcText{Errc::code_invalid, "code_invalid", "not a voting code: check its length and symbols"},
    ErrcText{Errc::code_unknown, "code_unknown", "no voting code of this round has this value"},
    ErrcText{Errc::code_used, "code_used", "a ballot was already cast with this voting code"},
    ErrcText{Errc::ballot_invalid, "ballot_invalid", "the ballot breaks the round's rules"},
    ErrcText{Errc::no_ballot_possible, "no_ballot_possible",
             "no ballot can meet the round's rules"},
};

//! A function-local static, so that other files' static initialisers may already use it.
const auto& ServicesTable() noexcept
{
    static const ledger::TableErrorCategory category{"wijkbudget.services", ERRC_TEXTS};
    return category;
}

} // namespace

const boost::system::error_category& ServicesCategory() noexcept
{
    return ServicesTable();
}

boost::system::error_code make_error_code(Errc value) noexcept
{
    return {static_cast<int>(value), ServicesCategory()};
}

std::string_view CodeName(Errc value) noexcept
{
    return ServicesTable().Code(value);
}

std::string_view CodeNameOf(const boost::system::error_code& code) noexcept
{
    if (code.category() == ServicesCategory()) return CodeName(static_cast<Errc>(code.value()));
    if (code.category() == ledger::LedgerCategory())
        return ledger::CodeName(static_cast<ledger::Errc>(code.value()));
    return "internal_error";
}

} // namespace wijkbudget::services
