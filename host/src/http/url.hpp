// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "protocol/error.hpp"
#include "text/percent.hpp"

namespace pah::http {

// The parts of an absolute http(s) URL that the transport rules look at.
struct UrlParts {
    std::string scheme;  // lower-case: "https" or "http"
    std::string host;    // lower-case; IPv6 literals without brackets
    std::string port;    // empty when the URL gives none
    std::string path;    // "/" when the URL gives none
    std::string query;   // without the '?'; empty when none
};

// Parses an absolute URL. Refuses anything but http/https, user info ("user@host")
// and fragments: none has a place in an API URL.
Result<UrlParts> parse_url(std::string_view url);

// 127.0.0.0/8, ::1 (also as ::ffff:127.x.y.z) and "localhost" (or "*.localhost").
bool is_loopback_host(std::string_view host) noexcept;

// The transport rule: https always; plain http only to a loopback host, where nothing
// crosses a network. Everything else is BAD_REQUEST with a message for a person.
Result<UrlParts> check_transport(std::string_view url);

using text::percent_encode;  // text/percent.hpp

}  // namespace pah::http
