// SPDX-License-Identifier: MIT
// libpsl (the Public Suffix List), loaded on the first URL the host matches instead of at
// process start.
//
// libpsl brings libidn2 and libunistring (2 MiB) with it; linked normally, every start of
// the host maps and relocates all three, though a start that only answers `hello` or
// `status` parses no URL. As with libcurl (http/curl_lazy.cpp), the host is therefore not
// linked against libpsl: this file defines the libpsl functions match/url.cpp calls, each
// of which loads libpsl.so.5 with dlopen the first time (io/lazy_library.hpp) and forwards
// to the real one.
//
// If libpsl cannot be loaded, the reason is logged once and each function fails the way
// libpsl does (no context, no registrable domain, not a public suffix, an error code).
//
// The header marks its functions "default" visibility; the stubs here are hidden, so that
// a test that links libpsl as well never routes libpsl's own calls through them.
#define PSL_API
#include <libpsl.h>

#include "io/lazy_library.hpp"
#include "log/log.hpp"

namespace {

pah::io::LazyLibrary g_libpsl("libpsl", "libpsl.so.5", "libpsl5",
                              [](const std::string& why) { pah::log::error("match", why); });

}  // namespace

#define PAH_HIDDEN __attribute__((visibility("hidden")))

extern "C" {

PAH_HIDDEN psl_ctx_t* psl_latest(const char* fname) {
    PAH_LAZY_REAL(g_libpsl, psl_latest);
    return real != nullptr ? real(fname) : nullptr;
}

PAH_HIDDEN const psl_ctx_t* psl_builtin(void) {
    PAH_LAZY_REAL(g_libpsl, psl_builtin);
    return real != nullptr ? real() : nullptr;
}

PAH_HIDDEN const char* psl_registrable_domain(const psl_ctx_t* psl, const char* domain) {
    PAH_LAZY_REAL(g_libpsl, psl_registrable_domain);
    return real != nullptr ? real(psl, domain) : nullptr;
}

PAH_HIDDEN int psl_is_public_suffix2(const psl_ctx_t* psl, const char* domain, int type) {
    PAH_LAZY_REAL(g_libpsl, psl_is_public_suffix2);
    return real != nullptr ? real(psl, domain, type) : 0;
}

PAH_HIDDEN psl_error_t psl_str_to_utf8lower(const char* str, const char* encoding,
                                            const char* locale, char** lower) {
    PAH_LAZY_REAL(g_libpsl, psl_str_to_utf8lower);
    return real != nullptr ? real(str, encoding, locale, lower) : PSL_ERR_INVALID_ARG;
}

PAH_HIDDEN void psl_free_string(char* str) {
    PAH_LAZY_REAL(g_libpsl, psl_free_string);
    if (real != nullptr) {
        real(str);
    }
}

}  // extern "C"
