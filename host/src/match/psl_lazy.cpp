// SPDX-License-Identifier: MIT
// libpsl (the Public Suffix List), loaded on the first URL the host matches instead of at
// process start.
//
// libpsl brings libidn2 and libunistring (2 MiB) with it; linked normally, every start of
// the host maps and relocates all three, though a start that only answers `hello` or
// `status` parses no URL. As with libcurl (http/curl_lazy.cpp), the host is therefore not
// linked against libpsl: this file defines the libpsl functions match/url.cpp calls, each
// of which loads libpsl.so.5 with dlopen the first time and forwards to the real one.
//
// If libpsl cannot be loaded, the reason is logged once and each function fails the way
// libpsl does (no context, no registrable domain, not a public suffix, an error code).
//
// The header marks its functions "default" visibility; the stubs here are hidden, so that
// a test that links libpsl as well never routes libpsl's own calls through them.
#define PSL_API
#include <dlfcn.h>
#include <libpsl.h>

#include <string>

#include "log/log.hpp"

namespace {

constexpr const char* kLibpsl = "libpsl.so.5";

void* libpsl() {
    static void* const handle = [] {
        void* h = ::dlopen(kLibpsl, RTLD_NOW | RTLD_LOCAL);
        if (h == nullptr) {
            const char* why = ::dlerror();
            pah::log::error("match", std::string("libpsl (") + kLibpsl +
                                         ") could not be loaded; install libpsl5" +
                                         (why != nullptr ? std::string(": ") + why : ""));
        }
        return h;
    }();
    return handle;
}

template <class Fn>
Fn resolve(const char* name) {
    void* handle = libpsl();
    if (handle == nullptr) {
        return nullptr;
    }
    void* symbol = ::dlsym(handle, name);
    if (symbol == nullptr) {
        pah::log::error("match", std::string(kLibpsl) + " lacks " + name);
        return nullptr;
    }
    // POSIX: a function pointer converts from dlsym's void* this way.
    static_assert(sizeof(Fn) == sizeof(void*));
    Fn fn = nullptr;
    __builtin_memcpy(&fn, &symbol, sizeof symbol);
    return fn;
}

}  // namespace

#define PAH_HIDDEN __attribute__((visibility("hidden")))

extern "C" {

PAH_HIDDEN psl_ctx_t* psl_latest(const char* fname) {
    static const auto real = resolve<decltype(&::psl_latest)>("psl_latest");
    return real != nullptr ? real(fname) : nullptr;
}

PAH_HIDDEN const psl_ctx_t* psl_builtin(void) {
    static const auto real = resolve<decltype(&::psl_builtin)>("psl_builtin");
    return real != nullptr ? real() : nullptr;
}

PAH_HIDDEN const char* psl_registrable_domain(const psl_ctx_t* psl, const char* domain) {
    static const auto real =
        resolve<decltype(&::psl_registrable_domain)>("psl_registrable_domain");
    return real != nullptr ? real(psl, domain) : nullptr;
}

PAH_HIDDEN int psl_is_public_suffix2(const psl_ctx_t* psl, const char* domain, int type) {
    static const auto real = resolve<decltype(&::psl_is_public_suffix2)>("psl_is_public_suffix2");
    return real != nullptr ? real(psl, domain, type) : 0;
}

PAH_HIDDEN psl_error_t psl_str_to_utf8lower(const char* str, const char* encoding,
                                            const char* locale, char** lower) {
    static const auto real = resolve<decltype(&::psl_str_to_utf8lower)>("psl_str_to_utf8lower");
    return real != nullptr ? real(str, encoding, locale, lower) : PSL_ERR_INVALID_ARG;
}

PAH_HIDDEN void psl_free_string(char* str) {
    static const auto real = resolve<decltype(&::psl_free_string)>("psl_free_string");
    if (real != nullptr) {
        real(str);
    }
}

}  // extern "C"
