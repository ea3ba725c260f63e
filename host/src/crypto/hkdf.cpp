// SPDX-License-Identifier: MIT
#include "crypto/hkdf.hpp"

#include <memory>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

namespace pah {

namespace {

struct KdfFree {
    void operator()(EVP_KDF* kdf) const noexcept { EVP_KDF_free(kdf); }
};
struct KdfCtxFree {
    void operator()(EVP_KDF_CTX* ctx) const noexcept { EVP_KDF_CTX_free(ctx); }
};

}  // namespace

CryptoResult<SecretBuffer> hkdf_sha256(ByteView ikm, ByteView salt, ByteView info,
                                       std::size_t out_len) {
    if (out_len < 1 || out_len > std::size_t{255} * 32) {
        return crypto_fail(CryptoErrc::BadFormat, "HKDF-SHA-256 output must be 1 to 8160 bytes");
    }
    if (ikm.empty()) {
        return crypto_fail(CryptoErrc::BadFormat, "HKDF needs input key material");
    }
    const std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
    if (!kdf) {
        return crypto_fail(CryptoErrc::Internal, "OpenSSL has no HKDF");
    }
    const std::unique_ptr<EVP_KDF_CTX, KdfCtxFree> ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx) {
        return crypto_fail(CryptoErrc::Internal, "HKDF context allocation failed");
    }
    // OpenSSL takes non-const pointers in OSSL_PARAM but only reads them here.
    static std::uint8_t empty = 0;
    auto ptr = [](ByteView bytes) {
        return bytes.empty() ? &empty : const_cast<std::uint8_t*>(bytes.data());
    };
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ptr(ikm), ikm.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, ptr(salt), salt.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, ptr(info), info.size()),
        OSSL_PARAM_construct_end(),
    };
    SecretBuffer out(out_len);
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
        return crypto_fail(CryptoErrc::Internal, "HKDF derivation failed");
    }
    return out;
}

}  // namespace pah
