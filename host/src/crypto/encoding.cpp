// SPDX-License-Identifier: MIT
#include "crypto/encoding.hpp"

#include <array>
#include <cstddef>

namespace pah {

namespace {

constexpr std::string_view kB64Std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kB64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kB32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kPassworkB32 = "0123456789abcdefghjkmnpqrtuvwxyz";
constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::uint8_t kInvalid = 0xff;

using Table = std::array<std::uint8_t, 256>;

constexpr Table make_b64_table() {
    Table table{};
    table.fill(kInvalid);
    for (std::size_t i = 0; i < 64; ++i) {
        table[static_cast<unsigned char>(kB64Std[i])] = static_cast<std::uint8_t>(i);
        table[static_cast<unsigned char>(kB64Url[i])] = static_cast<std::uint8_t>(i);
    }
    return table;
}

constexpr Table make_b32_table() {
    Table table{};
    table.fill(kInvalid);
    for (std::size_t i = 0; i < 32; ++i) {
        const auto upper = static_cast<unsigned char>(kB32[i]);
        table[upper] = static_cast<std::uint8_t>(i);
        if (upper >= 'A' && upper <= 'Z') {
            table[upper + 32U] = static_cast<std::uint8_t>(i);
        }
    }
    return table;
}

constexpr Table make_passwork_table() {
    Table table{};
    table.fill(kInvalid);
    for (std::size_t i = 0; i < 32; ++i) {
        const auto lower = static_cast<unsigned char>(kPassworkB32[i]);
        table[lower] = static_cast<std::uint8_t>(i);
        if (lower >= 'a' && lower <= 'z') {
            table[lower - 32U] = static_cast<std::uint8_t>(i);
        }
    }
    // The JS library's aliases, after its toLowerCase().
    const std::pair<char, char> aliases[] = {{'o', '0'}, {'i', '1'}, {'l', '1'}, {'s', '5'}};
    for (const auto& [alias, digit] : aliases) {
        const std::uint8_t value = table[static_cast<unsigned char>(digit)];
        table[static_cast<unsigned char>(alias)] = value;
        table[static_cast<unsigned char>(alias) - 32U] = value;
    }
    return table;
}

constexpr Table kB64Table = make_b64_table();
constexpr Table kB32Table = make_b32_table();
constexpr Table kPassworkTable = make_passwork_table();

constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

// The writers below decode into `out` (sized by the caller to an upper bound) and
// return how many bytes they wrote, so that secrets go straight to locked memory.

std::optional<std::size_t> base64_decode_into(std::string_view text, std::uint8_t* out) {
    text = trim(text);
    std::size_t padding = 0;
    while (!text.empty() && text.back() == '=' && padding < 2) {
        text.remove_suffix(1);
        ++padding;
    }
    if (padding > 0 && (text.size() + padding) % 4 != 0) {
        return std::nullopt;
    }
    if (text.size() % 4 == 1) {
        return std::nullopt;
    }
    std::uint32_t acc = 0;
    unsigned bits = 0;
    std::size_t written = 0;
    for (const char c : text) {
        const std::uint8_t value = kB64Table[static_cast<unsigned char>(c)];
        if (value == kInvalid) {
            return std::nullopt;
        }
        acc = ((acc << 6) | value) & 0xffffffU;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[written++] = static_cast<std::uint8_t>((acc >> bits) & 0xffU);
        }
    }
    return written;
}

std::size_t base64_max_size(std::string_view text) noexcept {
    return text.size() / 4 * 3 + 3;
}

std::optional<std::size_t> base32_decode_into(std::string_view text, std::uint8_t* out) {
    text = trim(text);
    bool seen_padding = false;
    std::uint32_t acc = 0;
    unsigned bits = 0;
    std::size_t written = 0;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '-') {
            continue;
        }
        if (c == '=') {
            seen_padding = true;
            continue;
        }
        if (seen_padding) {
            return std::nullopt;  // data after padding
        }
        const std::uint8_t value = kB32Table[static_cast<unsigned char>(c)];
        if (value == kInvalid) {
            return std::nullopt;
        }
        acc = ((acc << 5) | value) & 0xffffU;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out[written++] = static_cast<std::uint8_t>((acc >> bits) & 0xffU);
        }
    }
    return written;
}

std::optional<std::size_t> hex_decode_into(std::string_view text, std::uint8_t* out) {
    if (text.size() % 2 != 0) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_digit_value(text[i]);
        const int lo = hex_digit_value(text[i + 1]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out[i / 2] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    return text.size() / 2;
}

template <class Decoder>
std::optional<Bytes> decode_to_vector(std::string_view text, std::size_t max_size, Decoder decode) {
    Bytes out(max_size);
    const auto written = decode(text, out.data());
    if (!written) {
        return std::nullopt;
    }
    out.resize(*written);
    return out;
}

template <class Decoder>
std::optional<SecretBuffer> decode_to_secret(std::string_view text, std::size_t max_size,
                                             Decoder decode) {
    SecretBuffer out(max_size);
    const auto written = decode(text, out.data());
    if (!written) {
        return std::nullopt;
    }
    out.truncate(*written);
    return out;
}

std::string encode_bits(ByteView bytes, std::string_view alphabet, unsigned width) {
    std::string out;
    out.reserve((bytes.size() * 8 + width - 1) / width);
    const std::uint32_t mask = (1U << width) - 1U;
    std::uint32_t acc = 0;
    unsigned bits = 0;
    for (const std::uint8_t byte : bytes) {
        acc = ((acc << 8) | byte) & 0xffffU;
        bits += 8;
        while (bits >= width) {
            bits -= width;
            out.push_back(alphabet[(acc >> bits) & mask]);
        }
    }
    if (bits > 0) {
        out.push_back(alphabet[(acc << (width - bits)) & mask]);
    }
    return out;
}

}  // namespace

std::optional<Bytes> base64_decode(std::string_view text) {
    return decode_to_vector(text, base64_max_size(text), base64_decode_into);
}

std::optional<SecretBuffer> base64_decode_secret(std::string_view text) {
    return decode_to_secret(text, base64_max_size(text), base64_decode_into);
}

std::string base64_encode(ByteView bytes, bool url_safe, bool pad) {
    std::string out = encode_bits(bytes, url_safe ? kB64Url : kB64Std, 6);
    if (pad) {
        while (out.size() % 4 != 0) {
            out.push_back('=');
        }
    }
    return out;
}

std::optional<Bytes> hex_decode(std::string_view text) {
    return decode_to_vector(text, text.size() / 2, hex_decode_into);
}

std::optional<SecretBuffer> hex_decode_secret(std::string_view text) {
    return decode_to_secret(text, text.size() / 2, hex_decode_into);
}

std::string hex_encode(ByteView bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const std::uint8_t byte : bytes) {
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0x0fU]);
    }
    return out;
}

std::optional<Bytes> base32_decode(std::string_view text) {
    return decode_to_vector(text, text.size() * 5 / 8 + 1, base32_decode_into);
}

std::optional<SecretBuffer> base32_decode_secret(std::string_view text) {
    return decode_to_secret(text, text.size() * 5 / 8 + 1, base32_decode_into);
}

std::string base32_encode(ByteView bytes, bool pad) {
    std::string out = encode_bits(bytes, kB32, 5);
    if (pad) {
        while (out.size() % 8 != 0) {
            out.push_back('=');
        }
    }
    return out;
}

Bytes passwork_base32_decode(std::string_view text) {
    Bytes out;
    out.reserve(text.size() * 5 / 8 + 1);
    std::uint32_t acc = 0;
    unsigned bits = 0;
    for (const char c : text) {
        const std::uint8_t value = kPassworkTable[static_cast<unsigned char>(c)];
        if (value == kInvalid) {
            continue;
        }
        acc = ((acc << 5) | value) & 0xffffU;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xffU));
        }
    }
    return out;
}

std::string passwork_base32_encode(ByteView bytes) {
    return encode_bits(bytes, kPassworkB32, 5);
}

bool is_valid_utf8(ByteView bytes) noexcept {
    std::size_t i = 0;
    const std::size_t n = bytes.size();
    while (i < n) {
        const std::uint8_t b0 = bytes[i];
        if (b0 < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint8_t lo = 0x80;
        std::uint8_t hi = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            len = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            len = 3;
            if (b0 == 0xe0) {
                lo = 0xa0;  // overlong
            } else if (b0 == 0xed) {
                hi = 0x9f;  // surrogates
            }
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            len = 4;
            if (b0 == 0xf0) {
                lo = 0x90;  // overlong
            } else if (b0 == 0xf4) {
                hi = 0x8f;  // above U+10FFFF
            }
        } else {
            return false;
        }
        if (n - i < len) {
            return false;
        }
        if (bytes[i + 1] < lo || bytes[i + 1] > hi) {
            return false;
        }
        for (std::size_t k = 2; k < len; ++k) {
            if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) {
                return false;
            }
        }
        i += len;
    }
    return true;
}

}  // namespace pah
