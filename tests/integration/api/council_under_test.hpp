#pragma once
// tests/integration/api/council_under_test.hpp: one council with members, tokens and bylaws, for
// the council-decision tests (issue 4) against the real server.
//
// The municipality registers the council and grants it a budget; members get mandates (as the
// municipality) and tokens (`wijkbudget token create`, role and council); every write goes with a
// fresh Idempotency-Key. Reads come back parsed, so tests compare numbers, not text.

#include "tests/integration/api/service_under_test.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace wijkbudget::test {

//! The budget year of these tests' grants and proposals: one that has ended, because a year is
//! closed only after its end (year_not_over), and the tests close it.
inline constexpr int DECISION_YEAR{2025};

class CouncilUnderTest
{
public:
    //! `year`: the budget year of Register(), Submit() and Line() (the demo's councils: 2027).
    CouncilUnderTest(ServiceUnderTest& service, std::string council, int year = DECISION_YEAR)
        : m_service{service}, m_council{std::move(council)}, m_year{year}
    {}

    [[nodiscard]] const std::string& Id() const { return m_council; }
    //! "/api/v1/councils/<id>" + `rest`.
    [[nodiscard]] std::string Path(const std::string& rest = {}) const;

    //! Registers the council and grants `cents` to its year's public_space line.
    void Register(std::int64_t cents);
    /** A mandate (seat "member", "chair" or "treasurer") from 2020-01-01 until 2099-12-31 and a
     *  token for the member (role treasurer for the treasurer seat, else council_member). */
    void Seat(const std::string& member, const std::string& seat = "member");
    //! Bylaws set by the municipality: quorum, majority, tie rule and the two limits.
    void SetBylaws(int quorum_percent, const std::string& majority, const std::string& tie_rule,
                   std::int64_t cosign_above, std::int64_t confirm_above);

    //! The token of a member seated by Seat(); the municipality's for "municipality".
    [[nodiscard]] const std::string& TokenOf(const std::string& who) const;

    //! POST as `who` (a member, "municipality" or "" for no token) with a fresh key.
    HttpsResponse Post(const std::string& who, const std::string& rest,
                       const std::string& body = "{}") const;
    //! GET a council resource without a token; the test fails unless 200. The parsed body.
    boost::json::object Get(const std::string& rest) const;

    //! Lets Post() and Send() act as `who` with `token` (an auditor, another council's member...).
    void AddToken(const std::string& who, std::string token);
    /** Any request to an absolute `target` as `who` (see Post; "" sends no token). A POST gets a
     *  fresh Idempotency-Key; other methods get none. */
    HttpsResponse Send(const std::string& who, const std::string& method, const std::string& target,
                       const std::string& body = {}) const;
    //! Submits a proposal on its year's public_space line; the test fails unless 201.
    void Submit(const std::string& submitter, const std::string& proposal, std::int64_t cents);

    //! Submits a proposal and has the chair open a vote on it, closing in a day; both must
    //! succeed. The vote's id is "v-<proposal>".
    void Propose(const std::string& submitter, const std::string& proposal, std::int64_t cents);
    /** Propose(), then `member` votes for, every other member of the electorate abstains, and
     *  `member` closes the vote before its deadline (which only the opener may, once all have
     *  voted). Under bylaws where one vote in favour carries (a quorum of at most 100 / seated
     *  members percent, majority simple) the proposal is approved; the test fails unless every
     *  step succeeds. */
    void Approve(const std::string& member, const std::string& proposal, std::int64_t cents);
    /** Every member of `vote`'s electorate who has neither voted nor recused, and is still
     *  seated, abstains (one without a token from Seat() gets one); the test fails unless each
     *  ballot is taken. */
    void OthersAbstain(const std::string& vote);
    /** OthersAbstain, then `opener` closes it; the test fails unless every step succeeds. The
     *  decision entry's index. */
    std::uint64_t CloseOnceAllVoted(const std::string& opener, const std::string& vote);
    //! Its year's public_space line as GET budget-lines reports it (at `at` if set).
    boost::json::object Line(std::optional<std::uint64_t> at = std::nullopt) const;

private:
    ServiceUnderTest& m_service;
    std::string m_council;
    int m_year;
    std::map<std::string, std::string> m_tokens;
};

/** The base of the council-decision suites: StartCouncil starts a server (with
 *  `server_environment` added to its environment) and registers council "burgwal" with its grant
 *  and board: m-anna (chair), m-bram, m-cees (treasurer) and, unless asked not to, m-dirk. */
class CouncilTest : public ApiIntegrationTest
{
protected:
    void StartCouncil(std::int64_t grant, bool with_fourth_member = true,
                      const Environment& server_environment = {});
    //! A member's ballot ("for", "against", "abstain"); the test fails unless 201.
    void Cast(const std::string& member, const std::string& vote, const std::string& choice);

    std::unique_ptr<CouncilUnderTest> m_council;
};

//! An integer member of a JSON object; fails the test when absent.
std::int64_t Int(const boost::json::object& object, std::string_view member);
//! A string member of a JSON object; "" when absent.
std::string Text(const boost::json::object& object, std::string_view member);
//! The parsed body of a response; fails the test when it is not a JSON object.
boost::json::object Parsed(const HttpsResponse& response);
//! A timestamp `seconds` from now, as the API writes them.
std::string TimestampFromNow(std::int64_t seconds);
//! Today's date in the Netherlands, "YYYY-MM-DD", as the services count days
//! (services/calendar.hpp).
std::string TodayInTheNetherlands();
//! The body of a proposal on the public_space line of `year`.
std::string ProposalBody(const std::string& proposal, std::int64_t cents, int year = DECISION_YEAR);

} // namespace wijkbudget::test
