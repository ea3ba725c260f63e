// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

// IP literals in hosts, the WHATWG URL way (for match/host.cpp).
namespace pah::match {

// True when the last label is a number (decimal, 0x-hex, 0-octal): the host must then
// be an IPv4 address.
bool ends_in_number(std::string_view host);
// IPv4 in any WHATWG number form → dotted decimal; nullopt when not a valid address.
std::optional<std::string> parse_ipv4(std::string_view host);
// Inside the brackets (WHATWG IPv6 parser); returns the RFC 5952 text with brackets.
std::optional<std::string> parse_ipv6(std::string_view in);

}  // namespace pah::match
