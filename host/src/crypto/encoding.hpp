// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "secure/secret_buffer.hpp"
#include "text/ascii.hpp"

namespace pah {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// The bytes of a string, without copying.
inline ByteView as_bytes(std::string_view text) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}
inline std::string_view as_text(ByteView bytes) noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Base64 (RFC 4648 §4 and §5). The decoder accepts either alphabet, padded or not,
// ignores whitespace around the text (not inside it) and refuses anything else
// (stray characters, '=' before the end, a length that cannot be base64).
std::optional<Bytes> base64_decode(std::string_view text);
std::optional<SecretBuffer> base64_decode_secret(std::string_view text);
std::string base64_encode(ByteView bytes, bool url_safe = false, bool pad = true);

// Hex: lowercase out; either case in, even length, nothing else.
std::optional<Bytes> hex_decode(std::string_view text);
std::optional<SecretBuffer> hex_decode_secret(std::string_view text);
std::string hex_encode(ByteView bytes);

// RFC 4648 base32 as TOTP secrets use it: case ignored, spaces, tabs and dashes ignored,
// '=' padding optional (only at the end); trailing bits that do not fill a byte are
// dropped, like every authenticator app does.
std::optional<Bytes> base32_decode(std::string_view text);
std::optional<SecretBuffer> base32_decode_secret(std::string_view text);
std::string base32_encode(ByteView bytes, bool pad = true);

// Passwork's base32 (npm base32@0.0.7): alphabet 0123456789abcdefghjkmnpqrtuvwxyz,
// lowercase, no padding. The decoder ignores case, reads o as 0, i and l as 1, s as 5,
// and skips every other character (as the JS library does); it cannot fail.
Bytes passwork_base32_decode(std::string_view text);
std::string passwork_base32_encode(ByteView bytes);

// Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(ByteView bytes) noexcept;

// The value of one hexadecimal digit (either case), or -1 (text::hex_value).
inline int hex_digit_value(char c) noexcept { return text::hex_value(c); }

}  // namespace pah
