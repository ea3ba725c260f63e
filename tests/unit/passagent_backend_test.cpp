// SPDX-License-Identifier: MIT
// PassAgent records and vault opening, with fixtures made in-process by the crypto module
// the way PassAgent's web client makes them (AES-256-GCM boxes, RSA-OAEP item keys).
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <span>

#include <catch2/catch.hpp>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/backend.hpp"
#include "backends/passagent/plaintext.hpp"
#include "backends/passagent/records.hpp"
#include "backends/passagent/vault.hpp"
#include "crypto/random.hpp"

using nlohmann::json;
using namespace pah;
using namespace pah::passagent;

namespace {

enum class Form { ObjectB64, ObjectB64Url, StringB64, StringB64Url };

json box_json(const GcmBox& box, Form form) {
    const bool url = form == Form::ObjectB64Url || form == Form::StringB64Url;
    json obj = to_json(box, url);
    if (form == Form::StringB64 || form == Form::StringB64Url) {
        return json(obj.dump());
    }
    return obj;
}

GcmBox seal(const SecretBuffer& key, std::string_view text) {
    auto box = gcm_seal(key.span(), as_bytes(text));
    REQUIRE(box);
    return std::move(*box);
}

json v2_record(const SecretBuffer& vault_key, std::string id, std::string username, std::string_view password,
               Form form) {
    return json{{"id", std::move(id)},
                {"name", "Entry"},
                {"url", "https://example.com/login"},
                {"website", "example.com"},
                {"has_totp", false},
                {"username", std::move(username)},
                {"encrypted_password", box_json(seal(vault_key, password), form)}};
}

json v3_record(const SecretBuffer& wrap_key, std::string id, std::string_view plaintext, Form form,
               SecretBuffer* item_key_out = nullptr) {
    SecretBuffer item_key = random_secret(32);
    json record{{"id", std::move(id)},
                {"name", "Entry v3"},
                {"url", nullptr},
                {"website", "example.org"},
                {"has_totp", true},
                {"wrapped_item_key", box_json(seal(wrap_key, item_key.view()), form)},
                {"encrypted_data", box_json(seal(item_key, plaintext), form)}};
    if (item_key_out != nullptr) {
        *item_key_out = std::move(item_key);
    }
    return record;
}

struct RsaPair {
    Bytes private_der;
    Bytes public_der;
};

RsaPair make_rsa_pair() {
    EVP_PKEY* pkey = EVP_RSA_gen(2048);
    REQUIRE(pkey != nullptr);
    RsaPair out;
    PKCS8_PRIV_KEY_INFO* p8 = EVP_PKEY2PKCS8(pkey);
    REQUIRE(p8 != nullptr);
    unsigned char* der = nullptr;
    int len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
    REQUIRE(len > 0);
    out.private_der.assign(der, der + len);
    OPENSSL_free(der);
    PKCS8_PRIV_KEY_INFO_free(p8);
    der = nullptr;
    len = i2d_PUBKEY(pkey, &der);
    REQUIRE(len > 0);
    out.public_der.assign(der, der + len);
    OPENSSL_free(der);
    EVP_PKEY_free(pkey);
    return out;
}

const RsaPair& rsa_pair() {
    static const RsaPair pair = make_rsa_pair();
    return pair;
}

}  // namespace

TEST_CASE("a v2 record keeps its clear username and opens its password on demand", "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    for (Form form : {Form::ObjectB64, Form::ObjectB64Url, Form::StringB64, Form::StringB64Url}) {
        auto record = parse_record(v2_record(vault_key, "pwd_1", "alice", "S3cret!", form));
        REQUIRE(record);
        CHECK(record->sealed.kind() == RecordKind::V2);
        CHECK(record->summary.username == "alice");
        CHECK(record->summary.website == "example.com");

        auto credential = open_record(record->sealed, record->summary, RecordKeys{&vault_key, nullptr});

        REQUIRE(credential);
        CHECK(credential->username == "alice");
        CHECK(credential->password.view() == "S3cret!");
        CHECK(credential->urls == std::vector<std::string>{"https://example.com/login"});
    }
}

TEST_CASE("a v3 record opens its username at sync and its password only when asked", "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    const std::string plain =
        R"({"username":"b\u00fccher","password":"p\"w\\d","notes":"line1\nline2","urls":["https://a.example/"],"extra":{"x":[1,2,{"y":null}]}})";
    for (Form form : {Form::ObjectB64, Form::ObjectB64Url, Form::StringB64, Form::StringB64Url}) {
        auto record = parse_record(v3_record(vault_key, "pwd_3", plain, form));
        REQUIRE(record);
        CHECK(record->sealed.kind() == RecordKind::V3);
        CHECK(record->summary.username.empty());
        CHECK(record->summary.has_totp);
        SecretBuffer scratch;

        auto username = open_username(*record, RecordKeys{&vault_key, nullptr}, scratch);
        auto credential = open_record(record->sealed, record->summary, RecordKeys{&vault_key, nullptr});

        REQUIRE(username);
        CHECK(*username == "b\xC3\xBC" "cher");
        REQUIRE(credential);
        CHECK(credential->password.view() == "p\"w\\d");
        CHECK(credential->notes.view() == "line1\nline2");
        CHECK(credential->urls == std::vector<std::string>{"https://a.example/"});
    }
}

TEST_CASE("a travel-mode record whose item key is wrapped under another key is skipped, not fatal",
          "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    const SecretBuffer travel_key = random_secret(32);
    auto record = parse_record(v3_record(travel_key, "pwd_t", R"({"username":"u","password":"p"})", Form::ObjectB64));
    REQUIRE(record);
    SecretBuffer scratch;

    auto username = open_username(*record, RecordKeys{&vault_key, nullptr}, scratch);
    auto credential = open_record(record->sealed, record->summary, RecordKeys{&vault_key, nullptr});

    REQUIRE_FALSE(username);
    CHECK(username.error().code == ErrorCode::BadFormat);
    CHECK(username.error().message.find("travel mode") != std::string::npos);
    REQUIRE_FALSE(credential);
}

TEST_CASE("a record that is neither v2 nor v3, or has a broken box, is refused", "[passagent][records]") {
    CHECK_FALSE(parse_record(json{{"id", "pwd_x"}, {"name", "n"}}));
    CHECK_FALSE(parse_record(json{{"name", "no id"}}));
    CHECK_FALSE(parse_record(json::array()));
    auto broken = parse_record(json{{"id", "pwd_y"}, {"encrypted_password", {{"iv", "!!"}, {"ciphertext", "x"}}}});
    REQUIRE_FALSE(broken);
    CHECK(broken.error().code == ErrorCode::BadFormat);
    CHECK_FALSE(parse_record(json{{"id", "pwd_z"}, {"encrypted_password", "{not json"}}));
}

TEST_CASE("a received share opens with the RSA private key and not without it", "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    const SecretBuffer item_key = random_secret(32);
    auto public_key = load_public_spki_der(rsa_pair().public_der);
    REQUIRE(public_key);
    auto wrapped = rsa_oaep_sha256_encrypt(*public_key, item_key.span());
    REQUIRE(wrapped);
    const json share{{"id", "shr_1"},
                     {"status", "active"},
                     {"permission", "write"},
                     {"account",
                      {{"id", "pwd_s"},
                       {"name", "Netflix"},
                       {"url", "https://www.netflix.com/login"},
                       {"encrypted_data", to_json(seal(item_key, R"({"username":"fam","password":"tv"})")).dump()},
                       {"wrapped_item_key", base64_encode(*wrapped)}}}};
    auto record = parse_received_share(share);
    REQUIRE(record);
    REQUIRE(record->summary.share);
    CHECK(record->summary.share->id == "shr_1");
    CHECK(record->summary.share->permission == "write");
    CHECK(record->summary.id == "pwd_s");
    auto private_key = load_private_pkcs8_der(rsa_pair().private_der);
    REQUIRE(private_key);

    auto with_key = open_record(record->sealed, record->summary, RecordKeys{&vault_key, &*private_key});
    auto without = open_record(record->sealed, record->summary, RecordKeys{&vault_key, nullptr});

    REQUIRE(with_key);
    CHECK(with_key->username == "fam");
    CHECK(with_key->password.view() == "tv");
    CHECK_FALSE(without);
}

TEST_CASE("a received share names its owner by email, when that email is fit to show",
          "[passagent][records]") {
    const auto item_key = random_secret(32);
    json share{{"id", "shr_2"},
               {"status", "active"},
               {"permission", "read"},
               {"account",
                {{"id", "pwd_o"},
                 {"encrypted_data", to_json(seal(item_key, R"({"username":"u","password":"p"})")).dump()},
                 {"wrapped_item_key", base64_encode(as_bytes(std::string(256, 'k')))}}}};
    const auto shared_by = [&share](const json& owner_email) {
        if (owner_email.is_null()) {
            share.erase("owner_email");
        } else {
            share["owner_email"] = owner_email;
        }
        auto record = parse_received_share(share);
        REQUIRE(record);
        REQUIRE(record->summary.share);
        return record->summary.share->shared_by;
    };
    const std::string longest = std::string(kMaxOwnerEmailBytes - 12, 'a') + "@example.org";

    CHECK(shared_by("alice@passagent.test") == "alice@passagent.test");
    CHECK(shared_by(longest) == longest);
    CHECK(shared_by(json(nullptr)).empty());                            // the seed's shape: owner_id only
    CHECK(shared_by(longest + "x").empty());                            // longer than an address
    CHECK(shared_by("alice@passagent.test\nAdmin: trust me").empty());  // a line break
    CHECK(shared_by(json::array({"alice@passagent.test"})).empty());    // not a string
}

TEST_CASE("revoked, expired and keyless shares are not items", "[passagent][records]") {
    for (const char* status : {"revoked", "expired", ""}) {
        auto record = parse_received_share(json{{"id", "shr"}, {"status", status}, {"account", {{"id", "pwd"}}}});
        REQUIRE_FALSE(record);
        CHECK(record.error().code == ErrorCode::Unsupported);
    }
    auto keyless = parse_received_share(json{{"id", "shr"}, {"status", "pending"}, {"account", {{"id", "pwd"}}}});
    REQUIRE_FALSE(keyless);
}

TEST_CASE("an entry's encrypted parts sit in one block of exactly their size", "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    const std::string plain = R"({"username":"u","password":"p"})";
    auto v2 = parse_record(v2_record(vault_key, "pwd_2", "alice", "pw", Form::ObjectB64));
    auto v3 = parse_record(v3_record(vault_key, "pwd_3", plain, Form::StringB64Url));
    REQUIRE(v2);
    REQUIRE(v3);

    // iv + ciphertext with its 16-byte tag
    CHECK(v2->sealed.heap_bytes() == 12 + 2 + 16);
    CHECK(v2->sealed.vault_box().iv.size() == 12);
    CHECK(v2->sealed.data_box().ciphertext.empty());
    // iv + wrapped 32-byte key + tag, then iv + data + tag
    CHECK(v3->sealed.heap_bytes() == 12 + 48 + 12 + plain.size() + 16);
    CHECK(v3->sealed.vault_box().ciphertext.size() == 48);
    CHECK(v3->sealed.data_box().ciphertext.size() == plain.size() + 16);
    CHECK(v3->sealed.rsa_wrapped_item_key().empty());
}

TEST_CASE("a record with a box of the wrong size is refused and an empty record opens nothing",
          "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    GcmBox short_iv = seal(vault_key, "pw");
    short_iv.iv.pop_back();
    const GcmBox good = seal(vault_key, "pw");
    const Bytes no_bytes;

    CHECK(EncryptedRecord::v2(short_iv).empty());
    CHECK(EncryptedRecord::v3(good, short_iv).empty());
    CHECK(EncryptedRecord::shared(no_bytes, good).empty());
    const EncryptedRecord whole = EncryptedRecord::v2(good);
    CHECK(EncryptedRecord::from_bytes(RecordKind::V2, 17, 0, whole.bytes()).empty());
    CHECK(EncryptedRecord::from_bytes(RecordKind::V3, 18, 0, whole.bytes()).empty());
    CHECK(std::ranges::equal(EncryptedRecord::from_bytes(RecordKind::V2, 18, 0, whole.bytes()).bytes(), whole.bytes()));
    const ItemSummary summary;
    auto opened = open_record(EncryptedRecord{}, summary, RecordKeys{&vault_key, nullptr});
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == ErrorCode::BadFormat);
}

TEST_CASE("packed entries unpack to the same summaries and records, in order", "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    const SecretBuffer item_key = random_secret(32);
    std::vector<ParsedRecord> page;
    for (int i = 0; i < 3; ++i) {
        auto record = parse_record(v2_record(vault_key, "pwd_" + std::to_string(i), "user\xC3\xBC" + std::to_string(i),
                                             "pw" + std::to_string(i), Form::StringB64));
        REQUIRE(record);
        page.push_back(std::move(*record));
    }
    auto v3 = parse_record(v3_record(vault_key, "pwd_v3", R"({"username":"v3user","password":"v3pw"})", Form::ObjectB64));
    REQUIRE(v3);
    v3->summary.username = "v3user";
    v3->summary.share = ShareRef{"shr_9", "write"};
    page.push_back(std::move(*v3));
    PackedEntries packed;

    CHECK(packed.add(std::span<const ParsedRecord>(page).first(2)) == 0);
    CHECK(packed.add(std::span<const ParsedRecord>(page).subspan(2)) == 0);
    CHECK(packed.size() == 4);
    ItemList items;
    std::vector<EncryptedRecord> records;
    packed.unpack_into(items, records);

    CHECK(packed.size() == 0);
    REQUIRE(items.size() == 4);
    REQUIRE(records.size() == 4);
    for (std::size_t i = 0; i < items.size(); ++i) {
        CAPTURE(i);
        CHECK(items[i].id == page[i].summary.id);
        CHECK(items[i].name == page[i].summary.name);
        CHECK(items[i].username == page[i].summary.username);
        CHECK(items[i].url == page[i].summary.url);
        CHECK(items[i].website == page[i].summary.website);
        CHECK(items[i].has_totp == page[i].summary.has_totp);
        CHECK(items[i].share.has_value() == page[i].summary.share.has_value());
        CHECK(records[i].kind() == page[i].sealed.kind());
        CHECK(std::ranges::equal(records[i].bytes(), page[i].sealed.bytes()));
        auto credential = open_record(records[i], items[i], RecordKeys{&vault_key, nullptr});
        REQUIRE(credential);
    }
    CHECK(items[3].share->id == "shr_9");
    CHECK(items[3].share->permission == "write");
    CHECK(open_record(records[1], items[1], RecordKeys{&vault_key, nullptr})->password.view() == "pw1");
    CHECK(open_record(records[3], items[3], RecordKeys{&vault_key, nullptr})->password.view() == "v3pw");
}

TEST_CASE("the by-id index finds every entry and keeps the first of two with one id", "[passagent][records]") {
    const SecretBuffer vault_key = random_secret(32);
    ItemList items;
    std::vector<EncryptedRecord> records;
    for (const char* id : {"pwd_c", "pwd_a", "pwd_b", "pwd_a"}) {
        ItemSummary summary;
        summary.id = id;
        summary.name = std::string(id) + (records.size() == 3 ? " (shared)" : " (own)");
        items.push_back(summary);
        records.push_back(EncryptedRecord::v2(seal(vault_key, summary.name)));
    }

    const auto by_id = index_by_id(items, records);

    REQUIRE(items.size() == 3);
    REQUIRE(records.size() == 3);
    REQUIRE(by_id.size() == 3);
    CHECK(items[by_id[0]].id == "pwd_a");
    CHECK(items[by_id[1]].id == "pwd_b");
    CHECK(items[by_id[2]].id == "pwd_c");
    CHECK(items[by_id[0]].name == "pwd_a (own)");
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto opened = open_record(records[i], items[i], RecordKeys{&vault_key, nullptr});
        REQUIRE(opened);
        CHECK(opened->password.view() == items[i].name);  // records moved with their summaries
    }
}

TEST_CASE("the entry plaintext parser reads escapes and refuses malformed JSON", "[passagent][records]") {
    auto ok = parse_item_plaintext(R"( {"password":"\ud83d\ude00\t","username":null,"n":-1.5e3,"b":true} )");
    REQUIRE(ok);
    CHECK(ok->password.view() == "\xF0\x9F\x98\x80\t");
    CHECK(ok->username.empty());

    for (std::string_view bad : {R"({"username":"a")", R"({"username":"\ud800"})", R"({"password":"a\q"})",
                                 R"({"a":[1,2})", R"(["x"])", R"({"a":1} x)", "{\"a\":\"\x01\"}", R"({"a":tru})"}) {
        INFO(bad);
        CHECK_FALSE(parse_item_plaintext(bad));
    }
}

TEST_CASE("username-only parsing leaves the password out", "[passagent][records]") {
    auto parsed = parse_item_plaintext(R"({"username":"u","password":"secret","notes":"n"})", true);
    REQUIRE(parsed);
    CHECK(parsed->username == "u");
    CHECK(parsed->password.empty());
    CHECK(parsed->notes.empty());
}

TEST_CASE("an entry written as plaintext JSON reads back the same", "[passagent][records]") {
    Credential credential;
    credential.username = "us\"er";
    credential.password = SecretBuffer::copy_of(std::string_view("p\\w\x01\n"));
    credential.notes = SecretBuffer::copy_of(std::string_view("n\xC3\xBCte"));
    credential.urls = {"https://a/", "https://b/"};

    const SecretBuffer text = item_plaintext_json(credential);
    auto back = parse_item_plaintext(text.view());

    REQUIRE(back);
    CHECK(back->username == credential.username);
    CHECK(back->password.view() == credential.password.view());
    CHECK(back->notes.view() == credential.notes.view());
    CHECK(back->urls == credential.urls);
    CHECK(json::parse(text.view(), nullptr, false).is_object());
}

TEST_CASE("the verifier tells a wrong master password from a right one", "[passagent][vault]") {
    SaltReply salt;
    salt.salt = random_vector(16);
    salt.kdf = KdfParams{8192, 1, 2};
    auto key = derive_vault_key("correct horse", salt);
    REQUIRE(key);
    REQUIRE(key->size() == 32);
    const GcmBox verifier = seal(*key, kVerifierText);
    auto wrong = derive_vault_key("wrong horse", salt);
    REQUIRE(wrong);

    CHECK(check_verifier(*key, verifier));
    auto refused = check_verifier(*wrong, verifier);

    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::WrongMasterPassword);
    const GcmBox other = seal(*key, "something else");
    auto damaged = check_verifier(*key, other);
    REQUIRE_FALSE(damaged);
    CHECK(damaged.error().code == ErrorCode::BadFormat);
}

TEST_CASE("a private key that does not open means a wrong password only when nothing else decides",
          "[passagent][vault]") {
    const SecretBuffer key = random_secret(32);
    const SecretBuffer other = random_secret(32);
    const GcmBox encrypted = seal(key, as_text(rsa_pair().private_der));

    auto opened = open_private_key_der(key, encrypted, true);
    auto deciding = open_private_key_der(other, encrypted, true);
    auto not_deciding = open_private_key_der(other, encrypted, false);

    REQUIRE(opened);
    CHECK(load_private_key(*opened));
    REQUIRE_FALSE(deciding);
    CHECK(deciding.error().code == ErrorCode::WrongMasterPassword);
    REQUIRE_FALSE(not_deciding);
    CHECK(not_deciding.error().code == ErrorCode::BadFormat);
}

TEST_CASE("a fresh backend is logged out and locked, and says so", "[passagent][backend]") {
    PassAgentBackend backend(BackendOptions{});

    CHECK(backend.kind() == "passagent");
    CHECK_FALSE(backend.info().logged_in);
    CHECK(backend.items() == nullptr);
    CHECK(backend.sync({}).error().code == ErrorCode::NotLoggedIn);
    CHECK(backend.decrypt("x").error().code == ErrorCode::NotLoggedIn);
    CHECK(backend.unlock(json{{"masterPassword", "x"}}, {}).error().code == ErrorCode::NotLoggedIn);
    CHECK(backend.call("nope.nothing", json::object(), {}).error().code == ErrorCode::Unsupported);
    backend.lock();
    CHECK(backend.logout());
}

TEST_CASE("sign-in without an anon key or a server is a clear BAD_REQUEST", "[passagent][backend]") {
    PassAgentBackend backend(BackendOptions{});

    auto no_server = backend.login(json{{"email", "a@b.c"}, {"password", "p"}, {"anonKey", "k"}});
    auto no_key = backend.login(json{{"server", "http://127.0.0.1:9"}, {"email", "a@b.c"}, {"password", "p"}});

    REQUIRE_FALSE(no_server);
    CHECK(no_server.error().code == ErrorCode::BadRequest);
    CHECK(no_server.error().extra["field"] == "server");
    REQUIRE_FALSE(no_key);
    CHECK(no_key.error().code == ErrorCode::BadRequest);
    CHECK(no_key.error().extra["field"] == "anonKey");
}

TEST_CASE("the config's passagent section chooses the paging style", "[passagent][backend]") {
    Config config;
    config.raw = json{{"passagent", {{"paging", "page"}}}};
    config.anon_key = "k";

    const BackendOptions options = options_from_config(config);

    CHECK(options.paging == PagingPreference::Page);
    CHECK(options.anon_key == "k");
}

TEST_CASE("the config's passagent.rateLimits set the pacer's limits; a bad one is ignored",
          "[passagent][backend]") {
    Config config;
    config.raw = json{{"passagent", {{"rateLimits", {{"general", 20}, {"reveal", "many"}, {"sharing", 0}}}}}};

    const BackendOptions options = options_from_config(config);

    const auto limit = [&](std::string_view category) {
        for (const auto& l : options.rate_limits) {
            if (l.category == category) {
                return l;
            }
        }
        FAIL("no category " << category);
        return pah::http::RateLimit{};
    };
    CHECK(limit("general").max == 20);
    CHECK(limit("general").user_reserve == 2);
    CHECK(limit("reveal").max == 30);
    CHECK(limit("sharing").max == 30);
}
