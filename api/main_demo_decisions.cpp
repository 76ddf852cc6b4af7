#include "api/main_demo_decisions.hpp"

#include "api/main_common.hpp"
#include "ledger/sha256.hpp"
#include "services/calendar.hpp"
#include "services/clock.hpp"

#include <array>
#include <chrono>

namespace wijkbudget::cli {
namespace {

//! Each deciding council's members: id, name (fictional), seat.
struct DemoMember {
    std::string_view id;
    std::string_view name;
    ledger::Seat seat;
};
constexpr std::array DEMO_MEMBERS_A{
    DemoMember{"sd-anouk", "Anouk Visser", ledger::Seat::chair},
    DemoMember{"sd-bart", "Bart de Graaf", ledger::Seat::treasurer},
    DemoMember{"sd-chantal", "Chantal Bakker", ledger::Seat::member},
    DemoMember{"sd-dennis", "Dennis Mulder", ledger::Seat::member},
    DemoMember{"sd-esra", "Esra Yilmaz", ledger::Seat::member},
};
constexpr std::array DEMO_MEMBERS_B{
    DemoMember{"lb-femke", "Femke Jansen", ledger::Seat::chair},
    DemoMember{"lb-gerrit", "Gerrit Smit", ledger::Seat::treasurer},
    DemoMember{"lb-hanna", "Hanna el Amrani", ledger::Seat::member},
    DemoMember{"lb-ivo", "Ivo Peters", ledger::Seat::member},
};
//! A vote's deadline when it opens; the demo's submitters close their votes once all have voted.
constexpr std::int64_t DEMO_VOTING_DAYS{7};
constexpr std::int64_t MILLISECONDS_PER_DAY{86'400'000};

ledger::Date DateOrThrow(std::string_view text)
{
    auto date = ledger::ParseDate(text);
    if (!date) throw CommandError("demo: bad date " + std::string(text));
    return *date;
}

/** One council's script: every write under a key "demo:<council>:<step>", by the member (or the
 *  municipality) who would really do it. */
class CouncilScript
{
public:
    CouncilScript(ledger::Appender& appender, services::DecisionService& decisions,
                  const services::Governance& governance, std::string_view council)
        : m_appender{appender}, m_decisions{decisions},
          m_governance{governance}, m_council{std::string(council)}
    {}

    void Write(const std::string& step, services::DecisionService::Drafted drafted)
    {
        const std::string key = "demo:" + m_council.value + ":" + step;
        if (!drafted) throw CommandError("demo: " + key + ": " + drafted.error().Describe());
        AppendDemoEntry(m_appender, key, std::move(*drafted));
    }

    [[nodiscard]] services::Principal Municipality() const
    {
        return {"demo", ledger::Role::municipality, ledger::Slug{"gemeente-haarlem"}, std::nullopt};
    }
    //! The member as their token would make them: the treasurer seat acts as a treasurer.
    [[nodiscard]] services::Principal Member(std::string_view id) const
    {
        const bool treasurer = id == m_treasurer;
        return {"demo", treasurer ? ledger::Role::treasurer : ledger::Role::council_member,
                ledger::Slug{std::string(id)}, m_council};
    }

    template <std::size_t N>
    void Seat(const std::array<DemoMember, N>& members, services::MemberNames& names)
    {
        for (const auto& member : members) {
            const ledger::Slug id{std::string(member.id)};
            if (member.seat == ledger::Seat::treasurer) m_treasurer = member.id;
            if (auto kept = names.Put(m_council, id, ledger::Title{std::string(member.name)});
                !kept) {
                throw CommandError("demo: names: " + kept.error().message());
            }
            Write("mandate:" + id.value,
                  m_decisions.StartMandate(
                      Municipality(), m_council,
                      {id, member.seat, DateOrThrow("2026-01-01"), DateOrThrow("2029-12-31")}));
        }
    }

    void Bylaws(std::uint64_t quorum_percent, ledger::TieRule tie_rule, std::int64_t cosign_above,
                std::int64_t confirm_above)
    {
        Write("bylaws",
              m_decisions.SetBylaws(Municipality(), m_council,
                                    {quorum_percent, ledger::MajorityRule::simple, tie_rule,
                                     ledger::Cents{cosign_above}, ledger::Cents{confirm_above},
                                     std::nullopt, 14, std::nullopt}));
    }

    /** A proposal by `submitter`, put to the vote, each member casting as `ballots` says (in
     *  their order), and closed by the submitter: before its deadline, so every seated member
     *  must be among `ballots` (DecisionService::CloseVote). */
    void Decide(std::string_view submitter, std::string_view proposal, std::string_view title,
                std::string_view description, std::int64_t cents, ledger::BudgetCategory category,
                const std::vector<std::pair<std::string_view, ledger::VoteChoice>>& ballots)
    {
        const ledger::Slug vote =
            PutToTheVote(submitter, proposal, title, description, cents, category, ballots);
        if (Closed(vote)) return; // Closed on a ledger an earlier demo loaded (its keys replayed).
        Write("close:" + vote.value, m_decisions.CloseVote(Member(submitter), m_council, vote));
    }

    //! As Decide, but the vote stays open until its deadline, when the system closes it.
    ledger::Slug
    PutToTheVote(std::string_view submitter, std::string_view proposal, std::string_view title,
                 std::string_view description, std::int64_t cents, ledger::BudgetCategory category,
                 const std::vector<std::pair<std::string_view, ledger::VoteChoice>>& ballots)
    {
        const ledger::Slug id{std::string(proposal)};
        Write("proposal:" + id.value,
              m_decisions.SubmitProposal(Member(submitter), m_council,
                                         {id,
                                          ledger::Title{std::string(title)},
                                          ledger::Description{std::string(description)},
                                          ledger::Cents{cents},
                                          ledger::Year{2027},
                                          category,
                                          std::nullopt,
                                          {{ledger::Sha256Of("demo offerte " + id.value)}}}));
        const ledger::Slug vote{"v-" + id.value};
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch());
        const ledger::Timestamp closes_at{now.count() + DEMO_VOTING_DAYS * MILLISECONDS_PER_DAY};
        Write("vote:" + vote.value,
              m_decisions.OpenVote(Member(submitter), m_council, {vote, id, closes_at}));
        // A ledger an earlier demo loaded may hold this vote closed, on fewer ballots than today's
        // script casts (a vote closed at once then): what it holds stands.
        for (const auto& [member, choice] : ballots) {
            if (Closed(vote)) break;
            Write("ballot:" + vote.value + ":" + std::string(member),
                  m_decisions.CastVote(Member(member), m_council, vote, {choice}));
        }
        return vote;
    }

    [[nodiscard]] bool Closed(const ledger::Slug& vote) const
    {
        const auto found = m_governance.FindVote(m_council, vote);
        return found && found->Closed();
    }

    //! A payment made today, so that the demo's payments never precede their decisions.
    void Spend(std::string_view treasurer, std::string_view commitment, std::string_view id,
               std::int64_t cents, std::string_view payee, std::string_view description)
    {
        const ledger::Slug spending{std::string(id)};
        Write("spending:" + spending.value,
              m_decisions.RecordSpending(
                  Member(treasurer), m_council, ledger::Slug{std::string(commitment)},
                  {spending, ledger::Cents{cents}, services::DateOf(m_clock.Now()),
                   ledger::Title{std::string(payee)},
                   ledger::Sha256Of("demo factuur " + spending.value),
                   ledger::Description{std::string(description)}}));
    }

    void Confirm(std::string_view member, std::string_view submission)
    {
        Write("confirm:" + std::string(submission),
              m_decisions.ConfirmSpending(Member(member), m_council,
                                          ledger::Slug{std::string(submission)}));
    }

    void Cosign(std::string_view proposal)
    {
        Write("cosign:" + std::string(proposal),
              m_decisions.Cosign(Municipality(), m_council, ledger::Slug{std::string(proposal)}));
    }

    void Release(std::string_view treasurer, std::string_view commitment, std::string_view reason)
    {
        Write("release:" + std::string(commitment),
              m_decisions.ReleaseCommitment(Member(treasurer), m_council,
                                            ledger::Slug{std::string(commitment)},
                                            {ledger::Description{std::string(reason)}}));
    }

private:
    ledger::Appender& m_appender;
    services::DecisionService& m_decisions;
    const services::Governance& m_governance;
    ledger::Slug m_council;
    std::string_view m_treasurer;
    services::SystemClock m_clock;
};

using enum ledger::VoteChoice;
using ledger::BudgetCategory;

void LoadCouncilA(CouncilScript& script, services::MemberNames& names)
{
    script.Seat(DEMO_MEMBERS_A, names);
    script.Bylaws(60, ledger::TieRule::rejected, 750'000, 200'000);
    script.Decide("sd-chantal", "bankjes-park", "Nieuwe bankjes in het park",
                  "Zes bankjes langs het wandelpad, waarvan twee met leuning.", 450'000,
                  BudgetCategory::public_space,
                  {{"sd-anouk", in_favour},
                   {"sd-bart", in_favour},
                   {"sd-chantal", in_favour},
                   {"sd-dennis", in_favour},
                   {"sd-esra", against}});
    script.Spend("sd-bart", "bankjes-park", "bankjes-aanbetaling", 120'000,
                 "Stadsmeubilair Noord BV", "Aanbetaling bankjes");
    script.Spend("sd-bart", "bankjes-park", "bankjes-levering", 250'000, "Stadsmeubilair Noord BV",
                 "Levering en plaatsing");
    script.Confirm("sd-anouk", "bankjes-levering");
    script.Decide("sd-esra", "buurtfeest-plein", "Buurtfeest op het plein",
                  "Een feest voor de hele buurt, met muziek en eten.", 300'000,
                  BudgetCategory::social,
                  {{"sd-anouk", against},
                   {"sd-bart", against},
                   {"sd-chantal", in_favour},
                   {"sd-esra", in_favour},
                   {"sd-dennis", abstain}});
    script.Decide("sd-dennis", "geveltuinen", "Geveltuinen in de Scheepmakersstraat",
                  "Tegels eruit, planten erin: twintig geveltuinen met bewoners.", 180'000,
                  BudgetCategory::initiatives,
                  {{"sd-anouk", in_favour},
                   {"sd-bart", in_favour},
                   {"sd-chantal", in_favour},
                   {"sd-dennis", in_favour},
                   {"sd-esra", in_favour}});
    script.Spend("sd-bart", "geveltuinen", "geveltuinen-planten", 150'000, "Kwekerij De Liede",
                 "Planten en grond");
    script.Release("sd-bart", "geveltuinen", "Klaar; minder tegels dan gedacht.");
}

void LoadCouncilB(CouncilScript& script, services::MemberNames& names)
{
    script.Seat(DEMO_MEMBERS_B, names);
    script.Bylaws(75, ledger::TieRule::chair_decides, 750'000, 150'000);
    script.Decide("lb-hanna", "speeltuin", "Speeltuin Leidseplein vernieuwen",
                  "Nieuwe toestellen en een zachte ondergrond.", 900'000,
                  BudgetCategory::public_space,
                  {{"lb-femke", in_favour},
                   {"lb-gerrit", in_favour},
                   {"lb-hanna", in_favour},
                   {"lb-ivo", against}});
    script.Cosign("speeltuin");
    script.Spend("lb-gerrit", "speeltuin", "speeltuin-ontwerp", 300'000, "Buitenspeel Ontwerp",
                 "Ontwerp en eerste termijn");
    script.Confirm("lb-ivo", "speeltuin-ontwerp");
    // Two of four members have voted, and the vote runs on: should nobody else vote by its
    // deadline, the system closes it below the bylaws' 75% quorum, and it is rejected.
    script.PutToTheVote("lb-ivo", "extra-verlichting", "Extra verlichting in het steegje",
                        "Vier lantaarns in de Leidse Dwarsstraat.", 200'000,
                        BudgetCategory::public_space,
                        {{"lb-ivo", in_favour}, {"lb-hanna", in_favour}});
}

} // namespace

void LoadDemoDecisions(ledger::Appender& appender, services::DecisionService& decisions,
                       const services::Governance& governance, services::MemberNames& names)
{
    CouncilScript council_a{appender, decisions, governance, DEMO_DECIDING_COUNCIL_A};
    LoadCouncilA(council_a, names);
    CouncilScript council_b{appender, decisions, governance, DEMO_DECIDING_COUNCIL_B};
    LoadCouncilB(council_b, names);
}

} // namespace wijkbudget::cli
