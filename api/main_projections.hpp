#pragma once
// api/main_projections.hpp: `wijkbudget rebuild-projections`: the query tables from the ledger.

#include <filesystem>

namespace wijkbudget::cli {

struct RebuildProjectionsOptions {
    std::filesystem::path config;
};

/** Replays the whole ledger from index 0 into fresh projections (checking every entry as the
 *  sequencer does on start) and replaces every query table with them (schema 003). */
int RunRebuildProjections(const RebuildProjectionsOptions& options);

} // namespace wijkbudget::cli
