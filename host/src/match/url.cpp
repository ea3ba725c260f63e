// SPDX-License-Identifier: MIT
// A small URL parser for credential matching. It follows the WHATWG URL standard where
// that changes which host a URL names (userinfo, backslashes, IPv4 number forms, IDN),
// and ignores what matching does not need (query, fragment, path normalisation).
#include "match/url.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "text/ascii.hpp"
#include "text/percent.hpp"

namespace pah::match {

namespace {

bool valid_scheme(std::string_view s) {
    if (s.empty() || !text::is_alpha(s[0])) {
        return false;
    }
    for (const char c : s) {
        if (!text::is_alpha(c) && !text::is_digit(c) && c != '+' && c != '-' && c != '.') {
            return false;
        }
    }
    return true;
}

bool all_digits_until_delimiter(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) {
        if (c == '/' || c == '\\' || c == '?' || c == '#') {
            break;
        }
        if (!text::is_digit(c)) {
            return false;
        }
        ++n;
    }
    return n > 0;
}

}  // namespace

int default_port(std::string_view scheme) noexcept {
    if (scheme == "https") {
        return 443;
    }
    if (scheme == "http") {
        return 80;
    }
    return 0;
}

std::optional<ParsedUrl> parse_url(std::string_view text) {
    // Leading and trailing C0 controls and spaces go; tabs and newlines inside too.
    while (!text.empty() && static_cast<unsigned char>(text.front()) <= 0x20) {
        text.remove_prefix(1);
    }
    while (!text.empty() && static_cast<unsigned char>(text.back()) <= 0x20) {
        text.remove_suffix(1);
    }
    if (text.empty() || text.size() > kMaxUrlLength) {
        return std::nullopt;
    }
    std::string s;
    s.reserve(text.size());
    for (const char c : text) {
        if (c != '\t' && c != '\n' && c != '\r') {
            s += c;
        }
    }

    ParsedUrl url;
    std::string_view rest = s;
    const auto colon = rest.find(':');
    const bool has_scheme = colon != std::string_view::npos &&
                            valid_scheme(rest.substr(0, colon)) &&
                            !all_digits_until_delimiter(rest.substr(colon + 1));
    if (has_scheme) {
        for (const char c : rest.substr(0, colon)) {
            url.scheme += text::to_lower(c);
        }
        rest.remove_prefix(colon + 1);
        if (url.scheme != "http" && url.scheme != "https") {
            // file:, about:, data:, javascript:, chrome://... are never matched.
            url.path.clear();
            return url;
        }
    } else {
        url.scheme = "https";
        url.bare = true;
    }
    while (!rest.empty() && (rest.front() == '/' || rest.front() == '\\')) {
        rest.remove_prefix(1);
    }

    const auto authority_end = rest.find_first_of("/\\?#");
    std::string_view authority = rest.substr(0, authority_end);
    const std::string_view after =
        authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        authority.remove_prefix(at + 1);  // userinfo never names the host
    }

    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        host = authority.substr(0, close + 1);
        const auto tail = authority.substr(close + 1);
        if (!tail.empty()) {
            if (tail.front() != ':') {
                return std::nullopt;
            }
            port = tail.substr(1);
        }
    } else if (const auto c = authority.rfind(':'); c != std::string_view::npos) {
        host = authority.substr(0, c);
        port = authority.substr(c + 1);
    }

    bool is_ip = false;
    auto normalized = normalize_host(host, &is_ip);
    if (!normalized) {
        return std::nullopt;
    }
    url.host = std::move(*normalized);
    url.is_ip = is_ip;

    url.port = default_port(url.scheme);
    if (!port.empty()) {
        int value = 0;
        for (const char c : port) {
            if (!text::is_digit(c)) {
                return std::nullopt;
            }
            value = value * 10 + (c - '0');
            if (value > 65535) {
                return std::nullopt;
            }
        }
        url.port = value;
        url.explicit_port = value != default_port(url.scheme);
    }

    std::string path;
    for (const char c : after) {
        if (c == '?' || c == '#') {
            break;
        }
        path += c == '\\' ? '/' : c;
    }
    url.path = path.empty() ? "/" : std::move(path);

    if (!url.is_ip) {
        url.registrable_domain = registrable_domain(url.host);
        if (url.registrable_domain.empty()) {
            url.is_public_suffix = is_listed_public_suffix(url.host);
        }
    }
    return url;
}

}  // namespace pah::match
