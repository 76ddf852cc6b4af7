// pb/pb_file.cpp: see pb_file.hpp. The order of the checks follows pabutools' parse_pabulib, so
// a file it reads is read here, and a file it fails on fails here at the same row.
#include "pb/pb_file.hpp"

#include "pb/csv_records.hpp"
#include "pb/number.hpp"
#include "pb/python_text.hpp"

#include <array>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <unordered_map>

namespace wijkbudget::pb {

namespace {

//! Most projects in one file: ten times the largest Pabulib election (337), to bound the work of
//! the rules, whose cost grows with the number of projects.
constexpr std::size_t PROJECTS_MAX{10'000};
//! A project index that marks "not in the current ballot".
constexpr std::size_t NOT_LISTED{std::numeric_limits<std::size_t>::max()};

struct MetaValue {
    std::string value;
    std::size_t line{0};
};

enum class Section { none, meta, projects, votes };

std::string Quoted(std::string_view text)
{
    std::string quoted;
    quoted.reserve(text.size() + 2);
    quoted.push_back('"');
    quoted.append(text);
    quoted.push_back('"');
    return quoted;
}

bool IsNone(std::string_view raw)
{
    const std::string_view value = PyStrip(raw);
    return value.size() == 4 && AsciiLower(value) == "none";
}

//! A hash that takes std::string_view too, so ids are looked up without a copy.
struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
};

std::optional<Section> SectionTitle(const Record& record)
{
    const std::string_view title = SectionTitleOf(record);
    if (title == "meta") return Section::meta;
    if (title == "projects") return Section::projects;
    if (title == "votes") return Section::votes;
    return std::nullopt;
}

std::optional<VoteType> ParseVoteType(std::string_view text)
{
    if (text == "approval") return VoteType::approval;
    if (text == "choose-1") return VoteType::choose_one;
    if (text == "cumulative") return VoteType::cumulative;
    if (text == "scoring") return VoteType::scoring;
    if (text == "ordinal") return VoteType::ordinal;
    return std::nullopt;
}

//! Python's int() of a stripped text: an optional sign and decimal digits.
bool IsPythonInt(std::string_view text)
{
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    if (text.empty()) return false;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

//! budget and cost: pabutools reads "1,5" as 1.5 (a comma becomes a point), then exactly.
std::optional<mpq_class> ParseAmount(std::string_view text)
{
    std::string dotted{text};
    for (char& c : dotted) {
        if (c == ',') c = '.';
    }
    auto value = ParseRational(dotted);
    if (!value || *value < 0) return std::nullopt;
    return value;
}

class PbReader
{
public:
    explicit PbReader(const std::vector<Record>& records) : m_records{records} {}

    ParseResult Read()
    {
        for (m_next = 0; m_next < m_records.size();) {
            const Record& record = m_records[m_next++];
            if (IsBlankRecord(record)) continue;
            if (auto error = ReadRecord(record)) return *error;
        }
        if (auto error = Finish()) return *error;
        return std::move(m_instance);
    }

private:
    std::optional<ParseError> ReadRecord(const Record& record)
    {
        if (const auto title = SectionTitle(record)) {
            // pabutools takes the next row as the header, whatever it holds.
            if (m_next >= m_records.size()) {
                return ParseError{record.line, "section title without a header line"};
            }
            m_section = *title;
            m_header = &m_records[m_next++];
            IndexHeader();
            return std::nullopt;
        }
        switch (m_section) {
        case Section::none: return std::nullopt; // pabutools ignores rows before the first title.
        case Section::meta: return ReadMeta(record);
        case Section::projects: return ReadProject(record);
        case Section::votes: return ReadVote(record);
        }
        return std::nullopt;
    }

    std::optional<ParseError> ReadMeta(const Record& record)
    {
        if (record.fields.size() < 2) return ParseError{record.line, "META row without a value"};
        m_meta[std::string{PyStrip(record.fields[0])}] =
            MetaValue{std::string{PyStrip(record.fields[1])}, record.line};
        return std::nullopt;
    }

    /** pabutools names each kept field by its header column and drops "None" fields first: a
     *  field beyond the header is harmless as "None" and an error (IndexError there) otherwise. */
    std::optional<ParseError> CheckWidth(const Record& record) const
    {
        for (std::size_t i = m_header->fields.size(); i < record.fields.size(); ++i) {
            if (!IsNone(record.fields[i])) {
                return ParseError{record.line, "more fields than the header has columns"};
            }
        }
        return std::nullopt;
    }

    //! Where the columns the rules read sit in the current header (a name may repeat).
    void IndexHeader()
    {
        for (auto& [name, positions] : m_column_positions)
            positions.clear();
        for (std::size_t i = 0; i < m_header->fields.size(); ++i) {
            const std::string_view name = PyStrip(m_header->fields[i]);
            for (auto& [wanted, positions] : m_column_positions) {
                if (name == wanted) positions.push_back(i);
            }
        }
    }

    /** The row's stripped value in column `name`, as pabutools' dict of the row has it: "None"
     *  fields are left out and a later column of the same name wins. */
    std::optional<std::string_view> Column(const Record& record, std::string_view name) const
    {
        for (const auto& [wanted, positions] : m_column_positions) {
            if (wanted != name) continue;
            for (auto position = positions.rbegin(); position != positions.rend(); ++position) {
                if (*position >= record.fields.size() || IsNone(record.fields[*position])) continue;
                return PyStrip(record.fields[*position]);
            }
        }
        return std::nullopt;
    }

    std::optional<ParseError> ReadProject(const Record& record)
    {
        if (auto error = CheckWidth(record)) return error;
        const auto cost_text = Column(record, "cost");
        if (!cost_text) return ParseError{record.line, "project without a cost"};
        auto cost = ParseAmount(*cost_text);
        if (!cost) {
            return ParseError{record.line, "cost " + Quoted(*cost_text) + " is not a number >= 0"};
        }
        std::string id{PyStrip(record.fields[0])};
        if (m_project_index.contains(id)) return std::nullopt; // the first row wins
        if (m_instance.projects.size() >= PROJECTS_MAX) {
            return ParseError{record.line, "more than 10000 projects"};
        }
        m_project_index.emplace(id, static_cast<ProjectIndex>(m_instance.projects.size()));
        m_instance.projects.push_back(Project{std::move(id), std::move(*cost)});
        m_position.push_back(NOT_LISTED);
        return std::nullopt;
    }

    std::optional<ParseError> ReadVote(const Record& record)
    {
        if (auto error = CheckWidth(record)) return error;
        const auto vote_type = m_meta.find("vote_type");
        if (vote_type == m_meta.end()) {
            return ParseError{record.line, "a vote before META has a vote_type"};
        }
        const auto type = ParseVoteType(vote_type->second.value);
        if (!type) {
            return ParseError{record.line,
                              "vote type " + Quoted(vote_type->second.value) + " is not supported"};
        }
        if (m_instance.BallotCount() > 0 && *type != m_instance.vote_type) {
            return ParseError{record.line, "vote_type changed after the first vote"};
        }
        m_instance.vote_type = *type;
        std::optional<ParseError> error;
        if (m_instance.HasPoints()) {
            error = ReadPointsBallot(record);
        } else {
            error = ReadListBallot(record);
        }
        if (error) return error;
        EndBallot();
        return std::nullopt;
    }

    std::optional<ProjectIndex> Lookup(std::string_view id) const
    {
        const auto found = m_project_index.find(id);
        if (found == m_project_index.end()) return std::nullopt;
        return found->second;
    }

    ParseError UnknownProject(const Record& record, std::string_view id) const
    {
        return ParseError{record.line, "unknown project id " + Quoted(id) + " in vote"};
    }

    //! approval, choose-1, ordinal: a set (approval) or a ranking (ordinal) of ids; either way a
    //! repeated id keeps its first place, and empty items are skipped.
    std::optional<ParseError> ReadListBallot(const Record& record)
    {
        const auto vote = Column(record, "vote");
        if (!vote) return ParseError{record.line, "ballot without a vote field"};
        for (const auto id : SplitCommas(*vote)) {
            if (id.empty()) continue;
            const auto project = Lookup(id);
            if (!project) return UnknownProject(record, id);
            if (m_position[*project] != NOT_LISTED) continue;
            m_position[*project] = m_instance.item_project.size();
            m_instance.item_project.push_back(*project);
        }
        return std::nullopt;
    }

    //! cumulative, scoring: ballot[project] = points, so a repeated id keeps its last points. No
    //! points field means an empty ballot, whatever the vote field says (pabutools).
    std::optional<ParseError> ReadPointsBallot(const Record& record)
    {
        const auto points_field = Column(record, "points");
        if (!points_field) return std::nullopt;
        const auto vote = Column(record, "vote");
        if (!vote) return ParseError{record.line, "ballot without a vote field"};
        const auto points = SplitCommas(*points_field);
        const auto ids = SplitCommas(*vote);
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i >= points.size()) return ParseError{record.line, "fewer points than projects"};
            auto value = ParseRational(PyStrip(points[i]));
            if (!value || *value < 0) {
                return ParseError{record.line, "points " + Quoted(PyStrip(points[i])) +
                                                   " are not a number >= 0"};
            }
            const auto project = Lookup(ids[i]);
            if (!project) return UnknownProject(record, ids[i]);
            AddPoints(*project, std::move(*value));
        }
        return std::nullopt;
    }

    void AddPoints(ProjectIndex project, mpq_class points)
    {
        if (m_position[project] != NOT_LISTED) {
            m_instance.item_points[m_position[project]] = std::move(points);
            return;
        }
        m_position[project] = m_instance.item_project.size();
        m_instance.item_project.push_back(project);
        m_instance.item_points.push_back(std::move(points));
    }

    void EndBallot()
    {
        const std::size_t begin = m_instance.ballot_begin.back();
        for (std::size_t i = begin; i < m_instance.item_project.size(); ++i) {
            m_position[m_instance.item_project[i]] = NOT_LISTED;
        }
        m_instance.ballot_begin.push_back(m_instance.item_project.size());
    }

    std::optional<ParseError> Finish();
    std::optional<ParseError> CheckLimits() const;

    const std::vector<Record>& m_records;
    std::size_t m_next{0};
    Section m_section{Section::none};
    const Record* m_header{nullptr};
    std::map<std::string, MetaValue> m_meta;
    std::unordered_map<std::string, ProjectIndex, IdHash, std::equal_to<>> m_project_index;
    //! The columns read by name, with their positions in the current header.
    std::array<std::pair<std::string_view, std::vector<std::size_t>>, 3> m_column_positions{
        {{"cost", {}}, {"vote", {}}, {"points", {}}}};
    //! Where each project sits in the ballot being read, or NOT_LISTED.
    std::vector<std::size_t> m_position;
    Instance m_instance;
};

//! The ballot constraints are informational, but pabutools converts them, and fails on a bad one.
std::optional<ParseError> PbReader::CheckLimits() const
{
    for (const char* key : {"min_length", "max_length"}) {
        const auto found = m_meta.find(key);
        if (found != m_meta.end() && !IsPythonInt(found->second.value)) {
            return ParseError{found->second.line, std::string{key} + " is not an integer"};
        }
    }
    for (const char* key : {"min_sum_cost", "max_sum_cost", "min_sum_points", "max_sum_points",
                            "min_points", "max_points"}) {
        const auto found = m_meta.find(key);
        if (found != m_meta.end() && !ParseRational(found->second.value)) {
            return ParseError{found->second.line, std::string{key} + " is not a number"};
        }
    }
    return std::nullopt;
}

std::optional<ParseError> PbReader::Finish()
{
    const auto vote_type = m_meta.find("vote_type");
    if (vote_type == m_meta.end()) return ParseError{0, "META has no vote_type"};
    const auto type = ParseVoteType(vote_type->second.value);
    if (!type) {
        return ParseError{vote_type->second.line,
                          "vote type " + Quoted(vote_type->second.value) + " is not supported"};
    }
    if (m_instance.BallotCount() > 0 && *type != m_instance.vote_type) {
        return ParseError{vote_type->second.line, "vote_type changed after the first vote"};
    }
    m_instance.vote_type = *type;
    if (auto error = CheckLimits()) return error;
    const auto budget = m_meta.find("budget");
    if (budget == m_meta.end()) return ParseError{0, "META has no budget"};
    auto value = ParseAmount(budget->second.value);
    if (!value) {
        return ParseError{budget->second.line,
                          "budget " + Quoted(budget->second.value) + " is not a number >= 0"};
    }
    m_instance.budget = std::move(*value);
    return std::nullopt;
}

} // namespace

ParseResult ParsePbText(std::string_view text)
{
    auto records = ReadRecords(text);
    if (const auto* error = std::get_if<ParseError>(&records)) return *error;
    return PbReader{std::get<std::vector<Record>>(records)}.Read();
}

ParseResult ReadPbFile(const std::filesystem::path& file)
{
    std::error_code size_error;
    const auto size = std::filesystem::file_size(file, size_error);
    if (size_error) return ParseError{0, "cannot read the file: " + size_error.message()};
    if (size > FILE_BYTES_MAX) return ParseError{0, "file larger than 64 MiB"};
    std::ifstream stream{file, std::ios::binary};
    if (!stream) return ParseError{0, "cannot open the file"};
    std::string text(static_cast<std::size_t>(size), '\0');
    stream.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (stream.gcount() != static_cast<std::streamsize>(text.size())) {
        return ParseError{0, "cannot read the file"};
    }
    return ParsePbText(text);
}

} // namespace wijkbudget::pb
