#pragma once
// api/main_pb.hpp: `wijkbudget pb FILE.pb --rule ...`: the outcome of a participatory-budgeting
// rule on a Pabulib file (pb/README.md). It needs no settings file and no database.

#include <filesystem>
#include <string>

namespace CLI {
class App;
}

namespace wijkbudget::cli {

//! Exit statuses of `wijkbudget pb`: 0 the outcome was printed.
inline constexpr int PB_EXIT_MALFORMED{1}; //!< the file is not a valid .pb file
inline constexpr int PB_EXIT_USAGE{2};     //!< bad arguments, or a rule that does not apply

struct PbOptions {
    std::filesystem::path file;
    std::string rule;                 //!< greedy, mes, mes-add1, mes-add1-greedy
    std::string satisfaction{"cost"}; //!< cost, cardinal
    bool explain{false};              //!< print the JSON explanation instead of the ids
};

//! Declares the `pb` subcommand on `app`, its options bound to `options`.
CLI::App* AddPbCommand(CLI::App& app, PbOptions& options);

/** Prints the selected project ids, one per line in code point order, or with `explain` the
 *  JSON explanation. Returns the exit status; messages go to stderr as "FILE:LINE: reason". */
int RunPb(const PbOptions& options);

} // namespace wijkbudget::cli
