#pragma once
// The sequencer's part for DecisionService tests, in memory: run a draft maker, seal the entry
// (so the ledger's own checks and book run on every draft), and show it to the projections.
//
// A council "burgwal" with five members: anna (chair), bram, cas, eva (members) and dirk
// (treasurer), seated 2026-12-12 .. 2030-03-25; the clock stands at 2027-01-15T08:00:00Z.

#include "ledger/account.hpp"
#include "ledger/sealer.hpp"
#include "services/calendar.hpp"
#include "services/council_registry.hpp"
#include "services/decisions.hpp"
#include "services/errc.hpp"
#include "services/governance.hpp"

#include <gtest/gtest.h>

#include <string>

namespace wijkbudget::services::decision_testing {

using ledger::BudgetCategory;
using ledger::Cents;
using ledger::Role;
using ledger::Slug;
using ledger::Year;
using SealResult = boost::system::result<ledger::SealedEntry, ledger::Failure>;

inline constexpr std::int64_t HOUR_MILLISECONDS{3'600'000};
inline constexpr Year YEAR{2027};
//! How long the fixture's votes run (Open), in days.
inline constexpr std::int64_t VOTE_DAYS{7};

class DecisionsTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        Municipal(ledger::CouncilRegistered{ledger::Title{"Burgwal"}, Slug{"centrum"}});
        Municipal(ledger::CouncilRegistered{ledger::Title{"Oost"}, Slug{"centrum"}}, Slug{"oost"});
    }

    SealResult Sequence(const DecisionService::Drafted& drafted)
    {
        if (!drafted) return drafted.error();
        auto draft = (*drafted)();
        if (!draft) return draft.error();
        return SealAndObserve(std::move(*draft));
    }
    SealResult SealAndObserve(ledger::Entry draft)
    {
        auto sealed = m_sealer.Seal(std::move(draft));
        if (sealed) {
            m_registry.Observe(sealed->entry);
            m_governance.Observe(sealed->entry);
            ObserveAlso(sealed->entry);
            m_entries.push_back(sealed->entry);
        }
        return sealed;
    }
    //! For fixtures with more projections (residents' rounds): every entry, once, in order.
    virtual void ObserveAlso(const ledger::Entry& /*entry*/) {}
    //! Sequences and expects success; returns the sealed entry.
    ledger::Entry Ok(const DecisionService::Drafted& drafted)
    {
        auto sealed = Sequence(drafted);
        EXPECT_TRUE(sealed.has_value()) << (sealed ? "" : sealed.error().Describe());
        return sealed ? sealed->entry : ledger::Entry{};
    }
    //! Sequences and expects the refusal `code`, with nothing written.
    template <class Code>
    void Refused(const DecisionService::Drafted& drafted, Code code)
    {
        const auto size = m_sealer.Size();
        auto sealed = Sequence(drafted);
        ASSERT_FALSE(sealed.has_value()) << "expected " << make_error_code(code).message();
        EXPECT_EQ(sealed.error().code, make_error_code(code)) << sealed.error().Describe();
        EXPECT_EQ(m_sealer.Size(), size);
    }

    //! An entry by the municipality, sealed directly (registrations and grants).
    ledger::Entry Municipal(ledger::Payload payload, Slug council = Slug{"burgwal"},
                            std::vector<ledger::Posting> postings = {})
    {
        ledger::Entry entry;
        entry.actor = {Role::municipality, Slug{"officer"}};
        entry.recorded_at = m_clock.Now();
        entry.council = std::move(council);
        entry.payload = std::move(payload);
        entry.postings = std::move(postings);
        auto sealed = SealAndObserve(std::move(entry));
        EXPECT_TRUE(sealed.has_value()) << (sealed ? "" : sealed.error().Describe());
        return sealed ? sealed->entry : ledger::Entry{};
    }
    void Grant(std::int64_t cents, Year year = YEAR,
               BudgetCategory category = BudgetCategory::public_space,
               ledger::YearEndRule rule = ledger::YearEndRule::returns)
    {
        Municipal(ledger::BudgetGranted{year, category, Cents{cents}, rule}, Slug{"burgwal"},
                  ledger::TransferPostings(ledger::PoolAccount(),
                                           ledger::LineAccount(Slug{"burgwal"}, year, category),
                                           Cents{cents}));
    }

    static Principal Member(const std::string& id, Role role = Role::council_member,
                            const std::string& council = "burgwal")
    {
        return {"t-" + id, role, Slug{id}, Slug{council}};
    }
    Principal Treasurer() const { return Member("dirk", Role::treasurer); }

    ledger::Date Today() { return DateOf(m_clock.Now()); }
    void Seat(const std::string& member, ledger::Seat seat = ledger::Seat::member)
    {
        Ok(m_service.StartMandate(m_officer, Slug{"burgwal"},
                                  {Slug{member}, seat, ledger::Date{Today().days - 34},
                                   ledger::Date{Today().days + 1165}}));
    }
    void SeatFive()
    {
        Seat("anna", ledger::Seat::chair);
        Seat("bram");
        Seat("cas");
        Seat("dirk", ledger::Seat::treasurer);
        Seat("eva");
    }
    void SetBylaws(std::uint64_t quorum_percent, ledger::MajorityRule majority,
                   ledger::TieRule tie_rule, std::int64_t cosign_above = 1'000'000,
                   std::int64_t confirm_above = 50'000)
    {
        Ok(m_service.SetBylaws(m_officer, Slug{"burgwal"},
                               {quorum_percent, majority, tie_rule, Cents{cosign_above},
                                Cents{confirm_above}, std::nullopt, 14, std::nullopt}));
    }
    void Submit(const std::string& proposal, std::int64_t cents, const std::string& by = "bram")
    {
        Ok(m_service.SubmitProposal(Member(by), Slug{"burgwal"},
                                    {Slug{proposal},
                                     ledger::Title{"Bankjes"},
                                     ledger::Description{"Twee bankjes op het plein"},
                                     Cents{cents},
                                     YEAR,
                                     BudgetCategory::public_space,
                                     std::nullopt,
                                     {}}));
    }
    //! Closes burgwal's `year` as the municipality, once the clock has passed that year's end
    //! (the rule year_not_over): moved to 1 January of the next year when it stands earlier.
    DecisionService::Drafted CloseYear(Year year = YEAR)
    {
        const ledger::Timestamp next = StartOf(Year{year.value + 1});
        if (m_clock.Now() < next) m_clock.Advance(next.milliseconds - m_clock.Now().milliseconds);
        return m_service.ClosePeriod(m_officer, Slug{"burgwal"}, year);
    }
    ledger::Timestamp InDays(std::int64_t days)
    {
        return ledger::Timestamp{m_clock.Now().milliseconds + days * MILLISECONDS_PER_DAY};
    }
    void Open(const std::string& vote, const std::string& proposal, const std::string& by = "anna")
    {
        Ok(m_service.OpenVote(Member(by), Slug{"burgwal"},
                              {Slug{vote}, Slug{proposal}, InDays(VOTE_DAYS)}));
    }
    DecisionService::Drafted Cast(const std::string& member, const std::string& vote,
                                  ledger::VoteChoice choice)
    {
        const Role role = member == "dirk" ? Role::treasurer : Role::council_member;
        return m_service.CastVote(Member(member, role), Slug{"burgwal"}, Slug{vote}, {choice});
    }
    //! `vote` closed by `by` (its opener) at its deadline: before it, only once all had voted.
    ledger::Entry CloseAtDeadline(const std::string& vote, const std::string& by = "anna")
    {
        m_clock.Advance(VOTE_DAYS * MILLISECONDS_PER_DAY);
        return Ok(m_service.CloseVote(Member(by), Slug{"burgwal"}, Slug{vote}));
    }
    /** A proposal of `cents` voted through (anna, bram, cas for) and closed by its opener at its
     *  deadline, a week on (before it, only once all five had voted). */
    ledger::Entry Approve(const std::string& proposal, std::int64_t cents)
    {
        Submit(proposal, cents);
        Open("v-" + proposal, proposal);
        for (const char* member : {"anna", "bram", "cas"}) {
            Ok(Cast(member, "v-" + proposal, ledger::VoteChoice::in_favour));
        }
        return CloseAtDeadline("v-" + proposal);
    }
    LineTotals LineNow(Year year = YEAR, BudgetCategory category = BudgetCategory::public_space)
    {
        auto line = m_governance.FindLine(Slug{"burgwal"}, year, category);
        EXPECT_TRUE(line.has_value());
        return line ? line->totals : LineTotals{};
    }
    //! The book's own balance of an account, to hold the projection against.
    std::int64_t BookBalance(const ledger::Account& account) const
    {
        return m_sealer.ReplayedBook().StateOf(ledger::AccountName(account)).balance.value;
    }

    FixedClock m_clock{ledger::Timestamp{1'800'000'000'000}}; // 2027-01-15T08:00:00Z.
    ledger::Sealer m_sealer;
    CouncilRegistry m_registry;
    Governance m_governance;
    DecisionService m_service{m_registry, m_governance, m_clock};
    std::vector<ledger::Entry> m_entries;
    Principal m_officer{"t-officer", Role::municipality, Slug{"officer"}, std::nullopt};
    Principal m_system{"t-system", Role::system, Slug{"scheduler"}, std::nullopt};
};

} // namespace wijkbudget::services::decision_testing
