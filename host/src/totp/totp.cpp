// SPDX-License-Identifier: MIT
#include "totp/totp.hpp"

#include <array>
#include <cctype>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

namespace pah {

std::string_view totp_algorithm_name(TotpAlgorithm algorithm) noexcept {
    switch (algorithm) {
    case TotpAlgorithm::Sha1:
        return "SHA1";
    case TotpAlgorithm::Sha256:
        return "SHA256";
    case TotpAlgorithm::Sha512:
        return "SHA512";
    }
    return "SHA1";
}

std::optional<TotpAlgorithm> parse_totp_algorithm(std::string_view text) noexcept {
    std::string upper;
    for (const char c : text) {
        if (c == '-') {
            continue;
        }
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (upper == "SHA1") {
        return TotpAlgorithm::Sha1;
    }
    if (upper == "SHA256") {
        return TotpAlgorithm::Sha256;
    }
    if (upper == "SHA512") {
        return TotpAlgorithm::Sha512;
    }
    return std::nullopt;
}

std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter,
                 TotpAlgorithm algorithm, unsigned digits) {
    if (digits < kTotpMinDigits) {
        digits = kTotpMinDigits;
    } else if (digits > kTotpMaxDigits) {
        digits = kTotpMaxDigits;
    }
    std::array<std::uint8_t, 8> message{};
    for (std::size_t i = 0; i < message.size(); ++i) {
        message[7 - i] = static_cast<std::uint8_t>((counter >> (8 * i)) & 0xffU);
    }
    const EVP_MD* md = algorithm == TotpAlgorithm::Sha256   ? EVP_sha256()
                       : algorithm == TotpAlgorithm::Sha512 ? EVP_sha512()
                                                            : EVP_sha1();
    std::array<std::uint8_t, EVP_MAX_MD_SIZE> mac{};
    unsigned mac_len = 0;
    // HMAC() wants a non-null key pointer even for an empty key.
    static constexpr std::uint8_t kEmpty = 0;
    const std::uint8_t* key_ptr = key.empty() ? &kEmpty : key.data();
    if (HMAC(md, key_ptr, static_cast<int>(key.size()), message.data(), message.size(),
             mac.data(), &mac_len) == nullptr ||
        mac_len < 20) {
        return std::string(digits, '0');  // unreachable with the digests above
    }
    const std::size_t offset = mac[mac_len - 1] & 0x0fU;
    const std::uint32_t binary = ((static_cast<std::uint32_t>(mac[offset]) & 0x7fU) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                                 static_cast<std::uint32_t>(mac[offset + 3]);
    sodium_memzero(mac.data(), mac.size());
    std::uint32_t modulus = 1;
    for (unsigned i = 0; i < digits; ++i) {
        modulus *= 10;
    }
    std::uint32_t value = binary % modulus;
    std::string code(digits, '0');
    for (std::size_t i = digits; i > 0; --i) {
        code[i - 1] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    return code;
}

TotpCode totp_at(std::span<const std::uint8_t> key, const TotpParams& params,
                 std::int64_t unix_seconds) {
    const std::uint32_t period = params.period_seconds == 0 ? 30 : params.period_seconds;
    const auto seconds = static_cast<std::uint64_t>(unix_seconds < 0 ? 0 : unix_seconds);
    TotpCode out;
    out.code = hotp(key, seconds / period, params.algorithm, params.digits);
    out.remaining = static_cast<std::uint32_t>(period - seconds % period);
    out.period = period;
    out.digits = static_cast<unsigned>(out.code.size());
    out.algorithm = params.algorithm;
    return out;
}

TotpCode totp_now(std::span<const std::uint8_t> key, const TotpParams& params,
                  std::chrono::system_clock::time_point now) {
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return totp_at(key, params, static_cast<std::int64_t>(seconds));
}

}  // namespace pah
