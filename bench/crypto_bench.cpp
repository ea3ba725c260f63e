// SPDX-License-Identifier: MIT
// Crypto figures (printed, never asserted):
//  - Argon2id 64 MiB / 3 / 4: ours through each block function, libargon2 (the
//    reference C build), and hash-wasm (node, same machine, same run); target: ours at
//    most 0.5x the JS time.
//  - AES-256-GCM opens per second of 200-byte records on one core (target >= 200,000/s).
//  - TOTP codes per second; sjcl (Passman) and CryptoJS (Passwork) field opens per second.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <argon2.h>
#include <sodium.h>

#include "bench_util.hpp"
#include "crypto/aes_gcm.hpp"
#include "crypto/argon2.hpp"
#include "crypto/argon2_internal.hpp"
#include "crypto/cryptojs.hpp"
#include "crypto/random.hpp"
#include "crypto/sjcl.hpp"
#include "totp/totp.hpp"

using namespace pah;
using pah::bench::Clock;
using pah::bench::ms_since;

namespace {

// Runs `op` for about `seconds` and returns operations per second.
template <class Op>
double per_second(Op op, double seconds = 1.0) {
    std::size_t count = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        for (int i = 0; i < 256; ++i) {
            op(count++);
        }
        elapsed = ms_since(start) / 1000.0;
    } while (elapsed < seconds);
    return static_cast<double>(count) / elapsed;
}

// The JS side: tests/crossjs/bench-argon2.mjs, when node and its node_modules exist.
double js_argon2_best_ms(int runs) {
    const auto crossjs = std::filesystem::path(__FILE__).parent_path().parent_path() / "tests" / "crossjs";
    if (!std::filesystem::exists(crossjs / "node_modules" / "hash-wasm")) {
        std::printf("  hash-wasm (JS): skipped, run `npm ci` in tests/crossjs\n");
        return -1;
    }
    const std::string command = "node \"" + (crossjs / "bench-argon2.mjs").string() + "\" " +
                                std::to_string(runs) + " 65536 3 4 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return -1;
    }
    std::array<char, 512> line{};
    std::string output;
    while (std::fgets(line.data(), static_cast<int>(line.size()), pipe) != nullptr) {
        output += line.data();
    }
    if (::pclose(pipe) != 0) {
        std::printf("  hash-wasm (JS): node failed (is node installed?)\n");
        return -1;
    }
    const auto key = output.find("\"best_ms\":");
    if (key == std::string::npos) {
        return -1;
    }
    return std::strtod(output.c_str() + key + 10, nullptr);
}

// Best of `runs` wall-clock times of `op`, or a negative value when it fails.
template <class Op>
double best_ms(int runs, Op op) {
    double best = 1e30;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        if (!op()) {
            return -1;
        }
        best = std::min(best, ms_since(start));
    }
    return best;
}

void bench_argon2() {
    constexpr int kRuns = 3;
    const Argon2Params params{65536, 3, 4};
    const std::string_view password = "correct horse battery staple";
    const Bytes salt = random_vector(16);
    std::printf("Argon2id 64 MiB / 3 iterations / 4 lanes, best of %d:\n", kRuns);
    double ours = -1;
    for (const argon2::Impl impl : {argon2::Impl::Auto, argon2::Impl::Portable, argon2::Impl::Ssse3,
                                    argon2::Impl::Avx2, argon2::Impl::Avx512}) {
        std::string label = "ours, " + std::string(argon2::impl_name(impl));
        if (impl == argon2::Impl::Auto) {
            label += " = " + std::string(argon2::impl_name(argon2::best_impl()));
        }
        if (!argon2::impl_available(impl)) {
            std::printf("  %-28s      n/a  (this CPU cannot run it)\n", label.c_str());
            continue;
        }
        const double ms = best_ms(kRuns, [&] {
            return argon2::hash({as_bytes(password), salt, {}, {}, params, 32}, {impl, 0}).has_value();
        });
        std::printf("  %-28s %8.1f ms\n", label.c_str(), ms);
        if (impl == argon2::Impl::Auto) {
            ours = ms;
        }
    }
    const double reference = best_ms(kRuns, [&] {
        std::array<std::uint8_t, 32> key{};
        const int rc = argon2id_hash_raw(params.iterations, params.memory_kib, params.parallelism,
                                         password.data(), password.size(), salt.data(), salt.size(),
                                         key.data(), key.size());
        sodium_memzero(key.data(), key.size());
        return rc == ARGON2_OK;
    });
    std::printf("  %-28s %8.1f ms\n", "libargon2 (4 threads)", reference);
    const double js = js_argon2_best_ms(kRuns);
    if (js > 0) {
        std::printf("  %-28s %8.1f ms\n", "hash-wasm (JS, node)", js);
        if (ours > 0) {
            std::printf("  %-28s %8.2f  (target <= 0.50)\n", "ratio ours/hash-wasm", ours / js);
        }
    }
}

void bench_gcm() {
    const Bytes key = random_vector(32);
    std::vector<GcmBox> boxes;
    for (int i = 0; i < 1024; ++i) {
        auto box = gcm_seal(key, random_vector(200));
        if (!box) {
            std::printf("AES-256-GCM: seal failed\n");
            return;
        }
        boxes.push_back(std::move(*box));
    }
    std::size_t failures = 0;
    const double into = per_second([&](std::size_t i) {
        static SecretBuffer out(256);
        const auto& box = boxes[i % boxes.size()];
        failures += gcm_open_into(key, box.iv, box.ciphertext, out.span()) ? 0U : 1U;
    });
    const double fresh = per_second([&](std::size_t i) {
        failures += gcm_open(key, boxes[i % boxes.size()]) ? 0U : 1U;
    });
    std::printf("AES-256-GCM open, 200-byte records, one core:\n");
    std::printf("  into a reused locked buffer:  %10.0f /s  (target >= 200,000)\n", into);
    std::printf("  into a fresh SecretBuffer:    %10.0f /s  (sodium_malloc per record)\n", fresh);
    if (failures != 0) {
        std::printf("  WARNING: %zu opens failed\n", failures);
    }
}

void bench_totp() {
    const Bytes key = random_vector(20);
    std::size_t sink = 0;
    const TotpParams params{TotpAlgorithm::Sha1, 6, 30};
    const double rate = per_second([&](std::size_t i) {
        sink += totp_at(key, params, static_cast<std::int64_t>(1'700'000'000 + i * 30)).code[0] == '0' ? 1U : 0U;
    });
    std::printf("TOTP (SHA-1, 6 digits):         %10.0f codes/s  (%zu)\n", rate, sink % 10);
}

void bench_fields() {
    Pbkdf2Cache cache;
    const auto field = sjcl_encrypt(as_bytes("vault key"), as_bytes("\"a 24-byte password here\""), &cache);
    const auto passwork = cryptojs_encrypt(as_bytes("a 24-byte password here"), as_bytes("group pw"));
    if (!field || !passwork) {
        return;
    }
    const double sjcl_rate = per_second([&](std::size_t) { (void)sjcl_decrypt(as_bytes("vault key"), *field, &cache); }, 0.5);
    const double cjs_rate = per_second([&](std::size_t) { (void)cryptojs_decrypt(*passwork, as_bytes("group pw")); }, 0.5);
    std::printf("sjcl field open (cached key):   %10.0f /s\n", sjcl_rate);
    std::printf("CryptoJS field open:            %10.0f /s\n", cjs_rate);
}

}  // namespace

int main() {
    if (sodium_init() < 0) {
        return 1;
    }
    bench_gcm();
    bench_totp();
    bench_fields();
    bench_argon2();
    return 0;
}
