// SPDX-License-Identifier: MIT
// libcurl, loaded on the first network call instead of at process start.
//
// libcurl pulls in some thirty shared libraries (TLS, Kerberos, LDAP, SSH, ...). Linked
// normally, every start of the host would map and bind all of them, though most starts
// (the browser's first `hello`, a TOTP code, a match) never touch the network. The host
// is therefore not linked against libcurl: this file defines the libcurl functions the
// HTTP client calls, and each one loads libcurl.so.4 with dlopen the first time and
// forwards to the real function. Nothing else in the host changes.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <mutex>

#include "log/log.hpp"

namespace {

struct Curl {
    CURLcode (*global_init)(long) = nullptr;
    CURLcode (*global_init_mem)(long, curl_malloc_callback, curl_free_callback, curl_realloc_callback,
                                curl_strdup_callback, curl_calloc_callback) = nullptr;
    CURL* (*easy_init)() = nullptr;
    CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
    CURLcode (*easy_perform)(CURL*) = nullptr;
    CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
    void (*easy_cleanup)(CURL*) = nullptr;
    const char* (*easy_strerror)(CURLcode) = nullptr;
    CURLSH* (*share_init)() = nullptr;
    CURLSHcode (*share_setopt)(CURLSH*, CURLSHoption, ...) = nullptr;
    CURLSHcode (*share_cleanup)(CURLSH*) = nullptr;
    curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
    void (*slist_free_all)(curl_slist*) = nullptr;
    bool ok = false;
};

template <class Fn>
bool resolve(void* handle, const char* name, Fn* out) {
    void* symbol = ::dlsym(handle, name);
    // POSIX: a function pointer converts from dlsym's void* this way.
    static_assert(sizeof(Fn) == sizeof(void*));
    __builtin_memcpy(out, &symbol, sizeof symbol);
    return symbol != nullptr;
}

const Curl& curl() {
    static Curl loaded;
    static std::once_flag once;
    std::call_once(once, [] {
        void* handle = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            pah::log::error("http", "libcurl (libcurl.so.4) could not be loaded; install libcurl4");
            return;
        }
        Curl c;
        c.ok = resolve(handle, "curl_global_init", &c.global_init) &&
               resolve(handle, "curl_global_init_mem", &c.global_init_mem) &&
               resolve(handle, "curl_easy_init", &c.easy_init) &&
               resolve(handle, "curl_easy_setopt", &c.easy_setopt) &&
               resolve(handle, "curl_easy_perform", &c.easy_perform) &&
               resolve(handle, "curl_easy_getinfo", &c.easy_getinfo) &&
               resolve(handle, "curl_easy_cleanup", &c.easy_cleanup) &&
               resolve(handle, "curl_easy_strerror", &c.easy_strerror) &&
               resolve(handle, "curl_share_init", &c.share_init) &&
               resolve(handle, "curl_share_setopt", &c.share_setopt) &&
               resolve(handle, "curl_share_cleanup", &c.share_cleanup) &&
               resolve(handle, "curl_slist_append", &c.slist_append) &&
               resolve(handle, "curl_slist_free_all", &c.slist_free_all);
        if (!c.ok) {
            pah::log::error("http", "libcurl.so.4 lacks a function the host needs");
            return;
        }
        loaded = c;
    });
    return loaded;
}

}  // namespace

extern "C" {

CURLcode curl_global_init(long flags) {
    const Curl& c = curl();
    return c.ok ? c.global_init(flags) : CURLE_FAILED_INIT;
}

CURLcode curl_global_init_mem(long flags, curl_malloc_callback m, curl_free_callback f,
                              curl_realloc_callback r, curl_strdup_callback s, curl_calloc_callback c_) {
    const Curl& c = curl();
    return c.ok ? c.global_init_mem(flags, m, f, r, s, c_) : CURLE_FAILED_INIT;
}

CURL* curl_easy_init() {
    const Curl& c = curl();
    return c.ok ? c.easy_init() : nullptr;
}

// The one argument after `option` has the type the option's number range says
// (CURLOPTTYPE_*): long, object pointer, function pointer, curl_off_t or blob pointer.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
    const Curl& c = curl();
    if (!c.ok) {
        return CURLE_FAILED_INIT;
    }
    va_list args;
    va_start(args, option);
    CURLcode rc = CURLE_BAD_FUNCTION_ARGUMENT;
    const int kind = static_cast<int>(option) / 10000 * 10000;
    if (kind == CURLOPTTYPE_LONG) {
        rc = c.easy_setopt(handle, option, va_arg(args, long));
    } else if (kind == CURLOPTTYPE_OFF_T) {
        rc = c.easy_setopt(handle, option, va_arg(args, curl_off_t));
    } else {
        // Object, string, slist, function and blob options are all pointer-sized.
        rc = c.easy_setopt(handle, option, va_arg(args, void*));
    }
    va_end(args);
    return rc;
}

CURLcode curl_easy_perform(CURL* handle) {
    const Curl& c = curl();
    return c.ok ? c.easy_perform(handle) : CURLE_FAILED_INIT;
}

CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
    const Curl& c = curl();
    if (!c.ok) {
        return CURLE_FAILED_INIT;
    }
    va_list args;
    va_start(args, info);
    void* out = va_arg(args, void*);
    va_end(args);
    return c.easy_getinfo(handle, info, out);
}

void curl_easy_cleanup(CURL* handle) {
    const Curl& c = curl();
    if (c.ok) {
        c.easy_cleanup(handle);
    }
}

const char* curl_easy_strerror(CURLcode code) {
    const Curl& c = curl();
    return c.ok ? c.easy_strerror(code) : "libcurl could not be loaded";
}

CURLSH* curl_share_init() {
    const Curl& c = curl();
    return c.ok ? c.share_init() : nullptr;
}

// CURLSHOPT_SHARE/UNSHARE take an int (curl_lock_data); the rest take pointers.
CURLSHcode curl_share_setopt(CURLSH* share, CURLSHoption option, ...) {
    const Curl& c = curl();
    if (!c.ok) {
        return CURLSHE_NOT_BUILT_IN;
    }
    va_list args;
    va_start(args, option);
    CURLSHcode rc = CURLSHE_BAD_OPTION;
    if (option == CURLSHOPT_SHARE || option == CURLSHOPT_UNSHARE) {
        rc = c.share_setopt(share, option, va_arg(args, int));
    } else {
        rc = c.share_setopt(share, option, va_arg(args, void*));
    }
    va_end(args);
    return rc;
}

CURLSHcode curl_share_cleanup(CURLSH* share) {
    const Curl& c = curl();
    return c.ok ? c.share_cleanup(share) : CURLSHE_NOT_BUILT_IN;
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
    const Curl& c = curl();
    return c.ok ? c.slist_append(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
    const Curl& c = curl();
    if (c.ok) {
        c.slist_free_all(list);
    }
}

}  // extern "C"
