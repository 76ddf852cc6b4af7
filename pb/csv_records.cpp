// pb/csv_records.cpp: see csv_records.hpp. The state machine follows CPython's Modules/_csv.c
// (default dialect: doublequote, no escape character, strict off) state by state, so that a
// record splits here where it splits for pabutools.
#include "pb/csv_records.hpp"

#include "pb/assert.hpp"
#include "pb/python_text.hpp"

#include <cstdint>
#include <utility>

namespace wijkbudget::pb {

namespace {

constexpr std::string_view UTF8_BOM{"\xEF\xBB\xBF"};

struct Line {
    std::string_view text;
    std::size_t number{0};
};

std::uint8_t Byte(std::string_view text, std::size_t at)
{
    return static_cast<std::uint8_t>(text[at]);
}

//! Length of the valid UTF-8 sequence starting at `at`, or 0 if it is not valid UTF-8.
std::size_t Utf8SequenceLength(std::string_view text, std::size_t at)
{
    const std::uint8_t lead = Byte(text, at);
    if (lead < 0x80) return 1;
    std::size_t length{0};
    std::uint32_t code{0};
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code = lead & 0x07u;
    } else {
        return 0;
    }
    if (at + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        const std::uint8_t next = Byte(text, at + i);
        if ((next & 0xC0u) != 0x80u) return 0;
        code = (code << 6) | (next & 0x3Fu);
    }
    // Overlong forms, surrogates and values above U+10FFFF are not UTF-8 (Python refuses them).
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000)) return 0;
    if (code >= 0xD800 && code <= 0xDFFF) return 0;
    if (code > 0x10FFFF) return 0;
    return length;
}

/** Length of the line break at `at` as str.splitlines() sees it (\n, \r, \r\n, \v, \f, \x1c-\x1e,
 *  U+0085, U+2028, U+2029), or 0. `sequence` is the UTF-8 length of the character there. */
std::size_t LineBreakLength(std::string_view text, std::size_t at, std::size_t sequence)
{
    const std::uint8_t byte = Byte(text, at);
    if (sequence == 1) {
        if (byte == '\r') return (at + 1 < text.size() && text[at + 1] == '\n') ? 2 : 1;
        const bool is_break = byte == '\n' || byte == 0x0B || byte == 0x0C || byte == 0x1C ||
                              byte == 0x1D || byte == 0x1E;
        return is_break ? 1 : 0;
    }
    const std::string_view character = text.substr(at, sequence);
    if (character == "\xC2\x85" || character == "\xE2\x80\xA8" || character == "\xE2\x80\xA9") {
        return sequence;
    }
    return 0;
}

std::variant<std::vector<Line>, ParseError> SplitLines(std::string_view text)
{
    std::vector<Line> lines;
    std::size_t start{0};
    std::size_t at{0};
    while (at < text.size()) {
        const std::size_t sequence = Utf8SequenceLength(text, at);
        if (sequence == 0) return ParseError{lines.size() + 1, "invalid UTF-8"};
        if (text[at] == '\0') return ParseError{lines.size() + 1, "line contains a NUL byte"};
        const std::size_t line_break = LineBreakLength(text, at, sequence);
        if (line_break == 0) {
            at += sequence;
            continue;
        }
        lines.push_back(Line{text.substr(start, at - start), lines.size() + 1});
        at += line_break;
        start = at;
    }
    if (start < text.size()) lines.push_back(Line{text.substr(start), lines.size() + 1});
    return lines;
}

enum class State { start_record, start_field, in_field, in_quoted_field, quote_in_quoted_field };

//! One record at a time, fed character by character and line by line (CPython's Reader).
class RecordBuilder
{
public:
    //! Feeds one byte of a line; an error if the field grows beyond FIELD_CHARACTERS_MAX.
    bool Add(char c)
    {
        switch (m_state) {
        case State::start_record:
        case State::start_field:
            if (c == '"') {
                m_state = State::in_quoted_field;
            } else if (c == ';') {
                SaveField();
                m_state = State::start_field;
            } else {
                m_state = State::in_field;
                return Append(c);
            }
            return true;
        case State::in_field:
            if (c == ';') {
                SaveField();
                m_state = State::start_field;
                return true;
            }
            return Append(c);
        case State::in_quoted_field:
            if (c == '"') {
                m_state = State::quote_in_quoted_field;
                return true;
            }
            return Append(c);
        case State::quote_in_quoted_field:
            if (c == ';') {
                SaveField();
                m_state = State::start_field;
                return true;
            }
            // A doubled quote is a quote; anything else after a closing quote joins the field.
            m_state = c == '"' ? State::in_quoted_field : State::in_field;
            return Append(c);
        }
        return true;
    }

    //! The end of a line; true when it ends the record (a quoted field may run on).
    bool EndLine()
    {
        switch (m_state) {
        case State::start_record: return true;
        case State::in_quoted_field: return false;
        case State::start_field:
        case State::in_field:
        case State::quote_in_quoted_field:
            SaveField();
            m_state = State::start_record;
            return true;
        }
        return true;
    }

    //! The end of the input inside a quoted field: Python keeps what was read (strict is off).
    void EndInput()
    {
        if (m_state == State::in_quoted_field) SaveField();
        m_state = State::start_record;
    }

    std::vector<std::string> TakeFields()
    {
        WB_PB_ASSERT(m_state == State::start_record);
        return std::exchange(m_fields, {});
    }

private:
    bool Append(char c)
    {
        // The input is valid UTF-8 (checked before): a byte that is no continuation byte starts
        // a character, as Python, which reads characters, counts them.
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            if (m_field_characters >= FIELD_CHARACTERS_MAX) return false;
            ++m_field_characters;
        }
        m_field.push_back(c);
        return true;
    }

    void SaveField()
    {
        m_fields.push_back(std::exchange(m_field, {}));
        m_field_characters = 0;
    }

    State m_state{State::start_record};
    std::string m_field;
    std::size_t m_field_characters{0};
    std::vector<std::string> m_fields;
};

} // namespace

std::variant<std::vector<Record>, ParseError> ReadRecords(std::string_view text)
{
    if (text.size() > FILE_BYTES_MAX) return ParseError{0, "file larger than 64 MiB"};
    if (text.starts_with(UTF8_BOM)) text.remove_prefix(UTF8_BOM.size());
    auto split = SplitLines(text);
    if (const auto* error = std::get_if<ParseError>(&split)) return *error;
    const auto& lines = std::get<std::vector<Line>>(split);

    std::vector<Record> records;
    RecordBuilder builder;
    std::size_t record_line{0}; // 0: no record open (lines count from 1)
    for (const Line& line : lines) {
        if (record_line == 0) record_line = line.number;
        for (const char c : line.text) {
            if (!builder.Add(c)) {
                return ParseError{line.number, "field longer than 131072 characters"};
            }
        }
        if (builder.EndLine()) {
            records.push_back(Record{builder.TakeFields(), record_line});
            record_line = 0;
        }
    }
    if (record_line != 0) {
        builder.EndInput();
        records.push_back(Record{builder.TakeFields(), record_line});
    }
    return records;
}

bool IsBlankRecord(const Record& record)
{
    return record.fields.empty() ||
           (record.fields.size() == 1 && PyStrip(record.fields[0]).empty());
}

std::string_view SectionTitleOf(const Record& record)
{
    WB_PB_ASSERT(!record.fields.empty());
    const std::string title = AsciiLower(PyStrip(record.fields[0]));
    for (const std::string_view section : {"meta", "projects", "votes"}) {
        if (title == section) return section;
    }
    return {};
}

} // namespace wijkbudget::pb
