// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/crypto_error.hpp"
#include "crypto/encoding.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// PassAgent's KDF parameters, as the server sends them (default 64 MiB / 3 / 4).
struct Argon2Params {
    std::uint32_t memory_kib = 65536;
    std::uint32_t iterations = 3;
    std::uint32_t parallelism = 4;
};

// Limits: lanes 1..16, memory 8*lanes KiB..4 GiB, iterations 1..64, salt 8..1024
// bytes, output 16..64 bytes. Costs beyond them are Unsupported (a server cannot make
// the host allocate or spin without bound); malformed sizes are BadFormat.
constexpr std::uint32_t kArgon2MaxLanes = 16;
constexpr std::uint32_t kArgon2MaxMemoryKib = 4U * 1024U * 1024U;
constexpr std::uint32_t kArgon2MaxIterations = 64;

// Argon2id (v1.3, RFC 9106), our own implementation (crypto/argon2*.cpp; libsodium's
// crypto_pwhash is fixed at one lane and cannot compute a 4-lane key): BLAKE2b from
// libsodium, the block function in SSSE3, AVX2 or AVX-512 when the CPU has them, lanes
// on up to min(lanes, CPUs) threads; the key never depends on the thread count. Memory
// it cannot get is Internal.
CryptoResult<SecretBuffer> argon2id(ByteView password, ByteView salt, const Argon2Params& params,
                                    std::size_t out_len = 32);

}  // namespace pah
