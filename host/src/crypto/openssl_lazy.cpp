// SPDX-License-Identifier: MIT
// OpenSSL's libcrypto, loaded on the first call into it instead of at process start.
//
// libcrypto is 4.5 MiB of code with some 5,000 exported symbols; linked normally, every
// start of the host maps it and relocates against it, though most starts (the browser's
// `hello`, `status`, `--version`) never encrypt anything. As with libcurl
// (http/curl_lazy.cpp), the host is therefore not linked against libcrypto: this file
// defines the OpenSSL functions the host calls, each of which loads libcrypto.so.3 with
// dlopen the first time (io/lazy_library.hpp) and forwards to the real function. The callers are unchanged;
// the OpenSSL headers still declare everything, so a stub whose signature drifted from
// the header does not compile.
//
// If libcrypto cannot be loaded, the reason is logged once and each function fails the
// way OpenSSL reports failure (0 or a null pointer), which every caller already turns
// into a crypto error.
//
// A function the host starts calling must be added to the list below; the link of
// passagent-host fails with "undefined reference" until it is.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <type_traits>

#include <openssl/crypto.h>

#include "io/lazy_library.hpp"
#include "log/log.hpp"
#include "secure/wiping_alloc.hpp"

namespace {

// The soname of OpenSSL 3's libcrypto, the major version the headers are from.
pah::io::LazyLibrary g_libcrypto("OpenSSL's libcrypto", "libcrypto.so.3", "libssl3",
                                 [](const std::string& why) { pah::log::error("crypto", why); });

// OpenSSL's memory is wiped when freed (secure/wiping_alloc.hpp): handed over before the
// first real call, which is before OpenSSL's first allocation.
void prepare() {
    static const bool once = [] {
        pah::secure::install_openssl_allocator(
            g_libcrypto.find<pah::secure::OpenSslSetMemFunctions>("CRYPTO_set_mem_functions"));
        return true;
    }();
    (void)once;
}

static_assert(std::is_same_v<decltype(&CRYPTO_set_mem_functions), pah::secure::OpenSslSetMemFunctions>);

// What OpenSSL returns on failure: 0 for int results, a null pointer, an empty struct.
template <class R>
R failed() {
    if constexpr (!std::is_void_v<R>) {
        return R{};
    }
}

}  // namespace

// Hidden: the stubs are never exported, so in a test or benchmark that links libcrypto
// as well, libcrypto's own calls between its functions never come through here.
#define PAH_OPENSSL_LAZY(ret, name, params, args)           \
    __attribute__((visibility("hidden"))) ret name params { \
        prepare();                                          \
        PAH_LAZY_REAL(g_libcrypto, name);                   \
        if (real == nullptr) {                              \
            return failed<ret>();                           \
        }                                                   \
        return real args;                                   \
    }

extern "C" {

// Ciphers and digests.
PAH_OPENSSL_LAZY(EVP_CIPHER*, EVP_CIPHER_fetch,
                 (OSSL_LIB_CTX * ctx, const char* algorithm, const char* properties),
                 (ctx, algorithm, properties))
PAH_OPENSSL_LAZY(const EVP_CIPHER*, EVP_aes_256_cbc, (void), ())
PAH_OPENSSL_LAZY(const EVP_MD*, EVP_md5, (void), ())
PAH_OPENSSL_LAZY(const EVP_MD*, EVP_sha1, (void), ())
PAH_OPENSSL_LAZY(const EVP_MD*, EVP_sha256, (void), ())
PAH_OPENSSL_LAZY(const EVP_MD*, EVP_sha512, (void), ())

PAH_OPENSSL_LAZY(EVP_CIPHER_CTX*, EVP_CIPHER_CTX_new, (void), ())
PAH_OPENSSL_LAZY(void, EVP_CIPHER_CTX_free, (EVP_CIPHER_CTX * c), (c))
PAH_OPENSSL_LAZY(int, EVP_CIPHER_CTX_reset, (EVP_CIPHER_CTX * c), (c))
PAH_OPENSSL_LAZY(int, EVP_CIPHER_CTX_ctrl, (EVP_CIPHER_CTX * ctx, int type, int arg, void* ptr),
                 (ctx, type, arg, ptr))
PAH_OPENSSL_LAZY(int, EVP_CIPHER_CTX_set_padding, (EVP_CIPHER_CTX * c, int pad), (c, pad))
PAH_OPENSSL_LAZY(int, EVP_CipherInit_ex2,
                 (EVP_CIPHER_CTX * ctx, const EVP_CIPHER* cipher, const unsigned char* key,
                  const unsigned char* iv, int enc, const OSSL_PARAM params[]),
                 (ctx, cipher, key, iv, enc, params))
PAH_OPENSSL_LAZY(int, EVP_CipherUpdate,
                 (EVP_CIPHER_CTX * ctx, unsigned char* out, int* outl, const unsigned char* in,
                  int inl),
                 (ctx, out, outl, in, inl))
PAH_OPENSSL_LAZY(int, EVP_EncryptInit_ex2,
                 (EVP_CIPHER_CTX * ctx, const EVP_CIPHER* cipher, const unsigned char* key,
                  const unsigned char* iv, const OSSL_PARAM params[]),
                 (ctx, cipher, key, iv, params))
PAH_OPENSSL_LAZY(int, EVP_EncryptUpdate,
                 (EVP_CIPHER_CTX * ctx, unsigned char* out, int* outl, const unsigned char* in,
                  int inl),
                 (ctx, out, outl, in, inl))
PAH_OPENSSL_LAZY(int, EVP_EncryptFinal_ex, (EVP_CIPHER_CTX * ctx, unsigned char* out, int* outl),
                 (ctx, out, outl))
PAH_OPENSSL_LAZY(int, EVP_DecryptInit_ex2,
                 (EVP_CIPHER_CTX * ctx, const EVP_CIPHER* cipher, const unsigned char* key,
                  const unsigned char* iv, const OSSL_PARAM params[]),
                 (ctx, cipher, key, iv, params))
PAH_OPENSSL_LAZY(int, EVP_DecryptUpdate,
                 (EVP_CIPHER_CTX * ctx, unsigned char* out, int* outl, const unsigned char* in,
                  int inl),
                 (ctx, out, outl, in, inl))
PAH_OPENSSL_LAZY(int, EVP_DecryptFinal_ex, (EVP_CIPHER_CTX * ctx, unsigned char* outm, int* outl),
                 (ctx, outm, outl))

PAH_OPENSSL_LAZY(int, EVP_Digest,
                 (const void* data, size_t count, unsigned char* md, unsigned int* size,
                  const EVP_MD* type, ENGINE* impl),
                 (data, count, md, size, type, impl))
PAH_OPENSSL_LAZY(unsigned char*, HMAC,
                 (const EVP_MD* evp_md, const void* key, int key_len, const unsigned char* data,
                  size_t data_len, unsigned char* md, unsigned int* md_len),
                 (evp_md, key, key_len, data, data_len, md, md_len))

// Key derivation.
PAH_OPENSSL_LAZY(int, EVP_BytesToKey,
                 (const EVP_CIPHER* type, const EVP_MD* md, const unsigned char* salt,
                  const unsigned char* data, int datal, int count, unsigned char* key,
                  unsigned char* iv),
                 (type, md, salt, data, datal, count, key, iv))
PAH_OPENSSL_LAZY(int, PKCS5_PBKDF2_HMAC,
                 (const char* pass, int passlen, const unsigned char* salt, int saltlen, int iter,
                  const EVP_MD* digest, int keylen, unsigned char* out),
                 (pass, passlen, salt, saltlen, iter, digest, keylen, out))
PAH_OPENSSL_LAZY(EVP_KDF*, EVP_KDF_fetch,
                 (OSSL_LIB_CTX * libctx, const char* algorithm, const char* properties),
                 (libctx, algorithm, properties))
PAH_OPENSSL_LAZY(void, EVP_KDF_free, (EVP_KDF * kdf), (kdf))
PAH_OPENSSL_LAZY(EVP_KDF_CTX*, EVP_KDF_CTX_new, (EVP_KDF * kdf), (kdf))
PAH_OPENSSL_LAZY(void, EVP_KDF_CTX_free, (EVP_KDF_CTX * ctx), (ctx))
PAH_OPENSSL_LAZY(int, EVP_KDF_derive,
                 (EVP_KDF_CTX * ctx, unsigned char* key, size_t keylen, const OSSL_PARAM params[]),
                 (ctx, key, keylen, params))
PAH_OPENSSL_LAZY(OSSL_PARAM, OSSL_PARAM_construct_utf8_string,
                 (const char* key, char* buf, size_t bsize), (key, buf, bsize))
PAH_OPENSSL_LAZY(OSSL_PARAM, OSSL_PARAM_construct_octet_string,
                 (const char* key, void* buf, size_t bsize), (key, buf, bsize))
PAH_OPENSSL_LAZY(OSSL_PARAM, OSSL_PARAM_construct_end, (void), ())

// RSA-OAEP.
PAH_OPENSSL_LAZY(PKCS8_PRIV_KEY_INFO*, d2i_PKCS8_PRIV_KEY_INFO,
                 (PKCS8_PRIV_KEY_INFO * *a, const unsigned char** in, long len), (a, in, len))
PAH_OPENSSL_LAZY(void, PKCS8_PRIV_KEY_INFO_free, (PKCS8_PRIV_KEY_INFO * a), (a))
PAH_OPENSSL_LAZY(EVP_PKEY*, EVP_PKCS82PKEY, (const PKCS8_PRIV_KEY_INFO* p8), (p8))
PAH_OPENSSL_LAZY(EVP_PKEY*, d2i_PUBKEY, (EVP_PKEY * *a, const unsigned char** pp, long length),
                 (a, pp, length))
PAH_OPENSSL_LAZY(void, EVP_PKEY_free, (EVP_PKEY * pkey), (pkey))
PAH_OPENSSL_LAZY(int, EVP_PKEY_is_a, (const EVP_PKEY* pkey, const char* name), (pkey, name))
PAH_OPENSSL_LAZY(int, EVP_PKEY_get_bits, (const EVP_PKEY* pkey), (pkey))
PAH_OPENSSL_LAZY(int, EVP_PKEY_get_size, (const EVP_PKEY* pkey), (pkey))
PAH_OPENSSL_LAZY(EVP_PKEY_CTX*, EVP_PKEY_CTX_new_from_pkey,
                 (OSSL_LIB_CTX * libctx, EVP_PKEY* pkey, const char* propquery),
                 (libctx, pkey, propquery))
PAH_OPENSSL_LAZY(void, EVP_PKEY_CTX_free, (EVP_PKEY_CTX * ctx), (ctx))
PAH_OPENSSL_LAZY(int, EVP_PKEY_CTX_set_rsa_padding, (EVP_PKEY_CTX * ctx, int pad_mode),
                 (ctx, pad_mode))
PAH_OPENSSL_LAZY(int, EVP_PKEY_CTX_set_rsa_oaep_md_name,
                 (EVP_PKEY_CTX * ctx, const char* mdname, const char* mdprops),
                 (ctx, mdname, mdprops))
PAH_OPENSSL_LAZY(int, EVP_PKEY_CTX_set_rsa_mgf1_md_name,
                 (EVP_PKEY_CTX * ctx, const char* mdname, const char* mdprops),
                 (ctx, mdname, mdprops))
PAH_OPENSSL_LAZY(int, EVP_PKEY_encrypt_init, (EVP_PKEY_CTX * ctx), (ctx))
PAH_OPENSSL_LAZY(int, EVP_PKEY_encrypt,
                 (EVP_PKEY_CTX * ctx, unsigned char* out, size_t* outlen, const unsigned char* in,
                  size_t inlen),
                 (ctx, out, outlen, in, inlen))
PAH_OPENSSL_LAZY(int, EVP_PKEY_decrypt_init, (EVP_PKEY_CTX * ctx), (ctx))
PAH_OPENSSL_LAZY(int, EVP_PKEY_decrypt,
                 (EVP_PKEY_CTX * ctx, unsigned char* out, size_t* outlen, const unsigned char* in,
                  size_t inlen),
                 (ctx, out, outlen, in, inlen))

}  // extern "C"
