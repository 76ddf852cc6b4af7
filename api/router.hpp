#pragma once
// api/router.hpp: requests to use cases, and use-case outcomes to responses. No sockets here.
//
// The router is the Handler the transport (api/server.hpp) calls on its worker pool, and on its
// I/O threads for what it answers or takes without blocking (AnswerFromMemory,
// TakeWithoutBlocking). It reads everything it needs through ports (ledger's EntryStore, Appender,
// the services' stores), so the same router runs over PostgreSQL in production and over the test
// doubles in unit tests.

#include "api/export_slots.hpp"
#include "api/handler.hpp"
#include "api/idempotency.hpp"
#include "api/immutable_cache.hpp"
#include "api/login_throttle.hpp"
#include "api/metrics.hpp"
#include "api/token_cache.hpp"
#include "ledger/append.hpp"
#include "ledger/checkpoint_store.hpp"
#include "ledger/entry_store.hpp"
#include "ledger/hash_store.hpp"
#include "ledger/tree_root_cache.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/councils.hpp"
#include "services/credentials.hpp"
#include "services/decisions.hpp"
#include "services/districts.hpp"
#include "services/governance.hpp"
#include "services/member_names.hpp"
#include "services/open_data.hpp"
#include "services/round_service.hpp"
#include "services/rounds.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace wijkbudget::api {

namespace web {
class WebAssets;
}

//! What /readyz reports: whether requests can be served now, and if not, why.
struct Readiness {
    bool ready{false};
    std::string reason;
};

struct RouterPorts {
    ledger::Appender& appender;
    const ledger::EntryStore& entries;
    const ledger::CheckpointReader& checkpoints;
    //! The stored hashes for proofs: entries' own store behind a cache (ledger/hash_cache.hpp).
    const ledger::HashReader& hashes;
    services::CouncilRegistry& registry;
    services::CouncilService& councils;
    //! Council decisions (issue 4): the projection that answers reads, and the use cases.
    services::Governance& governance;
    services::DecisionService& decisions;
    //! Open data (issue 5): each council's movements per budget year, and the feed's items.
    const services::OpenData& open_data;
    services::MemberNames& member_names;
    services::CredentialStore& credentials;
    services::DistrictDirectory& districts;
    services::Clock& clock;
    Metrics& metrics;
    std::string verifier_key; //!< The log's verifier key (note format), served at /vkey.
    //! Database reachable, sequencer running and writable, projections not being rebuilt.
    std::function<Readiness()> readiness;
    /** Brings the in-memory projections (registry, governance, open data, rounds) up to date
     *  with entries other processes appended; false if they cannot be served now (a batch failed
     *  after sealing, or they are being rebuilt: PgSequencer::ObserversShowCommitted). Handlers
     *  call it through SyncProjections. */
    std::function<bool()> sync_registry;
    //! The built front-end files (api/web/assets.hpp); none: pages without scripts and styles.
    const web::WebAssets* assets{nullptr};
    //! Residents' rounds (issue 6): the projection that answers reads, and the use cases.
    const services::Rounds* rounds{nullptr};
    services::RoundService* round_service{nullptr};
    //! Principals of tokens seen recently, for writes (api/token_cache.hpp); none: every write
    //! looks its token up. Only with an appender that confirms credentials (PgSequencer with
    //! SequencerOptions::credential_query), since a cached token is confirmed there.
    TokenCache* token_cache{nullptr};
    //! Bounds password logins (api/login_throttle.hpp); none: unbounded (tests only).
    LoginThrottle* login_throttle{nullptr};
    //! Bounds the exports streaming at once (api/export_slots.hpp); none: unbounded (tests only).
    ExportSlots* export_slots{nullptr};
    /** Those of `hashes` already in memory, failing at once for any other
     *  (ledger::CachedHashesOnly); none: no request is answered on an I/O thread. */
    const ledger::HashReader* hashes_in_memory{nullptr};
    //! Roots of trees by size, kept once computed (ledger/tree_root_cache.hpp); none: proofs
    //! compute their tree's root each time.
    ledger::TreeRootCache* tree_roots{nullptr};
};

//! Every route as (method, path pattern), in table order: ("GET", "/api/v1/councils/{id}"). The
//! OpenAPI test checks api/openapi/openapi.json against it, both ways.
std::vector<std::pair<std::string, std::string>> RouteTable();

class Router final : public Handler
{
public:
    explicit Router(RouterPorts ports) : m_ports{std::move(ports)} {}

    void Handle(Request request, const RequestInfo& info, Respond respond) override;
    //! Inclusion proofs whose hashes are all in memory (ports.hashes_in_memory).
    std::optional<Reply> AnswerFromMemory(const Request& request) override;
    //! Writes of the routes marked to run on an I/O thread, when the token cache holds the
    //! request's writer (RouterPorts::token_cache).
    bool TakeWithoutBlocking(const Request& request, const RequestInfo& info,
                             const Respond& respond) override;

private:
    void Dispatch(Request& request, Respond& respond, const RequestInfo& info);

    RouterPorts m_ports;
    InFlightClaims m_in_flight;
    ImmutableCache m_immutable;
    //! The largest checkpoint size seen: a proof up to it needs no look at the checkpoints.
    std::atomic<std::uint64_t> m_signed_size{0};
};

} // namespace wijkbudget::api
