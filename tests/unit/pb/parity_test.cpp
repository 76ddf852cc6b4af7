// tests/unit/pb/parity_test.cpp: every Pabulib file of ../shared/pabulib (or, without it, the
// copies in tests/pb/pabulib) parses, every rule that applies to it runs to completion, and the
// outcomes listed in EXPECTED-EXAMPLES.json (pabutools 1.2.3) are met: the set of winners and the
// order in which they were selected. WB_PABULIB_DIR names another folder.
#include "pb/equal_shares.hpp"
#include "pb/outcome_json.hpp"
#include "pb/pb_file.hpp"
#include "pb/rules.hpp"
#include "pb/separate_supports.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>

namespace wijkbudget::pb {
namespace {

std::filesystem::path PabulibDir()
{
    if (const char* dir = std::getenv("WB_PABULIB_DIR")) return dir;
    const auto shared =
        std::filesystem::path{WB_TEST_DATA_DIR} / ".." / ".." / "shared" / "pabulib";
    if (std::filesystem::is_directory(shared)) return shared;
    return test::TestDataDir() / "pabulib";
}

std::vector<std::string> PabulibFiles()
{
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator{PabulibDir()}) {
        if (entry.path().extension() == ".pb") files.push_back(entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

const boost::json::object& Expected()
{
    static const auto expected =
        boost::json::parse(test::ReadText(test::TestDataDir() / "EXPECTED-EXAMPLES.json"))
            .as_object();
    return expected;
}

std::vector<std::string> Strings(const boost::json::value& array)
{
    std::vector<std::string> strings;
    for (const auto& item : array.as_array())
        strings.emplace_back(item.as_string());
    return strings;
}

class ParityTest : public testing::TestWithParam<std::string>
{
};

TEST_P(ParityTest, EveryRuleRunsAndMatchesPabutools)
{
    const auto parsed = ReadPbFile(PabulibDir() / GetParam());
    ASSERT_TRUE(std::holds_alternative<Instance>(parsed))
        << GetParam() << ":" << std::get<ParseError>(parsed).line << ": "
        << std::get<ParseError>(parsed).reason;
    const auto& instance = std::get<Instance>(parsed);
    const auto* expected_file = Expected().at("expected").as_object().if_contains(GetParam());
    const auto* order_file = Expected().at("selection_order").as_object().if_contains(GetParam());
    for (const Rule& rule : ApplicableRules(instance)) {
        const std::string name = RuleName(rule);
        const auto start = std::chrono::steady_clock::now();
        const auto profile = MakeSatisfactionProfile(instance, rule.satisfaction);
        const auto result = ApplyRule(profile, rule);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        RecordProperty(name, std::to_string(took.count()));
        ASSERT_TRUE(std::holds_alternative<Outcome>(result)) << GetParam() << " " << name;
        const auto order = test::SelectionOrder(instance, std::get<Outcome>(result));
        auto sorted = order;
        std::sort(sorted.begin(), sorted.end());
        if (expected_file != nullptr && expected_file->as_object().contains(name)) {
            EXPECT_EQ(sorted, Strings(expected_file->at(name))) << GetParam() << " " << name;
            EXPECT_EQ(order, Strings(order_file->at(name))) << GetParam() << " " << name;
        }
    }
}

TEST_P(ParityTest, ClosedFormAgreesWithTheEngineWhereSupportsAreSeparate)
{
    // pb/separate_supports.hpp replaces the engine on files where nobody supports two
    // candidates (choose-1); its outcome, explanation included, must be the engine's.
    const auto parsed = ReadPbFile(PabulibDir() / GetParam());
    ASSERT_TRUE(std::holds_alternative<Instance>(parsed));
    const auto& instance = std::get<Instance>(parsed);
    const auto profile = MakeSatisfactionProfile(instance, Satisfaction::cost);
    if (!SupportsAreSeparate(profile)) return;
    for (const char* name : {"mes_cost", "mes_cost_add1"}) {
        const Completion completion =
            std::string_view{name} == "mes_cost" ? Completion::none : Completion::add1;
        const auto closed = std::get<Outcome>(EqualShares(profile, completion));
        const auto engine = std::get<Outcome>(EqualSharesByRuns(profile, completion));
        const Rule rule = *RuleFromName(name);
        EXPECT_EQ(OutcomeJson(instance, profile, rule, closed),
                  OutcomeJson(instance, profile, rule, engine))
            << GetParam() << " " << name;
        EXPECT_EQ(closed.loss, engine.loss) << GetParam() << " " << name;
        EXPECT_EQ(closed.equal_shares_runs, engine.equal_shares_runs) << GetParam() << " " << name;
    }
}

std::string TestName(const testing::TestParamInfo<std::string>& info)
{
    std::string name;
    for (const char c : info.param) {
        if (c == '.') break;
        const bool plain =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        name += plain ? c : 'X';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Pabulib, ParityTest, testing::ValuesIn(PabulibFiles()), TestName);

TEST(ParityDataTest, EveryExpectedFileIsThere)
{
    const auto files = PabulibFiles();
    for (const auto& file : Expected().at("expected").as_object()) {
        EXPECT_NE(std::find(files.begin(), files.end(), std::string{file.key()}), files.end())
            << file.key();
    }
}

} // namespace
} // namespace wijkbudget::pb
