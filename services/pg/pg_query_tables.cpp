#include "services/pg/pg_query_tables.hpp"

#include "ledger/assert.hpp"
#include "ledger/errc.hpp"
#include "ledger/fields.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace wijkbudget::services::pg {
namespace {

namespace json = boost::json;
using ledger::fields::Write;

//! The tables, in the order they are filled; each row is a JSON object whose members are the
//! table's columns, inserted with json_populate_recordset so one statement writes a table.
constexpr std::array QUERY_TABLES{"q_councils", "q_budget_lines", "q_mandates",
                                  "q_bylaws",   "q_proposals",    "q_votes",
                                  "q_ballots",  "q_commitments",  "q_spendings"};

template <class T>
json::value Optional(const std::optional<T>& value)
{
    return value ? Write(*value) : json::value(nullptr);
}

std::string Spelled(auto value)
{
    return std::string(ledger::SpellingOf(value));
}

void AddCouncil(std::map<std::string, json::array>& rows, const CouncilView& council,
                const Governance& governance)
{
    const std::string& id = council.id.value;
    rows["q_councils"].push_back(json::object{{"council", id},
                                              {"name", council.name.value},
                                              {"district", council.district.value},
                                              {"registered_index", council.registered_at}});
    for (const auto& line : governance.Lines(council.id)) {
        const LineTotals& totals = line.totals;
        rows["q_budget_lines"].push_back(json::object{{"council", id},
                                                      {"year", line.year.value},
                                                      {"category", Spelled(line.category)},
                                                      {"at_year_end", Spelled(line.at_year_end)},
                                                      {"granted_cents", totals.granted.value},
                                                      {"carried_in_cents", totals.carried_in.value},
                                                      {"committed_cents", totals.held.value},
                                                      {"spent_cents", totals.spent.value},
                                                      {"closed_out_cents", totals.closed_out.value},
                                                      {"available_cents", totals.available.value}});
    }
    for (const auto& mandate : governance.Mandates(council.id)) {
        rows["q_mandates"].push_back(json::object{
            {"council", id},
            {"member", mandate.member.value},
            {"seat", Spelled(mandate.seat)},
            {"from_date", Write(mandate.from)},
            {"until_date", Write(mandate.until)},
            {"ended_on", Optional(mandate.ended_on)},
            {"end_reason",
             mandate.end_reason ? json::value(Spelled(*mandate.end_reason)) : json::value(nullptr)},
            {"started_index", Write(mandate.started_index)},
            {"ended_index", Optional(mandate.ended_index)}});
    }
    for (const auto& bylaws : governance.BylawsHistory(council.id)) {
        const ledger::BylawsSet& rules = bylaws.rules;
        rows["q_bylaws"].push_back(
            json::object{{"council", id},
                         {"version", rules.version},
                         {"quorum_percent", rules.quorum_percent},
                         {"majority", Spelled(rules.majority)},
                         {"tie_rule", Spelled(rules.tie_rule)},
                         {"cosign_above_cents", rules.cosign_above.value},
                         {"confirm_spending_above_cents", rules.confirm_spending_above.value},
                         {"consult_residents_above_cents", Optional(rules.consult_residents_above)},
                         {"voting_period_days_max", rules.voting_period_days_max},
                         {"voting_period_hours_min", Optional(rules.voting_period_hours_min)},
                         {"set_index", Write(bylaws.set_index)}});
    }
    for (const auto& proposal : governance.Proposals(council.id)) {
        rows["q_proposals"].push_back(json::object{
            {"council", id},
            {"proposal", proposal.id.value},
            {"submitter", proposal.submitter.value},
            {"title", proposal.title.value},
            {"amount_cents", proposal.amount.value},
            {"year", proposal.year.value},
            {"category", Spelled(proposal.category)},
            {"status", std::string(SpellingOf(proposal.status))},
            {"vote", proposal.vote ? json::value(proposal.vote->value) : json::value(nullptr)},
            {"commitment",
             proposal.commitment ? json::value(proposal.commitment->value) : json::value(nullptr)},
            {"commitment_refused", proposal.commitment_refused
                                       ? json::value(proposal.commitment_refused->value)
                                       : json::value(nullptr)},
            {"submitted_index", Write(proposal.life.submitted)}});
    }
    for (const auto& vote : governance.Votes(council.id)) {
        json::object row{{"council", id},
                         {"vote", vote.id.value},
                         {"proposal", vote.proposal.value},
                         {"opener", vote.opener.value},
                         {"bylaws_version", vote.bylaws_version},
                         {"closes_at", Write(vote.closes_at)},
                         {"electorate", vote.electorate.size()},
                         {"recused", vote.recused.size()},
                         {"opened_index", Write(vote.opened_index)},
                         {"closed_index", Optional(vote.closed_index)}};
        if (vote.decision) {
            row["votes_for"] = vote.decision->votes_for;
            row["votes_against"] = vote.decision->votes_against;
            row["abstentions"] = vote.decision->abstentions;
            row["quorum_met"] = vote.decision->quorum_met;
            row["result"] = Spelled(vote.decision->result);
        }
        rows["q_votes"].push_back(std::move(row));
        for (const auto& ballot : vote.ballots) {
            rows["q_ballots"].push_back(json::object{{"council", id},
                                                     {"vote", vote.id.value},
                                                     {"member", ballot.member.value},
                                                     {"choice", Spelled(ballot.choice)},
                                                     {"ledger_index", Write(ballot.index)}});
        }
    }
    for (const auto& commitment : governance.Commitments(council.id)) {
        rows["q_commitments"].push_back(
            json::object{{"council", id},
                         {"commitment", commitment.id.value},
                         {"proposal", commitment.proposal.value},
                         {"year", commitment.year.value},
                         {"category", Spelled(commitment.category)},
                         {"amount_cents", commitment.amount.value},
                         {"spent_cents", commitment.spent.value},
                         {"released_cents", commitment.released.value},
                         {"resolved", commitment.resolved},
                         {"created_index", Write(commitment.created_index)},
                         {"allocated_cents", commitment.allocated.value},
                         {"round", Optional(commitment.round)},
                         {"round_hold", commitment.round_hold}});
    }
    for (const auto& spending : governance.Spendings(council.id)) {
        rows["q_spendings"].push_back(
            json::object{{"ledger_index", Write(spending.index)},
                         {"council", id},
                         {"commitment", spending.commitment.value},
                         {"amount_cents", spending.amount.value},
                         {"paid_on", Write(spending.paid_on)},
                         {"payee", spending.payee.value},
                         {"confirms_index", Optional(spending.confirms)},
                         {"reversed_index", Optional(spending.reversed_index)}});
    }
}

//! Every key of the rows, as a column list (a vote's row has its result's keys only once it
//! closed). They are this file's own names (the rows are made above), so they are spliced as
//! they are; the assertion keeps them plain identifiers.
std::string ColumnList(const json::array& rows)
{
    std::set<std::string, std::less<>> keys;
    for (const json::value& row : rows) {
        for (const auto& [key, value] : row.as_object())
            keys.emplace(key.data(), key.size());
    }
    std::string columns;
    for (const std::string& key : keys) {
        WB_ASSERT(!key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        }));
        if (!columns.empty()) columns += ", ";
        columns += key;
    }
    return columns;
}

} // namespace

boost::system::result<std::uint64_t>
PgQueryTables::Replace(const CouncilRegistry& registry, const Governance& governance,
                       const std::function<std::uint64_t()>& committed_size)
{
    // Each projection is read under its own lock; the sequencer may feed an entry in between.
    // The same size before and after, in both, means the rows are of one ledger.
    const std::uint64_t size = governance.Size();
    if (registry.Size() != size) return make_error_code(ledger::Errc::sequence_conflict);
    std::map<std::string, json::array> rows;
    for (const auto& council : registry.List())
        AddCouncil(rows, council, governance);
    if (governance.Size() != size || registry.Size() != size || committed_size() < size)
        return make_error_code(ledger::Errc::sequence_conflict);
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        soci::transaction transaction{sql};
        // Several servers may write; one that is behind must not put older rows over newer. The
        // writers take turns on a lock of the table, which holds before its one row exists (a
        // row lock on the first write would lock nothing). SHARE ROW EXCLUSIVE conflicts with
        // itself only among writers; readers' ACCESS SHARE goes on.
        sql << "LOCK TABLE q_state IN SHARE ROW EXCLUSIVE MODE";
        long long stored = 0;
        soci::indicator stored_indicator = soci::i_null;
        sql << "SELECT ledger_size FROM q_state", soci::into(stored, stored_indicator);
        if (sql.got_data() && stored_indicator == soci::i_ok &&
            static_cast<std::uint64_t>(stored) > size) {
            return static_cast<std::uint64_t>(stored);
        }
        for (const std::string_view table : QUERY_TABLES) {
            const std::string name{table};
            sql << "DELETE FROM " + name;
            const json::array& table_rows = rows[name];
            if (table_rows.empty()) continue;
            // The columns this binary writes, by name: a column a later migration added keeps
            // its DEFAULT while an older server still runs (json_populate_recordset would give
            // it NULL), rather than every write failing on its NOT NULL.
            const std::string columns = ColumnList(table_rows);
            const std::string text = json::serialize(table_rows);
            sql << "INSERT INTO " + name + " (" + columns + ") SELECT " + columns +
                       " FROM json_populate_recordset(NULL::" + name + ", :rows)",
                soci::use(text);
        }
        const auto written = static_cast<long long>(size);
        sql << "INSERT INTO q_state (singleton, ledger_size) VALUES (true, :size) "
               "ON CONFLICT (singleton) DO UPDATE SET ledger_size = EXCLUDED.ledger_size",
            soci::use(written);
        transaction.commit();
    } catch (const soci::soci_error&) {
        return make_error_code(ledger::Errc::storage_unavailable);
    }
    return size;
}

boost::system::result<std::uint64_t> PgQueryTables::WrittenSize()
{
    try {
        soci::session sql{m_pool};
        if (m_check) m_check(sql);
        long long size = 0;
        soci::indicator indicator = soci::i_null;
        sql << "SELECT ledger_size FROM q_state", soci::into(size, indicator);
        if (!sql.got_data() || indicator != soci::i_ok) return 0;
        return static_cast<std::uint64_t>(size);
    } catch (const soci::soci_error&) {
        return make_error_code(ledger::Errc::storage_unavailable);
    }
}

} // namespace wijkbudget::services::pg
