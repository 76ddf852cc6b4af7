#include "ledger/errc.hpp"
#include "ledger/hex.hpp"
#include "ledger/memory_hash_store.hpp"
#include "ledger/merkle.hpp"
#include "ledger/proof_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

constexpr std::uint64_t TREE_SIZE{13};

//! 64 hex digits, all `digit`: a well-formed hash that belongs to no tree.
std::string HashText(char digit)
{
    return std::string(HASH_BYTES * 2, digit);
}

MemoryHashStore SmallStore()
{
    MemoryHashStore store;
    for (std::uint64_t leaf = 0; leaf < TREE_SIZE; ++leaf) {
        store.Append(LeafHash("entry " + std::to_string(leaf)));
    }
    return store;
}

InclusionProofFile GoodInclusionFile()
{
    const MemoryHashStore store = SmallStore();
    return InclusionProofFile{5, TREE_SIZE, LeafHash("entry 5"), *TreeHash(TREE_SIZE, store),
                              *ProveInclusion(5, TREE_SIZE, store)};
}

ConsistencyProofFile GoodConsistencyFile()
{
    const MemoryHashStore store = SmallStore();
    return ConsistencyProofFile{6, TREE_SIZE, *TreeHash(6, store), *TreeHash(TREE_SIZE, store),
                                *ProveConsistency(6, TREE_SIZE, store)};
}

//! An inclusion file with one field's JSON text replaced (or left out, for an empty value).
std::string InclusionText(const std::string& field, const std::string& value)
{
    const std::vector<std::pair<std::string, std::string>> fields{
        {"leaf_index", "3"},
        {"tree_size", "8"},
        {"leaf_hash", "\"" + HashText('a') + "\""},
        {"root", "\"" + HashText('b') + "\""},
        {"proof", "[\"" + HashText('a') + "\", \"" + HashText('b') + "\"]"}};
    std::string text = "{";
    for (const auto& [name, json] : fields) {
        const std::string& shown = name == field ? value : json;
        if (shown.empty()) continue;
        if (text.size() > 1) text += ", ";
        text.append("\"").append(name).append("\": ").append(shown);
    }
    return text + "}";
}

void ExpectFailure(const boost::system::result<InclusionProofFile, Failure>& parsed, Errc code,
                   const std::string& where)
{
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, code) << parsed.error().Describe();
    EXPECT_EQ(parsed.error().where, where) << parsed.error().Describe();
}

void ExpectFailure(const boost::system::result<ConsistencyProofFile, Failure>& parsed, Errc code,
                   const std::string& where)
{
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, code) << parsed.error().Describe();
    EXPECT_EQ(parsed.error().where, where) << parsed.error().Describe();
}

TEST(ProofJsonTest, InclusionFileRoundTripsAndVerifies)
{
    const InclusionProofFile file = GoodInclusionFile();
    const std::string text = ToJson(file);
    EXPECT_EQ(text.rfind("{\"leaf_index\":5,\"tree_size\":13,\"leaf_hash\":\"", 0), 0U) << text;
    const auto parsed = ParseInclusionProofFile(text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().Describe();
    EXPECT_EQ(*parsed, file);
    EXPECT_TRUE(VerifyProofFile(*parsed).has_value());
}

TEST(ProofJsonTest, ConsistencyFileRoundTripsAndVerifies)
{
    const ConsistencyProofFile file = GoodConsistencyFile();
    const std::string text = ToJson(file);
    EXPECT_EQ(text.rfind("{\"size1\":6,\"size2\":13,\"root1\":\"", 0), 0U) << text;
    const auto parsed = ParseConsistencyProofFile(text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().Describe();
    EXPECT_EQ(*parsed, file);
    EXPECT_TRUE(VerifyProofFile(*parsed).has_value());
}

//! The files' JSON as boost::json writes it: the text ToJson gave before it wrote it directly.
std::string SerialisedByBoost(const boost::json::object& object)
{
    return boost::json::serialize(object);
}

boost::json::array HexArray(const std::vector<Hash>& hashes)
{
    boost::json::array items;
    for (const Hash& hash : hashes)
        items.emplace_back(ToHex(hash));
    return items;
}

TEST(ProofJsonTest, WrittenTextIsByteForByteWhatItWas)
{
    // Readers may have kept the old answers (they are immutable); the same file must give the
    // same bytes: every proof length from empty up, and counts beyond 2^53.
    const MemoryHashStore store = SmallStore();
    for (std::uint64_t size = 1; size <= TREE_SIZE; ++size) {
        for (std::uint64_t index = 0; index < size; ++index) {
            const InclusionProofFile file{index, size, LeafHash("entry " + std::to_string(index)),
                                          *TreeHash(size, store),
                                          *ProveInclusion(index, size, store)};
            EXPECT_EQ(ToJson(file),
                      SerialisedByBoost(boost::json::object{{"leaf_index", file.leaf_index},
                                                            {"tree_size", file.tree_size},
                                                            {"leaf_hash", ToHex(file.leaf_hash)},
                                                            {"root", ToHex(file.root)},
                                                            {"proof", HexArray(file.proof)}}));
        }
        const ConsistencyProofFile file{1, size, *TreeHash(1, store), *TreeHash(size, store),
                                        *ProveConsistency(1, size, store)};
        EXPECT_EQ(ToJson(file),
                  SerialisedByBoost(boost::json::object{{"size1", file.size1},
                                                        {"size2", file.size2},
                                                        {"root1", ToHex(file.root1)},
                                                        {"root2", ToHex(file.root2)},
                                                        {"proof", HexArray(file.proof)}}));
    }
    const InclusionProofFile large{
        (std::uint64_t{1} << 62) + 3, std::uint64_t{1} << 63, Hash{}, Hash{}, {}};
    EXPECT_EQ(ToJson(large),
              SerialisedByBoost(boost::json::object{{"leaf_index", large.leaf_index},
                                                    {"tree_size", large.tree_size},
                                                    {"leaf_hash", ToHex(large.leaf_hash)},
                                                    {"root", ToHex(large.root)},
                                                    {"proof", boost::json::array{}}}));
}

TEST(ProofJsonTest, FieldOrderAndWhiteSpaceDoNotMatter)
{
    const std::string text = "\n{ \"proof\" : [ ],\n  \"root\": \"" + HashText('b') +
                             "\", \"tree_size\": 1, \"leaf_hash\": \"" + HashText('a') +
                             "\", \"leaf_index\": 0 }\n";
    const auto parsed = ParseInclusionProofFile(text);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().Describe();
    EXPECT_EQ(parsed->tree_size, 1U);
    EXPECT_EQ(ToHex(parsed->leaf_hash), HashText('a'));
    EXPECT_TRUE(parsed->proof.empty());
    // Parsing is not verifying: this leaf is not the root of its one-leaf tree.
    EXPECT_EQ(VerifyProofFile(*parsed).error(), Errc::root_mismatch);
}

TEST(ProofJsonTest, TamperedFileFailsVerification)
{
    InclusionProofFile inclusion = GoodInclusionFile();
    inclusion.proof.back()[0] ^= 1U;
    EXPECT_EQ(VerifyProofFile(inclusion).error(), Errc::root_mismatch);
    inclusion.proof.pop_back();
    EXPECT_EQ(VerifyProofFile(inclusion).error(), Errc::proof_wrong_length);
    ConsistencyProofFile consistency = GoodConsistencyFile();
    std::swap(consistency.root1, consistency.root2);
    EXPECT_EQ(VerifyProofFile(consistency).error(), Errc::root_mismatch);
    consistency.size1 = 0;
    EXPECT_EQ(VerifyProofFile(consistency).error(), Errc::tree_size_invalid);
}

TEST(ProofJsonTest, RejectsTextThatIsNotStrictJson)
{
    // These failures come from ParseStrictJson; its `where` is a byte offset or a key.
    EXPECT_EQ(ParseInclusionProofFile("{\"leaf_index\": 1,").error().code, Errc::json_malformed);
    EXPECT_EQ(ParseInclusionProofFile("").error().code, Errc::json_malformed);
    const std::string duplicated = "{\"size1\": 1, \"size1\": 2}";
    EXPECT_EQ(ParseConsistencyProofFile(duplicated).error().code, Errc::json_duplicate_key);
    const std::string huge(PROOF_FILE_BYTES_MAX + 1, ' ');
    EXPECT_EQ(ParseInclusionProofFile(huge).error().code, Errc::json_too_large);
}

TEST(ProofJsonTest, RejectsDocumentThatIsNotAnObject)
{
    ExpectFailure(ParseInclusionProofFile("[]"), Errc::field_wrong_type, "");
    ExpectFailure(ParseConsistencyProofFile("17"), Errc::field_wrong_type, "");
}

TEST(ProofJsonTest, RejectsUnknownAndMissingFields)
{
    const std::string extra = InclusionText("", "");
    ExpectFailure(ParseInclusionProofFile(extra.substr(0, extra.size() - 1) + ", \"note\": 1}"),
                  Errc::field_unknown, "note");
    ExpectFailure(ParseInclusionProofFile(InclusionText("root", "")), Errc::field_missing, "root");
    ExpectFailure(ParseInclusionProofFile(InclusionText("leaf_index", "")), Errc::field_missing,
                  "leaf_index");
    // An inclusion file is not a consistency file: its first field is unknown there.
    ExpectFailure(ParseConsistencyProofFile(InclusionText("", "")), Errc::field_unknown,
                  "leaf_index");
    ExpectFailure(ParseConsistencyProofFile("{}"), Errc::field_missing, "size1");
}

TEST(ProofJsonTest, RejectsNumbersThatAreNotCounts)
{
    for (const std::string bad :
         {"\"3\"", "3.0", "3e0", "true", "null", "[3]", "{}", "18446744073709551616"}) {
        ExpectFailure(ParseInclusionProofFile(InclusionText("leaf_index", bad)),
                      Errc::field_wrong_type, "leaf_index");
    }
    ExpectFailure(ParseInclusionProofFile(InclusionText("tree_size", "-1")), Errc::field_invalid,
                  "tree_size");
    const std::string above_limit = std::to_string(TREE_SIZE_MAX + 1);
    ExpectFailure(ParseInclusionProofFile(InclusionText("tree_size", above_limit)),
                  Errc::field_invalid, "tree_size");
    const auto at_limit =
        ParseInclusionProofFile(InclusionText("tree_size", std::to_string(TREE_SIZE_MAX)));
    ASSERT_TRUE(at_limit.has_value());
    EXPECT_EQ(at_limit->tree_size, TREE_SIZE_MAX);
}

TEST(ProofJsonTest, RejectsBadHashes)
{
    ExpectFailure(ParseInclusionProofFile(InclusionText("root", "\"" + HashText('a') + "aa\"")),
                  Errc::hash_wrong_size, "root");
    ExpectFailure(ParseInclusionProofFile(InclusionText("root", "\"\"")), Errc::hash_wrong_size,
                  "root");
    const std::string uppercase(64, 'A');
    ExpectFailure(ParseInclusionProofFile(InclusionText("leaf_hash", "\"" + uppercase + "\"")),
                  Errc::field_invalid, "leaf_hash");
    std::string not_hex = HashText('a');
    not_hex[10] = 'g';
    ExpectFailure(ParseInclusionProofFile(InclusionText("leaf_hash", "\"" + not_hex + "\"")),
                  Errc::field_invalid, "leaf_hash");
    ExpectFailure(ParseInclusionProofFile(InclusionText("leaf_hash", "12")), Errc::field_wrong_type,
                  "leaf_hash");
    std::string consistency = ToJson(GoodConsistencyFile());
    const auto root2 = consistency.find("\"root2\":\"") + 9;
    consistency.replace(root2, 64, HashText('a').substr(0, 62));
    ExpectFailure(ParseConsistencyProofFile(consistency), Errc::hash_wrong_size, "root2");
}

TEST(ProofJsonTest, RejectsBadProofLists)
{
    ExpectFailure(ParseInclusionProofFile(InclusionText("proof", "\"" + HashText('a') + "\"")),
                  Errc::field_wrong_type, "proof");
    ExpectFailure(ParseInclusionProofFile(InclusionText("proof", "[\"" + HashText('a') + "\", 7]")),
                  Errc::field_wrong_type, "proof[1]");
    ExpectFailure(
        ParseInclusionProofFile(InclusionText("proof", "[\"" + HashText('a') + "\", \"ab\"]")),
        Errc::hash_wrong_size, "proof[1]");
    std::string long_list = "[";
    for (std::size_t position = 0; position <= PROOF_HASHES_MAX; ++position) {
        long_list += (position == 0 ? "\"" : ",\"") + HashText('a') + "\"";
    }
    ExpectFailure(ParseInclusionProofFile(InclusionText("proof", long_list + "]")),
                  Errc::field_too_long, "proof");
}

} // namespace
} // namespace wijkbudget::ledger
