#pragma once
// api/openapi/openapi.hpp: the OpenAPI 3.1 description of the API, compiled into the binary.
//
// The text is api/openapi/openapi.json as it was at build time (embed_openapi.cmake writes it
// into a generated source), served at GET /api/v1/openapi.json. tests/unit/api/openapi_test.cpp
// checks its paths against the router's table in both directions.

#include <string_view>

namespace wijkbudget::api {

//! The document's JSON text, byte for byte as checked in.
std::string_view OpenApiDocument();

} // namespace wijkbudget::api
