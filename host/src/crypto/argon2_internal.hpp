// SPDX-License-Identifier: MIT
#pragma once
// Argon2id's full interface, for the tests and the benchmark (not part of the host's API):
// secret and associated data (RFC 9106's K and X), a forced block function and a thread
// count, so that every code path can be checked against the reference on one machine.

#include <cstddef>
#include <string_view>

#include "crypto/argon2.hpp"

namespace pah::argon2 {

// The block function G: portable C++, or one of the x86-64 SIMD versions. Auto picks
// the best one this CPU runs.
enum class Impl { Auto, Portable, Ssse3, Avx2, Avx512 };

inline constexpr Impl kAllImpls[] = {Impl::Portable, Impl::Ssse3, Impl::Avx2, Impl::Avx512};

std::string_view impl_name(Impl impl) noexcept;
// Whether this build and this CPU can run `impl` (Auto and Portable always can).
bool impl_available(Impl impl) noexcept;
// What Auto resolves to here.
Impl best_impl() noexcept;

struct Input {
    ByteView password;
    ByteView salt;
    ByteView secret;           // K, up to 1 MiB
    ByteView associated_data;  // X, up to 1 MiB
    Argon2Params params;
    std::size_t out_len = 32;
};

struct Options {
    Impl impl = Impl::Auto;
    // 0: min(lanes, hardware threads). The result never depends on it.
    unsigned threads = 0;
};

// Same limits and errors as pah::argon2id; an unavailable forced `impl` is Unsupported.
CryptoResult<SecretBuffer> hash(const Input& input, const Options& options = {});

}  // namespace pah::argon2
