// libFuzzer target: what a request carries besides HTTP itself (Beast parses that): the query
// string (api/query.cpp) and If-None-Match lists (api/entity_tags.cpp), the site's form bodies
// (api/web/form.cpp) and the JSON bodies of the write routes, read strictly into their request
// structs (services/councils.hpp) as the router reads them.
//
// The first byte picks the reader; the rest is the input. Beyond "does not crash": a parsed
// query respects its limits, and a body that reads re-reads the same after a round trip
// through the same Fields list.

#include "api/entity_tags.hpp"
#include "api/query.hpp"
#include "api/web/form.hpp"
#include "ledger/assert.hpp"
#include "ledger/fields.hpp"
#include "ledger/strict_json.hpp"
#include "services/councils.hpp"

#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

//! The router's body limit for these routes (api/handlers/council_routes.cpp).
constexpr std::size_t BODY_BYTES_MAX{4096};

template <class T>
void ReadBody(std::string_view text)
{
    using namespace wijkbudget::ledger;
    auto document = ParseStrictJson(text, BODY_BYTES_MAX);
    if (!document) return;
    T value{};
    const fields::Path root{"body"};
    if (!fields::Read(*document, value, root)) return;
    // Written back by the same Fields list, it reads again, and writes the same again.
    const boost::json::value written = fields::Write(value);
    T again{};
    WB_ASSERT(fields::Read(written, again, root).has_value());
    WB_ASSERT(boost::json::serialize(fields::Write(again)) == boost::json::serialize(written));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
    case 0: {
        const auto query = wijkbudget::api::ParseQuery(text);
        if (query) {
            WB_ASSERT(text.size() <= wijkbudget::api::QUERY_BYTES_MAX);
            WB_ASSERT(query->size() <= wijkbudget::api::QUERY_PARAMETERS_MAX);
        }
        // The same bytes as an If-None-Match field: a list that names a tag still does with
        // that tag added at its end.
        if (wijkbudget::api::EntityTagListMatches(text, "\"7\"")) {
            WB_ASSERT(
                wijkbudget::api::EntityTagListMatches(std::string(text) + ", \"8\"", "\"7\"") ||
                text.find('*') != std::string_view::npos);
        }
        break;
    }
    case 3: {
        const auto form = wijkbudget::api::web::ParseFormBody(text);
        if (form) {
            WB_ASSERT(text.size() <= wijkbudget::api::web::FORM_BYTES_MAX);
            WB_ASSERT(form->size() <= wijkbudget::api::web::FORM_FIELDS_MAX);
            for (const auto& [name, value] : *form)
                WB_ASSERT(!name.empty());
        }
        // The same bytes as a number box's value: a whole number read back is that number's
        // plain spelling's, and the plain spelling reads as itself.
        if (const auto points = wijkbudget::api::web::WholeNumberOfNumberBox(text)) {
            const std::string plain = std::to_string(*points);
            WB_ASSERT(wijkbudget::api::web::WholeNumberOfNumberBox(plain) == points);
            WB_ASSERT(wijkbudget::api::web::WholeNumberOfNumberBox(plain + ".0") == points);
        }
        break;
    }
    case 1: ReadBody<wijkbudget::services::CouncilRegistration>(text); break;
    default: ReadBody<wijkbudget::services::BudgetGrant>(text); break;
    }
    return 0;
}
