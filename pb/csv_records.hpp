#pragma once
// pb/csv_records.hpp: the records of a .pb file, split exactly as pabutools 1.2.3 splits them:
// Python's str.splitlines() followed by csv.reader(delimiter=';') in its default, non-strict
// dialect. Python's quirks are kept on purpose, because an outcome must match pabutools' reading
// of the same bytes (FORMAT.md section 5): a '"' inside an unquoted field is a literal character,
// text after a closing quote joins the field, and a quoted field left open at the end of a line
// continues on the next line with nothing in between.

#include "pb/parse_error.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace wijkbudget::pb {

//! Python's csv.field_size_limit() default, in characters (code points, as Python counts): a
//! longer field is an error there, and here. A field holds at most four times as many bytes.
inline constexpr std::size_t FIELD_CHARACTERS_MAX{131'072};
//! Largest file read: 16 times the largest Pabulib file known (4 MB), to bound memory.
inline constexpr std::size_t FILE_BYTES_MAX{64 * 1024 * 1024};

struct Record {
    std::vector<std::string> fields;
    //! 1-based line on which the record starts.
    std::size_t line{0};
};

/** The records of `text` (UTF-8, a leading BOM is skipped, as pabutools' utf-8-sig does). An empty
 *  line gives a record without fields, as Python's reader does. Refused: invalid UTF-8, a NUL
 *  byte, a field longer than FIELD_CHARACTERS_MAX, a file longer than FILE_BYTES_MAX. */
std::variant<std::vector<Record>, ParseError> ReadRecords(std::string_view text);

//! A row pabutools skips: no field, or one that is blank once stripped.
bool IsBlankRecord(const Record& record);
/** The section a row's first field names, as pabutools reads it (stripped, any case, whatever
 *  fields follow): "meta", "projects" or "votes"; empty if none. @pre !IsBlankRecord(record). */
std::string_view SectionTitleOf(const Record& record);

} // namespace wijkbudget::pb
