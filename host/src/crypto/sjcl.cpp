// SPDX-License-Identifier: MIT
#include "crypto/sjcl.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/aes_ccm.hpp"
#include "crypto/random.hpp"
#include "text/ascii.hpp"
#include "text/json_string.hpp"
#include "text/json_reader.hpp"

namespace pah {

namespace {

constexpr std::size_t kSjclTagBytes = kSjclTagBits / 8;
constexpr std::size_t kSjclKeyBytes = kSjclKeyBits / 8;

// sjcl's CCM nonce rule: L = 2, grown while the plaintext length does not fit in L
// bytes (up to 4), and never below 15 - iv bytes; the nonce is the first 15 - L bytes
// of the iv (13 for ordinary fields, 12 from 64 KiB up).
std::size_t sjcl_nonce_size(std::size_t plain_size, std::size_t iv_size) noexcept {
    std::size_t length_bytes = 2;
    while (length_bytes < 4 && (plain_size >> (8 * length_bytes)) != 0) {
        ++length_bytes;
    }
    if (iv_size < 15 && length_bytes < 15 - iv_size) {
        length_bytes = 15 - iv_size;
    }
    return 15 - length_bytes;
}

bool is_int(const nlohmann::json& object, const char* name, std::int64_t expected) {
    const auto it = object.find(name);
    return it != object.end() && it->is_number_integer() && it->get<std::int64_t>() == expected;
}

CryptoResult<Bytes> b64_field(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) {
        return crypto_fail(CryptoErrc::BadFormat, std::string("sjcl: no \"") + name + "\" string");
    }
    auto bytes = base64_decode(it->get_ref<const std::string&>());
    if (!bytes) {
        return crypto_fail(CryptoErrc::BadFormat, std::string("sjcl: \"") + name + "\" is not base64");
    }
    return std::move(*bytes);
}

CryptoResult<std::shared_ptr<const SecretBuffer>> derive_key(ByteView password, ByteView salt,
                                                             Pbkdf2Cache* cache) {
    if (cache != nullptr) {
        return cache->derive(password, salt);
    }
    auto key = pbkdf2_hmac_sha256(password, salt, kSjclIterations, kSjclKeyBytes);
    if (!key) {
        return std::unexpected(std::move(key.error()));
    }
    return std::make_shared<const SecretBuffer>(std::move(*key));
}

bool is_empty_field(const nlohmann::json& field) {
    return field.is_null() ||
           (field.is_string() && (field.get_ref<const std::string&>().empty() ||
                                  field.get_ref<const std::string&>() == "null"));
}

}  // namespace

CryptoResult<SecretBuffer> pbkdf2_hmac_sha256(ByteView password, ByteView salt,
                                              std::uint32_t iterations, std::size_t out_len) {
    if (iterations < 1 || iterations > 10'000'000 || out_len < 1 || out_len > 1024 ||
        password.size() > (1U << 20) || salt.size() > (1U << 20)) {
        return crypto_fail(CryptoErrc::BadFormat, "PBKDF2 parameters out of range");
    }
    SecretBuffer out(out_len);
    static const char kEmpty = 0;
    static const std::uint8_t kEmptySalt = 0;
    if (PKCS5_PBKDF2_HMAC(password.empty() ? &kEmpty : reinterpret_cast<const char*>(password.data()),
                          static_cast<int>(password.size()),
                          salt.empty() ? &kEmptySalt : salt.data(), static_cast<int>(salt.size()),
                          static_cast<int>(iterations), EVP_sha256(), static_cast<int>(out_len),
                          out.data()) != 1) {
        return crypto_fail(CryptoErrc::Internal, "PBKDF2 failed");
    }
    return out;
}

Pbkdf2Cache::Pbkdf2Cache(std::size_t max_entries)
    : hash_key_(random_secret(crypto_generichash_KEYBYTES)),
      max_entries_(max_entries == 0 ? 1 : max_entries) {}

CryptoResult<std::shared_ptr<const SecretBuffer>> Pbkdf2Cache::derive(ByteView password,
                                                                       ByteView salt) {
    Digest digest{};
    crypto_generichash_state state;
    crypto_generichash_init(&state, hash_key_.data(), hash_key_.size(), digest.size());
    // Length-prefix the password so that (pw, salt) pairs cannot collide by shifting bytes.
    const std::uint64_t password_size = password.size();
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&password_size),
                              sizeof password_size);
    crypto_generichash_update(&state, password.data(), password.size());
    crypto_generichash_update(&state, salt.data(), salt.size());
    crypto_generichash_final(&state, digest.data(), digest.size());
    sodium_memzero(&state, sizeof state);
    {
        const std::lock_guard lock(mutex_);
        if (const auto it = entries_.find(digest); it != entries_.end()) {
            return it->second;
        }
    }
    // Derive outside the lock: other fields may be served meanwhile.
    auto key = pbkdf2_hmac_sha256(password, salt, kSjclIterations, kSjclKeyBytes);
    if (!key) {
        return std::unexpected(std::move(key.error()));
    }
    auto shared = std::make_shared<const SecretBuffer>(std::move(*key));
    const std::lock_guard lock(mutex_);
    ++derivations_;
    if (entries_.size() >= max_entries_) {
        entries_.clear();
    }
    entries_.emplace(digest, shared);
    return shared;
}

void Pbkdf2Cache::clear() {
    const std::lock_guard lock(mutex_);
    entries_.clear();
}

std::size_t Pbkdf2Cache::size() const {
    const std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t Pbkdf2Cache::derivations() const {
    const std::lock_guard lock(mutex_);
    return derivations_;
}

CryptoResult<SecretBuffer> sjcl_decrypt_json(ByteView password, std::string_view sjcl_json,
                                             Pbkdf2Cache* cache) {
    if (sjcl_json.size() > kSjclMaxContainer) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the container is too large");
    }
    const auto object = text::parse_json(sjcl_json);
    if (object.is_discarded() || !object.is_object()) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the container is not a JSON object");
    }
    if (!is_int(object, "v", 1)) {
        return crypto_fail(CryptoErrc::Unsupported, "sjcl: only version 1 is supported");
    }
    if (!is_int(object, "iter", kSjclIterations) || !is_int(object, "ks", kSjclKeyBits) ||
        !is_int(object, "ts", kSjclTagBits)) {
        return crypto_fail(CryptoErrc::Unsupported, "sjcl: expected iter 1000, ks 256, ts 64");
    }
    const auto mode = object.find("mode");
    const auto cipher = object.find("cipher");
    if (mode == object.end() || *mode != "ccm" || cipher == object.end() || *cipher != "aes") {
        return crypto_fail(CryptoErrc::Unsupported, "sjcl: expected aes in ccm mode");
    }
    if (const auto adata = object.find("adata"); adata != object.end() && *adata != "") {
        return crypto_fail(CryptoErrc::Unsupported, "sjcl: authenticated data is not supported");
    }
    auto iv = b64_field(object, "iv");
    if (!iv) {
        return std::unexpected(std::move(iv.error()));
    }
    auto salt = b64_field(object, "salt");
    if (!salt) {
        return std::unexpected(std::move(salt.error()));
    }
    auto ct = b64_field(object, "ct");
    if (!ct) {
        return std::unexpected(std::move(ct.error()));
    }
    if (iv->size() < 8 || iv->size() > 16) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the iv must be 8 to 16 bytes");
    }
    if (salt->empty()) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the salt is empty");
    }
    if (ct->size() < kSjclTagBytes) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the ciphertext is shorter than its tag");
    }
    const std::size_t plain_size = ct->size() - kSjclTagBytes;
    const std::size_t nonce_size = sjcl_nonce_size(plain_size, iv->size());
    auto key = derive_key(password, *salt, cache);
    if (!key) {
        return std::unexpected(std::move(key.error()));
    }
    return ccm_open((*key)->span(), ByteView(*iv).first(nonce_size), {}, *ct, kSjclTagBytes);
}

CryptoResult<SecretBuffer> sjcl_decrypt(ByteView password, std::string_view base64_container,
                                        Pbkdf2Cache* cache) {
    if (base64_container.size() > kSjclMaxContainer / 3 * 4 + 8) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the container is too large");
    }
    const auto json_text = base64_decode(base64_container);
    if (!json_text) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the field is not base64");
    }
    return sjcl_decrypt_json(password, as_text(*json_text), cache);
}

CryptoResult<std::string> sjcl_encrypt(ByteView password, ByteView plaintext, Pbkdf2Cache* cache) {
    if (plaintext.size() > kCcmMaxMessage) {
        return crypto_fail(CryptoErrc::BadFormat, "sjcl: the plaintext is too large");
    }
    const Bytes iv = random_vector(16);
    const Bytes salt = random_vector(8);
    auto key = derive_key(password, salt, cache);
    if (!key) {
        return std::unexpected(std::move(key.error()));
    }
    const std::size_t nonce_size = sjcl_nonce_size(plaintext.size(), iv.size());
    auto ct = ccm_seal((*key)->span(), ByteView(iv).first(nonce_size), {}, plaintext, kSjclTagBytes);
    if (!ct) {
        return std::unexpected(std::move(ct.error()));
    }
    // sjcl.json.encode's key order and spacing.
    const std::string json = R"({"iv":")" + base64_encode(iv) + R"(","v":1,"iter":1000,"ks":256,)" +
                             R"("ts":64,"mode":"ccm","adata":"","cipher":"aes","salt":")" +
                             base64_encode(salt) + R"(","ct":")" + base64_encode(*ct) + R"("})";
    return base64_encode(as_bytes(json));
}

namespace {

// A Passman field's sjcl envelope opened: its text, which must be UTF-8.
CryptoResult<SecretBuffer> open_field_text(ByteView vault_key, const nlohmann::json& field,
                                           Pbkdf2Cache* cache) {
    if (!field.is_string()) {
        return crypto_fail(CryptoErrc::BadFormat, "passman: an encrypted field must be a string");
    }
    auto plain = sjcl_decrypt(vault_key, field.get_ref<const std::string&>(), cache);
    if (!plain) {
        return plain;
    }
    if (!is_valid_utf8(plain->span())) {
        return crypto_fail(CryptoErrc::WrongKey, "passman: the field is not UTF-8");
    }
    return plain;
}

}  // namespace

CryptoResult<SecretBuffer> passman_decrypt_string(ByteView vault_key, const nlohmann::json& field,
                                                  Pbkdf2Cache* cache) {
    if (is_empty_field(field)) {
        return SecretBuffer();
    }
    auto plain = open_field_text(vault_key, field, cache);
    if (!plain) {
        return std::unexpected(std::move(plain.error()));
    }
    if (text::trim(plain->view()) == "null") {
        return SecretBuffer();
    }
    auto decoded = text::json_string_to_secret(plain->view());
    if (!decoded) {
        return crypto_fail(CryptoErrc::BadFormat, "passman: the field is not a JSON string");
    }
    return std::move(*decoded);
}

CryptoResult<nlohmann::json> passman_decrypt_json(ByteView vault_key, const nlohmann::json& field,
                                                  Pbkdf2Cache* cache) {
    if (is_empty_field(field)) {
        return nlohmann::json(nullptr);
    }
    auto plain = open_field_text(vault_key, field, cache);
    if (!plain) {
        return std::unexpected(std::move(plain.error()));
    }
    auto value = text::parse_json(plain->view());
    if (value.is_discarded()) {
        return crypto_fail(CryptoErrc::BadFormat, "passman: the field is not JSON");
    }
    return value;
}

}  // namespace pah
