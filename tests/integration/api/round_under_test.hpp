#pragma once
// tests/integration/api/round_under_test.hpp: residents' rounds (issue 6) against the real server,
// whose wall clock the test moves (tests/support/clock_shift/), so that a round opens and closes
// without hours of waiting.
//
// RoundTest starts `serve` with the clock shift and council "burgwal" (district centrum) with
// its DECISION_YEAR public_space grant, m-anna (chair), m-bram and m-cees (treasurer), and bylaws
// under which one vote in favour carries. Codes are issued by `wijkbudget codes issue`, the
// operator's path; ballots carry no token.

#include "tests/integration/api/council_under_test.hpp"
#include "tests/support/clock_shift/server_clock.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::test {

//! A project of an opening: id and cost in cents.
using ProjectCost = std::pair<std::string, std::int64_t>;
//! A ballot's choice: project and points.
using Pick = std::pair<std::string, std::uint64_t>;

//! The JSON of a round's opening; `owner` is the member naming who holds it
//! (R"("district":"centrum")" or R"("decision":"v-p-x")"), `ballot` the ballot's own members.
std::string OpeningBody(const std::string& id, const std::string& owner, std::int64_t budget,
                        const std::string& opens_at, const std::string& closes_at,
                        const std::string& ballot, const std::string& rule, int min_turnout_percent,
                        const std::vector<ProjectCost>& projects);
//! A ballot's JSON.
std::string BallotBody(const std::string& code, const std::vector<Pick>& picks);

class RoundTest : public ApiIntegrationTest
{
protected:
    //! The server with a movable clock, and the council (see the file comment).
    void StartWithClock(std::int64_t grant);

    //! An instant `from_now` after the server's now, as the API writes it.
    [[nodiscard]] std::string ServerTimestamp(std::chrono::seconds from_now) const;
    //! Moves the server's clock forward.
    void Advance(std::chrono::seconds by) { m_clock->Advance(by); }

    //! `wijkbudget codes issue`: the codes, read from the file it wrote (mode 0600 checked).
    std::vector<std::string> IssueCodes(const std::string& round, std::size_t count);
    //! POST a ballot without a token, with `key` (a fresh one when empty).
    HttpsResponse Ballot(const std::string& round, const std::string& body,
                         const std::string& key = {}) const;
    //! GET /api/v1/rounds/{round}; the test fails unless 200.
    boost::json::object Round(const std::string& round) const;
    //! Polls the round until the server closed it by itself (at most about 30 s).
    boost::json::object WaitUntilClosed(const std::string& round) const;
    //! The round's .pb export, read by pb/ and counted with the rule the close recorded, and by
    //! `wijkbudget pb` with `cli_rule`: both name the recorded winners.
    void ExpectExportRecounts(const std::string& round, const std::string& cli_rule,
                              const std::string& satisfaction);
    //! The ledger export verifies offline against the checkpoint and the verifier key.
    void ExpectLedgerVerifies() const;

    std::unique_ptr<ServerClock> m_clock;
    std::unique_ptr<CouncilUnderTest> m_council;
};

//! A well-formed voting code that was never issued.
std::string StrangerCode();

//! The ids of a JSON array of objects' member `member`, in order.
std::vector<std::string> Ids(const boost::json::value& array, std::string_view member);

} // namespace wijkbudget::test
