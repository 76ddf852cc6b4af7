// wijkbudget-verify: checks the public ledger offline, trusting nothing but a verifier key.
// Links ledger/ only. Exit status: 0 valid, 1 invalid (the reason on stderr), 2 bad usage or
// unreadable input.

#include "ledger/checkpoint.hpp"
#include "ledger/entry.hpp"
#include "ledger/entry_json.hpp"
#include "ledger/export_verifier.hpp"
#include "ledger/hex.hpp"
#include "ledger/merkle.hpp"
#include "ledger/note.hpp"
#include "ledger/note_key.hpp"
#include "ledger/proof_json.hpp"
#include "ledger/receipt.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

using namespace wijkbudget::ledger;

constexpr int EXIT_VALID = 0;
constexpr int EXIT_INVALID = 1;
constexpr int EXIT_USAGE = 2;
//! Exports are read in chunks of this size; a line may span chunks.
constexpr std::size_t READ_CHUNK_BYTES{1 << 20};
//! A line of a leaves file: the hex of the largest entry, with room to spare.
constexpr std::size_t LINE_BYTES_MAX{4 * ENTRY_BYTES_MAX};
//! A checkpoint file is one signed note.
constexpr std::size_t CHECKPOINT_FILE_BYTES_MAX{NOTE_BYTES_MAX};

constexpr const char* USAGE =
    "usage:\n"
    "  wijkbudget-verify root FILE\n"
    "  wijkbudget-verify inclusion FILE [--checkpoint FILE --vkey VKEY [--witness VKEY ...]]"
    " [--entry ENTRY]\n"
    "  wijkbudget-verify consistency FILE [--from FILE] [--checkpoint FILE] --vkey VKEY"
    " [--witness VKEY ...]\n"
    "  wijkbudget-verify checkpoint --vkey VKEY [--witness VKEY ...] FILE\n"
    "  wijkbudget-verify export FILE --checkpoint FILE --vkey VKEY [--witness VKEY ...]"
    " [--threads N]\n"
    "  wijkbudget-verify receipt --vkey VKEY [--witness VKEY ...] RECEIPT ENTRY\n"
    "--vkey takes the log's key (type 0x01), --witness a witness's cosignature key (type 0x04);\n"
    "after --, every argument is a file.\n";

//! A failure that ends the program with a status and a message.
struct Exit {
    int status;
    std::string message;
};

int Finish(const Exit& exit)
{
    if (!exit.message.empty()) {
        std::fprintf(exit.status == EXIT_VALID ? stdout : stderr, "%s\n", exit.message.c_str());
    }
    // A verdict that never reached its reader (a full disk) is no verdict: a script must not
    // take the silence for "valid".
    if (exit.status == EXIT_VALID && std::fflush(stdout) != 0) {
        std::fprintf(stderr, "could not write standard output\n");
        return EXIT_USAGE;
    }
    return exit.status;
}

Exit Usage(const std::string& why)
{
    return Exit{EXIT_USAGE, why + "\n" + USAGE};
}
Exit Invalid(const std::string& why)
{
    return Exit{EXIT_INVALID, "invalid: " + why};
}

std::string Describe(const boost::system::error_code& code)
{
    if (code.category() == LedgerCategory()) {
        return std::string(CodeName(static_cast<Errc>(code.value()))) + ": " + code.message();
    }
    return code.message();
}

//! Reads a whole file of at most bytes_max bytes.
std::optional<std::string> ReadSmallFile(const std::string& path, std::size_t bytes_max,
                                         std::string& why)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        why = "cannot open " + path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    std::string text(bytes_max + 1, '\0');
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (file.bad()) {
        why = "cannot read " + path;
        return std::nullopt;
    }
    text.resize(static_cast<std::size_t>(file.gcount()));
    if (text.size() > bytes_max) {
        why = path + " is larger than " + std::to_string(bytes_max) + " bytes";
        return std::nullopt;
    }
    return text;
}

/**
 * Calls on_line for each line of the file (without its newline), streaming. A last line
 * without a newline counts as a line. Returns false when the file cannot be read, or when
 * on_line returns false (it has then reported the problem).
 */
template <class OnLine>
bool ForEachLine(const std::string& path, std::string& why, OnLine&& on_line)
{
    std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        why = "cannot open " + path + ": " + std::strerror(errno);
        return false;
    }
    std::vector<char> chunk(READ_CHUNK_BYTES);
    std::string carry;
    bool keep_going = true;
    std::size_t got = 0;
    while (keep_going && (got = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
        std::string_view data(chunk.data(), got);
        std::size_t start = 0;
        for (std::size_t newline = data.find('\n'); newline != std::string_view::npos && keep_going;
             newline = data.find('\n', start)) {
            if (carry.empty()) {
                keep_going = on_line(data.substr(start, newline - start));
            } else {
                carry.append(data.substr(start, newline - start));
                keep_going = on_line(std::string_view{carry});
                carry.clear();
            }
            start = newline + 1;
        }
        if (keep_going) carry.append(data.substr(start));
        if (carry.size() > LINE_BYTES_MAX) {
            why = "a line of " + path + " is longer than " + std::to_string(LINE_BYTES_MAX) +
                  " bytes";
            keep_going = false;
        }
    }
    const bool read_error = std::ferror(file) != 0;
    if (file != stdin) std::fclose(file);
    if (read_error) {
        why = "cannot read " + path;
        return false;
    }
    if (keep_going && !carry.empty()) keep_going = on_line(std::string_view{carry});
    return keep_going;
}

//! Options of the form --name VALUE (repeatable), and the remaining positional arguments.
struct Options {
    std::vector<std::pair<std::string, std::string>> named;
    std::vector<std::string> positional;
    [[nodiscard]] std::vector<std::string> All(std::string_view name) const
    {
        std::vector<std::string> values;
        for (const auto& [key, value] : named) {
            if (key == name) values.push_back(value);
        }
        return values;
    }
};

std::optional<Options> ParseOptions(const std::vector<std::string>& arguments,
                                    std::initializer_list<std::string_view> known, std::string& why)
{
    Options options;
    bool options_ended = false; // After "--", every argument is positional (a file named --x).
    for (std::size_t position = 0; position < arguments.size(); ++position) {
        const std::string& argument = arguments[position];
        if (options_ended || argument.rfind("--", 0) != 0) {
            options.positional.push_back(argument);
            continue;
        }
        if (argument == "--") {
            options_ended = true;
            continue;
        }
        const std::string name = argument.substr(2);
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            why = "unknown option " + argument;
            return std::nullopt;
        }
        if (position + 1 >= arguments.size()) {
            why = argument + " needs a value";
            return std::nullopt;
        }
        options.named.emplace_back(name, arguments[++position]);
    }
    return options;
}

Exit Root(const std::vector<std::string>& arguments)
{
    std::string why;
    auto options = ParseOptions(arguments, {}, why);
    if (!options) return Usage(why);
    if (options->positional.size() != 1) return Usage("root takes one FILE");
    RootAccumulator root;
    std::uint64_t line_number = 0;
    const bool read = ForEachLine(options->positional[0], why, [&](std::string_view line) {
        ++line_number;
        if (line.size() > LINE_BYTES_MAX) {
            why = "line " + std::to_string(line_number) + " is longer than " +
                  std::to_string(LINE_BYTES_MAX) + " bytes";
            return false;
        }
        // Lowercase only, as every hash and byte string in our files (README): FromHex alone
        // would take "0A" for "0a".
        const bool upper = std::any_of(line.begin(), line.end(),
                                       [](char digit) { return digit >= 'A' && digit <= 'F'; });
        auto bytes = upper ? std::nullopt : FromHex(line);
        if (!bytes) {
            why = "line " + std::to_string(line_number) + " is not lowercase hex";
            return false;
        }
        root.Append(LeafHash(std::span<const std::uint8_t>(*bytes)));
        return true;
    });
    if (!read) return Usage(why);
    const Hash hash = root.Size() == 0 ? EmptyTreeHash() : root.Root();
    return Exit{EXIT_VALID, ToHex(hash)};
}

//! A proof FILE, parsed and checked in itself (its path leads to its root); Exit on failure.
template <class ProofFile, class Parse>
std::variant<ProofFile, Exit> LoadProof(const std::string& path, Parse parse)
{
    std::string why;
    auto text = ReadSmallFile(path, PROOF_FILE_BYTES_MAX, why);
    if (!text) return Usage(why);
    auto file = parse(*text);
    if (!file) {
        // A hash of the wrong length is a proof that fails, not a file we cannot read.
        if (file.error().code == Errc::hash_wrong_size) return Invalid(file.error().Describe());
        return Usage(path + ": " + file.error().Describe());
    }
    if (auto verified = VerifyProofFile(*file); !verified) {
        return Invalid(Describe(verified.error()));
    }
    return *file;
}

/** ENTRY, proven to be the leaf at `position`, must be a ledger entry that names that index:
 *  otherwise a reader takes it for the entry at the index it names, which the log holds
 *  elsewhere (a misbehaving log could place one entry's bytes at another's position). */
std::optional<Exit> CheckEntryPosition(const std::string& entry, std::uint64_t position)
{
    auto parsed = ParseCanonicalEntry(entry);
    if (!parsed) return Invalid("ENTRY is not a ledger entry: " + parsed.error().Describe());
    if (parsed->index.value != position) {
        return Invalid("the entry names index " + std::to_string(parsed->index.value) +
                       "; the proof places it at index " + std::to_string(position));
    }
    return std::nullopt;
}

//! The log's key and the witnesses' keys from the command line.
struct Keys {
    VerifierKey log;
    std::vector<VerifierKey> witnesses;
};

std::variant<Keys, Exit> ParseKeys(const std::string& vkey,
                                   const std::vector<std::string>& witnesses)
{
    auto log_key = ParseVerifierKey(vkey);
    if (!log_key) return Usage("--vkey: " + Describe(log_key.error()));
    // The two kinds of key sign different texts (note_key.hpp): a witness's key as --vkey would
    // fail every checkpoint as if the log were at fault, and a log-type key as --witness would
    // count a plain note signature as a cosignature.
    if (log_key->type != KeyType::ed25519)
        return Usage("--vkey: a log's key (type 0x01, as GET /api/v1/ledger/vkey serves), not a "
                     "witness's");
    Keys keys{*log_key, {}};
    for (const auto& text : witnesses) {
        auto key = ParseVerifierKey(text);
        if (!key) return Usage("--witness " + text + ": " + Describe(key.error()));
        // The log's own signature is no witness's: counted as one, it would vouch for itself.
        if (key->name == log_key->name || key->public_key == log_key->public_key)
            return Usage("--witness " + text + ": the log's own key (--vkey) is no witness");
        if (key->type != KeyType::cosignature_ed25519)
            return Usage("--witness " + text +
                         ": a witness's cosignature key (type 0x04), not a log's");
        keys.witnesses.push_back(*key);
    }
    return keys;
}

//! Reads and opens a checkpoint note; Exit on failure.
std::variant<OpenedCheckpoint, Exit> LoadCheckpoint(const std::string& path,
                                                    const std::string& vkey,
                                                    const std::vector<std::string>& witnesses)
{
    auto keys = ParseKeys(vkey, witnesses);
    if (auto* exit = std::get_if<Exit>(&keys)) return *exit;
    const Keys& parsed = std::get<Keys>(keys);
    std::string why;
    auto note = ReadSmallFile(path, CHECKPOINT_FILE_BYTES_MAX, why);
    if (!note) return Usage(why);
    auto opened = OpenCheckpoint(*note, parsed.log, parsed.witnesses);
    if (!opened) return Invalid("checkpoint " + path + ": " + Describe(opened.error()));
    return *opened;
}

/** What a proof's tree must be to be the signed one: a proof checked in itself only shows that
 *  its own numbers agree; bound to a checkpoint, its size and root are the log's. */
std::optional<Exit> CompareWithCheckpoint(std::uint64_t size, const Hash& root,
                                          const Checkpoint& checkpoint, const std::string& path)
{
    if (size == checkpoint.size && root == checkpoint.root) return std::nullopt;
    return Invalid("the proof is for size " + std::to_string(size) + " with root " + ToHex(root) +
                   "; checkpoint " + path + " signs size " + std::to_string(checkpoint.size) +
                   " with root " + ToHex(checkpoint.root));
}

Exit InclusionCommand(const std::vector<std::string>& arguments)
{
    std::string why;
    auto options = ParseOptions(arguments, {"checkpoint", "vkey", "witness", "entry"}, why);
    if (!options) return Usage(why);
    const auto checkpoints = options->All("checkpoint");
    const auto vkeys = options->All("vkey");
    const auto entries = options->All("entry");
    if (options->positional.size() != 1 || checkpoints.size() > 1 ||
        checkpoints.size() != vkeys.size() || entries.size() > 1 ||
        (checkpoints.empty() && !options->All("witness").empty())) {
        return Usage("inclusion takes FILE [--checkpoint FILE --vkey VKEY [--witness VKEY ...]] "
                     "[--entry ENTRY]");
    }
    auto loaded = LoadProof<InclusionProofFile>(options->positional[0], ParseInclusionProofFile);
    if (auto* exit = std::get_if<Exit>(&loaded)) return *exit;
    const auto& proof = std::get<InclusionProofFile>(loaded);
    std::string message = "valid inclusion proof";
    if (!entries.empty()) {
        // As for a receipt: ENTRY holds the canonical bytes, one final newline aside.
        auto entry = ReadSmallFile(entries[0], ENTRY_BYTES_MAX + 1, why);
        if (!entry) return Usage(why);
        if (!entry->empty() && entry->back() == '\n') entry->pop_back();
        if (LeafHash(*entry) != proof.leaf_hash) {
            return Invalid("the entry in " + entries[0] + " has leaf hash " +
                           ToHex(LeafHash(*entry)) + "; the proof is for leaf hash " +
                           ToHex(proof.leaf_hash));
        }
        if (auto misplaced = CheckEntryPosition(*entry, proof.leaf_index)) return *misplaced;
        message += ": the entry is leaf " + std::to_string(proof.leaf_index);
    }
    if (!checkpoints.empty()) {
        auto opened = LoadCheckpoint(checkpoints[0], vkeys[0], options->All("witness"));
        if (auto* exit = std::get_if<Exit>(&opened)) return *exit;
        const auto& checkpoint = std::get<OpenedCheckpoint>(opened).checkpoint;
        if (auto differs =
                CompareWithCheckpoint(proof.tree_size, proof.root, checkpoint, checkpoints[0])) {
            return *differs;
        }
        message += entries.empty() ? ": leaf " + std::to_string(proof.leaf_index) : std::string();
        message +=
            " of " + checkpoint.origin + " at its signed size " + std::to_string(checkpoint.size);
    }
    return Exit{EXIT_VALID, message};
}

Exit ConsistencyCommand(const std::vector<std::string>& arguments)
{
    std::string why;
    auto options = ParseOptions(arguments, {"from", "checkpoint", "vkey", "witness"}, why);
    if (!options) return Usage(why);
    const auto older = options->All("from");
    const auto newer = options->All("checkpoint");
    const auto vkeys = options->All("vkey");
    const bool bound = !older.empty() || !newer.empty();
    if (options->positional.size() != 1 || older.size() > 1 || newer.size() > 1 ||
        vkeys.size() != (bound ? 1U : 0U) || (!bound && !options->All("witness").empty())) {
        return Usage("consistency takes FILE [--from FILE] [--checkpoint FILE] --vkey VKEY "
                     "[--witness VKEY ...] (--vkey with a checkpoint only)");
    }
    auto loaded =
        LoadProof<ConsistencyProofFile>(options->positional[0], ParseConsistencyProofFile);
    if (auto* exit = std::get_if<Exit>(&loaded)) return *exit;
    const auto& proof = std::get<ConsistencyProofFile>(loaded);
    std::string message = "valid consistency proof from size " + std::to_string(proof.size1) +
                          " to size " + std::to_string(proof.size2);
    // --from: the checkpoint the reader kept from before; --checkpoint: the one fetched now.
    const auto bind = [&](const std::string& path, std::uint64_t size,
                          const Hash& root) -> std::optional<Exit> {
        auto opened = LoadCheckpoint(path, vkeys[0], options->All("witness"));
        if (auto* exit = std::get_if<Exit>(&opened)) return *exit;
        const auto& checkpoint = std::get<OpenedCheckpoint>(opened).checkpoint;
        if (auto differs = CompareWithCheckpoint(size, root, checkpoint, path)) return differs;
        message += "; size " + std::to_string(size) + " is the one " + path + " signs";
        return std::nullopt;
    };
    if (!older.empty()) {
        if (auto failed = bind(older[0], proof.size1, proof.root1)) return *failed;
    }
    if (!newer.empty()) {
        if (auto failed = bind(newer[0], proof.size2, proof.root2)) return *failed;
    }
    return Exit{EXIT_VALID, message};
}

Exit CheckpointCommand(const std::vector<std::string>& arguments)
{
    std::string why;
    auto options = ParseOptions(arguments, {"vkey", "witness"}, why);
    if (!options) return Usage(why);
    if (options->positional.size() != 1 || options->All("vkey").size() != 1) {
        return Usage("checkpoint takes --vkey VKEY [--witness VKEY ...] FILE");
    }
    auto loaded =
        LoadCheckpoint(options->positional[0], options->All("vkey")[0], options->All("witness"));
    if (auto* exit = std::get_if<Exit>(&loaded)) return *exit;
    const auto& checkpoint = std::get<OpenedCheckpoint>(loaded).checkpoint;
    return Exit{EXIT_VALID, "valid checkpoint: " + checkpoint.origin + " size " +
                                std::to_string(checkpoint.size) + " root " +
                                ToHex(checkpoint.root)};
}

Exit ExportCommand(const std::vector<std::string>& arguments)
{
    std::string why;
    auto options = ParseOptions(arguments, {"vkey", "checkpoint", "witness", "threads"}, why);
    if (!options) return Usage(why);
    if (options->positional.size() != 1 || options->All("vkey").size() != 1 ||
        options->All("checkpoint").size() != 1) {
        return Usage("export takes FILE --checkpoint FILE --vkey VKEY [--witness VKEY ...]");
    }
    auto loaded = LoadCheckpoint(options->All("checkpoint")[0], options->All("vkey")[0],
                                 options->All("witness"));
    if (auto* exit = std::get_if<Exit>(&loaded)) return *exit;
    const auto& checkpoint = std::get<OpenedCheckpoint>(loaded).checkpoint;
    unsigned threads = 0; // One per core.
    if (const auto given = options->All("threads"); !given.empty()) {
        // Given twice, one of them is a mistake: neither is taken (as --vkey).
        if (given.size() > 1) return Usage("--threads given more than once");
        const std::string& text = given.back();
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), threads);
        if (error != std::errc{} || end != text.data() + text.size() || threads == 0 ||
            threads > EXPORT_THREADS_MAX) {
            return Usage("--threads takes 1.." + std::to_string(EXPORT_THREADS_MAX));
        }
    }
    const std::string& path = options->positional[0];
    auto outcome = VerifyExportFile(path, checkpoint.size, checkpoint.root, threads);
    if (outcome.unreadable) {
        return Usage("cannot read " + path + ": " + outcome.unreadable->message());
    }
    const auto& summary = outcome.verdict;
    if (!summary) return Invalid(summary.error().Describe());
    std::string message = "valid export: " + std::to_string(summary->entries) + " entries, " +
                          std::to_string(summary->covered) + " covered by the checkpoint, root " +
                          ToHex(summary->root);
    if (summary->entries > summary->covered) {
        message += "\nnot yet covered: " + std::to_string(summary->entries - summary->covered) +
                   " entries from index " + std::to_string(summary->covered);
    }
    return Exit{EXIT_VALID, message};
}

//! ENTRY holds the entry's canonical bytes; one final newline, as editors and curl leave, is
//! not part of them (canonical JSON never ends in one).
Exit ReceiptCommand(const std::vector<std::string>& arguments)
{
    std::string why;
    auto options = ParseOptions(arguments, {"vkey", "witness"}, why);
    if (!options) return Usage(why);
    if (options->positional.size() != 2 || options->All("vkey").size() != 1) {
        return Usage("receipt takes --vkey VKEY [--witness VKEY ...] RECEIPT ENTRY");
    }
    auto keys = ParseKeys(options->All("vkey")[0], options->All("witness"));
    if (auto* exit = std::get_if<Exit>(&keys)) return *exit;
    const Keys& parsed = std::get<Keys>(keys);
    auto receipt = ReadSmallFile(options->positional[0], CHECKPOINT_FILE_BYTES_MAX * 2, why);
    if (!receipt) return Usage(why);
    auto entry = ReadSmallFile(options->positional[1], ENTRY_BYTES_MAX + 1, why);
    if (!entry) return Usage(why);
    if (!entry->empty() && entry->back() == '\n') entry->pop_back();
    auto verified = VerifyReceipt(*receipt, *entry, parsed.log, parsed.witnesses);
    if (!verified) return Invalid("receipt: " + Describe(verified.error()));
    const std::uint64_t position = ParseReceipt(*receipt)->index; // VerifyReceipt parsed it.
    if (auto misplaced = CheckEntryPosition(*entry, position)) return *misplaced;
    const auto& checkpoint = verified->checkpoint;
    return Exit{EXIT_VALID, "valid receipt: entry " + std::to_string(position) + " is in " +
                                checkpoint.origin + " at size " + std::to_string(checkpoint.size)};
}

Exit Run(const std::vector<std::string>& arguments)
{
    if (arguments.empty()) return Usage("no command");
    const std::string& command = arguments[0];
    const std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
    // "export --help" asks for the usage, as "--help" does; it names no file. Anywhere else,
    // "--help" is an unknown option (exit 2): status 0 must never come without a verdict, and a
    // file named --help is passed after "--".
    const bool help_alone = rest.size() == 1 && rest[0] == "--help";
    using Command = Exit (*)(const std::vector<std::string>&);
    const std::array<std::pair<std::string_view, Command>, 6> commands{{
        {"root", Root},
        {"inclusion", InclusionCommand},
        {"consistency", ConsistencyCommand},
        {"checkpoint", CheckpointCommand},
        {"export", ExportCommand},
        {"receipt", ReceiptCommand},
    }};
    for (const auto& [name, run] : commands) {
        if (command == name) return help_alone ? Exit{EXIT_VALID, USAGE} : run(rest);
    }
    if ((command == "--help" || command == "help") && rest.empty()) return Exit{EXIT_VALID, USAGE};
    return Usage("unknown command " + command);
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> arguments(argv + 1, argv + argc);
    return Finish(Run(arguments));
}
