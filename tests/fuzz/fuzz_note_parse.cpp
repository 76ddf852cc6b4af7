// tests/fuzz/fuzz_note_parse.cpp: libFuzzer target for every parser of signed-note input:
// signed notes (against a fixed set of known keys), checkpoint bodies and checkpoint notes,
// verifier and signer key texts, and base64.
//
// Beyond "no crash, no leak, no undefined behaviour", it checks properties: whatever parses
// strictly formats back to the same bytes, and an opened note honours its own contract.
//
// Seeds in tests/fuzz/corpus/note_parse/ were made with the keys below: the log's seed is 32
// bytes of 0x4C, the witness's 32 bytes of 0x57 (type 0x04); "peter_*" is the Go known answer.

#include "ledger/assert.hpp"
#include "ledger/base64.hpp"
#include "ledger/checkpoint.hpp"
#include "ledger/note.hpp"
#include "ledger/note_key.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace {

using namespace wijkbudget::ledger;

constexpr std::string_view PETER_VERIFIER_KEY{
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"};
constexpr std::string_view LOG_VERIFIER_KEY{
    "wijkraad.example/ledger+bb72b24a+AZJzCPU9Z2VQPStkwQOrWqRyBqs5UCz+j5hEL9tUMQC3"};
constexpr std::string_view WITNESS_VERIFIER_KEY{
    "gemeente.example/auditor+10a913be+BMhAafoiFsbtwdUsqDqhHCZ91UQK+lJgkMpD69DKhqnP"};

struct KnownKeys {
    VerifierKey log = ParseVerifierKey(LOG_VERIFIER_KEY).value();
    std::vector<VerifierKey> witnesses{ParseVerifierKey(WITNESS_VERIFIER_KEY).value()};
    Verifiers verifiers;

    KnownKeys()
    {
        WB_ASSERT(verifiers.Add(ParseVerifierKey(PETER_VERIFIER_KEY).value()).has_value());
        WB_ASSERT(verifiers.Add(log).has_value());
        WB_ASSERT(verifiers.Add(witnesses.front()).has_value());
    }
};

const KnownKeys& Keys()
{
    static const KnownKeys keys;
    return keys;
}

void FuzzNote(std::string_view input)
{
    const auto opened = OpenNote(input, Keys().verifiers);
    if (!opened) return;
    WB_ASSERT(!opened->signatures.empty());
    WB_ASSERT(IsValidNoteText(opened->text));
    WB_ASSERT(input.starts_with(opened->text));
}

void FuzzCheckpoint(std::string_view input)
{
    if (const auto checkpoint = ParseCheckpoint(input)) {
        const auto body = FormatCheckpoint(*checkpoint);
        WB_ASSERT(body.has_value());
        WB_ASSERT(*body == input);
    }
    if (const auto opened = OpenCheckpoint(input, Keys().log, Keys().witnesses)) {
        WB_ASSERT(opened->checkpoint.origin == Keys().log.name);
        WB_ASSERT(opened->signatures.size() >= 2);
    }
}

void FuzzKeys(std::string_view input)
{
    if (const auto key = ParseVerifierKey(input)) {
        WB_ASSERT(FormatVerifierKey(*key) == input);
    }
    if (const auto signer = ParseSignerKey(input)) {
        WB_ASSERT(input.find(FormatKeyId(signer->Id())) != std::string_view::npos);
    }
}

void FuzzBase64(std::string_view input)
{
    if (const auto bytes = FromBase64(input)) {
        WB_ASSERT(ToBase64(*bytes) == input);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    FuzzNote(input);
    FuzzCheckpoint(input);
    FuzzKeys(input);
    FuzzBase64(input);
    return 0;
}
