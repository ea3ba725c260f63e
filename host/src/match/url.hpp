// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pah::match {

// A URL reduced to what credential matching needs. Parsed from untrusted text (a page's
// URL from the extension, an entry's url or website field), never throws.
struct ParsedUrl {
    std::string scheme;  // lower-case ("https"); "https" for a bare host
    // Lower-case ASCII: internationalised labels as punycode A-labels, no trailing dot;
    // IPv4 in dotted decimal, IPv6 in RFC 5952 form inside brackets ("[::1]").
    // Empty for schemes other than http/https (only the scheme is kept for them).
    std::string host;
    int port = 0;                    // the explicit port, else the scheme's default
    bool explicit_port = false;      // a port other than the scheme's default was given
    bool bare = false;               // no scheme was given ("github.com/login")
    std::string path = "/";          // without query or fragment
    std::string registrable_domain;  // by the public suffix list; empty for IPs, suffixes
    bool is_ip = false;
    bool is_public_suffix = false;   // the host itself is listed (co.uk, github.io)

    // http or https with a host: something credentials can be matched against.
    [[nodiscard]] bool is_web() const noexcept {
        return !host.empty() && (scheme == "https" || scheme == "http");
    }
};

// The longest URL parse_url reads (after trimming); longer text is refused.
inline constexpr std::size_t kMaxUrlLength = 8192;

// Accepts absolute URLs and bare hosts ("github.com", "github.com:8443/login"; https is
// assumed for those). Userinfo is dropped ("https://a.com@b.com/" is b.com). Returns
// nullopt for text that has no valid host where one is required, or longer than
// kMaxUrlLength.
std::optional<ParsedUrl> parse_url(std::string_view text);

// The scheme's default port (80, 443), or 0 when it has none.
int default_port(std::string_view scheme) noexcept;

// Lower-case ASCII form of one host (IDN → A-labels, IP literals normalised), or nullopt
// when it is not a valid host. Exposed for tests.
std::optional<std::string> normalize_host(std::string_view host, bool* is_ip);

// The registrable domain (eTLD+1) of a normalised host by the public suffix list, or ""
// when the host is itself a public suffix (co.uk, github.io) or has a single label.
std::string registrable_domain(std::string_view host);

// True when the host is listed in the public suffix list itself (co.uk, github.io, com);
// false for single-label names like "localhost" that only the implicit "*" rule covers.
bool is_listed_public_suffix(std::string_view host);

// RFC 3492 Punycode of one label given as Unicode code points; nullopt on overflow.
std::optional<std::string> punycode_encode(std::u32string_view label);

}  // namespace pah::match
