// SPDX-License-Identifier: MIT
#include "crypto/aes_ccm.hpp"

#include <array>
#include <memory>

#include <openssl/evp.h>
#include <sodium.h>

namespace pah {

namespace {

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};

const EVP_CIPHER* ccm_cipher(std::size_t key_size) noexcept {
    static EVP_CIPHER* const aes128 = EVP_CIPHER_fetch(nullptr, "AES-128-CCM", nullptr);
    static EVP_CIPHER* const aes256 = EVP_CIPHER_fetch(nullptr, "AES-256-CCM", nullptr);
    return key_size == 16 ? aes128 : key_size == 32 ? aes256 : nullptr;
}

CryptoResult<void> check(ByteView key, ByteView nonce, ByteView aad, std::size_t message,
                         std::size_t tag_len) {
    if (key.size() != 16 && key.size() != 32) {
        return crypto_fail(CryptoErrc::BadFormat, "AES-CCM needs a 16- or 32-byte key");
    }
    if (nonce.size() < 7 || nonce.size() > 13) {
        return crypto_fail(CryptoErrc::BadFormat, "the AES-CCM nonce must be 7 to 13 bytes");
    }
    if (tag_len < 4 || tag_len > 16 || tag_len % 2 != 0) {
        return crypto_fail(CryptoErrc::BadFormat, "the AES-CCM tag must be 4..16 bytes, even");
    }
    if (message > kCcmMaxMessage || aad.size() > kCcmMaxMessage) {
        return crypto_fail(CryptoErrc::BadFormat, "the AES-CCM message is too large");
    }
    // The length field L = 15 - nonce bytes must be able to hold the message length.
    const std::size_t length_bytes = 15 - nonce.size();
    if (length_bytes < 8 && message >> (8 * length_bytes) != 0) {
        return crypto_fail(CryptoErrc::BadFormat, "the message is too long for this nonce size");
    }
    return {};
}

// Init with nonce/tag sizes, then the total length and the AAD, as OpenSSL's CCM wants.
bool setup(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher, bool encrypt, ByteView key,
           ByteView nonce, ByteView aad, std::size_t message, std::uint8_t* tag,
           std::size_t tag_len) {
    const int enc = encrypt ? 1 : 0;
    if (EVP_CipherInit_ex2(ctx, cipher, nullptr, nullptr, enc, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()),
                            nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(tag_len),
                            encrypt ? nullptr : tag) != 1 ||
        EVP_CipherInit_ex2(ctx, nullptr, key.data(), nonce.data(), enc, nullptr) != 1) {
        return false;
    }
    int len = 0;
    if (EVP_CipherUpdate(ctx, nullptr, &len, nullptr, static_cast<int>(message)) != 1) {
        return false;
    }
    if (!aad.empty() &&
        EVP_CipherUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) {
        return false;
    }
    return true;
}

}  // namespace

CryptoResult<SecretBuffer> ccm_open(ByteView key, ByteView nonce, ByteView aad,
                                    ByteView ciphertext_and_tag, std::size_t tag_len) {
    if (ciphertext_and_tag.size() < tag_len) {
        return crypto_fail(CryptoErrc::BadFormat, "the ciphertext is shorter than its tag");
    }
    const std::size_t plain_size = ciphertext_and_tag.size() - tag_len;
    if (auto ok = check(key, nonce, aad, plain_size, tag_len); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    const std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    const EVP_CIPHER* cipher = ccm_cipher(key.size());
    if (!ctx || cipher == nullptr) {
        return crypto_fail(CryptoErrc::Internal, "OpenSSL has no AES-CCM");
    }
    std::array<std::uint8_t, 16> tag{};
    std::copy(ciphertext_and_tag.end() - static_cast<std::ptrdiff_t>(tag_len),
              ciphertext_and_tag.end(), tag.begin());
    if (!setup(ctx.get(), cipher, false, key, nonce, aad, plain_size, tag.data(), tag_len)) {
        return crypto_fail(CryptoErrc::Internal, "AES-CCM setup failed");
    }
    SecretBuffer plain(plain_size);
    // OpenSSL checks the tag in this one update call; it needs non-null pointers even
    // for an empty message.
    std::uint8_t dummy = 0;
    int len = 0;
    if (EVP_DecryptUpdate(ctx.get(), plain_size > 0 ? plain.data() : &dummy, &len,
                          plain_size > 0 ? ciphertext_and_tag.data() : &dummy,
                          static_cast<int>(plain_size)) != 1) {
        plain.reset();
        return crypto_fail(CryptoErrc::Tampered, "AES-CCM authentication failed");
    }
    return plain;
}

CryptoResult<Bytes> ccm_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext,
                             std::size_t tag_len) {
    if (auto ok = check(key, nonce, aad, plaintext.size(), tag_len); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    const std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
    const EVP_CIPHER* cipher = ccm_cipher(key.size());
    if (!ctx || cipher == nullptr) {
        return crypto_fail(CryptoErrc::Internal, "OpenSSL has no AES-CCM");
    }
    if (!setup(ctx.get(), cipher, true, key, nonce, aad, plaintext.size(), nullptr, tag_len)) {
        return crypto_fail(CryptoErrc::Internal, "AES-CCM setup failed");
    }
    Bytes out(plaintext.size() + tag_len);
    std::uint8_t dummy = 0;
    int len = 0;
    if (EVP_EncryptUpdate(ctx.get(), plaintext.empty() ? &dummy : out.data(), &len,
                          plaintext.empty() ? &dummy : plaintext.data(),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), &dummy, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag_len),
                            out.data() + plaintext.size()) != 1) {
        return crypto_fail(CryptoErrc::Internal, "AES-CCM encryption failed");
    }
    return out;
}

}  // namespace pah
