// tests/integration/api/open_data_test.cpp: open data (issue 5) over HTTPS against the real
// database: a council's movements of a budget year as CSV (read back with an RFC 4180 parser of
// our own) and JSON add up to its budget-lines figures, through grants, decisions, commitments,
// spending, a reversal, releases and a year end; the exports' errors; the demo's councils; and the
// Atom feed is well-formed XML with the elements RFC 4287 requires.

#include "tests/integration/api/council_under_test.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

namespace wijkbudget::test {
namespace {

constexpr std::int64_t GRANT{1'000'000};
constexpr std::int64_t COSIGN_ABOVE{900'000};
constexpr std::int64_t CONFIRM_ABOVE{500'000};

//! The columns docs/open-data.md documents, in order.
constexpr std::array COLUMNS{
    "ledger_index", "recorded_at",         "entry_kind",      "movement",        "budget_year",
    "category",     "account_type",        "account",         "counter_account", "amount_cents",
    "amount_eur",   "balance_after_cents", "commitment",      "proposal",        "title",
    "payee",        "description",         "refers_to_index", "leaf_hash"};
constexpr std::string_view BOM{"\xEF\xBB\xBF"};

using Record = std::vector<std::string>;
using Row = std::map<std::string, std::string>; //!< A record by column name.

/** The records of RFC 4180 text with ';' between fields and CRLF after every record, the last
 *  included; the test fails on anything else (a bare LF, a stray quote, no final CRLF). */
std::vector<Record> ParseCsv(std::string_view text)
{
    std::vector<Record> records;
    Record record;
    std::size_t position = 0;
    while (position < text.size()) {
        std::string field;
        if (text[position] == '"') {
            for (++position;; ++position) {
                if (position >= text.size()) {
                    ADD_FAILURE() << "a quoted field does not end";
                    return records;
                }
                if (text[position] != '"') {
                    field += text[position];
                } else if (position + 1 < text.size() && text[position + 1] == '"') {
                    field += '"';
                    ++position;
                } else {
                    ++position;
                    break;
                }
            }
        } else {
            while (position < text.size() &&
                   std::string_view{";\r\n\""}.find(text[position]) == std::string_view::npos)
                field += text[position++];
        }
        record.push_back(std::move(field));
        if (position < text.size() && text[position] == ';') {
            ++position;
            continue;
        }
        if (text.substr(position, 2) != "\r\n") {
            ADD_FAILURE() << "expected ';' or CRLF at byte " << position << " in record "
                          << records.size();
            return records;
        }
        position += 2;
        records.push_back(std::move(record));
        record.clear();
    }
    EXPECT_TRUE(record.empty()) << "the last record does not end with CRLF";
    return records;
}

//! A line's figures under budget-lines' names.
struct Totals {
    std::int64_t granted{0};
    std::int64_t carried_in{0};
    std::int64_t committed{0};
    std::int64_t spent{0};
    std::int64_t closed_out{0};
    std::int64_t available{0};
    friend bool operator==(const Totals&, const Totals&) = default;
    friend std::ostream& operator<<(std::ostream& out, const Totals& totals)
    {
        return out << "{granted " << totals.granted << ", carried_in " << totals.carried_in
                   << ", committed " << totals.committed << ", spent " << totals.spent
                   << ", closed_out " << totals.closed_out << ", available " << totals.available
                   << "}";
    }
};
using TotalsByCategory = std::map<std::string, Totals>;

//! The recipe of docs/open-data.md, applied to the CSV's rows.
TotalsByCategory TotalsOfRows(const std::vector<Row>& rows)
{
    TotalsByCategory totals;
    for (const Row& row : rows) {
        Totals& line = totals[row.at("category")];
        const std::int64_t amount = std::stoll(row.at("amount_cents"));
        const std::string& movement = row.at("movement");
        if (movement == "grant") line.granted += amount;
        if (movement == "carried_in") line.carried_in += amount;
        if (movement == "closed_out") line.closed_out -= amount;
        const std::string& type = row.at("account_type");
        if (type == "line") line.available += amount;
        if (type == "commitment") line.committed += amount;
        if (type == "spent") line.spent += amount;
    }
    return totals;
}

Totals TotalsOfJson(const boost::json::object& object)
{
    return {Int(object, "granted_cents"),    Int(object, "carried_in_cents"),
            Int(object, "committed_cents"),  Int(object, "spent_cents"),
            Int(object, "closed_out_cents"), Int(object, "available_cents")};
}

//! budget-lines' figures of `year` by category (as of ledger size `at`).
TotalsByCategory LinesOf(const CouncilUnderTest& council, int year, std::uint64_t at)
{
    TotalsByCategory lines;
    const auto body = council.Get("/budget-lines?at=" + std::to_string(at));
    for (const auto& line : body.at("lines").as_array()) {
        const auto& object = line.as_object();
        if (Int(object, "year") == year) lines[Text(object, "category")] = TotalsOfJson(object);
    }
    return lines;
}

//! "-1250" -> "-12.50".
std::string Decimal(const std::string& cents)
{
    const std::int64_t value = std::stoll(cents);
    const std::int64_t magnitude = value < 0 ? -value : value;
    const std::string fraction = std::to_string(magnitude % 100);
    return (value < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." +
           (fraction.size() == 1 ? "0" : "") + fraction;
}

//! What the CSV holds for a JSON member: text that could start a formula gets an apostrophe,
//! but amount_eur is a number ("-12.50"), written as it is.
std::string CsvValueOf(std::string_view column, const boost::json::value* value)
{
    if (value == nullptr) return "";
    if (!value->is_string()) return boost::json::serialize(*value);
    const std::string text{value->as_string()};
    // docs/open-data.md: a member the CSV leaves empty is left out, never an empty string.
    EXPECT_FALSE(text.empty()) << column;
    if (column == "amount_eur") return text;
    const bool formula =
        !text.empty() && std::string_view{"=+-@\t\r"}.find(text.front()) != std::string_view::npos;
    return formula ? "'" + text : text;
}

/**
 * The council's export of `year` as CSV and JSON: the CSV's form, its rows equal to the JSON's,
 * both exports' totals equal to budget-lines of the same ledger size. Returns the CSV's rows.
 */
std::vector<Row> ExpectExportsMatchTheLines(ServiceUnderTest& service,
                                            const CouncilUnderTest& council, int year)
{
    const std::string query = "?year=" + std::to_string(year);
    const auto csv = service.Send("GET", council.Path("/export.csv" + query));
    EXPECT_EQ(csv.status, 200U) << csv.body;
    EXPECT_EQ(csv.Header("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(csv.Header("Content-Disposition"),
              "attachment; filename=\"" + council.Id() + "-" + std::to_string(year) + ".csv\"");
    EXPECT_TRUE(csv.body.starts_with(BOM)) << "no byte order mark";
    const auto json_response = service.Send("GET", council.Path("/export.json" + query));
    EXPECT_EQ(json_response.status, 200U) << json_response.body;
    const auto json = Parsed(json_response);
    if (!csv.body.starts_with(BOM) || json.empty()) return {};

    const auto records = ParseCsv(std::string_view{csv.body}.substr(BOM.size()));
    if (records.empty()) {
        ADD_FAILURE() << "no header record";
        return {};
    }
    EXPECT_EQ(records[0], Record(COLUMNS.begin(), COLUMNS.end()));
    std::vector<Row> rows;
    for (std::size_t position = 1; position < records.size(); ++position) {
        EXPECT_EQ(records[position].size(), COLUMNS.size()) << "record " << position;
        Row row;
        for (std::size_t column = 0; column < COLUMNS.size(); ++column)
            row[COLUMNS[column]] =
                column < records[position].size() ? records[position][column] : "";
        EXPECT_EQ(row["amount_eur"], Decimal(row["amount_cents"])) << "record " << position;
        EXPECT_EQ(row["budget_year"], std::to_string(year)) << "record " << position;
        rows.push_back(std::move(row));
    }

    // The JSON: the same rows, the council, the year and the totals.
    EXPECT_EQ(Text(json.at("council").as_object(), "id"), council.Id());
    EXPECT_EQ(Int(json, "year"), year);
    const auto& movements = json.at("movements").as_array();
    EXPECT_EQ(movements.size(), rows.size());
    for (std::size_t position = 0; position < std::min(movements.size(), rows.size()); ++position) {
        for (const std::string_view column : COLUMNS) {
            EXPECT_EQ(CsvValueOf(column, movements[position].as_object().if_contains(column)),
                      rows[position][std::string(column)])
                << "row " << position << ", " << column;
        }
    }
    const auto at = static_cast<std::uint64_t>(Int(json, "ledger_size"));
    EXPECT_EQ(at, service.LedgerSize()) << "the test writes nothing meanwhile";
    const TotalsByCategory lines = LinesOf(council, year, at);
    EXPECT_FALSE(lines.empty());
    EXPECT_EQ(TotalsOfRows(rows), lines) << council.Id() << " " << year << " (CSV)";
    TotalsByCategory json_totals;
    Totals all;
    for (const auto& line : json.at("totals").as_array()) {
        const Totals totals = TotalsOfJson(line.as_object());
        json_totals[Text(line.as_object(), "category")] = totals;
        all = {all.granted + totals.granted,       all.carried_in + totals.carried_in,
               all.committed + totals.committed,   all.spent + totals.spent,
               all.closed_out + totals.closed_out, all.available + totals.available};
    }
    EXPECT_EQ(json_totals, lines) << council.Id() << " " << year << " (JSON)";
    EXPECT_EQ(TotalsOfJson(json.at("total").as_object()), all);
    return rows;
}

//! The row of the entry at `index` on an account of type `type`; fails the test when absent.
Row RowOf(const std::vector<Row>& rows, std::uint64_t index, const std::string& type)
{
    for (const Row& row : rows) {
        if (row.at("ledger_index") == std::to_string(index) && row.at("account_type") == type)
            return row;
    }
    ADD_FAILURE() << "no " << type << " row of entry " << index;
    return {};
}

class OpenDataApiTest : public CouncilTest
{
protected:
    void SetUp() override
    {
        CouncilTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        ASSERT_NO_FATAL_FAILURE(StartCouncil(GRANT));
        // A quorum of 1%: one vote carries or sinks a proposal.
        ASSERT_NO_FATAL_FAILURE(
            m_council->SetBylaws(1, "simple", "rejected", COSIGN_ABOVE, CONFIRM_ABOVE));
    }

    //! A proposal with this title on `category` of DECISION_YEAR, decided by m-anna's `choice`
    //! (the others abstain).
    void Decide(const std::string& proposal, const std::string& title, std::int64_t cents,
                const std::string& category, const std::string& choice = "for")
    {
        CouncilUnderTest& council = *m_council;
        const auto submitted = council.Post(
            "m-anna", "/proposals",
            boost::json::serialize(boost::json::object{{"id", proposal},
                                                       {"title", title},
                                                       {"description", "Waarom."},
                                                       {"amount_cents", cents},
                                                       {"year", DECISION_YEAR},
                                                       {"category", category},
                                                       {"attachments", boost::json::array{}}}));
        ASSERT_EQ(submitted.status, 201U) << submitted.body;
        const auto opened =
            council.Post("m-anna", "/votes",
                         R"({"id":"v-)" + proposal + R"(","proposal":")" + proposal +
                             R"(","closes_at":")" + TimestampFromNow(86'400) + R"("})");
        ASSERT_EQ(opened.status, 201U) << opened.body;
        Cast("m-anna", "v-" + proposal, choice);
        ASSERT_NO_FATAL_FAILURE(council.CloseOnceAllVoted("m-anna", "v-" + proposal));
    }

    //! The treasurer's spending on `commitment`: its ledger index.
    std::uint64_t Spend(const std::string& commitment, const std::string& id, std::int64_t cents,
                        const std::string& payee, const std::string& description)
    {
        const auto spent = m_council->Post(
            "m-cees", "/commitments/" + commitment + "/spendings",
            boost::json::serialize(boost::json::object{{"id", id},
                                                       {"amount_cents", cents},
                                                       {"paid_on", "2025-03-01"},
                                                       {"payee", payee},
                                                       {"invoice_sha256", std::string(64, 'a')},
                                                       {"description", description}}));
        EXPECT_EQ(spent.status, 201U) << spent.body;
        return JsonNumber(spent.body, "index").value_or(0);
    }

    void Release(const std::string& commitment, const std::string& who = "m-cees")
    {
        const auto released = m_council->Post(who, "/commitments/" + commitment + "/release",
                                              R"({"reason":"Klaar"})");
        ASSERT_EQ(released.status, 201U) << released.body;
    }
};

TEST_F(OpenDataApiTest, ExportsAddUpToTheBudgetLinesThroughTheYear)
{
    CouncilUnderTest& council = *m_council;
    ASSERT_EQ(
        council.Post("municipality", "/grants", GrantBody(200'000, DECISION_YEAR, "social")).status,
        201U);
    ASSERT_EQ(council.Post("municipality", "/grants", GrantBody(300'000, DECISION_YEAR + 1)).status,
              201U);
    // A title a spreadsheet would run as a formula, holding the separator and quotes.
    const std::string title = R"(=SUM(A1); "bankjes")";
    ASSERT_NO_FATAL_FAILURE(Decide("p-bankjes", title, 300'000, "public_space"));
    const std::string evil_payee = R"(=HYPERLINK("http://example.org","klik"))";
    const std::string description = "Eerste termijn;\nfactuur 12";
    const std::uint64_t wrong = Spend("p-bankjes", "s-1", 80'000, evil_payee, description);
    Spend("p-bankjes", "s-2", 50'000, "Hovenier & Zn <b>", ""); // A description may be empty.
    const auto reversed =
        council.Post("m-cees", "/spendings/" + std::to_string(wrong) + "/reversal",
                     R"({"reason":"Dubbel geboekt"})");
    ASSERT_EQ(reversed.status, 201U) << reversed.body;
    const std::uint64_t reversal = JsonNumber(reversed.body, "index").value_or(0);
    ASSERT_NO_FATAL_FAILURE(Release("p-bankjes"));
    ASSERT_NO_FATAL_FAILURE(Decide("p-nee", "Niet doen", 1'000, "public_space", "against"));
    ASSERT_NO_FATAL_FAILURE(Decide("p-buurthuis", "Buurthuis", 150'000, "social"));
    // The year ends with p-buurthuis open: it carries over, is spent on and released after.
    const auto closed =
        council.Post("municipality", "/periods/" + std::to_string(DECISION_YEAR) + "/close");
    ASSERT_EQ(closed.status, 201U) << closed.body;
    Spend("p-buurthuis", "s-3", 20'000, "Aannemer", "Na de jaarafsluiting");
    ASSERT_NO_FATAL_FAILURE(Release("p-buurthuis", "municipality"));

    const auto rows = ExpectExportsMatchTheLines(*m_service, council, DECISION_YEAR);
    ASSERT_FALSE(rows.empty());
    std::set<std::string> movements;
    for (const Row& row : rows)
        movements.insert(row.at("movement"));
    EXPECT_EQ(movements, (std::set<std::string>{"grant", "commitment", "spending", "reversal",
                                                "release", "closed_out"}));
    // Text that could start a formula begins with an apostrophe; separators and line breaks
    // survive the quoting.
    const Row spent = RowOf(rows, wrong, "spent");
    EXPECT_EQ(spent.at("payee"), "'" + evil_payee);
    EXPECT_EQ(spent.at("title"), "'" + title);
    EXPECT_EQ(spent.at("description"), description);
    EXPECT_EQ(spent.at("amount_cents"), "80000");
    EXPECT_EQ(spent.at("commitment"), "p-bankjes");
    EXPECT_EQ(spent.at("proposal"), "p-bankjes");
    EXPECT_EQ(spent.at("entry_kind"), "spending.recorded");
    EXPECT_EQ(spent.at("counter_account"), "commitment:burgwal:p-bankjes");
    const Row undone = RowOf(rows, reversal, "spent");
    EXPECT_EQ(undone.at("amount_cents"), "-80000");
    EXPECT_EQ(undone.at("amount_eur"), "-800.00");
    EXPECT_EQ(undone.at("refers_to_index"), std::to_string(wrong));
    EXPECT_EQ(undone.at("payee"), "'" + evil_payee);
    EXPECT_EQ(undone.at("movement"), "reversal");
    // The leaf hash is the entry's.
    const auto entry = m_service->Send("GET", "/api/v1/ledger/entries/" + std::to_string(reversal));
    ASSERT_EQ(entry.status, 200U) << entry.body;
    EXPECT_EQ(undone.at("leaf_hash"), JsonString(entry.body, "leaf_hash"));

    // The next year holds only its own grant.
    const auto next = ExpectExportsMatchTheLines(*m_service, council, DECISION_YEAR + 1);
    ASSERT_EQ(next.size(), 1U);
    EXPECT_EQ(next[0].at("movement"), "grant");
    EXPECT_EQ(next[0].at("counter_account"), "pool");
}

TEST_F(OpenDataApiTest, ExportsRefuseWhatTheyCannotAnswer)
{
    const auto expect = [this](const std::string& council, const std::string& query,
                               unsigned status, const std::string& code) {
        for (const std::string format : {"csv", "json"}) {
            const std::string target = "/api/v1/councils/" + council + "/export." + format + query;
            const auto response = m_service->Send("GET", target);
            EXPECT_EQ(response.status, status) << target << ": " << response.body;
            EXPECT_EQ(ProblemCode(response), code) << target;
            EXPECT_EQ(response.Header("Content-Type"), "application/problem+json") << target;
        }
    };
    expect("nergens", "?year=2027", 404U, "council_unknown");
    expect("Niet-Een-Slug", "?year=2027", 404U, "council_unknown");
    expect("burgwal", "", 400U, "field_missing");
    expect("burgwal", "?year=twee", 400U, "field_invalid");
    expect("burgwal", "?year=1999", 400U, "field_invalid");
    expect("burgwal", "?year=2201", 400U, "field_invalid");
    expect("burgwal", "?year=02027", 400U, "field_invalid");
    expect("burgwal", "?year=2027&format=xls", 400U, "field_unknown");
    expect("burgwal", "?year=2027&year=2028", 400U, "query_invalid");
    // A year the council has no budget line in, as closing that year would answer.
    expect("burgwal", "?year=2030", 404U, "year_unknown");
    const auto feed = m_service->Send("GET", "/api/v1/feed.atom?page=2");
    EXPECT_EQ(feed.status, 400U) << feed.body;
    EXPECT_EQ(ProblemCode(feed), "field_unknown");
}

TEST_F(OpenDataApiTest, TheFeedIsAtomWithTheNewestDecisionsAndSpendingFirst)
{
    namespace pt = boost::property_tree;
    ASSERT_NO_FATAL_FAILURE(Decide("p-bankjes", "Bankjes & <tafels>", 300'000, "public_space"));
    const std::uint64_t spent = Spend("p-bankjes", "s-1", 12'345, "Hovenier & Zn <b>", "x");
    const auto reversed =
        m_council->Post("m-cees", "/spendings/" + std::to_string(spent) + "/reversal",
                        R"({"reason":"Fout \"bedrag\""})");
    ASSERT_EQ(reversed.status, 201U) << reversed.body;
    ASSERT_NO_FATAL_FAILURE(Decide("p-nee", "Niet doen", 1'000, "public_space", "against"));

    const auto response = m_service->Send("GET", "/api/v1/feed.atom");
    ASSERT_EQ(response.status, 200U) << response.body;
    EXPECT_EQ(response.Header("Content-Type"), "application/atom+xml; charset=utf-8");
    // Boost's XML reader lets a bare '&' through: every one must start an entity reference.
    for (auto amp = response.body.find('&'); amp != std::string::npos;
         amp = response.body.find('&', amp + 1)) {
        const std::string_view rest = std::string_view{response.body}.substr(amp);
        EXPECT_TRUE(rest.starts_with("&amp;") || rest.starts_with("&lt;") ||
                    rest.starts_with("&gt;") || rest.starts_with("&quot;") ||
                    rest.starts_with("&apos;"))
            << "an unescaped '&' at byte " << amp;
    }
    pt::ptree document;
    try {
        std::istringstream in{response.body};
        pt::read_xml(in, document);
    } catch (const pt::xml_parser_error& error) {
        FAIL() << "not well-formed XML: " << error.what() << "\n" << response.body;
    }
    const auto root = document.get_child_optional("feed");
    ASSERT_TRUE(root.has_value()) << response.body;
    const pt::ptree& feed = *root;
    EXPECT_EQ(feed.get("<xmlattr>.xmlns", ""), "http://www.w3.org/2005/Atom");
    EXPECT_TRUE(feed.get("id", "").starts_with("urn:wijkbudget:feed:")) << feed.get("id", "");
    EXPECT_FALSE(feed.get("title", "").empty());
    EXPECT_FALSE(feed.get("author.name", "").empty());
    bool self = false;
    for (const auto& [name, link] : feed) {
        if (name == "link" && link.get("<xmlattr>.rel", "") == "self")
            self = link.get("<xmlattr>.href", "") == "/api/v1/feed.atom";
    }
    EXPECT_TRUE(self) << "no self link to /api/v1/feed.atom";

    std::vector<std::uint64_t> indices;
    std::set<std::string> ids;
    std::vector<std::string> titles;
    std::vector<std::string> updated;
    std::string summaries;
    for (const auto& [name, entry] : feed) {
        if (name != "entry") continue;
        const std::string href = entry.get("link.<xmlattr>.href", "");
        ASSERT_TRUE(href.starts_with("/ledger/")) << href;
        const std::uint64_t index = std::stoull(href.substr(std::string_view{"/ledger/"}.size()));
        indices.push_back(index);
        const std::string id = entry.get("id", "");
        EXPECT_TRUE(id.starts_with("urn:wijkbudget:entry:") &&
                    id.ends_with(":" + std::to_string(index)))
            << id;
        EXPECT_TRUE(ids.insert(id).second) << "repeated id " << id;
        EXPECT_FALSE(entry.get("title", "").empty());
        EXPECT_FALSE(entry.get("summary", "").empty());
        EXPECT_EQ(entry.get("updated", "").size(),
                  std::string_view{"2027-01-15T10:00:00.000Z"}.size());
        titles.push_back(entry.get("title", ""));
        updated.push_back(entry.get("updated", ""));
        summaries += entry.get("summary", "") + "\n";
    }
    // Two decisions, a spending and its reversal: newest first.
    ASSERT_EQ(indices.size(), 4U) << response.body;
    EXPECT_TRUE(std::is_sorted(indices.rbegin(), indices.rend()));
    EXPECT_EQ(indices[1], JsonNumber(reversed.body, "index"));
    EXPECT_EQ(indices[2], spent);
    EXPECT_EQ(feed.get("updated", ""), updated[0]) << "not the newest entry's time";
    EXPECT_NE(titles[3].find("Bankjes & <tafels>"), std::string::npos) << titles[3];
    EXPECT_NE(titles[0].find("verworpen"), std::string::npos) << titles[0];
    EXPECT_NE(summaries.find("Hovenier & Zn <b>"), std::string::npos) << summaries;
    EXPECT_NE(summaries.find("Fout \"bedrag\""), std::string::npos) << summaries;
}

using OpenDataDemoTest = ApiIntegrationTest;

TEST_F(OpenDataDemoTest, TheDemoCouncilsExportWhatTheirLinesSay)
{
    // The demo is loaded before the server starts, as DemoTest does.
    ASSERT_NO_FATAL_FAILURE(m_service->LoadDemo());
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    for (const std::string id : {"scheepmakersdijk", "leidsebuurt"}) {
        const CouncilUnderTest council{*m_service, id};
        std::set<int> years;
        const auto lines = council.Get("/budget-lines"); // Outlives the loop over its members.
        for (const auto& line : lines.at("lines").as_array())
            years.insert(static_cast<int>(Int(line.as_object(), "year")));
        ASSERT_FALSE(years.empty()) << id;
        for (const int year : years) {
            SCOPED_TRACE(id + " " + std::to_string(year));
            const auto rows = ExpectExportsMatchTheLines(*m_service, council, year);
            EXPECT_FALSE(rows.empty());
        }
    }
}

} // namespace
} // namespace wijkbudget::test
