// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pah {

// HOTP (RFC 4226) and TOTP (RFC 6238).
enum class TotpAlgorithm { Sha1, Sha256, Sha512 };

// "SHA1", "SHA256", "SHA512".
std::string_view totp_algorithm_name(TotpAlgorithm algorithm) noexcept;
// Accepts SHA1/SHA256/SHA512 in any case, with or without a dash ("SHA-256").
std::optional<TotpAlgorithm> parse_totp_algorithm(std::string_view text) noexcept;

constexpr unsigned kTotpMinDigits = 6;
constexpr unsigned kTotpMaxDigits = 8;

struct TotpParams {
    TotpAlgorithm algorithm = TotpAlgorithm::Sha1;
    unsigned digits = 6;              // kTotpMinDigits..kTotpMaxDigits
    std::uint32_t period_seconds = 30;  // > 0
};

struct TotpCode {
    std::string code;            // zero-padded, `digits` long
    std::uint32_t remaining = 0; // seconds until the next code, 1..period
    std::uint32_t period = 30;
    unsigned digits = 6;
    TotpAlgorithm algorithm = TotpAlgorithm::Sha1;
};

// The HOTP value of `counter` (8-byte big-endian) under `key`. `digits` outside
// 6..8 is clamped into that range; `key` may have any length (HMAC hashes long keys).
std::string hotp(std::span<const std::uint8_t> key, std::uint64_t counter,
                 TotpAlgorithm algorithm, unsigned digits);

// TOTP at `unix_seconds` (times before 1970 count as 0). A zero period counts as 30.
TotpCode totp_at(std::span<const std::uint8_t> key, const TotpParams& params,
                 std::int64_t unix_seconds);
TotpCode totp_now(std::span<const std::uint8_t> key, const TotpParams& params,
                  std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace pah
