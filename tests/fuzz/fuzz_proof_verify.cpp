// libFuzzer target: the proof files of wijkbudget-verify, parsed and, when they parse, verified.
//
// Both readers see every input, because a file of one kind is hostile input to the other.
// Besides finding crashes and sanitizer reports, it checks two properties: verification of any
// parsed file returns a value (never aborts through WB_ASSERT), and a parsed file written back
// with ToJson parses to the same file, so the API's output is always readable by the verifier.

#include "ledger/proof_json.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace wijkbudget::ledger;

template <typename File, typename Parse>
void CheckParsedFile(const File& file, Parse parse)
{
    // The result is irrelevant: any answer is fine, as long as it is an answer.
    static_cast<void>(VerifyProofFile(file));
    const auto again = parse(ToJson(file));
    if (!again.has_value() || !(*again == file)) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    if (const auto inclusion = ParseInclusionProofFile(text)) {
        CheckParsedFile(*inclusion, ParseInclusionProofFile);
    }
    if (const auto consistency = ParseConsistencyProofFile(text)) {
        CheckParsedFile(*consistency, ParseConsistencyProofFile);
    }
    return 0;
}
