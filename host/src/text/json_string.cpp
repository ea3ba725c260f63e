// SPDX-License-Identifier: MIT
#include "text/json_string.hpp"

namespace pah::text {

namespace {

// The escape of one byte, or an empty view when it stands for itself. \u00XX for the
// other control characters is written by the callers (it needs the byte's digits).
std::string_view short_escape(char c) noexcept {
    switch (c) {
        case '"': return "\\\"";
        case '\\': return "\\\\";
        case '\n': return "\\n";
        case '\r': return "\\r";
        case '\t': return "\\t";
        default: return {};
    }
}

bool needs_unicode_escape(char c) noexcept {
    return static_cast<unsigned char>(c) < 0x20 && short_escape(c).empty();
}

}  // namespace

std::size_t json_string_size(std::string_view text) noexcept {
    std::size_t size = 2;
    for (const char c : text) {
        if (const auto esc = short_escape(c); !esc.empty()) {
            size += esc.size();
        } else {
            size += needs_unicode_escape(c) ? std::size_t{6} : std::size_t{1};
        }
    }
    return size;
}

char* write_json_string(char* out, std::string_view text) noexcept {
    static constexpr char kHex[] = "0123456789abcdef";
    *out++ = '"';
    for (const char c : text) {
        if (const auto esc = short_escape(c); !esc.empty()) {
            out += esc.copy(out, esc.size());
        } else if (needs_unicode_escape(c)) {
            const auto u = static_cast<unsigned char>(c);
            *out++ = '\\';
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = kHex[u >> 4U];
            *out++ = kHex[u & 0x0fU];
        } else {
            *out++ = c;
        }
    }
    *out++ = '"';
    return out;
}

void append_json_string(std::string& out, std::string_view text) {
    const std::size_t start = out.size();
    out.resize(start + json_string_size(text));
    write_json_string(out.data() + start, text);
}

}  // namespace pah::text
