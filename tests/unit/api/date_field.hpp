#pragma once
// tests/unit/api/date_field.hpp: whether an answer's Date field names a second of a window.

#include "api/http_date.hpp"

#include <ctime>
#include <string>

namespace wijkbudget::test {

//! Whether `field` is FormatHttpDate of a second from `from` up to now.
inline bool IsDateSince(const std::string& field, std::time_t from)
{
    for (std::time_t second = from; second <= std::time(nullptr); ++second) {
        if (field == api::FormatHttpDate(second)) return true;
    }
    return false;
}

} // namespace wijkbudget::test
