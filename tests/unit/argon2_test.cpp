// SPDX-License-Identifier: MIT
// Our Argon2id against RFC 9106's test vector and against libargon2 (the reference C
// implementation, linked into the tests only), through every block function this CPU
// runs and with different thread counts.
#include <catch2/catch.hpp>

#include <argon2.h>

#include <random>
#include <string>
#include <vector>

#include "crypto/argon2_internal.hpp"

using namespace pah;

namespace {

std::vector<argon2::Impl> runnable_impls() {
    std::vector<argon2::Impl> impls;
    for (const argon2::Impl impl : argon2::kAllImpls) {
        if (argon2::impl_available(impl)) {
            impls.push_back(impl);
        }
    }
    return impls;
}

struct Case {
    Bytes password;
    Bytes salt;
    Bytes secret;
    Bytes associated_data;
    Argon2Params params;
    std::size_t out_len = 32;

    [[nodiscard]] argon2::Input input() const {
        return {password, salt, secret, associated_data, params, out_len};
    }
};

// libargon2's answer for the same inputs.
Bytes reference_hash(Case& c) {
    Bytes out(c.out_len);
    argon2_context ctx{};
    ctx.out = out.data();
    ctx.outlen = static_cast<std::uint32_t>(out.size());
    ctx.pwd = c.password.empty() ? nullptr : c.password.data();
    ctx.pwdlen = static_cast<std::uint32_t>(c.password.size());
    ctx.salt = c.salt.data();
    ctx.saltlen = static_cast<std::uint32_t>(c.salt.size());
    ctx.secret = c.secret.empty() ? nullptr : c.secret.data();
    ctx.secretlen = static_cast<std::uint32_t>(c.secret.size());
    ctx.ad = c.associated_data.empty() ? nullptr : c.associated_data.data();
    ctx.adlen = static_cast<std::uint32_t>(c.associated_data.size());
    ctx.t_cost = c.params.iterations;
    ctx.m_cost = c.params.memory_kib;
    ctx.lanes = c.params.parallelism;
    ctx.threads = c.params.parallelism;
    ctx.version = ARGON2_VERSION_13;
    ctx.flags = ARGON2_DEFAULT_FLAGS;
    REQUIRE(argon2_ctx(&ctx, Argon2_id) == ARGON2_OK);
    return out;
}

Bytes random_bytes(std::mt19937_64& rng, std::size_t size) {
    Bytes out(size);
    for (auto& byte : out) {
        byte = static_cast<std::uint8_t>(rng());
    }
    return out;
}

std::uint32_t below(std::mt19937_64& rng, std::uint32_t bound) {
    return static_cast<std::uint32_t>(rng() % bound);
}

}  // namespace

TEST_CASE("Argon2id matches the RFC 9106 test vector through every block function", "[crypto][argon2]") {
    // RFC 9106 section 5.3: 32 KiB, 3 passes, 4 lanes, a 32-byte tag, with a secret
    // and associated data.
    Case c{Bytes(32, 0x01), Bytes(16, 0x02), Bytes(8, 0x03), Bytes(12, 0x04), {32, 3, 4}, 32};
    const std::string expected = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";
    CHECK(hex_encode(reference_hash(c)) == expected);
    for (const argon2::Impl impl : runnable_impls()) {
        for (const unsigned threads : {1U, 2U, 4U}) {
            CAPTURE(argon2::impl_name(impl), threads);
            const auto tag = argon2::hash(c.input(), {impl, threads});
            REQUIRE(tag);
            CHECK(hex_encode(tag->span()) == expected);
        }
    }
}

TEST_CASE("Argon2id matches libargon2 on random inputs through every block function", "[crypto][argon2]") {
    const auto impls = runnable_impls();
    for (const argon2::Impl impl : argon2::kAllImpls) {
        if (!argon2::impl_available(impl)) {
            WARN("this CPU cannot run the " << argon2::impl_name(impl) << " block function; not tested");
        }
    }
    const std::uint64_t seed = Catch::rngSeed() != 0 ? Catch::rngSeed() : std::random_device{}();
    CAPTURE(seed);  // --rng-seed <seed> repeats a run
    std::mt19937_64 rng(seed);
    constexpr std::size_t kPasswordSizes[] = {0, 1, 64, 1000};
    constexpr int kCases = 240;
    for (int i = 0; i < kCases; ++i) {
        const std::uint32_t lanes = 1 + static_cast<std::uint32_t>(i) % 8;
        // Mostly tiny memories, any size from the minimum up (most are not a multiple of
        // 4 * lanes); every eighth case spans more than one address block per segment.
        const std::uint32_t memory = i % 8 == 7 ? 520 * lanes + below(rng, 300 * lanes)
                                                : 8 * lanes + below(rng, 56 * lanes + 3);
        Case c;
        c.password = random_bytes(rng, kPasswordSizes[static_cast<std::size_t>(i) % 4]);
        c.salt = random_bytes(rng, 8 + below(rng, 57));
        if (i % 5 == 0) {
            c.secret = random_bytes(rng, below(rng, 33));
            c.associated_data = random_bytes(rng, below(rng, 41));
        }
        c.params = {memory, 1 + below(rng, 4), lanes};
        c.out_len = 16 + below(rng, 49);
        CAPTURE(i, lanes, memory, c.params.iterations, c.out_len, c.password.size(), c.salt.size(),
                c.secret.size(), c.associated_data.size());
        const std::string expected = hex_encode(reference_hash(c));
        if (c.secret.empty() && c.associated_data.empty()) {
            const auto key = argon2id(c.password, c.salt, c.params, c.out_len);
            REQUIRE(key);
            CHECK(hex_encode(key->span()) == expected);
        }
        for (const argon2::Impl impl : impls) {
            const unsigned threads = 1 + below(rng, lanes);
            CAPTURE(argon2::impl_name(impl), threads);
            const auto key = argon2::hash(c.input(), {impl, threads});
            REQUIRE(key);
            CHECK(hex_encode(key->span()) == expected);
        }
    }
}

TEST_CASE("Argon2id gives the same key with any number of threads", "[crypto][argon2]") {
    Case c{Bytes(64, 0x5a), Bytes(16, 0xa5), {}, {}, {4 * 1024 + 13, 2, 8}, 32};
    const std::string expected = hex_encode(reference_hash(c));
    for (const unsigned threads : {1U, 2U, 3U, 5U, 8U, 64U}) {
        CAPTURE(threads);
        const auto key = argon2::hash(c.input(), {argon2::Impl::Auto, threads});
        REQUIRE(key);
        CHECK(hex_encode(key->span()) == expected);
    }
}

TEST_CASE("Argon2id refuses a block function this CPU cannot run", "[crypto][argon2]") {
    const Case c{Bytes(8, 1), Bytes(16, 2), {}, {}, {64, 1, 1}, 32};
    for (const argon2::Impl impl : argon2::kAllImpls) {
        CAPTURE(argon2::impl_name(impl));
        const auto key = argon2::hash(c.input(), {impl, 1});
        if (argon2::impl_available(impl)) {
            CHECK(key);
        } else {
            REQUIRE_FALSE(key);
            CHECK(key.error().code == CryptoErrc::Unsupported);
        }
    }
    CHECK(argon2::impl_available(argon2::Impl::Portable));
    CHECK(argon2::impl_available(argon2::best_impl()));
}

TEST_CASE("Argon2id refuses oversized secrets and associated data", "[crypto][argon2]") {
    const Bytes big((1U << 20) + 1, 0);
    const Bytes salt(16, 2);
    const auto with_secret = argon2::hash({{}, salt, big, {}, {64, 1, 1}, 32});
    REQUIRE_FALSE(with_secret);
    CHECK(with_secret.error().code == CryptoErrc::BadFormat);
    const auto with_ad = argon2::hash({{}, salt, {}, big, {64, 1, 1}, 32});
    REQUIRE_FALSE(with_ad);
    CHECK(with_ad.error().code == CryptoErrc::BadFormat);
}
