// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>

#include "crypto/cryptojs.hpp"
#include "crypto/random.hpp"

using namespace pah;

TEST_CASE("CryptoJS passphrase AES round-trips through Passwork's base32", "[crypto][cryptojs]") {
    for (const std::size_t size : {0U, 1U, 15U, 16U, 17U, 1000U}) {
        const std::string plain(size, 'a');
        const auto data = cryptojs_encrypt(as_bytes(plain), as_bytes("master"));
        REQUIRE(data);
        const auto base64_text = passwork_base32_decode(*data);
        CHECK(as_text(base64_text).substr(0, 10) == "U2FsdGVkX1");  // "Salted__"
        const auto opened = cryptojs_decrypt(*data, as_bytes("master"));
        REQUIRE(opened);
        CHECK(opened->view() == plain);
    }
}

TEST_CASE("a ciphertext made by crypto-js opens, both as base64 and as Passwork base32",
          "[crypto][cryptojs]") {
    // crypto-js 4: CryptoJS.AES.encrypt("h\u00e9llo w\u00f6rld", "p\u00e4ssword").toString(),
    // then base32@0.0.7's encode() of that text.
    const std::string password = "p\xc3\xa4ssword";
    const auto from_base64 =
        cryptojs_decrypt_base64("U2FsdGVkX1/X+ldtNAHjKK76kHQS8wX9aIF9Az9xFz4=", as_bytes(password));
    REQUIRE(from_base64);
    CHECK(from_base64->view() == "h\xc3\xa9llo w\xc3\xb6rld");
    const auto from_base32 = cryptojs_decrypt(
        "amt4cwv48xb6pp1h5xc2pv34eh742j3a9d5kedkb918n6e3qb0wp2ja6750qmebr8tx38f8", as_bytes(password));
    REQUIRE(from_base32);
    CHECK(from_base32->view() == from_base64->view());
}

TEST_CASE("CryptoJS decryption refuses wrong passwords, broken padding and junk",
          "[crypto][cryptojs]") {
    const auto data = cryptojs_encrypt(as_bytes("a longer secret that spans blocks"), as_bytes("right"));
    REQUIRE(data);
    int refused = 0;
    for (int i = 0; i < 200; ++i) {
        const std::string wrong = "wrong" + std::to_string(i);
        const auto opened = cryptojs_decrypt(*data, as_bytes(wrong));
        refused += opened ? 0 : 1;
        if (!opened) {
            CHECK(opened.error().code == CryptoErrc::WrongKey);
        }
    }
    // Strict padding + UTF-8 lets about 1 wrong password in 256 through, rarely more.
    CHECK(refused >= 195);
    CHECK(cryptojs_decrypt_base64("bm90IHNhbHRlZA==", as_bytes("x")).error().code == CryptoErrc::BadFormat);
    CHECK(cryptojs_decrypt_base64("!!", as_bytes("x")).error().code == CryptoErrc::BadFormat);
    // "Salted__" + salt + 15 bytes: not whole blocks.
    const Bytes short_raw = [] {
        Bytes raw = {'S', 'a', 'l', 't', 'e', 'd', '_', '_'};
        const Bytes rest = random_vector(8 + 15);
        raw.insert(raw.end(), rest.begin(), rest.end());
        return raw;
    }();
    CHECK(cryptojs_decrypt_base64(base64_encode(short_raw), as_bytes("x")).error().code ==
          CryptoErrc::BadFormat);
    CHECK(cryptojs_decrypt("", as_bytes("x")).error().code == CryptoErrc::BadFormat);
}

TEST_CASE("the Passwork master hash check takes sha256 or md5 hex in either case",
          "[crypto][cryptojs]") {
    // sha256("password") and md5("password"), well-known digests.
    const std::string sha = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
    const std::string md5 = "5f4dcc3b5aa765d61d8327deb882cf99";
    CHECK(passwork_master_hash_matches(as_bytes("password"), sha));
    CHECK(passwork_master_hash_matches(as_bytes("password"), md5));
    std::string upper = sha;
    for (char& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    CHECK(passwork_master_hash_matches(as_bytes("password"), upper));
    CHECK_FALSE(passwork_master_hash_matches(as_bytes("Password"), sha));
    CHECK_FALSE(passwork_master_hash_matches(as_bytes("password"), sha.substr(0, 40)));
    CHECK_FALSE(passwork_master_hash_matches(as_bytes("password"), ""));
    CHECK_FALSE(passwork_master_hash_matches(as_bytes("password"), std::string(64, 'z')));
}
