// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

// ASCII character classes and case: locale-independent, unlike <cctype>.
namespace pah::text {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || is_digit(c); }
constexpr bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// 0..15 for a hex digit, -1 for anything else.
constexpr int hex_value(char c) noexcept {
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

constexpr char to_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
std::string to_lower(std::string_view text);
bool iequals(std::string_view a, std::string_view b) noexcept;
// Without ASCII white space (space, tab, CR, LF, VT, FF) at either end.
std::string_view trim(std::string_view text) noexcept;

}  // namespace pah::text
