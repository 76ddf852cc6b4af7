// tests/fuzz/fuzz_pb_parse.cpp: libFuzzer target for the Pabulib .pb parser (pb/pb_file.hpp), the
// CSV record reader under it, and the rules on what it accepts.
//
// Beyond "no crash, no leak, no undefined behaviour", it checks properties: a refusal names a
// line inside the input; an accepted instance is consistent (ballots list known projects, each at
// most once; points only with points); and on small instances greedy and one run of equal shares
// finish within the budget (pb/ asserts that itself, always on).
#include "pb/assert.hpp"
#include "pb/pb_file.hpp"
#include "pb/rules.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace {

using namespace wijkbudget::pb;

//! Rules run only on instances this small, so one input stays well under libFuzzer's timeout.
constexpr std::size_t RULE_PROJECTS_MAX{12};
constexpr std::size_t RULE_BALLOTS_MAX{64};

void CheckInstance(const Instance& instance)
{
    WB_PB_ASSERT(instance.ballot_begin.back() == instance.item_project.size());
    WB_PB_ASSERT(!instance.HasPoints() ||
                 instance.item_points.size() == instance.item_project.size());
    WB_PB_ASSERT(instance.HasPoints() || instance.item_points.empty());
    std::vector<bool> listed(instance.projects.size(), false);
    for (std::size_t ballot = 0; ballot < instance.BallotCount(); ++ballot) {
        const auto projects = instance.BallotProjects(ballot);
        for (const ProjectIndex p : projects) {
            WB_PB_ASSERT(p < instance.projects.size());
            WB_PB_ASSERT(!listed[p]);
            listed[p] = true;
        }
        for (const ProjectIndex p : projects)
            listed[p] = false;
    }
}

void RunRules(const Instance& instance)
{
    if (instance.projects.size() > RULE_PROJECTS_MAX || instance.BallotCount() > RULE_BALLOTS_MAX)
        return;
    for (const Rule& rule : ApplicableRules(instance)) {
        if (rule.kind != RuleKind::greedy && rule.kind != RuleKind::equal_shares) continue;
        const auto profile = MakeSatisfactionProfile(instance, rule.satisfaction);
        const auto result = ApplyRule(profile, rule);
        const auto* outcome = std::get_if<Outcome>(&result);
        WB_PB_ASSERT(outcome != nullptr);
        WB_PB_ASSERT(outcome->spent <= instance.budget);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto parsed = ParsePbText(input);
    if (const auto* error = std::get_if<ParseError>(&parsed)) {
        WB_PB_ASSERT(error->line <= size + 1); // every line has at least its break
        WB_PB_ASSERT(!error->reason.empty());
        return 0;
    }
    const auto& instance = std::get<Instance>(parsed);
    CheckInstance(instance);
    RunRules(instance);
    return 0;
}
