// SPDX-License-Identifier: MIT
#include "totp/otpauth.hpp"

#include <charconv>
#include <optional>

#include <sodium.h>

#include "crypto/encoding.hpp"
#include "secure/wipe.hpp"
#include "text/ascii.hpp"
#include "text/percent.hpp"

namespace pah {

namespace {

constexpr std::size_t kMaxUriBytes = 8192;

bool istarts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.size() >= prefix.size() && text::iequals(text.substr(0, prefix.size()), prefix);
}

// decodeURIComponent; the result must be UTF-8.
std::optional<std::string> percent_decode_utf8(std::string_view text) {
    auto out = text::percent_decode(text);
    if (out && !is_valid_utf8(as_bytes(*out))) {
        wipe_string(*out);
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
    uri = text::trim(uri);
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
    if (text::iequals(type, "hotp")) {
        return fail(ErrorCode::BadFormat,
                    "otpauth://hotp (counter-based codes) is not supported; only otpauth://totp");
    }
    if (!text::iequals(type, "totp")) {
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
    const auto decoded_label = percent_decode_utf8(label);
    if (!decoded_label) {
        return fail(ErrorCode::BadFormat, "the otpauth label has a bad %-escape");
    }
    std::string label_issuer;
    if (const auto colon = decoded_label->find(':'); colon != std::string::npos) {
        label_issuer = std::string(text::trim(std::string_view(*decoded_label).substr(0, colon)));
        out.account = std::string(text::trim(std::string_view(*decoded_label).substr(colon + 1)));
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
        auto value =
            percent_decode_utf8(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
        if (!value) {
            return fail(ErrorCode::BadFormat,
                        "the otpauth parameter \"" + std::string(name) + "\" has a bad %-escape");
        }
        auto duplicate = [&]() {
            return fail(ErrorCode::BadFormat,
                        "the otpauth parameter \"" + std::string(name) + "\" appears twice");
        };
        if (text::iequals(name, "secret")) {
            if (key) {
                wipe_string(*value);
                return duplicate();
            }
            key = value->empty() ? fail(ErrorCode::BadFormat, "the otpauth URI has an empty secret")
                                 : decode_secret(*value);
            wipe_string(*value);
        } else if (text::iequals(name, "issuer")) {
            if (issuer) {
                return duplicate();
            }
            issuer = *value;
        } else if (text::iequals(name, "algorithm")) {
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
        } else if (text::iequals(name, "digits")) {
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
        } else if (text::iequals(name, "period")) {
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
    text = text::trim(text);
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
