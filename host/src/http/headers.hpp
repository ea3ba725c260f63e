// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

// Reading a response's header lines and the header values backends act on. All of it is
// outside input; nothing here throws or allocates without bound.
namespace pah::http {

// Lower-case names; a repeated header's values are joined with ", ".
using HeaderMap = std::map<std::string, std::string>;

// One raw header line as libcurl hands it over (CRLF included). A status line
// ("HTTP/1.1 429 ...") starts a new response: the headers so far are dropped and
// *status is set (0 when unreadable). Lines without a name are ignored.
void add_header_line(std::string_view line, HeaderMap& headers, long* status);

// Unix seconds of an HTTP-date: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850
// ("Sunday, 06-Nov-94 08:49:37 GMT") or asctime ("Sun Nov  6 08:49:37 1994").
std::optional<std::int64_t> parse_http_date(std::string_view text);

// Retry-After as seconds from `now` (Unix seconds): delta-seconds or an HTTP-date; a
// date in the past is 0; absurdly long delays are capped at INT32_MAX.
std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now);

}  // namespace pah::http
