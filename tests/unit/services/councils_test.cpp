// Council registration and grants: who may, what the draft says, and what the ledger decides.
#include "ledger/account.hpp"
#include "ledger/sealer.hpp"
#include "services/councils.hpp"
#include "services/credentials.hpp"
#include "services/errc.hpp"

#include <gtest/gtest.h>

#include <map>

namespace wijkbudget::services {
namespace {

using ledger::BudgetCategory;
using ledger::Cents;
using ledger::Role;
using ledger::Slug;

class FakeDistricts final : public DistrictDirectory
{
public:
    boost::system::result<bool> Contains(const Slug& district) override
    {
        if (fail)
            return {boost::system::in_place_error,
                    make_error_code(ledger::Errc::storage_unavailable)};
        return districts.contains(district.value);
    }
    boost::system::result<std::vector<District>> List() override
    {
        std::vector<District> list;
        for (const auto& [slug, name] : districts)
            list.push_back({Slug{slug}, ledger::Title{name}});
        return list;
    }
    boost::system::result<void> Put(const District& district) override
    {
        districts[district.slug.value] = district.name.value;
        return {};
    }
    std::map<std::string, std::string> districts{{"centrum", "Centrum"}};
    bool fail{false};
};

//! The sequencer's part, in memory: run the draft maker, seal, and show the registry the entry.
class CouncilsTest : public ::testing::Test
{
protected:
    boost::system::result<ledger::SealedEntry, ledger::Failure>
    Sequence(const DraftMaker& make_draft)
    {
        auto draft = make_draft();
        if (!draft) return draft.error();
        auto sealed = m_sealer.Seal(std::move(*draft));
        if (sealed) m_registry.Observe(sealed->entry);
        return sealed;
    }
    boost::system::result<ledger::SealedEntry, ledger::Failure>
    Register(const Principal& who, std::string id, std::string district = "centrum")
    {
        auto draft = m_service.Register(
            who, {Slug{std::move(id)}, ledger::Title{"Wijkraad"}, Slug{std::move(district)}});
        if (!draft) return draft.error();
        return Sequence(*draft);
    }

    FixedClock m_clock{ledger::Timestamp{1'800'000'000'000}};
    FakeDistricts m_districts;
    CouncilRegistry m_registry;
    ledger::Sealer m_sealer;
    CouncilService m_service{m_registry, m_districts, m_clock};
    Principal m_officer{"t1", Role::municipality, Slug{"officer-1"}, std::nullopt};
};

TEST_F(CouncilsTest, MunicipalityRegistersACouncilOnce)
{
    auto first = Register(m_officer, "burgwal");
    ASSERT_TRUE(first.has_value()) << first.error().Describe();
    EXPECT_EQ(first->entry.actor.id.value, "officer-1");
    EXPECT_EQ(first->entry.council->value, "burgwal");
    ASSERT_TRUE(m_registry.Contains(Slug{"burgwal"}));
    EXPECT_EQ(m_registry.Find(Slug{"burgwal"})->district.value, "centrum");

    auto second = Register(m_officer, "burgwal");
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code, Errc::council_exists);
    EXPECT_EQ(m_sealer.Size(), 1U);
}

TEST_F(CouncilsTest, OnlyTheMunicipalityMayRegisterOrGrant)
{
    for (Role role : {Role::council_member, Role::treasurer, Role::auditor, Role::resident}) {
        const Principal other{"t2", role, Slug{"someone"}, Slug{"burgwal"}};
        auto registered =
            m_service.Register(other, {Slug{"x"}, ledger::Title{"X"}, Slug{"centrum"}});
        ASSERT_FALSE(registered.has_value());
        EXPECT_EQ(registered.error().code, Errc::not_permitted);
        auto granted = m_service.Grant(other, Slug{"x"},
                                       {ledger::Year{2027}, BudgetCategory::social, Cents{1}});
        ASSERT_FALSE(granted.has_value());
        EXPECT_EQ(granted.error().code, Errc::not_permitted);
    }
}

TEST_F(CouncilsTest, UnknownDistrictIsRefusedAndAFailingDirectoryIsNotARefusal)
{
    auto unknown = Register(m_officer, "burgwal", "atlantis");
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, Errc::district_unknown);
    m_districts.fail = true;
    auto failed = Register(m_officer, "burgwal");
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, ledger::Errc::storage_unavailable);
    EXPECT_EQ(m_sealer.Size(), 0U);
}

TEST_F(CouncilsTest, GrantMovesMoneyFromThePoolToTheLine)
{
    ASSERT_TRUE(Register(m_officer, "burgwal").has_value());
    auto draft =
        m_service.Grant(m_officer, Slug{"burgwal"},
                        {ledger::Year{2027}, BudgetCategory::public_space, Cents{1'500'000}});
    ASSERT_TRUE(draft.has_value());
    auto sealed = Sequence(*draft);
    ASSERT_TRUE(sealed.has_value()) << sealed.error().Describe();
    ASSERT_EQ(sealed->entry.postings.size(), 2U);
    EXPECT_EQ(sealed->entry.postings[0].account.value, "pool");
    EXPECT_EQ(sealed->entry.postings[1].account.value, "line:burgwal:2027:public_space");
    const auto council = m_registry.Find(Slug{"burgwal"});
    ASSERT_EQ(council->lines.size(), 1U);
    EXPECT_EQ(council->lines[0].granted.value, 1'500'000);
    EXPECT_EQ(council->lines[0].available.value, 1'500'000);
    EXPECT_EQ(council->lines[0].spent.value, 0);
}

TEST_F(CouncilsTest, TheLinesFirstGrantDecidesWhereItsMoneyGoesAtTheYearEnd)
{
    ASSERT_TRUE(Register(m_officer, "burgwal").has_value());
    const auto grant = [this](BudgetCategory category, std::optional<ledger::YearEndRule> rule) {
        auto draft = m_service.Grant(m_officer, Slug{"burgwal"},
                                     {ledger::Year{2027}, category, Cents{1'000}, rule});
        EXPECT_TRUE(draft.has_value());
        return Sequence(*draft);
    };
    const auto rule_of = [](const auto& sealed) {
        return std::get<ledger::BudgetGranted>(sealed->entry.payload).at_year_end;
    };
    // Before, every grant said "return": carrying over could not be chosen.
    const auto first = grant(BudgetCategory::social, ledger::YearEndRule::carries_over);
    ASSERT_TRUE(first.has_value()) << first.error().Describe();
    EXPECT_EQ(rule_of(first), ledger::YearEndRule::carries_over);
    const auto silent = grant(BudgetCategory::social, std::nullopt);
    ASSERT_TRUE(silent.has_value()) << silent.error().Describe();
    EXPECT_EQ(rule_of(silent), ledger::YearEndRule::carries_over) << "the line's rule holds";
    const auto other = grant(BudgetCategory::social, ledger::YearEndRule::returns);
    ASSERT_FALSE(other.has_value());
    EXPECT_EQ(other.error().code, Errc::year_end_rule_fixed);
    const auto plain = grant(BudgetCategory::initiatives, std::nullopt);
    ASSERT_TRUE(plain.has_value()) << plain.error().Describe();
    EXPECT_EQ(rule_of(plain), ledger::YearEndRule::returns) << "the default";
}

TEST_F(CouncilsTest, GrantToAnUnknownCouncilIsRefusedWhenSequenced)
{
    auto draft = m_service.Grant(m_officer, Slug{"nowhere"},
                                 {ledger::Year{2027}, BudgetCategory::social, Cents{100}});
    ASSERT_TRUE(draft.has_value()); // Whether it exists is decided under the sequencer's lock.
    auto sealed = Sequence(*draft);
    ASSERT_FALSE(sealed.has_value());
    EXPECT_EQ(sealed.error().code, Errc::council_unknown);
}

TEST_F(CouncilsTest, EntriesAreNeverDatedBeforeTheLastOne)
{
    ASSERT_TRUE(Register(m_officer, "burgwal").has_value());
    m_clock.Advance(-60'000); // Another server's clock, a minute behind.
    auto second = Register(m_officer, "oost");
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->entry.recorded_at, m_registry.LastRecordedAt());
    EXPECT_EQ(second->entry.recorded_at.milliseconds, 1'800'000'000'000);
}

TEST_F(CouncilsTest, RegistryResetsAndReplaysToTheSameState)
{
    ASSERT_TRUE(Register(m_officer, "burgwal").has_value());
    ASSERT_TRUE(Register(m_officer, "oost").has_value());
    const auto before = m_registry.List();
    m_registry.Reset();
    EXPECT_TRUE(m_registry.List().empty());
    EXPECT_EQ(m_registry.Size(), 0U);
    EXPECT_FALSE(m_registry.Contains(Slug{"burgwal"}));
    ledger::Sealer replay;
    for (const auto& view : before) {
        auto draft = m_service.Register(m_officer, {view.id, view.name, view.district});
        ASSERT_TRUE(draft.has_value());
        auto entry = (*draft)();
        ASSERT_TRUE(entry.has_value());
        auto sealed = replay.Seal(std::move(*entry));
        ASSERT_TRUE(sealed.has_value());
        m_registry.Observe(sealed->entry);
    }
    EXPECT_EQ(m_registry.List().size(), before.size());
}

TEST(ServicesErrcTest, EveryCodeHasAStableNameAndMessage)
{
    EXPECT_EQ(CodeName(Errc::council_exists), "council_exists");
    EXPECT_EQ(CodeNameOf(make_error_code(Errc::not_permitted)), "not_permitted");
    EXPECT_EQ(CodeNameOf(make_error_code(ledger::Errc::exceeds_budget_line)),
              "exceeds_budget_line");
    EXPECT_EQ(CodeNameOf(std::make_error_code(std::errc::io_error)), "internal_error");
    const auto outside = make_error_code(static_cast<Errc>(999));
    EXPECT_EQ(outside.message(), "wijkbudget.services: unknown error");
    EXPECT_EQ(CodeName(static_cast<Errc>(999)), "unknown");
    for (int value = 1; value <= static_cast<int>(Errc::district_unknown); ++value) {
        const auto code = make_error_code(static_cast<Errc>(value));
        EXPECT_NE(CodeName(static_cast<Errc>(value)), "unknown");
        EXPECT_EQ(code.message().find("unknown error"), std::string::npos) << value;
    }
}

TEST(CredentialsTest, TokenShapeAndRoles)
{
    const std::string token = std::string(16, 'a') + "." + std::string(64, '0');
    EXPECT_TRUE(IsTokenText(token));
    EXPECT_FALSE(IsTokenText(token.substr(1)));
    EXPECT_FALSE(IsTokenText(std::string(16, 'A') + "." + std::string(64, '0')));
    EXPECT_FALSE(IsTokenText(std::string(16, 'a') + "-" + std::string(64, '0')));
    EXPECT_NE(TokenHash(token), TokenHash(token.substr(0, 80) + "1"));
    EXPECT_TRUE(RoleNeedsCouncil(Role::council_member));
    EXPECT_TRUE(RoleNeedsCouncil(Role::treasurer));
    EXPECT_FALSE(RoleNeedsCouncil(Role::municipality));
    EXPECT_FALSE(RoleNeedsCouncil(Role::auditor));
}

} // namespace
} // namespace wijkbudget::services
