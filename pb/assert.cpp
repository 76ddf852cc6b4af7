// pb/assert.cpp: see assert.hpp.
#include "pb/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace wijkbudget::pb {

void AssertionFailed(const char* file, int line, const char* function,
                     const char* expression) noexcept
{
    std::fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", file, line, function, expression);
    std::fflush(stderr);
    std::abort();
}

} // namespace wijkbudget::pb
