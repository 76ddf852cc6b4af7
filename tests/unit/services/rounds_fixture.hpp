#pragma once
// RoundService in memory, on the council decisions' fixture: the Rounds projection fed like the
// others, and the voting codes' hashes in a map.

#include "ledger/round_rules.hpp"
#include "services/round_service.hpp"
#include "services/rounds.hpp"
#include "services/voting_codes.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "decisions_fixture.hpp"

namespace wijkbudget::services::decision_testing {

class MemoryVotingCodes final : public VotingCodeStore
{
public:
    boost::system::result<void, ledger::Failure>
    PutBatch(const ledger::Slug& round, const ledger::Hash& digest,
             std::span<const ledger::Hash> hashes) override
    {
        const bool whole = std::all_of(hashes.begin(), hashes.end(), [&](const auto& hash) {
            auto found = m_batches.find({round.value, hash});
            return found != m_batches.end() && found->second == digest;
        });
        if (whole && !hashes.empty()) return {};
        for (const auto& hash : hashes) {
            if (m_batches.contains({round.value, hash})) {
                return ledger::Failure{ledger::Errc::field_invalid, "codes: stored already"};
            }
        }
        for (const auto& hash : hashes)
            m_batches[{round.value, hash}] = digest;
        return {};
    }
    boost::system::result<std::optional<ledger::Hash>, ledger::Failure>
    BatchOf(const ledger::Slug& round, const ledger::Hash& code_hash) override
    {
        auto found = m_batches.find({round.value, code_hash});
        if (found == m_batches.end()) return std::optional<ledger::Hash>{};
        return std::optional<ledger::Hash>{found->second};
    }

private:
    std::map<std::pair<std::string, ledger::Hash>, ledger::Hash> m_batches;
};

class RoundsTest : public DecisionsTest
{
protected:
    void ObserveAlso(const ledger::Entry& entry) override { m_rounds.Observe(entry); }

    //! A round of the district "centrum" on burgwal's initiatives line, opening in a day and
    //! closing a week later: approval ballots over four projects.
    RoundOpening DistrictRound(const std::string& id = "r-1") const
    {
        RoundOpening round;
        round.id = Slug{id};
        round.title = ledger::Title{"Buurtbudget"};
        round.district = Slug{"centrum"};
        round.year = YEAR;
        round.category = BudgetCategory::initiatives;
        round.budget = Cents{100'000};
        round.opens_at = At(1);
        round.closes_at = At(8);
        round.rule = ledger::RoundRule::equal_shares;
        round.min_turnout_percent = 50;
        round.projects.items = {Project("bankjes", 30'000), Project("speeltuin", 80'000),
                                Project("bomen", 40'000), Project("feest", 20'000)};
        return round;
    }
    static ledger::RoundProject Project(const std::string& id, std::int64_t cents)
    {
        return {Slug{id}, ledger::Title{"Project " + id}, Cents{cents}, std::nullopt};
    }
    //! Days from the fixture's start, whatever the clock shows now.
    ledger::Timestamp At(std::int64_t days) const
    {
        return ledger::Timestamp{START.milliseconds + days * MILLISECONDS_PER_DAY};
    }
    /** `proposal` (bram's) approved by all five and closed at once by its opener, as a council
     *  decides its own round (the round's times are fixed, so the clock must not move). */
    void ApproveUnanimously(const std::string& proposal, std::int64_t cents)
    {
        Submit(proposal, cents);
        Open("v-" + proposal, proposal);
        for (const char* member : {"anna", "bram", "cas", "dirk", "eva"})
            Ok(Cast(member, "v-" + proposal, ledger::VoteChoice::in_favour));
        Ok(m_service.CloseVote(Member("anna"), Slug{"burgwal"}, Slug{"v-" + proposal}));
    }
    void GoTo(ledger::Timestamp moment)
    {
        m_clock.Advance(moment.milliseconds - m_clock.Now().milliseconds);
    }

    //! `count` codes issued for the round, as printed.
    std::vector<std::string> IssueCodes(const std::string& round, std::size_t count)
    {
        std::vector<std::string> codes;
        std::vector<ledger::Hash> hashes;
        for (std::size_t number = 0; number < count; ++number) {
            std::array<std::uint8_t, VOTING_CODE_RANDOM_BYTES> random{};
            ++m_code_counter;
            for (std::size_t i = 0; i < random.size(); ++i)
                random[i] =
                    static_cast<std::uint8_t>((m_code_counter * 2654435761U) >> (i % 4 * 8));
            random[8] = static_cast<std::uint8_t>(m_code_counter);
            codes.push_back(MakeVotingCode(random));
            hashes.push_back(VotingCodeHash(Slug{round}, *CanonicalVotingCode(codes.back())));
        }
        Ok(m_round_service.IssueCodes(m_officer, Slug{round}, hashes));
        return codes;
    }
    RoundService::Drafted Vote(const std::string& round, const std::string& code,
                               std::vector<std::pair<std::string, std::uint64_t>> choices)
    {
        BallotSubmission ballot;
        ballot.code = ledger::Token{code};
        for (auto& [project, points] : choices)
            ballot.choices.items.push_back({Slug{project}, points});
        return m_round_service.CastBallot(Slug{round}, std::move(ballot));
    }
    RoundService::Drafted Approve(const std::string& round, const std::string& code,
                                  std::vector<std::string> projects)
    {
        std::vector<std::pair<std::string, std::uint64_t>> choices;
        for (auto& project : projects)
            choices.emplace_back(project, 1);
        return Vote(round, code, std::move(choices));
    }
    ledger::RoundClosed Closed(const std::string& round)
    {
        auto found = m_rounds.FindRound(Slug{round});
        EXPECT_TRUE(found && found->closed);
        return found && found->closed ? *found->closed : ledger::RoundClosed{};
    }

    static constexpr ledger::Timestamp START{1'800'000'000'000};
    static constexpr ledger::Hash SEED{7, 7, 7};
    Rounds m_rounds;
    MemoryVotingCodes m_codes;
    RoundService m_round_service{m_registry, m_governance, m_rounds, m_codes, m_clock};
    std::uint32_t m_code_counter{0};
};

} // namespace wijkbudget::services::decision_testing
