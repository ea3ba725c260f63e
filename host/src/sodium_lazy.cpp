// SPDX-License-Identifier: MIT
// libsodium, loaded on the host's first use of it instead of at process start. Part of the
// passagent-host executable only (host/CMakeLists.txt): the tests, benchmarks and fuzzers
// link libsodium itself.
//
// A start that answers `hello` or `status` needs nothing of libsodium but sodium_memzero,
// yet mapping it and binding its ~190 symbols was, after libstdc++ and libcrypto had gone,
// the largest single cost of a start (docs/benchmarks.md, "Host start-up"). So, as with
// libcurl, libcrypto and libpsl (http/curl_lazy.cpp, crypto/openssl_lazy.cpp,
// match/psl_lazy.cpp), the executable defines the 15 libsodium functions the host calls;
// each but sodium_memzero opens libsodium.so.23 with dlopen on the first call, runs the
// real sodium_init once, and forwards to the real function.
//   - sodium_init only notes the request: the real one runs before the first function
//     that needs it (libsodium's rule), so it still comes first; it reports success.
//   - sodium_memzero is explicit_bzero, which is what libsodium's own is on glibc; it
//     never loads the library.
// If libsodium cannot be loaded (the package depends on libsodium23), the reason is
// logged once and each function fails the way libsodium reports failure (-1, nullptr, not
// equal); those that cannot fail in libsodium (random bytes, the encoders) abort, as
// libsodium does on misuse, since going on without them would be unsafe.
//
// The stubs are hidden, like the other libraries' stubs: they are not in the executable's
// dynamic symbol table, so libsodium's calls to its own functions never reach them.
// The header marks its functions "default" visibility unless libsodium is static.
#define SODIUM_STATIC 1
#include <sodium.h>

#include <cstdlib>
#include <cstring>

#include "io/lazy_library.hpp"
#include "log/log.hpp"

namespace {

pah::io::LazyLibrary g_libsodium("libsodium", "libsodium.so.23", "libsodium23",
                                 [](const std::string& why) { pah::log::error("crypto", why); });

// Opens libsodium and runs its sodium_init, once; whether it can be used.
bool sodium_ready() {
    static const bool ready = [] {
        const auto init = g_libsodium.find<int (*)()>("sodium_init");
        if (init == nullptr) {
            return false;
        }
        if (init() < 0) {
            pah::log::error("crypto", "libsodium could not be initialised");
            return false;
        }
        return true;
    }();
    return ready;
}

[[noreturn]] void unusable(const char* function) {
    pah::log::error("crypto", std::string(function) + ": libsodium is not usable; stopping");
    std::abort();
}

}  // namespace

#define PAH_HIDDEN __attribute__((visibility("hidden")))

// The real function `name` once libsodium is ready, else nullptr.
#define PAH_SODIUM_REAL(name)                                                            \
    static const auto real = sodium_ready() ? g_libsodium.find<decltype(&::name)>(#name) \
                                            : static_cast<decltype(&::name)>(nullptr)

extern "C" {

PAH_HIDDEN int sodium_init(void) { return 0; }

PAH_HIDDEN void sodium_memzero(void* const pnt, const size_t len) { explicit_bzero(pnt, len); }

PAH_HIDDEN int sodium_memcmp(const void* const b1_, const void* const b2_, size_t len) {
    PAH_SODIUM_REAL(sodium_memcmp);
    return real != nullptr ? real(b1_, b2_, len) : -1;
}

PAH_HIDDEN void* sodium_malloc(const size_t size) {
    PAH_SODIUM_REAL(sodium_malloc);
    return real != nullptr ? real(size) : nullptr;
}

PAH_HIDDEN void sodium_free(void* ptr) {
    if (ptr == nullptr) {
        return;  // also when libsodium was never needed
    }
    PAH_SODIUM_REAL(sodium_free);
    if (real != nullptr) {
        real(ptr);
    }
}

PAH_HIDDEN void randombytes_buf(void* const buf, const size_t size) {
    PAH_SODIUM_REAL(randombytes_buf);
    if (real == nullptr) {
        unusable("randombytes_buf");
    }
    real(buf, size);
}

PAH_HIDDEN uint32_t randombytes_uniform(const uint32_t upper_bound) {
    PAH_SODIUM_REAL(randombytes_uniform);
    if (real == nullptr) {
        unusable("randombytes_uniform");
    }
    return real(upper_bound);
}

PAH_HIDDEN int crypto_hash_sha256(unsigned char* out, const unsigned char* in, unsigned long long inlen) {
    PAH_SODIUM_REAL(crypto_hash_sha256);
    return real != nullptr ? real(out, in, inlen) : -1;
}

PAH_HIDDEN int crypto_generichash(unsigned char* out, size_t outlen, const unsigned char* in,
                                  unsigned long long inlen, const unsigned char* key, size_t keylen) {
    PAH_SODIUM_REAL(crypto_generichash);
    return real != nullptr ? real(out, outlen, in, inlen, key, keylen) : -1;
}

PAH_HIDDEN int crypto_generichash_init(crypto_generichash_state* state, const unsigned char* key,
                                       const size_t keylen, const size_t outlen) {
    PAH_SODIUM_REAL(crypto_generichash_init);
    return real != nullptr ? real(state, key, keylen, outlen) : -1;
}

PAH_HIDDEN int crypto_generichash_update(crypto_generichash_state* state, const unsigned char* in,
                                         unsigned long long inlen) {
    PAH_SODIUM_REAL(crypto_generichash_update);
    return real != nullptr ? real(state, in, inlen) : -1;
}

PAH_HIDDEN int crypto_generichash_final(crypto_generichash_state* state, unsigned char* out,
                                        const size_t outlen) {
    PAH_SODIUM_REAL(crypto_generichash_final);
    return real != nullptr ? real(state, out, outlen) : -1;
}

PAH_HIDDEN char* sodium_bin2hex(char* const hex, const size_t hex_maxlen, const unsigned char* const bin,
                                const size_t bin_len) {
    PAH_SODIUM_REAL(sodium_bin2hex);
    if (real == nullptr) {
        unusable("sodium_bin2hex");
    }
    return real(hex, hex_maxlen, bin, bin_len);
}

PAH_HIDDEN char* sodium_bin2base64(char* const b64, const size_t b64_maxlen, const unsigned char* const bin,
                                   const size_t bin_len, const int variant) {
    PAH_SODIUM_REAL(sodium_bin2base64);
    if (real == nullptr) {
        unusable("sodium_bin2base64");
    }
    return real(b64, b64_maxlen, bin, bin_len, variant);
}

PAH_HIDDEN int sodium_base642bin(unsigned char* const bin, const size_t bin_maxlen, const char* const b64,
                                 const size_t b64_len, const char* const ignore, size_t* const bin_len,
                                 const char** const b64_end, const int variant) {
    PAH_SODIUM_REAL(sodium_base642bin);
    return real != nullptr ? real(bin, bin_maxlen, b64, b64_len, ignore, bin_len, b64_end, variant) : -1;
}

}  // extern "C"
