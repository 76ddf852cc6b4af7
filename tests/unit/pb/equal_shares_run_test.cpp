// tests/unit/pb/equal_shares_run_test.cpp: the work one EqualSharesRun keeps from run to run (the
// path of purchases, the hints that bound rho at other budgets, the heap they reorder) changes
// no run: a run that follows many others at budgets above and below it buys what a fresh engine
// buys, at the same rho, and so does the slow reference of equal_shares_reference.hpp.
#include "pb/equal_shares_run.hpp"
#include "tests/unit/pb/equal_shares_reference.hpp"
#include "tests/unit/pb/pb_test_util.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace wijkbudget::pb {
namespace {

using test::MustParse;
using test::PbText;

/** More projects and voters than equal_shares_test.cpp uses, and costs close together, so that
 *  many candidates are examined at each step, near ties are common and hints raise several
 *  bounds of one heap at once. */
std::string MediumInstanceText(std::mt19937& random, bool cumulative)
{
    const auto pick = [&](int low, int high) {
        return std::uniform_int_distribution<int>{low, high}(random);
    };
    const int projects = pick(8, 20);
    const int voters = pick(10, 30);
    std::string rows = "project_id;cost\n";
    for (int p = 0; p < projects; ++p) {
        rows += "p";
        rows += std::to_string(p) + ";" + std::to_string(pick(40, 90)) + "\n";
    }
    std::string votes = cumulative ? "voter_id;vote;points\n" : "voter_id;vote\n";
    for (int v = 0; v < voters; ++v) {
        std::string ids;
        std::string points;
        for (int p = 0; p < projects; ++p) {
            if (pick(0, 3) != 0) continue;
            ids += ids.empty() ? "p" : ",p";
            ids += std::to_string(p);
            points += points.empty() ? "" : ",";
            points += std::to_string(pick(1, 3));
        }
        votes += std::to_string(v) + ";" + ids;
        if (cumulative) {
            votes += ";";
            votes += points.empty() ? std::string{"None"} : points;
        }
        votes += "\n";
    }
    return PbText(std::to_string(pick(200, 600)), cumulative ? "cumulative" : "approval", rows,
                  votes);
}

//! Budgets around the first one, up and down in turn, as the completion's jumps and retries go.
std::vector<mpq_class> ZigzagBudgets(const mpq_class& first, std::mt19937& random)
{
    std::vector<mpq_class> budgets;
    mpq_class budget = first;
    for (int i = 0; i < 40; ++i) {
        const int step = std::uniform_int_distribution<int>{1, 12}(random);
        budget += i % 3 == 2 ? -step : 2 * step;
        if (budget <= 0) budget = first;
        budgets.push_back(budget);
    }
    return budgets;
}

TEST(EqualSharesRunTest, KeptWorkChangesNoRun)
{
    std::mt19937 random{20260603u};
    std::size_t compared = 0;
    for (int round = 0; round < 60; ++round) {
        const bool cumulative = round % 3 == 2;
        const std::string text = MediumInstanceText(random, cumulative);
        const auto instance = MustParse(text);
        for (const Satisfaction satisfaction : {Satisfaction::cost, Satisfaction::cardinal}) {
            if (satisfaction == Satisfaction::cardinal && !cumulative) continue;
            const auto profile = MakeSatisfactionProfile(instance, satisfaction);
            EqualSharesRun kept{profile};
            const auto budgets = ZigzagBudgets(instance.budget / instance.BallotCount(), random);
            for (std::size_t i = 0; i < budgets.size(); ++i) {
                kept.Run(budgets[i]);
                EqualSharesRun fresh{profile};
                fresh.Run(budgets[i]);
                const auto& got = kept.Purchases();
                const auto& expected = fresh.Purchases();
                ASSERT_EQ(got.size(), expected.size()) << text << "budget " << budgets[i];
                for (std::size_t k = 0; k < got.size(); ++k) {
                    EXPECT_EQ(got[k].project, expected[k].project) << text;
                    EXPECT_EQ(got[k].rho, expected[k].rho) << text;
                }
                if (i % 8 != 0) continue; // the slow oracle on a few budgets only
                const auto reference = test::ReferenceRun(instance, satisfaction, budgets[i]);
                ASSERT_EQ(reference.size(), got.size()) << text << "budget " << budgets[i];
                for (std::size_t k = 0; k < got.size(); ++k) {
                    EXPECT_EQ(got[k].project, reference[k].project) << text;
                    EXPECT_EQ(got[k].rho, reference[k].rho) << text;
                }
                ++compared;
            }
        }
    }
    EXPECT_GT(compared, 100u);
}

} // namespace
} // namespace wijkbudget::pb
