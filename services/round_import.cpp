#include "services/round_import.hpp"

#include "ledger/assert.hpp"
#include "ledger/round_rules.hpp"
#include "pb/csv_records.hpp"
#include "pb/pb_file.hpp"
#include "pb/python_text.hpp"
#include "services/voting_codes.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace wijkbudget::services {
namespace {

using Refused = ledger::Failure;

Refused Refuse(std::string reason)
{
    return Refused{ledger::Errc::field_invalid, std::move(reason)};
}

//! Cents of an exact euro amount, when it is a whole number of cents in 1..CENTS_MAX.
std::optional<ledger::Cents> CentsOf(const mpq_class& euros)
{
    const mpq_class cents = euros * 100;
    if (cents.get_den() != 1 || cents < 1 || cents > ledger::CENTS_MAX) return std::nullopt;
    return ledger::Cents{cents.get_num().get_si()};
}

//! The file's text columns pb's Instance does not keep: project names, and voter ids in row order.
struct FileTexts {
    std::map<std::string, std::string> names;
    std::map<std::string, std::string> categories;
    std::vector<std::string> voter_ids;
    std::map<std::string, std::string> meta;
};

std::optional<std::size_t> ColumnOf(const std::vector<std::string>& header, std::string_view name)
{
    for (std::size_t column = 0; column < header.size(); ++column) {
        if (pb::PyStrip(header[column]) == name) return column;
    }
    return std::nullopt;
}

FileTexts ReadTexts(const std::vector<pb::Record>& records)
{
    FileTexts texts;
    std::string section;
    std::vector<std::string> header;
    bool expect_header = false;
    // Rows are read as pb's parser reads them (pb/pb_file.cpp), or the texts would belong to
    // other rows than its projects and ballots: the row after a title is the header, whatever it
    // holds; blank rows are skipped; a title is the first field alone, whatever follows it
    // ("VOTES;" from a spreadsheet); a META key given twice keeps its last value.
    for (const pb::Record& record : records) {
        if (expect_header) {
            header = record.fields;
            expect_header = false;
            continue;
        }
        if (pb::IsBlankRecord(record)) continue;
        if (const std::string_view title = pb::SectionTitleOf(record); !title.empty()) {
            section = title;
            expect_header = true;
            continue;
        }
        if (section == "meta") {
            if (record.fields.size() >= 2) {
                texts.meta.insert_or_assign(std::string{pb::PyStrip(record.fields[0])},
                                            std::string{pb::PyStrip(record.fields[1])});
            }
            continue;
        }
        const auto id_column = ColumnOf(header, section == "votes" ? "voter_id" : "project_id");
        if (!id_column || *id_column >= record.fields.size()) continue;
        const std::string id{pb::PyStrip(record.fields[*id_column])};
        if (section == "votes") texts.voter_ids.push_back(id);
        if (section != "projects") continue;
        const auto name_column = ColumnOf(header, "name");
        if (name_column && *name_column < record.fields.size()) {
            texts.names.try_emplace(id, pb::PyStrip(record.fields[*name_column]));
        }
        const auto category_column = ColumnOf(header, "category");
        if (category_column && *category_column < record.fields.size()) {
            texts.categories.try_emplace(id, pb::PyStrip(record.fields[*category_column]));
        }
    }
    return texts;
}

boost::system::result<void, Refused> ReadProjects(const pb::Instance& instance,
                                                  const FileTexts& texts, RoundOpening& opening)
{
    if (instance.projects.size() > ledger::ROUND_PROJECTS_MAX) {
        return Refuse("more than " + std::to_string(ledger::ROUND_PROJECTS_MAX) + " projects");
    }
    for (const pb::Project& project : instance.projects) {
        if (!ledger::SlugRule::Check(project.id) || project.id.size() > ledger::SLUG_BYTES_MAX) {
            return Refuse("project id " + project.id + " is not a slug (a-z, 0-9, -)");
        }
        const auto cost = CentsOf(project.cost);
        if (!cost) return Refuse("project " + project.id + ": cost is not a whole number of cents");
        auto name = texts.names.find(project.id);
        std::string title = name != texts.names.end() && !name->second.empty()
                                ? name->second
                                : "Project " + project.id;
        if (title.size() > ledger::TITLE_BYTES_MAX || !ledger::TitleRule::Check(title)) {
            title = "Project " + project.id;
        }
        std::optional<ledger::Title> category;
        auto labelled = texts.categories.find(project.id);
        if (labelled != texts.categories.end() && !labelled->second.empty() &&
            labelled->second.size() <= ledger::TITLE_BYTES_MAX &&
            ledger::TitleRule::Check(labelled->second)) {
            category = ledger::Title{labelled->second};
        }
        opening.projects.items.push_back(
            ledger::RoundProject{ledger::Slug{project.id}, ledger::Title{title}, *cost, category});
    }
    return {};
}

boost::system::result<std::vector<PastBallot>, Refused> ReadBallots(const pb::Instance& instance,
                                                                    const FileTexts& texts,
                                                                    const ledger::Slug& round,
                                                                    RoundOpening& opening)
{
    const std::size_t count = instance.BallotCount();
    if (count > IMPORTED_BALLOTS_MAX) {
        return Refuse("more than " + std::to_string(IMPORTED_BALLOTS_MAX) + " ballots");
    }
    if (texts.voter_ids.size() != count) return Refuse("voter ids do not match the ballots");
    std::set<std::string> voters;
    std::vector<PastBallot> ballots;
    std::uint64_t most_points = 1, most_total = 1;
    for (std::size_t ballot = 0; ballot < count; ++ballot) {
        const std::string& voter = texts.voter_ids[ballot];
        if (!voters.insert(voter).second) return Refuse("voter id " + voter + " appears twice");
        PastBallot past{ImportedVoterNullifier(round, voter), {}};
        std::uint64_t total = 0;
        for (std::size_t item = instance.ballot_begin[ballot];
             item < instance.ballot_begin[ballot + 1]; ++item) {
            std::uint64_t points = 1;
            if (instance.HasPoints()) {
                const mpq_class& given = instance.item_points[item];
                if (given.get_den() != 1 || given < 1 || given > ledger::ROUND_POINTS_MAX) {
                    return Refuse("voter " + voter + ": points must be whole, 1.." +
                                  std::to_string(ledger::ROUND_POINTS_MAX));
                }
                points = given.get_num().get_ui();
            }
            total += points;
            most_points = std::max(most_points, points);
            past.choices.push_back(ledger::BallotChoice{
                opening.projects.items[instance.item_project[item]].id, points});
        }
        most_total = std::max(most_total, total);
        ballots.push_back(std::move(past));
    }
    if (instance.vote_type == pb::VoteType::cumulative) {
        if (most_total > ledger::ROUND_POINTS_MAX)
            return Refuse("a ballot spreads too many points");
        opening.points_total = most_total;
        opening.points_per_project_max = most_points;
    }
    return ballots;
}

//! The rule to count with: settings' or the file's (PastRoundSettings::rule).
boost::system::result<ledger::RoundRule, ledger::Failure>
RuleOf(const FileTexts& texts, const std::optional<ledger::RoundRule>& chosen)
{
    const auto found = texts.meta.find("rule");
    const std::string named = found == texts.meta.end() ? std::string{} : found->second;
    std::optional<ledger::RoundRule> file_rule;
    if (named == "greedy") file_rule = ledger::RoundRule::greedy;
    if (named == "equalshares/add1" || named == "equal_shares")
        file_rule = ledger::RoundRule::equal_shares;
    if (chosen && file_rule && *chosen != *file_rule) {
        return Refuse("rule " + named + " (META): the city counted with it, and --rule " +
                      std::string(ledger::SpellingOf(*chosen)) + " would count it otherwise");
    }
    if (chosen) return *chosen;
    if (file_rule) return *file_rule;
    return Refuse("rule " + (named.empty() ? std::string{"(none)"} : named) +
                  " (META) is none this service counts with (greedy, equalshares/add1): name one "
                  "with --rule");
}

//! A count the META section gives, when it is a whole number.
std::optional<std::uint64_t> MetaCount(const FileTexts& texts, const std::string& key)
{
    auto found = texts.meta.find(key);
    if (found == texts.meta.end() || found->second.empty() || found->second.size() > 6) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const char c : found->second) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

//! The ballot's limits (META min_length, max_length) as the round's, when they make sense for
//! its projects: they are shown to readers; the imported ballots are recorded as cast.
void ReadLengths(const FileTexts& texts, RoundOpening& opening)
{
    const std::uint64_t projects = opening.projects.items.size();
    const auto min = MetaCount(texts, "min_length");
    const auto max = MetaCount(texts, "max_length");
    if (min && *min >= 1 && *min <= projects) opening.min_projects = min;
    if (max && *max >= opening.min_projects.value_or(1) && *max <= projects) {
        opening.max_projects = max;
    }
}

} // namespace

ledger::Hash ImportedVoterNullifier(const ledger::Slug& round, std::string_view voter_id)
{
    return RoundLabelledHash("wijkbudget imported voter v1", round, voter_id);
}

boost::system::result<PastRound, ledger::Failure> ReadPastRound(std::string_view pb_text,
                                                                const PastRoundSettings& settings)
{
    auto parsed = pb::ParsePbText(pb_text);
    if (const auto* error = std::get_if<pb::ParseError>(&parsed)) {
        return Refuse("line " + std::to_string(error->line) + ": " + error->reason);
    }
    const pb::Instance& instance = std::get<pb::Instance>(parsed);
    if (instance.vote_type != pb::VoteType::approval &&
        instance.vote_type != pb::VoteType::choose_one &&
        instance.vote_type != pb::VoteType::cumulative) {
        return Refuse(std::string{"vote_type "} + pb::VoteTypeName(instance.vote_type) +
                      ": a round has approval or cumulative ballots");
    }
    auto records = pb::ReadRecords(pb_text);
    WB_ASSERT(std::holds_alternative<std::vector<pb::Record>>(records)); // pb parsed it.
    const FileTexts texts = ReadTexts(std::get<std::vector<pb::Record>>(records));

    PastRound round;
    RoundOpening& opening = round.opening;
    opening.id = settings.id;
    opening.title = settings.title;
    opening.district = settings.district;
    opening.year = settings.year;
    opening.category = settings.category;
    opening.opens_at = settings.opens_at;
    opening.closes_at = settings.closes_at;
    auto rule = RuleOf(texts, settings.rule);
    if (!rule) return rule.error();
    opening.rule = *rule;
    opening.min_turnout_percent = settings.min_turnout_percent;
    opening.ballot_type = instance.vote_type == pb::VoteType::cumulative
                              ? ledger::BallotType::cumulative
                              : ledger::BallotType::approval;
    const auto budget = CentsOf(instance.budget);
    if (!budget) return Refuse("budget is not a whole number of cents");
    opening.budget = *budget;
    if (auto projects = ReadProjects(instance, texts, opening); !projects) return projects.error();
    auto ballots = ReadBallots(instance, texts, settings.id, opening);
    if (!ballots) return ballots.error();
    round.ballots = std::move(*ballots);
    if (opening.ballot_type == ledger::BallotType::approval) ReadLengths(texts, opening);
    return round;
}

} // namespace wijkbudget::services
