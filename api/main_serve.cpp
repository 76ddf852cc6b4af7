// api/main_serve.cpp: `wijkbudget serve`: wires config, PostgreSQL, services and HTTPS together.
#include "api/main_serve.hpp"

#include "api/main_common.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "api/session.hpp"
#include "api/tls.hpp"
#include "api/web/assets.hpp"
#include "config/settings.hpp"
#include "ledger/hash_cache.hpp"
#include "ledger/pg/connection.hpp"
#include "ledger/pg/pg_entry_store.hpp"
#include "ledger/pg/pg_sequencer.hpp"
#include "ledger/tree_root_cache.hpp"
#include "services/council_registry.hpp"
#include "services/councils.hpp"
#include "services/decisions.hpp"
#include "services/governance.hpp"
#include "services/open_data.hpp"
#include "services/pg/pg_credential_store.hpp"
#include "services/pg/pg_district_directory.hpp"
#include "services/pg/pg_member_names.hpp"
#include "services/pg/pg_query_tables.hpp"
#include "services/pg/pg_voting_codes.hpp"
#include "services/round_deadlines.hpp"
#include "services/round_service.hpp"
#include "services/rounds.hpp"
#include "services/vote_deadlines.hpp"

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <iostream>
#include <memory>
#include <stop_token>
#include <thread>

namespace wijkbudget::cli {
namespace {

// The settings' range and default for connections per client are the transport's.
static_assert(static_cast<std::size_t>(config::SERVER_CONNECTIONS_MAX) == api::CONNECTIONS_MAX);
static_assert(static_cast<std::size_t>(config::CONNECTIONS_PER_CLIENT_DEFAULT) ==
              api::CONNECTIONS_PER_CLIENT_MAX);

//! How often open votes and rounds are checked against their deadline: each closes at most this
//! late.
constexpr std::chrono::seconds VOTE_DEADLINE_SCAN_INTERVAL{5};
//! How often the query tables are brought up to date when the ledger grew: they lag by at most
//! about this much.
constexpr std::chrono::seconds QUERY_TABLES_INTERVAL{1};

//! Runs `task` every `interval` on its own thread until stopped.
std::jthread StartEvery(std::chrono::seconds interval, std::function<void()> task)
{
    return std::jthread{[interval, task = std::move(task)](const std::stop_token& stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        std::unique_lock lock{mutex};
        while (!wake.wait_for(lock, stop, interval, [&stop] { return stop.stop_requested(); }))
            task();
    }};
}

void RequireDurableAppendOnlyDatabase(const config::DatabaseSettings& database)
{
    auto session = ledger::pg::OpenSession(database.runtime_dsn, database.schema);
    if (!session) throw CommandError("database (runtime role): " + session.error().Describe());
    if (auto durable = ledger::pg::CheckDurability(**session); !durable) {
        throw CommandError("refusing to serve: the database does not make commits durable (" +
                           durable.error().where +
                           "); turn fsync and synchronous_commit on in postgresql.conf");
    }
    if (auto privileges = ledger::pg::CheckRuntimePrivileges(**session, database.schema);
        !privileges) {
        throw CommandError(
            "refusing to serve: the runtime role may not read or insert the "
            "ledger's tables (" +
            privileges.error().where +
            "). runtime_dsn must log in as the role `wijkbudget migrate` granted "
            "them to (database.runtime_role); after naming another runtime role, run "
            "`wijkbudget migrate` again to grant them to it)");
    }
    if (auto append_only = ledger::pg::CheckAppendOnlyRole(**session, database.schema);
        !append_only) {
        if (append_only.error().code != ledger::Errc::entry_altered)
            throw CommandError("database (runtime role): " + append_only.error().Describe());
        throw CommandError(
            "refusing to serve: the runtime role may update, delete or truncate the ledger's "
            "tables (" +
            append_only.error().where +
            "): it owns them, is a superuser, or was granted too much. runtime_dsn must name the "
            "role `wijkbudget migrate` grants SELECT and INSERT only (database.runtime_role)");
    }
}

} // namespace

int RunServe(const ServeOptions& options)
{
    const config::Settings settings = LoadSettingsOrThrow(options.config);
    auto signer =
        std::make_shared<const ledger::SignerKey>(LoadSignerKey(settings.ledger.signing_key_file));
    const std::string verifier_key = ledger::FormatVerifierKey(ledger::VerifierKeyOf(*signer));
    // The TLS key is as much the server's alone as the signing key: whoever reads it can pass
    // for this server to every resident.
    RequirePrivateFile(settings.tls.private_key_file, "TLS private key");
    RequireDurableAppendOnlyDatabase(settings.database);
    // The site's scripts and styles: a configured directory must hold a complete build.
    std::optional<api::web::WebAssets> assets;
    if (!settings.web.assets_dir.empty()) {
        auto loaded = api::web::WebAssets::Load(settings.web.assets_dir);
        if (!loaded) throw CommandError("web.assets_dir: " + loaded.error());
        assets.emplace(std::move(*loaded));
    }

    const auto pool_size = static_cast<std::size_t>(settings.database.pool_size);
    auto pool = OpenRuntimePool(settings.database, pool_size);
    ledger::pg::PgEntryStore entries{pool, settings.database.schema};
    // A pooled connection the database dropped is reopened, with its search_path, on next use.
    const services::pg::SessionCheck reconnect =
        [schema = settings.database.schema](soci::session& session) {
            ledger::pg::EnsureConnected(session, schema);
        };
    services::pg::PgCredentialStore credentials{
        *pool, reconnect, ledger::pg::LedgerLockKey(settings.database.schema)};
    services::pg::PgDistrictDirectory districts{*pool, reconnect};
    services::pg::PgMemberNames member_names{*pool, reconnect};
    services::CouncilRegistry registry;
    services::Governance governance;
    services::OpenData open_data;
    services::Rounds rounds;
    services::pg::PgVotingCodes voting_codes{*pool, reconnect};
    services::SystemClock clock;
    api::Metrics metrics;

    ledger::pg::SequencerOptions sequencer_options;
    sequencer_options.dsn = settings.database.runtime_dsn;
    sequencer_options.schema = settings.database.schema;
    sequencer_options.signer = signer;
    sequencer_options.observers = {&registry, &governance, &open_data, &rounds};
    // Writes authenticated from the token cache are confirmed here, once per batch.
    api::TokenCache token_cache;
    sequencer_options.credential_query = services::pg::VALID_TOKEN_HASHES_QUERY;
    // The batch callback runs on the sequencer's thread, which exists only once Start returned.
    std::atomic<const ledger::pg::PgSequencer*> running{nullptr};
    sequencer_options.on_batch = [&metrics, &running](std::size_t batch_entries) {
        metrics.ObserveBatch(batch_entries);
        if (const auto* sequencer = running.load()) metrics.SetLedgerSize(sequencer->Size());
    };
    // Proofs read stored hashes through this cache; what this process appends goes straight in.
    ledger::HashCache hashes{entries};
    sequencer_options.on_stored_hashes =
        [&hashes](std::span<const std::pair<std::uint64_t, ledger::Hash>> stored) {
            hashes.Keep(stored);
        };
    auto started = ledger::pg::PgSequencer::Start(std::move(sequencer_options));
    if (!started) throw CommandError("sequencer: " + started.error().Describe());
    ledger::pg::PgSequencer& sequencer = **started;
    running.store(&sequencer);
    metrics.SetLedgerSize(sequencer.Size());

    services::CouncilService councils{registry, districts, clock};
    services::DecisionService decisions{registry, governance, clock};
    services::RoundService round_service{registry, governance, rounds, voting_codes, clock};
    const ledger::CachedHashesOnly hashes_in_memory{hashes};
    api::RouterPorts ports{sequencer,   entries,    entries,   hashes,    registry,
                           councils,    governance, decisions, open_data, member_names,
                           credentials, districts,  clock,     metrics,   verifier_key,
                           {},          {}};
    ports.hashes_in_memory = &hashes_in_memory;
    ledger::TreeRootCache tree_roots;
    ports.tree_roots = &tree_roots;
    ports.readiness = [&sequencer, &entries]() -> api::Readiness {
        if (!sequencer.IsRunning()) return {false, "the sequencer is not running"};
        if (sequencer.IsReadOnly()) return {false, "the ledger is read-only: see the server's log"};
        // Reads of councils and rounds would answer 503 (SyncProjections). The rebuild is tried
        // again here (Sync), or a server that only a load balancer's probe reaches would stay
        // out of service after the database came back; it is not waited for beyond
        // SEQUENCER_SYNC_WAIT_MAX if it runs already, and the database is asked after it.
        if (!sequencer.ObserversShowCommitted() &&
            (!sequencer.Sync() || !sequencer.ObserversShowCommitted()))
            return {false, "the projections are being rebuilt from the ledger"};
        if (!entries.Head()) return {false, "the database cannot be reached"};
        return {true, ""};
    };
    ports.assets = assets ? &*assets : nullptr;
    ports.rounds = &rounds;
    ports.round_service = &round_service;
    ports.token_cache = &token_cache;
    api::LoginThrottle login_throttle;
    ports.login_throttle = &login_throttle;
    api::ExportSlots export_slots;
    ports.export_slots = &export_slots;
    ports.sync_registry = [&sequencer, &metrics] {
        // A Sync that fails (the database out of reach) leaves the projections to be served if
        // they hold committed entries only (PgSequencer::ObserversShowCommitted): not after a
        // batch that failed to commit, nor during a rebuild.
        // SyncReader: a read waits for this process's batch in progress, as Sync does, but
        // neither holds up the next batch nor takes the sequencer's session unless another
        // process appended.
        if (auto size = sequencer.SyncReader()) metrics.SetLedgerSize(*size);
        return sequencer.ObserversShowCommitted();
    };
    api::Router router{std::move(ports)};

    api::ServerOptions server_options;
    server_options.address = settings.server.address;
    server_options.port = settings.server.port;
    server_options.io_threads = static_cast<std::size_t>(settings.server.io_threads);
    server_options.worker_threads = static_cast<std::size_t>(settings.server.worker_threads);
    server_options.session.connections_per_client_max =
        static_cast<std::size_t>(settings.server.connections_per_client_max);
    server_options.certificate_chain_path = settings.tls.certificate_file.string();
    server_options.private_key_path = settings.tls.private_key_file.string();
    // A certificate or key that cannot be used, or an address taken: the operator's to fix, as
    // the message says (api/tls.cpp, api/listener.cpp), not an unexpected failure.
    std::unique_ptr<api::Server> made;
    try {
        made = std::make_unique<api::Server>(server_options, router, metrics);
    } catch (const api::UnusableSetting& error) {
        throw CommandError(std::string("serve: ") + error.what());
    }
    api::Server& server = *made;
    services::VoteDeadlines deadlines{registry, governance, decisions, sequencer, clock};
    services::RoundDeadlines round_deadlines{rounds, round_service, sequencer, clock};
    std::jthread deadline_thread =
        StartEvery(VOTE_DEADLINE_SCAN_INTERVAL, [&deadlines, &round_deadlines] {
            deadlines.CloseDue();
            round_deadlines.CloseDue();
        });
    services::pg::PgQueryTables query_tables{*pool, reconnect};
    std::jthread query_tables_thread =
        StartEvery(QUERY_TABLES_INTERVAL, [&query_tables, &registry, &governance, &sequencer,
                                           written = std::uint64_t{0}, failing = false]() mutable {
            // A failure (database away, projections mid-batch or ahead of the commit) is tried
            // again next time. One the database gave is logged once, and so is the recovery: the
            // tables stand still meanwhile, which their readers should hear of.
            if (governance.Size() == written) return;
            auto replaced = query_tables.Replace(registry, governance,
                                                 [&sequencer] { return sequencer.Size(); });
            if (replaced) {
                written = *replaced;
                if (failing)
                    std::cerr << R"({"event":"query_tables_written","ledger_size":)" << written
                              << "}\n";
                failing = false;
            } else if (replaced.error() == ledger::Errc::storage_unavailable && !failing) {
                failing = true;
                std::cerr << R"({"event":"query_tables_failed","written_size":)" << written
                          << R"(,"detail":"the database refused the write; tried again every )"
                          << QUERY_TABLES_INTERVAL.count() << R"( s"})"
                          << "\n";
            }
        });
    std::cerr << R"({"event":"listening","address":")" << settings.server.address << R"(","port":)"
              << server.Port() << R"(,"ledger_size":)" << sequencer.Size() << "}\n";
    server.Run();
    deadline_thread.request_stop();
    query_tables_thread.request_stop();
    deadline_thread.join();
    query_tables_thread.join();
    sequencer.Stop(); // Queued writes are still committed and answered before the exit.
    std::cerr << R"({"event":"stopped","ledger_size":)" << sequencer.Size() << "}\n";
    return 0;
}

} // namespace wijkbudget::cli
