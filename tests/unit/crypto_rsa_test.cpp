// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <memory>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "backends/passagent/assumptions.hpp"
#include "crypto/random.hpp"
#include "crypto/rsa_oaep.hpp"

using namespace pah;
using pah::passagent::make_invite;
using pah::passagent::open_invite;

namespace {

struct KeyPairDer {
    Bytes pkcs8;
    Bytes spki;
};

// A fresh RSA-2048 pair exported the way WebCrypto exports it (PKCS#8 and SPKI DER).
KeyPairDer make_key_pair() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    REQUIRE(key != nullptr);
    PKCS8_PRIV_KEY_INFO* info = EVP_PKEY2PKCS8(key);
    REQUIRE(info != nullptr);
    unsigned char* der = nullptr;
    const int pkcs8_len = i2d_PKCS8_PRIV_KEY_INFO(info, &der);
    KeyPairDer out;
    out.pkcs8.assign(der, der + pkcs8_len);
    OPENSSL_free(der);
    PKCS8_PRIV_KEY_INFO_free(info);
    der = nullptr;
    const int spki_len = i2d_PUBKEY(key, &der);
    out.spki.assign(der, der + spki_len);
    OPENSSL_free(der);
    EVP_PKEY_free(key);
    return out;
}

const KeyPairDer& pair_a() {
    static const KeyPairDer pair = make_key_pair();
    return pair;
}
const KeyPairDer& pair_b() {
    static const KeyPairDer pair = make_key_pair();
    return pair;
}

}  // namespace

TEST_CASE("RSA-OAEP-SHA-256 wraps an item key to a public key and unwraps it with the private one",
          "[crypto][rsa]") {
    const auto pub = load_public_spki_der(pair_a().spki);
    const auto priv = load_private_pkcs8_der(pair_a().pkcs8);
    REQUIRE(pub);
    REQUIRE(priv);
    const Bytes item_key = random_vector(32);
    const auto wrapped = rsa_oaep_sha256_encrypt(*pub, item_key);
    REQUIRE(wrapped);
    CHECK(wrapped->size() == 256);
    const auto unwrapped = rsa_oaep_sha256_decrypt(*priv, *wrapped);
    REQUIRE(unwrapped);
    CHECK(unwrapped->equals(item_key));
}

TEST_CASE("RSA-OAEP refuses another key's ciphertext, a flipped bit and a wrong length",
          "[crypto][rsa]") {
    const auto pub = load_public_spki_der(pair_a().spki);
    const auto other = load_private_pkcs8_der(pair_b().pkcs8);
    const auto priv = load_private_pkcs8_der(pair_a().pkcs8);
    REQUIRE(pub);
    REQUIRE(other);
    REQUIRE(priv);
    auto wrapped = rsa_oaep_sha256_encrypt(*pub, random_vector(32));
    REQUIRE(wrapped);
    CHECK(rsa_oaep_sha256_decrypt(*other, *wrapped).error().code == CryptoErrc::WrongKey);
    (*wrapped)[100] ^= 0x04;
    CHECK(rsa_oaep_sha256_decrypt(*priv, *wrapped).error().code == CryptoErrc::WrongKey);
    wrapped->pop_back();
    CHECK(rsa_oaep_sha256_decrypt(*priv, *wrapped).error().code == CryptoErrc::BadFormat);
    CHECK(rsa_oaep_sha256_encrypt(*pub, random_vector(191)).error().code == CryptoErrc::BadFormat);
}

TEST_CASE("key loading refuses junk, swapped formats and trailing bytes", "[crypto][rsa]") {
    CHECK_FALSE(load_private_pkcs8_der({}));
    CHECK_FALSE(load_private_pkcs8_der(random_vector(300)));
    CHECK_FALSE(load_private_pkcs8_der(pair_a().spki));
    CHECK_FALSE(load_public_spki_der(pair_a().pkcs8));
    Bytes trailing = pair_a().spki;
    trailing.push_back(0);
    CHECK(load_public_spki_der(trailing).error().code == CryptoErrc::BadFormat);
    trailing = pair_a().pkcs8;
    trailing.push_back(0);
    CHECK(load_private_pkcs8_der(trailing).error().code == CryptoErrc::BadFormat);
}

TEST_CASE("an invite opens with its token and salt only", "[crypto][invite]") {
    const Bytes item_key = random_vector(32);
    const auto invite = make_invite(item_key);
    REQUIRE(invite);
    CHECK(invite->token.size() == 32);
    CHECK(invite->salt.size() == 16);
    // The canonical form is base64 of the {iv, ciphertext} JSON text.
    const auto json_text = base64_decode(invite->wrapped);
    REQUIRE(json_text);
    const auto parsed = nlohmann::json::parse(as_text(*json_text), nullptr, false);
    REQUIRE(parsed.is_object());
    CHECK(parsed.contains("iv"));
    CHECK(parsed.contains("ciphertext"));

    const auto opened = open_invite(invite->token.span(), invite->salt, invite->wrapped);
    REQUIRE(opened);
    CHECK(opened->equals(item_key));
    const auto bare_json = open_invite(invite->token.span(), invite->salt, as_text(*json_text));
    REQUIRE(bare_json);
    CHECK(bare_json->equals(item_key));

    CHECK(open_invite(random_vector(32), invite->salt, invite->wrapped).error().code ==
          CryptoErrc::Tampered);
    CHECK(open_invite(invite->token.span(), random_vector(16), invite->wrapped).error().code ==
          CryptoErrc::Tampered);
    CHECK(open_invite(invite->token.span(), invite->salt, "%%%").error().code == CryptoErrc::BadFormat);
    CHECK(open_invite(invite->token.span(), invite->salt, "{}").error().code == CryptoErrc::BadFormat);
    CHECK(open_invite(random_vector(31), invite->salt, invite->wrapped).error().code ==
          CryptoErrc::BadFormat);
}
