#pragma once
// services/map_lookup.hpp: small helpers over the projections' maps keyed by slug text.

#include "ledger/values.hpp"

#include <map>
#include <string>
#include <vector>

namespace wijkbudget::services {

//! A pointer to the value under `key`, or nullptr: projections look up by slug, often.
template <class Map>
auto FindIn(Map& map, const ledger::Slug& key) -> decltype(&map.begin()->second)
{
    auto found = map.find(key.value);
    return found == map.end() ? nullptr : &found->second;
}

//! The values of a map in key order, as copies a caller may keep.
template <class Value>
std::vector<Value> ValuesOf(const std::map<std::string, Value>& map)
{
    std::vector<Value> values;
    values.reserve(map.size());
    for (const auto& [key, value] : map) {
        values.push_back(value);
    }
    return values;
}

} // namespace wijkbudget::services
