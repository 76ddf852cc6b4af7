#include "ledger/entry.hpp"

#include <type_traits>

namespace wijkbudget::ledger {

std::string_view KindOf(const Entry& entry)
{
    return std::visit([](const auto& payload) { return std::decay_t<decltype(payload)>::KIND; },
                      entry.payload);
}

CouncilPresence CouncilPresenceOf(const Payload& payload)
{
    // Findings may concern the whole municipality; a checkpoint concerns the ledger itself.
    // Everything else happens in one council: a district's round too, since its budget is held
    // on the line of a council of the district.
    if (std::holds_alternative<CheckpointWitnessed>(payload)) return CouncilPresence::absent;
    if (std::holds_alternative<FindingRecorded>(payload)) return CouncilPresence::optional;
    return CouncilPresence::required;
}

bool IsFinancial(const Payload& payload)
{
    return std::holds_alternative<BudgetGranted>(payload) ||
           std::holds_alternative<VoteClosed>(payload) ||
           std::holds_alternative<ApprovalCosigned>(payload) ||
           std::holds_alternative<CommitmentReleased>(payload) ||
           std::holds_alternative<SpendingRecorded>(payload) ||
           std::holds_alternative<SpendingReversed>(payload) ||
           std::holds_alternative<RoundOpened>(payload) ||
           std::holds_alternative<RoundClosed>(payload) ||
           std::holds_alternative<PeriodClosed>(payload);
}

namespace {

using enum Role;
constexpr std::array MUNICIPALITY{municipality};
constexpr std::array MUNICIPALITY_OR_COUNCIL{municipality, council_member};
constexpr std::array MEMBER{council_member, treasurer};
constexpr std::array MEMBER_OR_SYSTEM{council_member, treasurer, system};
constexpr std::array TREASURER{treasurer};
// A spending above the confirmation limit is recorded by the second member who confirms it.
constexpr std::array TREASURER_OR_CONFIRMING_MEMBER{treasurer, council_member};
constexpr std::array TREASURER_OR_MUNICIPALITY{treasurer, municipality};
constexpr std::array RESIDENT{resident};
constexpr std::array ROUND_CLOSER{system, municipality, council_member};
constexpr std::array AUDITOR{auditor};
// The year end: the municipality closes a council's year, and so may the auditor, who closes
// periods (DESIGN.md section 1).
constexpr std::array MUNICIPALITY_OR_AUDITOR{municipality, auditor};

struct RolesOfKind {
    std::span<const Role> operator()(const CouncilRegistered&) const { return MUNICIPALITY; }
    std::span<const Role> operator()(const MandateStarted&) const { return MUNICIPALITY; }
    std::span<const Role> operator()(const MandateEnded&) const { return MUNICIPALITY; }
    std::span<const Role> operator()(const BylawsSet&) const { return MUNICIPALITY_OR_COUNCIL; }
    std::span<const Role> operator()(const BudgetGranted&) const { return MUNICIPALITY; }
    std::span<const Role> operator()(const ProposalSubmitted&) const { return MEMBER; }
    std::span<const Role> operator()(const ProposalAmended&) const { return MEMBER; }
    std::span<const Role> operator()(const ProposalWithdrawn&) const { return MEMBER; }
    std::span<const Role> operator()(const VoteOpened&) const { return MEMBER; }
    std::span<const Role> operator()(const VoteCast&) const { return MEMBER; }
    std::span<const Role> operator()(const VoteClosed&) const { return MEMBER_OR_SYSTEM; }
    std::span<const Role> operator()(const ApprovalCosigned&) const { return MUNICIPALITY; }
    std::span<const Role> operator()(const CommitmentReleased&) const
    {
        return TREASURER_OR_MUNICIPALITY;
    }
    std::span<const Role> operator()(const SpendingRecorded&) const
    {
        return TREASURER_OR_CONFIRMING_MEMBER;
    }
    std::span<const Role> operator()(const SpendingSubmitted&) const { return TREASURER; }
    std::span<const Role> operator()(const SpendingWithdrawn&) const { return TREASURER; }
    std::span<const Role> operator()(const VoteRecused&) const { return MEMBER; }
    std::span<const Role> operator()(const SpendingReversed&) const { return TREASURER; }
    std::span<const Role> operator()(const RoundOpened&) const { return MUNICIPALITY_OR_COUNCIL; }
    std::span<const Role> operator()(const CodesIssued&) const { return MUNICIPALITY; }
    std::span<const Role> operator()(const BallotCast&) const { return RESIDENT; }
    std::span<const Role> operator()(const RoundClosed&) const { return ROUND_CLOSER; }
    std::span<const Role> operator()(const FindingRecorded&) const { return AUDITOR; }
    std::span<const Role> operator()(const PeriodClosed&) const { return MUNICIPALITY_OR_AUDITOR; }
    std::span<const Role> operator()(const CheckpointWitnessed&) const { return AUDITOR; }
};

} // namespace

std::span<const Role> RolesAllowed(const Payload& payload)
{
    return std::visit(RolesOfKind{}, payload);
}

} // namespace wijkbudget::ledger
