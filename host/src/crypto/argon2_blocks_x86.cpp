// SPDX-License-Identifier: MIT
// G with SSSE3, AVX2 and AVX-512 (F + BW). Each function carries its own target
// attribute, so the rest of the build stays baseline x86-64; argon2.cpp picks one at run
// time with __builtin_cpu_supports. Compiled only on x86-64.
//
// The 1 KiB block is an 8x8 matrix of 16-byte registers (two words each). P mixes
// sixteen words v0..v15 in columns (v0,v4,v8,v12)... then diagonals (v0,v5,v10,v15)....
// Two layouts keep four quartets lined up in vector lanes:
//  - "wide": one register holds v0..v3, the next v4..v7, and so on; the diagonals are
//    a rotation across the register (the AVX2 row round);
//  - "paired": each 16-byte lane holds (v2k, v2k+1); registers x0..x7 hold pairs 0..7,
//    and the diagonals are byte rotations within each 16-byte lane (SSSE3 rows and
//    columns, AVX2 columns with two columns side by side, AVX-512 with four).
#if defined(__x86_64__)

// GCC 12's AVX-512 headers fill "undefined" operands with a self-initialised variable,
// which -Wuninitialized reports once the intrinsics are inlined (GCC bug 105593, fixed
// in GCC 13). The warning is about the header, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <cstddef>
#pragma GCC diagnostic pop

#include "crypto/argon2_blocks.hpp"

namespace pah::argon2 {

namespace {

// ---------------------------------------------------------------- SSSE3

[[gnu::target("ssse3"), gnu::always_inline]] inline __m128i blamka128(__m128i a, __m128i b) noexcept {
    const __m128i product = _mm_mul_epu32(a, b);
    return _mm_add_epi64(_mm_add_epi64(a, b), _mm_add_epi64(product, product));
}

[[gnu::target("ssse3"), gnu::always_inline]] inline void mix128(__m128i& a, __m128i& b, __m128i& c,
                                                                __m128i& d) noexcept {
    const __m128i rotr24 = _mm_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    const __m128i rotr16 = _mm_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
    a = blamka128(a, b);
    d = _mm_shuffle_epi32(_mm_xor_si128(d, a), _MM_SHUFFLE(2, 3, 0, 1));
    c = blamka128(c, d);
    b = _mm_shuffle_epi8(_mm_xor_si128(b, c), rotr24);
    a = blamka128(a, b);
    d = _mm_shuffle_epi8(_mm_xor_si128(d, a), rotr16);
    c = blamka128(c, d);
    b = _mm_xor_si128(b, c);
    b = _mm_xor_si128(_mm_srli_epi64(b, 63), _mm_add_epi64(b, b));
}

// P in the paired layout.
[[gnu::target("ssse3"), gnu::always_inline]] inline void permute_paired128(__m128i (&x)[8]) noexcept {
    mix128(x[0], x[2], x[4], x[6]);
    mix128(x[1], x[3], x[5], x[7]);
    // Diagonals: lane 0 of x0 meets v5, v10, v15; lane 1 meets v6, v11, v12; and so on.
    __m128i b0 = _mm_alignr_epi8(x[3], x[2], 8);
    __m128i b1 = _mm_alignr_epi8(x[2], x[3], 8);
    __m128i d0 = _mm_alignr_epi8(x[6], x[7], 8);
    __m128i d1 = _mm_alignr_epi8(x[7], x[6], 8);
    mix128(x[0], b0, x[5], d0);
    mix128(x[1], b1, x[4], d1);
    x[2] = _mm_alignr_epi8(b0, b1, 8);
    x[3] = _mm_alignr_epi8(b1, b0, 8);
    x[6] = _mm_alignr_epi8(d1, d0, 8);
    x[7] = _mm_alignr_epi8(d0, d1, 8);
}

// ---------------------------------------------------------------- AVX2

[[gnu::target("avx2"), gnu::always_inline]] inline __m256i blamka256(__m256i a, __m256i b) noexcept {
    const __m256i product = _mm256_mul_epu32(a, b);
    return _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(product, product));
}

[[gnu::target("avx2"), gnu::always_inline]] inline void mix256(__m256i& a, __m256i& b, __m256i& c,
                                                               __m256i& d) noexcept {
    const __m256i rotr24 = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,  //
                                            3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    const __m256i rotr16 = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,  //
                                            2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
    a = blamka256(a, b);
    d = _mm256_shuffle_epi32(_mm256_xor_si256(d, a), _MM_SHUFFLE(2, 3, 0, 1));
    c = blamka256(c, d);
    b = _mm256_shuffle_epi8(_mm256_xor_si256(b, c), rotr24);
    a = blamka256(a, b);
    d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), rotr16);
    c = blamka256(c, d);
    b = _mm256_xor_si256(b, c);
    b = _mm256_xor_si256(_mm256_srli_epi64(b, 63), _mm256_add_epi64(b, b));
}

// P in the wide layout: a = v0..v3, b = v4..v7, c = v8..v11, d = v12..v15.
[[gnu::target("avx2"), gnu::always_inline]] inline void permute_wide256(__m256i& a, __m256i& b, __m256i& c,
                                                                        __m256i& d) noexcept {
    mix256(a, b, c, d);
    b = _mm256_permute4x64_epi64(b, _MM_SHUFFLE(0, 3, 2, 1));  // v5 v6 v7 v4
    c = _mm256_permute4x64_epi64(c, _MM_SHUFFLE(1, 0, 3, 2));  // v10 v11 v8 v9
    d = _mm256_permute4x64_epi64(d, _MM_SHUFFLE(2, 1, 0, 3));  // v15 v12 v13 v14
    mix256(a, b, c, d);
    b = _mm256_permute4x64_epi64(b, _MM_SHUFFLE(2, 1, 0, 3));
    c = _mm256_permute4x64_epi64(c, _MM_SHUFFLE(1, 0, 3, 2));
    d = _mm256_permute4x64_epi64(d, _MM_SHUFFLE(0, 3, 2, 1));
}

// P in the paired layout, on two (AVX2) independent sets of sixteen words at once.
[[gnu::target("avx2"), gnu::always_inline]] inline void permute_paired256(__m256i (&x)[8]) noexcept {
    mix256(x[0], x[2], x[4], x[6]);
    mix256(x[1], x[3], x[5], x[7]);
    __m256i b0 = _mm256_alignr_epi8(x[3], x[2], 8);
    __m256i b1 = _mm256_alignr_epi8(x[2], x[3], 8);
    __m256i d0 = _mm256_alignr_epi8(x[6], x[7], 8);
    __m256i d1 = _mm256_alignr_epi8(x[7], x[6], 8);
    mix256(x[0], b0, x[5], d0);
    mix256(x[1], b1, x[4], d1);
    x[2] = _mm256_alignr_epi8(b0, b1, 8);
    x[3] = _mm256_alignr_epi8(b1, b0, 8);
    x[6] = _mm256_alignr_epi8(d1, d0, 8);
    x[7] = _mm256_alignr_epi8(d0, d1, 8);
}

// ---------------------------------------------------------------- AVX-512

[[gnu::target("avx512f,avx512bw"), gnu::always_inline]] inline __m512i blamka512(__m512i a,
                                                                                 __m512i b) noexcept {
    const __m512i product = _mm512_mul_epu32(a, b);
    return _mm512_add_epi64(_mm512_add_epi64(a, b), _mm512_add_epi64(product, product));
}

[[gnu::target("avx512f,avx512bw"), gnu::always_inline]] inline void mix512(__m512i& a, __m512i& b,
                                                                           __m512i& c, __m512i& d) noexcept {
    a = blamka512(a, b);
    d = _mm512_ror_epi64(_mm512_xor_si512(d, a), 32);
    c = blamka512(c, d);
    b = _mm512_ror_epi64(_mm512_xor_si512(b, c), 24);
    a = blamka512(a, b);
    d = _mm512_ror_epi64(_mm512_xor_si512(d, a), 16);
    c = blamka512(c, d);
    b = _mm512_ror_epi64(_mm512_xor_si512(b, c), 63);
}

// P in the wide layout, on two rows at once (one per 256-bit half).
[[gnu::target("avx512f,avx512bw"), gnu::always_inline]] inline void permute_wide512(__m512i& a, __m512i& b,
                                                                                    __m512i& c,
                                                                                    __m512i& d) noexcept {
    mix512(a, b, c, d);
    b = _mm512_permutex_epi64(b, _MM_SHUFFLE(0, 3, 2, 1));
    c = _mm512_permutex_epi64(c, _MM_SHUFFLE(1, 0, 3, 2));
    d = _mm512_permutex_epi64(d, _MM_SHUFFLE(2, 1, 0, 3));
    mix512(a, b, c, d);
    b = _mm512_permutex_epi64(b, _MM_SHUFFLE(2, 1, 0, 3));
    c = _mm512_permutex_epi64(c, _MM_SHUFFLE(1, 0, 3, 2));
    d = _mm512_permutex_epi64(d, _MM_SHUFFLE(0, 3, 2, 1));
}

// P in the paired layout, on four columns at once.
[[gnu::target("avx512f,avx512bw"), gnu::always_inline]] inline void permute_paired512(__m512i (&x)[8]) noexcept {
    mix512(x[0], x[2], x[4], x[6]);
    mix512(x[1], x[3], x[5], x[7]);
    __m512i b0 = _mm512_alignr_epi8(x[3], x[2], 8);
    __m512i b1 = _mm512_alignr_epi8(x[2], x[3], 8);
    __m512i d0 = _mm512_alignr_epi8(x[6], x[7], 8);
    __m512i d1 = _mm512_alignr_epi8(x[7], x[6], 8);
    mix512(x[0], b0, x[5], d0);
    mix512(x[1], b1, x[4], d1);
    x[2] = _mm512_alignr_epi8(b0, b1, 8);
    x[3] = _mm512_alignr_epi8(b1, b0, 8);
    x[6] = _mm512_alignr_epi8(d1, d0, 8);
    x[7] = _mm512_alignr_epi8(d0, d1, 8);
}

}  // namespace

[[gnu::target("ssse3")]] void fill_block_ssse3(const Block& prev, const Block& ref, Block& next,
                                               Block& scratch, bool xor_into) noexcept {
    const auto* p = reinterpret_cast<const __m128i*>(prev.v);
    const auto* q = reinterpret_cast<const __m128i*>(ref.v);
    auto* s = reinterpret_cast<__m128i*>(scratch.v);
    auto* n = reinterpret_cast<__m128i*>(next.v);
    // Rows: registers 8*row .. 8*row+7.
    for (std::ptrdiff_t row = 0; row < 8; ++row) {
        __m128i x[8];
        for (std::ptrdiff_t k = 0; k < 8; ++k) {
            x[k] = _mm_xor_si128(_mm_load_si128(p + 8 * row + k), _mm_load_si128(q + 8 * row + k));
        }
        permute_paired128(x);
        for (std::ptrdiff_t k = 0; k < 8; ++k) {
            _mm_store_si128(s + 8 * row + k, x[k]);
        }
    }
    // Columns: registers col, 8+col, ..., 56+col; the result goes straight to `next`.
    for (std::ptrdiff_t col = 0; col < 8; ++col) {
        __m128i x[8];
        for (std::ptrdiff_t k = 0; k < 8; ++k) {
            x[k] = _mm_load_si128(s + 8 * k + col);
        }
        permute_paired128(x);
        for (std::ptrdiff_t k = 0; k < 8; ++k) {
            const std::ptrdiff_t at = 8 * k + col;
            __m128i out = _mm_xor_si128(x[k], _mm_xor_si128(_mm_load_si128(p + at), _mm_load_si128(q + at)));
            if (xor_into) {
                out = _mm_xor_si128(out, _mm_load_si128(n + at));
            }
            _mm_store_si128(n + at, out);
        }
    }
}

[[gnu::target("avx2")]] void fill_block_avx2(const Block& prev, const Block& ref, Block& next,
                                             Block& scratch, bool xor_into) noexcept {
    const auto* p = reinterpret_cast<const __m256i*>(prev.v);
    const auto* q = reinterpret_cast<const __m256i*>(ref.v);
    auto* s = reinterpret_cast<__m256i*>(scratch.v);
    auto* n = reinterpret_cast<__m256i*>(next.v);
    // Rows (wide layout): registers 4*row .. 4*row+3.
    for (std::ptrdiff_t row = 0; row < 8; ++row) {
        __m256i x[4];
        for (std::ptrdiff_t k = 0; k < 4; ++k) {
            x[k] = _mm256_xor_si256(_mm256_load_si256(p + 4 * row + k), _mm256_load_si256(q + 4 * row + k));
        }
        permute_wide256(x[0], x[1], x[2], x[3]);
        for (std::ptrdiff_t k = 0; k < 4; ++k) {
            _mm256_store_si256(s + 4 * row + k, x[k]);
        }
    }
    // Columns 2*pair and 2*pair+1 (paired layout): register 4*k + pair holds both
    // columns' words of row k.
    for (std::ptrdiff_t pair = 0; pair < 4; ++pair) {
        __m256i x[8];
        for (std::ptrdiff_t k = 0; k < 8; ++k) {
            x[k] = _mm256_load_si256(s + 4 * k + pair);
        }
        permute_paired256(x);
        for (std::ptrdiff_t k = 0; k < 8; ++k) {
            const std::ptrdiff_t at = 4 * k + pair;
            __m256i out = _mm256_xor_si256(
                x[k], _mm256_xor_si256(_mm256_load_si256(p + at), _mm256_load_si256(q + at)));
            if (xor_into) {
                out = _mm256_xor_si256(out, _mm256_load_si256(n + at));
            }
            _mm256_store_si256(n + at, out);
        }
    }
}

// The whole block stays in sixteen registers: lo[r] = words 16r..16r+7 (columns 0..3
// of row r), hi[r] = words 16r+8..16r+15 (columns 4..7). `scratch` is not needed.
[[gnu::target("avx512f,avx512bw")]] void fill_block_avx512(const Block& prev, const Block& ref, Block& next,
                                                           Block& /*scratch*/, bool xor_into) noexcept {
    const auto* p = reinterpret_cast<const __m512i*>(prev.v);
    const auto* q = reinterpret_cast<const __m512i*>(ref.v);
    auto* n = reinterpret_cast<__m512i*>(next.v);
    __m512i lo[8];
    __m512i hi[8];
    for (std::ptrdiff_t r = 0; r < 8; ++r) {
        lo[r] = _mm512_xor_si512(_mm512_load_si512(p + 2 * r), _mm512_load_si512(q + 2 * r));
        hi[r] = _mm512_xor_si512(_mm512_load_si512(p + 2 * r + 1), _mm512_load_si512(q + 2 * r + 1));
    }
    // Rows r and r+1 in the wide layout, one per 256-bit half.
    for (std::ptrdiff_t r = 0; r < 8; r += 2) {
        __m512i a = _mm512_shuffle_i64x2(lo[r], lo[r + 1], 0x44);  // v0..v3 of both rows
        __m512i b = _mm512_shuffle_i64x2(lo[r], lo[r + 1], 0xEE);  // v4..v7
        __m512i c = _mm512_shuffle_i64x2(hi[r], hi[r + 1], 0x44);
        __m512i d = _mm512_shuffle_i64x2(hi[r], hi[r + 1], 0xEE);
        permute_wide512(a, b, c, d);
        lo[r] = _mm512_shuffle_i64x2(a, b, 0x44);
        lo[r + 1] = _mm512_shuffle_i64x2(a, b, 0xEE);
        hi[r] = _mm512_shuffle_i64x2(c, d, 0x44);
        hi[r + 1] = _mm512_shuffle_i64x2(c, d, 0xEE);
    }
    // Columns 0..3 and 4..7 in the paired layout.
    permute_paired512(lo);
    permute_paired512(hi);
    for (std::ptrdiff_t r = 0; r < 8; ++r) {
        for (std::ptrdiff_t half = 0; half < 2; ++half) {
            const std::ptrdiff_t at = 2 * r + half;
            const __m512i z = half == 0 ? lo[r] : hi[r];
            // 0x96: the XOR of all three operands.
            __m512i out = _mm512_ternarylogic_epi64(z, _mm512_load_si512(p + at), _mm512_load_si512(q + at), 0x96);
            if (xor_into) {
                out = _mm512_xor_si512(out, _mm512_load_si512(n + at));
            }
            _mm512_store_si512(n + at, out);
        }
    }
}

}  // namespace pah::argon2

#endif  // __x86_64__
