#pragma once
// ledger/fields.hpp: reading and writing JSON members by the `Fields` list of a struct.
//
// Each struct of ledger/entry.hpp lists its members once, in `Fields(self, visit)`. The
// reader below walks that list: it refuses a missing member, an unknown member, a wrong type
// and a value its C++ type does not allow, naming the field's path. The writer walks the same
// list, so a field cannot be read under one name and written under another.

#include "ledger/entry.hpp"
#include "ledger/errc.hpp"

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <type_traits>

namespace wijkbudget::ledger::fields {

namespace json = boost::json;
using ReadResult = boost::system::result<void, Failure>;

template <class T>
concept HasFields = requires(T& value)
{
    T::Fields(value, [](std::string_view, auto&) {});
};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

/**
 * Where a value sits in the document: "payload.attachments[3]". Built on the stack as the
 * reader descends and spelled out only for an error, because reading a valid entry must not
 * pay for the names of fields that are fine.
 */
struct Path {
    explicit Path(std::string_view root_name) : name{root_name} {}
    Path(const Path& parent_path, std::string_view member) : parent{&parent_path}, name{member} {}
    Path(const Path& parent_path, std::size_t position)
        : parent{&parent_path}, index{position}, is_index{true}
    {}
    [[nodiscard]] std::string Text() const;

    const Path* parent{nullptr};
    std::string_view name;
    std::size_t index{0};
    bool is_index{false};
};

// Leaf readers, one per value type (fields.cpp).
ReadResult Read(const json::value& value, Cents& out, const Path& path);
ReadResult Read(const json::value& value, Balance& out, const Path& path);
ReadResult Read(const json::value& value, std::uint64_t& out, const Path& path);
ReadResult Read(const json::value& value, bool& out, const Path& path);
ReadResult Read(const json::value& value, Year& out, const Path& path);
ReadResult Read(const json::value& value, LeafIndex& out, const Path& path);
ReadResult Read(const json::value& value, Timestamp& out, const Path& path);
ReadResult Read(const json::value& value, Date& out, const Path& path);
ReadResult Read(const json::value& value, Hash& out, const Path& path);
ReadResult ReadString(const json::value& value, std::string_view& out, const Path& path);

json::value Write(Cents value);
json::value Write(Balance value);
json::value Write(std::uint64_t value);
json::value Write(bool value);
json::value Write(Year value);
json::value Write(LeafIndex value);
json::value Write(Timestamp value);
json::value Write(Date value);
json::value Write(const Hash& value);

// The templates call one another for nested values, so all are declared before any is defined.
template <class Rule>
ReadResult Read(const json::value& value, Text<Rule>& out, const Path& path);
template <class E>
requires std::is_enum_v<E> ReadResult Read(const json::value& value, E& out, const Path& path);
template <class T>
ReadResult Read(const json::value& value, std::optional<T>& out, const Path& path);
template <class T, std::size_t ITEMS_MAX>
ReadResult Read(const json::value& value, BoundedList<T, ITEMS_MAX>& out, const Path& path);
template <HasFields T>
ReadResult Read(const json::value& value, T& out, const Path& path);
template <class T, std::size_t ITEMS_MAX>
json::value Write(const BoundedList<T, ITEMS_MAX>& value);
template <HasFields T>
json::value Write(const T& value);

template <class Rule>
ReadResult Read(const json::value& value, Text<Rule>& out, const Path& path)
{
    std::string_view text;
    if (auto read = ReadString(value, text, path); !read) return read;
    if (text.size() > Rule::BYTES_MAX) return MakeFailure(Errc::field_too_long, path.Text());
    if (!Rule::Check(text)) return MakeFailure(Errc::field_invalid, path.Text());
    out.value = std::string(text);
    return {};
}

template <class Rule>
json::value Write(const Text<Rule>& value)
{
    return json::value(value.value);
}

template <class E>
requires std::is_enum_v<E> ReadResult Read(const json::value& value, E& out, const Path& path)
{
    std::string_view text;
    if (auto read = ReadString(value, text, path); !read) return read;
    auto parsed = EnumFromSpelling<E>(text);
    if (!parsed) return MakeFailure(Errc::field_invalid, path.Text());
    out = *parsed;
    return {};
}

template <class E>
requires std::is_enum_v<E> json::value Write(E value)
{
    return json::value(SpellingOf(value));
}

template <class T>
ReadResult Read(const json::value& value, std::optional<T>& out, const Path& path)
{
    // An absent member is the only spelling of "none"; the object reader handles it.
    T inner{};
    if (auto read = Read(value, inner, path); !read) return read;
    out = std::move(inner);
    return {};
}

template <class T, std::size_t ITEMS_MAX>
ReadResult Read(const json::value& value, BoundedList<T, ITEMS_MAX>& out, const Path& path)
{
    if (!value.is_array()) return MakeFailure(Errc::field_wrong_type, path.Text());
    const auto& array = value.get_array();
    if (array.size() > ITEMS_MAX) return MakeFailure(Errc::field_too_long, path.Text());
    out.items.assign(array.size(), T{});
    for (std::size_t position = 0; position < array.size(); ++position) {
        auto read = Read(array[position], out.items[position], Path{path, position});
        if (!read) return read;
    }
    return {};
}

template <class T, std::size_t ITEMS_MAX>
json::value Write(const BoundedList<T, ITEMS_MAX>& value)
{
    json::array array;
    array.reserve(value.items.size());
    for (const auto& item : value.items) {
        array.push_back(Write(item));
    }
    return array;
}

//! Reads a struct from a JSON object, member by member, as its Fields list says.
template <HasFields T>
ReadResult Read(const json::value& value, T& out, const Path& path)
{
    if (!value.is_object()) return MakeFailure(Errc::field_wrong_type, path.Text());
    const auto& object = value.get_object();
    std::size_t known = 0;
    ReadResult outcome;
    T::Fields(out, [&](std::string_view name, auto& field) {
        if (!outcome) return;
        const json::value* member = object.if_contains(name);
        if (member == nullptr) {
            if (!IsOptional<std::remove_cvref_t<decltype(field)>>::value) {
                outcome = MakeFailure(Errc::field_missing, Path{path, name}.Text());
            }
            return;
        }
        ++known;
        outcome = Read(*member, field, Path{path, name});
    });
    if (!outcome) return outcome;
    if (known == object.size()) return {};
    // Some member is not in the list: name the first one.
    for (const auto& member : object) {
        bool listed = false;
        T::Fields(out,
                  [&](std::string_view name, auto&) { listed = listed || name == member.key(); });
        if (!listed) return MakeFailure(Errc::field_unknown, Path{path, member.key()}.Text());
    }
    return {};
}

template <HasFields T>
json::value Write(const T& value)
{
    json::object object;
    T::Fields(value, [&](std::string_view name, const auto& field) {
        using Field = std::remove_cvref_t<decltype(field)>;
        if constexpr (IsOptional<Field>::value) {
            if (field) object.emplace(name, Write(*field));
        } else {
            object.emplace(name, Write(field));
        }
    });
    return object;
}

} // namespace wijkbudget::ledger::fields
