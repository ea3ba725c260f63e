// SPDX-License-Identifier: MIT
#include "http/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

#include <cstdint>
#include "text/ascii.hpp"

namespace pah::http {

namespace {

bool valid_host_char(char c) noexcept { return text::is_alnum(c) || c == '-' || c == '.' || c == '_'; }

bool all_digits(std::string_view text) noexcept {
    return !text.empty() && std::ranges::all_of(text, [](char c) { return text::is_digit(c); });
}

}  // namespace

Result<UrlParts> parse_url(std::string_view url) {
    const auto bad = [&](std::string_view why) {
        return fail(ErrorCode::BadRequest, "The address \"" + std::string(url.substr(0, 200)) +
                                               "\" is not usable: " + std::string(why) + ".");
    };
    if (url.size() > 8192) {
        return bad("it is too long");
    }
    if (std::ranges::any_of(url, [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u <= 0x20 || u >= 0x7f;
        })) {
        return bad("it contains spaces or control characters");
    }
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return bad("it has no scheme (https://)");
    }
    UrlParts parts;
    parts.scheme = text::to_lower(url.substr(0, scheme_end));
    if (parts.scheme != "https" && parts.scheme != "http") {
        return bad("only https:// addresses are supported");
    }
    std::string_view rest = url.substr(scheme_end + 3);
    if (rest.find('#') != std::string_view::npos) {
        return bad("it has a fragment (#)");
    }
    const auto authority_end = rest.find_first_of("/?");
    const std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    if (authority.find('@') != std::string_view::npos) {
        return bad("it contains a user name");
    }
    std::string_view host;
    std::string_view port;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return bad("its IPv6 address has no closing bracket");
        }
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (!after.starts_with(':')) {
                return bad("it has junk after the IPv6 address");
            }
            port = after.substr(1);
        }
        std::array<unsigned char, 16> buf{};
        const std::string host_text(host);
        if (::inet_pton(AF_INET6, host_text.c_str(), buf.data()) != 1) {
            return bad("its IPv6 address is malformed");
        }
    } else {
        const auto colon = authority.rfind(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
        }
        if (!std::ranges::all_of(host, valid_host_char)) {
            return bad("its host name has characters that are not allowed");
        }
    }
    if (host.empty()) {
        return bad("it has no host");
    }
    if (authority.find(':') != std::string_view::npos && !authority.starts_with('[') && port.empty()) {
        return bad("its port is empty");
    }
    if (!port.empty() && (!all_digits(port) || port.size() > 5 || std::stoul(std::string(port)) > 65535 ||
                          std::stoul(std::string(port)) == 0)) {
        return bad("its port is not a number from 1 to 65535");
    }
    parts.host = text::to_lower(host);
    parts.port = std::string(port);
    const auto q = tail.find('?');
    parts.path = std::string(tail.substr(0, q));
    if (parts.path.empty()) {
        parts.path = "/";
    }
    if (q != std::string_view::npos) {
        parts.query = std::string(tail.substr(q + 1));
    }
    return parts;
}

bool is_loopback_host(std::string_view host) noexcept {
    std::string h;
    try {
        h = text::to_lower(host);
    } catch (...) {
        return false;
    }
    if (h.starts_with('[') && h.ends_with(']')) {
        h = h.substr(1, h.size() - 2);
    }
    if (h == "localhost" || h.ends_with(".localhost")) {
        return true;
    }
    std::array<unsigned char, 16> buf{};
    if (::inet_pton(AF_INET, h.c_str(), buf.data()) == 1) {
        return buf[0] == 127;
    }
    if (::inet_pton(AF_INET6, h.c_str(), buf.data()) == 1) {
        static constexpr std::array<unsigned char, 16> kLoop{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        if (buf == kLoop) {
            return true;
        }
        // ::ffff:127.x.y.z (IPv4-mapped)
        const bool mapped = std::all_of(buf.begin(), buf.begin() + 10, [](unsigned char b) { return b == 0; }) &&
                            buf[10] == 0xff && buf[11] == 0xff;
        return mapped && buf[12] == 127;
    }
    return false;
}

Result<UrlParts> check_transport(std::string_view url) {
    auto parts = parse_url(url);
    if (!parts) {
        return parts;
    }
    if (parts->scheme == "http" && !is_loopback_host(parts->host)) {
        return fail(ErrorCode::BadRequest,
                    "Plain http:// is only allowed to this computer (localhost); use https:// for \"" +
                        parts->host + "\".");
    }
    return parts;
}

}  // namespace pah::http
