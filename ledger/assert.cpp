#include "ledger/assert.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace wijkbudget::ledger {

void AssertionFailed(const char* file, int line, const char* function,
                     const char* expression) noexcept
{
    std::fprintf(stderr, "%s:%d (%s): assertion failed: %s\n", file, line, function, expression);
    std::fflush(stderr);
    std::abort();
}

void ThrowInternalBug(const char* file, int line, const char* expression)
{
    throw InternalBug(std::string(file) + ":" + std::to_string(line) +
                      ": internal bug: " + expression);
}

} // namespace wijkbudget::ledger
