// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>

#include "crypto/argon2.hpp"
#include "crypto/hkdf.hpp"
#include "crypto/sjcl.hpp"

using namespace pah;

namespace {

Bytes hex(std::string_view text) {
    auto bytes = hex_decode(text);
    REQUIRE(bytes);
    return *bytes;
}

}  // namespace

TEST_CASE("HKDF-SHA-256 matches RFC 5869 test cases 1 and 3", "[crypto][hkdf]") {
    const Bytes ikm(22, 0x0b);
    const auto case1 = hkdf_sha256(ikm, hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42);
    REQUIRE(case1);
    CHECK(hex_encode(case1->span()) ==
          "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    const auto case3 = hkdf_sha256(ikm, {}, {}, 42);
    REQUIRE(case3);
    CHECK(hex_encode(case3->span()) ==
          "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST_CASE("HKDF refuses empty key material and impossible lengths", "[crypto][hkdf]") {
    CHECK_FALSE(hkdf_sha256({}, {}, {}, 32));
    CHECK_FALSE(hkdf_sha256(hex("0b0b"), {}, {}, 0));
    CHECK_FALSE(hkdf_sha256(hex("0b0b"), {}, {}, 255 * 32 + 1));
}

TEST_CASE("PBKDF2-HMAC-SHA256 matches the RFC 7914 vector", "[crypto][pbkdf2]") {
    const auto key = pbkdf2_hmac_sha256(as_bytes("passwd"), as_bytes("salt"), 1, 64);
    REQUIRE(key);
    CHECK(hex_encode(key->span()) ==
          "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b3"
          "9d77ef317c71b845b1e30bd509112041d3a19783");
}

TEST_CASE("Argon2id matches the reference implementation's test vector", "[crypto][argon2]") {
    // libargon2's own test suite: t=2, m=64 MiB, p=1, "password", "somesalt".
    const auto key = argon2id(as_bytes("password"), as_bytes("somesalt"), {65536, 2, 1});
    REQUIRE(key);
    CHECK(hex_encode(key->span()) ==
          "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
}

TEST_CASE("Argon2id with four lanes matches hash-wasm's answer", "[crypto][argon2]") {
    // Computed with npm hash-wasm argon2id({password: "pässwörd", salt: "somesalt",
    // iterations: 3, memorySize: 256, parallelism: 4, hashLength: 32}).
    const auto key = argon2id(as_bytes("p\xc3\xa4ssw\xc3\xb6rd"), as_bytes("somesalt"), {256, 3, 4});
    REQUIRE(key);
    CHECK(hex_encode(key->span()) ==
          "55e7d509627b4196007534cd379418cf50bb240772462857aa12d4614b90f9f2");
}

TEST_CASE("Argon2id refuses silly costs and short salts", "[crypto][argon2]") {
    const auto salt = as_bytes("somesalt");
    CHECK(argon2id(as_bytes("pw"), salt, {65536, 3, 0}).error().code == CryptoErrc::Unsupported);
    CHECK(argon2id(as_bytes("pw"), salt, {65536, 3, 17}).error().code == CryptoErrc::Unsupported);
    CHECK(argon2id(as_bytes("pw"), salt, {31, 1, 4}).error().code == CryptoErrc::Unsupported);
    CHECK(argon2id(as_bytes("pw"), salt, {8U << 20, 1, 1}).error().code == CryptoErrc::Unsupported);
    CHECK(argon2id(as_bytes("pw"), salt, {64, 0, 1}).error().code == CryptoErrc::Unsupported);
    CHECK(argon2id(as_bytes("pw"), salt, {64, 65, 1}).error().code == CryptoErrc::Unsupported);
    CHECK(argon2id(as_bytes("pw"), as_bytes("short"), {64, 1, 1}).error().code ==
          CryptoErrc::BadFormat);
    CHECK(argon2id(as_bytes("pw"), salt, {64, 1, 1}, 8).error().code == CryptoErrc::BadFormat);
}

TEST_CASE("the PBKDF2 cache derives once per password and salt", "[crypto][pbkdf2]") {
    Pbkdf2Cache cache;
    const auto first = cache.derive(as_bytes("vault key"), as_bytes("salt1234"));
    const auto again = cache.derive(as_bytes("vault key"), as_bytes("salt1234"));
    const auto other_salt = cache.derive(as_bytes("vault key"), as_bytes("salt5678"));
    const auto other_password = cache.derive(as_bytes("vault kez"), as_bytes("salt1234"));
    REQUIRE(first);
    REQUIRE(again);
    REQUIRE(other_salt);
    REQUIRE(other_password);
    CHECK(cache.derivations() == 3);
    CHECK(first->get() == again->get());
    const auto direct = pbkdf2_hmac_sha256(as_bytes("vault key"), as_bytes("salt1234"), 1000, 32);
    REQUIRE(direct);
    CHECK((*first)->equals(direct->span()));
    CHECK_FALSE((*other_salt)->equals(direct->span()));
    cache.clear();
    CHECK(cache.size() == 0);
    CHECK((*first)->size() == 32);  // holders keep their key
}
