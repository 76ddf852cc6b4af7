// wijkbudget-verify as its users run it: files in, exit status and messages out.

#include "ledger/checkpoint.hpp"
#include "ledger/cosignature.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/hex.hpp"
#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"
#include "ledger/note.hpp"
#include "ledger/note_key.hpp"
#include "ledger/proof_json.hpp"
#include "ledger/receipt.hpp"
#include "tests/support/sample_ledger.hpp"
#include "tests/support/test_temp_folder.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include <sys/wait.h>

namespace wijkbudget::ledger {
namespace {

struct ToolRun {
    int status{-1};
    std::string output; //!< stdout and stderr together.
};

std::string Quote(const std::string& text)
{
    return "'" + text + "'";
}

ToolRun Verify(const std::string& arguments)
{
    const std::string command = std::string(WB_VERIFY_TOOL) + " " + arguments + " 2>&1";
    std::FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    ToolRun run;
    std::array<char, 4096> buffer{};
    std::size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        run.output.append(buffer.data(), got);
    const int status = pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

//! A directory of this test's own, removed at its end: ctest runs the tests of this file in
//! parallel processes.
const std::string& TestDirectory()
{
    return testing::TestTempPath();
}

std::string Write(const std::string& name, const std::string& content)
{
    const std::string path = TestDirectory() + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

//! A log key, a witness key, the sample ledger's export and its signed, cosigned checkpoint.
class VerifyToolTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_log = *ParseSignerKey(*GenerateSignerKey("log.wijkbudget.example"));
        m_witness =
            *ParseSignerKey(*GenerateSignerKey("auditor.example", KeyType::cosignature_ed25519));
        for (const auto& entry : testing::SampleLedger()) {
            m_lines.push_back(SerialiseEntry(entry));
            m_store.Append(LeafHash(m_lines.back()));
        }
    }
    std::string CheckpointFile(std::uint64_t size, bool cosigned)
    {
        const Checkpoint checkpoint{m_log->Name(), size, *TreeHash(size, m_store), {}};
        std::string note = *SignCheckpoint(checkpoint, *m_log);
        if (cosigned)
            note = *AddSignatureLine(note, *Cosign(checkpoint, *m_witness, 1'800'000'000));
        return Write("checkpoint-" + std::to_string(size) + (cosigned ? "-cosigned" : ""), note);
    }
    std::string ExportFile(const std::vector<std::string>& lines)
    {
        std::string text;
        for (const auto& line : lines)
            text += line + "\n";
        return Write("export.ndjson", text);
    }
    std::string LogKey() const { return Quote(FormatVerifierKey(VerifierKeyOf(*m_log))); }
    std::string WitnessKey() const { return Quote(FormatVerifierKey(VerifierKeyOf(*m_witness))); }

    std::optional<SignerKey> m_log;
    std::optional<SignerKey> m_witness;
    std::vector<std::string> m_lines;
    MemoryHashStore m_store;
};

TEST_F(VerifyToolTest, RootOfTheKnownAnswerLeaves)
{
    const std::string path =
        Write("leaves.txt", "\n00\n10\n2021\n3031\n40414243\n5051525354555657\n"
                            "606162636465666768696a6b6c6d6e6f\n");
    const ToolRun run = Verify("root " + path);
    EXPECT_EQ(run.status, 0) << run.output;
    EXPECT_EQ(run.output, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n");
    EXPECT_EQ(Verify("root " + Write("empty.txt", "")).output,
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
    EXPECT_EQ(Verify("root " + Write("bad.txt", "00\nzz\n")).status, 2);
    // Lowercase only, as the README says of every hex in the verifier's files.
    const ToolRun upper = Verify("root " + Write("upper.txt", "00\n0A\n"));
    EXPECT_EQ(upper.status, 2) << upper.output;
    EXPECT_NE(upper.output.find("line 2 is not lowercase hex"), std::string::npos) << upper.output;
    // A verdict written to a full disk never reached its reader: not "valid".
    EXPECT_EQ(Verify("root " + path + " >/dev/full").status, 2);
    EXPECT_EQ(Verify("root " + Write("long.txt", std::string(4 * ENTRY_BYTES_MAX + 2, '0'))).status,
              2);
}

TEST_F(VerifyToolTest, InclusionAndConsistencyProofs)
{
    const std::uint64_t size = m_lines.size();
    InclusionProofFile inclusion{5, size, LeafHash(m_lines[5]), *TreeHash(size, m_store),
                                 *ProveInclusion(5, size, m_store)};
    EXPECT_EQ(Verify("inclusion " + Write("inclusion.json", ToJson(inclusion))).status, 0);
    inclusion.leaf_index = 6;
    const ToolRun wrong = Verify("inclusion " + Write("inclusion-wrong.json", ToJson(inclusion)));
    EXPECT_EQ(wrong.status, 1) << wrong.output;
    EXPECT_NE(wrong.output.find("root_mismatch"), std::string::npos) << wrong.output;
    EXPECT_EQ(Verify("inclusion " + Write("inclusion-bad.json", "{\"leaf_index\":1.5}")).status, 2);
    std::string short_hash = ToJson(inclusion);
    short_hash.replace(short_hash.find("\"leaf_hash\":\"") + 13, 2, "");
    const ToolRun wrong_size =
        Verify("inclusion " + Write("inclusion-short-hash.json", short_hash));
    EXPECT_EQ(wrong_size.status, 1) << wrong_size.output;
    EXPECT_NE(wrong_size.output.find("hash_wrong_size"), std::string::npos) << wrong_size.output;
    EXPECT_EQ(Verify("inclusion /nonexistent/file.json").status, 2);

    ConsistencyProofFile consistency{10, size, *TreeHash(10, m_store), *TreeHash(size, m_store),
                                     *ProveConsistency(10, size, m_store)};
    EXPECT_EQ(Verify("consistency " + Write("consistency.json", ToJson(consistency))).status, 0);
    std::swap(consistency.root1, consistency.root2);
    EXPECT_EQ(
        Verify("consistency " + Write("consistency-swapped.json", ToJson(consistency))).status, 1);
}

TEST_F(VerifyToolTest, ProofsBoundToSignedCheckpointsAndAnEntry)
{
    // Checked in itself, a proof only shows that its own numbers agree: one leaf whose "root" is
    // its own hash passes. Bound to a signed checkpoint and to the entry's bytes, it does not.
    const std::uint64_t size = m_lines.size();
    const std::string checkpoint = CheckpointFile(size, false);
    const std::string key = " --vkey " + LogKey();
    const InclusionProofFile made_up{0, 1, LeafHash(m_lines[5]), LeafHash(m_lines[5]), {}};
    const std::string fake = Write("inclusion-made-up.json", ToJson(made_up));
    EXPECT_EQ(Verify("inclusion " + fake).status, 0);
    const ToolRun unsigned_tree = Verify("inclusion " + fake + " --checkpoint " + checkpoint + key);
    EXPECT_EQ(unsigned_tree.status, 1) << unsigned_tree.output;
    EXPECT_NE(unsigned_tree.output.find("signs size " + std::to_string(size)), std::string::npos)
        << unsigned_tree.output;

    const InclusionProofFile real{5, size, LeafHash(m_lines[5]), *TreeHash(size, m_store),
                                  *ProveInclusion(5, size, m_store)};
    const std::string proof = Write("inclusion-5.json", ToJson(real));
    const std::string entry = Write("entry-5", m_lines[5] + "\n");
    const ToolRun bound =
        Verify("inclusion " + proof + " --checkpoint " + checkpoint + key + " --entry " + entry);
    EXPECT_EQ(bound.status, 0) << bound.output;
    EXPECT_NE(bound.output.find("the entry is leaf 5"), std::string::npos) << bound.output;
    const ToolRun other_entry =
        Verify("inclusion " + proof + " --entry " + Write("entry-6", m_lines[6]));
    EXPECT_EQ(other_entry.status, 1) << other_entry.output;
    EXPECT_NE(other_entry.output.find("leaf hash"), std::string::npos) << other_entry.output;
    EXPECT_EQ(
        Verify("inclusion " + proof + " --checkpoint " + CheckpointFile(20, false) + key).status,
        1);
    const std::string other_key = Quote(FormatVerifierKey(
        VerifierKeyOf(*ParseSignerKey(*GenerateSignerKey("log.wijkbudget.example")))));
    EXPECT_EQ(Verify("inclusion " + proof + " --checkpoint " + checkpoint + " --vkey " + other_key)
                  .status,
              1);
    EXPECT_EQ(Verify("inclusion " + proof + " --checkpoint " + checkpoint).status, 2);
    EXPECT_EQ(Verify("inclusion " + proof + key).status, 2);

    const ConsistencyProofFile extends{10, size, *TreeHash(10, m_store), *TreeHash(size, m_store),
                                       *ProveConsistency(10, size, m_store)};
    const std::string consistency = Write("consistency-10.json", ToJson(extends));
    const ToolRun kept = Verify("consistency " + consistency + " --from " +
                                CheckpointFile(10, false) + " --checkpoint " + checkpoint + key);
    EXPECT_EQ(kept.status, 0) << kept.output;
    EXPECT_NE(kept.output.find("from size 10 to size " + std::to_string(size)), std::string::npos)
        << kept.output;
    const ToolRun not_kept =
        Verify("consistency " + consistency + " --from " + CheckpointFile(11, false) + key);
    EXPECT_EQ(not_kept.status, 1) << not_kept.output;
    EXPECT_NE(not_kept.output.find("signs size 11"), std::string::npos) << not_kept.output;
    EXPECT_EQ(Verify("consistency " + consistency + " --from " + CheckpointFile(10, false)).status,
              2);
    EXPECT_EQ(Verify("consistency " + consistency + key).status, 2);
}

TEST_F(VerifyToolTest, CheckpointNeedsTheLogAndEveryNamedWitness)
{
    const std::string cosigned = CheckpointFile(m_lines.size(), true);
    const std::string plain = CheckpointFile(m_lines.size(), false);
    EXPECT_EQ(Verify("checkpoint --vkey " + LogKey() + " " + plain).status, 0);
    EXPECT_EQ(
        Verify("checkpoint --vkey " + LogKey() + " --witness " + WitnessKey() + " " + cosigned)
            .status,
        0);
    const ToolRun missing =
        Verify("checkpoint --vkey " + LogKey() + " --witness " + WitnessKey() + " " + plain);
    EXPECT_EQ(missing.status, 1) << missing.output;
    EXPECT_NE(missing.output.find("signature_missing"), std::string::npos) << missing.output;
    const std::string other = Quote(FormatVerifierKey(
        VerifierKeyOf(*ParseSignerKey(*GenerateSignerKey("log.wijkbudget.example")))));
    EXPECT_EQ(Verify("checkpoint --vkey " + other + " " + plain).status, 1);
    EXPECT_EQ(Verify("checkpoint --vkey not-a-key " + plain).status, 2);
    // The log's own key named as a witness would count its signature twice.
    const ToolRun itself =
        Verify("checkpoint --vkey " + LogKey() + " --witness " + LogKey() + " " + plain);
    EXPECT_EQ(itself.status, 2) << itself.output;
    EXPECT_NE(itself.output.find("the log's own key (--vkey) is no witness"), std::string::npos)
        << itself.output;
    EXPECT_EQ(Verify("checkpoint " + plain).status, 2);
}

TEST_F(VerifyToolTest, ExportIsCheckedAgainstTheCheckpoint)
{
    const std::string checkpoint = CheckpointFile(m_lines.size(), false);
    const ToolRun valid = Verify("export " + ExportFile(m_lines) + " --checkpoint " + checkpoint +
                                 " --vkey " + LogKey());
    EXPECT_EQ(valid.status, 0) << valid.output;
    EXPECT_NE(valid.output.find(std::to_string(m_lines.size()) + " entries"), std::string::npos)
        << valid.output;

    auto altered = m_lines;
    altered[5].replace(altered[5].find(".123Z"), 5, ".999Z");
    const ToolRun tampered = Verify("export " + ExportFile(altered) + " --checkpoint " +
                                    checkpoint + " --vkey " + LogKey());
    EXPECT_EQ(tampered.status, 1) << tampered.output;
    EXPECT_NE(tampered.output.find("index 5: entry_altered"), std::string::npos) << tampered.output;

    const ToolRun ahead = Verify("export " + ExportFile(m_lines) + " --checkpoint " +
                                 CheckpointFile(20, false) + " --vkey " + LogKey());
    EXPECT_EQ(ahead.status, 0) << ahead.output;
    const std::string not_covered =
        "not yet covered: " + std::to_string(m_lines.size() - 20) + " entries from index 20";
    EXPECT_NE(ahead.output.find(not_covered), std::string::npos) << ahead.output;

    const ToolRun one_thread = Verify("export " + ExportFile(m_lines) + " --checkpoint " +
                                      checkpoint + " --vkey " + LogKey() + " --threads 1");
    EXPECT_EQ(one_thread.status, 0) << one_thread.output;
    EXPECT_EQ(Verify("export " + ExportFile(m_lines) + " --checkpoint " + checkpoint + " --vkey " +
                     LogKey() + " --threads 0")
                  .status,
              2);
    // Given twice, one is a mistake: refused, as a second --vkey is.
    EXPECT_EQ(Verify("export " + ExportFile(m_lines) + " --checkpoint " + checkpoint + " --vkey " +
                     LogKey() + " --threads 2 --threads 1")
                  .status,
              2);

    const std::vector<std::string> short_export(m_lines.begin(), m_lines.begin() + 3);
    const ToolRun behind = Verify("export " + ExportFile(short_export) + " --checkpoint " +
                                  checkpoint + " --vkey " + LogKey());
    EXPECT_EQ(behind.status, 1) << behind.output;
    EXPECT_NE(behind.output.find("export_incomplete"), std::string::npos) << behind.output;
}

TEST_F(VerifyToolTest, ReceiptProvesExactlyItsEntry)
{
    const std::uint64_t size = m_lines.size();
    const Checkpoint checkpoint{m_log->Name(), size, *TreeHash(size, m_store), {}};
    const std::string note = *AddSignatureLine(*SignCheckpoint(checkpoint, *m_log),
                                               *Cosign(checkpoint, *m_witness, 1'800'000'000));
    const std::string receipt =
        Write("entry-5.tlog-proof",
              FormatReceipt(Receipt{std::nullopt, 5, *ProveInclusion(5, size, m_store), note}));
    const std::string entry = Write("entry-5.json", m_lines[5] + "\n");
    const ToolRun valid = Verify("receipt --vkey " + LogKey() + " --witness " + WitnessKey() + " " +
                                 receipt + " " + entry);
    EXPECT_EQ(valid.status, 0) << valid.output;
    const ToolRun other = Verify("receipt --vkey " + LogKey() + " " + receipt + " " +
                                 Write("entry-6.json", m_lines[6]));
    EXPECT_EQ(other.status, 1) << other.output;
    EXPECT_NE(other.output.find("root_mismatch"), std::string::npos) << other.output;
    const ToolRun garbled = Verify("receipt --vkey " + LogKey() + " " +
                                   Write("garbled.tlog-proof", "hello\n") + " " + entry);
    EXPECT_EQ(garbled.status, 1) << garbled.output;
    EXPECT_EQ(Verify("receipt --vkey " + LogKey() + " " + receipt).status, 2);
}

TEST_F(VerifyToolTest, AReceiptMustPutTheEntryAtTheIndexItNames)
{
    // A log that placed entry 7's bytes at position 5 (a misbehaving log): the proof of position 5
    // holds, but a reader would take the entry for index 7, which the log holds elsewhere.
    MemoryHashStore shuffled;
    for (std::size_t position = 0; position < 5; ++position)
        shuffled.Append(LeafHash(m_lines[position]));
    shuffled.Append(LeafHash(m_lines[7]));
    const Checkpoint checkpoint{m_log->Name(), 6, *TreeHash(6, shuffled), {}};
    const std::string receipt =
        Write("misplaced.tlog-proof",
              FormatReceipt(Receipt{std::nullopt, 5, *ProveInclusion(5, 6, shuffled),
                                    *SignCheckpoint(checkpoint, *m_log)}));
    const ToolRun misplaced = Verify("receipt --vkey " + LogKey() + " " + receipt + " " +
                                     Write("entry-7.json", m_lines[7]));
    EXPECT_EQ(misplaced.status, 1) << misplaced.output;
    EXPECT_NE(misplaced.output.find("the entry names index 7; the proof places it at index 5"),
              std::string::npos)
        << misplaced.output;
    // The same for an inclusion proof bound to an entry.
    const InclusionProofFile proof_file{5, 6, LeafHash(m_lines[7]), *TreeHash(6, shuffled),
                                        *ProveInclusion(5, 6, shuffled)};
    const ToolRun misplaced_inclusion =
        Verify("inclusion " + Write("misplaced-inclusion.json", ToJson(proof_file)) + " --entry " +
               Write("entry-7-again.json", m_lines[7]));
    EXPECT_EQ(misplaced_inclusion.status, 1) << misplaced_inclusion.output;
    EXPECT_NE(misplaced_inclusion.output.find("the entry names index 7"), std::string::npos)
        << misplaced_inclusion.output;
    // Bytes the log signed that are no ledger entry prove nothing about one either.
    MemoryHashStore foreign;
    foreign.Append(LeafHash(std::string("{\"not\":\"an entry\"}")));
    const Checkpoint foreign_checkpoint{m_log->Name(), 1, *TreeHash(1, foreign), {}};
    const ToolRun not_an_entry =
        Verify("receipt --vkey " + LogKey() + " " +
               Write("foreign.tlog-proof",
                     FormatReceipt(Receipt{
                         std::nullopt, 0, {}, *SignCheckpoint(foreign_checkpoint, *m_log)})) +
               " " + Write("foreign.json", "{\"not\":\"an entry\"}"));
    EXPECT_EQ(not_an_entry.status, 1) << not_an_entry.output;
    EXPECT_NE(not_an_entry.output.find("ENTRY is not a ledger entry"), std::string::npos)
        << not_an_entry.output;
    // At its own position, entry 7 is proven, and the verdict names it.
    const Checkpoint whole{m_log->Name(), m_lines.size(), *TreeHash(m_lines.size(), m_store), {}};
    const ToolRun valid = Verify(
        "receipt --vkey " + LogKey() + " " +
        Write("entry-7.tlog-proof",
              FormatReceipt(Receipt{std::nullopt, 7, *ProveInclusion(7, m_lines.size(), m_store),
                                    *SignCheckpoint(whole, *m_log)})) +
        " " + Write("entry-7.json", m_lines[7]));
    EXPECT_EQ(valid.status, 0) << valid.output;
    EXPECT_NE(valid.output.find("valid receipt: entry 7 is in"), std::string::npos) << valid.output;
}

TEST_F(VerifyToolTest, EachKeyMustBeOfItsKind)
{
    const std::string note = CheckpointFile(m_lines.size(), true);
    // A witness's key as the log's: refused as usage, not reported as a bad checkpoint.
    const ToolRun witness_as_log = Verify("checkpoint --vkey " + WitnessKey() + " " + note);
    EXPECT_EQ(witness_as_log.status, 2) << witness_as_log.output;
    EXPECT_NE(witness_as_log.output.find("a log's key"), std::string::npos)
        << witness_as_log.output;
    // A log-type key as a witness's would count a plain note signature as a cosignature.
    const auto other_log = *ParseSignerKey(*GenerateSignerKey("other-log.example"));
    const ToolRun log_as_witness =
        Verify("checkpoint --vkey " + LogKey() + " --witness " +
               Quote(FormatVerifierKey(VerifierKeyOf(other_log))) + " " + note);
    EXPECT_EQ(log_as_witness.status, 2) << log_as_witness.output;
    EXPECT_NE(log_as_witness.output.find("a witness's cosignature key"), std::string::npos)
        << log_as_witness.output;
    EXPECT_EQ(
        Verify("checkpoint --vkey " + LogKey() + " --witness " + WitnessKey() + " " + note).status,
        0);
}

TEST_F(VerifyToolTest, BadUsageExitsWithTwo)
{
    EXPECT_EQ(Verify("").status, 2);
    EXPECT_EQ(Verify("frobnicate").status, 2);
    EXPECT_EQ(Verify("export only-a-file").status, 2);
    EXPECT_EQ(Verify("export x --checkpoint y --vkey z --colour blue").status, 2);
    EXPECT_EQ(Verify("--help").status, 0);
    // Only as the command's one argument: elsewhere --help is an unknown option, never a status
    // 0 without a verdict (a loop over files, one of them named --help).
    const ToolRun stray = Verify("receipt --vkey " + LogKey() + " --help " + Write("e.json", "{}"));
    EXPECT_EQ(stray.status, 2) << stray.output;
    EXPECT_NE(stray.output.find("unknown option --help"), std::string::npos) << stray.output;
    // After "--" every argument is a file, even one that looks like an option.
    EXPECT_EQ(Verify("frobnicate --help").status, 2);
    EXPECT_EQ(Verify("--help extra").status, 2);
    const ToolRun file_named_help = Verify("root -- --help");
    EXPECT_EQ(file_named_help.status, 2) << file_named_help.output;
    EXPECT_NE(file_named_help.output.find("cannot open --help"), std::string::npos)
        << file_named_help.output;
    // A command's --help is the usage too, and it lists every option the command takes.
    const ToolRun help = Verify("export --help");
    EXPECT_EQ(help.status, 0) << help.output;
    EXPECT_NE(help.output.find("export FILE --checkpoint FILE --vkey VKEY [--witness VKEY ...]"),
              std::string::npos)
        << help.output;
}

} // namespace
} // namespace wijkbudget::ledger
