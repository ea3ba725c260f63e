// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "secure/secret_buffer.hpp"

// JSON string literals written and read by hand, for text kept outside nlohmann::json (a
// password goes into locked memory, never into a json value): measure, then write; or
// decode straight into a caller's (locked) buffer.
namespace pah::text {

// The length of `text` as a quoted, escaped JSON string literal.
std::size_t json_string_size(std::string_view text) noexcept;
// Writes the literal at `out` (room for json_string_size(text)); returns its end.
char* write_json_string(char* out, std::string_view text) noexcept;
void append_json_string(std::string& out, std::string_view text);

// A JSON object of string members ({"email":"...","password":"..."}), written straight
// into locked memory: a request body that carries a password or a 2FA code.
using StringMember = std::pair<std::string_view, std::string_view>;
SecretBuffer secret_json_object(std::initializer_list<StringMember> members);

// Decodes the body of a JSON string literal (what stands between its quotes) into `out`,
// which has room for body.size() bytes: the decoded length, or nullopt when the body is
// malformed (a control character, an unescaped quote, an unknown escape, a lone
// surrogate). The decoded text is never longer than the body.
std::optional<std::size_t> decode_json_string_body(std::string_view body, std::uint8_t* out) noexcept;
// One JSON string literal, white space around it allowed, decoded into locked memory.
std::optional<SecretBuffer> json_string_to_secret(std::string_view literal);

}  // namespace pah::text
