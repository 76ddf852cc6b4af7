// api/web/page_entry.cpp: GET /ledger/{index} — one entry: what it says, its canonical bytes,
// and the section in which the browser verifies it against the signed checkpoint (web/).
#include "api/web/assets.hpp"
#include "api/web/entry_summary.hpp"
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"
#include "ledger/base64.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/sha256.hpp"

#include <charconv>

namespace wijkbudget::api::web {
namespace {

constexpr Phrase TITLE{"Registratie", "Entry"};
constexpr Phrase ENTRY_UNKNOWN{"Het grootboek heeft (nog) geen registratie met dit nummer.",
                               "The ledger has no entry with this number (yet)."};
constexpr Phrase KIND{"Soort", "Kind"};
constexpr Phrase TIME{"Vastgelegd op", "Recorded on"};
constexpr Phrase ACTOR{"Door", "By"};
constexpr Phrase SUMMARY{"Inhoud", "Content"};
constexpr Phrase LEAF_HASH{"Bladhash (SHA-256 van 0x00 en de bytes)",
                           "Leaf hash (SHA-256 of 0x00 and the bytes)"};
constexpr Phrase UNREADABLE{
    "De opgeslagen bytes van deze registratie zijn geen geldige registratie.",
    "The stored bytes of this entry are not a valid entry."};
constexpr Phrase POSTINGS{"Boekingen", "Postings"};
constexpr Phrase ACCOUNT{"Rekening", "Account"};
constexpr Phrase SIDE{"Kant", "Side"};
constexpr Phrase DEBIT{"debet", "debit"};
constexpr Phrase CREDIT{"credit", "credit"};
constexpr Phrase BALANCE_AFTER{"Saldo daarna", "Balance after"};
constexpr Phrase BYTES{"De registratie zoals ondertekend (canonieke bytes)",
                       "The entry as signed (canonical bytes)"};
constexpr Phrase VERIFICATION{"Controle in uw browser", "Verification in your browser"};
constexpr Phrase VERIFICATION_INTRO{
    "Uw browser haalt het bewijs van opname en het ondertekende controlepunt op, controleert de "
    "Ed25519-handtekening met de sleutel van het grootboek, controleert met een bewijs van "
    "consistentie dat het controlepunt het vorige uitbreidt dat hij bewaarde, en berekent met "
    "SHA-256 of deze bytes tot de ondertekende wortel leiden. Alleen dan wordt het vak groen.",
    "Your browser fetches the inclusion proof and the signed checkpoint, checks the Ed25519 "
    "signature with the ledger's key, checks with a consistency proof that the checkpoint "
    "extends the one it kept before, and computes with SHA-256 whether these bytes lead to the "
    "signed root. Only then does the box turn green."};
constexpr Phrase PENDING{"Bezig met controleren…", "Checking…"};
constexpr Phrase NO_SCRIPT{
    "Zonder JavaScript controleert uw browser niets. U kunt zelf controleren met "
    "wijkbudget-verify: zie de pagina Controleren.",
    "Without JavaScript your browser checks nothing. You can check yourself with "
    "wijkbudget-verify: see the Verify page."};
//! The badge on a server that serves no front-end build (web.assets_dir unset): no script runs.
constexpr Phrase NO_CHECKER{
    "Niet gecontroleerd: deze server levert het controleprogramma voor uw browser niet. U kunt "
    "zelf controleren met wijkbudget-verify: zie de pagina Controleren.",
    "Not checked: this server does not serve the checking program for your browser. You can "
    "check yourself with wijkbudget-verify: see the Verify page."};
constexpr Phrase VERIFIER_KEY{"Sleutel van het grootboek", "The ledger's key"};
constexpr Phrase AS_JSON{"Deze registratie als JSON", "This entry as JSON"};
constexpr Phrase PREVIOUS{"Vorige registratie", "Previous entry"};
constexpr Phrase NEXT{"Volgende registratie", "Next entry"};
constexpr Phrase NEIGHBOURS{"Naburige registraties", "Neighbouring entries"};

std::optional<std::uint64_t> IndexOfPath(const RouteCall& call)
{
    const std::string& text = call.parameters.front();
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() ||
        value >= ledger::TREE_SIZE_MAX || (text.size() > 1 && text.front() == '0'))
        return std::nullopt;
    return value;
}

std::string PostingsTable(const ledger::Entry& entry, Language l)
{
    if (entry.postings.empty()) return {};
    std::string html = TableWrap(Say(POSTINGS, l)) + "<table id=\"postings\">\n<caption>" +
                       Escape(Say(POSTINGS, l)) + "</caption>\n<thead><tr><th scope=\"col\">" +
                       Escape(Say(ACCOUNT, l)) + "</th><th scope=\"col\">" + Escape(Say(SIDE, l)) +
                       "</th><th scope=\"col\" class=\"amount\">" + Escape(Say(phrase::AMOUNT, l)) +
                       "</th><th scope=\"col\" class=\"amount\">" + Escape(Say(BALANCE_AFTER, l)) +
                       "</th></tr></thead>\n<tbody>\n";
    for (const auto& posting : entry.postings) {
        html += "<tr><td><code>" + Escape(posting.account.value) + "</code></td><td>" +
                Escape(Say(posting.side == ledger::PostingSide::debit ? DEBIT : CREDIT, l)) +
                "</td>" + AmountCell(posting.amount, l) +
                AmountCell(posting.balance_after.cents, l) + "</tr>\n";
    }
    return html + "</tbody>\n</table></div>\n";
}

} // namespace

Reply HandleEntryPage(RouteCall& call)
{
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    const Language l = page->language;
    const auto index = IndexOfPath(call);
    auto head = call.ports.entries.Head();
    if (!head) {
        return StorageDownPage(*page, Section::ledger, Say(TITLE, l));
    }
    if (!index || *index >= head->size) return NotFoundPage(*page, ENTRY_UNKNOWN);
    // The bytes straight from the store, not from a cache: this page shows what is stored.
    auto range = call.ports.entries.ReadRange(*index, 1);
    if (!range || range->size() != 1) {
        return StorageDownPage(*page, Section::ledger, Say(TITLE, l));
    }
    const std::string& bytes = range->front();
    const std::string number = std::to_string(*index);
    const std::string title = std::string(Say(TITLE, l)) + " #" + number;
    std::string html = "<h1>" + Escape(title) + "</h1>\n<dl class=\"facts\">\n";
    const auto entry = ledger::ParseCanonicalEntry(bytes);
    if (entry) {
        const std::string kind{ledger::KindOf(*entry)};
        html += "<dt>" + Escape(Say(KIND, l)) + "</dt><dd data-kind=\"" + Escape(kind) + "\">" +
                Escape(Say(phrase::OfKind(kind), l)) + " (<code>" + Escape(kind) +
                "</code>)</dd>\n<dt>" + Escape(Say(TIME, l)) + "</dt><dd>" +
                Escape(FormatMoment(entry->recorded_at, l)) + "</dd>\n<dt>" +
                Escape(Say(ACTOR, l)) + "</dt><dd>" +
                Escape(Say(phrase::Of(entry->actor.role), l)) + " " +
                Escape(entry->actor.id.value) + "</dd>\n";
        if (entry->council)
            html += "<dt>" + Escape(Say(phrase::COUNCIL, l)) + "</dt><dd><a href=\"/councils/" +
                    Escape(entry->council->value) + "\">" + Escape(entry->council->value) +
                    "</a></dd>\n";
        html += "<dt>" + Escape(Say(SUMMARY, l)) + "</dt><dd>" + Escape(Summarize(*entry, l)) +
                "</dd>\n";
    } else {
        html +=
            "<dt>" + Escape(Say(KIND, l)) + "</dt><dd>" + Escape(Say(UNREADABLE, l)) + "</dd>\n";
    }
    html += "<dt>" + Escape(Say(LEAF_HASH, l)) + "</dt><dd><code class=\"hash\">" +
            ledger::ToHex(ledger::LeafHash(bytes)) + "</code></dd>\n</dl>\n";
    if (entry) html += PostingsTable(*entry, l);
    // Without the front-end build no script runs: "checking" would stay on the badge for good.
    const bool checker =
        call.ports.assets != nullptr && !call.ports.assets->UrlOf("app.js").empty();
    html += "<section id=\"verification\" aria-labelledby=\"verification-heading\" data-index=\"" +
            number + "\" data-vkey=\"" + Escape(call.ports.verifier_key) +
            "\" data-checkpoint-url=\"/api/v1/ledger/checkpoint\" "
            "data-proof-url=\"/api/v1/ledger/proofs/inclusion\" "
            "data-consistency-url=\"/api/v1/ledger/proofs/consistency\">\n<h2 "
            "id=\"verification-heading\">" +
            Escape(Say(VERIFICATION, l)) + "</h2>\n<p>" + Escape(Say(VERIFICATION_INTRO, l)) +
            "</p>\n<p id=\"verification-badge\" class=\"badge\" data-state=\"" +
            (checker ? "pending" : "unavailable") + "\" role=\"status\" aria-live=\"polite\">" +
            Escape(Say(checker ? PENDING : NO_CHECKER, l)) + "</p>\n<noscript><p>" +
            Escape(Say(NO_SCRIPT, l)) +
            "</p></noscript>\n<ul id=\"verification-steps\"></ul>\n<p>" +
            Escape(Say(VERIFIER_KEY, l)) + ": <code class=\"hash\">" +
            Escape(call.ports.verifier_key) + "</code></p>\n</section>\n";
    html += "<section aria-labelledby=\"bytes-heading\">\n<h2 id=\"bytes-heading\">" +
            Escape(Say(BYTES, l)) +
            // What the browser hashes is the base64 copy: HTML parsing changes the <pre>'s text
            // (a first line feed, CR LF, NUL, bad UTF-8), and the stored bytes are the leaf.
            "</h2>\n<pre id=\"entry-bytes\" tabindex=\"0\" data-bytes=\"" +
            ledger::ToBase64(
                std::span{reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}) +
            "\">" + Escape(bytes) + "</pre>\n<p><a href=\"/api/v1/ledger/entries/" + number +
            "\">" + Escape(Say(AS_JSON, l)) + "</a></p>\n</section>\n";
    html += "<nav class=\"paging\" aria-label=\"" + Escape(Say(NEIGHBOURS, l)) + "\"><ul>";
    if (*index > 0)
        html += "<li><a rel=\"prev\" href=\"/ledger/" + std::to_string(*index - 1) + "\">" +
                Escape(Say(PREVIOUS, l)) + "</a></li>";
    if (*index + 1 < head->size)
        html += "<li><a rel=\"next\" href=\"/ledger/" + std::to_string(*index + 1) + "\">" +
                Escape(Say(NEXT, l)) + "</a></li>";
    html += "</ul></nav>\n";
    return PageReply(*page, http::status::ok, Section::ledger, title, html);
}

} // namespace wijkbudget::api::web
