// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"

namespace pah::params {

// Typed reads of a request's params. A missing required field or a wrong type is a
// BAD_REQUEST whose message names the field ("params.url must be a string").
Result<std::string> required_string(const nlohmann::json& params, std::string_view field);
Result<std::optional<std::string>> optional_string(const nlohmann::json& params,
                                                   std::string_view field);
Result<std::int64_t> required_int(const nlohmann::json& params, std::string_view field,
                                  std::int64_t min, std::int64_t max);
Result<std::optional<std::int64_t>> optional_int(const nlohmann::json& params,
                                                 std::string_view field, std::int64_t min,
                                                 std::int64_t max);
Result<std::optional<bool>> optional_bool(const nlohmann::json& params, std::string_view field);
// A string that must be one of `allowed`.
Result<std::string> required_enum(const nlohmann::json& params, std::string_view field,
                                  std::initializer_list<std::string_view> allowed);
// A string or number id, returned as text.
Result<std::string> required_id(const nlohmann::json& params, std::string_view field);

Error bad_field(std::string_view field, std::string message);

}  // namespace pah::params
