// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

// RFC 3986 percent-encoding, both ways.
namespace pah::text {

// Everything but the unreserved characters (A-Z a-z 0-9 - . _ ~), as %XX upper-case:
// safe for a path segment or a query value.
std::string percent_encode(std::string_view text);

// decodeURIComponent: every % must start a %XX ('+' stays '+'); nullopt otherwise.
std::optional<std::string> percent_decode(std::string_view text);

// The WHATWG URL parser's way: %XX is decoded, a % that starts no %XX stays as it is.
std::string percent_decode_lenient(std::string_view text);

}  // namespace pah::text
