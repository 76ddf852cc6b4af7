#pragma once
// tests/unit/api/router_under_test.hpp: a Router over in-memory ports, for the router's unit
// tests: an appender that captures what it is given, an empty entry store, no checkpoints,
// districts or names, a credential store that counts its lookups (an I/O thread must never reach
// it), a fixed clock, a token cache, export slots (three, two per client), and sync_registry
// answering `projections_current`.
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "api/token_cache.hpp"
#include "services/clock.hpp"
#include "services/council_registry.hpp"
#include "services/councils.hpp"
#include "services/credentials.hpp"
#include "services/decisions.hpp"
#include "services/districts.hpp"
#include "services/governance.hpp"
#include "services/member_names.hpp"
#include "services/open_data.hpp"
#include "services/rounds.hpp"
#include "tests/support/capturing_appender.hpp"
#include "tests/support/memory_entry_store.hpp"

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace wijkbudget::api::router_test {

namespace http = boost::beast::http;

//! A well-formed bearer token (services::IsTokenText): 16 hex digits, a dot, 64 hex digits.
const std::string TOKEN{"0123456789abcdef." + std::string(64, 'a')};
constexpr ledger::Timestamp NOW{1'800'000'000'000};

class NoCheckpoints final : public ledger::CheckpointReader
{
public:
    boost::system::result<std::optional<ledger::StoredCheckpoint>> LatestCheckpoint() const override
    {
        if (unreadable) return make_error_code(ledger::Errc::storage_unavailable);
        return std::optional<ledger::StoredCheckpoint>{};
    }
    bool unreadable{false}; //!< The store fails, as a database that cannot be reached.
};

//! The database's token lookup: counted, since an I/O thread must never reach it.
class CountingCredentials final : public services::CredentialStore
{
public:
    boost::system::result<std::optional<services::Principal>>
    FindToken(const ledger::Hash& /*token_hash*/, ledger::Timestamp /*now*/) override
    {
        ++lookups;
        return std::optional<services::Principal>{};
    }
    boost::system::result<services::IssuedToken> IssueToken(const services::TokenGrant&,
                                                            ledger::Timestamp) override
    {
        return boost::system::errc::make_error_code(boost::system::errc::not_supported);
    }
    boost::system::result<bool> RevokeToken(std::string_view, ledger::Timestamp) override
    {
        return false;
    }
    boost::system::result<services::AccountWritten>
    CreateAccount(std::string_view, std::string_view, const services::TokenGrant&, bool) override
    {
        return services::AccountWritten{};
    }
    boost::system::result<std::optional<services::TokenGrant>>
    CheckPassword(std::string_view, std::string_view) override
    {
        return std::optional<services::TokenGrant>{};
    }
    std::atomic<int> lookups{0};
};

class NoDistricts final : public services::DistrictDirectory
{
public:
    boost::system::result<bool> Contains(const ledger::Slug&) override { return false; }
    boost::system::result<std::vector<services::District>> List() override
    {
        return std::vector<services::District>{};
    }
    boost::system::result<void> Put(const services::District&) override { return {}; }
};

class NoNames final : public services::MemberNames
{
public:
    boost::system::result<void> Put(const ledger::Slug&, const ledger::Slug&,
                                    const ledger::Title&) override
    {
        return {};
    }
    boost::system::result<std::map<std::string, std::string>> NamesOf(const ledger::Slug&) override
    {
        return std::map<std::string, std::string>{};
    }
    boost::system::result<bool> Erase(const ledger::Slug&, const ledger::Slug&) override
    {
        return false;
    }
};

class RouterUnderTest : public ::testing::Test
{
protected:
    RouterUnderTest()
        : m_councils{m_registry, m_districts, m_clock},
          m_decisions{m_registry, m_governance, m_clock}, m_router{Ports()}
    {}

    RouterPorts Ports()
    {
        RouterPorts ports{m_appender,
                          m_entries,
                          m_checkpoints,
                          m_entries,
                          m_registry,
                          m_councils,
                          m_governance,
                          m_decisions,
                          m_open_data,
                          m_names,
                          m_credentials,
                          m_districts,
                          m_clock,
                          m_metrics,
                          "",
                          {},
                          {}};
        ports.token_cache = &m_cache;
        ports.export_slots = &m_export_slots;
        ports.rounds = &m_rounds;
        ports.sync_registry = [this] {
            ++syncs;
            return projections_current.load();
        };
        return ports;
    }

    void KeepToken()
    {
        m_cache.Keep(services::TokenHash(TOKEN),
                     services::Principal{"officer", ledger::Role::municipality,
                                         ledger::Slug{"officer"}, std::nullopt},
                     TokenCache::Clock::now());
    }

    static Request Post(std::string target, std::string body)
    {
        Request request{http::verb::post, target, 11};
        request.set(http::field::authorization, "Bearer " + TOKEN);
        request.set("Idempotency-Key", "key-1");
        request.set(http::field::content_type, "application/json");
        request.body() = std::move(body);
        request.prepare_payload();
        return request;
    }

    //! TakeWithoutBlocking; any reply it gives lands in m_replies.
    bool Take(const Request& request)
    {
        return m_router.TakeWithoutBlocking(request, RequestInfo{"io-thread-test", "127.0.0.1:1"},
                                            [this](Reply reply) { m_replies.push_back(reply); });
    }

    static constexpr const char* GRANT_BODY{
        R"({"year": 2027, "category": "public_space", "amount_cents": 100})"};

    wijkbudget::testing::CapturingAppender m_appender;
    wijkbudget::testing::MemoryEntryStore m_entries;
    NoCheckpoints m_checkpoints;
    services::CouncilRegistry m_registry;
    NoDistricts m_districts;
    services::FixedClock m_clock{NOW};
    services::CouncilService m_councils;
    services::Governance m_governance;
    services::DecisionService m_decisions;
    services::OpenData m_open_data;
    services::Rounds m_rounds; //!< Empty: the rounds' routes answer round_unknown.
    NoNames m_names;
    CountingCredentials m_credentials;
    Metrics m_metrics;
    TokenCache m_cache;
    //! Three exports at once, two for one client (export_slots_test.cpp).
    ExportSlots m_export_slots{3, 2};
    //! What RouterPorts::sync_registry answers, and how often it was asked.
    std::atomic<bool> projections_current{true};
    std::atomic<int> syncs{0};
    Router m_router;
    std::vector<Reply> m_replies;
};

} // namespace wijkbudget::api::router_test
