// tests/unit/services/round_deadlines_test.cpp: RoundDeadlines queues one close, as the system and
// without an idempotency claim, for each round past its closing time, and only one at a time.
// What the close records is RoundService's (and the HTTPS scenario's) business.

#include "services/errc.hpp"
#include "services/round_deadlines.hpp"
#include "tests/support/capturing_appender.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace wijkbudget::services {
namespace {

constexpr std::int64_t NOW_MILLISECONDS{1'800'000'000'000};
constexpr std::int64_t HOUR_MILLISECONDS{3'600'000};

using wijkbudget::testing::CapturingAppender;

class NoCodes final : public VotingCodeStore
{
public:
    boost::system::result<void, ledger::Failure> PutBatch(const ledger::Slug&, const ledger::Hash&,
                                                          std::span<const ledger::Hash>) override
    {
        return {};
    }
    boost::system::result<std::optional<ledger::Hash>, ledger::Failure>
    BatchOf(const ledger::Slug&, const ledger::Hash&) override
    {
        return std::optional<ledger::Hash>{};
    }
};

class RoundDeadlinesTest : public ::testing::Test
{
protected:
    void Observe(ledger::Payload payload)
    {
        ledger::Entry entry;
        entry.index = ledger::LeafIndex{m_size++};
        entry.actor = {ledger::Role::municipality, ledger::Slug{"officer"}};
        entry.council = ledger::Slug{"burgwal"};
        entry.payload = std::move(payload);
        m_rounds.Observe(entry);
    }
    void OpenRound(const std::string& id, std::int64_t closes_in_milliseconds)
    {
        ledger::RoundOpened opened;
        opened.round = ledger::Slug{id};
        opened.opens_at = ledger::Timestamp{NOW_MILLISECONDS - 2 * HOUR_MILLISECONDS};
        opened.closes_at = ledger::Timestamp{NOW_MILLISECONDS + closes_in_milliseconds};
        Observe(std::move(opened));
    }

    CouncilRegistry m_registry;
    Governance m_governance;
    Rounds m_rounds;
    NoCodes m_codes;
    FixedClock m_clock{ledger::Timestamp{NOW_MILLISECONDS}};
    RoundService m_service{m_registry, m_governance, m_rounds, m_codes, m_clock};
    CapturingAppender m_appender;
    RoundDeadlines m_deadlines{m_rounds, m_service, m_appender, m_clock};
    std::uint64_t m_size{0};
};

TEST_F(RoundDeadlinesTest, QueuesOneCloseForEachRoundPastItsClosingTime)
{
    OpenRound("r-due", -1);
    OpenRound("r-exact", 0);
    OpenRound("r-later", HOUR_MILLISECONDS);
    OpenRound("r-closed", -HOUR_MILLISECONDS);
    ledger::RoundClosed closed;
    closed.round = ledger::Slug{"r-closed"};
    Observe(std::move(closed));

    EXPECT_EQ(m_deadlines.CloseDue(), 2U); // r-due and r-exact: closes_at is the first moment.
    ASSERT_EQ(m_appender.requests.size(), 2U);
    for (const ledger::AppendRequest& request : m_appender.requests) {
        EXPECT_FALSE(request.claim.has_value()); // Nobody's key: a refusal is not stored.
        EXPECT_TRUE(static_cast<bool>(request.make_draft));
    }
    // Queued and unanswered: not again.
    EXPECT_EQ(m_deadlines.CloseDue(), 0U);
    // Answered (say, refused because a member closed it first): due again until the projection
    // shows it closed.
    m_appender.dones.front()(ledger::AppendFailure::unavailable);
    EXPECT_EQ(m_deadlines.CloseDue(), 1U);
    m_clock.Advance(HOUR_MILLISECONDS);
    EXPECT_EQ(m_deadlines.CloseDue(), 1U); // r-later now.
    EXPECT_EQ(m_appender.requests.size(), 4U);
}

TEST_F(RoundDeadlinesTest, LeavesAnImportedRoundToItsImport)
{
    // Opened on the ledger after its window (a past election being imported, ballot by ballot):
    // a close now would count the ballots recorded so far.
    ledger::RoundOpened opened;
    opened.round = ledger::Slug{"r-imported"};
    opened.opens_at = ledger::Timestamp{NOW_MILLISECONDS - 3 * HOUR_MILLISECONDS};
    opened.closes_at = ledger::Timestamp{NOW_MILLISECONDS - 2 * HOUR_MILLISECONDS};
    ledger::Entry entry;
    entry.index = ledger::LeafIndex{m_size++};
    entry.actor = {ledger::Role::municipality, ledger::Slug{"officer"}};
    entry.council = ledger::Slug{"burgwal"};
    entry.recorded_at = ledger::Timestamp{NOW_MILLISECONDS};
    entry.payload = std::move(opened);
    m_rounds.Observe(entry);
    ASSERT_TRUE(m_rounds.FindRound(ledger::Slug{"r-imported"})->Imported());
    EXPECT_EQ(m_deadlines.CloseDue(), 0U);
    EXPECT_TRUE(m_appender.requests.empty());
    // Nor does the system's close draft, however it is reached.
    const Principal system{"system", ledger::Role::system, ledger::Slug{"system"},
                           ledger::Slug{"burgwal"}};
    auto close = m_service.Close(system, ledger::Slug{"r-imported"});
    ASSERT_TRUE(close.has_value());
    const auto drafted = (*close)();
    ASSERT_FALSE(drafted.has_value());
    EXPECT_EQ(drafted.error().code, Errc::not_permitted);
}

TEST_F(RoundDeadlinesTest, QueuesNothingWithoutDueRounds)
{
    EXPECT_EQ(m_deadlines.CloseDue(), 0U);
    OpenRound("r-later", HOUR_MILLISECONDS);
    EXPECT_EQ(m_deadlines.CloseDue(), 0U);
    EXPECT_TRUE(m_appender.requests.empty());
}

TEST_F(RoundDeadlinesTest, ARefusedCloseIsTriedLessAndLessOften)
{
    // A refused close was decided on the sequencer's thread: a round whose count cannot finish
    // must not take that thread at every five-second scan for good.
    OpenRound("r-due", -1);
    const auto answer_last = [this](bool refused) {
        const ledger::AppendRequest& request = m_appender.requests.back();
        const boost::system::result<ledger::AppendedEntry, ledger::Failure> outcome =
            refused ? boost::system::result<ledger::AppendedEntry, ledger::Failure>(
                          ledger::Failure{ledger::Errc::field_invalid, "rule"})
                    : boost::system::result<ledger::AppendedEntry, ledger::Failure>(
                          ledger::AppendedEntry{});
        m_appender.dones.back()(ledger::AppendReply{request.answer(outcome), false});
    };
    // Scans until the next close is queued; how many were skipped before it.
    const auto skipped_before_next = [this] {
        std::size_t skipped = 0;
        while (m_deadlines.CloseDue() == 0 && skipped <= SYSTEM_CLOSE_SKIPS_MAX)
            ++skipped;
        return skipped;
    };
    ASSERT_EQ(m_deadlines.CloseDue(), 1U);
    std::vector<std::size_t> skips;
    for (int refusal = 0; refusal < 8; ++refusal) {
        answer_last(true);
        skips.push_back(skipped_before_next());
    }
    EXPECT_EQ(skips, (std::vector<std::size_t>{2, 4, 8, 16, 32, 60, 60, 60}));
    // A batch that failed decided nothing: the close goes again at the next scan, and the
    // refusals before it stand. A close that goes through forgets them.
    m_appender.dones.back()(ledger::AppendFailure::unavailable);
    EXPECT_EQ(m_deadlines.CloseDue(), 1U);
    answer_last(true);
    EXPECT_EQ(skipped_before_next(), SYSTEM_CLOSE_SKIPS_MAX);
    answer_last(false);
    EXPECT_EQ(m_deadlines.CloseDue(), 1U);
}

} // namespace
} // namespace wijkbudget::services
