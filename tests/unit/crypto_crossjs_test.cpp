// SPDX-License-Identifier: MIT
// Cross-tests against the JavaScript libraries the backends' web clients use. The cases
// are generated fresh by tests/crossjs/gen.mjs; tests/crossjs/run.sh runs
//   PAH_CROSSJS_DIR=<dir> unit_tests "[crossjs]"
// and then tests/crossjs/check.mjs on what this file seals (<dir>/cpp_sealed.json).
// The tag is hidden ("[.crossjs]") so the plain unit run leaves these to that ctest;
// run without PAH_CROSSJS_DIR they fail, they never pass silently.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/aes_gcm.hpp"
#include "crypto/argon2.hpp"
#include "crypto/cryptojs.hpp"
#include "crypto/hkdf.hpp"
#include "backends/passagent/assumptions.hpp"
#include "crypto/random.hpp"
#include "crypto/rsa_oaep.hpp"
#include "crypto/sjcl.hpp"
#include "totp/otpauth.hpp"
#include "totp/totp.hpp"

using namespace pah;
using pah::passagent::make_invite;
using pah::passagent::open_invite;
using nlohmann::json;

namespace {

std::filesystem::path crossjs_dir() {
    const char* dir = std::getenv("PAH_CROSSJS_DIR");
    if (dir == nullptr || *dir == '\0') {
        FAIL("PAH_CROSSJS_DIR is not set: run tests/crossjs/run.sh (ctest -R crossjs)");
    }
    return dir;
}

json load(const std::string& name) {
    const auto path = crossjs_dir() / (name + ".json");
    std::ifstream in(path);
    if (!in) {
        FAIL("missing case file " << path.string());
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    json data = json::parse(buffer.str());
    REQUIRE(data.contains("cases"));
    REQUIRE(!data["cases"].empty());
    return data;
}

Bytes b64(const json& value) {
    auto bytes = base64_decode(value.get<std::string>());
    REQUIRE(bytes);
    return *bytes;
}

ByteView text_bytes(const json& value) {
    return as_bytes(value.get_ref<const std::string&>());
}

// What this side seals, for check.mjs; filled by the tests below, written at the end.
json& sealed() {
    static json out = json::object();
    return out;
}

void write_sealed() {
    std::ofstream out(crossjs_dir() / "cpp_sealed.json");
    out << sealed().dump();
}

const std::size_t kSizes[] = {0, 1, 15, 16, 17, 100, 255, 256, 1000, 65535, 65536, 65537};

// Random valid UTF-8 of exactly `size` bytes (ASCII, 2-, 3- and 4-byte characters).
std::string random_utf8(std::size_t size) {
    std::string out;
    while (out.size() < size) {
        std::uint8_t pick = 0;
        random_bytes(std::span(&pick, 1));
        const std::size_t left = size - out.size();
        std::uint8_t r[3];
        random_bytes(r);
        if (pick < 160 || left < 4) {
            out.push_back(static_cast<char>(0x20 + r[0] % 0x5f));
        } else if (pick < 200) {
            const unsigned cp = 0xa0U + r[0];
            out.push_back(static_cast<char>(0xc0U | (cp >> 6)));
            out.push_back(static_cast<char>(0x80U | (cp & 0x3fU)));
        } else if (pick < 235) {
            const unsigned cp = 0x4e00U + ((static_cast<unsigned>(r[0]) << 4) | (r[1] & 0x0fU));
            out.push_back(static_cast<char>(0xe0U | (cp >> 12)));
            out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3fU)));
            out.push_back(static_cast<char>(0x80U | (cp & 0x3fU)));
        } else {
            const unsigned cp = 0x1f300U + r[0];
            out.push_back(static_cast<char>(0xf0U | (cp >> 18)));
            out.push_back(static_cast<char>(0x80U | ((cp >> 12) & 0x3fU)));
            out.push_back(static_cast<char>(0x80U | ((cp >> 6) & 0x3fU)));
            out.push_back(static_cast<char>(0x80U | (cp & 0x3fU)));
        }
    }
    return out;
}

std::size_t count_ok(const json& cases) {
    std::size_t n = 0;
    for (const auto& c : cases) {
        n += c.value("expect", "ok") == "ok" ? 1U : 0U;
    }
    return n;
}

}  // namespace

TEST_CASE("WebCrypto AES-256-GCM records open here, tampered and wrong-key copies do not",
          "[.crossjs][crossjs]") {
    const json data = load("gcm");
    std::size_t opened_count = 0;
    for (const auto& c : data["cases"]) {
        const Bytes key = b64(c["key"]);
        const auto box = parse_gcm_box(c["box"]);
        REQUIRE(box);
        const auto opened = gcm_open(key, *box);
        if (c["expect"] == "ok") {
            REQUIRE(opened);
            CHECK(opened->equals(b64(c["plain"])));
            ++opened_count;
        } else {
            CHECK_FALSE(opened);
        }
    }
    CHECK(opened_count == count_ok(data["cases"]));
    json out = json::array();
    for (const std::size_t size : kSizes) {
        const Bytes key = random_vector(32);
        const Bytes plain = random_vector(size);
        const auto box = gcm_seal(key, plain);
        REQUIRE(box);
        out.push_back({{"key", base64_encode(key)}, {"box", to_json(*box, size % 2 == 1)},
                       {"plain", base64_encode(plain)}});
    }
    sealed()["gcm"] = out;
}

TEST_CASE("our Argon2id vault keys agree with hash-wasm's, both ways", "[.crossjs][crossjs]") {
    const json data = load("argon2");
    for (const auto& c : data["cases"]) {
        const auto& kdf = c["kdf"];
        const Argon2Params params{kdf["memoryKiB"].get<std::uint32_t>(),
                                  kdf["iterations"].get<std::uint32_t>(),
                                  kdf["parallelism"].get<std::uint32_t>()};
        CAPTURE(kdf.dump());
        const auto key = argon2id(text_bytes(c["password"]), b64(c["salt"]), params);
        REQUIRE(key);
        CHECK(key->equals(b64(c["key"])));
    }
    json out = json::array();
    for (const std::uint32_t lanes : {1U, 2U, 3U, 4U}) {
        const std::string password = random_utf8(12);
        const Bytes salt = random_vector(16);
        const Argon2Params params{64U * lanes + 40U, 2, lanes};
        const auto key = argon2id(as_bytes(password), salt, params);
        REQUIRE(key);
        out.push_back({{"password", password}, {"salt", base64_encode(salt)},
                       {"kdf", {{"memoryKiB", params.memory_kib}, {"iterations", params.iterations},
                                {"parallelism", params.parallelism}}},
                       {"key", base64_encode(key->span())}});
    }
    sealed()["argon2"] = out;
}

TEST_CASE("WebCrypto HKDF-SHA-256 output matches", "[.crossjs][crossjs]") {
    const json data = load("hkdf");
    for (const auto& c : data["cases"]) {
        const auto okm = hkdf_sha256(b64(c["ikm"]), b64(c["salt"]), b64(c["info"]),
                                     c["length"].get<std::size_t>());
        REQUIRE(okm);
        CHECK(okm->equals(b64(c["okm"])));
    }
}

TEST_CASE("PassAgent invites made with WebCrypto open here and the reverse", "[.crossjs][crossjs]") {
    const json data = load("invite");
    for (const auto& c : data["cases"]) {
        const auto item_key = open_invite(b64(c["token"]), b64(c["salt"]),
                                          c["wrapped"].get<std::string>());
        if (c["expect"] == "ok") {
            REQUIRE(item_key);
            CHECK(item_key->equals(b64(c["item_key"])));
        } else {
            CHECK_FALSE(item_key);
        }
    }
    json out = json::array();
    for (int i = 0; i < 20; ++i) {
        const Bytes item_key = random_vector(32);
        const auto invite = make_invite(item_key);
        REQUIRE(invite);
        out.push_back({{"token", base64_encode(invite->token.span())},
                       {"salt", base64_encode(invite->salt)},
                       {"wrapped", invite->wrapped},
                       {"item_key", base64_encode(item_key)}});
    }
    sealed()["invite"] = out;
}

TEST_CASE("WebCrypto RSA-OAEP-SHA-256 item keys open with the PKCS#8 key, and the reverse",
          "[.crossjs][crossjs]") {
    const json data = load("rsa");
    std::vector<RsaPrivateKey> private_keys;
    std::vector<RsaPublicKey> public_keys;
    for (const auto& k : data["keys"]) {
        auto priv = load_private_pkcs8_der(b64(k["pkcs8"]));
        auto pub = load_public_spki_der(b64(k["spki"]));
        REQUIRE(priv);
        REQUIRE(pub);
        private_keys.push_back(std::move(*priv));
        public_keys.push_back(std::move(*pub));
    }
    for (const auto& c : data["cases"]) {
        const auto& key = private_keys.at(c["key"].get<std::size_t>());
        const auto plain = rsa_oaep_sha256_decrypt(key, b64(c["ciphertext"]));
        if (c["expect"] == "ok") {
            REQUIRE(plain);
            CHECK(plain->equals(b64(c["plain"])));
        } else {
            CHECK_FALSE(plain);
        }
    }
    json out = json::array();
    for (std::size_t i = 0; i < 30; ++i) {
        const std::size_t k = i % public_keys.size();
        const Bytes plain = random_vector(i == 0 ? 0 : i == 1 ? 190 : 32);
        const auto ct = rsa_oaep_sha256_encrypt(public_keys[k], plain);
        REQUIRE(ct);
        out.push_back({{"key", k}, {"ciphertext", base64_encode(*ct)}, {"plain", base64_encode(plain)}});
    }
    sealed()["rsa"] = out;
}

TEST_CASE("sjcl containers open here, tampered, wrong-password and off-recipe ones do not",
          "[.crossjs][crossjs]") {
    const json data = load("sjcl");
    Pbkdf2Cache cache;
    for (const auto& c : data["cases"]) {
        const auto plain = sjcl_decrypt(text_bytes(c["password"]), c["field"].get<std::string>(), &cache);
        if (c["expect"] == "ok") {
            REQUIRE(plain);
            CHECK(plain->equals(b64(c["plain"])));
        } else {
            CHECK_FALSE(plain);
        }
    }
    json out = json::array();
    for (const std::size_t size : kSizes) {
        const std::string password = random_utf8(1 + size % 30);
        const Bytes plain = random_vector(size);
        const auto field = sjcl_encrypt(as_bytes(password), plain, &cache);
        REQUIRE(field);
        out.push_back({{"password", password}, {"field", *field}, {"plain", base64_encode(plain)}});
    }
    sealed()["sjcl"] = out;
}

TEST_CASE("Passman fields decode to the JSON string JS encrypted", "[.crossjs][crossjs]") {
    const json data = load("passman");
    Pbkdf2Cache cache;
    for (const auto& c : data["cases"]) {
        const auto value = passman_decrypt_string(text_bytes(c["password"]), c["field"], &cache);
        REQUIRE(value);
        CHECK(value->view() == c["text"].get<std::string>());
    }
}

TEST_CASE("CryptoJS/Passwork data opens here; tampered and wrong-password garbage is refused",
          "[.crossjs][crossjs]") {
    const json data = load("cryptojs");
    std::size_t garbage_refused = 0;
    for (const auto& c : data["cases"]) {
        const auto plain = cryptojs_decrypt(c["data"].get<std::string>(), text_bytes(c["password"]));
        if (c["expect"] == "ok") {
            REQUIRE(plain);
            CHECK(plain->view() == c["plain"].get<std::string>());
        } else {
            CHECK_FALSE(plain);
            if (!plain && c.contains("js_result")) {
                CHECK(plain.error().code == CryptoErrc::WrongKey);
                ++garbage_refused;
            }
        }
    }
    CHECK(garbage_refused == data["garbage"].get<std::size_t>());
    WARN("CryptoJS: refused " << garbage_refused << " wrong-password cases that JS 'opened'; "
                              << data["indistinguishable"].get<std::size_t>()
                              << " wrong passwords passed strict padding+UTF-8 (the hash check's job)");
    for (const auto& h : data["hashes"]) {
        const ByteView master = text_bytes(h["master"]);
        CHECK(passwork_master_hash_matches(master, h["sha256"].get<std::string>()));
        CHECK(passwork_master_hash_matches(master, h["md5"].get<std::string>()));
        const std::string wrong = h["master"].get<std::string>() + "!";
        CHECK_FALSE(passwork_master_hash_matches(as_bytes(wrong), h["sha256"].get<std::string>()));
        CHECK_FALSE(passwork_master_hash_matches(as_bytes(wrong), h["md5"].get<std::string>()));
    }
    json out = json::array();
    for (const std::size_t size : kSizes) {
        const std::string password = random_utf8(1 + size % 25);
        const std::string plain = random_utf8(size);
        const auto encrypted = cryptojs_encrypt(as_bytes(plain), as_bytes(password));
        REQUIRE(encrypted);
        out.push_back({{"password", password}, {"data", *encrypted}, {"plain", plain}});
    }
    sealed()["cryptojs"] = out;
}

TEST_CASE("Passwork base32 agrees with base32@0.0.7, junk included", "[.crossjs][crossjs]") {
    const json data = load("passwork_base32");
    for (const auto& c : data["cases"]) {
        const std::string encoded = c["encoded"].get<std::string>();
        CAPTURE(encoded);
        CHECK(passwork_base32_decode(encoded) == b64(c["bytes"]));
        if (!c.value("decode_only", false)) {
            CHECK(passwork_base32_encode(b64(c["bytes"])) == encoded);
        }
    }
    json out = json::array();
    for (std::size_t size = 0; size < 40; ++size) {
        const Bytes bytes = random_vector(size);
        out.push_back({{"bytes", base64_encode(bytes)}, {"encoded", passwork_base32_encode(bytes)}});
    }
    sealed()["passwork_base32"] = out;
}

TEST_CASE("otpauth's TOTP and HOTP codes and URIs match", "[.crossjs][crossjs]") {
    const json data = load("totp");
    for (const auto& c : data["cases"]) {
        const auto algorithm = parse_totp_algorithm(c["algorithm"].get<std::string>());
        REQUIRE(algorithm);
        const auto digits = c["digits"].get<unsigned>();
        const auto key = base32_decode(c["secret"].get<std::string>());
        REQUIRE(key);
        if (c.contains("uri")) {
            CAPTURE(c["uri"].get<std::string>());
            const auto parsed = parse_otpauth(c["uri"].get<std::string>());
            REQUIRE(parsed);
            CHECK(parsed->key.equals(*key));
            CHECK(parsed->params.algorithm == *algorithm);
            CHECK(parsed->params.digits == digits);
            CHECK(parsed->params.period_seconds == c["period"].get<std::uint32_t>());
            const auto seconds = c["timestamp_ms"].get<std::int64_t>() / 1000;
            CHECK(totp_at(parsed->key.span(), parsed->params, seconds).code == c["code"].get<std::string>());
        } else {
            CHECK(hotp(*key, c["counter"].get<std::uint64_t>(), *algorithm, digits) ==
                  c["code"].get<std::string>());
        }
    }
}

// Catch2 v2 runs test cases in declaration order unless told otherwise; run.sh asks for
// "[crossjs]" with --order decl so that this one runs last and sees every sealed set.
TEST_CASE("zz: the C++-sealed cases are written for check.mjs", "[.crossjs][crossjs]") {
    REQUIRE(sealed().size() >= 6);
    write_sealed();
    CHECK(std::filesystem::exists(crossjs_dir() / "cpp_sealed.json"));
}
