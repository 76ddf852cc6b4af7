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
    // Rounds and findings may concern a district or the whole municipality; a checkpoint
    // concerns the ledger itself. Everything else happens in one council.
    if (std::holds_alternative<CheckpointWitnessed>(payload)) return CouncilPresence::absent;
    if (std::holds_alternative<RoundOpened>(payload) ||
        std::holds_alternative<BallotCast>(payload) ||
        std::holds_alternative<RoundClosed>(payload) ||
        std::holds_alternative<FindingRecorded>(payload)) {
        return CouncilPresence::optional;
    }
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
           std::holds_alternative<PeriodClosed>(payload);
}

} // namespace wijkbudget::ledger
