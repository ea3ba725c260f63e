// SPDX-License-Identifier: MIT
#pragma once
// Argon2's memory blocks and block function G (RFC 9106 section 3.5), shared by
// argon2.cpp (H0, first blocks, tag), argon2_fill.cpp (the passes) and the
// argon2_blocks_*.cpp implementations of G.

#include <cstddef>
#include <cstdint>

namespace pah::argon2 {

inline constexpr std::size_t kBlockBytes = 1024;
inline constexpr std::size_t kBlockWords = kBlockBytes / 8;
inline constexpr std::uint32_t kSyncPoints = 4;  // slices per pass

// 64-byte alignment: the SIMD versions use aligned loads of up to 64 bytes.
struct alignas(64) Block {
    std::uint64_t v[kBlockWords];
};

// next = G(prev, ref), or next ^= G(prev, ref) when `xor_into` (Argon2 v1.3, passes
// after the first). `scratch` holds the intermediate state so that it lives in the
// wiped Argon2 memory rather than on the stack. `ref` may be `next` (address blocks);
// `prev` never is.
using FillBlockFn = void (*)(const Block& prev, const Block& ref, Block& next, Block& scratch,
                             bool xor_into) noexcept;

void fill_block_portable(const Block& prev, const Block& ref, Block& next, Block& scratch,
                         bool xor_into) noexcept;
#if defined(__x86_64__)
void fill_block_ssse3(const Block& prev, const Block& ref, Block& next, Block& scratch,
                      bool xor_into) noexcept;
void fill_block_avx2(const Block& prev, const Block& ref, Block& next, Block& scratch,
                     bool xor_into) noexcept;
void fill_block_avx512(const Block& prev, const Block& ref, Block& next, Block& scratch,
                       bool xor_into) noexcept;
#endif

// The memory of one Argon2 run: lanes * lane_length blocks, lane after lane, then three
// working blocks per lane (G's scratch, the address generator's input and output) and
// one block of zeros.
struct Instance {
    Block* memory = nullptr;
    Block* work = nullptr;  // 3 * lanes blocks
    const Block* zero = nullptr;
    std::uint32_t passes = 0;
    std::uint32_t lanes = 0;
    std::uint32_t lane_length = 0;
    std::uint32_t segment_length = 0;
    FillBlockFn fill = nullptr;
};

// Runs every pass over memory whose first two blocks per lane are set, with up to
// `threads` threads (at least one; fewer if the system refuses to start more). The
// result is the same for any thread count.
void fill_memory(const Instance& instance, unsigned threads) noexcept;

}  // namespace pah::argon2
