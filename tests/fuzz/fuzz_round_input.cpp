// tests/fuzz/fuzz_round_input.cpp: libFuzzer target for what residents and officers hand a round:
// a typed voting code (services/voting_codes.hpp) and a past election's .pb file
// (services/round_import.hpp, on pb/'s parser).
//
// Beyond "no crash, no leak, no undefined behaviour", it checks properties: a code read back is
// canonical (14 symbols of the alphabet) and reads as itself; an imported round keeps the named
// limits (projects, ballots, slugs, whole cents, points) and lists only its own projects.
#include "ledger/assert.hpp"
#include "ledger/round_rules.hpp"
#include "services/round_import.hpp"
#include "services/voting_codes.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string_view>

namespace {

using namespace wijkbudget;

void CheckCode(std::string_view typed)
{
    const auto canonical = services::CanonicalVotingCode(typed);
    if (!canonical) return;
    WB_ASSERT(canonical->size() == services::VOTING_CODE_RANDOM_SYMBOLS + 1);
    WB_ASSERT(services::CanonicalVotingCode(*canonical) == canonical);
}

void CheckImport(std::string_view text, ledger::RoundRule rule)
{
    services::PastRoundSettings settings;
    // Chosen, not the file's: with each of the two, any META rule passes with one of them (a
    // file's rule is checked against the choice), so the parsers behind it are always reached.
    settings.rule = rule;
    settings.id = ledger::Slug{"r-fuzz"};
    settings.title = ledger::Title{"Fuzz"};
    settings.district = ledger::Slug{"centrum"};
    settings.year = ledger::Year{2027};
    settings.opens_at = ledger::Timestamp{1};
    settings.closes_at = ledger::Timestamp{2};
    auto past = services::ReadPastRound(text, settings);
    if (!past) return;
    const auto& projects = past->opening.projects.items;
    WB_ASSERT(projects.size() <= ledger::ROUND_PROJECTS_MAX);
    WB_ASSERT(past->ballots.size() <= services::IMPORTED_BALLOTS_MAX);
    WB_ASSERT(ledger::AmountInRange(past->opening.budget));
    std::set<std::string> ids;
    for (const auto& project : projects) {
        WB_ASSERT(ledger::AmountInRange(project.cost));
        WB_ASSERT(ids.insert(project.id.value).second);
    }
    for (const auto& ballot : past->ballots) {
        for (const auto& choice : ballot.choices) {
            WB_ASSERT(ids.contains(choice.project.value));
            WB_ASSERT(choice.points >= 1 && choice.points <= ledger::ROUND_POINTS_MAX);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    CheckCode(text);
    CheckImport(text, ledger::RoundRule::greedy);
    CheckImport(text, ledger::RoundRule::equal_shares);
    return 0;
}
