// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

using namespace pah;

namespace {

struct Rfc4648Case {
    std::string plain;
    std::string base64;
    std::string base32;
    std::string hex;
};

// RFC 4648 §10.
const std::vector<Rfc4648Case> kRfc4648 = {
    {"", "", "", ""},
    {"f", "Zg==", "MY======", "66"},
    {"fo", "Zm8=", "MZXQ====", "666f"},
    {"foo", "Zm9v", "MZXW6===", "666f6f"},
    {"foob", "Zm9vYg==", "MZXW6YQ=", "666f6f62"},
    {"fooba", "Zm9vYmE=", "MZXW6YTB", "666f6f6261"},
    {"foobar", "Zm9vYmFy", "MZXW6YTBOI======", "666f6f626172"},
};

std::string text_of(const Bytes& bytes) {
    return std::string(as_text(bytes));
}

}  // namespace

TEST_CASE("base64, base32 and hex match the RFC 4648 test vectors both ways", "[encoding]") {
    for (const auto& c : kRfc4648) {
        CAPTURE(c.plain);
        CHECK(base64_encode(as_bytes(c.plain)) == c.base64);
        CHECK(base32_encode(as_bytes(c.plain)) == c.base32);
        CHECK(hex_encode(as_bytes(c.plain)) == c.hex);
        REQUIRE(base64_decode(c.base64));
        CHECK(text_of(*base64_decode(c.base64)) == c.plain);
        REQUIRE(base32_decode(c.base32));
        CHECK(text_of(*base32_decode(c.base32)) == c.plain);
        REQUIRE(hex_decode(c.hex));
        CHECK(text_of(*hex_decode(c.hex)) == c.plain);
    }
}

TEST_CASE("base64 decoding accepts the URL-safe alphabet, no padding and surrounding whitespace",
          "[encoding]") {
    const Bytes bytes = {0xfb, 0xff, 0xfe, 0x3e, 0x3f};
    const std::string url = base64_encode(bytes, true, false);
    CHECK(url == "-__-Pj8");
    CHECK(base64_decode(url) == bytes);
    CHECK(base64_decode("+//+Pj8=") == bytes);
    CHECK(base64_decode("  +//+Pj8=\r\n") == bytes);
    CHECK(base64_decode("Zm9vYg") == base64_decode("Zm9vYg=="));
}

TEST_CASE("base64 decoding rejects junk, misplaced padding and impossible lengths", "[encoding]") {
    CHECK_FALSE(base64_decode("Zm9v!"));
    CHECK_FALSE(base64_decode("Zm=9v"));
    CHECK_FALSE(base64_decode("Zm9vY"));     // 5 chars: 4n+1
    CHECK_FALSE(base64_decode("Zm9vYg="));   // padding that does not complete a quad
    CHECK_FALSE(base64_decode("Zg==="));     // three '='
    CHECK_FALSE(base64_decode("Zm 9v"));     // whitespace inside
    CHECK_FALSE(base64_decode("===="));
}

TEST_CASE("base64 and base32 round-trip random bytes of every small length into secrets",
          "[encoding]") {
    for (std::size_t size = 0; size < 70; ++size) {
        const Bytes bytes = random_vector(size);
        const auto from64 = base64_decode_secret(base64_encode(bytes, size % 2 == 0, size % 3 == 0));
        const auto from32 = base32_decode_secret(base32_encode(bytes, size % 2 == 0));
        const auto from16 = hex_decode_secret(hex_encode(bytes));
        REQUIRE(from64);
        REQUIRE(from32);
        REQUIRE(from16);
        CHECK(from64->equals(bytes));
        CHECK(from32->equals(bytes));
        CHECK(from16->equals(bytes));
    }
}

TEST_CASE("base32 secrets are read with spaces, dashes, lowercase and no padding", "[encoding]") {
    const auto canonical = base32_decode("JBSWY3DPEHPK3PXP");
    REQUIRE(canonical);
    CHECK(text_of(*canonical) == "Hello!\xde\xad\xbe\xef");
    CHECK(base32_decode("jbsw y3dp ehpk 3pxp") == canonical);
    CHECK(base32_decode("JBSW-Y3DP-EHPK-3PXP") == canonical);
    CHECK(base32_decode("MZXW6YQ") == base32_decode("MZXW6YQ="));
}

TEST_CASE("base32 decoding rejects characters outside the alphabet and data after padding",
          "[encoding]") {
    CHECK_FALSE(base32_decode("JBSWY3DP1"));  // 1 is not RFC 4648 base32
    CHECK_FALSE(base32_decode("MZXW6YQ=A"));
    CHECK_FALSE(base32_decode("MZX_W6YQ"));
}

TEST_CASE("hex decoding rejects odd lengths and non-hex characters", "[encoding]") {
    CHECK(hex_decode("DEADbeef") == Bytes{0xde, 0xad, 0xbe, 0xef});
    CHECK_FALSE(hex_decode("abc"));
    CHECK_FALSE(hex_decode("zz"));
}

TEST_CASE("Passwork base32 uses its own alphabet, aliases and skipping", "[encoding]") {
    // Expected strings from the npm base32@0.0.7 library itself (base32.encode("foobar")).
    CHECK(passwork_base32_encode(as_bytes("foobar")) == "ctqpyrk1e8");
    CHECK(text_of(passwork_base32_decode("ctqpyrk1e8")) == "foobar");
    CHECK(text_of(passwork_base32_decode("CTQPYRKlE8")) == "foobar");  // case, l as 1
    CHECK(text_of(passwork_base32_decode("c-t q\np?y r k I e 8")) == "foobar");
    CHECK(passwork_base32_decode("o") == passwork_base32_decode("0"));
    CHECK(text_of(passwork_base32_decode("")).empty());
}

TEST_CASE("UTF-8 validation accepts text and refuses overlongs, surrogates and truncation",
          "[encoding]") {
    CHECK(is_valid_utf8(as_bytes("plain ascii")));
    CHECK(is_valid_utf8(as_bytes("pässwörd \xe2\x82\xac \xf0\x9f\x94\x91")));
    CHECK_FALSE(is_valid_utf8(as_bytes("\xc0\xaf")));           // overlong '/'
    CHECK_FALSE(is_valid_utf8(as_bytes("\xed\xa0\x80")));       // U+D800
    CHECK_FALSE(is_valid_utf8(as_bytes("\xf4\x90\x80\x80")));   // above U+10FFFF
    CHECK_FALSE(is_valid_utf8(as_bytes("\xe2\x82")));           // truncated
    CHECK_FALSE(is_valid_utf8(as_bytes("\xff")));
}
