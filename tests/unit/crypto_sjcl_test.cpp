// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>

#include "crypto/random.hpp"
#include "crypto/sjcl.hpp"

using namespace pah;
using nlohmann::json;

namespace {

const std::string kVaultKey = "correct horse battery staple";

json inner(const std::string& field) {
    const auto text = base64_decode(field);
    REQUIRE(text);
    return json::parse(as_text(*text));
}

std::string outer(const json& container) {
    return base64_encode(as_bytes(container.dump()));
}

}  // namespace

TEST_CASE("sjcl containers round-trip at the CCM length-field boundaries", "[crypto][sjcl]") {
    Pbkdf2Cache cache;
    for (const std::size_t size : {0U, 1U, 15U, 16U, 17U, 65535U, 65536U}) {
        const Bytes plain = random_vector(size);
        const auto field = sjcl_encrypt(as_bytes(kVaultKey), plain, &cache);
        REQUIRE(field);
        const json container = inner(*field);
        CHECK(container["iter"] == 1000);
        CHECK(container["ks"] == 256);
        CHECK(container["ts"] == 64);
        CHECK(container["mode"] == "ccm");
        const auto opened = sjcl_decrypt(as_bytes(kVaultKey), *field, &cache);
        REQUIRE(opened);
        CHECK(opened->equals(plain));
    }
}

TEST_CASE("sjcl decryption refuses a wrong key, a changed ciphertext and off-recipe parameters",
          "[crypto][sjcl]") {
    const auto field = sjcl_encrypt(as_bytes(kVaultKey), as_bytes("\"secret\""));
    REQUIRE(field);
    CHECK(sjcl_decrypt(as_bytes("wrong"), *field).error().code == CryptoErrc::Tampered);

    const json good = inner(*field);
    json flipped = good;
    auto ct = base64_decode(good["ct"].get<std::string>());
    REQUIRE(ct);
    (*ct)[0] ^= 1;
    flipped["ct"] = base64_encode(*ct);
    CHECK(sjcl_decrypt(as_bytes(kVaultKey), outer(flipped)).error().code == CryptoErrc::Tampered);

    const std::vector<std::pair<const char*, json>> changes = {
        {"iter", 10000}, {"ks", 128}, {"ts", 128}, {"mode", "gcm"}, {"cipher", "des"},
        {"adata", "aGk="}, {"v", 2}, {"iter", "1000"}, {"salt", ""}, {"iv", "AAAA"},
        {"ct", "AAAA"}, {"ct", "!!"},
    };
    for (const auto& [name, value] : changes) {
        json changed = good;
        changed[name] = value;
        CAPTURE(name, value.dump());
        CHECK_FALSE(sjcl_decrypt(as_bytes(kVaultKey), outer(changed)));
    }
    json no_salt = good;
    no_salt.erase("salt");
    CHECK_FALSE(sjcl_decrypt(as_bytes(kVaultKey), outer(no_salt)));
    CHECK(sjcl_decrypt(as_bytes(kVaultKey), "not base64!").error().code == CryptoErrc::BadFormat);
    CHECK(sjcl_decrypt(as_bytes(kVaultKey), base64_encode(as_bytes("[1,2]"))).error().code ==
          CryptoErrc::BadFormat);
}

TEST_CASE("sjcl containers open with or without base64 padding", "[crypto][sjcl]") {
    const auto field = sjcl_encrypt(as_bytes(kVaultKey), as_bytes("x"));
    REQUIRE(field);
    json container = inner(*field);
    for (const char* name : {"iv", "salt", "ct"}) {
        std::string value = container[name].get<std::string>();
        while (!value.empty() && value.back() == '=') {
            value.pop_back();
        }
        container[name] = value;
    }
    std::string unpadded = outer(container);
    while (unpadded.back() == '=') {
        unpadded.pop_back();
    }
    const auto opened = sjcl_decrypt(as_bytes(kVaultKey), unpadded);
    REQUIRE(opened);
    CHECK(opened->view() == "x");
}

TEST_CASE("Passman fields: null, \"null\" and \"\" are empty, strings are JSON-decoded",
          "[crypto][sjcl][passman]") {
    for (const json& empty : {json(nullptr), json("null"), json("")}) {
        const auto value = passman_decrypt_string(as_bytes(kVaultKey), empty);
        REQUIRE(value);
        CHECK(value->empty());
    }
    const auto field = sjcl_encrypt(as_bytes(kVaultKey), as_bytes(R"("p\u00e4ss \"w\" \ud83d\udd11\n")"));
    REQUIRE(field);
    const auto value = passman_decrypt_string(as_bytes(kVaultKey), *field);
    REQUIRE(value);
    CHECK(value->view() == "p\xc3\xa4ss \"w\" \xf0\x9f\x94\x91\n");

    const auto null_field = sjcl_encrypt(as_bytes(kVaultKey), as_bytes("null"));
    REQUIRE(null_field);
    CHECK(passman_decrypt_string(as_bytes(kVaultKey), *null_field)->empty());

    const auto otp = sjcl_encrypt(as_bytes(kVaultKey), as_bytes(R"({"secret":"JBSWY3DP","period":30})"));
    REQUIRE(otp);
    const auto parsed = passman_decrypt_json(as_bytes(kVaultKey), *otp);
    REQUIRE(parsed);
    CHECK((*parsed)["secret"] == "JBSWY3DP");
    CHECK(passman_decrypt_string(as_bytes(kVaultKey), *otp).error().code == CryptoErrc::BadFormat);
}

TEST_CASE("Passman fields that decrypt to invalid UTF-8 or non-JSON are refused",
          "[crypto][sjcl][passman]") {
    const auto bad_utf8 = sjcl_encrypt(as_bytes(kVaultKey), as_bytes("\"\xff\""));
    REQUIRE(bad_utf8);
    CHECK(passman_decrypt_string(as_bytes(kVaultKey), *bad_utf8).error().code == CryptoErrc::WrongKey);
    const auto not_json = sjcl_encrypt(as_bytes(kVaultKey), as_bytes("plain text"));
    REQUIRE(not_json);
    CHECK(passman_decrypt_string(as_bytes(kVaultKey), *not_json).error().code == CryptoErrc::BadFormat);
    CHECK(passman_decrypt_json(as_bytes(kVaultKey), *not_json).error().code == CryptoErrc::BadFormat);
    CHECK(passman_decrypt_string(as_bytes(kVaultKey), json(5)).error().code == CryptoErrc::BadFormat);
}
