#pragma once
// api/handlers/open_data.hpp: the text formats of the open-data routes (issue 5;
// docs/open-data.md): CSV fields as LibreOffice reads them without fixes, and XML text for the Atom
// feed. Pure, so tests/unit/api/open_data_test.cpp checks them. Internal to api/.

#include "ledger/money.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace wijkbudget::api {

//! The UTF-8 byte order mark: without it, spreadsheet programs guess the CSV's encoding.
inline constexpr std::string_view CSV_BOM{"\xEF\xBB\xBF"};
//! The field separator. A comma is the decimal sign in the Dutch locale, so a spreadsheet there
//! splits on semicolons.
inline constexpr char CSV_SEPARATOR{';'};
//! RFC 4180 ends every record, the last one included, with CRLF.
inline constexpr std::string_view CSV_RECORD_END{"\r\n"};

/**
 * A text field of the CSV. A value beginning with '=', '+', '-', '@', a tab or a carriage return
 * gets a leading apostrophe, so that no spreadsheet takes it for a formula (CSV injection); then
 * a value holding the separator, a comma, a double quote, CR or LF is quoted as RFC 4180 says, its
 * double quotes doubled. Numbers the server writes never go through here: "-1250" stays a number.
 */
std::string CsvText(std::string_view text);

//! One CSV record of fields already formatted (CsvText, or numbers), with CSV_RECORD_END.
std::string CsvRecord(const std::vector<std::string>& fields);

//! Cents as a decimal number with a point and two decimals: -1250 -> "-12.50".
std::string DecimalEuro(ledger::Cents amount);

/**
 * Text for XML 1.0 content and attribute values: '&', '<', '>', '"' and '\'' escaped. A character
 * XML 1.0 does not allow (controls other than tab, LF and CR; U+FFFE, U+FFFF) becomes U+FFFD, so
 * the document stays well-formed whatever the text. @pre text is valid UTF-8.
 */
std::string XmlEscape(std::string_view text);

//! Text for the specific part of a URN: letters, digits and "-._~/" as they are, every other
//! byte percent-encoded (so a ':' inside it cannot be mistaken for a separator).
std::string UrnPart(std::string_view text);

} // namespace wijkbudget::api
