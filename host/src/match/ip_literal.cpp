// SPDX-License-Identifier: MIT
#include "match/ip_literal.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <vector>

#include "text/ascii.hpp"

namespace pah::match {

namespace {

using text::hex_value;
using text::is_alpha;
using text::is_digit;
using text::is_hex;

// WHATWG IPv4 number: decimal, 0x-hex or 0-octal. nullopt when not a number.
std::optional<std::uint64_t> parse_ipv4_number(std::string_view part) {
    if (part.empty()) {
        return std::nullopt;
    }
    int base = 10;
    if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
        base = 16;
        part.remove_prefix(2);
    } else if (part.size() >= 2 && part[0] == '0') {
        base = 8;
        part.remove_prefix(1);
    }
    if (part.empty()) {
        return 0;
    }
    std::uint64_t value = 0;
    for (const char c : part) {
        int digit = 0;
        if (base == 16 && is_hex(c)) {
            digit = hex_value(c);
        } else if ((base == 10 && is_digit(c)) || (base == 8 && c >= '0' && c <= '7')) {
            digit = c - '0';
        } else {
            return std::nullopt;
        }
        value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(digit);
        if (value > 0xFFFFFFFFULL) {
            return 0x100000000ULL;  // too large: reported by the caller's range check
        }
    }
    return value;
}

}  // namespace

bool ends_in_number(std::string_view host) {
    auto dot = host.rfind('.');
    std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
    if (last.empty()) {
        return false;
    }
    bool all_digits = true;
    for (const char c : last) {
        all_digits = all_digits && is_digit(c);
    }
    if (all_digits) {
        return true;
    }
    return parse_ipv4_number(last).has_value() && last.size() >= 2 && last[0] == '0' &&
           (last[1] == 'x' || last[1] == 'X');
}

std::optional<std::string> parse_ipv4(std::string_view host) {
    std::array<std::uint64_t, 4> parts{};
    std::size_t count = 0;
    std::size_t start = 0;
    while (true) {
        const auto dot = host.find('.', start);
        const auto part =
            host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (count == 4) {
            return std::nullopt;
        }
        auto value = parse_ipv4_number(part);
        if (!value) {
            return std::nullopt;
        }
        parts[count++] = *value;
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    std::uint64_t address = 0;
    for (std::size_t k = 0; k + 1 < count; ++k) {
        if (parts[k] > 255) {
            return std::nullopt;
        }
        address = (address << 8U) | parts[k];
    }
    const std::uint64_t last = parts[count - 1];
    const auto remaining_bits = 8U * static_cast<unsigned>(5 - count);
    if (last >= (1ULL << remaining_bits)) {
        return std::nullopt;
    }
    address = (address << remaining_bits) | last;
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        out += std::to_string((address >> static_cast<unsigned>(shift)) & 0xFFU);
        if (shift != 0) {
            out += '.';
        }
    }
    return out;
}

// Inside the brackets (WHATWG IPv6 parser); returns the RFC 5952 text with brackets.
std::optional<std::string> parse_ipv6(std::string_view in) {
    std::array<std::uint16_t, 8> pieces{};
    std::size_t piece = 0;
    std::optional<std::size_t> compress;
    std::size_t i = 0;
    const std::size_t n = in.size();
    if (n > 0 && in[0] == ':') {
        if (n < 2 || in[1] != ':') {
            return std::nullopt;
        }
        i = 2;
        ++piece;
        compress = piece;
    }
    while (i < n) {
        if (piece == 8) {
            return std::nullopt;
        }
        if (in[i] == ':') {
            if (compress) {
                return std::nullopt;
            }
            ++i;
            ++piece;
            compress = piece;
            continue;
        }
        unsigned value = 0;
        std::size_t length = 0;
        while (length < 4 && i < n && is_hex(in[i])) {
            value = value * 16U + static_cast<unsigned>(hex_value(in[i]));
            ++i;
            ++length;
        }
        if (i < n && in[i] == '.') {
            // An embedded IPv4 address fills the last two pieces.
            if (length == 0 || piece > 6) {
                return std::nullopt;
            }
            i -= length;
            std::size_t seen = 0;
            while (i < n) {
                if (seen > 0) {
                    if (in[i] != '.' || seen >= 4) {
                        return std::nullopt;
                    }
                    ++i;
                }
                if (i >= n || !is_digit(in[i])) {
                    return std::nullopt;
                }
                unsigned octet = 0;
                std::size_t digits = 0;
                while (i < n && is_digit(in[i])) {
                    if (digits > 0 && octet == 0) {
                        return std::nullopt;  // no leading zeros
                    }
                    octet = octet * 10U + static_cast<unsigned>(in[i] - '0');
                    if (octet > 255) {
                        return std::nullopt;
                    }
                    ++i;
                    ++digits;
                }
                pieces[piece] = static_cast<std::uint16_t>(pieces[piece] * 0x100U + octet);
                ++seen;
                if (seen == 2 || seen == 4) {
                    ++piece;
                }
            }
            if (seen != 4) {
                return std::nullopt;
            }
            break;
        }
        if (i < n && in[i] == ':') {
            ++i;
            if (i >= n) {
                return std::nullopt;
            }
        } else if (i < n) {
            return std::nullopt;
        }
        pieces[piece] = static_cast<std::uint16_t>(value);
        ++piece;
    }
    if (compress) {
        std::size_t swaps = piece - *compress;
        std::size_t to = 7;
        while (to != 0 && swaps > 0) {
            std::swap(pieces[to], pieces[*compress + swaps - 1]);
            --to;
            --swaps;
        }
    } else if (piece != 8) {
        return std::nullopt;
    }
    // RFC 5952: compress the first longest run of two or more zero pieces.
    std::size_t best_start = 8;
    std::size_t best_len = 1;
    for (std::size_t k = 0; k < 8;) {
        if (pieces[k] != 0) {
            ++k;
            continue;
        }
        std::size_t end = k;
        while (end < 8 && pieces[end] == 0) {
            ++end;
        }
        if (end - k > best_len) {
            best_start = k;
            best_len = end - k;
        }
        k = end;
    }
    std::string out = "[";
    for (std::size_t k = 0; k < 8; ++k) {
        if (k == best_start) {
            out += (k == 0) ? "::" : ":";
            k += best_len - 1;
            continue;
        }
        std::array<char, 8> buf{};
        auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), pieces[k], 16);
        (void)ec;
        out.append(buf.data(), end);
        if (k != 7) {
            out += ':';
        }
    }
    out += ']';
    return out;
}

}  // namespace pah::match
