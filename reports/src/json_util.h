#pragma once
// Small pieces the JSON twins share.

#include <ferros/reports/stats.h>
#include <nlohmann/json.hpp>
#include <optional>

namespace ferros::reports::detail {

template<typename T>
nlohmann::ordered_json optional_json(const std::optional<T>& value)
{
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

inline nlohmann::ordered_json summary_json(const Summary& s)
{
    return { { "count", s.count }, { "min", s.min }, { "median", s.median }, { "p99", s.p99 }, { "max", s.max } };
}

} // namespace ferros::reports::detail
