// api/main_projections.cpp: `wijkbudget rebuild-projections`.
#include "api/main_projections.hpp"

#include "api/main_common.hpp"
#include "ledger/pg/pg_sequencer.hpp"
#include "services/council_registry.hpp"
#include "services/governance.hpp"
#include "services/pg/pg_query_tables.hpp"

#include <soci/soci.h>

#include <iostream>

namespace wijkbudget::cli {

int RunRebuildProjections(const RebuildProjectionsOptions& options)
{
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    auto pool = OpenRuntimePool(settings.database, 1);
    services::CouncilRegistry registry;
    services::Governance governance;
    // Starting a sequencer replays the stored ledger through the Sealer (every entry checked,
    // the chain and the last checkpoint verified) and the observers; nothing is appended.
    StartCommandSequencer(settings, {&registry, &governance}, "replaying the ledger")->Stop();

    services::pg::PgQueryTables tables{*pool};
    // Replayed from the database alone: every entry the projections saw is committed.
    const std::uint64_t replayed = governance.Size();
    auto replaced = tables.Replace(registry, governance, [replayed] { return replayed; });
    if (!replaced) throw CommandError("writing the query tables: " + replaced.error().message());
    if (*replaced != governance.Size()) {
        throw CommandError("the query tables reflect " + std::to_string(*replaced) +
                           " entries, more than the " + std::to_string(governance.Size()) +
                           " replayed: a server appended meanwhile; run it again");
    }
    std::cout << "rebuild-projections: the query tables reflect the ledger's " << *replaced
              << " entries\n";
    return 0;
}

} // namespace wijkbudget::cli
