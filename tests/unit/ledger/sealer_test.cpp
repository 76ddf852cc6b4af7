#include "ledger/entry_json.hpp"
#include "ledger/export_verifier.hpp"
#include "ledger/round_rules.hpp"
#include "ledger/sealer.hpp"
#include "tests/support/sample_ledger.hpp"

#include <gtest/gtest.h>

namespace wijkbudget::ledger {
namespace {

//! The sample ledger's entries as drafts: no index, no link, no posting balances.
std::vector<Entry> Drafts()
{
    auto entries = testing::SampleLedger();
    for (auto& entry : entries) {
        entry.index = LeafIndex{};
        entry.previous.reset();
        for (auto& posting : entry.postings) {
            posting.balance_after = Balance{};
            posting.version_after = 0;
        }
    }
    return entries;
}

TEST(SealerTest, SealsDraftsIntoTheLedgerTheVerifierAccepts)
{
    Sealer sealer;
    ExportVerifier verifier(testing::SampleLedger().size(), [&] {
        Sealer reference;
        for (auto& draft : Drafts())
            EXPECT_TRUE(reference.Seal(draft).has_value());
        return reference.Root();
    }());
    const auto expected = testing::SampleLedger();
    for (std::size_t index = 0; index < expected.size(); ++index) {
        auto sealed = sealer.Seal(Drafts()[index]);
        ASSERT_TRUE(sealed.has_value()) << sealed.error().Describe();
        EXPECT_EQ(sealed->entry, expected[index]);
        EXPECT_EQ(sealed->bytes, SerialiseEntry(expected[index]));
        EXPECT_EQ(sealed->leaf, LeafHash(sealed->bytes));
        ASSERT_TRUE(verifier.Add(sealed->bytes).has_value());
    }
    EXPECT_EQ(sealer.Size(), expected.size());
    EXPECT_TRUE(verifier.Finish().has_value());
}

TEST(SealerTest, RefusedDraftChangesNothing)
{
    Sealer sealer;
    const auto drafts = Drafts();
    for (std::size_t index = 0; index < 6; ++index)
        ASSERT_TRUE(sealer.Seal(drafts[index]).has_value());
    const Hash root = sealer.Root();
    const std::string line = "line:burgwal:2027:public_space";
    const AccountState before = sealer.ReplayedBook().StateOf(line);

    Entry too_much = drafts[15]; // approval.cosigned of 600,000 from a line holding 1,500,000
    std::get<ApprovalCosigned>(too_much.payload).amount = Cents{1'500'001};
    for (auto& posting : too_much.postings)
        posting.amount = Cents{1'500'001};
    auto refused = sealer.Seal(too_much);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, Errc::exceeds_budget_line);
    Entry wrong_role = drafts[6];
    wrong_role.actor.role = Role::resident;
    EXPECT_EQ(sealer.Seal(wrong_role).error().code, Errc::field_invalid);

    EXPECT_EQ(sealer.Size(), 6U);
    EXPECT_EQ(sealer.Root(), root);
    EXPECT_EQ(sealer.ReplayedBook().StateOf(line), before);
    // The next good draft still gets the next index and the right link.
    auto next = sealer.Seal(drafts[6]);
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->entry, testing::SampleLedger()[6]);
}

TEST(SealerTest, AValueNoReaderAcceptsIsRefusedAndChangesNothing)
{
    // Values reach drafts from tokens, files and requests, each with checks of its own; one that
    // slipped past them (an actor id of 65 bytes from a token made before names were measured)
    // would be sealed, and every replay and verification would stop at its index for good.
    Sealer sealer;
    const auto drafts = Drafts();
    for (std::size_t index = 0; index < 6; ++index)
        ASSERT_TRUE(sealer.Seal(drafts[index]).has_value());
    const Hash root = sealer.Root();

    Entry long_actor = drafts[6];
    long_actor.actor.id = Slug{std::string(SLUG_BYTES_MAX + 1, 'a')};
    auto refused = sealer.Seal(long_actor);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, make_error_code(Errc::field_too_long));
    EXPECT_EQ(refused.error().where, "actor.id");
    Entry capitals = drafts[6];
    capitals.actor.id = Slug{"Anna"};
    refused = sealer.Seal(capitals);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, make_error_code(Errc::field_invalid));
    EXPECT_EQ(refused.error().where, "actor.id");

    EXPECT_EQ(sealer.Size(), 6U);
    EXPECT_EQ(sealer.Root(), root);
    // At the limit it is a value like any other.
    Entry longest_actor = drafts[6];
    longest_actor.actor.id = Slug{std::string(SLUG_BYTES_MAX, 'a')};
    const auto sealed = sealer.Seal(longest_actor);
    ASSERT_TRUE(sealed.has_value()) << sealed.error().Describe();
    EXPECT_TRUE(ParseCanonicalEntry(sealed->bytes).has_value());
}

TEST(SealerTest, AnEntryLongerThanItsLimitIsRefusedAndChangesNothing)
{
    // The longest round opening: the most projects, each with a title and a category of 200
    // quotes, each escaped, and the ids again in the tie order. It fits ENTRY_BYTES_MAX, just;
    // a close with long prices might not. Under a limit it passes, it must leave no trace.
    const auto drafts = Drafts();
    std::size_t opening = 0;
    while (!std::holds_alternative<RoundOpened>(drafts.at(opening).payload))
        ++opening;
    Entry longest = drafts[opening];
    auto& round = std::get<RoundOpened>(longest.payload);
    round.projects.items.clear();
    for (std::size_t number = 0; number < ROUND_PROJECTS_MAX; ++number) {
        std::string id = "p" + std::to_string(number);
        id.append(SLUG_BYTES_MAX - id.size(), 'x');
        const Title quotes{std::string(TITLE_BYTES_MAX, '"')};
        round.projects.items.push_back(RoundProject{Slug{id}, quotes, Cents{1'000}, quotes});
    }
    round.tie_order.items = TieOrderOf(round.tie_seed, round.projects.items);

    // Within the readers' limit (ENTRY_BYTES_MAX, the sequencer's) it is sealed and read back.
    Sealer reader_limit;
    for (std::size_t index = 0; index < opening; ++index)
        ASSERT_TRUE(reader_limit.Seal(drafts[index]).has_value());
    const auto accepted = reader_limit.Seal(longest);
    ASSERT_TRUE(accepted.has_value()) << accepted.error().Describe();
    EXPECT_TRUE(ParseCanonicalEntry(accepted->bytes).has_value());
    const std::size_t bytes = accepted->bytes.size();
    ASSERT_GT(bytes, ENTRY_BYTES_MAX * 9 / 10) << "the test's entry is too short to say much";

    // A byte shorter a limit, and it is refused without a trace.
    Sealer limited{bytes - 1};
    for (std::size_t index = 0; index < opening; ++index)
        ASSERT_TRUE(limited.Seal(drafts[index]).has_value());
    const Hash root = limited.Root();
    const auto refused = limited.Seal(longest);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, make_error_code(Errc::field_too_long));
    EXPECT_EQ(limited.Size(), opening);
    EXPECT_EQ(limited.Root(), root);
    // The book did not take the round's hold: the ledger's own round opens at the same index.
    const auto sealed = limited.Seal(drafts[opening]);
    ASSERT_TRUE(sealed.has_value()) << sealed.error().Describe();
    EXPECT_EQ(sealed->entry.index.value, opening);
}

} // namespace
} // namespace wijkbudget::ledger
