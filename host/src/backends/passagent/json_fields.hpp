// SPDX-License-Identifier: MIT
#pragma once

// Small readers for PassAgent's JSON replies, shared by the wire and format files of
// this folder (not used outside it).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"
#include "text/ascii.hpp"

namespace pah::passagent {

// Tokens and header values longer than this are refused.
constexpr std::size_t kMaxTokenBytes = 16U * 1024U;

// BAD_FORMAT: "The PassAgent server sent an unexpected reply: <what>."
Error bad_format(std::string_view what);

using text::to_lower;  // text/ascii.hpp
// obj[name] when obj is an object that has it, else null.
const nlohmann::json* field(const nlohmann::json& obj, std::string_view name);
std::optional<std::string> string_field(const nlohmann::json& obj, std::string_view name);
// Integers, and floats within +-9e15 (truncated).
std::optional<std::int64_t> int_field(const nlohmann::json& obj, std::string_view name);
std::optional<bool> bool_field(const nlohmann::json& obj, std::string_view name);
// Records and shares need a usable id (1 to 512 characters); numbers are taken as text.
bool normalise_id(nlohmann::json& item);
// A character of either base64 alphabet (no padding).
bool is_base64_char(char c) noexcept;

}  // namespace pah::passagent
