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

#include <libpsl.h>

namespace pah::match {

namespace {

constexpr std::size_t kMaxUrlLength = 8192;
constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

char lower_ascii(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) noexcept {
    if (is_digit(c)) {
        return c - '0';
    }
    return lower_ascii(c) - 'a' + 10;
}

const psl_ctx_t* psl() noexcept {
    // The newest of Debian's publicsuffix file and the list built into libpsl.
    static const psl_ctx_t* const ctx = [] {
        const psl_ctx_t* latest = psl_latest(nullptr);
        return latest != nullptr ? latest : psl_builtin();
    }();
    return ctx;
}

// Strict UTF-8 → code points (no overlongs, surrogates or values past U+10FFFF).
std::optional<std::u32string> decode_utf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        std::size_t len = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (b0 < 0x80) {
            len = 1;
            cp = b0;
        } else if ((b0 & 0xE0U) == 0xC0U) {
            len = 2;
            cp = b0 & 0x1FU;
            min = 0x80;
        } else if ((b0 & 0xF0U) == 0xE0U) {
            len = 3;
            cp = b0 & 0x0FU;
            min = 0x800;
        } else if ((b0 & 0xF8U) == 0xF0U) {
            len = 4;
            cp = b0 & 0x07U;
            min = 0x10000;
        } else {
            return std::nullopt;
        }
        if (i + len > text.size()) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xC0U) != 0x80U) {
                return std::nullopt;
            }
            cp = (cp << 6U) | (b & 0x3FU);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return std::nullopt;
        }
        out.push_back(cp);
        i += len;
    }
    return out;
}

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
        } else if (base == 10 && is_digit(c)) {
            digit = c - '0';
        } else if (base == 8 && c >= '0' && c <= '7') {
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

std::string percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && is_hex(in[i + 1]) && is_hex(in[i + 2])) {
            out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

// NFKC and lower case for non-ASCII text, through libpsl (libunistring underneath).
std::optional<std::string> unicode_lower(const std::string& text) {
    char* lower = nullptr;
    if (psl_str_to_utf8lower(text.c_str(), "utf-8", nullptr, &lower) != PSL_SUCCESS ||
        lower == nullptr) {
        return std::nullopt;
    }
    std::string out(lower);
    psl_free_string(lower);
    return out;
}

bool valid_ascii_label_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
}

std::optional<std::string> domain_to_ascii(std::string_view raw) {
    std::string text = percent_decode(raw);
    bool ascii = true;
    for (const char c : text) {
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    }
    if (!ascii) {
        if (!decode_utf8(text)) {
            return std::nullopt;
        }
        // Twice: NFKC can turn a lower-case character into upper-case ones (U+3382 → "μA").
        auto lowered = unicode_lower(text);
        if (lowered) {
            lowered = unicode_lower(*lowered);
        }
        if (!lowered) {
            return std::nullopt;
        }
        text = std::move(*lowered);
    }
    auto cps = decode_utf8(text);
    if (!cps) {
        return std::nullopt;
    }
    // Ideographic full stops separate labels too (UTS 46).
    std::string host;
    std::u32string label;
    std::vector<std::u32string> labels;
    for (const char32_t cp : *cps) {
        if (cp == U'.' || cp == U'\u3002' || cp == U'\uFF0E' || cp == U'\uFF61') {
            labels.push_back(std::move(label));
            label.clear();
        } else {
            label.push_back(cp);
        }
    }
    labels.push_back(std::move(label));
    if (labels.size() > 1 && labels.back().empty()) {
        labels.pop_back();  // one trailing dot names the same host
    }
    for (const auto& l : labels) {
        if (l.empty()) {
            return std::nullopt;
        }
        bool label_ascii = true;
        for (const char32_t cp : l) {
            label_ascii = label_ascii && cp < 0x80;
        }
        std::string out;
        if (label_ascii) {
            for (const char32_t cp : l) {
                const char c = lower_ascii(static_cast<char>(cp));
                if (!valid_ascii_label_char(c)) {
                    return std::nullopt;
                }
                out += c;
            }
        } else {
            for (const char32_t cp : l) {
                // Forbidden ASCII next to Unicode, or controls, make it no host.
                if (cp < 0x80 && !valid_ascii_label_char(lower_ascii(static_cast<char>(cp)))) {
                    return std::nullopt;
                }
                if ((cp >= 0x80 && cp < 0xA0) || cp == 0xFFFD) {
                    return std::nullopt;
                }
            }
            std::u32string folded = l;
            for (char32_t& cp : folded) {
                if (cp >= U'A' && cp <= U'Z') {
                    cp = cp - U'A' + U'a';
                }
            }
            auto encoded = punycode_encode(folded);
            if (!encoded) {
                return std::nullopt;
            }
            out = "xn--" + *encoded;
        }
        if (out.size() > kMaxLabelLength) {
            return std::nullopt;
        }
        if (!host.empty()) {
            host += '.';
        }
        host += out;
    }
    if (host.empty() || host.size() > kMaxHostLength) {
        return std::nullopt;
    }
    return host;
}

bool valid_scheme(std::string_view s) {
    if (s.empty() || !is_alpha(s[0])) {
        return false;
    }
    for (const char c : s) {
        if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') {
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
        if (!is_digit(c)) {
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

std::optional<std::string> punycode_encode(std::u32string_view input) {
    constexpr std::uint32_t base = 36;
    constexpr std::uint32_t tmin = 1;
    constexpr std::uint32_t tmax = 26;
    constexpr std::uint32_t skew = 38;
    constexpr std::uint32_t damp = 700;
    constexpr std::uint32_t max = 0xFFFFFFFFU;
    auto digit = [](std::uint32_t d) {
        return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
    };
    auto adapt = [&](std::uint32_t delta, std::uint32_t points, bool first) {
        delta = first ? delta / damp : delta / 2;
        delta += delta / points;
        std::uint32_t k = 0;
        while (delta > ((base - tmin) * tmax) / 2) {
            delta /= base - tmin;
            k += base;
        }
        return k + (base - tmin + 1) * delta / (delta + skew);
    };

    std::string out;
    for (const char32_t cp : input) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        }
    }
    const auto basic = static_cast<std::uint32_t>(out.size());
    std::uint32_t handled = basic;
    if (basic > 0) {
        out += '-';
    }
    std::uint32_t n = 0x80;
    std::uint32_t delta = 0;
    std::uint32_t bias = 72;
    const auto total = static_cast<std::uint32_t>(input.size());
    while (handled < total) {
        std::uint32_t m = max;
        for (const char32_t cp : input) {
            if (static_cast<std::uint32_t>(cp) >= n && static_cast<std::uint32_t>(cp) < m) {
                m = static_cast<std::uint32_t>(cp);
            }
        }
        if (m - n > (max - delta) / (handled + 1)) {
            return std::nullopt;
        }
        delta += (m - n) * (handled + 1);
        n = m;
        for (const char32_t c : input) {
            const auto cp = static_cast<std::uint32_t>(c);
            if (cp < n) {
                if (++delta == 0) {
                    return std::nullopt;
                }
            }
            if (cp == n) {
                std::uint32_t q = delta;
                for (std::uint32_t k = base;; k += base) {
                    const std::uint32_t t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias);
                    if (q < t) {
                        break;
                    }
                    out += digit(t + (q - t) % (base - t));
                    q = (q - t) / (base - t);
                }
                out += digit(q);
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                ++handled;
            }
        }
        ++delta;
        ++n;
    }
    return out;
}

std::optional<std::string> normalize_host(std::string_view host, bool* is_ip) {
    if (is_ip != nullptr) {
        *is_ip = false;
    }
    if (host.empty()) {
        return std::nullopt;
    }
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return std::nullopt;
        }
        auto v6 = parse_ipv6(host.substr(1, host.size() - 2));
        if (v6 && is_ip != nullptr) {
            *is_ip = true;
        }
        return v6;
    }
    auto ascii = domain_to_ascii(host);
    if (!ascii) {
        return std::nullopt;
    }
    if (ends_in_number(*ascii)) {
        auto v4 = parse_ipv4(*ascii);
        if (v4 && is_ip != nullptr) {
            *is_ip = true;
        }
        return v4;
    }
    return ascii;
}

std::string registrable_domain(std::string_view host) {
    const std::string h(host);
    const char* reg = psl_registrable_domain(psl(), h.c_str());
    return reg == nullptr ? std::string() : std::string(reg);
}

bool is_listed_public_suffix(std::string_view host) {
    const std::string h(host);
    return psl_is_public_suffix2(psl(), h.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
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
            url.scheme += lower_ascii(c);
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
            if (!is_digit(c)) {
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
