// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

// JSON from outside, read with its bounds enforced while parsing (nlohmann's SAX
// parser under a handler that counts), never after: a 100,000-deep document stops at
// the limit instead of recursing through the stack later (dump, destruction, wipes).
namespace pah::text {

struct JsonLimits {
    std::size_t max_depth = 128;              // nested objects and arrays
    std::size_t max_string_bytes = 1U << 20;  // one string or key
    std::size_t max_values = 1U << 20;        // values and keys in all
    // An object that names a member twice is refused (I-JSON, RFC 7493 2.3), the members
    // a tap took included, instead of the last one silently winning.
    bool unique_keys = false;
};

enum class JsonFault {
    None,
    Syntax,        // not JSON
    TooDeep,       // nested deeper than max_depth
    TooLarge,      // a string over max_string_bytes, or more than max_values values
    DuplicateKey,  // unique_keys, and an object names a member twice
};

// Sees each string value with the object keys that lead to it ("" for an array
// element). Returning true takes the value: it is left out of the document. `value` is
// the parser's own buffer, zeroed right after the call; copy it into locked memory
// (SecretBuffer) and nowhere else.
using StringTap = std::function<bool(std::span<const std::string> path, std::string_view value)>;

struct JsonRead {
    nlohmann::json value;  // discarded unless fault is None
    JsonFault fault = JsonFault::None;
};

// Every buffer the parser allocates is zeroed when freed, and the stack it used is
// zeroed on return, so a string a tap took leaves no copy behind; `text` stays the
// caller's to wipe.
JsonRead read_json(std::string_view text, const JsonLimits& limits = {}, const StringTap& tap = {});

// Bounds for JSON a server or a sharer controls (replies, decrypted plaintexts, SSE
// data): depth 128 as everywhere; one string may be as long as the largest reply
// http/ accepts (http/reply_limits.hpp); a million values keep the parsed document far
// below the host's 128 MiB budget.
inline constexpr JsonLimits kOutsideJsonLimits{128, std::size_t{16} << 20U, std::size_t{1} << 20U};

// read_json(text, limits).value: the document, or a discarded value when the text is
// not JSON or breaks a bound. Use it where json::parse(text, nullptr, false) would go.
nlohmann::json parse_json(std::string_view text, const JsonLimits& limits = kOutsideJsonLimits);

}  // namespace pah::text
