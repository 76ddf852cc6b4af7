// tests/bench/pb_rule_times.cpp: pb_rule_times EXPECTED.json FILE.pb...: for each file, the time
// to read it and, for each rule that applies, the time of the rule alone (best of three, one run
// if it takes over 5 s), next to pabutools 1.2.3's time for the same file and rule, which also
// leaves parsing out. One line per file and rule; pb_bench.sh prints it after the command timings.
#include "pb/pb_file.hpp"
#include "pb/rules.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using namespace wijkbudget::pb;
using Clock = std::chrono::steady_clock;

constexpr int RUNS{3};
constexpr double SLOW_SECONDS{5.0};

double Seconds(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double RuleSeconds(const Instance& instance, const Rule& rule)
{
    double best = 0;
    for (int run = 0; run < RUNS; ++run) {
        const auto start = Clock::now();
        const auto profile = MakeSatisfactionProfile(instance, rule.satisfaction);
        const auto result = ApplyRule(profile, rule);
        const double took = Seconds(start);
        if (!std::holds_alternative<Outcome>(result)) return -1;
        if (run == 0 || took < best) best = took;
        if (took > SLOW_SECONDS) break;
    }
    return best;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: pb_rule_times EXPECTED-EXAMPLES.json FILE.pb...\n");
        return 2;
    }
    std::ifstream expected_file{argv[1]};
    std::stringstream expected_text;
    expected_text << expected_file.rdbuf();
    const auto timings = boost::json::parse(expected_text.str()).at("timings_s").as_object();
    std::printf("%-66s %-22s %10s %10s %11s %9s\n", "file", "rule", "read (s)", "rule (s)",
                "pabutools", "ratio");
    for (int arg = 2; arg < argc; ++arg) {
        const std::string name = std::filesystem::path{argv[arg]}.filename().string();
        const auto start = Clock::now();
        const auto parsed = ReadPbFile(argv[arg]);
        const double read = Seconds(start);
        if (!std::holds_alternative<Instance>(parsed)) return 1;
        for (const Rule& rule : ApplicableRules(std::get<Instance>(parsed))) {
            const double seconds = RuleSeconds(std::get<Instance>(parsed), rule);
            const auto* file_timings = timings.if_contains(name);
            const auto* theirs =
                file_timings ? file_timings->as_object().if_contains(RuleName(rule)) : nullptr;
            if (theirs == nullptr) {
                std::printf("%-66s %-22s %10.4f %10.4f %11s %9s\n", name.c_str(),
                            RuleName(rule).c_str(), read, seconds, "-", "-");
                continue;
            }
            const double pabutools = theirs->to_number<double>();
            std::printf("%-66s %-22s %10.4f %10.4f %11.4f %9.0f\n", name.c_str(),
                        RuleName(rule).c_str(), read, seconds, pabutools, pabutools / seconds);
        }
    }
    return 0;
}
