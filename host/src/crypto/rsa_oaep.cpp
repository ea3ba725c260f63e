// SPDX-License-Identifier: MIT
#include "crypto/rsa_oaep.hpp"

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace pah {

void EvpPkeyFree::operator()(evp_pkey_st* key) const noexcept {
    EVP_PKEY_free(key);
}

namespace {

struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

constexpr long kMaxDer = 16384;

CryptoResult<void> check_rsa(const EVP_PKEY* key) {
    if (EVP_PKEY_is_a(key, "RSA") != 1) {
        return crypto_fail(CryptoErrc::Unsupported, "the key is not an RSA key");
    }
    const int bits = EVP_PKEY_get_bits(key);
    if (bits < 2048 || bits > 16384) {
        return crypto_fail(CryptoErrc::Unsupported, "the RSA key must be 2048 to 16384 bits");
    }
    return {};
}

bool set_oaep_sha256(EVP_PKEY_CTX* ctx) {
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, "SHA256", nullptr) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, "SHA256", nullptr) > 0;
}

}  // namespace

CryptoResult<RsaPrivateKey> load_private_pkcs8_der(ByteView der) {
    if (der.empty() || der.size() > static_cast<std::size_t>(kMaxDer)) {
        return crypto_fail(CryptoErrc::BadFormat, "the private key DER has an impossible size");
    }
    const unsigned char* cursor = der.data();
    PKCS8_PRIV_KEY_INFO* info =
        d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size()));
    if (info == nullptr) {
        return crypto_fail(CryptoErrc::BadFormat, "the private key is not PKCS#8 DER");
    }
    const bool whole = cursor == der.data() + der.size();
    EVP_PKEY* raw = whole ? EVP_PKCS82PKEY(info) : nullptr;
    PKCS8_PRIV_KEY_INFO_free(info);
    if (!whole) {
        return crypto_fail(CryptoErrc::BadFormat, "trailing bytes after the PKCS#8 key");
    }
    if (raw == nullptr) {
        return crypto_fail(CryptoErrc::BadFormat, "the PKCS#8 key does not load");
    }
    RsaPrivateKey key{EvpPkeyPtr(raw)};
    if (auto ok = check_rsa(key.pkey.get()); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return key;
}

CryptoResult<RsaPublicKey> load_public_spki_der(ByteView der) {
    if (der.empty() || der.size() > static_cast<std::size_t>(kMaxDer)) {
        return crypto_fail(CryptoErrc::BadFormat, "the public key DER has an impossible size");
    }
    const unsigned char* cursor = der.data();
    EVP_PKEY* raw = d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size()));
    if (raw == nullptr) {
        return crypto_fail(CryptoErrc::BadFormat, "the public key is not SPKI DER");
    }
    RsaPublicKey key{EvpPkeyPtr(raw)};
    if (cursor != der.data() + der.size()) {
        return crypto_fail(CryptoErrc::BadFormat, "trailing bytes after the SPKI key");
    }
    if (auto ok = check_rsa(key.pkey.get()); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return key;
}

CryptoResult<SecretBuffer> rsa_oaep_sha256_decrypt(const RsaPrivateKey& key, ByteView ciphertext) {
    if (!key.pkey) {
        return crypto_fail(CryptoErrc::Internal, "no private key loaded");
    }
    const auto key_size = static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey.get()));
    if (ciphertext.size() != key_size) {
        return crypto_fail(CryptoErrc::BadFormat, "the RSA ciphertext is not the key's size");
    }
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey.get(), nullptr));
    if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 || !set_oaep_sha256(ctx.get())) {
        return crypto_fail(CryptoErrc::Internal, "RSA-OAEP setup failed");
    }
    SecretBuffer out(key_size);
    std::size_t out_len = out.size();
    if (EVP_PKEY_decrypt(ctx.get(), out.data(), &out_len, ciphertext.data(), ciphertext.size()) !=
        1) {
        return crypto_fail(CryptoErrc::WrongKey, "RSA-OAEP decryption failed");
    }
    out.truncate(out_len);
    return out;
}

CryptoResult<Bytes> rsa_oaep_sha256_encrypt(const RsaPublicKey& key, ByteView plaintext) {
    if (!key.pkey) {
        return crypto_fail(CryptoErrc::Internal, "no public key loaded");
    }
    const auto key_size = static_cast<std::size_t>(EVP_PKEY_get_size(key.pkey.get()));
    if (plaintext.size() > key_size - std::size_t{2} * 32 - 2) {
        return crypto_fail(CryptoErrc::BadFormat, "too much data for one RSA-OAEP block");
    }
    const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey.get(), nullptr));
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 || !set_oaep_sha256(ctx.get())) {
        return crypto_fail(CryptoErrc::Internal, "RSA-OAEP setup failed");
    }
    Bytes out(key_size);
    std::size_t out_len = out.size();
    static constexpr std::uint8_t kEmpty = 0;
    if (EVP_PKEY_encrypt(ctx.get(), out.data(), &out_len,
                         plaintext.empty() ? &kEmpty : plaintext.data(), plaintext.size()) != 1) {
        return crypto_fail(CryptoErrc::Internal, "RSA-OAEP encryption failed");
    }
    out.resize(out_len);
    return out;
}

}  // namespace pah
