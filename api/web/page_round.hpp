#pragma once
// api/web/page_round.hpp: what the residents' round pages share (issue 6): the list
// (page_rounds.cpp), a round's page (page_round.cpp) with its facts and projects
// (page_round_facts.cpp), its ballot form (page_round_form.cpp) and its outcome
// (page_round_outcome.cpp), and the ballot's answer (page_round_ballot.cpp). Internal to api/web/.
//
// While a round is open the pages show how many ballots were cast, never what they say: a tally
// put before voters would sway the votes still to come. The ballots are public ledger entries
// all the same (DESIGN.md section 6: each voter checks theirs is counted), so someone who counts
// them from the ledger can know it; hiding them until the close would take committed ballots
// revealed at the close, which the ledger does not have.

#include "api/web/site.hpp"
#include "ledger/append.hpp"
#include "services/rounds.hpp"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::api::web {

//! Where a round stands for its reader: the ledger's round.closed decides `closed`, the clock
//! the rest (`counting`: voting has ended, the count is not yet recorded).
enum class RoundPhase { upcoming, voting, counting, closed };
[[nodiscard]] RoundPhase PhaseOf(const services::RoundSummary& round, ledger::Timestamp now);
//! "upcoming", "voting", "counting", "closed": the pages' data-state, for tests.
[[nodiscard]] std::string_view SpellingOf(RoundPhase phase);
[[nodiscard]] Phrase PhraseOf(RoundPhase phase);

//! `pattern` with each "{}" replaced by the next of `values`, in order: a sentence whose word
//! order differs between the languages keeps its figures where each language puts them.
[[nodiscard]] std::string Fill(std::string_view pattern, std::initializer_list<std::string> values);

//! Slug to name of every district; a district the directory cannot name keeps its slug.
[[nodiscard]] std::map<std::string, std::string> DistrictNames(RouteCall& call);
//! The district a round belongs to: its own (a district's round) or its council's.
[[nodiscard]] std::string DistrictOf(RouteCall& call, const services::RoundSummary& round,
                                     const std::map<std::string, std::string>& names);

/** A table of rounds, newest opening first: title (linked), council and district when
 *  `with_council`, state, budget and voting days. `label` names the table for screen readers. */
[[nodiscard]] std::string RoundsTable(const PageCall& page,
                                      std::vector<services::RoundSummary> rounds, bool with_council,
                                      std::string_view label);
//! The municipality's and a council's section "Residents' rounds": the table and a link to the
//! list, or a sentence that there are none yet.
[[nodiscard]] std::string
RoundsSection(const PageCall& page, std::vector<services::RoundSummary> rounds, bool with_council);

/** A round with the names its page shows, read before the page is made: the district's name
 *  comes from the database, which the sequencer's thread, where a ballot's answer is made, must
 *  not wait for. */
struct RoundContext {
    services::RoundSummary round;
    std::string council_name;
    std::string district_name;
};

//! The round named by the path's first parameter; none if the name is not a slug or no round has
//! it (the caller answers 404). @pre the caller brought the projections up to date
//! (SyncProjectionsPage).
[[nodiscard]] std::optional<RoundContext> RoundOfPath(RouteCall& call);
inline constexpr Phrase ROUND_UNKNOWN{"Er is geen bewonersstemming met dit adres.",
                                      "There is no residents' round at this address."};

//! The ballot's rules in plain words: how many projects or points, and the cost limit.
[[nodiscard]] std::string BallotRulesText(const ledger::RoundOpened& round, Language language);
//! The facts of a round: council, district, budget, window, ballot, turnout, rule, tie order.
[[nodiscard]] std::string RoundFacts(const PageCall& page, const RoundContext& context,
                                     RoundPhase phase);
//! The projects: title, category, cost and place in the tie order.
[[nodiscard]] std::string ProjectsSection(const PageCall& page,
                                          const services::RoundSummary& round);

//! A refused ballot, said above the form: the code of the refusal ("code_used") and the
//! service's detail ("choices: too many projects"), which says which rule was broken.
struct BallotRefusal {
    std::string code;
    std::string where;
};
//! The refusal of a ballot the sequencer did not take (nothing was written): a ledger that refuses
//! writes until an operator has checked it ("ledger_read_only") or a server stopping
//! ("shutting_down") say so; any other failure is a fault (an empty code).
[[nodiscard]] BallotRefusal RefusalOfAppendFailure(ledger::AppendFailure failure);
//! Why the ballot was refused, in the reader's language.
[[nodiscard]] std::string RefusalText(const ledger::RoundOpened& round,
                                      const BallotRefusal& refusal, Language language);
//! What the reader chose, to fill the form in again after a refusal: points by project (1 for
//! an approved project). Never the code: it is not echoed, not even to its owner.
using BallotDraft = std::map<std::string, std::uint64_t>;

/** The section "Vote": while voting, the counts so far and the form (with `refusal` above it
 *  and `draft` filled in); before, when voting opens; after, that voting has ended. */
[[nodiscard]] std::string BallotSection(const PageCall& page, const services::RoundSummary& round,
                                        RoundPhase phase, const BallotRefusal* refusal,
                                        const BallotDraft* draft);
//! The section "Outcome" of a closed round.
[[nodiscard]] std::string OutcomeSection(const PageCall& page, const services::RoundSummary& round);

//! A round's whole page, with `status`: 200, or 4xx after a refused ballot.
[[nodiscard]] Reply RoundPageReply(const PageCall& page, const RoundContext& context,
                                   http::status status, const BallotRefusal* refusal,
                                   const BallotDraft* draft);

} // namespace wijkbudget::api::web
