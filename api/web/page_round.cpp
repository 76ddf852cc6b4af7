// api/web/page_round.cpp: GET /rounds/{round} — a residents' round: its facts and rules in plain
// words, its projects, then the ballot form while voting is open, or the outcome once closed.
#include "api/web/page_round.hpp"

#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"

namespace wijkbudget::api::web {
namespace {

constexpr Phrase NOT_ACCEPTED_TITLE{"Stem niet aangenomen", "Ballot not accepted"};

} // namespace

Reply RoundPageReply(const PageCall& page, const RoundContext& context, http::status status,
                     const BallotRefusal* refusal, const BallotDraft* draft)
{
    const auto& round = context.round;
    const Language l = page.language;
    const RoundPhase phase = PhaseOf(round, page.call.ports.clock.Now());
    const std::string& title = round.opened.title.value;
    std::string html = "<h1>" + Escape(title) + "</h1>\n<p class=\"note\">" +
                       Escape(Say(phrase::TIMES_IN_DUTCH_TIME, l)) + "</p>\n";
    html += RoundFacts(page, context, phase);
    html += ProjectsSection(page, round);
    html += BallotSection(page, round, phase, refusal, draft);
    if (phase == RoundPhase::closed) html += OutcomeSection(page, round);
    const std::string page_title =
        refusal == nullptr ? title : std::string(Say(NOT_ACCEPTED_TITLE, l)) + ": " + title;
    return PageReply(page, status, Section::rounds, page_title, html);
}

Reply HandleRoundPage(RouteCall& call)
{
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    if (auto behind = SyncProjectionsPage(*page, Section::rounds)) return std::move(*behind);
    const auto round = RoundOfPath(call);
    if (!round) return NotFoundPage(*page, ROUND_UNKNOWN);
    return RoundPageReply(*page, *round, http::status::ok, nullptr, nullptr);
}

} // namespace wijkbudget::api::web
