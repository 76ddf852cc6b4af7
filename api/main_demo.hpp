#pragma once
// api/main_demo.hpp: `wijkbudget demo`: the Haarlem demo data, loaded through the sequencer.

#include <filesystem>

namespace wijkbudget::cli {

struct DemoOptions {
    std::filesystem::path config;
    std::filesystem::path data; //!< demo/haarlem/: haarlem-districts.csv, haarlem-councils.csv
};

int RunDemo(const DemoOptions& options);

} // namespace wijkbudget::cli
