// api/handlers/open_data.cpp: open data (issue 5): a council's movements of money in one budget
// year as CSV and JSON, and an Atom feed of decisions and spending. docs/open-data.md describes
// the columns and elements.
//
// Everything here is on the public ledger, so these reads need no token. The data comes from the
// services::OpenData projection, which the sequencer keeps current: an export copies one council's
// year, and the feed the newest FEED_ITEMS_MAX items, never a scan of the ledger.
#include "api/handlers/open_data.hpp"

#include "api/routes.hpp"
#include "ledger/hex.hpp"
#include "services/open_data.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <array>
#include <variant>

namespace wijkbudget::api {
namespace {

//! A number written as text (an amount with a point): in the CSV never defused, never quoted.
struct Decimal {
    std::string text;
};
//! One column's value in one row: empty, text, an integer, or a decimal.
using Cell = std::variant<std::monostate, std::string, std::int64_t, Decimal>;

template <class Text>
Cell OptionalText(const std::optional<Text>& text)
{
    return text ? Cell{text->value} : Cell{};
}

Cell Integer(std::uint64_t value)
{
    return static_cast<std::int64_t>(value); // Leaf indices stay far below 2^63.
}

//! As the account names spell the type (ledger/account.hpp).
std::string AccountTypeName(ledger::AccountType type)
{
    switch (type) {
    case ledger::AccountType::pool: return "pool";
    case ledger::AccountType::line: return "line";
    case ledger::AccountType::commitment: return "commitment";
    case ledger::AccountType::spent: return "spent";
    }
    return "";
}

using Movement = services::Movement;

//! The columns of both exports, in order; docs/open-data.md says what each holds.
constexpr std::array COLUMNS{
    "ledger_index", "recorded_at",         "entry_kind",      "movement",        "budget_year",
    "category",     "account_type",        "account",         "counter_account", "amount_cents",
    "amount_eur",   "balance_after_cents", "commitment",      "proposal",        "title",
    "payee",        "description",         "refers_to_index", "leaf_hash"};

//! A movement's value in each of COLUMNS, in the same order.
std::array<Cell, COLUMNS.size()> CellsOf(const Movement& row)
{
    return {Integer(row.index.value),
            Cell{ledger::FormatTimestamp(row.recorded_at)},
            Cell{std::string(row.entry_kind)},
            Cell{std::string(services::SpellingOf(row.kind))},
            Cell{std::int64_t{row.year.value}},
            Cell{std::string(ledger::SpellingOf(row.category))},
            Cell{AccountTypeName(row.account_type)},
            Cell{row.account},
            Cell{row.counter_account},
            Cell{row.amount.value},
            Cell{Decimal{DecimalEuro(row.amount)}},
            Cell{row.balance_after.value},
            OptionalText(row.commitment),
            OptionalText(row.proposal),
            OptionalText(row.title),
            OptionalText(row.payee),
            OptionalText(row.description),
            row.refers_to ? Integer(row.refers_to->value) : Cell{},
            Cell{ledger::ToHex(row.leaf)}};
}

std::string CsvCell(const Cell& cell)
{
    if (const auto* text = std::get_if<std::string>(&cell)) return CsvText(*text);
    if (const auto* number = std::get_if<std::int64_t>(&cell)) return std::to_string(*number);
    if (const auto* decimal = std::get_if<Decimal>(&cell)) return decimal->text;
    return "";
}

std::string CsvOf(const std::vector<Movement>& movements)
{
    std::string csv{CSV_BOM};
    csv += CsvRecord({COLUMNS.begin(), COLUMNS.end()});
    std::vector<std::string> fields;
    for (const Movement& movement : movements) {
        fields.clear();
        for (const Cell& cell : CellsOf(movement)) {
            fields.push_back(CsvCell(cell));
        }
        csv += CsvRecord(fields);
    }
    return csv;
}

//! The row as an object: the CSV's columns, without those the CSV leaves empty.
boost::json::object JsonRow(const Movement& movement)
{
    boost::json::object row;
    const auto cells = CellsOf(movement);
    for (std::size_t column = 0; column < COLUMNS.size(); ++column) {
        const Cell& cell = cells[column];
        // An empty text (a description or reason may be empty) is a cell the CSV leaves empty.
        if (const auto* text = std::get_if<std::string>(&cell); text && !text->empty())
            row[COLUMNS[column]] = *text;
        if (const auto* number = std::get_if<std::int64_t>(&cell)) row[COLUMNS[column]] = *number;
        if (const auto* decimal = std::get_if<Decimal>(&cell)) row[COLUMNS[column]] = decimal->text;
    }
    return row;
}

//! The totals under budget-lines' names (committed_cents is what commitments hold).
boost::json::object TotalsJson(const services::LineTotals& totals)
{
    return {{"granted_cents", totals.granted.value},
            {"carried_in_cents", totals.carried_in.value},
            {"committed_cents", totals.held.value},
            {"spent_cents", totals.spent.value},
            {"closed_out_cents", totals.closed_out.value},
            {"available_cents", totals.available.value}};
}

void AddTotals(services::LineTotals& sum, const services::LineTotals& line)
{
    sum.granted.value += line.granted.value;
    sum.carried_in.value += line.carried_in.value;
    sum.held.value += line.held.value;
    sum.spent.value += line.spent.value;
    sum.closed_out.value += line.closed_out.value;
    sum.available.value += line.available.value;
}

//! A council's year, checked: what both exports answer from.
struct Export {
    services::CouncilView council;
    ledger::Year year;
    services::YearMovements movements;
};

/** 400 for a query other than `year`, 404 council_unknown, 400 for a missing year or one outside
 *  YEAR_MIN..YEAR_MAX, 404 year_unknown when the council has no budget line in that year (as
 *  closing that year answers: POST .../periods/{year}/close). */
boost::system::result<Export, Reply> ExportOf(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {"year"}); !only) return FailureReply(only.error());
    const auto id = SlugParameter(call, 0);
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    auto council = id ? call.ports.registry.Find(*id) : std::nullopt;
    if (!council) return UnknownReply("council_unknown", "council");
    const auto year = QueryNumber(call, "year", ledger::YEAR_MAX);
    if (!year) return FailureReply(year.error());
    if (!*year) return FailureReply({make_error_code(ledger::Errc::field_missing), "query year"});
    if (**year < static_cast<std::uint64_t>(ledger::YEAR_MIN)) {
        return FailureReply(
            {make_error_code(ledger::Errc::field_invalid), "query year (a year 2000..2200)"});
    }
    const ledger::Year budget_year{static_cast<std::int32_t>(**year)};
    auto movements = call.ports.open_data.Movements(*id, budget_year);
    if (movements.movements.empty()) {
        return ProblemReply(http::status::not_found, "year_unknown",
                            "the council has no budget line in year " +
                                std::to_string(budget_year.value));
    }
    return Export{std::move(*council), budget_year, std::move(movements)};
}

// ---- The Atom feed (RFC 4287). ----

//! U+FFFE or U+FFFF (EF BF BE, EF BF BF) at `position`: not characters in XML 1.0.
bool IsNonCharacterAt(std::string_view text, std::size_t position)
{
    return text.substr(position, 2) == "\xEF\xBF" && position + 2 < text.size() &&
           static_cast<unsigned char>(text[position + 2]) >= 0xBE;
}

constexpr std::string_view FEED_PATH{"/api/v1/feed.atom"};
//! Feed readers poll; a minute of caching takes their load without hiding news for long.
constexpr std::string_view FEED_CACHE{"public, max-age=60"};

//! The log's origin: the verifier key's name, before its first '+' (key names have none).
std::string OriginOf(const std::string& verifier_key)
{
    return verifier_key.substr(0, verifier_key.find('+'));
}

std::string Element(std::string_view name, std::string_view text)
{
    return "<" + std::string(name) + ">" + XmlEscape(text) + "</" + std::string(name) + ">";
}

std::string Euro(const std::optional<ledger::Cents>& amount)
{
    return amount ? ledger::FormatEuroDutch(*amount) : "";
}

//! The proposal's title, else its id.
std::string ProposalName(const services::FeedItem& item)
{
    if (item.title) return item.title->value;
    return item.proposal ? item.proposal->value : "";
}

std::string TextOf(const std::optional<ledger::Title>& title)
{
    return title ? title->value : "";
}

//! The entry's title and summary, in Dutch, the site's first language.
std::pair<std::string, std::string> Headline(const services::FeedItem& item)
{
    const std::string& council = item.council_name.value;
    const std::string payee = TextOf(item.payee);
    const std::string said = item.description && !item.description->value.empty()
                                 ? " " + item.description->value
                                 : std::string{};
    if (item.result) {
        const bool approved = *item.result == ledger::DecisionResult::approved;
        const std::string outcome = approved ? "aangenomen" : "verworpen";
        return {"Besluit: " + ProposalName(item) + " " + outcome,
                council + ": voorstel " + ProposalName(item) + " is " + outcome + " met " +
                    std::to_string(item.votes_for) + " stemmen voor, " +
                    std::to_string(item.votes_against) + " tegen en " +
                    std::to_string(item.abstentions) + " onthoudingen; het quorum is " +
                    (item.quorum_met ? "gehaald." : "niet gehaald.")};
    }
    if (item.entry_kind == ledger::SpendingReversed::KIND && item.refers_to) {
        return {"Uitgave teruggedraaid: " + Euro(item.amount) + " aan " + payee,
                council + " draaide de uitgave van ledger-entry " +
                    std::to_string(item.refers_to->value) + " terug (" + Euro(item.amount) +
                    " aan " + payee + ")." + said};
    }
    return {"Uitgave: " + Euro(item.amount) + " aan " + payee,
            council + " betaalde " + Euro(item.amount) + " aan " + payee + " voor voorstel " +
                ProposalName(item) + "." + said};
}

std::string AtomEntry(const services::FeedItem& item, const std::string& origin)
{
    const std::string index = std::to_string(item.index.value);
    const auto [title, summary] = Headline(item);
    std::string xml = "<entry>";
    xml += Element("id", "urn:wijkbudget:entry:" + UrnPart(origin) + ":" + index);
    xml += Element("title", title);
    xml += Element("updated", ledger::FormatTimestamp(item.recorded_at));
    xml += "<author>" + Element("name", item.council_name.value) + "</author>";
    xml += R"(<category term=")" + XmlEscape(item.entry_kind) + R"("/>)";
    xml += R"(<link rel="alternate" type="text/html" href="/ledger/)" + index + R"("/>)";
    xml += Element("summary", summary);
    xml += "</entry>\n";
    return xml;
}

} // namespace

std::string CsvText(std::string_view text)
{
    constexpr std::string_view FORMULA_STARTS{"=+-@\t\r"};
    std::string field;
    if (!text.empty() && FORMULA_STARTS.find(text.front()) != std::string_view::npos) field += '\'';
    field += text;
    // A comma too: LibreOffice's import dialog remembers the separators last used, and one that
    // split on commas would cut an unquoted "Café 't Hoekje, Haarlem" in two.
    if (field.find_first_of(";,\"\r\n") == std::string::npos) return field;
    std::string quoted{"\""};
    for (const char c : field) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string CsvRecord(const std::vector<std::string>& fields)
{
    std::string record;
    for (std::size_t position = 0; position < fields.size(); ++position) {
        if (position > 0) record += CSV_SEPARATOR;
        record += fields[position];
    }
    record += CSV_RECORD_END;
    return record;
}

std::string DecimalEuro(ledger::Cents amount)
{
    const bool negative = amount.value < 0;
    // CENTS_MAX is far from INT64_MIN, but a caller may pass anything: work in unsigned.
    const auto magnitude = negative ? 0ULL - static_cast<unsigned long long>(amount.value)
                                    : static_cast<unsigned long long>(amount.value);
    const auto cents = magnitude % 100;
    return std::string(negative ? "-" : "") + std::to_string(magnitude / 100) +
           (cents < 10 ? ".0" : ".") + std::to_string(cents);
}

std::string XmlEscape(std::string_view text)
{
    constexpr std::string_view REPLACEMENT{"\xEF\xBF\xBD"}; // U+FFFD
    std::string escaped;
    escaped.reserve(text.size());
    for (std::size_t position = 0; position < text.size(); ++position) {
        const char c = text[position];
        switch (c) {
        case '&': escaped += "&amp;"; continue;
        case '<': escaped += "&lt;"; continue;
        case '>': escaped += "&gt;"; continue;
        case '"': escaped += "&quot;"; continue;
        case '\'': escaped += "&apos;"; continue;
        case '\t':
        case '\n':
        case '\r': escaped += c; continue;
        default: break;
        }
        if (static_cast<unsigned char>(c) < 0x20) {
            escaped += REPLACEMENT;
        } else if (IsNonCharacterAt(text, position)) {
            escaped += REPLACEMENT;
            position += 2;
        } else {
            escaped += c;
        }
    }
    return escaped;
}

std::string UrnPart(std::string_view text)
{
    constexpr std::string_view HEX{"0123456789ABCDEF"};
    std::string part;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') ||
                          std::string_view{"-._~/"}.find(c) != std::string_view::npos;
        if (kept) {
            part += c;
            continue;
        }
        part += '%';
        part += HEX[byte >> 4U];
        part += HEX[byte & 0x0FU];
    }
    return part;
}

Reply HandleExportCsv(RouteCall& call)
{
    auto found = ExportOf(call);
    if (!found) return std::move(found).error();
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "text/csv; charset=utf-8");
    // Slugs are [a-z0-9-]: the file name needs no quoting beyond the quotes.
    reply.response.set(http::field::content_disposition,
                       R"(attachment; filename=")" + found->council.id.value + "-" +
                           std::to_string(found->year.value) + R"(.csv")");
    reply.response.set(http::field::cache_control, "no-store");
    reply.response.body() = CsvOf(found->movements.movements);
    reply.response.prepare_payload();
    return reply;
}

Reply HandleExportJson(RouteCall& call)
{
    auto found = ExportOf(call);
    if (!found) return std::move(found).error();
    const auto& movements = found->movements.movements;
    boost::json::array rows;
    for (const Movement& movement : movements) {
        rows.push_back(JsonRow(movement));
    }
    boost::json::array by_category;
    services::LineTotals all;
    for (const auto& [category, totals] : services::TotalsOf(movements)) {
        boost::json::object line = TotalsJson(totals);
        line["category"] = std::string(ledger::SpellingOf(category));
        by_category.push_back(std::move(line));
        AddTotals(all, totals);
    }
    boost::json::object body;
    body["council"] = {{"id", found->council.id.value}, {"name", found->council.name.value}};
    body["year"] = found->year.value;
    body["ledger_size"] = found->movements.ledger_size;
    body["movements"] = std::move(rows);
    body["totals"] = std::move(by_category);
    body["total"] = TotalsJson(all);
    return JsonReply(http::status::ok, boost::json::serialize(body));
}

Reply HandleFeed(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    if (auto behind = SyncProjections(call)) return std::move(*behind);
    const auto items = call.ports.open_data.Feed();
    const std::string origin = OriginOf(call.ports.verifier_key);
    const ledger::Timestamp updated =
        items.empty() ? call.ports.open_data.LastRecordedAt() : items.front().recorded_at;
    std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      R"(<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">)"
                      "\n";
    xml += Element("id", "urn:wijkbudget:feed:" + UrnPart(origin));
    xml += Element("title", "Besluiten en uitgaven van de wijkraden (" + origin + ")");
    xml += Element("updated", ledger::FormatTimestamp(updated));
    xml += "<author>" + Element("name", origin) + "</author>";
    xml += R"(<link rel="self" type="application/atom+xml" href=")" + std::string(FEED_PATH) +
           R"("/>)";
    xml += R"(<link rel="alternate" type="text/html" href="/"/>)"
           "\n";
    for (const auto& item : items) {
        xml += AtomEntry(item, origin);
    }
    xml += "</feed>\n";
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "application/atom+xml; charset=utf-8");
    reply.response.set(http::field::cache_control, FEED_CACHE);
    reply.response.body() = std::move(xml);
    reply.response.prepare_payload();
    return reply;
}

} // namespace wijkbudget::api
