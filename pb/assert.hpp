#pragma once
// pb/assert.hpp: the invariant check of pb/ (STYLE.md section 4). The same contract as the
// ledger's WB_ASSERT, always on whatever NDEBUG says, but pb/ links no ledger code, so it has its
// own. A wrong outcome must stop the program rather than be printed. Never used to check input:
// a bad file is a ParseError value.

namespace wijkbudget::pb {

//! Prints "file:line: assertion failed: expr" to stderr and aborts.
[[noreturn]] void AssertionFailed(const char* file, int line, const char* function,
                                  const char* expression) noexcept;

} // namespace wijkbudget::pb

#define WB_PB_ASSERT(condition)                                                                    \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            ::wijkbudget::pb::AssertionFailed(__FILE__, __LINE__, __func__, #condition);           \
        }                                                                                          \
    } while (false)
