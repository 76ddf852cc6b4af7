// libFuzzer target: C2SP tlog-proof receipts, as a resident's browser or wijkbudget-verify
// receives them. What parses must format back to the same bytes, and verification must never
// accept a receipt for an entry that is not the fixed one.

#include "ledger/assert.hpp"
#include "ledger/note_key.hpp"
#include "ledger/receipt.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wijkbudget::ledger;
    static const VerifierKey log_key = [] {
        const std::array<std::uint8_t, ED25519_SEED_BYTES> seed{1};
        return VerifierKeyOf(
            *SignerKey::FromSeed("log.wijkbudget.example", KeyType::ed25519, seed));
    }();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto receipt = ParseReceipt(text);
    if (receipt) WB_ASSERT(FormatReceipt(*receipt) == text);
    (void)VerifyReceipt(text, "{\"entry\":5}", log_key, {});
    return 0;
}
