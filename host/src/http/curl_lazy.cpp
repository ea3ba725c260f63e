// SPDX-License-Identifier: MIT
// libcurl, loaded on the first network call instead of at process start.
//
// libcurl pulls in some thirty shared libraries (TLS, Kerberos, LDAP, SSH, ...). Linked
// normally, every start of the host would map and bind all of them, though most starts
// (the browser's first `hello`, a TOTP code, a match) never touch the network. The host
// is therefore not linked against libcurl: this file defines the libcurl functions the
// HTTP client calls, and each one loads libcurl.so.4 with dlopen the first time
// (io/lazy_library.hpp) and forwards to the real function. Nothing else in the host
// changes. If libcurl cannot be loaded, the reason is logged once and each function fails
// the way libcurl reports failure.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include <cstdarg>

#include "io/lazy_library.hpp"
#include "log/log.hpp"

// The stubs keep libcurl's signatures, whose last named parameter before `...` is an
// enum; on the x86-64 and AArch64 ABIs it is passed as the int it promotes to.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wvarargs"
#endif

namespace {

pah::io::LazyLibrary g_libcurl("libcurl", "libcurl.so.4", "libcurl4",
                               [](const std::string& why) { pah::log::error("http", why); });

}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) {
    PAH_LAZY_REAL(g_libcurl, curl_global_init);
    return real != nullptr ? real(flags) : CURLE_FAILED_INIT;
}

CURLcode curl_global_init_mem(long flags, curl_malloc_callback m, curl_free_callback f,
                              curl_realloc_callback r, curl_strdup_callback s, curl_calloc_callback c) {
    PAH_LAZY_REAL(g_libcurl, curl_global_init_mem);
    return real != nullptr ? real(flags, m, f, r, s, c) : CURLE_FAILED_INIT;
}

CURL* curl_easy_init() {
    PAH_LAZY_REAL(g_libcurl, curl_easy_init);
    return real != nullptr ? real() : nullptr;
}

// The one argument after `option` has the type the option's number range says
// (CURLOPTTYPE_*): long, object pointer, function pointer, curl_off_t or blob pointer.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
    PAH_LAZY_REAL(g_libcurl, curl_easy_setopt);
    if (real == nullptr) {
        return CURLE_FAILED_INIT;
    }
    va_list args;
    va_start(args, option);
    CURLcode rc = CURLE_BAD_FUNCTION_ARGUMENT;
    const int kind = static_cast<int>(option) / 10000 * 10000;
    // NOLINTNEXTLINE(bugprone-branch-clone): curl_off_t is long only on LP64
    if (kind == CURLOPTTYPE_LONG) {
        rc = real(handle, option, va_arg(args, long));
    } else if (kind == CURLOPTTYPE_OFF_T) {
        rc = real(handle, option, va_arg(args, curl_off_t));
    } else {
        // Object, string, slist, function and blob options are all pointer-sized.
        rc = real(handle, option, va_arg(args, void*));
    }
    va_end(args);
    return rc;
}

CURLcode curl_easy_perform(CURL* handle) {
    PAH_LAZY_REAL(g_libcurl, curl_easy_perform);
    return real != nullptr ? real(handle) : CURLE_FAILED_INIT;
}

CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
    PAH_LAZY_REAL(g_libcurl, curl_easy_getinfo);
    if (real == nullptr) {
        return CURLE_FAILED_INIT;
    }
    va_list args;
    va_start(args, info);
    void* out = va_arg(args, void*);
    va_end(args);
    return real(handle, info, out);
}

void curl_easy_cleanup(CURL* handle) {
    PAH_LAZY_REAL(g_libcurl, curl_easy_cleanup);
    if (real != nullptr) {
        real(handle);
    }
}

const char* curl_easy_strerror(CURLcode code) {
    PAH_LAZY_REAL(g_libcurl, curl_easy_strerror);
    return real != nullptr ? real(code) : "libcurl could not be loaded";
}

CURLSH* curl_share_init() {
    PAH_LAZY_REAL(g_libcurl, curl_share_init);
    return real != nullptr ? real() : nullptr;
}

// CURLSHOPT_SHARE/UNSHARE take an int (curl_lock_data); the rest take pointers.
CURLSHcode curl_share_setopt(CURLSH* share, CURLSHoption option, ...) {
    PAH_LAZY_REAL(g_libcurl, curl_share_setopt);
    if (real == nullptr) {
        return CURLSHE_NOT_BUILT_IN;
    }
    va_list args;
    va_start(args, option);
    CURLSHcode rc = CURLSHE_BAD_OPTION;
    // NOLINTNEXTLINE(bugprone-branch-clone): va_arg reads an int in one branch, a pointer in the other
    if (option == CURLSHOPT_SHARE || option == CURLSHOPT_UNSHARE) {
        rc = real(share, option, va_arg(args, int));
    } else {
        rc = real(share, option, va_arg(args, void*));
    }
    va_end(args);
    return rc;
}

CURLSHcode curl_share_cleanup(CURLSH* share) {
    PAH_LAZY_REAL(g_libcurl, curl_share_cleanup);
    return real != nullptr ? real(share) : CURLSHE_NOT_BUILT_IN;
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
    PAH_LAZY_REAL(g_libcurl, curl_slist_append);
    return real != nullptr ? real(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
    PAH_LAZY_REAL(g_libcurl, curl_slist_free_all);
    if (real != nullptr) {
        real(list);
    }
}

}  // extern "C"
