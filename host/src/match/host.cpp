// SPDX-License-Identifier: MIT
// Hosts for matching: internationalised names to A-labels (UTS 46 as browsers apply it,
// NFKC through libpsl), IP literals normalised, and the public suffix list.
#include <cstdint>
#include <vector>

#include <libpsl.h>

#include "match/ip_literal.hpp"
#include "match/url.hpp"
#include "text/ascii.hpp"
#include "text/percent.hpp"

namespace pah::match {

namespace {

constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

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

// NFKC and lower case for non-ASCII text, through libpsl (libunistring underneath).
std::optional<std::string> unicode_lower(const std::string& text) {
    char* lower = nullptr;
    if (psl_str_to_utf8lower(text.c_str(), "utf-8", nullptr, &lower) != PSL_SUCCESS || lower == nullptr) {
        return std::nullopt;
    }
    std::string out(lower);
    psl_free_string(lower);
    return out;
}

bool valid_ascii_label_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || text::is_digit(c) || c == '-' || c == '_';
}

std::optional<std::string> domain_to_ascii(std::string_view raw) {
    std::string text = text::percent_decode_lenient(raw);
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
                const char c = text::to_lower(static_cast<char>(cp));
                if (!valid_ascii_label_char(c)) {
                    return std::nullopt;
                }
                out += c;
            }
        } else {
            for (const char32_t cp : l) {
                // Forbidden ASCII next to Unicode, or controls, make it no host.
                if (cp < 0x80 && !valid_ascii_label_char(text::to_lower(static_cast<char>(cp)))) {
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

}  // namespace

std::optional<std::string> punycode_encode(std::u32string_view input) {
    constexpr std::uint32_t base = 36;
    constexpr std::uint32_t tmin = 1;
    constexpr std::uint32_t tmax = 26;
    constexpr std::uint32_t skew = 38;
    constexpr std::uint32_t damp = 700;
    constexpr std::uint32_t max = 0xFFFFFFFFU;
    auto digit = [](std::uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); };
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

}  // namespace pah::match
