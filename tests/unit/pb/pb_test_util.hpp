#pragma once
// tests/unit/pb/pb_test_util.hpp: helpers of the pb/ tests: parse a text that must parse, run a
// rule by name, list the winners' ids, read the test data under tests/pb/.

#include "pb/pb_file.hpp"
#include "pb/rules.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace wijkbudget::pb::test {

inline std::filesystem::path TestDataDir()
{
    return std::filesystem::path{WB_TEST_DATA_DIR} / "pb";
}

inline std::string ReadText(const std::filesystem::path& file)
{
    std::ifstream stream{file, std::ios::binary};
    std::stringstream text;
    text << stream.rdbuf();
    return text.str();
}

//! The instance of `text`; a parse error fails the test.
inline Instance MustParse(std::string_view text)
{
    auto parsed = ParsePbText(text);
    if (const auto* error = std::get_if<ParseError>(&parsed)) {
        ADD_FAILURE() << "line " << error->line << ": " << error->reason;
        return Instance{};
    }
    return std::get<Instance>(std::move(parsed));
}

inline Outcome MustApply(const Instance& instance, const std::string& rule_name)
{
    const auto rule = RuleFromName(rule_name);
    EXPECT_TRUE(rule.has_value()) << rule_name;
    EXPECT_FALSE(RuleRefusal(instance, *rule).has_value()) << rule_name;
    const auto profile = MakeSatisfactionProfile(instance, rule->satisfaction);
    auto result = ApplyRule(profile, *rule);
    EXPECT_TRUE(std::holds_alternative<Outcome>(result)) << rule_name;
    return std::get<Outcome>(std::move(result));
}

//! Winners' ids in the order of selection.
inline std::vector<std::string> SelectionOrder(const Instance& instance, const Outcome& outcome)
{
    std::vector<std::string> ids;
    for (const Winner& winner : outcome.winners)
        ids.push_back(instance.projects[winner.project].id);
    return ids;
}

inline std::size_t IndexOf(const Instance& instance, std::string_view id)
{
    for (std::size_t p = 0; p < instance.projects.size(); ++p) {
        if (instance.projects[p].id == id) return p;
    }
    ADD_FAILURE() << "no project " << id;
    return 0;
}

/** A small .pb text: META with `budget` and `vote_type`, then the given PROJECTS and VOTES rows
 *  (each with its header line). */
inline std::string PbText(std::string_view budget, std::string_view vote_type,
                          std::string_view projects, std::string_view votes)
{
    std::string text = "META\nkey;value\nbudget;";
    text += budget;
    text += "\nvote_type;";
    text += vote_type;
    text += "\nPROJECTS\n";
    text += projects;
    text += "VOTES\n";
    text += votes;
    return text;
}

} // namespace wijkbudget::pb::test
