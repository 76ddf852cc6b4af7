#pragma once
// pb/pb_file.hpp: reads a Pabulib .pb file into an Instance the way pabutools 1.2.3's
// parse_pabulib does (FORMAT.md): same sections, same defaults, same quirks. What pabutools would
// fail on (a KeyError, a ValueError) is a ParseError here, with the line and the reason.
//
// Where it is stricter than pabutools, on purpose (no real file is affected): a negative budget,
// cost or number of points is refused, as are numbers longer than NUMBER_CHARS_MAX.

#include "pb/instance.hpp"
#include "pb/parse_error.hpp"

#include <filesystem>
#include <string_view>
#include <variant>

namespace wijkbudget::pb {

using ParseResult = std::variant<Instance, ParseError>;

//! The instance of the file's text.
ParseResult ParsePbText(std::string_view text);

//! Reads and parses a file; a file that cannot be read is a ParseError at line 0.
ParseResult ReadPbFile(const std::filesystem::path& file);

} // namespace wijkbudget::pb
