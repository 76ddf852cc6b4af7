// tests/support/clock_shift/clock_shift.cpp: a settable wall clock for a program under test,
// loaded with LD_PRELOAD (library wijkbudget_test_clock_shift; server_clock.hpp is the test's
// side).
//
// `wijkbudget serve` reads the time from the system (services::SystemClock), as it must in
// production; a test of rounds has to pass their opening and closing times without waiting hours.
// This library moves CLOCK_REALTIME (clock_gettime, gettimeofday, time) by a number of
// milliseconds that the test writes into the first 8 bytes of the file named by
// WB_CLOCK_SHIFT_FILE, shared by mmap, so the program sees a new shift at once. Monotonic clocks
// (timeouts, timers) are not moved. Without the variable, or if the file cannot be mapped, the
// shift is 0. Never load it outside tests.

#include <atomic>
#include <cstdint>
#include <cstdlib>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

namespace {

using ClockGettime = int (*)(clockid_t, struct timespec*);

constexpr std::int64_t NANOSECONDS_PER_MILLISECOND{1'000'000};
constexpr std::int64_t NANOSECONDS_PER_SECOND{1'000'000'000};

//! The shared shift in milliseconds, or null when there is none.
const std::int64_t* Shift()
{
    static const std::int64_t* const shift = []() -> const std::int64_t* {
        const char* path = std::getenv("WB_CLOCK_SHIFT_FILE");
        if (path == nullptr) return nullptr;
        const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return nullptr;
        void* mapped = ::mmap(nullptr, sizeof(std::int64_t), PROT_READ, MAP_SHARED, fd, 0);
        ::close(fd);
        return mapped == MAP_FAILED ? nullptr : static_cast<const std::int64_t*>(mapped);
    }();
    return shift;
}

std::int64_t ShiftMilliseconds()
{
    const std::int64_t* shift = Shift();
    return shift == nullptr ? 0 : __atomic_load_n(shift, __ATOMIC_RELAXED);
}

ClockGettime RealClockGettime()
{
    static const auto real = reinterpret_cast<ClockGettime>(::dlsym(RTLD_NEXT, "clock_gettime"));
    return real;
}

bool IsWallClock(clockid_t clock)
{
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE;
}

} // namespace

extern "C" {

// glibc declares these noexcept (__THROW); the definitions must agree.
int clock_gettime(clockid_t clock,
                  struct timespec* time) noexcept // NOLINT(readability-identifier-naming)
{
    const int result = RealClockGettime()(clock, time);
    if (result != 0 || !IsWallClock(clock)) return result;
    const std::int64_t nanoseconds =
        time->tv_nsec + ShiftMilliseconds() * NANOSECONDS_PER_MILLISECOND;
    std::int64_t seconds = nanoseconds / NANOSECONDS_PER_SECOND;
    std::int64_t rest = nanoseconds % NANOSECONDS_PER_SECOND;
    if (rest < 0) {
        rest += NANOSECONDS_PER_SECOND;
        --seconds;
    }
    time->tv_sec += seconds;
    time->tv_nsec = rest;
    return 0;
}

int gettimeofday(struct timeval* time,
                 void* /*zone*/) noexcept // NOLINT(readability-identifier-naming)
{
    struct timespec now {
    };
    clock_gettime(CLOCK_REALTIME, &now);
    time->tv_sec = now.tv_sec;
    time->tv_usec = now.tv_nsec / 1000;
    return 0;
}

time_t time(time_t* out) noexcept // NOLINT(readability-identifier-naming)
{
    struct timespec now {
    };
    clock_gettime(CLOCK_REALTIME, &now);
    if (out != nullptr) *out = now.tv_sec;
    return now.tv_sec;
}

} // extern "C"
