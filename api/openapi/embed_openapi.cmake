# Writes OUTPUT: a C++ file defining wijkbudget::api::OpenApiDocument(), the text of INPUT
# (api/openapi/openapi.json) as a raw string, so that the binary serves the document it was built
# with. Run by api/CMakeLists.txt whenever the JSON or this script changes.
file(READ ${INPUT} document)
set(delimiter "wbopenapi")
string(FIND "${document}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string's delimiter )${delimiter}\"")
endif()
file(WRITE ${OUTPUT} "// Generated from api/openapi/openapi.json by embed_openapi.cmake; do not edit.
#include \"api/openapi/openapi.hpp\"

namespace wijkbudget::api {

std::string_view OpenApiDocument()
{
    // An array, whose size the compiler knows: a string_view from the bare literal would count
    // its characters in a constant expression, which g++ stops at 262,144 steps.
    static constexpr char DOCUMENT[]{R\"${delimiter}(${document})${delimiter}\"};
    return {DOCUMENT, sizeof DOCUMENT - 1};
}

} // namespace wijkbudget::api
")
