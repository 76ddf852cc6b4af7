// api/main.cpp: the wijkbudget executable, the composition root (DESIGN.md section 3): it alone
// includes every layer and config, and wires them together, one command per file.
#include "api/main_admin.hpp"
#include "api/main_codes.hpp"
#include "api/main_common.hpp"
#include "api/main_demo.hpp"
#include "api/main_pb.hpp"
#include "api/main_projections.hpp"
#include "api/main_round_import.hpp"
#include "api/main_serve.hpp"

#include <exception>
#include <iostream>
#include <string_view>
#include <system_error>

#include <CLI/CLI.hpp>

using namespace wijkbudget::cli;

namespace {

constexpr std::string_view DEFAULT_CONFIG{"var/wijkbudget.toml"};
//! A command line the commands cannot run: every command's, as `pb`'s.
constexpr int USAGE_EXIT_STATUS{PB_EXIT_USAGE};

CLI::App* AddConfig(CLI::App* command, std::filesystem::path& config)
{
    config = std::filesystem::path{DEFAULT_CONFIG};
    CLI::Option* option = command->add_option("--config", config, "settings file (TOML)")
                              ->check(CLI::ExistingFile)
                              ->capture_default_str();
    // CLI11 checks only a path given: the default (a quick start's var/ not made yet, or the
    // command run from another folder) must be refused the same way, as a usage error.
    command->callback([option, &config] {
        if (option->count() > 0) return;
        std::error_code error;
        const bool found = std::filesystem::is_regular_file(config, error);
        // A folder on the way that cannot be entered says why; a missing file as CLI11 says it.
        if (error && error != std::errc::no_such_file_or_directory)
            throw CLI::ValidationError(option->get_name(),
                                       config.string() + ": " + error.message());
        if (!found)
            throw CLI::ValidationError(option->get_name(),
                                       "File does not exist: " + config.string());
    });
    return command;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"wijkbudget: neighbourhood budgets on a public, verifiable ledger"};
    app.require_subcommand(1);

    ServeOptions serve;
    AddConfig(app.add_subcommand("serve", "serve the HTTPS API"), serve.config);

    MigrateOptions migrate;
    AddConfig(app.add_subcommand("migrate", "apply the database migrations (owner role)"),
              migrate.config);

    KeygenOptions keygen;
    auto* keygen_command = app.add_subcommand("keygen", "make the log's Ed25519 signing key");
    keygen_command->add_option("--name", keygen.name, "key name = checkpoint origin")->required();
    keygen_command->add_option("--out", keygen.out, "file to create (mode 0600)")->required();

    VkeyOptions vkey;
    AddConfig(app.add_subcommand("vkey", "print the log's verifier key"), vkey.config);

    DemoOptions demo;
    auto* demo_command =
        AddConfig(app.add_subcommand("demo", "load the Haarlem demo"), demo.config);
    demo.data = "demo/haarlem";
    demo_command->add_option("--data", demo.data, "folder with the demo's CSV files")
        ->check(CLI::ExistingDirectory);

    RebuildProjectionsOptions rebuild;
    AddConfig(app.add_subcommand("rebuild-projections",
                                 "rebuild the query tables by replaying the ledger"),
              rebuild.config);

    auto* token = app.add_subcommand("token", "bearer tokens");
    token->require_subcommand(1);
    TokenCreateOptions token_create;
    auto* create =
        AddConfig(token->add_subcommand("create", "print a new token"), token_create.config);
    create
        ->add_option("--role", token_create.role,
                     "council_member, treasurer, municipality, auditor")
        ->required();
    create->add_option("--name", token_create.name, "pseudonymous actor id (a slug)")->required();
    create->add_option("--council", token_create.council, "council id, for council roles");
    create->add_option("--days", token_create.days, "lifetime in days (1..366)")
        ->check(DecimalNumber())
        ->capture_default_str();
    TokenRevokeOptions token_revoke;
    auto* revoke =
        AddConfig(token->add_subcommand("revoke", "revoke a token"), token_revoke.config);
    revoke->add_option("--id", token_revoke.id, "the token's id (before the dot)")->required();

    auto* account = app.add_subcommand("account", "password logins");
    account->require_subcommand(1);
    AccountCreateOptions account_create;
    auto* account_add = AddConfig(
        account->add_subcommand("create", "create a login (or --reset one); password on stdin"),
        account_create.config);
    account_add->add_option("--login", account_create.login, "login name")->required();
    account_add
        ->add_option("--role", account_create.role,
                     "council_member, treasurer, municipality, auditor")
        ->required();
    account_add->add_option("--member", account_create.member, "pseudonymous actor id (a slug)")
        ->required();
    account_add->add_option("--council", account_create.council, "council id, for council roles");
    account_add->add_flag("--reset", account_create.reset,
                          "replace an existing login (password, role, member, council) and "
                          "revoke the tokens of its former member");

    auto* round = app.add_subcommand("round", "residents' rounds");
    round->require_subcommand(1);
    RoundImportOptions round_import;
    auto* import =
        AddConfig(round->add_subcommand("import", "record a past election from a Pabulib .pb file"),
                  round_import.config);
    import->add_option("file", round_import.file, "the .pb file")
        ->required()
        ->check(CLI::ExistingFile);
    import->add_option("--id", round_import.id, "the round's id (a slug)")->required();
    import->add_option("--title", round_import.title, "the round's title")->required();
    import->add_option("--council", round_import.council, "the council whose line holds it")
        ->required();
    import->add_option("--district", round_import.district, "the district it was held in")
        ->required();
    import->add_option("--year", round_import.year, "the budget line's year")
        ->check(DecimalNumber())
        ->required();
    import
        ->add_option("--category", round_import.category,
                     "the budget line's category: public_space, social, initiatives or operations")
        ->capture_default_str();
    import->add_option("--opens-at", round_import.opens_at, "when voting opened (UTC, RFC 3339)")
        ->required();
    import->add_option("--closes-at", round_import.closes_at, "when voting closed (passed)")
        ->required();
    import->add_option("--rule", round_import.rule,
                       "equal_shares or greedy (default: the file's META rule, greedy or "
                       "equalshares/add1; another needs this option)");
    import->add_option("--min-turnout", round_import.min_turnout, "percent of codes, 0..100")
        ->check(DecimalNumber());
    import
        ->add_option("--electorate", round_import.electorate,
                     "codes issued (default: the ballots' number)")
        ->check(DecimalNumber());

    PbOptions pb;
    AddPbCommand(app, pb);

    CodesIssueOptions codes_issue;
    auto* issue = AddConfig(AddCodesCommand(app, codes_issue), codes_issue.config);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // Every usage error exits 2, as `wijkbudget pb` promises (api/main_pb.hpp) and as scripts
        // expect of a command line tool, not with CLI11's own numbers (106 for a missing option);
        // 1 stays a command that ran and failed. --help exits 0.
        return app.exit(error) != 0 ? USAGE_EXIT_STATUS : 0;
    }
    const int status = [&]() -> int {
        try {
            if (app.got_subcommand("serve")) return RunServe(serve);
            if (app.got_subcommand("migrate")) return RunMigrate(migrate);
            if (app.got_subcommand("keygen")) return RunKeygen(keygen);
            if (app.got_subcommand("vkey")) return RunVkey(vkey);
            if (app.got_subcommand("demo")) return RunDemo(demo);
            if (app.got_subcommand("rebuild-projections")) return RunRebuildProjections(rebuild);
            if (create->parsed()) return RunTokenCreate(token_create);
            if (revoke->parsed()) return RunTokenRevoke(token_revoke);
            if (account_add->parsed()) return RunAccountCreate(account_create);
            if (app.got_subcommand("pb")) return RunPb(pb);
            if (issue->parsed()) return RunCodesIssue(codes_issue);
            if (import->parsed()) return RunRoundImport(round_import);
        } catch (const CommandError& error) {
            std::cerr << "wijkbudget: " << error.what() << "\n";
            return 1;
        } catch (const std::exception& error) {
            std::cerr << "wijkbudget: unexpected failure: " << error.what() << "\n";
            return 1;
        }
        return USAGE_EXIT_STATUS;
    }();
    // What a command prints (a token, a key) may be all that is left of it: output lost to a
    // full disk is a failure, not a success with nothing to show.
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "wijkbudget: could not write standard output\n";
        return status == 0 ? 1 : status;
    }
    return status;
}
