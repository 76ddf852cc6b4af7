#pragma once
// ledger/assert.hpp: the two assertion macros of STYLE.md section 4.
//
// WB_ASSERT guards invariants of ledger/ and services/: it is always on, whatever NDEBUG says,
// because a broken ledger invariant must stop the process before it writes a wrong fact.
// WB_CHECK_NONFATAL is for api/: it throws InternalBug, the router answers 500 and logs it.
// Neither ever validates input; input errors are values (ledger/errc.hpp).

#include <stdexcept>

namespace wijkbudget::ledger {

//! Prints "file:line: assertion failed: expr" to stderr and aborts.
[[noreturn]] void AssertionFailed(const char* file, int line, const char* function,
                                  const char* expression) noexcept;

//! A bug confined to one request: thrown by WB_CHECK_NONFATAL.
class InternalBug : public std::logic_error
{
public:
    using std::logic_error::logic_error;
};

[[noreturn]] void ThrowInternalBug(const char* file, int line, const char* expression);

} // namespace wijkbudget::ledger

#define WB_ASSERT(condition)                                                                       \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            ::wijkbudget::ledger::AssertionFailed(__FILE__, __LINE__, __func__, #condition);       \
        }                                                                                          \
    } while (false)

#define WB_CHECK_NONFATAL(condition)                                                               \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            ::wijkbudget::ledger::ThrowInternalBug(__FILE__, __LINE__, #condition);                \
        }                                                                                          \
    } while (false)
