#pragma once
// api/main_serve.hpp: `wijkbudget serve`.

#include <filesystem>

namespace wijkbudget::cli {

struct ServeOptions {
    std::filesystem::path config;
};

int RunServe(const ServeOptions& options);

} // namespace wijkbudget::cli
