// SPDX-License-Identifier: MIT
#include "text/json_string.hpp"

#include "text/ascii.hpp"

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

SecretBuffer secret_json_object(std::initializer_list<StringMember> members) {
    std::size_t size = 2;  // {}
    for (const auto& [key, value] : members) {
        size += json_string_size(key) + 1 + json_string_size(value) + 1;  // "key":"value",
    }
    if (members.size() > 0) {
        --size;  // no comma after the last
    }
    SecretBuffer out(size);
    char* at = reinterpret_cast<char*>(out.data());
    *at++ = '{';
    for (const auto& [key, value] : members) {
        if (at != reinterpret_cast<char*>(out.data()) + 1) {
            *at++ = ',';
        }
        at = write_json_string(at, key);
        *at++ = ':';
        at = write_json_string(at, value);
    }
    *at = '}';
    return out;
}

namespace {

std::optional<std::uint32_t> read_hex4(std::string_view text) noexcept {
    if (text.size() < 4) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    for (const char c : text.substr(0, 4)) {
        const int digit = hex_value(c);
        if (digit < 0) {
            return std::nullopt;
        }
        value = (value << 4) | static_cast<std::uint32_t>(digit);
    }
    return value;
}

// The byte a one-letter escape stands for; 0 for none (\u is handled apart).
char unescape(char letter) noexcept {
    switch (letter) {
        case '"': return '"';
        case '\\': return '\\';
        case '/': return '/';
        case 'b': return '\b';
        case 'f': return '\f';
        case 'n': return '\n';
        case 'r': return '\r';
        case 't': return '\t';
        default: return 0;
    }
}

std::size_t put_utf8(std::uint8_t* out, std::uint32_t cp) noexcept {
    if (cp < 0x80) {
        out[0] = static_cast<std::uint8_t>(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = static_cast<std::uint8_t>(0xC0 | (cp >> 6));
        out[1] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = static_cast<std::uint8_t>(0xE0 | (cp >> 12));
        out[1] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = static_cast<std::uint8_t>(0xF0 | (cp >> 18));
    out[1] = static_cast<std::uint8_t>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
    return 4;
}

bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::optional<std::size_t> decode_json_string_body(std::string_view body, std::uint8_t* out) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const auto c = static_cast<unsigned char>(body[i]);
        if (c == '"' || c < 0x20) {
            return std::nullopt;  // an unescaped quote ends the literal early; controls are invalid
        }
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        if (++i >= body.size()) {
            return std::nullopt;
        }
        if (body[i] != 'u') {
            const char byte = unescape(body[i]);
            if (byte == 0) {
                return std::nullopt;
            }
            out[n++] = static_cast<std::uint8_t>(byte);
            continue;
        }
        // \uXXXX is 6 bytes in and at most 3 out; a surrogate pair is 12 in and 4 out.
        auto cp = read_hex4(body.substr(i + 1));
        if (!cp || (*cp >= 0xDC00 && *cp <= 0xDFFF)) {
            return std::nullopt;  // not hex, or a lone low surrogate
        }
        i += 4;
        if (*cp >= 0xD800 && *cp <= 0xDBFF) {
            if (i + 2 >= body.size() || body[i + 1] != '\\' || body[i + 2] != 'u') {
                return std::nullopt;  // a lone high surrogate
            }
            const auto low = read_hex4(body.substr(i + 3));
            if (!low || *low < 0xDC00 || *low > 0xDFFF) {
                return std::nullopt;
            }
            i += 6;
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00);
        }
        n += put_utf8(out + n, *cp);
    }
    return n;
}

std::optional<SecretBuffer> json_string_to_secret(std::string_view literal) {
    while (!literal.empty() && is_json_space(literal.front())) {
        literal.remove_prefix(1);
    }
    while (!literal.empty() && is_json_space(literal.back())) {
        literal.remove_suffix(1);
    }
    if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') {
        return std::nullopt;
    }
    const std::string_view body = literal.substr(1, literal.size() - 2);
    SecretBuffer out(body.size());
    const auto n = decode_json_string_body(body, out.data());
    if (!n) {
        return std::nullopt;
    }
    out.truncate(*n);
    return out;
}

}  // namespace pah::text
