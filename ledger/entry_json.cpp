#include "ledger/entry_json.hpp"

#include "ledger/assert.hpp"
#include "ledger/canonical_json.hpp"
#include "ledger/fields.hpp"
#include "ledger/strict_json.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>

namespace wijkbudget::ledger {
namespace {

namespace json = boost::json;
using EntryResult = boost::system::result<Entry, Failure>;

//! The top-level members; anything else is unknown.
constexpr std::array TOP_LEVEL_MEMBERS{
    std::string_view{"format"},   std::string_view{"kind"},    std::string_view{"index"},
    std::string_view{"previous"}, std::string_view{"actor"},   std::string_view{"recorded_at"},
    std::string_view{"council"},  std::string_view{"payload"}, std::string_view{"postings"}};

//! Sets `payload` to the alternative whose KIND is `kind`; false if none is.
template <std::size_t INDEX = 0>
bool EmplaceKind(Payload& payload, std::string_view kind)
{
    if constexpr (INDEX == std::variant_size_v<Payload>) {
        return false;
    } else {
        using Alternative = std::variant_alternative_t<INDEX, Payload>;
        if (Alternative::KIND == kind) {
            payload.emplace<INDEX>();
            return true;
        }
        return EmplaceKind<INDEX + 1>(payload, kind);
    }
}

boost::system::result<void, Failure> ReadHeader(const json::object& object, Entry& entry)
{
    const json::value* format = object.if_contains("format");
    if (format == nullptr) return MakeFailure(Errc::field_missing, "format");
    if (!format->is_int64() && !format->is_uint64()) {
        return MakeFailure(Errc::field_wrong_type, "format");
    }
    if (!format->is_int64() || format->get_int64() != ENTRY_FORMAT_VERSION) {
        return MakeFailure(Errc::unsupported_version, "format");
    }
    const json::value* kind = object.if_contains("kind");
    if (kind == nullptr) return MakeFailure(Errc::field_missing, "kind");
    if (!kind->is_string()) return MakeFailure(Errc::field_wrong_type, "kind");
    if (!EmplaceKind(entry.payload, kind->get_string())) {
        return MakeFailure(Errc::unknown_kind, "kind");
    }
    return {};
}

boost::system::result<void, Failure> ReadChain(const json::object& object, Entry& entry)
{
    const json::value* index = object.if_contains("index");
    if (index == nullptr) return MakeFailure(Errc::field_missing, "index");
    if (auto read = fields::Read(*index, entry.index, fields::Path{"index"}); !read) return read;
    // The first entry has no predecessor; every other entry names one.
    const json::value* previous = object.if_contains("previous");
    if (entry.index.value == 0) {
        if (previous != nullptr) return MakeFailure(Errc::field_unknown, "previous");
        return {};
    }
    if (previous == nullptr) return MakeFailure(Errc::field_missing, "previous");
    return fields::Read(*previous, entry.previous, fields::Path{"previous"});
}

boost::system::result<void, Failure> ReadCouncil(const json::object& object, Entry& entry)
{
    const json::value* council = object.if_contains("council");
    const CouncilPresence presence = CouncilPresenceOf(entry.payload);
    if (council == nullptr) {
        if (presence == CouncilPresence::required) {
            return MakeFailure(Errc::field_missing, "council");
        }
        return {};
    }
    if (presence == CouncilPresence::absent) return MakeFailure(Errc::field_unknown, "council");
    return fields::Read(*council, entry.council, fields::Path{"council"});
}

boost::system::result<void, Failure> ReadPostings(const json::object& object, Entry& entry)
{
    const json::value* postings = object.if_contains("postings");
    if (postings == nullptr) return {};
    BoundedList<Posting, POSTINGS_PER_ENTRY_MAX> list;
    if (auto read = fields::Read(*postings, list, fields::Path{"postings"}); !read) return read;
    // No postings is spelled by leaving the member out: one spelling per entry.
    if (list.items.empty()) return MakeFailure(Errc::field_invalid, "postings");
    entry.postings = std::move(list.items);
    return {};
}

} // namespace

json::value EntryToJson(const Entry& entry)
{
    json::object object;
    object.emplace("format", entry.format_version);
    object.emplace("kind", KindOf(entry));
    object.emplace("index", fields::Write(entry.index));
    if (entry.previous) object.emplace("previous", fields::Write(*entry.previous));
    object.emplace("actor", fields::Write(entry.actor));
    object.emplace("recorded_at", fields::Write(entry.recorded_at));
    if (entry.council) object.emplace("council", fields::Write(*entry.council));
    object.emplace("payload", std::visit([](const auto& payload) { return fields::Write(payload); },
                                         entry.payload));
    if (!entry.postings.empty()) {
        json::array postings;
        for (const auto& posting : entry.postings) {
            postings.push_back(fields::Write(posting));
        }
        object.emplace("postings", std::move(postings));
    }
    return object;
}

std::string SerialiseEntry(const Entry& entry)
{
    auto bytes = SerialiseCanonical(EntryToJson(entry));
    // Every value an Entry can hold is an integer within 2^53 or a string.
    WB_ASSERT(bytes.has_value());
    return std::move(*bytes);
}

EntryResult EntryFromJson(const json::value& value)
{
    if (!value.is_object()) return MakeFailure(Errc::field_wrong_type, "entry");
    const auto& object = value.get_object();
    Entry entry;
    if (auto read = ReadHeader(object, entry); !read) return read.error();
    for (const auto& member : object) {
        if (std::find(TOP_LEVEL_MEMBERS.begin(), TOP_LEVEL_MEMBERS.end(), member.key()) ==
            TOP_LEVEL_MEMBERS.end()) {
            return MakeFailure(Errc::field_unknown, std::string(member.key()));
        }
    }
    if (auto read = ReadChain(object, entry); !read) return read.error();
    const json::value* actor = object.if_contains("actor");
    if (actor == nullptr) return MakeFailure(Errc::field_missing, "actor");
    if (auto read = fields::Read(*actor, entry.actor, fields::Path{"actor"}); !read) {
        return read.error();
    }
    const json::value* recorded_at = object.if_contains("recorded_at");
    if (recorded_at == nullptr) return MakeFailure(Errc::field_missing, "recorded_at");
    if (auto read = fields::Read(*recorded_at, entry.recorded_at, fields::Path{"recorded_at"});
        !read) {
        return read.error();
    }
    if (auto read = ReadCouncil(object, entry); !read) return read.error();
    const json::value* payload = object.if_contains("payload");
    if (payload == nullptr) return MakeFailure(Errc::field_missing, "payload");
    auto read_payload = std::visit(
        [&](auto& alternative) {
            return fields::Read(*payload, alternative, fields::Path{"payload"});
        },
        entry.payload);
    if (!read_payload) return read_payload.error();
    if (auto read = ReadPostings(object, entry); !read) return read.error();
    return entry;
}

EntryResult ParseEntry(std::string_view text)
{
    auto value = ParseStrictJson(text, ENTRY_BYTES_MAX);
    if (!value) return value.error();
    return EntryFromJson(*value);
}

EntryResult ParseCanonicalEntry(std::string_view bytes)
{
    if (bytes.size() > ENTRY_BYTES_MAX) {
        return MakeFailure(Errc::json_too_large, std::to_string(ENTRY_BYTES_MAX) + " bytes");
    }
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = JSON_DEPTH_MAX;
    json::monotonic_resource arena;
    const json::value value =
        json::parse(json::string_view(bytes.data(), bytes.size()), ec, &arena, options);
    if (ec) {
        // The fast reader only says that something is wrong; the strict one says where.
        auto strict = ParseStrictJson(bytes, ENTRY_BYTES_MAX);
        return strict ? MakeFailure(Errc::json_malformed, "entry") : strict.error();
    }
    // Comparing the JSON value's canonical form with the bytes refuses white space, key order,
    // escapes and repeated keys (Boost.JSON keeps the last, and the bytes then differ). The
    // entry reader maps each JSON value to one C++ value and back (hashes in lowercase, one
    // time format, no empty postings), so a canonical value gives a canonical entry; the fuzz
    // target asserts SerialiseEntry(entry) == bytes for every input this accepts.
    auto canonical = SerialiseCanonical(value);
    if (!canonical || *canonical != bytes) return MakeFailure(Errc::json_not_canonical, "entry");
    return EntryFromJson(value);
}

} // namespace wijkbudget::ledger
