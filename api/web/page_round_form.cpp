// api/web/page_round_form.cpp: the section "Vote" of a round's page: while voting is open, the
// counts so far and the ballot form (POST /rounds/{round}/ballot, read by page_round_ballot.cpp);
// a refused ballot's reason above it, in words that say what to do.
//
// The form's HTML constraints (required, min, max) are hints for the reader's browser only: the
// server checks every ballot against the round's rules (services::BallotBreach).
#include "api/web/page_round.hpp"
#include "services/voting_codes.hpp"

namespace wijkbudget::api::web {
namespace {

constexpr Phrase HEADING{"Stemmen", "Vote"};
constexpr Phrase COUNTS_SO_FAR{
    "Uitgebrachte stemmen tot nu toe: {}, van {} uitgegeven stemcodes. Wat er gestemd is, wordt "
    "pas geteld en getoond als het stemmen sluit ({}).",
    "Ballots cast so far: {}, of {} voting codes issued. What they say is counted and shown only "
    "when voting closes ({})."};
constexpr Phrase OPENS_LATER{
    "Het stemmen begint op {}. Wie mag stemmen, krijgt een brief met een eenmalige stemcode. "
    "Uitgegeven stemcodes: {}.",
    "Voting opens on {}. Whoever may vote gets a letter with a one-time voting code. Voting "
    "codes issued: {}."};
constexpr Phrase CLOSED_COUNTING{
    "Het stemmen is gesloten op {}. Uitgebrachte stemmen: {}. De uitslag volgt zodra de telling "
    "in het grootboek staat.",
    "Voting closed on {}. Ballots cast: {}. The result follows once the count is recorded in the "
    "ledger."};
constexpr Phrase CODE_LABEL{"Stemcode", "Voting code"};
constexpr Phrase CODE_HINT{
    "De code uit uw brief, bijvoorbeeld 7KQ2-M9XD-4TVA-RH. Hoofdletters, spaties en streepjes "
    "maken niet uit.",
    "The code from your letter, for example 7KQ2-M9XD-4TVA-RH. Capitals, spaces and hyphens do "
    "not matter."};
constexpr Phrase CHOOSE_LEGEND{"Kies projecten", "Choose projects"};
constexpr Phrase POINTS_LEGEND{"Verdeel uw punten", "Spread your points"};
constexpr Phrase POINTS_BLANK{"Een leeg vak of 0 betekent: geen punten voor dit project.",
                              "An empty box or 0 means: no points for this project."};
constexpr Phrase POINTS_FOR{"punten voor", "points for"};
constexpr Phrase PRIVACY{
    "Uw code geldt voor één stem. Het grootboek legt uw keuze vast met een getal dat uit de code "
    "is afgeleid, zodat de code niet twee keer kan stemmen; niet de code zelf en niet wie u "
    "bent.",
    "Your code is good for one ballot. The ledger records your choice with a number derived from "
    "the code, so that the code cannot vote twice; not the code itself, and not who you are."};
constexpr Phrase SUBMIT{"Stem uitbrengen", "Cast my ballot"};
constexpr Phrase NOT_ACCEPTED{"Uw stem is niet aangenomen", "Your ballot was not accepted"};
constexpr Phrase NOTHING_RECORDED{"Er is niets vastgelegd; uw code is niet gebruikt.",
                                  "Nothing was recorded; your code was not used."};
//! A used code's refusal: this attempt recorded nothing, but the code did vote before.
constexpr Phrase NOTHING_NEW_RECORDED{"Deze poging heeft niets vastgelegd.",
                                      "This attempt recorded nothing."};

constexpr Phrase CODE_INVALID{
    "Dit is geen geldige stemcode. Een stemcode heeft 14 letters en cijfers; kijk hem na in uw "
    "brief.",
    "This is not a valid voting code. A voting code has 14 letters and digits; check it against "
    "your letter."};
constexpr Phrase CODE_UNKNOWN{"Deze stemcode hoort niet bij deze stemming.",
                              "This voting code does not belong to this round."};
constexpr Phrase CODE_USED{
    "Met deze stemcode is in deze stemming al gestemd. Elke code stemt één keer.",
    "This voting code has already been used in this round. Each code votes once."};
constexpr Phrase ROUND_NOT_OPEN{"U kunt nu niet stemmen: het stemmen loopt van {} tot {}.",
                                "You cannot vote now: voting runs from {} until {}."};
constexpr Phrase TOO_FEW_POINTS{"Geef ten minste één project een punt.",
                                "Give at least one project a point."};
constexpr Phrase TOO_MANY_POINTS{"U gaf meer dan {} punten in totaal.",
                                 "You gave more than {} points in all."};
constexpr Phrase POINTS_RANGE{"Geef elk project dat u kiest van 1 tot {} punten.",
                              "Give each project you choose from 1 to {} points."};
constexpr Phrase TOO_FEW_PROJECTS{"U koos te weinig projecten.", "You chose too few projects."};
constexpr Phrase TOO_MANY_PROJECTS{"U koos te veel projecten.", "You chose too many projects."};
constexpr Phrase TOO_COSTLY{"De projecten die u koos kosten samen meer dan {}.",
                            "The projects you chose cost more than {} together."};
constexpr Phrase BREAKS_RULES{"Uw stem houdt zich niet aan de regels van deze stemming.",
                              "Your ballot does not keep the rules of this round."};
constexpr Phrase LEDGER_READ_ONLY{
    "Stemmen worden nu niet vastgelegd: het grootboek is op slot tot de beheerders het hebben "
    "nagekeken. Probeer het later opnieuw.",
    "Ballots cannot be recorded now: the ledger is locked until its operators have checked it. "
    "Please try again later."};
constexpr Phrase SHUTTING_DOWN{"De server wordt gestopt. Probeer het later opnieuw.",
                               "The server is stopping. Please try again later."};
constexpr Phrase WRITE_FAILED{
    "Uw stem kon door een storing niet worden vastgelegd. Probeer het later opnieuw.",
    "Your ballot could not be recorded because of a fault. Please try again later."};

//! The reason for a ballot_invalid refusal, from the service's detail: which rule it broke.
std::string BallotBreachText(const ledger::RoundOpened& round, std::string_view where, Language l)
{
    const bool cumulative = round.ballot_type == ledger::BallotType::cumulative;
    const std::string rules = BallotRulesText(round, l);
    if (where == "choices: too few projects")
        return cumulative ? std::string(Say(TOO_FEW_POINTS, l))
                          : std::string(Say(TOO_FEW_PROJECTS, l)) + " " + rules;
    if (where == "choices: too many projects")
        return std::string(Say(TOO_MANY_PROJECTS, l)) + " " + rules;
    if (where == "choices: total cost too high" && round.max_cost)
        return Fill(Say(TOO_COSTLY, l), {FormatAmount(*round.max_cost, l)});
    if (where == "choices: too many points")
        return Fill(Say(TOO_MANY_POINTS, l), {FormatCount(round.points_total.value_or(0), l)});
    if (cumulative && where.starts_with("choices[") && where.ends_with("].points"))
        return Fill(Say(POINTS_RANGE, l),
                    {FormatCount(round.points_per_project_max.value_or(0), l)});
    return std::string(Say(BREAKS_RULES, l)) + " " + rules;
}

} // namespace

std::string RefusalText(const ledger::RoundOpened& round, const BallotRefusal& refusal, Language l)
{
    if (refusal.code == "code_invalid") return std::string(Say(CODE_INVALID, l));
    if (refusal.code == "code_unknown") return std::string(Say(CODE_UNKNOWN, l));
    if (refusal.code == "code_used") return std::string(Say(CODE_USED, l));
    if (refusal.code == "round_not_open")
        return Fill(Say(ROUND_NOT_OPEN, l),
                    {FormatMoment(round.opens_at, l), FormatMoment(round.closes_at, l)});
    if (refusal.code == "ballot_invalid") return BallotBreachText(round, refusal.where, l);
    if (refusal.code == "ledger_read_only") return std::string(Say(LEDGER_READ_ONLY, l));
    if (refusal.code == "shutting_down") return std::string(Say(SHUTTING_DOWN, l));
    return std::string(Say(WRITE_FAILED, l));
}

BallotRefusal RefusalOfAppendFailure(ledger::AppendFailure failure)
{
    switch (failure) {
    case ledger::AppendFailure::read_only: return {"ledger_read_only", ""};
    case ledger::AppendFailure::shutting_down: return {"shutting_down", ""};
    case ledger::AppendFailure::key_reused:
    case ledger::AppendFailure::unavailable:
    case ledger::AppendFailure::credential_refused: break;
    }
    return {"", ""};
}

namespace {

bool IsCodeRefusal(const BallotRefusal* refusal)
{
    return refusal != nullptr && refusal->code.starts_with("code_");
}

std::string RefusalBox(const ledger::RoundOpened& round, const BallotRefusal& refusal, Language l)
{
    return "<div class=\"form-error\" id=\"ballot-error\" role=\"alert\" data-refusal=\"" +
           Escape(refusal.code) + "\">\n<h3>" + Escape(Say(NOT_ACCEPTED, l)) + "</h3>\n<p>" +
           Escape(RefusalText(round, refusal, l)) + "</p>\n<p>" +
           Escape(Say(refusal.code == "code_used" ? NOTHING_NEW_RECORDED : NOTHING_RECORDED, l)) +
           "</p>\n</div>\n";
}

std::string ApprovalChoices(const ledger::RoundOpened& round, const BallotDraft* draft,
                            bool invalid, Language l)
{
    std::string html =
        std::string("<fieldset id=\"ballot-choices\" aria-describedby=\"choices-hint") +
        (invalid ? " ballot-error\"" : "\"") + ">\n<legend>" + Escape(Say(CHOOSE_LEGEND, l)) +
        "</legend>\n<p class=\"hint\" id=\"choices-hint\">" + Escape(BallotRulesText(round, l)) +
        "</p>\n";
    for (const auto& project : round.projects.items) {
        const std::string id = "choice-" + project.id.value;
        const bool chosen = draft != nullptr && draft->contains(project.id.value);
        html += "<div class=\"choice\"><input type=\"checkbox\" id=\"" + Escape(id) +
                "\" name=\"project\" value=\"" + Escape(project.id.value) + "\"" +
                (chosen ? " checked" : "") + "><label for=\"" + Escape(id) + "\">" +
                Escape(project.title.value) + " <span class=\"choice-cost\">(" +
                Escape(FormatAmount(project.cost, l)) + ")</span></label></div>\n";
    }
    return html + "</fieldset>\n";
}

std::string CumulativeChoices(const ledger::RoundOpened& round, const BallotDraft* draft,
                              bool invalid, Language l)
{
    const std::string most = std::to_string(round.points_per_project_max.value_or(0));
    std::string html =
        std::string("<fieldset id=\"ballot-choices\" aria-describedby=\"choices-hint") +
        (invalid ? " ballot-error\"" : "\"") + ">\n<legend>" + Escape(Say(POINTS_LEGEND, l)) +
        "</legend>\n<p class=\"hint\" id=\"choices-hint\">" + Escape(BallotRulesText(round, l)) +
        " " + Escape(Say(POINTS_BLANK, l)) + "</p>\n";
    for (const auto& project : round.projects.items) {
        const std::string id = "points-" + project.id.value;
        std::string value;
        if (draft != nullptr) {
            if (const auto found = draft->find(project.id.value); found != draft->end())
                value = std::to_string(found->second);
        }
        html += "<div class=\"points\"><label for=\"" + Escape(id) + "\"><span " +
                "class=\"visually-hidden\">" + Escape(Say(POINTS_FOR, l)) + " </span>" +
                Escape(project.title.value) + " <span class=\"choice-cost\">(" +
                Escape(FormatAmount(project.cost, l)) + ")</span></label><input type=\"number\" " +
                "id=\"" + Escape(id) + "\" name=\"points." + Escape(project.id.value) +
                "\" min=\"0\" max=\"" + most + "\" step=\"1\" inputmode=\"numeric\" value=\"" +
                value + "\"></div>\n";
    }
    return html + "</fieldset>\n";
}

std::string BallotForm(const PageCall& page, const services::RoundSummary& round,
                       const BallotRefusal* refusal, const BallotDraft* draft)
{
    const Language l = page.language;
    const auto& opened = round.opened;
    const bool code_refused = IsCodeRefusal(refusal);
    const bool choices_refused = refusal != nullptr && refusal->code == "ballot_invalid";
    std::string html = "<form method=\"post\" action=\"/rounds/" + Escape(opened.round.value) +
                       "/ballot?lang=" + std::string(CodeOf(l)) +
                       "\" id=\"ballot-form\" accept-charset=\"UTF-8\">\n";
    html += "<div class=\"field\">\n<label for=\"code\">" + Escape(Say(CODE_LABEL, l)) +
            "</label>\n<p class=\"hint\" id=\"code-hint\">" + Escape(Say(CODE_HINT, l)) +
            "</p>\n<input type=\"text\" id=\"code\" name=\"code\" required autocomplete=\"off\" "
            "autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"" +
            std::to_string(services::VOTING_CODE_TYPED_BYTES_MAX) +
            "\" aria-describedby=\"code-hint" + (code_refused ? " ballot-error" : "") + "\"" +
            (code_refused ? " aria-invalid=\"true\"" : "") + ">\n</div>\n";
    html += opened.ballot_type == ledger::BallotType::approval
                ? ApprovalChoices(opened, draft, choices_refused, l)
                : CumulativeChoices(opened, draft, choices_refused, l);
    html += "<p class=\"note\">" + Escape(Say(PRIVACY, l)) + "</p>\n<button type=\"submit\">" +
            Escape(Say(SUBMIT, l)) + "</button>\n</form>\n";
    return html;
}

} // namespace

std::string BallotSection(const PageCall& page, const services::RoundSummary& round,
                          RoundPhase phase, const BallotRefusal* refusal, const BallotDraft* draft)
{
    const Language l = page.language;
    const auto& opened = round.opened;
    if (phase == RoundPhase::closed && refusal == nullptr) return {};
    std::string html = "<section id=\"ballot\" aria-labelledby=\"ballot-heading\" data-state=\"" +
                       std::string(SpellingOf(phase)) + "\">\n<h2 id=\"ballot-heading\">" +
                       Escape(Say(HEADING, l)) + "</h2>\n";
    const std::string cast = FormatCount(round.ballots_cast, l);
    const std::string issued = FormatCount(round.CodesIssued(), l);
    const std::string counts_attributes =
        " id=\"ballot-counts\" data-ballots-cast=\"" + std::to_string(round.ballots_cast) +
        "\" data-codes-issued=\"" + std::to_string(round.CodesIssued()) + "\"";
    if (refusal != nullptr) html += RefusalBox(opened, *refusal, l);
    switch (phase) {
    case RoundPhase::upcoming:
        html += "<p" + counts_attributes + ">" +
                Escape(Fill(Say(OPENS_LATER, l), {FormatMoment(opened.opens_at, l), issued})) +
                "</p>\n";
        break;
    case RoundPhase::voting:
        html +=
            "<p" + counts_attributes + ">" +
            Escape(Fill(Say(COUNTS_SO_FAR, l), {cast, issued, FormatMoment(opened.closes_at, l)})) +
            "</p>\n" + BallotForm(page, round, refusal, draft);
        break;
    case RoundPhase::counting:
        html += "<p" + counts_attributes + ">" +
                Escape(Fill(Say(CLOSED_COUNTING, l), {FormatMoment(opened.closes_at, l), cast})) +
                "</p>\n";
        break;
    case RoundPhase::closed: break;
    }
    return html + "</section>\n";
}

} // namespace wijkbudget::api::web
