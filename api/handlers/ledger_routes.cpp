// api/handlers/ledger_routes.cpp: the public ledger: entries, checkpoint, proofs, export, key.
//
// No token needed: the ledger is public (DESIGN.md section 1). What a reader gets here is what
// `wijkbudget-verify` checks offline: canonical entry bytes, C2SP checkpoints, RFC 9162 proofs.
#include "api/entity_tags.hpp"
#include "api/export_slots.hpp"
#include "api/routes.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/proof_json.hpp"
#include "ledger/tree_root_cache.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <memory>
#include <vector>

namespace wijkbudget::api {
namespace {

//! Entries a page holds unless the client asks for fewer.
constexpr std::uint64_t LEDGER_PAGE_ENTRIES_DEFAULT{100};
//! Entries read per chunk of an export: one query, about 0.5 MB.
constexpr std::size_t EXPORT_CHUNK_ENTRIES{1000};
/** Entries one uncached read of a single entry fetches and caches: the aligned page around it.
 *  Readers walk the ledger (a verifier, a mirror) or sample it; either way the neighbours follow,
 *  and one query for a page costs little more than one for an entry. */
constexpr std::uint64_t ENTRY_READ_AHEAD_ENTRIES{32};
/** Leaves whose stored hashes one uncached proof loads: the aligned group around it,
 *  2^INCLUSION_READ_AHEAD_LEVELS leaves. The group's proofs differ only in the hashes inside the
 *  group, which one query loads for all of them. */
constexpr int INCLUSION_READ_AHEAD_LEVELS{5};
//! Immutable things (an entry, a proof between fixed sizes) may be cached for a year.
constexpr std::string_view IMMUTABLE{"public, max-age=31536000, immutable"};
//! The checkpoint changes with every batch: a short cache takes load without hiding news.
constexpr std::string_view CHECKPOINT_CACHE{"public, max-age=2"};

Reply StorageProblem()
{
    return ProblemReply(http::status::service_unavailable, "storage_unavailable",
                        "the ledger could not be read; try again");
}

Reply Immutable(Reply reply, const std::string& etag)
{
    reply.response.set(http::field::cache_control, IMMUTABLE);
    reply.response.set(http::field::etag, "\"" + etag + "\"");
    return reply;
}

//! 304 when the client already holds this immutable representation.
bool ClientHasIt(const RouteCall& call, const std::string& etag)
{
    return IfNoneMatchNames(call.request, "\"" + etag + "\"");
}

Reply NotModified(const std::string& etag)
{
    Reply reply;
    reply.response.result(http::status::not_modified);
    reply.response.set(http::field::cache_control, IMMUTABLE);
    reply.response.set(http::field::etag, "\"" + etag + "\"");
    return reply;
}

//! A cached immutable response ("<etag>\n<body>"), as a reply; none if not cached.
std::optional<Reply> FromCache(const RouteCall& call, const std::string& key)
{
    const auto cached = call.immutable.Find(key);
    if (!cached) return std::nullopt;
    const auto newline = cached->find('\n');
    const std::string etag = cached->substr(0, newline);
    if (ClientHasIt(call, etag)) return NotModified(etag);
    return Immutable(JsonReply(http::status::ok, cached->substr(newline + 1)), etag);
}

//! Keeps an immutable response for the next reader, and returns it.
Reply CachedImmutable(const RouteCall& call, const std::string& key, const std::string& etag,
                      std::string body)
{
    call.immutable.Put(key, etag + "\n" + body);
    return Immutable(JsonReply(http::status::ok, std::move(body)), etag);
}

//! The cache key of the entry at `index`.
std::string EntryKey(std::uint64_t index)
{
    return "entry/" + std::to_string(index);
}

boost::json::object EntryJson(std::uint64_t index, const std::string& bytes)
{
    boost::json::object json;
    json["index"] = index;
    json["leaf_hash"] = ledger::ToHex(ledger::LeafHash(bytes));
    json["entry"] = bytes; // The canonical bytes verbatim: hash them, do not re-serialise.
    return json;
}

//! Whether a proof may name tree `size`: one a checkpoint signed (a root no checkpoint signed
//! would prove nothing to an outside verifier). Sizes only grow, so the largest seen is kept and
//! only a larger size needs a look at the checkpoints. The error holds the latest size.
boost::system::result<bool, Reply> IsSignedSize(const RouteCall& call, std::uint64_t size)
{
    if (size <= call.signed_size.load()) return true;
    auto checkpoint = call.ports.checkpoints.LatestCheckpoint();
    if (!checkpoint) return StorageProblem();
    const std::uint64_t latest = *checkpoint ? (*checkpoint)->size : 0;
    std::uint64_t seen = call.signed_size.load();
    while (seen < latest && !call.signed_size.compare_exchange_weak(seen, latest)) {
    }
    return size <= latest;
}

//! The leaf hash of entry `index`, from the stored hashes (level 0 holds the leaves).
boost::system::result<ledger::Hash> LeafHashAt(const ledger::HashReader& reader,
                                               std::uint64_t index)
{
    const std::uint64_t stored_index = ledger::StoredHashIndex(0, index);
    auto hashes = reader.ReadHashes(std::span<const std::uint64_t>{&stored_index, 1});
    if (!hashes) return hashes.error();
    return hashes->front();
}

//! The request target that names an entry: the transport keeps read-ahead answers by it.
std::string EntryTarget(std::uint64_t index)
{
    return "/api/v1/ledger/entries/" + std::to_string(index);
}

//! The cache key, and ETag, of the inclusion proof of leaf `index` in the tree of `size`.
std::string InclusionKey(std::uint64_t index, std::uint64_t size)
{
    return "inclusion-" + std::to_string(index) + "-" + std::to_string(size);
}

//! The root of the tree of `size`: from the ports' cache of roots when there is one.
boost::system::result<ledger::Hash> RootOf(const RouteCall& call, std::uint64_t size,
                                           const ledger::HashReader& reader)
{
    if (call.ports.tree_roots != nullptr) return call.ports.tree_roots->Root(size, reader);
    return ledger::TreeHash(size, reader);
}

//! The inclusion proof of leaf `index` in the tree of `size`, as JSON, from `reader`'s hashes.
boost::system::result<std::string> InclusionProofJson(const RouteCall& call,
                                                      const ledger::HashReader& reader,
                                                      std::uint64_t index, std::uint64_t size)
{
    auto root = RootOf(call, size, reader);
    if (!root) return root.error();
    auto leaf = LeafHashAt(reader, index);
    if (!leaf) return leaf.error();
    auto proof = ledger::ProveInclusion(index, size, reader);
    if (!proof) return proof.error();
    return ledger::ToJson(ledger::InclusionProofFile{index, size, *leaf, *root, std::move(*proof)});
}

/** Loads into the hash cache (ledger/hash_cache.hpp), in one read, every stored hash of the
 *  aligned group of leaves around `index` that the tree of `size` has: the proofs of the group's
 *  leaves differ only in those, so the next reader of a neighbour's proof finds them in memory.
 *  Only the hashes: computing the neighbours' proofs ahead cost more than it saved once the
 *  ledger outgrew the caches (a proof names a tree size too, so few are asked for twice).
 *  Best effort: a failure here only leaves the neighbours' hashes to be read later. */
void WarmGroupHashes(const RouteCall& call, std::uint64_t index, std::uint64_t size)
{
    const std::uint64_t group = std::uint64_t{1} << INCLUSION_READ_AHEAD_LEVELS;
    const std::uint64_t first = index - index % group;
    const std::uint64_t end = std::min(first + group, size);
    std::vector<std::uint64_t> wanted;
    for (int level = 0; level <= INCLUSION_READ_AHEAD_LEVELS; ++level) {
        // Node n of a level covers leaves [n << level, (n + 1) << level): stored once complete.
        for (std::uint64_t n = first >> level; ((n + 1) << level) <= end; ++n)
            wanted.push_back(ledger::StoredHashIndex(level, n));
    }
    (void)call.ports.hashes.ReadHashes(wanted);
}

} // namespace

Reply HandleLedgerEntries(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {"after", "limit"}); !only)
        return FailureReply(only.error());
    auto after = QueryNumber(call, "after", ledger::TREE_SIZE_MAX);
    if (!after) return FailureReply(after.error());
    auto limit = QueryNumber(call, "limit", ledger::LEDGER_PAGE_ENTRIES_MAX);
    if (!limit) return FailureReply(limit.error());
    const std::uint64_t first = *after ? **after + 1 : 0;
    const std::uint64_t count = limit->value_or(LEDGER_PAGE_ENTRIES_DEFAULT);
    auto head = call.ports.entries.Head();
    if (!head) return StorageProblem();
    boost::json::array entries;
    if (first < head->size && count > 0) {
        auto page = call.ports.entries.ReadRange(first, static_cast<std::size_t>(count));
        if (!page) return StorageProblem();
        for (std::size_t offset = 0; offset < page->size(); ++offset)
            entries.push_back(EntryJson(first + offset, (*page)[offset]));
    }
    boost::json::object body;
    body["size"] = head->size;
    const std::uint64_t next_first = first + entries.size();
    body["next"] = (next_first < head->size && !entries.empty())
                       ? boost::json::value(next_first - 1)
                       : boost::json::value(nullptr);
    body["entries"] = std::move(entries);
    return JsonReply(http::status::ok, boost::json::serialize(body));
}

Reply HandleLedgerEntry(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    call.query["index"] = call.parameters.front();
    auto index = QueryNumber(call, "index", ledger::TREE_SIZE_MAX);
    if (!index) return ProblemReply(http::status::not_found, "index_out_of_range", "no such entry");
    const std::string key = EntryKey(**index);
    if (auto cached = FromCache(call, key)) return std::move(*cached);
    const std::uint64_t first = **index - **index % ENTRY_READ_AHEAD_ENTRIES;
    auto page = call.ports.entries.ReadRange(first, ENTRY_READ_AHEAD_ENTRIES);
    if (!page && page.error() == ledger::Errc::index_out_of_range)
        return ProblemReply(http::status::not_found, "index_out_of_range",
                            "no entry at this index yet");
    if (!page) return StorageProblem();
    const std::uint64_t offset = **index - first;
    if (offset >= page->size())
        return ProblemReply(http::status::not_found, "index_out_of_range",
                            "no entry at this index yet");
    // The neighbours go to the caches for the readers that follow: the router's, and the
    // transport's by target (read_ahead); this one is answered below.
    std::vector<std::pair<std::string, Response>> read_ahead;
    for (std::uint64_t other = 0; other < page->size(); ++other) {
        if (other == offset) continue;
        const std::string& bytes = (*page)[other];
        const std::string other_etag = ledger::ToHex(ledger::LeafHash(bytes));
        std::string body = boost::json::serialize(EntryJson(first + other, bytes));
        call.immutable.Put(EntryKey(first + other), other_etag + "\n" + body);
        read_ahead.emplace_back(
            EntryTarget(first + other),
            Immutable(JsonReply(http::status::ok, std::move(body)), other_etag).response);
    }
    const std::string& bytes = (*page)[offset];
    const std::string etag = ledger::ToHex(ledger::LeafHash(bytes));
    if (ClientHasIt(call, etag)) return NotModified(etag);
    Reply reply =
        CachedImmutable(call, key, etag, boost::json::serialize(EntryJson(**index, bytes)));
    reply.read_ahead = std::move(read_ahead);
    return reply;
}

Reply HandleLedgerCheckpoint(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    auto checkpoint = call.ports.checkpoints.LatestCheckpoint();
    if (!checkpoint) return StorageProblem();
    if (!*checkpoint)
        return ProblemReply(http::status::not_found, "checkpoint_missing",
                            "nothing signed yet: the ledger is empty");
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "text/plain; charset=utf-8");
    reply.response.set(http::field::cache_control, CHECKPOINT_CACHE);
    reply.response.body() = (*checkpoint)->note;
    reply.response.prepare_payload();
    return reply;
}

Reply HandleInclusionProof(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {"index", "size"}); !only)
        return FailureReply(only.error());
    auto index = QueryNumber(call, "index", ledger::TREE_SIZE_MAX);
    if (!index) return FailureReply(index.error());
    auto size = QueryNumber(call, "size", ledger::TREE_SIZE_MAX);
    if (!size) return FailureReply(size.error());
    if (!*index || !*size)
        return ProblemReply(http::status::bad_request, "field_missing",
                            "query index and size are required");
    const std::string etag = InclusionKey(**index, **size);
    // Cached only once the checks below passed; sizes only grow, so they pass for ever after.
    if (auto cached = FromCache(call, etag)) return std::move(*cached);
    auto is_signed = IsSignedSize(call, **size);
    if (!is_signed) return is_signed.error();
    if (!*is_signed || **index >= **size) {
        return ProblemReply(http::status::not_found, "index_out_of_range",
                            "need index < size <= the latest checkpoint's size (" +
                                std::to_string(call.signed_size.load()) + ")");
    }
    if (ClientHasIt(call, etag)) return NotModified(etag);
    WarmGroupHashes(call, **index, **size);
    auto body = InclusionProofJson(call, call.ports.hashes, **index, **size);
    if (!body) return StorageProblem();
    return CachedImmutable(call, etag, etag, std::move(*body));
}

std::optional<Reply> InclusionProofFromMemory(RouteCall& call)
{
    if (call.ports.hashes_in_memory == nullptr) return std::nullopt;
    // Anything but a valid question about a signed tree goes the long way, which explains it.
    if (!OnlyQueryParameters(call, {"index", "size"})) return std::nullopt;
    auto index = QueryNumber(call, "index", ledger::TREE_SIZE_MAX);
    auto size = QueryNumber(call, "size", ledger::TREE_SIZE_MAX);
    if (!index || !size || !*index || !*size) return std::nullopt;
    if (**size > call.signed_size.load() || **index >= **size) return std::nullopt;
    const std::string etag = InclusionKey(**index, **size);
    if (ClientHasIt(call, etag)) return NotModified(etag);
    auto body = InclusionProofJson(call, *call.ports.hashes_in_memory, **index, **size);
    if (!body) return std::nullopt; // Some hash is not in memory yet: the worker pool reads it.
    // Not into the router's cache: the transport keeps this answer by its target, and answers
    // the next asker of that target before any handler (api/immutable_cache.hpp). A second copy
    // here cost a lookup and an insert per proof, and the memory of every proof twice.
    return Immutable(JsonReply(http::status::ok, std::move(*body)), etag);
}

Reply HandleConsistencyProof(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {"from", "to"}); !only)
        return FailureReply(only.error());
    auto from = QueryNumber(call, "from", ledger::TREE_SIZE_MAX);
    if (!from) return FailureReply(from.error());
    auto to = QueryNumber(call, "to", ledger::TREE_SIZE_MAX);
    if (!to) return FailureReply(to.error());
    if (!*from || !*to)
        return ProblemReply(http::status::bad_request, "field_missing",
                            "query from and to are required");
    const std::string etag = "consistency-" + std::to_string(**from) + "-" + std::to_string(**to);
    if (auto cached = FromCache(call, etag)) return std::move(*cached);
    auto is_signed = IsSignedSize(call, **to);
    if (!is_signed) return is_signed.error();
    if (**from == 0 || **from > **to || !*is_signed) {
        return ProblemReply(http::status::not_found, "tree_size_invalid",
                            "need 0 < from <= to <= the latest checkpoint's size (" +
                                std::to_string(call.signed_size.load()) + ")");
    }
    if (ClientHasIt(call, etag)) return NotModified(etag);
    auto proof = ledger::ProveConsistency(**from, **to, call.ports.hashes);
    auto root1 = RootOf(call, **from, call.ports.hashes);
    auto root2 = RootOf(call, **to, call.ports.hashes);
    if (!proof || !root1 || !root2) return StorageProblem();
    const ledger::ConsistencyProofFile file{**from, **to, *root1, *root2, std::move(*proof)};
    return CachedImmutable(call, etag, etag, ledger::ToJson(file));
}

Reply HandleLedgerExport(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    auto taken = TakeExportSlot(call);
    if (!taken) return taken.error();
    std::shared_ptr<ExportSlots::Slot> slot = std::move(*taken);
    auto head = call.ports.entries.Head();
    if (!head) return StorageProblem();
    // The export is the ledger up to its size now; entries appended meanwhile wait for the next.
    auto next = std::make_shared<std::uint64_t>(0);
    const std::uint64_t end = head->size;
    const ledger::EntryStore& entries = call.ports.entries;
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "application/x-ndjson");
    reply.response.set(http::field::cache_control, "no-store");
    // The slot goes back when the stream is done with: sent whole, cut, or its client gone.
    reply.stream = [next, end, &entries,
                    slot]() -> boost::system::result<std::optional<std::string>> {
        if (*next >= end) return std::optional<std::string>{};
        const auto count =
            static_cast<std::size_t>(std::min<std::uint64_t>(EXPORT_CHUNK_ENTRIES, end - *next));
        auto page = entries.ReadRange(*next, count);
        if (!page) return page.error();
        if (page->empty()) return make_error_code(ledger::Errc::export_incomplete);
        std::string chunk;
        for (const auto& bytes : *page) {
            chunk += bytes;
            chunk += '\n';
        }
        *next += page->size();
        return std::optional<std::string>{std::move(chunk)};
    };
    return reply;
}

Reply HandleVerifierKey(RouteCall& call)
{
    if (auto only = OnlyQueryParameters(call, {}); !only) return FailureReply(only.error());
    Reply reply;
    reply.response.result(http::status::ok);
    reply.response.set(http::field::content_type, "text/plain; charset=utf-8");
    reply.response.set(http::field::cache_control, "public, max-age=3600");
    reply.response.body() = call.ports.verifier_key + "\n";
    reply.response.prepare_payload();
    return reply;
}

} // namespace wijkbudget::api
