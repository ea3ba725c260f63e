// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// Passman's field encryption: sjcl.encrypt(vaultKey, JSON.stringify(value),
// {ks: 256, iter: 1000, ts: 64, mode: "ccm"}) and base64 of the resulting sjcl JSON.
constexpr std::uint32_t kSjclIterations = 1000;
constexpr std::size_t kSjclKeyBits = 256;
constexpr std::size_t kSjclTagBits = 64;
constexpr std::size_t kSjclMaxContainer = std::size_t{96} << 20;

CryptoResult<SecretBuffer> pbkdf2_hmac_sha256(ByteView password, ByteView salt,
                                              std::uint32_t iterations, std::size_t out_len);

// Derived-key cache: sjcl reuses one salt per password for a whole session, so a vault
// of N fields costs one PBKDF2, not N. Entries are keyed by a keyed BLAKE2b of
// (password, salt) under a random per-cache key, never by the password itself; the
// keys live in SecretBuffers. Thread-safe. Full -> everything is dropped (holders of a
// shared_ptr keep theirs).
class Pbkdf2Cache {
public:
    explicit Pbkdf2Cache(std::size_t max_entries = 64);
    CryptoResult<std::shared_ptr<const SecretBuffer>> derive(ByteView password, ByteView salt);
    void clear();
    [[nodiscard]] std::size_t size() const;
    // How many PBKDF2 runs this cache did (the misses).
    [[nodiscard]] std::size_t derivations() const;

private:
    using Digest = std::array<std::uint8_t, 32>;
    mutable std::mutex mutex_;
    SecretBuffer hash_key_;
    std::map<Digest, std::shared_ptr<const SecretBuffer>> entries_;
    std::size_t max_entries_;
    std::size_t derivations_ = 0;
};

// Opens base64(sjcl JSON). Strict: v 1, iter 1000, ks 256, ts 64, mode "ccm", cipher
// "aes", adata "" (or absent), a non-empty salt, an 8..16-byte iv; anything else is
// BadFormat or Unsupported. A tag failure is Tampered.
CryptoResult<SecretBuffer> sjcl_decrypt(ByteView password, std::string_view base64_container,
                                        Pbkdf2Cache* cache = nullptr);
// The same for the sjcl JSON text itself (what sjcl.encrypt returns).
CryptoResult<SecretBuffer> sjcl_decrypt_json(ByteView password, std::string_view sjcl_json,
                                             Pbkdf2Cache* cache = nullptr);
// base64 of the sjcl JSON that sjcl.decrypt(password, atob(result)) opens (random 16-byte
// iv, random 8-byte salt, or the cache's derivation of a given salt).
CryptoResult<std::string> sjcl_encrypt(ByteView password, ByteView plaintext,
                                       Pbkdf2Cache* cache = nullptr);

// Passman fields. `field` is the server's JSON value: null, "null" and "" are empty and
// are not decrypted. Otherwise it is decrypted, checked as UTF-8, and JSON-parsed.
// _string: the plaintext must be a JSON string (or null); its decoded text is returned
// in locked memory without passing through std::string.
CryptoResult<SecretBuffer> passman_decrypt_string(ByteView vault_key, const nlohmann::json& field,
                                                  Pbkdf2Cache* cache = nullptr);
// _json: any JSON value (otp, custom_fields, files, tags...). WARNING: the result lives
// in ordinary heap strings; copy the secret parts into SecretBuffers and drop it soon.
CryptoResult<nlohmann::json> passman_decrypt_json(ByteView vault_key, const nlohmann::json& field,
                                                  Pbkdf2Cache* cache = nullptr);

}  // namespace pah
