// tests/integration/api/receipts_test.cpp: what a reader takes away verifies offline with
// wijkbudget-verify and nothing but the verifier key: a write's receipt, inclusion and consistency
// proofs against the signed checkpoint, and immutable entries served with strong ETags.

#include "ledger/checkpoint.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/note_key.hpp"
#include "ledger/proof_json.hpp"
#include "ledger/sha256.hpp"
#include "tests/integration/api/service_under_test.hpp"

#include <array>
#include <string>

namespace wijkbudget::test {
namespace {

//! A council of the Haarlem demo, which LoadDemo registers.
constexpr std::string_view DEMO_COUNCIL{"scheepmakersdijk"};
constexpr std::string_view IMMUTABLE_CACHE{"public, max-age=31536000, immutable"};
//! An entry of the demo (any will do) whose cache headers are checked.
constexpr std::uint64_t CACHED_ENTRY_INDEX{5};

class ReceiptsTest : public ApiIntegrationTest
{
protected:
    void SetUp() override
    {
        ApiIntegrationTest::SetUp();
        if (HasFatalFailure() || IsSkipped()) return;
        // The demo's 262 entries make a tree that is neither tiny nor a power of two.
        ASSERT_NO_FATAL_FAILURE(m_service->LoadDemo());
        ASSERT_NO_FATAL_FAILURE(m_service->StartServer());
    }

    //! The checkpoint the server serves now, opened with the verifier key.
    ledger::Checkpoint SignedCheckpoint()
    {
        const auto key = ledger::ParseVerifierKey(m_service->VerifierKey());
        EXPECT_TRUE(key) << m_service->VerifierKey();
        if (!key) return {};
        auto opened = ledger::OpenCheckpoint(m_service->Checkpoint(), *key, {});
        EXPECT_TRUE(opened) << "the served checkpoint does not open with the key";
        return opened ? opened->checkpoint : ledger::Checkpoint{};
    }

    //! A proof fetched from `target` and checked by wijkbudget-verify `command`; its text.
    std::string VerifiedProof(const std::string& target, const std::string& command)
    {
        const auto response = m_service->Send("GET", target);
        EXPECT_EQ(response.status, 200U) << target << ": " << response.body;
        EXPECT_EQ(response.Header("Cache-Control"), IMMUTABLE_CACHE) << target;
        const auto file =
            m_service->WriteFile(command + "-" + RandomHex(4) + ".json", response.body);
        const auto verified = ServiceUnderTest::Verify({command, file.string()});
        EXPECT_EQ(verified.exit_status, 0) << target << ": " << verified.Describe();
        return response.body;
    }
};

TEST_F(ReceiptsTest, WriteReceiptVerifiesAndCatchesOneChangedByte)
{
    const auto response =
        m_service->Post("/api/v1/councils/" + std::string(DEMO_COUNCIL) + "/grants",
                        GrantBody(987'654, 2028), m_service->MunicipalityToken(), "receipt-grant");
    ASSERT_EQ(response.status, 201U) << response.body;
    const std::string receipt = JsonString(response.body, "receipt");
    const std::string entry = JsonString(response.body, "entry");
    ASSERT_FALSE(receipt.empty()) << response.body;
    ASSERT_FALSE(entry.empty()) << response.body;

    const auto receipt_file = m_service->WriteFile("receipt.txt", receipt);
    const auto entry_file = m_service->WriteFile("entry.json", entry);
    const auto verified = ServiceUnderTest::Verify({"receipt", "--vkey", m_service->VerifierKey(),
                                                    receipt_file.string(), entry_file.string()});
    EXPECT_EQ(verified.exit_status, 0) << verified.Describe();

    // One digit of the amount changed: the entry is still well-formed, but not the one proven.
    std::string forged = entry;
    const auto amount = forged.find("987654");
    ASSERT_NE(amount, std::string::npos) << entry;
    forged[amount] = '1';
    const auto forged_file = m_service->WriteFile("forged.json", forged);
    const auto rejected = ServiceUnderTest::Verify({"receipt", "--vkey", m_service->VerifierKey(),
                                                    receipt_file.string(), forged_file.string()});
    EXPECT_EQ(rejected.exit_status, 1) << rejected.Describe();
}

TEST_F(ReceiptsTest, InclusionAndConsistencyProofsVerifyAgainstTheCheckpoint)
{
    const ledger::Checkpoint checkpoint = SignedCheckpoint();
    ASSERT_GT(checkpoint.size, 2U);
    const std::uint64_t size = checkpoint.size;
    const std::string size_text = std::to_string(size);

    for (const std::uint64_t index : std::array<std::uint64_t, 3>{0, size / 2, size - 1}) {
        SCOPED_TRACE("inclusion of " + std::to_string(index));
        const std::string text = VerifiedProof(
            "/api/v1/ledger/proofs/inclusion?index=" + std::to_string(index) + "&size=" + size_text,
            "inclusion");
        // The tool checks the proof against the root in the file; that root and leaf must also
        // be the signed checkpoint's and the served entry's, or the proof proves nothing.
        const auto proof = ledger::ParseInclusionProofFile(text);
        ASSERT_TRUE(proof) << text;
        EXPECT_EQ(proof->root, checkpoint.root);
        const auto entry =
            m_service->Send("GET", "/api/v1/ledger/entries/" + std::to_string(index));
        EXPECT_EQ(JsonString(entry.body, "leaf_hash"), ledger::ToHex(proof->leaf_hash));
    }
    for (const std::uint64_t from : std::array<std::uint64_t, 3>{1, size / 3, size}) {
        SCOPED_TRACE("consistency from " + std::to_string(from));
        const std::string text = VerifiedProof(
            "/api/v1/ledger/proofs/consistency?from=" + std::to_string(from) + "&to=" + size_text,
            "consistency");
        const auto proof = ledger::ParseConsistencyProofFile(text);
        ASSERT_TRUE(proof) << text;
        EXPECT_EQ(proof->root2, checkpoint.root);
    }
    // Beyond the signed size there is nothing to prove yet.
    const auto beyond = m_service->Send("GET", "/api/v1/ledger/proofs/inclusion?index=0&size=" +
                                                   std::to_string(size + 1));
    EXPECT_EQ(beyond.status, 404U) << beyond.body;
}

TEST_F(ReceiptsTest, TheVerifyPagesStepsBindProofsToTheCheckpointAndTheExportedEntry)
{
    // As /verify tells a reader: the entry's line of the export, its inclusion proof at the
    // checkpoint's size, checked against the signed checkpoint; later, a new checkpoint checked
    // to extend the kept one.
    const ledger::Checkpoint checkpoint = SignedCheckpoint();
    ASSERT_GT(checkpoint.size, 2U);
    const std::string key = m_service->VerifierKey();
    const auto kept = m_service->WriteFile("checkpoint.kept", m_service->Checkpoint());
    const std::string ndjson = m_service->Send("GET", "/api/v1/ledger/export").body;
    const std::uint64_t index = checkpoint.size / 2;
    std::size_t start = 0;
    for (std::uint64_t line = 0; line < index; ++line)
        start = ndjson.find('\n', start) + 1;
    const auto entry =
        m_service->WriteFile("entry", ndjson.substr(start, ndjson.find('\n', start) - start));
    const auto proof = m_service->WriteFile(
        "inclusion.json",
        m_service
            ->Send("GET", "/api/v1/ledger/proofs/inclusion?index=" + std::to_string(index) +
                              "&size=" + std::to_string(checkpoint.size))
            .body);
    const auto included =
        ServiceUnderTest::Verify({"inclusion", proof.string(), "--checkpoint", kept.string(),
                                  "--vkey", key, "--entry", entry.string()});
    EXPECT_EQ(included.exit_status, 0) << included.Describe();
    const auto other = m_service->WriteFile("entry-other", ndjson.substr(0, ndjson.find('\n')));
    const auto not_it =
        ServiceUnderTest::Verify({"inclusion", proof.string(), "--checkpoint", kept.string(),
                                  "--vkey", key, "--entry", other.string()});
    EXPECT_EQ(not_it.exit_status, 1) << not_it.Describe();

    const auto grant =
        m_service->Post("/api/v1/councils/" + std::string(DEMO_COUNCIL) + "/grants",
                        GrantBody(4'321, 2028), m_service->MunicipalityToken(), "verify-steps");
    ASSERT_EQ(grant.status, 201U) << grant.body;
    const ledger::Checkpoint later = SignedCheckpoint();
    ASSERT_GT(later.size, checkpoint.size);
    const auto now = m_service->WriteFile("checkpoint", m_service->Checkpoint());
    const auto consistency = m_service->WriteFile(
        "consistency.json",
        m_service
            ->Send("GET", "/api/v1/ledger/proofs/consistency?from=" +
                              std::to_string(checkpoint.size) + "&to=" + std::to_string(later.size))
            .body);
    const auto extended =
        ServiceUnderTest::Verify({"consistency", consistency.string(), "--from", kept.string(),
                                  "--checkpoint", now.string(), "--vkey", key});
    EXPECT_EQ(extended.exit_status, 0) << extended.Describe();
    const auto swapped =
        ServiceUnderTest::Verify({"consistency", consistency.string(), "--from", now.string(),
                                  "--checkpoint", kept.string(), "--vkey", key});
    EXPECT_EQ(swapped.exit_status, 1) << swapped.Describe();
}

TEST_F(ReceiptsTest, EveryLeafsProofHoldsAlsoWhenItsHashesAreInMemory)
{
    // The first proof of a group of leaves reads the group's stored hashes; its neighbours' are
    // then answered from memory on the I/O thread (Router::AnswerFromMemory). Both ways must
    // give proofs of the signed root and the served entry, for every leaf and for an older size.
    const ledger::Checkpoint checkpoint = SignedCheckpoint();
    ASSERT_GE(checkpoint.size, 100U);
    for (const std::uint64_t size : std::array<std::uint64_t, 2>{checkpoint.size, 100}) {
        for (std::uint64_t index = 0; index < size; ++index) {
            SCOPED_TRACE("inclusion of " + std::to_string(index) + " in " + std::to_string(size));
            const auto response = m_service->Send(
                "GET", "/api/v1/ledger/proofs/inclusion?index=" + std::to_string(index) +
                           "&size=" + std::to_string(size));
            ASSERT_EQ(response.status, 200U) << response.body;
            const auto proof = ledger::ParseInclusionProofFile(response.body);
            ASSERT_TRUE(proof) << response.body;
            EXPECT_EQ(proof->leaf_index, index);
            EXPECT_EQ(proof->tree_size, size);
            if (size == checkpoint.size) {
                EXPECT_EQ(proof->root, checkpoint.root);
            }
            EXPECT_TRUE(
                ledger::VerifyInclusion(index, size, proof->leaf_hash, proof->proof, proof->root));
            const auto entry =
                m_service->Send("GET", "/api/v1/ledger/entries/" + std::to_string(index));
            EXPECT_EQ(JsonString(entry.body, "leaf_hash"), ledger::ToHex(proof->leaf_hash));
        }
    }
}

TEST_F(ReceiptsTest, EntriesAreImmutableWithStrongETags)
{
    const std::string target = "/api/v1/ledger/entries/" + std::to_string(CACHED_ENTRY_INDEX);
    const auto first = m_service->Send("GET", target);
    ASSERT_EQ(first.status, 200U) << first.body;
    EXPECT_EQ(first.Header("Cache-Control"), IMMUTABLE_CACHE);
    const std::string etag = first.Header("ETag");
    // Strong: quoted, without the W/ of a weak validator (RFC 9110 section 8.8.3).
    ASSERT_GE(etag.size(), 2U);
    EXPECT_EQ(etag.front(), '"') << etag;
    EXPECT_EQ(etag.back(), '"') << etag;
    EXPECT_EQ(JsonNumber(first.body, "index"), CACHED_ENTRY_INDEX);

    const auto cached = m_service->Send("GET", target, {}, {{"If-None-Match", etag}});
    EXPECT_EQ(cached.status, 304U) << cached.body;
    EXPECT_TRUE(cached.body.empty());
    EXPECT_EQ(cached.Header("ETag"), etag);

    const auto other =
        m_service->Send("GET", target, {}, {{"If-None-Match", "\"something-else\""}});
    EXPECT_EQ(other.status, 200U);
    EXPECT_EQ(other.body, first.body);

    const auto missing = m_service->Send("GET", "/api/v1/ledger/entries/1000000");
    EXPECT_EQ(missing.status, 404U) << missing.body;
    EXPECT_EQ(ProblemCode(missing), "index_out_of_range");
}

TEST_F(ReceiptsTest, AWritesLeafHashIsTheHashOfTheBytesServedAndExported)
{
    const auto written = m_service->Post("/api/v1/councils/burgwal/grants", GrantBody(7'777),
                                         m_service->MunicipalityToken(), RandomHex(8));
    ASSERT_EQ(written.status, 201U) << written.body;
    const auto index = JsonNumber(written.body, "index");
    ASSERT_TRUE(index.has_value()) << written.body;
    const std::string leaf_hash = JsonString(written.body, "leaf_hash");

    const auto served = m_service->Send("GET", "/api/v1/ledger/entries/" + std::to_string(*index));
    ASSERT_EQ(served.status, 200U) << served.body;
    const std::string bytes = JsonString(served.body, "entry");
    // RFC 9162's leaf hash, SHA-256(0x00 || bytes), of exactly the bytes served.
    std::string prefixed(1, '\0');
    prefixed += bytes;
    EXPECT_EQ(ledger::ToHex(ledger::Sha256Of(std::string_view{prefixed})), leaf_hash);
    EXPECT_EQ(JsonString(served.body, "leaf_hash"), leaf_hash);
    EXPECT_EQ(JsonString(written.body, "entry"), bytes);

    const auto lines = Lines(m_service->Export());
    ASSERT_LT(*index, lines.size());
    EXPECT_EQ(lines[*index], bytes) << "the export line is the entry's canonical bytes";
}

TEST_F(ReceiptsTest, TheCheckpointIsShortLivedTextAndTheExportStreamedNdjson)
{
    const auto checkpoint = m_service->Send("GET", "/api/v1/ledger/checkpoint");
    ASSERT_EQ(checkpoint.status, 200U) << checkpoint.body;
    EXPECT_EQ(checkpoint.Header("Content-Type"), "text/plain; charset=utf-8");
    // It changes with every batch: cached for seconds, never as immutable.
    EXPECT_EQ(checkpoint.Header("Cache-Control"), "public, max-age=2");

    const auto exported = m_service->Send("GET", "/api/v1/ledger/export");
    ASSERT_EQ(exported.status, 200U);
    EXPECT_EQ(exported.Header("Content-Type"), "application/x-ndjson");
    EXPECT_TRUE(exported.chunked) << "the export is streamed, not built whole in memory";
    EXPECT_EQ(exported.Header("Content-Length"), "");
    EXPECT_EQ(Lines(exported.body).size(), m_service->LedgerSize());
}

} // namespace
} // namespace wijkbudget::test
