// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pah::store {

// JSON text parsed with its nesting bounded while it is parsed: a value deeper than
// `max_depth` is never built, and the whole text is refused. The error is a short
// phrase for a message ("it is not JSON", "it nests deeper than 4 levels").
std::expected<nlohmann::json, std::string> parse_json_bounded(std::string_view text, std::size_t max_depth);

}  // namespace pah::store
