// tests/integration/api/codes_command_test.cpp: `wijkbudget codes issue` as an operator runs it:
// its arguments are checked before anything happens, it never overwrites a file, it writes the
// codes (mode 0600) and the ledger records their digest, and it refuses once voting started,
// leaving no file behind.

#include "ledger/hex.hpp"
#include "services/voting_codes.hpp"
#include "tests/integration/api/round_under_test.hpp"

#include <array>
#include <fstream>
#include <set>

namespace wijkbudget::test {
namespace {

using namespace std::chrono_literals;

class CodesCommandTest : public RoundTest
{
protected:
    std::filesystem::path Folder() const { return m_service->SettingsFile().parent_path(); }
    //! A file of these codes, one a line, as `codes issue` writes them.
    std::filesystem::path WrittenCodes(const std::string& name,
                                       const std::vector<std::string>& codes) const
    {
        std::string text;
        for (const std::string& code : codes)
            text += code + "\n";
        return m_service->WriteFile(name, text);
    }
    CommandResult Issue(const std::vector<std::string>& arguments) const
    {
        std::vector<std::string> all{"codes", "issue"};
        all.insert(all.end(), arguments.begin(), arguments.end());
        return m_service->RunWijkbudget(all);
    }
};

TEST_F(CodesCommandTest, IssuesCodesOnlyBeforeTheRoundOpensAndNeverOverwritesAFile)
{
    ASSERT_NO_FATAL_FAILURE(StartWithClock(1'000'000));
    const std::string round = "r-codes";
    const auto opened =
        m_council->Post("municipality", "/rounds",
                        OpeningBody(round, R"("district":"centrum")", 10'000, ServerTimestamp(1h),
                                    ServerTimestamp(2h), R"("ballot_type":"approval")", "greedy", 0,
                                    {{"bankjes", 5'000}, {"bomen", 5'000}}));
    ASSERT_EQ(opened.status, 201U) << opened.body;

    const auto out = Folder() / "codes.txt";
    const std::string file = out.string();
    const std::uint64_t size = m_service->LedgerSize();
    const std::vector<std::pair<std::vector<std::string>, std::string>> refused{
        {{"--round", round, "--count", "0", "--out", file}, "--count"},
        {{"--round", round, "--count", "1000001", "--out", file}, "--count"},
        // C's base 0 would read these as 8 and 16 codes.
        {{"--round", round, "--count", "010", "--out", file}, "--count: must be a decimal number"},
        {{"--round", round, "--count", "0x10", "--out", file}, "--count: must be a decimal number"},
        {{"--round", "Ronde!", "--count", "3", "--out", file}, "--round"},
        {{"--round", round, "--count", "3", "--out", file, "--actor", "Niet Geldig"}, "--actor"},
        {{"--round", "r-nergens", "--count", "3", "--out", file}, "no round r-nergens"},
        {{"--round", round, "--count", "3"}, "--out"},
    };
    for (const auto& [arguments, message] : refused) {
        const auto result = Issue(arguments);
        EXPECT_NE(result.exit_status, 0) << result.Describe();
        EXPECT_NE(result.err.find(message), std::string::npos) << result.Describe();
        EXPECT_FALSE(std::filesystem::exists(out)) << result.Describe();
    }
    // A file that exists stays as it is.
    const auto existing = m_service->WriteFile("letters.txt", "keep\n");
    const auto overwrite = Issue({"--round", round, "--count", "3", "--out", existing.string()});
    EXPECT_EQ(overwrite.exit_status, 1) << overwrite.Describe();
    EXPECT_NE(overwrite.err.find("never overwritten"), std::string::npos) << overwrite.Describe();
    std::ifstream kept{existing};
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "keep\n");
    EXPECT_EQ(m_service->LedgerSize(), size) << "a refused command wrote to the ledger";

    // Two batches; the ledger's digest of each is the hashes of its codes, which anyone holding
    // the letters can recompute.
    const auto first = IssueCodes(round, 3);
    const auto second = IssueCodes(round, 2);
    std::set<std::string> distinct(first.begin(), first.end());
    distinct.insert(second.begin(), second.end());
    EXPECT_EQ(distinct.size(), 5U);
    const auto json = Round(round);
    EXPECT_EQ(Int(json, "codes_issued"), 5);
    const auto& batches = json.at("codes").as_array();
    ASSERT_EQ(batches.size(), 2U);
    std::vector<ledger::Hash> hashes;
    for (const std::string& code : first)
        hashes.push_back(
            services::VotingCodeHash(ledger::Slug{round}, *services::CanonicalVotingCode(code)));
    EXPECT_EQ(Text(batches[0].as_object(), "codes_digest"),
              ledger::ToHex(services::CodesDigest(hashes)));
    EXPECT_EQ(Int(batches[0].as_object(), "count"), 3);

    // A file left by an earlier run is never overwritten, and the refusal says whether its codes
    // are issued: the operator of a killed run learns whether to send them or issue again.
    const auto issued_file = WrittenCodes("issued.txt", first);
    const auto again = Issue({"--round", round, "--count", "3", "--out", issued_file.string()});
    EXPECT_EQ(again.exit_status, 1) << again.Describe();
    EXPECT_NE(again.err.find("never overwritten. Its 3 codes are issued for round " + round),
              std::string::npos)
        << again.Describe();
    std::array<std::uint8_t, services::VOTING_CODE_RANDOM_BYTES> random{};
    random.fill(7);
    const auto unissued_file = WrittenCodes("unissued.txt", {services::MakeVotingCode(random)});
    const auto never = Issue({"--round", round, "--count", "3", "--out", unissued_file.string()});
    EXPECT_EQ(never.exit_status, 1) << never.Describe();
    EXPECT_NE(never.err.find("Its 1 codes were never issued for round " + round +
                             " nor any other round on the ledger: remove it and issue again"),
              std::string::npos)
        << never.Describe();
    // Named for another round, the file of issued codes is not called unissued: only their
    // hashes are stored, and removing it would lose the letters of round r-codes for good.
    const auto other = m_council->Post("municipality", "/rounds",
                                       OpeningBody("r-ander", R"("district":"centrum")", 10'000,
                                                   ServerTimestamp(1h), ServerTimestamp(2h),
                                                   R"("ballot_type":"approval")", "greedy", 0,
                                                   {{"bankjes", 5'000}, {"bomen", 5'000}}));
    ASSERT_EQ(other.status, 201U) << other.body;
    const auto elsewhere =
        Issue({"--round", "r-ander", "--count", "3", "--out", issued_file.string()});
    EXPECT_EQ(elsewhere.exit_status, 1) << elsewhere.Describe();
    EXPECT_NE(elsewhere.err.find("Its 3 codes are issued for round " + round +
                                 ", not r-ander (codes_digest "),
              std::string::npos)
        << elsewhere.Describe();
    EXPECT_NE(elsewhere.err.find("keep it for that round"), std::string::npos)
        << elsewhere.Describe();
    EXPECT_NE(overwrite.err.find("not a file of codes"), std::string::npos) << overwrite.Describe();

    // Once voting started (the ledger has a ballot), no more codes, and no file.
    Advance(1h + 1min);
    const auto cast = Ballot(round, BallotBody(first[0], {{"bomen", 1}}));
    ASSERT_EQ(cast.status, 201U) << cast.body;
    const auto late = Issue({"--round", round, "--count", "3", "--out", file});
    EXPECT_EQ(late.exit_status, 1) << late.Describe();
    EXPECT_NE(late.err.find("before voting starts"), std::string::npos) << late.Describe();
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_EQ(Int(Round(round), "codes_issued"), 5);
}

} // namespace
} // namespace wijkbudget::test
