// SPDX-License-Identifier: MIT
#include "totp/otpauth.hpp"

#include <cctype>
#include <charconv>
#include <optional>

#include <sodium.h>

#include "crypto/encoding.hpp"

namespace pah {

namespace {

constexpr std::size_t kMaxUriBytes = 8192;

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

bool istarts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
        text.remove_prefix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
        text.remove_suffix(1);
    }
    return text;
}

// decodeURIComponent: %XX only ('+' stays '+'); the result must be UTF-8.
std::optional<std::string> percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const int hi = hex_digit_value(text[i + 1]);
        const int lo = hex_digit_value(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
    }
    if (!is_valid_utf8(as_bytes(out))) {
        return std::nullopt;
    }
    return out;
}

std::optional<std::uint64_t> parse_uint(std::string_view text) noexcept {
    std::uint64_t value = 0;
    if (text.empty() || text.size() > 12) {
        return std::nullopt;
    }
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

void wipe(std::string& text) noexcept {
    if (!text.empty()) {
        sodium_memzero(text.data(), text.size());
    }
}

Result<SecretBuffer> decode_secret(std::string_view text) {
    auto key = base32_decode_secret(text);
    if (!key) {
        return fail(ErrorCode::BadFormat,
                    "the TOTP secret is not base32 (letters A-Z and digits 2-7)");
    }
    if (key->empty()) {
        return fail(ErrorCode::BadFormat, "the TOTP secret is empty");
    }
    return std::move(*key);
}

}  // namespace

Result<OtpAuth> parse_otpauth(std::string_view uri) {
    uri = trim(uri);
    if (uri.size() > kMaxUriBytes) {
        return fail(ErrorCode::BadFormat, "the otpauth URI is too long");
    }
    constexpr std::string_view kScheme = "otpauth://";
    if (!istarts_with(uri, kScheme)) {
        return fail(ErrorCode::BadFormat, "not an otpauth:// URI");
    }
    std::string_view rest = uri.substr(kScheme.size());
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
        rest = rest.substr(0, hash);
    }
    const auto slash = rest.find('/');
    const auto question = rest.find('?');
    const std::string_view type =
        rest.substr(0, std::min(slash, question) == std::string_view::npos ? rest.size()
                                                                            : std::min(slash, question));
    if (iequals(type, "hotp")) {
        return fail(ErrorCode::BadFormat,
                    "otpauth://hotp (counter-based codes) is not supported; only otpauth://totp");
    }
    if (!iequals(type, "totp")) {
        return fail(ErrorCode::BadFormat, "unknown otpauth type \"" + std::string(type) +
                                              "\"; expected otpauth://totp/...");
    }
    std::string_view label;
    std::string_view query;
    if (question != std::string_view::npos) {
        query = rest.substr(question + 1);
    }
    if (slash != std::string_view::npos && (question == std::string_view::npos || slash < question)) {
        label = rest.substr(slash + 1, question == std::string_view::npos ? std::string_view::npos
                                                                          : question - slash - 1);
    }

    OtpAuth out;
    const auto decoded_label = percent_decode(label);
    if (!decoded_label) {
        return fail(ErrorCode::BadFormat, "the otpauth label has a bad %-escape");
    }
    std::string label_issuer;
    if (const auto colon = decoded_label->find(':'); colon != std::string::npos) {
        label_issuer = std::string(trim(std::string_view(*decoded_label).substr(0, colon)));
        out.account = std::string(trim(std::string_view(*decoded_label).substr(colon + 1)));
    } else {
        out.account = *decoded_label;
    }

    std::optional<Result<SecretBuffer>> key;
    std::optional<std::string> issuer;
    bool seen_algorithm = false;
    bool seen_digits = false;
    bool seen_period = false;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) {
            continue;
        }
        const auto eq = pair.find('=');
        const std::string_view name = pair.substr(0, eq);
        auto value = percent_decode(eq == std::string_view::npos ? std::string_view{}
                                                                       : pair.substr(eq + 1));
        if (!value) {
            return fail(ErrorCode::BadFormat,
                        "the otpauth parameter \"" + std::string(name) + "\" has a bad %-escape");
        }
        auto duplicate = [&]() {
            return fail(ErrorCode::BadFormat,
                        "the otpauth parameter \"" + std::string(name) + "\" appears twice");
        };
        if (iequals(name, "secret")) {
            if (key) {
                wipe(*value);
                return duplicate();
            }
            key = value->empty() ? fail(ErrorCode::BadFormat, "the otpauth URI has an empty secret")
                                 : decode_secret(*value);
            wipe(*value);
        } else if (iequals(name, "issuer")) {
            if (issuer) {
                return duplicate();
            }
            issuer = *value;
        } else if (iequals(name, "algorithm")) {
            if (seen_algorithm) {
                return duplicate();
            }
            seen_algorithm = true;
            const auto algorithm = parse_totp_algorithm(*value);
            if (!algorithm) {
                return fail(ErrorCode::BadFormat, "unsupported TOTP algorithm \"" + *value +
                                                      "\"; expected SHA1, SHA256 or SHA512");
            }
            out.params.algorithm = *algorithm;
        } else if (iequals(name, "digits")) {
            if (seen_digits) {
                return duplicate();
            }
            seen_digits = true;
            const auto digits = parse_uint(*value);
            if (!digits || *digits < kTotpMinDigits || *digits > kTotpMaxDigits) {
                return fail(ErrorCode::BadFormat, "TOTP digits must be 6, 7 or 8, not \"" +
                                                      *value + "\"");
            }
            out.params.digits = static_cast<unsigned>(*digits);
        } else if (iequals(name, "period")) {
            if (seen_period) {
                return duplicate();
            }
            seen_period = true;
            const auto period = parse_uint(*value);
            if (!period || *period == 0 || *period > UINT32_MAX) {
                return fail(ErrorCode::BadFormat,
                            "the TOTP period must be a whole number of seconds above 0, not \"" +
                                *value + "\"");
            }
            out.params.period_seconds = static_cast<std::uint32_t>(*period);
        }
        // Other parameters (image, counter, color, ...) do not change the code.
    }
    if (!key) {
        return fail(ErrorCode::BadFormat, "the otpauth URI has no secret parameter");
    }
    if (!*key) {
        return std::unexpected(std::move(key->error()));
    }
    out.key = std::move(**key);
    out.issuer = issuer ? *issuer : label_issuer;
    return out;
}

Result<OtpAuth> parse_totp_input(std::string_view text) {
    text = trim(text);
    if (text.empty()) {
        return fail(ErrorCode::BadFormat, "no TOTP secret given");
    }
    if (istarts_with(text, "otpauth:")) {
        return parse_otpauth(text);
    }
    auto key = decode_secret(text);
    if (!key) {
        return std::unexpected(std::move(key.error()));
    }
    OtpAuth out;
    out.key = std::move(*key);
    return out;
}

}  // namespace pah
