#pragma once
// api/http_date.hpp: the Date field every answer carries (RFC 9110 section 6.6.1: an origin
// server with a clock sends it; caches reckon an answer's age from it).

#include <ctime>
#include <string>

namespace wijkbudget::api {

//! IMF-fixdate (RFC 9110 section 5.6.7), always in English and GMT whatever the process's
//! locale: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string FormatHttpDate(std::time_t seconds);

//! The current time as FormatHttpDate writes it, formatted at most once a second per thread.
const std::string& HttpDateNow();

} // namespace wijkbudget::api
