// SPDX-License-Identifier: MIT
#pragma once

#include <memory>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace pah {

struct EvpPkeyFree {
    void operator()(evp_pkey_st* key) const noexcept;
};
using EvpPkeyPtr = std::unique_ptr<evp_pkey_st, EvpPkeyFree>;

// Distinct types so that a public key cannot be passed where a private one is meant.
// WARNING: OpenSSL keeps the private key in its own (unlocked) heap; load it only
// while it is needed and drop it with the session.
struct RsaPrivateKey {
    EvpPkeyPtr pkey;
};
struct RsaPublicKey {
    EvpPkeyPtr pkey;
};

// DER PKCS#8 PrivateKeyInfo / DER SubjectPublicKeyInfo (WebCrypto's exportKey("pkcs8"
// | "spki")). RSA only, 2048 to 16384 bits, no trailing bytes.
CryptoResult<RsaPrivateKey> load_private_pkcs8_der(ByteView der);
CryptoResult<RsaPublicKey> load_public_spki_der(ByteView der);

// RSA-OAEP with SHA-256 and MGF1-SHA-256, no label. A ciphertext not for this key is
// WrongKey; a wrong length is BadFormat.
CryptoResult<SecretBuffer> rsa_oaep_sha256_decrypt(const RsaPrivateKey& key, ByteView ciphertext);
CryptoResult<Bytes> rsa_oaep_sha256_encrypt(const RsaPublicKey& key, ByteView plaintext);

}  // namespace pah
