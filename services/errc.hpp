#pragma once
// services/errc.hpp: why a use case refuses, as stable machine codes (STYLE.md section 4).
//
// The ledger's own refusals (exceeds_budget_line, field_invalid, ...) stay ledger::Errc; these
// are the rules above the ledger: who may act, and what must exist first. A published code is
// never renamed: clients match on it.

#include <boost/system/error_code.hpp>

#include <string_view>
#include <type_traits>

namespace wijkbudget::services {

enum class Errc {
    not_authenticated = 1, //!< No valid bearer token: missing, unknown, expired or revoked.
    not_permitted,         //!< The caller's role (or council) may not do this.
    login_failed,          //!< Unknown login or wrong password (never said which).
    council_exists,        //!< A council with this id is already registered.
    council_unknown,       //!< No council with this id.
    district_unknown,      //!< No district with this slug.
    year_end_rule_fixed,   //!< A grant's at_year_end differs from its line's first grant's.
    // Council decisions (issue 4). The ledger's own codes (exceeds_budget_line,
    // commitment_unknown, commitment_resolved, spending_exceeds_commitment, spending_unknown,
    // spending_already_reversed, period_closed) are reused where they mean the same thing.
    member_unknown,            //!< The member never held a mandate on this council.
    mandate_invalid,           //!< No mandate valid at that moment (or none left to end).
    mandate_exists,            //!< The member already holds a seat that overlaps the new term.
    seat_taken,                //!< Another member holds the chair or treasurer seat then.
    too_few_members,           //!< Fewer seated members than a council needs to decide.
    bylaws_missing,            //!< The council has no bylaws yet.
    tie_rule_unsupported,      //!< The tie rule "lot" is not supported for new bylaws.
    proposal_unknown,          //!< No proposal with this id on this council.
    proposal_exists,           //!< A proposal with this id is already submitted.
    proposal_not_open,         //!< Amend, withdraw or open a vote only while the proposal is open.
    not_submitter,             //!< Only the proposal's submitter may do this.
    vote_unknown,              //!< No vote with this id on this council.
    vote_exists,               //!< A vote with this id is already opened.
    vote_closed,               //!< The vote is closed, or its deadline has passed.
    vote_still_open,           //!< Before its deadline only the opener closes a vote, and only
                               //!< once no member is left who may still vote or recuse.
    already_voted,             //!< The member has already cast a vote in this vote.
    recused,                   //!< The member is recused from this vote.
    not_in_electorate,         //!< The member was not seated when the vote opened.
    voting_period_too_long,    //!< The deadline lies beyond the bylaws' longest voting period.
    voting_period_too_short,   //!< The deadline comes before the bylaws' shortest voting period.
    closes_at_passed,          //!< The deadline of a new vote is not in the future.
    cosign_not_required,       //!< The proposal is not awaiting a co-approval.
    nothing_to_release,        //!< The commitment has nothing left to release.
    submission_unknown,        //!< No spending submission with this id on this council.
    submission_exists,         //!< A spending submission with this id already exists.
    already_confirmed,         //!< The spending submission is already confirmed.
    submission_withdrawn,      //!< The spending submission was withdrawn.
    confirmation_by_submitter, //!< A spending is confirmed by a member other than its submitter.
    year_unknown,              //!< The council has no budget line in that year.
    earlier_year_open,         //!< A year closes only after every earlier year with lines.
    year_not_over,             //!< A year closes once it has ended (Dutch time).
    paid_on_in_future,         //!< A spending was paid on a day that has not come yet.
    commitment_held_by_round,  //!< A round's hold is spent by the round's close, not by hand.
    residents_not_consulted,   //!< Above the bylaws' consult limit, spent through a round only.
    // Residents' rounds (issue 6). The ledger's round_exists, round_unknown, round_closed,
    // commitment_exists and exceeds_budget_line are reused.
    decision_unsuitable, //!< A council's round needs an approving decision whose commitment
                         //!< is untouched and equals the round's budget and line.
    district_mismatch,   //!< A district's round is held on a council of another district.
    opens_at_passed,     //!< A round opens in the future, so its tie order is drawn before.
    round_too_long,      //!< A round opens too far ahead, or takes its votes for too long.
    voting_started,      //!< Codes are issued before a round opens.
    round_not_open,      //!< A ballot outside the round's voting window.
    round_still_open,    //!< A round closes only after its closing time.
    code_invalid,        //!< Not a well-formed voting code (length, symbols, check symbol).
    code_unknown,        //!< No code issued for this round has this value.
    code_used,           //!< A ballot was already cast with this code.
    ballot_invalid,      //!< A ballot that breaks the round's constraints.
    no_ballot_possible,  //!< A round whose constraints no ballot can meet.
};

const boost::system::error_category& ServicesCategory() noexcept;
boost::system::error_code make_error_code(Errc value) noexcept;
std::string_view CodeName(Errc value) noexcept;

//! The machine code of any error the services or the ledger produce: "council_exists",
//! "exceeds_budget_line"; "internal_error" for a code of another category.
std::string_view CodeNameOf(const boost::system::error_code& code) noexcept;

} // namespace wijkbudget::services

namespace boost::system {
template <>
struct is_error_code_enum<wijkbudget::services::Errc> : std::true_type {};
} // namespace boost::system
