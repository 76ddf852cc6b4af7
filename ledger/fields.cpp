#include "ledger/fields.hpp"

#include "ledger/canonical_json.hpp"
#include "ledger/hex.hpp"

namespace wijkbudget::ledger::fields {
namespace {

//! A JSON integer as int64, if it is one that a browser holds exactly.
std::optional<std::int64_t> SafeInteger(const json::value& value)
{
    if (value.is_int64()) {
        const std::int64_t number = value.get_int64();
        if (number > JSON_INTEGER_MAX || number < -JSON_INTEGER_MAX) return std::nullopt;
        return number;
    }
    if (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(JSON_INTEGER_MAX)) {
        return static_cast<std::int64_t>(value.get_uint64());
    }
    return std::nullopt;
}

ReadResult ReadCents(const json::value& value, Cents& out, const Path& path, std::int64_t minimum)
{
    // Money is an integer of cents: 12.5, "1250", 1e3 and true are all refused.
    if (!value.is_int64() && !value.is_uint64()) {
        return MakeFailure(Errc::amount_not_integer, path.Text());
    }
    auto number = SafeInteger(value);
    if (!number || *number < minimum || *number > CENTS_MAX) {
        return MakeFailure(Errc::amount_out_of_range, path.Text());
    }
    out = Cents{*number};
    return {};
}

ReadResult ReadInteger(const json::value& value, std::int64_t& out, const Path& path,
                       std::int64_t minimum, std::int64_t maximum)
{
    if (!value.is_int64() && !value.is_uint64()) {
        return MakeFailure(Errc::field_wrong_type, path.Text());
    }
    auto number = SafeInteger(value);
    if (!number || *number < minimum || *number > maximum) {
        return MakeFailure(Errc::field_invalid, path.Text());
    }
    out = *number;
    return {};
}

} // namespace

std::string Path::Text() const
{
    std::string text = parent == nullptr ? std::string() : parent->Text();
    if (is_index) return text + "[" + std::to_string(index) + "]";
    if (!text.empty()) text += ".";
    return text + std::string(name);
}

ReadResult ReadString(const json::value& value, std::string_view& out, const Path& path)
{
    if (!value.is_string()) return MakeFailure(Errc::field_wrong_type, path.Text());
    out = value.get_string();
    return {};
}

ReadResult Read(const json::value& value, Cents& out, const Path& path)
{
    return ReadCents(value, out, path, 1);
}

ReadResult Read(const json::value& value, Balance& out, const Path& path)
{
    return ReadCents(value, out.cents, path, 0);
}

ReadResult Read(const json::value& value, std::uint64_t& out, const Path& path)
{
    std::int64_t number = 0;
    if (auto read = ReadInteger(value, number, path, 0, JSON_INTEGER_MAX); !read) return read;
    out = static_cast<std::uint64_t>(number);
    return {};
}

ReadResult Read(const json::value& value, bool& out, const Path& path)
{
    if (!value.is_bool()) return MakeFailure(Errc::field_wrong_type, path.Text());
    out = value.get_bool();
    return {};
}

ReadResult Read(const json::value& value, Year& out, const Path& path)
{
    std::int64_t number = 0;
    if (auto read = ReadInteger(value, number, path, YEAR_MIN, YEAR_MAX); !read) return read;
    out = Year{static_cast<std::int32_t>(number)};
    return {};
}

ReadResult Read(const json::value& value, LeafIndex& out, const Path& path)
{
    std::int64_t number = 0;
    if (auto read = ReadInteger(value, number, path, 0, JSON_INTEGER_MAX); !read) return read;
    out = LeafIndex{static_cast<std::uint64_t>(number)};
    return {};
}

ReadResult Read(const json::value& value, Timestamp& out, const Path& path)
{
    std::string_view text;
    if (auto read = ReadString(value, text, path); !read) return read;
    auto parsed = ParseTimestamp(text);
    if (!parsed) return MakeFailure(Errc::field_invalid, path.Text());
    out = *parsed;
    return {};
}

ReadResult Read(const json::value& value, Date& out, const Path& path)
{
    std::string_view text;
    if (auto read = ReadString(value, text, path); !read) return read;
    auto parsed = ParseDate(text);
    if (!parsed) return MakeFailure(Errc::field_invalid, path.Text());
    out = *parsed;
    return {};
}

ReadResult Read(const json::value& value, Hash& out, const Path& path)
{
    std::string_view text;
    if (auto read = ReadString(value, text, path); !read) return read;
    auto parsed = HashFromHex(text);
    if (!parsed) return MakeFailure(Errc::field_invalid, path.Text());
    out = *parsed;
    return {};
}

json::value Write(Cents value)
{
    return json::value(value.value);
}
json::value Write(Balance value)
{
    return json::value(value.cents.value);
}
json::value Write(std::uint64_t value)
{
    return json::value(value);
}
json::value Write(bool value)
{
    return json::value(value);
}
json::value Write(Year value)
{
    return json::value(value.value);
}
json::value Write(LeafIndex value)
{
    return json::value(value.value);
}
json::value Write(Timestamp value)
{
    return json::value(FormatTimestamp(value));
}
json::value Write(Date value)
{
    return json::value(FormatDate(value));
}
json::value Write(const Hash& value)
{
    return json::value(ToHex(value));
}

} // namespace wijkbudget::ledger::fields
