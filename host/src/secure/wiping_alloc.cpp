// SPDX-License-Identifier: MIT
#include "secure/wiping_alloc.hpp"

#include <malloc.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "log/log.hpp"

// NOLINTBEGIN(cppcoreguidelines-no-malloc): this is the C libraries' allocator
namespace pah::secure {

void* wiping_malloc(std::size_t size) noexcept { return std::malloc(size); }

void* wiping_calloc(std::size_t count, std::size_t size) noexcept { return std::calloc(count, size); }

void wiping_free(void* ptr) noexcept {
    if (ptr != nullptr) {
        sodium_memzero(ptr, ::malloc_usable_size(ptr));
        std::free(ptr);
    }
}

void* wiping_realloc(void* ptr, std::size_t size) noexcept {
    if (ptr == nullptr) {
        return wiping_malloc(size);
    }
    const std::size_t old_size = ::malloc_usable_size(ptr);
    if (size <= old_size && size != 0) {
        return ptr;
    }
    void* moved = wiping_malloc(size == 0 ? 1 : size);
    if (moved == nullptr) {
        return nullptr;
    }
    std::memcpy(moved, ptr, std::min(old_size, size));
    wiping_free(ptr);
    return moved;
}

char* wiping_strdup(const char* text) noexcept {
    const std::size_t size = std::strlen(text) + 1;
    auto* out = static_cast<char*>(wiping_malloc(size));
    if (out != nullptr) {
        std::memcpy(out, text, size);
    }
    return out;
}

namespace {

std::atomic<bool> g_openssl_installed{false};

void* openssl_malloc(std::size_t size, const char* /*file*/, int /*line*/) { return wiping_malloc(size); }
void* openssl_realloc(void* ptr, std::size_t size, const char* /*file*/, int /*line*/) {
    return wiping_realloc(ptr, size);
}
void openssl_free(void* ptr, const char* /*file*/, int /*line*/) { wiping_free(ptr); }

}  // namespace

bool install_openssl_allocator(OpenSslSetMemFunctions set_mem_functions) noexcept {
    static std::once_flag once;
    try {
        std::call_once(once, [set_mem_functions] {
            if (set_mem_functions == nullptr) {
                log::warn("secure",
                          "OpenSSL's memory is not wiped when freed: CRYPTO_set_mem_functions not found");
            } else if (set_mem_functions(&openssl_malloc, &openssl_realloc, &openssl_free) != 1) {
                log::warn("secure", "OpenSSL's memory is not wiped when freed: it had allocated before");
            } else {
                g_openssl_installed.store(true, std::memory_order_release);
            }
        });
    } catch (...) {  // std::system_error from call_once: the allocator stays OpenSSL's own
    }
    return g_openssl_installed.load(std::memory_order_acquire);
}

bool openssl_allocator_installed() noexcept { return g_openssl_installed.load(std::memory_order_acquire); }

}  // namespace pah::secure
// NOLINTEND(cppcoreguidelines-no-malloc)
