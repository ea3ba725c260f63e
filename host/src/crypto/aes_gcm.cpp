// SPDX-License-Identifier: MIT
#include "crypto/aes_gcm.hpp"

#include <array>
#include <climits>
#include <memory>

#include <openssl/evp.h>
#include <sodium.h>

#include "crypto/random.hpp"
#include "text/json_reader.hpp"

namespace pah {

namespace {

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};

// Fetched once: an implicit fetch per operation costs more than the AES itself for
// small records.
const EVP_CIPHER* gcm_cipher() noexcept {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return cipher;
}

// One context per thread, reset (and so cleansed of the key schedule) after each use.
EVP_CIPHER_CTX* thread_ctx() noexcept {
    thread_local std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    return ctx.get();
}

struct CtxReset {
    EVP_CIPHER_CTX* ctx;
    ~CtxReset() { EVP_CIPHER_CTX_reset(ctx); }
};

CryptoResult<Bytes> decode_field(const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) {
        return crypto_fail(CryptoErrc::BadFormat, std::string("missing \"") + name + "\" string");
    }
    const auto& text = it->get_ref<const std::string&>();
    if (text.size() > kGcmMaxCiphertext / 3 * 4 + 8) {
        return crypto_fail(CryptoErrc::BadFormat, std::string("\"") + name + "\" is too large");
    }
    auto bytes = base64_decode(text);
    if (!bytes) {
        return crypto_fail(CryptoErrc::BadFormat, std::string("\"") + name + "\" is not base64");
    }
    return std::move(*bytes);
}

CryptoResult<void> check_sizes(ByteView key, ByteView iv) {
    if (key.size() != kGcmKeySize) {
        return crypto_fail(CryptoErrc::BadFormat, "AES-256-GCM needs a 32-byte key");
    }
    if (iv.size() != kGcmIvSize) {
        return crypto_fail(CryptoErrc::BadFormat, "AES-256-GCM needs a 12-byte IV");
    }
    return {};
}

}  // namespace

CryptoResult<GcmBox> parse_gcm_box(const nlohmann::json& value) {
    const nlohmann::json* object = &value;
    nlohmann::json parsed;
    if (value.is_string()) {
        parsed = text::parse_json(value.get_ref<const std::string&>());
        if (parsed.is_discarded()) {
            return crypto_fail(CryptoErrc::BadFormat, "the {iv, ciphertext} string is not JSON");
        }
        object = &parsed;
    }
    if (!object->is_object()) {
        return crypto_fail(CryptoErrc::BadFormat, "expected an {iv, ciphertext} object");
    }
    auto iv = decode_field(*object, "iv");
    if (!iv) {
        return std::unexpected(std::move(iv.error()));
    }
    auto ciphertext = decode_field(*object, "ciphertext");
    if (!ciphertext) {
        return std::unexpected(std::move(ciphertext.error()));
    }
    if (iv->size() != kGcmIvSize) {
        return crypto_fail(CryptoErrc::BadFormat, "the IV is not 12 bytes");
    }
    if (ciphertext->size() < kGcmTagSize) {
        return crypto_fail(CryptoErrc::BadFormat, "the ciphertext is shorter than its tag");
    }
    if (ciphertext->size() > kGcmMaxCiphertext) {
        return crypto_fail(CryptoErrc::BadFormat, "the ciphertext is too large");
    }
    return GcmBox{std::move(*iv), std::move(*ciphertext)};
}

CryptoResult<std::size_t> gcm_open_into(ByteView key, ByteView iv, ByteView ciphertext,
                                        std::span<std::uint8_t> out) {
    if (auto sizes = check_sizes(key, iv); !sizes) {
        return std::unexpected(std::move(sizes.error()));
    }
    if (ciphertext.size() < kGcmTagSize) {
        return crypto_fail(CryptoErrc::BadFormat, "the ciphertext is shorter than its tag");
    }
    if (ciphertext.size() > kGcmMaxCiphertext) {
        return crypto_fail(CryptoErrc::BadFormat, "the ciphertext is too large");
    }
    const std::size_t plain_size = ciphertext.size() - kGcmTagSize;
    if (out.size() < plain_size) {
        return crypto_fail(CryptoErrc::Internal, "output buffer too small");
    }
    EVP_CIPHER_CTX* ctx = thread_ctx();
    const EVP_CIPHER* cipher = gcm_cipher();
    if (ctx == nullptr || cipher == nullptr) {
        return crypto_fail(CryptoErrc::Internal, "OpenSSL has no AES-256-GCM");
    }
    const CtxReset reset{ctx};
    std::array<std::uint8_t, kGcmTagSize> tag{};
    std::copy(ciphertext.end() - kGcmTagSize, ciphertext.end(), tag.begin());
    int len = 0;
    int final_len = 0;
    if (EVP_DecryptInit_ex2(ctx, cipher, key.data(), iv.data(), nullptr) != 1) {
        return crypto_fail(CryptoErrc::Internal, "AES-GCM init failed");
    }
    if (plain_size > 0 && EVP_DecryptUpdate(ctx, out.data(), &len, ciphertext.data(),
                                            static_cast<int>(plain_size)) != 1) {
        return crypto_fail(CryptoErrc::Internal, "AES-GCM update failed");
    }
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                            tag.data()) != 1) {
        return crypto_fail(CryptoErrc::Internal, "AES-GCM set tag failed");
    }
    std::uint8_t sink[16];
    if (EVP_DecryptFinal_ex(ctx, plain_size > 0 ? out.data() + len : sink, &final_len) != 1) {
        sodium_memzero(out.data(), plain_size);
        return crypto_fail(CryptoErrc::Tampered, "AES-GCM authentication failed");
    }
    return plain_size;
}

CryptoResult<SecretBuffer> gcm_open(ByteView key, ByteView iv, ByteView ciphertext) {
    if (ciphertext.size() < kGcmTagSize) {
        return crypto_fail(CryptoErrc::BadFormat, "the ciphertext is shorter than its tag");
    }
    SecretBuffer plain(ciphertext.size() - kGcmTagSize);
    auto opened = gcm_open_into(key, iv, ciphertext, plain.span());
    if (!opened) {
        return std::unexpected(std::move(opened.error()));
    }
    return plain;
}

CryptoResult<SecretBuffer> gcm_open(ByteView key, const GcmBox& box) {
    return gcm_open(key, box.iv, box.ciphertext);
}

CryptoResult<GcmBox> gcm_seal_with_iv(ByteView key, ByteView iv, ByteView plaintext) {
    if (auto sizes = check_sizes(key, iv); !sizes) {
        return std::unexpected(std::move(sizes.error()));
    }
    if (plaintext.size() > kGcmMaxCiphertext - kGcmTagSize) {
        return crypto_fail(CryptoErrc::BadFormat, "the plaintext is too large");
    }
    EVP_CIPHER_CTX* ctx = thread_ctx();
    const EVP_CIPHER* cipher = gcm_cipher();
    if (ctx == nullptr || cipher == nullptr) {
        return crypto_fail(CryptoErrc::Internal, "OpenSSL has no AES-256-GCM");
    }
    const CtxReset reset{ctx};
    GcmBox box;
    box.iv.assign(iv.begin(), iv.end());
    box.ciphertext.resize(plaintext.size() + kGcmTagSize);
    int len = 0;
    int final_len = 0;
    if (EVP_EncryptInit_ex2(ctx, cipher, key.data(), iv.data(), nullptr) != 1) {
        return crypto_fail(CryptoErrc::Internal, "AES-GCM init failed");
    }
    if (!plaintext.empty() && EVP_EncryptUpdate(ctx, box.ciphertext.data(), &len, plaintext.data(),
                                                static_cast<int>(plaintext.size())) != 1) {
        return crypto_fail(CryptoErrc::Internal, "AES-GCM update failed");
    }
    std::uint8_t sink[16];
    if (EVP_EncryptFinal_ex(ctx, sink, &final_len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                            box.ciphertext.data() + plaintext.size()) != 1) {
        return crypto_fail(CryptoErrc::Internal, "AES-GCM final failed");
    }
    return box;
}

CryptoResult<GcmBox> gcm_seal(ByteView key, ByteView plaintext) {
    std::array<std::uint8_t, kGcmIvSize> iv{};
    random_bytes(iv);
    return gcm_seal_with_iv(key, iv, plaintext);
}

nlohmann::json to_json(const GcmBox& box, bool url) {
    return nlohmann::json{{"iv", base64_encode(box.iv, url, !url)},
                          {"ciphertext", base64_encode(box.ciphertext, url, !url)}};
}

}  // namespace pah
