// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// JSON string literals written by hand, for bodies built outside nlohmann::json (a
// password goes into locked memory, never into a json value): measure, then write.
namespace pah::text {

// The length of `text` as a quoted, escaped JSON string literal.
std::size_t json_string_size(std::string_view text) noexcept;
// Writes the literal at `out` (room for json_string_size(text)); returns its end.
char* write_json_string(char* out, std::string_view text) noexcept;
void append_json_string(std::string& out, std::string_view text);

}  // namespace pah::text
