#pragma once
// tests/support/test_temp_folder.hpp: a folder of this test process's own under the system's
// temporary folder, removed with all it holds when the process ends. ctest runs tests in
// parallel processes, each with its own folder; files left in /tmp after every run add up (the
// export tests write megabytes).

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace wijkbudget::testing {

class TestTempFolder
{
public:
    TestTempFolder()
    {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "wijkbudget-test-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("cannot make a temporary folder like " + pattern);
        m_path = pattern + "/";
    }
    ~TestTempFolder()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TestTempFolder(const TestTempFolder&) = delete;
    TestTempFolder& operator=(const TestTempFolder&) = delete;

    //! With a trailing slash.
    [[nodiscard]] const std::string& Path() const { return m_path; }

private:
    std::string m_path;
};

//! The process's folder, made on first use.
inline const std::string& TestTempPath()
{
    static const TestTempFolder folder;
    return folder.Path();
}

} // namespace wijkbudget::testing
