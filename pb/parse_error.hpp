#pragma once
// pb/parse_error.hpp: why a .pb file was refused, and where. An expected failure, so a value
// (STYLE.md section 4): the command prints it as "FILE:LINE: reason".

#include <cstddef>
#include <string>

namespace wijkbudget::pb {

struct ParseError {
    //! 1-based line of the file where the offending record starts; 0 for the file as a whole.
    std::size_t line{0};
    //! One sentence, lower case, no trailing period: "unknown project id \"17\" in vote".
    std::string reason;
};

} // namespace wijkbudget::pb
