// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <span>

#include <nlohmann/json.hpp>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// PassAgent's AES-256-GCM values: a random 12-byte IV, the 16-byte tag appended to the
// ciphertext, no AAD (what WebCrypto's AES-GCM produces).
constexpr std::size_t kGcmKeySize = 32;
constexpr std::size_t kGcmIvSize = 12;
constexpr std::size_t kGcmTagSize = 16;
constexpr std::size_t kGcmMaxCiphertext = std::size_t{64} << 20;  // 64 MiB

struct GcmBox {
    Bytes iv;
    Bytes ciphertext;  // ciphertext || tag
};

// Accepts {"iv": b64, "ciphertext": b64} as an object, or a JSON string holding that
// object's text; base64 or base64url, padded or not. Sizes are checked here.
CryptoResult<GcmBox> parse_gcm_box(const nlohmann::json& value);

// Tag failure -> CryptoErrc::Tampered (a wrong key looks the same; the caller knows
// which it means). Wrong key/IV sizes -> BadFormat.
CryptoResult<SecretBuffer> gcm_open(ByteView key, const GcmBox& box);
// The same for an IV and ciphertext held elsewhere (views into a packed record).
CryptoResult<SecretBuffer> gcm_open(ByteView key, ByteView iv, ByteView ciphertext);
// The same into a caller's buffer (at least ciphertext.size() - 16 bytes); returns the
// plaintext length. For hot loops that reuse one locked buffer.
CryptoResult<std::size_t> gcm_open_into(ByteView key, ByteView iv, ByteView ciphertext,
                                        std::span<std::uint8_t> out);
// Seals under a fresh random IV.
CryptoResult<GcmBox> gcm_seal(ByteView key, ByteView plaintext);
// Seals under the given IV (tests and known-answer vectors only: never reuse an IV).
CryptoResult<GcmBox> gcm_seal_with_iv(ByteView key, ByteView iv, ByteView plaintext);

// {"iv", "ciphertext"} with standard base64 (padded), or base64url without padding.
nlohmann::json to_json(const GcmBox& box, bool url = false);

}  // namespace pah
