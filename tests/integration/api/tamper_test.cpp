// tests/integration/api/tamper_test.cpp: tamper evidence (DESIGN.md section 4). A superuser can
// get past the append-only triggers; what must not get past is wijkbudget-verify, which names the
// first altered entry of an export against a checkpoint signed before the change. Nor may the
// server sign on over a stored checkpoint it cannot extend: it turns read-only and not ready.

#include "tests/integration/api/service_under_test.hpp"

#include <array>
#include <string>
#include <vector>

namespace wijkbudget::test {
namespace {

constexpr std::string_view COUNCIL{"wijk-tamper"};
//! Grants appended before the change; the one at ALTERED_GRANT is rewritten.
constexpr std::array GRANT_AMOUNTS{std::int64_t{111'111}, std::int64_t{222'222},
                                   std::int64_t{333'333}, std::int64_t{444'444}};
constexpr std::size_t ALTERED_GRANT{2};
//! The forged amount: one digit changed, so the body stays valid JSON of the same shape.
constexpr std::int64_t FORGED_AMOUNT{333'334};

class TamperTest : public ApiIntegrationTest
{
};

TEST_F(TamperTest, VerifierNamesTheRewrittenEntry)
{
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil(std::string(COUNCIL)));
    std::vector<std::uint64_t> indices;
    for (const std::int64_t amount : GRANT_AMOUNTS) {
        const auto response = m_service->Post(
            "/api/v1/councils/" + std::string(COUNCIL) + "/grants", GrantBody(amount),
            m_service->MunicipalityToken(), "tamper-" + std::to_string(amount));
        ASSERT_EQ(response.status, 201U) << response.body;
        indices.push_back(JsonNumber(response.body, "index").value_or(0));
    }
    const std::uint64_t altered = indices[ALTERED_GRANT];
    // The checkpoint an auditor saved before the change.
    const auto checkpoint_file = m_service->WriteFile("checkpoint.txt", m_service->Checkpoint());

    // The untouched export verifies, so the failure below is the change's doing.
    const auto before_file = m_service->WriteFile("before.ndjson", m_service->Export());
    const auto clean =
        ServiceUnderTest::Verify({"export", before_file.string(), "--checkpoint",
                                  checkpoint_file.string(), "--vkey", m_service->VerifierKey()});
    ASSERT_EQ(clean.exit_status, 0) << clean.Describe();

    const std::string table = m_service->Schema() + ".entries";
    const std::string from = "\"amount_cents\":" + std::to_string(GRANT_AMOUNTS[ALTERED_GRANT]);
    const std::string to = "\"amount_cents\":" + std::to_string(FORGED_AMOUNT);
    // The trigger is put back as the migration set it: ENABLE ALWAYS.
    const auto rewritten = m_service->Psql(
        "BEGIN; ALTER TABLE " + table + " DISABLE TRIGGER entries_no_change; UPDATE " + table +
        " SET body = replace(body, '" + from + "', '" + to +
        "') WHERE leaf_index = " + std::to_string(altered) + "; ALTER TABLE " + table +
        " ENABLE ALWAYS TRIGGER entries_no_change; COMMIT; SELECT count(*) FROM " + table +
        " WHERE leaf_index = " + std::to_string(altered) + " AND strpos(body, '" + to + "') > 0");
    ASSERT_EQ(rewritten.exit_status, 0) << rewritten.Describe();
    ASSERT_EQ(rewritten.out, "1\n") << "the forged amount must be in the stored body";

    const std::string exported = m_service->Export();
    const auto lines = Lines(exported);
    ASSERT_LT(altered, lines.size());
    ASSERT_NE(lines[altered].find(to), std::string::npos) << "the export serves the stored bytes";
    const auto export_file = m_service->WriteFile("export.ndjson", exported);
    const auto verified =
        ServiceUnderTest::Verify({"export", export_file.string(), "--checkpoint",
                                  checkpoint_file.string(), "--vkey", m_service->VerifierKey()});
    EXPECT_EQ(verified.exit_status, 1) << verified.Describe();
    // "index k:" and not a later index that merely starts with k's digits.
    EXPECT_NE(verified.err.find("index " + std::to_string(altered) + ":"), std::string::npos)
        << verified.Describe();
}

TEST_F(TamperTest, AForgedCheckpointTurnsTheServerReadOnlyAndNotReady)
{
    ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    ASSERT_NO_FATAL_FAILURE(m_service->RegisterCouncil(std::string(COUNCIL)));
    EXPECT_EQ(m_service->Send("GET", "/readyz").status, 200U);
    const std::uint64_t size = m_service->LedgerSize();
    // A checkpoint one entry ahead, with a root no ledger has: the next batch's checkpoint cannot
    // extend it, so signing on would put the log key under a forked history.
    const std::string table = m_service->Schema() + ".checkpoints";
    const auto forged =
        m_service->Psql("INSERT INTO " + table + " (tree_size, root, note) VALUES (" +
                        std::to_string(size + 1) + ", decode(repeat('ee', 32), 'hex'), 'forged')");
    ASSERT_EQ(forged.exit_status, 0) << forged.Describe();

    const std::string grants = "/api/v1/councils/" + std::string(COUNCIL) + "/grants";
    const auto refused =
        m_service->Post(grants, GrantBody(1), m_service->MunicipalityToken(), "after-forgery-1");
    EXPECT_EQ(refused.status, 503U) << refused.body;
    EXPECT_EQ(ProblemCode(refused), "ledger_read_only") << refused.body;
    // Read-only for good, not for one batch; and a load balancer is told to send no one here.
    const auto later =
        m_service->Post(grants, GrantBody(2), m_service->MunicipalityToken(), "after-forgery-2");
    EXPECT_EQ(later.status, 503U) << later.body;
    const auto ready = m_service->Send("GET", "/readyz");
    EXPECT_EQ(ready.status, 503U) << ready.body;
    EXPECT_EQ(ProblemCode(ready), "not_ready") << ready.body;
    EXPECT_NE(ready.body.find("read-only"), std::string::npos) << ready.body;
    EXPECT_EQ(m_service->Send("GET", "/healthz").status, 200U); // Alive, only not ready.
    EXPECT_EQ(m_service->LedgerSize(), size);
}

} // namespace
} // namespace wijkbudget::test
