// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

// The allocator handed to the C libraries that copy our secrets into memory of their own:
// libcurl (a small request body such as a password grant, header lines with a bearer
// token) and OpenSSL (TLS record buffers hold a request's bytes, key schedules). Each
// block is zeroed when it is freed, and a realloc never leaves the old block behind
// unzeroed. malloc_usable_size gives the size to zero, so the blocks are plain malloc ones.
namespace pah::secure {

void* wiping_malloc(std::size_t size) noexcept;
void* wiping_calloc(std::size_t count, std::size_t size) noexcept;
void* wiping_realloc(void* ptr, std::size_t size) noexcept;
void wiping_free(void* ptr) noexcept;
char* wiping_strdup(const char* text) noexcept;

// OpenSSL's CRYPTO_set_mem_functions, as a plain pointer (secure/ does not include
// OpenSSL): the caller looks it up in libcrypto, which it may have loaded lazily.
using OpenSslSetMemFunctions = int (*)(void* (*)(std::size_t, const char*, int),
                                       void* (*)(void*, std::size_t, const char*, int),
                                       void (*)(void*, const char*, int));

// Hands OpenSSL the wiping allocator, once per process, before OpenSSL's first
// allocation (OpenSSL refuses a new allocator after it). Every path that may be first to
// use libcrypto calls it (the crypto stubs, the HTTP client before libcurl starts
// OpenSSL); later calls do nothing. False when it could not be installed (no libcrypto,
// or OpenSSL had already allocated); the reason is logged once.
bool install_openssl_allocator(OpenSslSetMemFunctions set_mem_functions) noexcept;

// Whether the wiping allocator is OpenSSL's (tests).
[[nodiscard]] bool openssl_allocator_installed() noexcept;

}  // namespace pah::secure
