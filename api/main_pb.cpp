// api/main_pb.cpp: see main_pb.hpp. Part of the composition root, but it uses pb/ alone.
#include "api/main_pb.hpp"

#include "pb/outcome_json.hpp"
#include "pb/pb_file.hpp"
#include "pb/rules.hpp"

#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace wijkbudget::cli {

namespace {

std::optional<pb::RuleKind> KindFromOption(const std::string& rule)
{
    if (rule == "greedy") return pb::RuleKind::greedy;
    if (rule == "mes") return pb::RuleKind::equal_shares;
    if (rule == "mes-add1") return pb::RuleKind::equal_shares_add1;
    if (rule == "mes-add1-greedy") return pb::RuleKind::equal_shares_add1_greedy;
    return std::nullopt;
}

void PrintParseError(const std::filesystem::path& file, const pb::ParseError& error)
{
    std::cerr << file.string();
    if (error.line != 0) std::cerr << ':' << error.line;
    std::cerr << ": " << error.reason << "\n";
}

void PrintWinners(const pb::Instance& instance, const pb::Outcome& outcome)
{
    std::vector<std::string> ids;
    for (const pb::Winner& winner : outcome.winners)
        ids.push_back(instance.projects[winner.project].id);
    // std::string compares bytes, and UTF-8 byte order is code point order.
    std::sort(ids.begin(), ids.end());
    for (const std::string& id : ids)
        std::cout << id << "\n";
}

} // namespace

CLI::App* AddPbCommand(CLI::App& app, PbOptions& options)
{
    auto* command =
        app.add_subcommand("pb", "outcome of a participatory-budgeting rule on a Pabulib .pb file");
    command->add_option("file", options.file, "the .pb file")->required()->check(CLI::ExistingFile);
    command->add_option("--rule", options.rule, "greedy, mes, mes-add1 or mes-add1-greedy")
        ->required()
        ->check(CLI::IsMember({"greedy", "mes", "mes-add1", "mes-add1-greedy"}));
    command->add_option("--sat", options.satisfaction, "satisfaction: cost (default) or cardinal")
        ->check(CLI::IsMember({"cost", "cardinal"}));
    command->add_flag("--explain", options.explain,
                      "print a JSON record of the outcome and its reasons instead of the ids");
    return command;
}

int RunPb(const PbOptions& options)
{
    const auto kind = KindFromOption(options.rule);
    if (!kind) {
        std::cerr << "wijkbudget pb: unknown rule " << options.rule << "\n";
        return PB_EXIT_USAGE;
    }
    const pb::Rule rule{*kind, options.satisfaction == "cardinal" ? pb::Satisfaction::cardinal
                                                                  : pb::Satisfaction::cost};
    auto parsed = pb::ReadPbFile(options.file);
    if (const auto* error = std::get_if<pb::ParseError>(&parsed)) {
        PrintParseError(options.file, *error);
        return PB_EXIT_MALFORMED;
    }
    const auto& instance = std::get<pb::Instance>(parsed);
    if (const auto refusal = pb::RuleRefusal(instance, rule)) {
        std::cerr << "wijkbudget pb: --rule " << options.rule << " --sat " << options.satisfaction
                  << " does not apply to " << options.file.string() << ": " << *refusal << "\n";
        return PB_EXIT_USAGE;
    }
    const auto profile = pb::MakeSatisfactionProfile(instance, rule.satisfaction);
    const auto result = pb::ApplyRule(profile, rule);
    if (const auto* failure = std::get_if<pb::RuleFailure>(&result)) {
        std::cerr << "wijkbudget pb: " << pb::RuleName(rule) << ": " << failure->reason << "\n";
        return PB_EXIT_MALFORMED;
    }
    const auto& outcome = std::get<pb::Outcome>(result);
    if (options.explain) {
        std::cout << pb::OutcomeJson(instance, profile, rule, outcome) << "\n";
    } else {
        PrintWinners(instance, outcome);
    }
    return 0;
}

} // namespace wijkbudget::cli
