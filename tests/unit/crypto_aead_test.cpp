// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>

#include "crypto/aes_ccm.hpp"
#include "crypto/aes_gcm.hpp"
#include "crypto/random.hpp"

using namespace pah;

namespace {

Bytes hex(std::string_view text) {
    auto bytes = hex_decode(text);
    REQUIRE(bytes);
    return *bytes;
}

struct GcmVector {
    const char* key;
    const char* iv;
    const char* plain;
    const char* cipher;
    const char* tag;
};

// The GCM specification's AES-256 test cases 13-15 (McGrew & Viega, as used by NIST).
const GcmVector kGcmVectors[] = {
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "00000000000000000000000000000000", "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b5"
     "25b16aedf5aa0de657ba637b391aafd255",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10568288"
     "38c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
};

}  // namespace

TEST_CASE("AES-256-GCM seals and opens the published test vectors", "[crypto][gcm]") {
    for (const auto& v : kGcmVectors) {
        const Bytes key = hex(v.key);
        const Bytes iv = hex(v.iv);
        const Bytes plain = hex(v.plain);
        const Bytes expected = hex(std::string(v.cipher) + v.tag);
        const auto sealed = gcm_seal_with_iv(key, iv, plain);
        REQUIRE(sealed);
        CHECK(hex_encode(sealed->ciphertext) == hex_encode(expected));
        const auto opened = gcm_open(key, GcmBox{iv, expected});
        REQUIRE(opened);
        CHECK(opened->equals(plain));
    }
}

TEST_CASE("AES-256-GCM rejects a flipped bit, a wrong key and bad sizes", "[crypto][gcm]") {
    const Bytes key = random_vector(32);
    const auto box = gcm_seal(key, as_bytes("passagent-vault-verifier"));
    REQUIRE(box);
    CHECK(box->iv.size() == 12);
    for (std::size_t i = 0; i < box->ciphertext.size(); ++i) {
        GcmBox tampered = *box;
        tampered.ciphertext[i] ^= 0x01;
        const auto opened = gcm_open(key, tampered);
        REQUIRE_FALSE(opened);
        CHECK(opened.error().code == CryptoErrc::Tampered);
    }
    const auto wrong = gcm_open(random_vector(32), *box);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == CryptoErrc::Tampered);
    CHECK(gcm_open(random_vector(16), *box).error().code == CryptoErrc::BadFormat);
    CHECK(gcm_open(key, GcmBox{random_vector(16), box->ciphertext}).error().code ==
          CryptoErrc::BadFormat);
    CHECK(gcm_open(key, GcmBox{box->iv, random_vector(15)}).error().code == CryptoErrc::BadFormat);
}

TEST_CASE("a GCM box parses from an object or a JSON string, base64 or base64url",
          "[crypto][gcm]") {
    const Bytes key = random_vector(32);
    const auto box = gcm_seal(key, as_bytes("hello"));
    REQUIRE(box);
    const nlohmann::json forms[] = {to_json(*box), to_json(*box, true), to_json(*box).dump(),
                                    to_json(*box, true).dump()};
    for (const auto& form : forms) {
        CAPTURE(form.dump());
        const auto parsed = parse_gcm_box(form);
        REQUIRE(parsed);
        const auto opened = gcm_open(key, *parsed);
        REQUIRE(opened);
        CHECK(opened->view() == "hello");
    }
}

TEST_CASE("malformed GCM boxes are BadFormat, never a crash", "[crypto][gcm]") {
    const nlohmann::json bad[] = {
        nullptr,
        42,
        "not json",
        nlohmann::json::array(),
        {{"iv", "AAAAAAAAAAAAAAAA"}},
        {{"iv", "AAAAAAAAAAAAAAAA"}, {"ciphertext", 5}},
        {{"iv", "AAAA"}, {"ciphertext", "AAAAAAAAAAAAAAAAAAAAAA=="}},
        {{"iv", "AAAAAAAAAAAAAAAA"}, {"ciphertext", "AAAA"}},
        {{"iv", "AAAAAAAAAAAAAAAA"}, {"ciphertext", "!!!"}},
    };
    for (const auto& value : bad) {
        CAPTURE(value.dump());
        const auto parsed = parse_gcm_box(value);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().code == CryptoErrc::BadFormat);
    }
}

TEST_CASE("AES-CCM matches the SP 800-38C and RFC 3610 examples", "[crypto][ccm]") {
    struct Vector {
        const char* key;
        const char* nonce;
        const char* aad;
        const char* plain;
        const char* sealed;
        std::size_t tag;
    };
    const Vector vectors[] = {
        {"404142434445464748494a4b4c4d4e4f", "10111213141516", "0001020304050607", "20212223",
         "7162015b4dac255d", 4},
        {"404142434445464748494a4b4c4d4e4f", "1011121314151617", "000102030405060708090a0b0c0d0e0f",
         "202122232425262728292a2b2c2d2e2f", "d2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd", 6},
        {"c0c1c2c3c4c5c6c7c8c9cacbcccdcecf", "00000003020100a0a1a2a3a4a5", "0001020304050607",
         "08090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
         "588c979a61c663d2f066d0c2c0f989806d5f6b61dac38417e8d12cfdf926e0", 8},
    };
    for (const auto& v : vectors) {
        const auto sealed = ccm_seal(hex(v.key), hex(v.nonce), hex(v.aad), hex(v.plain), v.tag);
        REQUIRE(sealed);
        CHECK(hex_encode(*sealed) == v.sealed);
        const auto opened = ccm_open(hex(v.key), hex(v.nonce), hex(v.aad), hex(v.sealed), v.tag);
        REQUIRE(opened);
        CHECK(opened->equals(hex(v.plain)));
        Bytes tampered = hex(v.sealed);
        tampered.back() ^= 0x80;
        const auto rejected = ccm_open(hex(v.key), hex(v.nonce), hex(v.aad), tampered, v.tag);
        REQUIRE_FALSE(rejected);
        CHECK(rejected.error().code == CryptoErrc::Tampered);
    }
}

TEST_CASE("AES-256-CCM round-trips empty and odd-sized messages", "[crypto][ccm]") {
    const Bytes key = random_vector(32);
    for (const std::size_t size : {0U, 1U, 15U, 16U, 17U, 1000U}) {
        const Bytes nonce = random_vector(13);
        const Bytes plain = random_vector(size);
        const auto sealed = ccm_seal(key, nonce, {}, plain, 8);
        REQUIRE(sealed);
        CHECK(sealed->size() == size + 8);
        const auto opened = ccm_open(key, nonce, {}, *sealed, 8);
        REQUIRE(opened);
        CHECK(opened->equals(plain));
    }
}
