// SPDX-License-Identifier: MIT
// Argon2id v1.3 (RFC 9106): parameter checks, H0 and H' on libsodium's BLAKE2b, the
// memory, the choice of block function, and the tag. The passes are argon2_fill.cpp's.
#include "crypto/argon2.hpp"

#include <sched.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <thread>

#include <sodium.h>

#include "crypto/argon2_blocks.hpp"
#include "crypto/argon2_internal.hpp"

namespace pah {

namespace argon2 {

namespace {

constexpr std::uint32_t kVersion = 0x13;
constexpr std::uint32_t kTypeArgon2id = 2;
constexpr std::size_t kMinSalt = 8;
constexpr std::size_t kMaxSalt = 1024;
constexpr std::size_t kMaxInput = std::size_t{1} << 20;  // password, secret, associated data

void store32_le(std::uint8_t* out, std::uint32_t value) noexcept {
    for (int i = 0; i < 4; ++i) {
        out[i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

std::uint64_t load64_le(const std::uint8_t* in) noexcept {
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) {
        value = (value << 8) | in[i];
    }
    return value;
}

void store64_le(std::uint8_t* out, std::uint64_t value) noexcept {
    for (int i = 0; i < 8; ++i) {
        out[i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

void hash_update(crypto_generichash_state& state, ByteView bytes) noexcept {
    if (!bytes.empty()) {
        crypto_generichash_update(&state, bytes.data(), bytes.size());
    }
}

void hash_update_length(crypto_generichash_state& state, std::size_t length) noexcept {
    std::uint8_t le[4];
    store32_le(le, static_cast<std::uint32_t>(length));
    crypto_generichash_update(&state, le, sizeof le);
}

// H'^T (RFC 9106 section 3.3): BLAKE2b of LE32(T) || in when T <= 64, else a chain of
// 64-byte BLAKE2b outputs of which all but the last contribute their first 32 bytes.
void hash_long(std::uint8_t* out, std::size_t out_len, ByteView in) noexcept {
    crypto_generichash_state state;
    if (out_len <= crypto_generichash_BYTES_MAX) {
        crypto_generichash_init(&state, nullptr, 0, out_len);
        hash_update_length(state, out_len);
        hash_update(state, in);
        crypto_generichash_final(&state, out, out_len);
        sodium_memzero(&state, sizeof state);
        return;
    }
    std::uint8_t v[crypto_generichash_BYTES_MAX];
    std::uint8_t w[crypto_generichash_BYTES_MAX];
    crypto_generichash_init(&state, nullptr, 0, sizeof v);
    hash_update_length(state, out_len);
    hash_update(state, in);
    crypto_generichash_final(&state, v, sizeof v);
    sodium_memzero(&state, sizeof state);
    std::memcpy(out, v, 32);
    std::size_t done = 32;
    while (out_len - done > sizeof v) {
        crypto_generichash(w, sizeof w, v, sizeof v, nullptr, 0);
        std::memcpy(v, w, sizeof v);
        std::memcpy(out + done, v, 32);
        done += 32;
    }
    crypto_generichash(out + done, out_len - done, v, sizeof v, nullptr, 0);
    sodium_memzero(v, sizeof v);
    sodium_memzero(w, sizeof w);
}

// One anonymous mapping for the whole run: page-aligned, zero-filled, kept out of core
// dumps, wiped before it is unmapped. Not mlock'ed: 64 MiB is far above the usual
// RLIMIT_MEMLOCK; it holds password-derived state only while the hash runs.
class Memory {
public:
    Memory() noexcept = default;
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;
    ~Memory() {
        if (base_ != nullptr) {
            sodium_memzero(base_, size_);
            ::munmap(base_, size_);
        }
    }

    // False when the size overflows or the system refuses the memory.
    bool allocate(std::size_t blocks) noexcept {
        if (blocks == 0 || blocks > SIZE_MAX / kBlockBytes) {
            return false;
        }
        const std::size_t size = blocks * kBlockBytes;
        void* base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED) {
            return false;
        }
        base_ = base;
        size_ = size;
#if defined(MADV_DONTDUMP)
        if (::madvise(base_, size_, MADV_DONTDUMP) != 0) {
            return false;
        }
#endif
#if defined(MADV_HUGEPAGE)
        // A hint: 2 MiB pages take a 64 MiB run from ~16,000 page faults to ~32 and spare
        // the TLB on random reference reads (about a third of the run time here).
        (void)::madvise(base_, size_, MADV_HUGEPAGE);
#endif
        return true;
    }

    [[nodiscard]] Block* blocks() const noexcept { return static_cast<Block*>(base_); }

private:
    void* base_ = nullptr;
    std::size_t size_ = 0;
};

FillBlockFn block_function(Impl impl) noexcept {
#if defined(__x86_64__)
    __builtin_cpu_init();
    switch (impl) {
        case Impl::Auto:
            return block_function(best_impl());
        case Impl::Portable:
            return fill_block_portable;
        case Impl::Ssse3:
            return __builtin_cpu_supports("ssse3") ? fill_block_ssse3 : nullptr;
        case Impl::Avx2:
            return __builtin_cpu_supports("avx2") ? fill_block_avx2 : nullptr;
        case Impl::Avx512:
            return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                       ? fill_block_avx512
                       : nullptr;
    }
    return nullptr;
#else
    return impl == Impl::Auto || impl == Impl::Portable ? fill_block_portable : nullptr;
#endif
}

// The CPUs this process may run on (its affinity mask, e.g. a container's share).
unsigned usable_cpus() noexcept {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        const int count = CPU_COUNT(&set);
        if (count > 0) {
            return static_cast<unsigned>(count);
        }
    }
    return std::max(1U, std::thread::hardware_concurrency());
}

std::optional<CryptoError> check(const Input& in) {
    const Argon2Params& p = in.params;
    if (p.parallelism < 1 || p.parallelism > kArgon2MaxLanes) {
        return CryptoError{CryptoErrc::Unsupported, "Argon2id parallelism must be 1 to 16"};
    }
    if (p.memory_kib < 8 * p.parallelism || p.memory_kib > kArgon2MaxMemoryKib) {
        return CryptoError{CryptoErrc::Unsupported, "Argon2id memory must be 8 KiB per lane up to 4 GiB"};
    }
    if (p.iterations < 1 || p.iterations > kArgon2MaxIterations) {
        return CryptoError{CryptoErrc::Unsupported, "Argon2id iterations must be 1 to 64"};
    }
    if (in.salt.size() < kMinSalt || in.salt.size() > kMaxSalt) {
        return CryptoError{CryptoErrc::BadFormat, "the Argon2id salt must be 8 to 1024 bytes"};
    }
    if (in.out_len < 16 || in.out_len > 64) {
        return CryptoError{CryptoErrc::BadFormat, "the Argon2id output must be 16 to 64 bytes"};
    }
    if (in.password.size() > kMaxInput) {
        return CryptoError{CryptoErrc::BadFormat, "the password is too long"};
    }
    if (in.secret.size() > kMaxInput || in.associated_data.size() > kMaxInput) {
        return CryptoError{CryptoErrc::BadFormat, "the Argon2id secret or associated data is too long"};
    }
    return std::nullopt;
}

CryptoResult<SecretBuffer> run(const Input& in, FillBlockFn fill, unsigned threads) {
    const Argon2Params& p = in.params;
    // Memory rounds down to 4 * lanes blocks of 1 KiB.
    const std::uint32_t segment_length = p.memory_kib / (kSyncPoints * p.parallelism);
    const std::uint32_t lane_length = segment_length * kSyncPoints;
    const std::size_t memory_blocks = std::size_t{lane_length} * p.parallelism;
    Memory memory;
    if (!memory.allocate(memory_blocks + 3 * std::size_t{p.parallelism} + 1)) {
        return crypto_fail(CryptoErrc::Internal, "Argon2id could not allocate its memory");
    }
    Instance instance;
    instance.memory = memory.blocks();
    instance.work = instance.memory + memory_blocks;
    instance.zero = instance.work + 3 * std::size_t{p.parallelism};  // mmap gives zeros
    instance.passes = p.iterations;
    instance.lanes = p.parallelism;
    instance.lane_length = lane_length;
    instance.segment_length = segment_length;
    instance.fill = fill;

    // H0, followed by room for LE32(block) || LE32(lane).
    SecretBuffer seed(crypto_generichash_BYTES_MAX + 8);
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, crypto_generichash_BYTES_MAX);
    for (const std::size_t value : {std::size_t{p.parallelism}, in.out_len, std::size_t{p.memory_kib},
                                    std::size_t{p.iterations}, std::size_t{kVersion}, std::size_t{kTypeArgon2id}}) {
        hash_update_length(state, value);
    }
    for (const ByteView part : {in.password, in.salt, in.secret, in.associated_data}) {
        hash_update_length(state, part.size());
        hash_update(state, part);
    }
    crypto_generichash_final(&state, seed.data(), crypto_generichash_BYTES_MAX);
    sodium_memzero(&state, sizeof state);

    SecretBuffer bytes(kBlockBytes);
    for (std::uint32_t lane = 0; lane < p.parallelism; ++lane) {
        for (std::uint32_t column = 0; column < 2; ++column) {
            store32_le(seed.data() + crypto_generichash_BYTES_MAX, column);
            store32_le(seed.data() + crypto_generichash_BYTES_MAX + 4, lane);
            hash_long(bytes.data(), kBlockBytes, seed.span());
            Block& block = instance.memory[std::size_t{lane} * lane_length + column];
            for (std::size_t k = 0; k < kBlockWords; ++k) {
                block.v[k] = load64_le(bytes.data() + 8 * k);
            }
        }
    }

    fill_memory(instance, threads);

    // The tag: H' of the XOR of every lane's last block.
    for (std::size_t k = 0; k < kBlockWords; ++k) {
        std::uint64_t word = 0;
        for (std::uint32_t lane = 0; lane < p.parallelism; ++lane) {
            word ^= instance.memory[std::size_t{lane} * lane_length + lane_length - 1].v[k];
        }
        store64_le(bytes.data() + 8 * k, word);
    }
    SecretBuffer out(in.out_len);
    hash_long(out.data(), out.size(), bytes.span());
    return out;
}

}  // namespace

std::string_view impl_name(Impl impl) noexcept {
    switch (impl) {
        case Impl::Auto:
            return "auto";
        case Impl::Portable:
            return "portable";
        case Impl::Ssse3:
            return "ssse3";
        case Impl::Avx2:
            return "avx2";
        case Impl::Avx512:
            return "avx512";
    }
    return "?";
}

bool impl_available(Impl impl) noexcept {
    return block_function(impl) != nullptr;
}

Impl best_impl() noexcept {
    for (const Impl impl : {Impl::Avx512, Impl::Avx2, Impl::Ssse3}) {
        if (impl_available(impl)) {
            return impl;
        }
    }
    return Impl::Portable;
}

CryptoResult<SecretBuffer> hash(const Input& input, const Options& options) {
    if (auto error = check(input)) {
        return std::unexpected(std::move(*error));
    }
    const FillBlockFn fill = block_function(options.impl);
    if (fill == nullptr) {
        return crypto_fail(CryptoErrc::Unsupported,
                           "this CPU cannot run the Argon2id block function " + std::string(impl_name(options.impl)));
    }
    const unsigned threads = options.threads != 0 ? options.threads : usable_cpus();
    try {
        return run(input, fill, std::min(threads, input.params.parallelism));
    } catch (const std::bad_alloc&) {  // SecretBuffer: no locked memory left
        return crypto_fail(CryptoErrc::Internal, "Argon2id could not allocate its memory");
    }
}

}  // namespace argon2

CryptoResult<SecretBuffer> argon2id(ByteView password, ByteView salt, const Argon2Params& params,
                                    std::size_t out_len) {
    return argon2::hash({password, salt, {}, {}, params, out_len});
}

}  // namespace pah
