#pragma once
// api/main_codes.hpp: `wijkbudget codes issue --round ID --count N --out FILE`: one-time voting
// codes for a residents' round (issue 6, DESIGN.md section 6), run by the municipality on the
// server host, like `wijkbudget demo`.
//
// The codes go to FILE, one a line, for the letters to residents; FILE is created with mode 0600
// and never overwritten. Only their hashes reach the database (services/voting_codes.hpp), and
// the ledger records the batch's size and digest (codes.issued), before the round opens.

#include <cstdint>
#include <filesystem>
#include <string>

namespace CLI {
class App;
}

namespace wijkbudget::cli {

struct CodesIssueOptions {
    std::filesystem::path config;
    std::string round;
    std::uint64_t count{0};
    std::filesystem::path out;
    std::string actor{"gemeente"}; //!< The municipality officer's pseudonymous id on the ledger.
};

//! Declares `codes issue` on `app`, its options bound to `options` (all but --config, which the
//! caller adds as for every command); returns the `issue` subcommand.
CLI::App* AddCodesCommand(CLI::App& app, CodesIssueOptions& options);

/** Makes the codes, writes FILE, stores their hashes and appends codes.issued; prints where.
 *  Returns 0; CommandError (exit status 1) for every refusal, leaving no FILE behind, except when
 *  the database failed at every try of the append: then codes.issued may be stored, and FILE is
 *  kept (the message says how to tell from the round's batches). */
int RunCodesIssue(const CodesIssueOptions& options);

} // namespace wijkbudget::cli
