// tests/integration/api/round_scenario_test.cpp: issue 6 end to end over HTTPS: a district's
// round and a council's round are opened, get their voting codes, take ballots (and refuse every
// kind of wrong one, writing nothing), close and record their outcome; a result binds exactly at
// the minimum turnout and is advisory below it; the money follows; and both the ledger and the
// rounds' .pb exports are checked offline.

#include "services/voting_codes.hpp"
#include "tests/integration/api/round_under_test.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <thread>

namespace wijkbudget::test {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t GRANT{10'000'000};
constexpr std::int64_t DISTRICT_BUDGET{60'000};
constexpr std::int64_t COUNCIL_BUDGET{50'000};
const std::vector<ProjectCost> DISTRICT_PROJECTS{{"speeltuin", 40'000},
                                                 {"bankjes", 15'000},
                                                 {"bomen", 25'000},
                                                 {"kunst", 30'000},
                                                 {"moestuin", 10'000}};
const std::vector<ProjectCost> COUNCIL_PROJECTS{
    {"bankjes", 20'000}, {"bomen", 15'000}, {"speeltuin", 30'000}, {"kunst", 10'000}};

//! The same code as a resident might type it: lower case, without hyphens.
std::string Retyped(std::string code)
{
    code.erase(std::remove(code.begin(), code.end(), '-'), code.end());
    std::transform(code.begin(), code.end(), code.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return code;
}

std::map<std::string, boost::json::object> ById(const boost::json::value& array,
                                                std::string_view member)
{
    std::map<std::string, boost::json::object> found;
    if (!array.is_array()) return found;
    for (const auto& item : array.as_array())
        found[Text(item.as_object(), member)] = item.as_object();
    return found;
}

class RoundScenarioTest : public RoundTest
{
protected:
    //! Sends a request that must be refused with `status` and `code`, writing nothing.
    void ExpectRefused(const std::function<HttpsResponse()>& send, unsigned status,
                       std::string_view code, std::string_view what)
    {
        const std::uint64_t before = m_service->LedgerSize();
        const auto response = send();
        EXPECT_EQ(response.status, status) << what << ": " << response.body;
        EXPECT_EQ(ProblemCode(response), code) << what << ": " << response.body;
        EXPECT_EQ(m_service->LedgerSize(), before) << what << " wrote to the ledger";
    }
    void ExpectBallotRefused(const std::string& round, const std::string& body, unsigned status,
                             std::string_view code, std::string_view what)
    {
        ExpectRefused([&] { return Ballot(round, body); }, status, code, what);
    }
    //! The commitments of the council, by id.
    std::map<std::string, boost::json::object> Commitments() const
    {
        return ById(m_council->Get("/commitments").at("commitments"), "id");
    }
};

TEST_F(RoundScenarioTest, DistrictRoundBindsAtExactlyTheMinimumTurnout)
{
    ASSERT_NO_FATAL_FAILURE(StartWithClock(GRANT));
    CouncilUnderTest& council = *m_council;
    const std::string round = "r-centrum";
    const std::string opening = OpeningBody(round, R"("district":"centrum")", DISTRICT_BUDGET,
                                            ServerTimestamp(1h), ServerTimestamp(2h),
                                            R"("ballot_type":"approval","max_projects":3,)"
                                            R"("max_cost_cents":70000)",
                                            "equal_shares", 50, DISTRICT_PROJECTS);
    const auto opened = council.Post("municipality", "/rounds", opening);
    ASSERT_EQ(opened.status, 201U) << opened.body;
    EXPECT_TRUE(JsonNumber(opened.body, "index").has_value());
    EXPECT_EQ(JsonString(opened.body, "leaf_hash").size(), 64U);
    EXPECT_NE(JsonString(opened.body, "receipt").find("tlog-proof"), std::string::npos);
    ExpectRefused([&] { return council.Post("municipality", "/rounds", opening); }, 409,
                  "round_exists", "the same round again");
    EXPECT_EQ(Int(council.Line(), "available_cents"), GRANT - DISTRICT_BUDGET);

    auto before = Round(round);
    EXPECT_EQ(Text(before, "state"), "upcoming");
    EXPECT_EQ(Text(before, "tie_seed").size(), 64U);
    EXPECT_EQ(before.at("tie_order").as_array().size(), DISTRICT_PROJECTS.size());
    EXPECT_EQ(before.if_contains("outcome"), nullptr);
    EXPECT_EQ(Ids(Parsed(m_service->Send("GET", "/api/v1/rounds")).at("rounds"), "id"),
              std::vector<std::string>{round});
    EXPECT_EQ(Ids(council.Get("/rounds").at("rounds"), "id"), std::vector<std::string>{round});
    ExpectRefused([&] { return m_service->Send("GET", "/api/v1/rounds/" + round + "/export.pb"); },
                  409, "round_still_open", "the export before the close");

    // Four letters: two ballots are exactly the 50% the round needs to bind.
    const auto codes = IssueCodes(round, 4);
    ASSERT_EQ(codes.size(), 4U);
    EXPECT_EQ(Int(Round(round), "codes_issued"), 4);
    ExpectBallotRefused(round, BallotBody(codes[0], {{"bomen", 1}}), 409, "round_not_open",
                        "a ballot before the opening");

    Advance(1h + 1min);
    EXPECT_EQ(Text(Round(round), "state"), "voting");
    const std::vector<std::tuple<std::string, std::string, unsigned, std::string_view>> wrong{
        {"a malformed code", BallotBody("abc", {{"bomen", 1}}), 422, "code_invalid"},
        {"a code never issued", BallotBody(StrangerCode(), {{"bomen", 1}}), 403, "code_unknown"},
        {"an unknown project", BallotBody(codes[0], {{"nergens", 1}}), 422, "ballot_invalid"},
        {"a project twice", BallotBody(codes[0], {{"bomen", 1}, {"bomen", 1}}), 422,
         "ballot_invalid"},
        {"too few projects", BallotBody(codes[0], {}), 422, "ballot_invalid"},
        {"too many projects",
         BallotBody(codes[0], {{"bomen", 1}, {"kunst", 1}, {"bankjes", 1}, {"moestuin", 1}}), 422,
         "ballot_invalid"},
        {"over the maximum cost",
         BallotBody(codes[0], {{"speeltuin", 1}, {"kunst", 1}, {"bankjes", 1}}), 422,
         "ballot_invalid"},
        {"two points on an approval ballot", BallotBody(codes[0], {{"bomen", 2}}), 422,
         "ballot_invalid"},
        {"zero points", BallotBody(codes[0], {{"bomen", 0}}), 422, "ballot_invalid"},
    };
    for (const auto& [what, body, status, code] : wrong)
        ExpectBallotRefused(round, body, status, code, what);
    ExpectRefused(
        [&] {
            return m_service->Send("POST", "/api/v1/rounds/r-nergens/ballots",
                                   BallotBody(codes[0], {{"bomen", 1}}),
                                   {{"Idempotency-Key", "k-" + RandomHex(8)}});
        },
        404, "round_unknown", "an unknown round");
    ExpectRefused(
        [&] {
            return m_service->Send("POST", "/api/v1/rounds/" + round + "/ballots",
                                   BallotBody(codes[0], {{"bomen", 1}}));
        },
        400, "idempotency_key_missing", "a ballot without a key");

    const std::string first = BallotBody(codes[0], {{"speeltuin", 1}, {"bomen", 1}});
    const auto cast = Ballot(round, first, "k-first");
    ASSERT_EQ(cast.status, 201U) << cast.body;
    EXPECT_TRUE(JsonNumber(cast.body, "index").has_value());
    EXPECT_EQ(JsonString(cast.body, "leaf_hash").size(), 64U);
    EXPECT_NE(JsonString(cast.body, "receipt").find("tlog-proof"), std::string::npos);
    const std::string canonical = *services::CanonicalVotingCode(codes[0]);
    EXPECT_EQ(cast.body.find(canonical), std::string::npos) << "the answer shows the code";
    EXPECT_EQ(cast.body.find(codes[0]), std::string::npos) << "the answer shows the code";
    const auto replayed = Ballot(round, first, "k-first");
    EXPECT_EQ(replayed.status, 201U);
    EXPECT_EQ(replayed.body, cast.body);
    EXPECT_EQ(replayed.Header("Idempotency-Replayed"), "true");
    ExpectBallotRefused(round, BallotBody(codes[0], {{"kunst", 1}}), 409, "code_used",
                        "the same code again");
    ExpectBallotRefused(round, BallotBody(Retyped(codes[0]), {{"kunst", 1}}), 409, "code_used",
                        "the same code typed otherwise");
    // Refusals are decided again, not stored: a used code sent with fresh keys again and again
    // would otherwise write a row for good each time. The accepted ballot's answer is stored.
    const auto stored = m_service->Psql(
        "SELECT count(*) FILTER (WHERE status = 201), count(*) FILTER (WHERE status <> 201) FROM " +
        m_service->Schema() + ".idempotency_records WHERE principal LIKE 'voter:%'");
    EXPECT_EQ(stored.out, "1|0\n") << stored.Describe();
    // Running totals stay unpublished while residents vote.
    const auto voting = Round(round);
    EXPECT_EQ(Int(voting, "ballots_cast"), 1);
    EXPECT_EQ(voting.if_contains("outcome"), nullptr);
    // Another voter's key of the same spelling is that voter's own: a ballot of its own.
    const auto second = Ballot(
        round, BallotBody(codes[1], {{"bankjes", 1}, {"bomen", 1}, {"moestuin", 1}}), "k-first");
    ASSERT_EQ(second.status, 201U) << second.body;
    EXPECT_TRUE(second.Header("Idempotency-Replayed").empty());
    EXPECT_NE(second.body, cast.body);

    const auto close = [&](const std::string& who) {
        return council.Send(who, "POST", "/api/v1/rounds/" + round + "/close", "{}");
    };
    ExpectRefused([&] { return close("municipality"); }, 409, "round_still_open",
                  "a close before the closing time");
    ExpectRefused([&] { return close("m-cees"); }, 403, "not_permitted", "the treasurer's close");
    ExpectRefused([&] { return close(""); }, 401, "not_authenticated", "a close without a token");

    Advance(1h);
    const auto closed = close("municipality");
    // The server closes due rounds by itself every few seconds; it may have been first.
    EXPECT_TRUE(closed.status == 201U || ProblemCode(closed) == "round_closed") << closed.body;
    ExpectBallotRefused(round, BallotBody(codes[2], {{"bomen", 1}}), 409, "round_not_open",
                        "a ballot after the close");

    const auto after = WaitUntilClosed(round);
    const auto& outcome = after.at("outcome").as_object();
    EXPECT_EQ(Int(outcome, "codes_issued"), 4);
    EXPECT_EQ(Int(outcome, "ballots_cast"), 2);
    EXPECT_EQ(Text(outcome, "turnout_percent"), "50.00");
    EXPECT_TRUE(outcome.at("binding").as_bool());
    EXPECT_EQ(Text(outcome, "rule"), "mes_cost_add1_greedy");
    const auto results = ById(outcome.at("results"), "project");
    const std::map<std::string, std::int64_t> votes{
        {"bomen", 2}, {"speeltuin", 1}, {"bankjes", 1}, {"moestuin", 1}, {"kunst", 0}};
    for (const auto& [project, count] : votes)
        EXPECT_EQ(Int(results.at(project), "votes"), count) << project;

    // Binding: each winner is a commitment of its own, the rest of the hold is released.
    const auto winners = outcome.at("winners").as_array();
    ASSERT_FALSE(winners.empty());
    auto commitments = Commitments();
    std::int64_t funded = 0;
    for (const auto& item : winners) {
        const auto& winner = item.as_object();
        const std::string id = round + "-" + Text(winner, "project");
        EXPECT_EQ(Text(winner, "commitment"), id);
        ASSERT_TRUE(commitments.contains(id)) << id;
        EXPECT_EQ(Int(commitments.at(id), "amount_cents"), Int(winner, "cost_cents"));
        funded += Int(winner, "cost_cents");
    }
    // The hold shows what it passed on, so its row adds up and no euro reads as held twice.
    const auto& hold = commitments.at(round);
    EXPECT_TRUE(hold.at("resolved").as_bool());
    EXPECT_EQ(Int(hold, "allocated_cents"), funded);
    EXPECT_EQ(Int(hold, "amount_cents"), Int(hold, "spent_cents") + Int(hold, "released_cents") +
                                             Int(hold, "allocated_cents") +
                                             Int(hold, "left_cents"));
    EXPECT_EQ(Text(hold, "round"), round);
    EXPECT_TRUE(hold.at("round_hold").as_bool());
    EXPECT_EQ(Text(commitments.at(Text(winners.front().as_object(), "commitment")), "round"),
              round);
    EXPECT_FALSE(
        commitments.at(Text(winners.front().as_object(), "commitment")).at("round_hold").as_bool());
    EXPECT_EQ(Int(council.Line(), "available_cents"), GRANT - funded);
    EXPECT_EQ(Int(council.Line(), "committed_cents"), funded);
    // So does the query table, which serve rewrites about every second (migration 007).
    const std::string hold_row = "SELECT amount_cents - spent_cents - released_cents - "
                                 "allocated_cents, allocated_cents, round, round_hold FROM " +
                                 m_service->Schema() + ".q_commitments WHERE commitment = '" +
                                 round + "' AND resolved";
    const std::string expected_row = "0|" + std::to_string(funded) + "|" + round + "|t\n";
    std::string row;
    for (int poll = 0; poll < 100 && row != expected_row; ++poll) {
        row = m_service->Psql(hold_row).out;
        if (row != expected_row) std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
    EXPECT_EQ(row, expected_row);
    // And the council page, in a column of its own for the hold.
    const auto page = m_service->Send("GET", "/councils/burgwal");
    ASSERT_EQ(page.status, 200U);
    EXPECT_NE(
        page.body.find("data-cents=\"" + std::to_string(funded) + "\" data-column=\"allocated\""),
        std::string::npos);

    // Money can be spent on a funded project like on any commitment.
    const std::string spent_on = Text(winners.front().as_object(), "commitment");
    const auto spent =
        council.Post("m-cees", "/commitments/" + spent_on + "/spendings",
                     R"({"id":"s-ronde","amount_cents":500,"paid_on":"2025-03-01",)"
                     R"("payee":"Hovenier","invoice_sha256":")" +
                         std::string(64, 'c') + R"(","description":"Eerste termijn"})");
    EXPECT_EQ(spent.status, 201U) << spent.body;
    EXPECT_EQ(Int(Commitments().at(spent_on), "spent_cents"), 500);

    ASSERT_NO_FATAL_FAILURE(ExpectExportRecounts(round, "mes-add1-greedy", "cost"));
    ExpectLedgerVerifies();
}

TEST_F(RoundScenarioTest, CouncilRoundBelowTheMinimumTurnoutIsAdvisory)
{
    ASSERT_NO_FATAL_FAILURE(StartWithClock(GRANT));
    CouncilUnderTest& council = *m_council;
    ASSERT_NO_FATAL_FAILURE(council.Approve("m-bram", "p-buurt", COUNCIL_BUDGET));
    const std::string round = "r-burgwal";
    const std::string cumulative = R"("ballot_type":"cumulative","points_total":5,)"
                                   R"("points_per_project_max":3)";
    const auto open = [&](const std::string& who, const std::string& owner, std::int64_t budget,
                          std::chrono::seconds opens_in) {
        return council.Post(who, "/rounds",
                            OpeningBody(round, owner, budget, ServerTimestamp(opens_in),
                                        ServerTimestamp(2h), cumulative, "greedy", 60,
                                        COUNCIL_PROJECTS));
    };
    const std::string decision = R"("decision":"v-p-buurt")";
    ExpectRefused([&] { return open("m-bram", decision, COUNCIL_BUDGET - 1, 1h); }, 422,
                  "decision_unsuitable", "a budget other than the decision's");
    ExpectRefused([&] { return open("m-bram", R"("decision":"v-nergens")", COUNCIL_BUDGET, 1h); },
                  404, "vote_unknown", "a decision that does not exist");
    ExpectRefused([&] { return open("m-bram", R"("district":"centrum")", COUNCIL_BUDGET, 1h); },
                  400, "field_missing", "a member's round without its decision");
    ExpectRefused([&] { return open("m-cees", decision, COUNCIL_BUDGET, 1h); }, 403,
                  "not_permitted", "the treasurer opening a round");
    ASSERT_NO_FATAL_FAILURE(council.Seat("m-dirk"));
    ExpectRefused([&] { return open("m-dirk", decision, COUNCIL_BUDGET, 1h); }, 403,
                  "not_submitter", "a member who neither proposed it nor chairs");
    ExpectRefused([&] { return open("m-bram", decision, COUNCIL_BUDGET, -1min); }, 422,
                  "opens_at_passed", "a round that would open in the past");
    const auto opened = open("m-bram", decision, COUNCIL_BUDGET, 1h);
    ASSERT_EQ(opened.status, 201U) << opened.body;
    // The round took the decision's commitment over: the line did not move.
    EXPECT_EQ(Int(council.Line(), "available_cents"), GRANT - COUNCIL_BUDGET);
    // Only the round's close spends what it holds: not a spending above the confirmation limit
    // (no postings, so it would wait for a confirmation the book always refuses), nor a release.
    ExpectRefused(
        [&] {
            return council.Post("m-cees", "/commitments/p-buurt/spendings",
                                R"({"id":"s-hold","amount_cents":)" +
                                    std::to_string(COUNCIL_BUDGET) +
                                    R"(,"paid_on":"2025-03-01","payee":"Hovenier",)"
                                    R"("invoice_sha256":")" +
                                    std::string(64, 'c') + R"(","description":"Alles"})");
        },
        409, "commitment_held_by_round", "spending a round's hold");
    ExpectRefused(
        [&] {
            return council.Post("m-cees", "/commitments/p-buurt/release", R"({"reason":"Terug"})");
        },
        409, "commitment_held_by_round", "releasing a round's hold");

    const auto codes = IssueCodes(round, 5);
    ASSERT_EQ(codes.size(), 5U);
    Advance(1h + 1min);
    const std::vector<std::tuple<std::string, std::vector<Pick>>> wrong{
        {"more points than the total", {{"bankjes", 3}, {"bomen", 3}}},
        {"more points than a project may get", {{"bankjes", 4}}},
        {"zero points", {{"bankjes", 2}, {"bomen", 0}}},
        {"a project twice", {{"bankjes", 1}, {"bankjes", 1}}},
        {"no project at all", {}},
    };
    for (const auto& [what, picks] : wrong)
        ExpectBallotRefused(round, BallotBody(codes[0], picks), 422, "ballot_invalid", what);
    // The site's form: a box that holds no whole number (sent by a browser that does not check
    // number boxes) is refused above the form like the rules' own refusals, with the reader's
    // other points kept in their boxes, and nothing is written.
    const auto form = [&](const std::string& body) {
        return m_service->Send("POST", "/rounds/" + round + "/ballot", body,
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
    };
    const auto size = m_service->LedgerSize();
    for (const std::string box : {"2.5", "-1", "drie", "1e30"}) {
        SCOPED_TRACE(box);
        const auto refused = form("code=" + codes[0] + "&points.bankjes=2&points.bomen=" + box);
        EXPECT_EQ(refused.status, 422U);
        EXPECT_NE(refused.body.find(R"(data-refusal="ballot_invalid")"), std::string::npos)
            << refused.body;
        EXPECT_NE(refused.body.find("Geef elk project dat u kiest van 1 tot 3 punten."),
                  std::string::npos);
        EXPECT_NE(refused.body.find(R"(name="points.bankjes" min="0" max="3" step="1" )"
                                    R"(inputmode="numeric" value="2")"),
                  std::string::npos);
    }
    EXPECT_EQ(m_service->LedgerSize(), size);
    const auto cast = Ballot(round, BallotBody(codes[0], {{"bankjes", 3}, {"bomen", 2}}));
    EXPECT_EQ(cast.status, 201U) << cast.body;
    // A whole form, with an empty box and a 0 (no points for those projects).
    const auto cast_on_site = form(
        "code=" + codes[1] + "&points.bankjes=&points.bomen=0&points.speeltuin=3&points.kunst=1");
    EXPECT_EQ(cast_on_site.status, 200U) << cast_on_site.body;

    // Two of five (40%) is below the 60% the round needs. The server closes it by itself.
    Advance(1h);
    const auto after = WaitUntilClosed(round);
    const auto closed_index = Int(after, "closed_index");
    const auto entry =
        m_service->Send("GET", "/api/v1/ledger/entries/" + std::to_string(closed_index));
    EXPECT_NE(JsonString(entry.body, "entry").find(R"("role":"system")"), std::string::npos)
        << entry.body;
    ExpectRefused(
        [&] { return council.Send("m-bram", "POST", "/api/v1/rounds/" + round + "/close"); }, 409,
        "round_closed", "closing a closed round");
    const auto& outcome = after.at("outcome").as_object();
    EXPECT_FALSE(outcome.at("binding").as_bool());
    EXPECT_EQ(Text(outcome, "turnout_percent"), "40.00");
    EXPECT_EQ(Text(outcome, "rule"), "greedy_cardinal");
    const auto results = ById(outcome.at("results"), "project");
    EXPECT_EQ(Int(results.at("bankjes"), "points"), 3);
    EXPECT_EQ(Int(results.at("speeltuin"), "points"), 3);
    EXPECT_EQ(Int(results.at("bomen"), "votes"), 1);
    ASSERT_FALSE(outcome.at("winners").as_array().empty());
    // Advisory: no commitment per winner; the decision's hold is released whole.
    const auto commitments = Commitments();
    for (const auto& item : outcome.at("winners").as_array()) {
        EXPECT_EQ(item.as_object().if_contains("commitment"), nullptr);
        EXPECT_FALSE(commitments.contains(round + "-" + Text(item.as_object(), "project")));
    }
    EXPECT_TRUE(commitments.at("p-buurt").at("resolved").as_bool());
    EXPECT_EQ(Int(commitments.at("p-buurt"), "released_cents"), COUNCIL_BUDGET);
    EXPECT_EQ(Int(council.Line(), "available_cents"), GRANT);
    EXPECT_EQ(Int(council.Line(), "committed_cents"), 0);
    // The page says where the money went, as the close's postings did.
    const auto page = m_service->Send("GET", "/rounds/" + round);
    EXPECT_NE(page.body.find("het hele budget ging terug naar de begrotingspost van de wijkraad"),
              std::string::npos)
        << page.body;

    ASSERT_NO_FATAL_FAILURE(ExpectExportRecounts(round, "greedy", "cardinal"));
    ExpectLedgerVerifies();
}

TEST_F(RoundScenarioTest, RoundsRefuseWhatTheirRulesDoNotAllow)
{
    ASSERT_NO_FATAL_FAILURE(StartWithClock(GRANT));
    CouncilUnderTest& council = *m_council;
    const auto open = [&](const std::string& council_path, const std::string& body) {
        return m_service->Post("/api/v1/councils/" + council_path + "/rounds", body,
                               m_service->MunicipalityToken(), "k-" + RandomHex(8));
    };
    const auto body = [&](const std::string& id, const std::string& district, std::int64_t budget) {
        return OpeningBody(id, R"("district":")" + district + "\"", budget, ServerTimestamp(1h),
                           ServerTimestamp(2h), R"("ballot_type":"approval")", "greedy", 0,
                           {{"bankjes", 1'000}});
    };
    ExpectRefused([&] { return open("nergens", body("r-a", "centrum", 1'000)); }, 404,
                  "council_unknown", "an unknown council");
    ExpectRefused([&] { return open("burgwal", body("r-a", "noord", 1'000)); }, 422,
                  "district_mismatch", "another district's round");
    ExpectRefused([&] { return open("burgwal", body("r-a", "centrum", GRANT + 1)); }, 422,
                  "exceeds_budget_line", "more than the line holds");
    ExpectRefused(
        [&] {
            return open("burgwal",
                        OpeningBody("r-a", R"("district":"centrum")", 1'000, ServerTimestamp(2h),
                                    ServerTimestamp(1h), R"("ballot_type":"approval")", "greedy", 0,
                                    {{"bankjes", 1'000}}));
        },
        400, "field_invalid", "a round that closes before it opens");
    ExpectRefused(
        [&] {
            return open("burgwal",
                        OpeningBody("r-a", R"("district":"centrum")", 1'000, ServerTimestamp(1h),
                                    ServerTimestamp(1h + 93 * 24h), R"("ballot_type":"approval")",
                                    "greedy", 0, {{"bankjes", 1'000}}));
        },
        422, "round_too_long", "a round that would hold its budget for 93 days of voting");
    ExpectRefused(
        [&] {
            return open("burgwal",
                        OpeningBody("r-a", R"("district":"centrum")", 1'000, ServerTimestamp(1h),
                                    ServerTimestamp(2h), R"("ballot_type":"cumulative")", "greedy",
                                    0, {{"bankjes", 1'000}}));
        },
        400, "field_invalid", "a cumulative round without its points");
    for (const std::string target :
         {"/api/v1/rounds/r-nergens", "/api/v1/rounds/r-nergens/export.pb",
          "/api/v1/rounds/NIET-GELDIG"}) {
        const auto response = m_service->Send("GET", target);
        EXPECT_EQ(response.status, 404U) << target;
        EXPECT_EQ(ProblemCode(response), "round_unknown") << target;
    }
    ExpectRefused(
        [&] { return council.Send("municipality", "POST", "/api/v1/rounds/r-nergens/close"); }, 404,
        "round_unknown", "closing an unknown round");
    const auto query = m_service->Send("GET", "/api/v1/rounds?page=2");
    EXPECT_EQ(ProblemCode(query), "field_unknown") << query.body;
}

} // namespace
} // namespace wijkbudget::test
