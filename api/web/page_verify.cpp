// api/web/page_verify.cpp: GET /verify — how anyone checks the ledger from outside, with curl
// and wijkbudget-verify, and the key to check it with.
#include "api/web/phrases.hpp"
#include "api/web/site_pages.hpp"

namespace wijkbudget::api::web {
namespace {

constexpr Phrase TITLE{"Zelf controleren", "Check it yourself"};
constexpr Phrase INTRO{
    "U hoeft deze site niet te vertrouwen. Het grootboek is een Merkle-boom (RFC 9162) waarvan "
    "de wortel regelmatig wordt ondertekend. Met de onderstaande opdrachten haalt u alles op en "
    "controleert u het op uw eigen computer.",
    "You do not have to trust this site. The ledger is a Merkle tree (RFC 9162) whose root is "
    "signed regularly. With the commands below you fetch everything and check it on your own "
    "computer."};
constexpr Phrase KEY_HEADING{"De sleutel van het grootboek", "The ledger's key"};
constexpr Phrase KEY_TEXT{
    "Controlepunten zijn ondertekend met deze Ed25519-sleutel (signed-note-formaat). Vergelijk "
    "hem met de sleutel die de gemeente publiceert.",
    "Checkpoints are signed with this Ed25519 key (signed-note format). Compare it with the key "
    "the municipality publishes."};
constexpr Phrase STEP_FETCH{"1. Haal de sleutel, het laatste controlepunt en het hele grootboek op",
                            "1. Fetch the key, the latest checkpoint and the whole ledger"};
constexpr Phrase STEP_EXPORT{"2. Controleer het hele grootboek", "2. Check the whole ledger"};
constexpr Phrase STEP_EXPORT_TEXT{
    "wijkbudget-verify controleert de handtekening, herberekent de boom uit alle registraties, en "
    "controleert elke boeking en elk saldo. Bij de eerste afwijking noemt het de registratie.",
    "wijkbudget-verify checks the signature, recomputes the tree from every entry, and checks "
    "every posting and balance. At the first discrepancy it names the entry."};
constexpr Phrase STEP_ONE{"3. Controleer één registratie", "3. Check one entry"};
constexpr Phrase STEP_ONE_TEXT{
    "Registratie 42 is regel 43 van de export. Het bewijs van opname toont, tegen het "
    "ondertekende controlepunt en de bytes van die regel, dat precies die registratie in de "
    "ondertekende boom staat.",
    "Entry 42 is line 43 of the export. Checked against the signed checkpoint and that line's "
    "bytes, the inclusion proof shows that exactly that entry is in the signed tree."};
constexpr Phrase STEP_LATER{"4. Controleer later dat niets is gewijzigd",
                            "4. Check later that nothing was changed"};
constexpr Phrase STEP_LATER_TEXT{
    "Bewaar het controlepunt. Haal later een nieuw op: het bewijs van consistentie toont, tegen "
    "beide ondertekende controlepunten, dat het nieuwe het bewaarde uitbreidt zonder iets te "
    "wijzigen.",
    "Keep the checkpoint. Later, fetch a new one: checked against both signed checkpoints, the "
    "consistency proof shows that the new one extends the kept one without changing anything."};
constexpr Phrase STEP_RECEIPT{"5. Controleer een ontvangstbewijs", "5. Check a receipt"};
constexpr Phrase STEP_RECEIPT_TEXT{
    "Wie iets vastlegt, krijgt een ontvangstbewijs (C2SP tlog-proof) en de registratie zelf "
    "(het veld entry van het antwoord). Het bewijs toont dat precies die registratie in het "
    "grootboek staat.",
    "Whoever records something gets a receipt (C2SP tlog-proof) and the entry itself (the "
    "answer's entry field). The receipt proves that exactly that entry is in the ledger."};
constexpr Phrase TOOL{
    "wijkbudget-verify wordt met de broncode meegebouwd (ledger/tools/); het heeft geen "
    "verbinding met deze server nodig.",
    "wijkbudget-verify is built with the source code (ledger/tools/); it needs no connection to "
    "this server."};
constexpr Phrase IN_BROWSER{
    "Of open een registratie in het grootboek: uw browser controleert haar dan zelf.",
    "Or open an entry in the ledger: your browser then checks it itself."};

//! The host the reader used, for copyable commands; only a plain host[:port] is echoed.
std::string HostOf(const RouteCall& call)
{
    const auto host = call.request.find(http::field::host);
    if (host != call.request.end() && !host->value().empty() && host->value().size() <= 255) {
        bool plain = true;
        for (const char c : host->value()) {
            plain = plain &&
                    ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == ':' || c == '[' || c == ']');
        }
        if (plain) return std::string(host->value());
    }
    return "localhost:8443";
}

std::string Commands(std::string_view text)
{
    return "<pre class=\"commands\" tabindex=\"0\"><code>" + Escape(text) + "</code></pre>\n";
}

} // namespace

Reply HandleVerifyPage(RouteCall& call)
{
    auto page = OpenPage(call, {});
    if (!page) return page.error();
    const Language l = page->language;
    const std::string base = "https://" + HostOf(call);
    std::string html = "<h1>" + Escape(Say(TITLE, l)) + "</h1>\n<p class=\"lede\">" +
                       Escape(Say(INTRO, l)) + "</p>\n";
    html += "<h2>" + Escape(Say(KEY_HEADING, l)) + "</h2>\n<p>" + Escape(Say(KEY_TEXT, l)) +
            "</p>\n<p><code class=\"hash\" id=\"verifier-key\">" + Escape(call.ports.verifier_key) +
            "</code></p>\n";
    html += "<h2>" + Escape(Say(STEP_FETCH, l)) + "</h2>\n" +
            Commands("curl -s " + base + "/api/v1/ledger/vkey > vkey\n" + "curl -s " + base +
                     "/api/v1/ledger/checkpoint > checkpoint\n" + "curl -s " + base +
                     "/api/v1/ledger/export > ledger.ndjson");
    html += "<h2>" + Escape(Say(STEP_EXPORT, l)) + "</h2>\n<p>" + Escape(Say(STEP_EXPORT_TEXT, l)) +
            "</p>\n" +
            Commands("wijkbudget-verify checkpoint --vkey \"$(cat vkey)\" checkpoint\n"
                     "wijkbudget-verify export ledger.ndjson --checkpoint checkpoint "
                     "--vkey \"$(cat vkey)\"");
    html += "<h2>" + Escape(Say(STEP_ONE, l)) + "</h2>\n<p>" + Escape(Say(STEP_ONE_TEXT, l)) +
            "</p>\n" +
            Commands("SIZE=$(sed -n 2p checkpoint)\n"
                     "sed -n 43p ledger.ndjson > entry-42\n"
                     "curl -s \"" +
                     base +
                     "/api/v1/ledger/proofs/inclusion?index=42&size=$SIZE\" > inclusion.json\n"
                     "wijkbudget-verify inclusion inclusion.json --checkpoint checkpoint "
                     "--vkey \"$(cat vkey)\" --entry entry-42");
    html += "<h2>" + Escape(Say(STEP_LATER, l)) + "</h2>\n<p>" + Escape(Say(STEP_LATER_TEXT, l)) +
            "</p>\n" +
            Commands("cp checkpoint checkpoint.kept\n"
                     "curl -s " +
                     base +
                     "/api/v1/ledger/checkpoint > checkpoint\n"
                     "curl -s \"" +
                     base +
                     "/api/v1/ledger/proofs/consistency?from=$(sed -n 2p checkpoint.kept)"
                     "&to=$(sed -n 2p checkpoint)\" > consistency.json\n"
                     "wijkbudget-verify consistency consistency.json --from checkpoint.kept "
                     "--checkpoint checkpoint --vkey \"$(cat vkey)\"");
    html += "<h2>" + Escape(Say(STEP_RECEIPT, l)) + "</h2>\n<p>" +
            Escape(Say(STEP_RECEIPT_TEXT, l)) + "</p>\n" +
            Commands("wijkbudget-verify receipt --vkey \"$(cat vkey)\" receipt.txt entry");
    html += "<p>" + Escape(Say(TOOL, l)) + "</p>\n<p><a href=\"/ledger\">" +
            Escape(Say(IN_BROWSER, l)) + "</a></p>\n";
    return PageReply(*page, http::status::ok, Section::verify, Say(TITLE, l), html);
}

} // namespace wijkbudget::api::web
