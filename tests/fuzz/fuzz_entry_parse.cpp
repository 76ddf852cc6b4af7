// libFuzzer target: entry JSON from outside (API bodies, export lines).
//
// Beyond "does not crash", it checks the round trip: whatever parses re-serialises to bytes
// that parse back to the same entry, canonically.

#include "ledger/assert.hpp"
#include "ledger/check_entry.hpp"
#include "ledger/entry_json.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace wijkbudget::ledger;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto canonical = ParseCanonicalEntry(text);
    auto entry = ParseEntry(text);
    if (canonical) {
        // What the canonical reader accepts is exactly what the writer writes for that entry,
        // and the strict reader reads it as the same entry.
        WB_ASSERT(SerialiseEntry(*canonical) == text);
        WB_ASSERT(entry.has_value());
        WB_ASSERT(*entry == *canonical);
    }
    if (!entry) return 0;
    (void)CheckEntry(*entry);
    const std::string bytes = SerialiseEntry(*entry);
    auto again = ParseCanonicalEntry(bytes);
    WB_ASSERT(again.has_value());
    WB_ASSERT(*again == *entry);
    return 0;
}
