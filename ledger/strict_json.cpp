#include "ledger/strict_json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

namespace json = boost::json;
using boost::system::error_code;

//! A basic_parser handler that builds the value like Boost's own and watches the keys.
//! The member names are the ones basic_parser calls, so they keep Boost's spelling.
// NOLINTBEGIN(readability-identifier-naming)
struct StrictHandler {
    static constexpr std::size_t max_object_size = JSON_OBJECT_KEYS_MAX;
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    explicit StrictHandler(json::storage_ptr storage) : stack(std::move(storage)) {}

    json::value_stack stack;
    //! The keys seen so far in each open object, innermost last.
    std::vector<std::vector<std::string>> keys_by_depth;
    std::string pending_key;
    std::string duplicate_key;
    bool duplicate{false};

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code&)
    {
        keys_by_depth.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t count, error_code&)
    {
        keys_by_depth.pop_back();
        stack.push_object(count);
        return true;
    }
    bool on_array_begin(error_code&) { return true; }
    bool on_array_end(std::size_t count, error_code&)
    {
        stack.push_array(count);
        return true;
    }
    bool on_key_part(json::string_view part, std::size_t, error_code&)
    {
        pending_key.append(part.data(), part.size());
        stack.push_chars(part);
        return true;
    }
    bool on_key(json::string_view part, std::size_t, error_code& ec)
    {
        pending_key.append(part.data(), part.size());
        auto& seen = keys_by_depth.back();
        if (std::find(seen.begin(), seen.end(), pending_key) != seen.end()) {
            duplicate = true;
            duplicate_key = pending_key;
            ec = make_error_code(Errc::json_duplicate_key);
            return false;
        }
        seen.push_back(std::move(pending_key));
        pending_key.clear();
        stack.push_key(part);
        return true;
    }
    bool on_string_part(json::string_view part, std::size_t, error_code&)
    {
        stack.push_chars(part);
        return true;
    }
    bool on_string(json::string_view part, std::size_t, error_code&)
    {
        stack.push_string(part);
        return true;
    }
    bool on_number_part(json::string_view, error_code&) { return true; }
    bool on_int64(std::int64_t number, json::string_view, error_code&)
    {
        stack.push_int64(number);
        return true;
    }
    bool on_uint64(std::uint64_t number, json::string_view, error_code&)
    {
        stack.push_uint64(number);
        return true;
    }
    bool on_double(double number, json::string_view, error_code&)
    {
        stack.push_double(number);
        return true;
    }
    bool on_bool(bool flag, error_code&)
    {
        stack.push_bool(flag);
        return true;
    }
    bool on_null(error_code&)
    {
        stack.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, error_code&) { return false; }
    bool on_comment(json::string_view, error_code&) { return false; }
};
// NOLINTEND(readability-identifier-naming)

} // namespace

boost::system::result<json::value, Failure> ParseStrictJson(std::string_view text,
                                                            std::size_t bytes_max)
{
    if (text.size() > bytes_max) {
        return MakeFailure(Errc::json_too_large, std::to_string(bytes_max) + " bytes");
    }
    json::parse_options options;
    options.max_depth = JSON_DEPTH_MAX;
    json::basic_parser<StrictHandler> parser(options, json::storage_ptr{});
    parser.handler().stack.reset();
    error_code ec;
    const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
    if (parser.handler().duplicate) {
        return MakeFailure(Errc::json_duplicate_key, "\"" + parser.handler().duplicate_key + "\"");
    }
    if (ec == json::error::too_deep || ec == json::error::object_too_large) {
        return MakeFailure(Errc::json_too_large, "byte " + std::to_string(consumed));
    }
    if (ec) return MakeFailure(Errc::json_malformed, "byte " + std::to_string(consumed));
    if (consumed != text.size()) {
        return MakeFailure(Errc::json_malformed, "byte " + std::to_string(consumed));
    }
    return parser.handler().stack.release();
}

} // namespace wijkbudget::ledger
