// VerifyExportFile: reads an export in batches, parses them on worker threads and replays
// them in order through one ExportVerifier (ledger/export_verifier.hpp).
//
// Parsing and hashing are four fifths of the work and need no context, so they run in
// parallel; the book and the Merkle root need index order and run on the calling thread.

#include "ledger/assert.hpp"
#include "ledger/export_verifier.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <deque>
#include <future>
#include <thread>
#include <utility>
#include <vector>

namespace wijkbudget::ledger {
namespace {

//! A batch is handed to a worker once it holds this many bytes of lines.
constexpr std::size_t BATCH_BYTES{1 << 20};
//! Batches parsed ahead of the book, per worker: enough to keep workers busy, little memory.
constexpr std::size_t BATCHES_AHEAD_PER_THREAD{2};
constexpr std::size_t READ_CHUNK_BYTES{1 << 20};

struct Batch {
    std::string data;
    std::vector<std::pair<std::size_t, std::size_t>> lines; //!< Offset and length in data.
};

std::vector<ParsedLine> ParseBatch(const Batch& batch)
{
    std::vector<ParsedLine> parsed;
    parsed.reserve(batch.lines.size());
    for (const auto& [offset, length] : batch.lines) {
        parsed.push_back(ParseExportLine(std::string_view{batch.data}.substr(offset, length)));
    }
    return parsed;
}

//! Splits a byte stream into lines and batches, keeping at most EXPORT_LINE_BYTES_MAX + 1
//! bytes of any line: a longer line fails to parse (json_too_large) without filling memory.
class LineBatcher
{
public:
    void Feed(std::string_view data)
    {
        while (!data.empty()) {
            const std::size_t newline = data.find('\n');
            const std::string_view piece = data.substr(0, newline);
            const std::size_t room =
                EXPORT_LINE_BYTES_MAX + 1 - std::min(m_line_bytes, EXPORT_LINE_BYTES_MAX + 1);
            m_current.data.append(piece.substr(0, std::min(room, piece.size())));
            m_line_bytes += std::min(room, piece.size());
            if (newline == std::string_view::npos) return;
            EndLine();
            data.remove_prefix(newline + 1);
        }
    }
    //! A last line without a newline still counts.
    void Close()
    {
        if (m_line_bytes > 0) EndLine();
    }
    [[nodiscard]] bool BatchFull() const { return m_current.data.size() >= BATCH_BYTES; }
    [[nodiscard]] bool HasLines() const { return !m_current.lines.empty(); }
    //! The complete lines so far; a line still being read moves on to the next batch.
    Batch Take()
    {
        Batch next;
        next.data = m_current.data.substr(m_current.data.size() - m_line_bytes);
        m_current.data.resize(m_current.data.size() - m_line_bytes);
        return std::exchange(m_current, std::move(next));
    }

private:
    void EndLine()
    {
        m_current.lines.emplace_back(m_current.data.size() - m_line_bytes, m_line_bytes);
        m_line_bytes = 0;
    }

    Batch m_current;
    std::size_t m_line_bytes{0};
};

} // namespace

ExportOutcome VerifyExportFile(const std::string& path, std::uint64_t checkpoint_size,
                               const Hash& checkpoint_root, unsigned threads)
{
    if (threads == 0)
        threads = std::clamp(std::thread::hardware_concurrency(), 1U, EXPORT_THREADS_MAX);
    WB_ASSERT(threads <= EXPORT_THREADS_MAX);
    std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return ExportOutcome{boost::system::error_code(errno, boost::system::generic_category()),
                             ExportSummary{}};
    }
    ExportVerifier verifier(checkpoint_size, checkpoint_root);
    std::deque<std::future<std::vector<ParsedLine>>> ahead;
    std::optional<ExportProblem> problem;
    const auto replay_oldest = [&] {
        for (const auto& line : ahead.front().get()) {
            if (auto added = verifier.Add(line); !added) {
                problem = added.error();
                break;
            }
        }
        ahead.pop_front();
    };
    const auto submit = [&](Batch batch) {
        ahead.push_back(std::async(std::launch::async,
                                   [batch = std::move(batch)] { return ParseBatch(batch); }));
        if (ahead.size() > BATCHES_AHEAD_PER_THREAD * threads) replay_oldest();
    };
    LineBatcher batcher;
    std::vector<char> chunk(READ_CHUNK_BYTES);
    std::size_t got = 0;
    while (!problem && (got = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
        batcher.Feed(std::string_view(chunk.data(), got));
        if (batcher.BatchFull()) submit(batcher.Take());
    }
    const bool read_error = std::ferror(file) != 0;
    if (file != stdin) std::fclose(file);
    // After a read error the last line may be cut short: judged, it would be reported as an
    // altered entry at its index. Only whole lines are judged; the error is reported as such.
    if (!read_error) batcher.Close();
    if (!problem && !read_error && batcher.HasLines()) submit(batcher.Take());
    while (!ahead.empty()) {
        if (problem) {
            ahead.front().wait();
            ahead.pop_front();
        } else {
            replay_oldest();
        }
    }
    if (problem) return ExportOutcome{std::nullopt, *problem};
    if (read_error) {
        return ExportOutcome{make_error_code(boost::system::errc::io_error), ExportSummary{}};
    }
    return ExportOutcome{std::nullopt, verifier.Finish()};
}

} // namespace wijkbudget::ledger
