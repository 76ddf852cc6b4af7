// api/web/page_round_ballot.cpp: POST /rounds/{round}/ballot — a resident's ballot from the
// round page's form: read strictly, checked by the round's use case (services::RoundService::
// CastBallot), appended by the sequencer, answered with a receipt (the ballot's entry and leaf
// hash) or with the form again and the reason in the reader's language. The code is never
// echoed, logged or stored: only its nullifier reaches the ledger.
//
// A form has no Idempotency-Key header, so the claim is derived from the ballot itself: the
// principal is the code's nullifier, the key a hash of the round, the nullifier and the choices.
// A form sent twice (a double click, a reload) replays the first answer; the same code with other
// choices is a new request, which the round refuses as code_used. A refusal that depends on the
// time (voting not yet open) is answered before anything is claimed, so it is never replayed.
#include "api/idempotency.hpp"
#include "api/web/form.hpp"
#include "api/web/page_round.hpp"
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"
#include "ledger/assert.hpp"
#include "ledger/hex.hpp"
#include "ledger/sha256.hpp"
#include "services/errc.hpp"
#include "services/voting_codes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <set>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase FORM_UNREADABLE_TITLE{"Formulier niet leesbaar", "Form not readable"};
constexpr Phrase FORM_UNREADABLE{
    "Het stemformulier kwam niet goed aan: een veld ontbreekt, is onbekend of komt twee keer "
    "voor. Er is niets vastgelegd. Ga terug naar de stemming en vul het formulier opnieuw in.",
    "The ballot form did not arrive intact: a field is missing, unknown or repeated. Nothing was "
    "recorded. Go back to the round and fill in the form again."};
constexpr Phrase FORM_TOO_LARGE{"Het formulier is te groot. Er is niets vastgelegd.",
                                "The form is too large. Nothing was recorded."};
constexpr Phrase FORM_TYPE{
    "Dit adres neemt alleen het stemformulier aan (application/x-www-form-urlencoded). Er is "
    "niets vastgelegd.",
    "This address takes only the ballot form (application/x-www-form-urlencoded). Nothing was "
    "recorded."};
constexpr Phrase BACK_TO_ROUND{"Terug naar de stemming", "Back to the round"};
constexpr Phrase RECEIPT_TITLE{"Uw stem is uitgebracht", "Your ballot has been cast"};
constexpr Phrase RECEIPT_ROUND{"Stemming", "Round"};
constexpr Phrase RECEIPT_ENTRY{"Uw stem is registratie", "Your ballot is entry"};
constexpr Phrase RECEIPT_LEAF{"Bladhash", "Leaf hash"};
constexpr Phrase RECEIPT_KEEP{
    "Bewaar dit nummer en deze hash. Op de pagina van de registratie controleert uw browser dat "
    "uw stem in het grootboek staat, tegen het ondertekende controlepunt:",
    "Keep this number and this hash. On the entry's page your browser checks that your ballot is "
    "in the ledger, against the signed checkpoint:"};
constexpr Phrase RECEIPT_CHECK{"controleer het hier", "check it here"};
constexpr Phrase RECEIPT_PRIVACY{
    "Het grootboek bevat uw keuze en een getal dat uit uw code is afgeleid; niet de code en niet "
    "wie u bent. Wie uw code niet kent, kan deze stem niet aan u koppelen.",
    "The ledger holds your choice and a number derived from your code; not the code, and not who "
    "you are. Whoever does not know your code cannot link this ballot to you."};
constexpr Phrase RECEIPT_REPLAYED{
    "Dit formulier was al eerder verstuurd; uw stem stond er al en telt één keer.",
    "This form had been sent before; your ballot was already recorded and counts once."};

//! What the form said: the typed code and the points per project (1 for an approved one).
struct BallotForm {
    std::string code;
    BallotDraft points;
    //! The first project whose points box held no whole number from 0 up: a fraction, a negative
    //! or a word, which a browser that does not check number boxes lets through.
    std::optional<std::string> unreadable_points;
};

bool IsProjectOf(const ledger::RoundOpened& round, std::string_view id)
{
    return std::any_of(round.projects.items.begin(), round.projects.items.end(),
                       [&](const ledger::RoundProject& p) { return p.id.value == id; });
}

//! Where a project of the round stands in its list. @pre IsProjectOf(round, id)
std::size_t ProjectPosition(const ledger::RoundOpened& round, std::string_view id)
{
    const auto& items = round.projects.items;
    const auto found = std::find_if(items.begin(), items.end(), [&](const ledger::RoundProject& p) {
        return p.id.value == id;
    });
    WB_ASSERT(found != items.end());
    return static_cast<std::size_t>(found - items.begin());
}

/** The ballot form, strictly: exactly one `code`; on an approval ballot `project` fields naming
 *  the round's projects, each once; on a cumulative one a `points.<project>` field per project at
 *  most (a box that holds no whole number is noted in unreadable_points: the reader's mistake,
 *  not a form of another page). None for anything else: the form was not the round's. */
std::optional<BallotForm> ReadBallotForm(const ledger::RoundOpened& round, const FormFields& fields)
{
    const bool approval = round.ballot_type == ledger::BallotType::approval;
    BallotForm form;
    std::set<std::string> seen;
    for (const auto& [name, value] : fields) {
        if (name == "code") {
            if (!seen.insert(name).second) return std::nullopt;
            form.code = value;
        } else if (approval && name == "project") {
            if (!IsProjectOf(round, value) || !seen.insert("project:" + value).second)
                return std::nullopt;
            form.points[value] = 1;
        } else if (!approval && name.starts_with("points.")) {
            const std::string project = name.substr(std::string_view{"points."}.size());
            if (!IsProjectOf(round, project) || !seen.insert(name).second) return std::nullopt;
            if (value.empty()) continue; // An empty box: no points.
            const auto points = WholeNumberOfNumberBox(value);
            if (!points) {
                if (!form.unreadable_points) form.unreadable_points = project;
                continue;
            }
            if (*points > 0) form.points[project] = *points;
        } else {
            return std::nullopt;
        }
    }
    if (!seen.contains("code")) return std::nullopt;
    return form;
}

//! The choices in the round's own project order, so the same ballot is always the same request.
std::vector<ledger::BallotChoice> ChoicesOf(const ledger::RoundOpened& round,
                                            const BallotDraft& points)
{
    std::vector<ledger::BallotChoice> choices;
    for (const auto& project : round.projects.items) {
        if (const auto found = points.find(project.id.value); found != points.end())
            choices.push_back({project.id, found->second});
    }
    return choices;
}

/** The claim of a ballot sent by the form: principal "voter:<nullifier>", key and request hash
 *  the SHA-256 of round, nullifier and choices. Neither holds the code. */
ledger::IdempotencyClaim BallotClaim(const ledger::Slug& round, const ledger::Hash& nullifier,
                                     const std::vector<ledger::BallotChoice>& choices)
{
    const std::string voter = ledger::ToHex(nullifier);
    std::string material = "wijkbudget ballot form 1\n" + round.value + "\n" + voter + "\n";
    for (const auto& choice : choices)
        material += choice.project.value + ":" + std::to_string(choice.points) + "\n";
    const ledger::Hash hash = ledger::Sha256Of(std::string_view{material});
    return {"voter:" + voter, ledger::ToHex(hash), hash};
}

//! A page that says the form could not be taken, with a link back to the round.
Reply FormProblemPage(const PageCall& page, const ledger::Slug& round, http::status status,
                      const Phrase& why)
{
    const Language l = page.language;
    const std::string html = "<h1>" + Escape(Say(FORM_UNREADABLE_TITLE, l)) + "</h1>\n<p>" +
                             Escape(Say(why, l)) + "</p>\n<p><a href=\"/rounds/" +
                             Escape(round.value) + "\">" + Escape(Say(BACK_TO_ROUND, l)) +
                             "</a></p>";
    return PageReply(page, status, Section::rounds, Say(FORM_UNREADABLE_TITLE, l), html);
}

Reply ReceiptPage(const PageCall& page, const services::RoundSummary& round, std::uint64_t index,
                  std::string_view leaf_hash, bool replayed)
{
    const Language l = page.language;
    const std::string number = std::to_string(index);
    std::string html =
        "<h1>" + Escape(Say(RECEIPT_TITLE, l)) + "</h1>\n<dl class=\"facts\" " +
        "id=\"receipt\" data-index=\"" + number + "\" data-leaf-hash=\"" + Escape(leaf_hash) +
        "\">\n<dt>" + Escape(Say(RECEIPT_ROUND, l)) + "</dt><dd><a href=\"/rounds/" +
        Escape(round.opened.round.value) + "\">" + Escape(round.opened.title.value) +
        "</a></dd>\n<dt>" + Escape(Say(RECEIPT_ENTRY, l)) + "</dt><dd>" + EntryLink(index) +
        "</dd>\n<dt>" + Escape(Say(RECEIPT_LEAF, l)) + "</dt><dd><code class=\"hash\">" +
        Escape(leaf_hash) + "</code></dd>\n</dl>\n";
    if (replayed)
        html += "<p class=\"note\" id=\"receipt-replayed\">" + Escape(Say(RECEIPT_REPLAYED, l)) +
                "</p>\n";
    // The fragment carries the leaf hash to the entry's page, whose browser check then fails on
    // any other entry at this index (web/src/verify.js); the server never sees it.
    html += "<p>" + Escape(Say(RECEIPT_KEEP, l)) + " <a href=\"/ledger/" + number +
            "#leaf=" + Escape(leaf_hash) + "\" id=\"receipt-check\">" +
            Escape(Say(RECEIPT_CHECK, l)) + "</a>.</p>\n<p " + "class=\"note\">" +
            Escape(Say(RECEIPT_PRIVACY, l)) + "</p>\n";
    Reply reply = PageReply(page, http::status::ok, Section::rounds, Say(RECEIPT_TITLE, l), html);
    if (replayed) reply.response.set(IDEMPOTENCY_REPLAYED_HEADER, "true");
    return reply;
}

//! What the sequencer stores for a ballot from the form: the entry, or the refusal's code and
//! detail, from which either page is made again on a replay.
ledger::StoredAnswer
AnswerOf(const boost::system::result<ledger::AppendedEntry, ledger::Failure>& outcome)
{
    boost::json::object body;
    if (!outcome) {
        body["code"] = services::CodeNameOf(outcome.error().code);
        body["where"] = outcome.error().where;
        const Reply problem = FailureReply(outcome.error());
        return {static_cast<int>(problem.response.result_int()), boost::json::serialize(body)};
    }
    body["index"] = outcome->sealed.entry.index.value;
    body["leaf_hash"] = ledger::ToHex(outcome->sealed.leaf);
    return {static_cast<int>(http::status::created), boost::json::serialize(body)};
}

/**
 * What the answer needs once the sequencer has committed, on its thread, after the request's own
 * call has returned: the router's ports outlive every request; the language, the path and the
 * round are kept here, and the request is not (the frame reads nothing of it).
 */
struct LaterPage {
    LaterPage(RouteCall& from, const PageCall& opened, RoundContext round_now)
        : respond{from.respond},
          call{request,          {},     {}, from.ports, from.in_flight, from.immutable,
               from.signed_size, respond},
          page{call, opened.language, opened.remember_language, opened.path, {}}, round{std::move(
                                                                                      round_now)}
    {}
    Request request;
    Handler::Respond respond;
    RouteCall call;
    PageCall page;
    RoundContext round;
    BallotDraft draft;
};

Reply PageOfStoredAnswer(const LaterPage& later, const ledger::StoredAnswer& answer, bool replayed)
{
    boost::system::error_code error;
    const auto parsed = boost::json::parse(answer.body, error);
    const auto* body = parsed.if_object();
    WB_CHECK_NONFATAL(!error && body != nullptr);
    if (answer.status == static_cast<int>(http::status::created)) {
        const auto* index = body->if_contains("index");
        const auto* leaf = body->if_contains("leaf_hash");
        WB_CHECK_NONFATAL(index != nullptr && leaf != nullptr && leaf->is_string());
        return ReceiptPage(later.page, later.round.round, index->to_number<std::uint64_t>(),
                           leaf->as_string(), replayed);
    }
    const auto* code = body->if_contains("code");
    const auto* where = body->if_contains("where");
    WB_CHECK_NONFATAL(code != nullptr && code->is_string() && where != nullptr &&
                      where->is_string());
    const BallotRefusal refusal{std::string(code->as_string()), std::string(where->as_string())};
    return RoundPageReply(later.page, later.round, static_cast<http::status>(answer.status),
                          &refusal, &later.draft);
}

Reply PageOfReply(const LaterPage& later,
                  const boost::system::result<ledger::AppendReply, ledger::AppendFailure>& reply)
{
    if (!reply) {
        // Nothing was written (ledger/append.hpp): the reader may simply send it again.
        const BallotRefusal failed = RefusalOfAppendFailure(reply.error());
        return RoundPageReply(later.page, later.round, http::status::service_unavailable, &failed,
                              &later.draft);
    }
    return PageOfStoredAnswer(later, reply->answer, reply->replayed);
}

void Submit(RouteCall& call, const PageCall& page, const RoundContext& round, BallotDraft draft,
            ledger::IdempotencyClaim claim, services::DraftMaker make_draft)
{
    auto later = std::make_shared<LaterPage>(call, page, round);
    later->draft = std::move(draft);
    // A refusal is decided again on every try, not stored: see HandleCastRoundBallot.
    ledger::AppendRequest request{std::move(claim), std::move(make_draft), AnswerOf, std::nullopt,
                                  /*record_refusal=*/false};
    call.ports.appender.Submit(
        std::move(request),
        [later](boost::system::result<ledger::AppendReply, ledger::AppendFailure> reply) {
            // This runs on the sequencer's thread, which a bug in making the page (an
            // InternalBug) must not stop: the router's catch-all is not on this path.
            try {
                later->respond(PageOfReply(*later, reply));
            } catch (const std::exception&) {
                later->respond(ProblemReply(http::status::internal_server_error, "internal_error",
                                            "the server failed to make this page; it is logged"));
            }
        });
}

} // namespace

Reply HandleBallotAddress(RouteCall& call)
{
    // The ballot form's answer stands at this address: a reload, a bookmark or a shared link asks
    // it with GET. What such a reader wants is the round's page, not a 405 in JSON.
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    if (auto behind = SyncProjectionsPage(*page, Section::rounds)) return std::move(*behind);
    const auto context = RoundOfPath(call);
    if (!context) return NotFoundPage(*page, ROUND_UNKNOWN);
    Reply reply;
    reply.response.result(http::status::see_other);
    reply.response.set(http::field::location, "/rounds/" + context->round.opened.round.value +
                                                  "?lang=" + std::string(CodeOf(page->language)));
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.prepare_payload();
    return reply;
}

void HandleBallotForm(RouteCall& call)
{
    // Every answer here may show the reader's choices or receipt: kept by no cache, and not in
    // the browser's history for the next person at a shared computer (RFC 9111 section 5.2.2.5).
    call.respond = [respond = call.respond](Reply reply) {
        reply.response.set(http::field::cache_control, "no-store");
        respond(std::move(reply));
    };
    auto page = OpenPage(call, {});
    if (!page) return call.respond(page.error());
    if (auto behind = SyncProjectionsPage(*page, Section::rounds))
        return call.respond(std::move(*behind));
    const auto context = RoundOfPath(call);
    if (!context || call.ports.round_service == nullptr)
        return call.respond(NotFoundPage(*page, ROUND_UNKNOWN));
    const auto& id = context->round.opened.round;
    // The answer's language switch leads to the round's page: this address takes only POSTs.
    page->path = "/rounds/" + id.value;
    const auto type = call.request.find(http::field::content_type);
    if (type == call.request.end() || !IsFormContentType(type->value()))
        return call.respond(
            FormProblemPage(*page, id, http::status::unsupported_media_type, FORM_TYPE));
    if (call.request.body().size() > FORM_BYTES_MAX)
        return call.respond(
            FormProblemPage(*page, id, http::status::payload_too_large, FORM_TOO_LARGE));
    const auto fields = ParseFormBody(call.request.body());
    auto form = fields ? ReadBallotForm(context->round.opened, *fields) : std::nullopt;
    if (!form)
        return call.respond(FormProblemPage(*page, id, http::status::bad_request, FORM_UNREADABLE));
    // Before the opening the code is not even looked at, and nothing is claimed. After the
    // window a ballot with a code of the round still goes to the sequencer: a reload of a
    // receipt, or a resubmit after voting ended, replays the ballot that was cast; the same code
    // with other choices is refused as code_used, and an unused one as round_not_open (the
    // draft's checks). Any other code cast nothing, and is told that voting is over.
    const RoundPhase phase = PhaseOf(context->round, call.ports.clock.Now());
    const auto not_open = [&] {
        const BallotRefusal refusal{std::string(services::CodeName(services::Errc::round_not_open)),
                                    ""};
        call.respond(
            RoundPageReply(*page, *context, http::status::conflict, &refusal, &form->points));
    };
    if (phase == RoundPhase::upcoming) return not_open();
    if (form->unreadable_points) {
        // Said above the form as the service's own range refusal, with the other boxes kept:
        // no ballot with such a box can be cast, so after the window it is only told that
        // voting is over.
        if (phase != RoundPhase::voting) return not_open();
        const BallotRefusal refusal{
            std::string(services::CodeName(services::Errc::ballot_invalid)),
            "choices[" +
                std::to_string(ProjectPosition(context->round.opened, *form->unreadable_points)) +
                "].points"};
        return call.respond(RoundPageReply(*page, *context, http::status::unprocessable_entity,
                                           &refusal, &form->points));
    }
    auto choices = ChoicesOf(context->round.opened, form->points);
    services::BallotSubmission submission{ledger::Token{form->code}, {}};
    submission.choices.items = choices;
    auto drafted = call.ports.round_service->CastBallot(id, std::move(submission));
    if (!drafted) {
        const auto& failure = drafted.error();
        const bool down = failure.code == ledger::Errc::storage_unavailable;
        if (phase != RoundPhase::voting && !down) return not_open();
        const BallotRefusal refusal{down ? "" : std::string(services::CodeNameOf(failure.code)),
                                    failure.where};
        const auto status =
            down ? http::status::service_unavailable : FailureReply(failure).response.result();
        return call.respond(RoundPageReply(*page, *context, status, &refusal, &form->points));
    }
    // CastBallot accepted the code, so it has a canonical form.
    const auto canonical = services::CanonicalVotingCode(form->code);
    WB_CHECK_NONFATAL(canonical.has_value());
    auto claim = BallotClaim(id, services::NullifierOf(id, *canonical), choices);
    Submit(call, *page, *context, std::move(form->points), std::move(claim), std::move(*drafted));
}

} // namespace wijkbudget::api::web
