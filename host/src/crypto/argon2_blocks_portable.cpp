// SPDX-License-Identifier: MIT
// G in plain C++: the reference for the SIMD versions and the path on CPUs without them.
#include <bit>

#include "crypto/argon2_blocks.hpp"

namespace pah::argon2 {

namespace {

// BlaMka: a + b + 2 * lo32(a) * lo32(b), all mod 2^64.
inline std::uint64_t blamka(std::uint64_t a, std::uint64_t b) noexcept {
    constexpr std::uint64_t kLow = 0xFFFFFFFFU;
    return a + b + 2 * ((a & kLow) * (b & kLow));
}

inline void mix(std::uint64_t& a, std::uint64_t& b, std::uint64_t& c, std::uint64_t& d) noexcept {
    a = blamka(a, b);
    d = std::rotr(d ^ a, 32);
    c = blamka(c, d);
    b = std::rotr(b ^ c, 24);
    a = blamka(a, b);
    d = std::rotr(d ^ a, 16);
    c = blamka(c, d);
    b = std::rotr(b ^ c, 63);
}

// The permutation P on sixteen words w[at[0]], ..., w[at[15]].
inline void permute(std::uint64_t* w, const std::size_t (&at)[16]) noexcept {
    mix(w[at[0]], w[at[4]], w[at[8]], w[at[12]]);
    mix(w[at[1]], w[at[5]], w[at[9]], w[at[13]]);
    mix(w[at[2]], w[at[6]], w[at[10]], w[at[14]]);
    mix(w[at[3]], w[at[7]], w[at[11]], w[at[15]]);
    mix(w[at[0]], w[at[5]], w[at[10]], w[at[15]]);
    mix(w[at[1]], w[at[6]], w[at[11]], w[at[12]]);
    mix(w[at[2]], w[at[7]], w[at[8]], w[at[13]]);
    mix(w[at[3]], w[at[4]], w[at[9]], w[at[14]]);
}

}  // namespace

void fill_block_portable(const Block& prev, const Block& ref, Block& next, Block& scratch,
                         bool xor_into) noexcept {
    std::uint64_t* r = scratch.v;
    for (std::size_t k = 0; k < kBlockWords; ++k) {
        r[k] = prev.v[k] ^ ref.v[k];
    }
    // The block is an 8x8 matrix of 16-byte registers: P on each row, then each column.
    for (std::size_t row = 0; row < 8; ++row) {
        std::size_t at[16];
        for (std::size_t k = 0; k < 16; ++k) {
            at[k] = 16 * row + k;
        }
        permute(r, at);
    }
    for (std::size_t col = 0; col < 8; ++col) {
        std::size_t at[16];
        for (std::size_t k = 0; k < 8; ++k) {
            at[2 * k] = 16 * k + 2 * col;
            at[2 * k + 1] = 16 * k + 2 * col + 1;
        }
        permute(r, at);
    }
    for (std::size_t k = 0; k < kBlockWords; ++k) {
        const std::uint64_t old = xor_into ? next.v[k] : 0;
        next.v[k] = old ^ prev.v[k] ^ ref.v[k] ^ r[k];
    }
}

}  // namespace pah::argon2
