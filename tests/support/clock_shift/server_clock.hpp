#pragma once
// tests/support/clock_shift/server_clock.hpp: the test's side of clock_shift.cpp. A ServerClock
// owns the shift file; its Environment() goes to the program under test (LD_PRELOAD of the
// library, WB_CLOCK_SHIFT_FILE), and Advance() moves that program's wall clock forward at once.
//
// Only forward: the ledger's time never runs back (entries are stamped with the later of the
// clock and the last entry), and tokens are checked against the moved clock, so keep the total
// shift well inside their lifetime.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace wijkbudget::test {

class ServerClock
{
public:
    //! Creates `file` (the shift, 0) for the library at `library` (an absolute path).
    ServerClock(std::filesystem::path library, std::filesystem::path file)
        : m_library{std::move(library)}, m_file{std::move(file)}
    {
        Write(0);
    }

    //! The variables to start the program under test with.
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> Environment() const
    {
        return {{"LD_PRELOAD", m_library.string()}, {"WB_CLOCK_SHIFT_FILE", m_file.string()}};
    }

    //! Moves the program's wall clock forward by `by`.
    void Advance(std::chrono::milliseconds by) { Write(m_shift + by.count()); }

    //! How far the program's clock is ahead of the test's.
    [[nodiscard]] std::chrono::milliseconds Shift() const
    {
        return std::chrono::milliseconds{m_shift};
    }

private:
    void Write(std::int64_t shift)
    {
        const int fd = ::open(m_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) throw std::runtime_error("cannot open " + m_file.string());
        const bool sized = ::ftruncate(fd, sizeof shift) == 0;
        void* mapped =
            sized ? ::mmap(nullptr, sizeof shift, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                  : MAP_FAILED;
        ::close(fd);
        if (mapped == MAP_FAILED) throw std::runtime_error("cannot map " + m_file.string());
        // The program reads the same page with an atomic load: it sees the old or the new shift.
        __atomic_store_n(static_cast<std::int64_t*>(mapped), shift, __ATOMIC_RELAXED);
        ::munmap(mapped, sizeof shift);
        m_shift = shift;
    }

    std::filesystem::path m_library;
    std::filesystem::path m_file;
    std::int64_t m_shift{0};
};

} // namespace wijkbudget::test
