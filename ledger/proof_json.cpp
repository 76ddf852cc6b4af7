#include "ledger/proof_json.hpp"

#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/strict_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <span>

namespace wijkbudget::ledger {
namespace {

namespace json = boost::json;

template <typename T>
using Parsed = boost::system::result<T, Failure>;

constexpr std::array<std::string_view, 5> INCLUSION_FIELDS{"leaf_index", "tree_size", "leaf_hash",
                                                           "root", "proof"};
constexpr std::array<std::string_view, 5> CONSISTENCY_FIELDS{"size1", "size2", "root1", "root2",
                                                             "proof"};

//! Parses the text and checks that it is an object with exactly the given fields. Unknown
//! fields are reported before missing ones: a misspelt key then names the spelling used.
Parsed<json::object> ReadObject(std::string_view text, std::span<const std::string_view> fields)
{
    auto parsed = ParseStrictJson(text, PROOF_FILE_BYTES_MAX);
    if (!parsed) return parsed.error();
    if (!parsed->is_object()) return MakeFailure(Errc::field_wrong_type, "");
    json::object& object = parsed->get_object();
    for (const auto& member : object) {
        const std::string_view key{member.key().data(), member.key().size()};
        if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
            return MakeFailure(Errc::field_unknown, std::string(key));
        }
    }
    for (const std::string_view field : fields) {
        if (!object.contains(field)) return MakeFailure(Errc::field_missing, std::string(field));
    }
    return std::move(object);
}

//! A tree size or leaf index: a JSON integer in 0..TREE_SIZE_MAX. Fractions and exponents are
//! refused even when their value is whole, as for money (STYLE.md section 5).
Parsed<std::uint64_t> ReadCount(const json::object& object, std::string_view field)
{
    const json::value& value = object.at(field);
    std::uint64_t count = 0;
    if (value.is_uint64()) {
        count = value.get_uint64();
    } else if (value.is_int64()) {
        if (value.get_int64() < 0) return MakeFailure(Errc::field_invalid, std::string(field));
        count = static_cast<std::uint64_t>(value.get_int64());
    } else {
        return MakeFailure(Errc::field_wrong_type, std::string(field));
    }
    // No tree of ours can be larger, and stored-hash arithmetic assumes the bound.
    if (count > TREE_SIZE_MAX) return MakeFailure(Errc::field_invalid, std::string(field));
    return count;
}

Parsed<Hash> ReadHash(const json::value& value, std::string where)
{
    if (!value.is_string()) return MakeFailure(Errc::field_wrong_type, std::move(where));
    const json::string& text = value.get_string();
    if (text.size() != HASH_BYTES * 2) return MakeFailure(Errc::hash_wrong_size, std::move(where));
    const auto hash = HashFromHex(std::string_view{text.data(), text.size()});
    if (!hash) return MakeFailure(Errc::field_invalid, std::move(where));
    return *hash;
}

Parsed<Hash> ReadHashField(const json::object& object, std::string_view field)
{
    return ReadHash(object.at(field), std::string(field));
}

Parsed<std::vector<Hash>> ReadProof(const json::object& object)
{
    const json::value& value = object.at("proof");
    if (!value.is_array()) return MakeFailure(Errc::field_wrong_type, "proof");
    const json::array& items = value.get_array();
    if (items.size() > PROOF_HASHES_MAX) return MakeFailure(Errc::field_too_long, "proof");
    std::vector<Hash> proof;
    proof.reserve(items.size());
    for (std::size_t position = 0; position < items.size(); ++position) {
        auto hash = ReadHash(items[position], "proof[" + std::to_string(position) + "]");
        if (!hash) return hash.error();
        proof.push_back(*hash);
    }
    return proof;
}

/** Writers of the two files' JSON, field by field in the order the files have always had. The
 *  values are integers and lowercase hex, which JSON needs no escaping for, so the text is
 *  written directly: building a boost::json object of hex strings first was the largest part
 *  (two fifths) of computing an uncached proof's answer (perf, a ledger of 149,000 entries). */
class FileWriter
{
public:
    explicit FileWriter(std::size_t hashes) { m_text.reserve(128 + hashes * 68); }

    void Number(std::string_view name, std::uint64_t value)
    {
        Name(name);
        m_text.append(std::to_string(value));
    }
    void HexHash(std::string_view name, const Hash& hash)
    {
        Name(name);
        AppendQuotedHex(hash);
    }
    void HexHashes(std::string_view name, std::span<const Hash> hashes)
    {
        Name(name);
        m_text.push_back('[');
        for (std::size_t i = 0; i < hashes.size(); ++i) {
            if (i > 0) m_text.push_back(',');
            AppendQuotedHex(hashes[i]);
        }
        m_text.push_back(']');
    }
    std::string Finish()
    {
        m_text.push_back('}');
        return std::move(m_text);
    }

private:
    void Name(std::string_view name)
    {
        m_text.push_back(m_text.empty() ? '{' : ',');
        m_text.push_back('"');
        m_text.append(name); // The files' own field names: plain ASCII, nothing to escape.
        m_text.append("\":");
    }
    void AppendQuotedHex(const Hash& hash)
    {
        m_text.push_back('"');
        m_text.append(ToHex(hash));
        m_text.push_back('"');
    }

    std::string m_text;
};

} // namespace

Parsed<InclusionProofFile> ParseInclusionProofFile(std::string_view text)
{
    auto object = ReadObject(text, INCLUSION_FIELDS);
    if (!object) return object.error();
    auto leaf_index = ReadCount(*object, "leaf_index");
    if (!leaf_index) return leaf_index.error();
    auto tree_size = ReadCount(*object, "tree_size");
    if (!tree_size) return tree_size.error();
    auto leaf_hash = ReadHashField(*object, "leaf_hash");
    if (!leaf_hash) return leaf_hash.error();
    auto root = ReadHashField(*object, "root");
    if (!root) return root.error();
    auto proof = ReadProof(*object);
    if (!proof) return proof.error();
    return InclusionProofFile{*leaf_index, *tree_size, *leaf_hash, *root, std::move(*proof)};
}

Parsed<ConsistencyProofFile> ParseConsistencyProofFile(std::string_view text)
{
    auto object = ReadObject(text, CONSISTENCY_FIELDS);
    if (!object) return object.error();
    auto size1 = ReadCount(*object, "size1");
    if (!size1) return size1.error();
    auto size2 = ReadCount(*object, "size2");
    if (!size2) return size2.error();
    auto root1 = ReadHashField(*object, "root1");
    if (!root1) return root1.error();
    auto root2 = ReadHashField(*object, "root2");
    if (!root2) return root2.error();
    auto proof = ReadProof(*object);
    if (!proof) return proof.error();
    return ConsistencyProofFile{*size1, *size2, *root1, *root2, std::move(*proof)};
}

std::string ToJson(const InclusionProofFile& file)
{
    FileWriter writer{file.proof.size()};
    writer.Number("leaf_index", file.leaf_index);
    writer.Number("tree_size", file.tree_size);
    writer.HexHash("leaf_hash", file.leaf_hash);
    writer.HexHash("root", file.root);
    writer.HexHashes("proof", file.proof);
    return writer.Finish();
}

std::string ToJson(const ConsistencyProofFile& file)
{
    FileWriter writer{file.proof.size()};
    writer.Number("size1", file.size1);
    writer.Number("size2", file.size2);
    writer.HexHash("root1", file.root1);
    writer.HexHash("root2", file.root2);
    writer.HexHashes("proof", file.proof);
    return writer.Finish();
}

boost::system::result<void> VerifyProofFile(const InclusionProofFile& file)
{
    return VerifyInclusion(file.leaf_index, file.tree_size, file.leaf_hash, file.proof, file.root);
}

boost::system::result<void> VerifyProofFile(const ConsistencyProofFile& file)
{
    return VerifyConsistency(file.size1, file.size2, file.root1, file.root2, file.proof);
}

} // namespace wijkbudget::ledger
