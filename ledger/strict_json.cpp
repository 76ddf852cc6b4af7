#include "ledger/strict_json.hpp"

#include "ledger/values.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace wijkbudget::ledger {
namespace {

namespace json = boost::json;
using boost::system::error_code;

//! One level of the document being read: an object (with its keys so far) or an array.
struct Level {
    bool is_array{false};
    std::size_t next_index{0};     //!< Arrays: the index of the next element.
    std::string key;               //!< Objects: the key of the member being read.
    std::vector<std::string> keys; //!< Objects: every key seen, to refuse repeats.
};

//! A basic_parser handler that builds the value like Boost's own, refuses repeated keys, and
//! checks UTF-8 itself so that an error can name the field that holds the bad bytes.
//! The member names are the ones basic_parser calls, so they keep Boost's spelling.
// NOLINTBEGIN(readability-identifier-naming)
struct StrictHandler {
    static constexpr std::size_t max_object_size = JSON_OBJECT_KEYS_MAX;
    static constexpr std::size_t max_array_size = json::array::max_size();
    static constexpr std::size_t max_key_size = json::string::max_size();
    static constexpr std::size_t max_string_size = json::string::max_size();

    explicit StrictHandler(json::storage_ptr storage) : stack(std::move(storage)) {}

    json::value_stack stack;
    std::vector<Level> levels;
    std::string pending; //!< The parts of the key or string being read.
    std::optional<Failure> failure;

    //! "payload.attachments[2]": where the parser is now. For a key, the object holding it.
    [[nodiscard]] std::string Where(bool in_key = false) const
    {
        std::string where;
        const std::size_t depth = levels.size() - (in_key ? 1 : 0);
        for (std::size_t position = 0; position < depth; ++position) {
            const Level& level = levels[position];
            if (level.is_array) {
                // Appended piece by piece: g++ 12 at -O3 warns, wrongly, -Wrestrict on "[" + ....
                where += '[';
                where += std::to_string(level.next_index);
                where += ']';
            } else {
                where += (where.empty() ? "" : ".") + level.key;
            }
        }
        return where;
    }
    bool Refuse(Errc code, std::string where, error_code& ec)
    {
        failure = MakeFailure(code, std::move(where));
        ec = make_error_code(code);
        return false;
    }
    //! A value is complete: an enclosing array moves on to its next index.
    bool ValueDone()
    {
        if (!levels.empty() && levels.back().is_array) ++levels.back().next_index;
        return true;
    }

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code&)
    {
        levels.push_back(Level{});
        return true;
    }
    bool on_object_end(std::size_t count, error_code&)
    {
        levels.pop_back();
        stack.push_object(count);
        return ValueDone();
    }
    bool on_array_begin(error_code&)
    {
        levels.push_back(Level{true, 0, {}, {}});
        return true;
    }
    bool on_array_end(std::size_t count, error_code&)
    {
        levels.pop_back();
        stack.push_array(count);
        return ValueDone();
    }
    bool on_key_part(json::string_view part, std::size_t, error_code&)
    {
        pending.append(part.data(), part.size());
        stack.push_chars(part);
        return true;
    }
    bool on_key(json::string_view part, std::size_t, error_code& ec)
    {
        pending.append(part.data(), part.size());
        Level& level = levels.back();
        if (!IsValidUtf8(pending))
            return Refuse(Errc::json_malformed,
                          "a key in " + (levels.size() > 1 ? Where(true) : "the document"), ec);
        if (std::find(level.keys.begin(), level.keys.end(), pending) != level.keys.end()) {
            return Refuse(Errc::json_duplicate_key, "\"" + pending + "\"", ec);
        }
        level.keys.push_back(pending);
        level.key = std::move(pending);
        pending.clear();
        stack.push_key(part);
        return true;
    }
    bool on_string_part(json::string_view part, std::size_t, error_code&)
    {
        pending.append(part.data(), part.size());
        stack.push_chars(part);
        return true;
    }
    bool on_string(json::string_view part, std::size_t, error_code& ec)
    {
        pending.append(part.data(), part.size());
        if (!IsValidUtf8(pending)) return Refuse(Errc::json_malformed, Where(), ec);
        pending.clear();
        stack.push_string(part);
        return ValueDone();
    }
    bool on_number_part(json::string_view, error_code&) { return true; }
    bool on_int64(std::int64_t number, json::string_view, error_code&)
    {
        stack.push_int64(number);
        return ValueDone();
    }
    bool on_uint64(std::uint64_t number, json::string_view, error_code&)
    {
        stack.push_uint64(number);
        return ValueDone();
    }
    bool on_double(double number, json::string_view, error_code&)
    {
        stack.push_double(number);
        return ValueDone();
    }
    bool on_bool(bool flag, error_code&)
    {
        stack.push_bool(flag);
        return ValueDone();
    }
    bool on_null(error_code&)
    {
        stack.push_null();
        return ValueDone();
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
    // The handler checks UTF-8 per string, to name the field; Boost would only give an offset.
    options.allow_invalid_utf8 = true;
    json::basic_parser<StrictHandler> parser(options, json::storage_ptr{});
    parser.handler().stack.reset();
    error_code ec;
    const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
    if (parser.handler().failure) return *parser.handler().failure;
    // Not json_too_large: that names a text over its byte limit (HTTP 413), and a short text
    // can nest deep. The structure is what this service's JSON refuses.
    if (ec == json::error::too_deep) {
        return MakeFailure(Errc::json_malformed, "nested deeper than " +
                                                     std::to_string(JSON_DEPTH_MAX) +
                                                     " levels at byte " + std::to_string(consumed));
    }
    if (ec == json::error::object_too_large) {
        return MakeFailure(Errc::json_malformed,
                           "an object with more than " + std::to_string(JSON_OBJECT_KEYS_MAX) +
                               " members at byte " + std::to_string(consumed));
    }
    if (ec || consumed != text.size()) {
        return MakeFailure(Errc::json_malformed, "byte " + std::to_string(consumed));
    }
    return parser.handler().stack.release();
}

} // namespace wijkbudget::ledger
