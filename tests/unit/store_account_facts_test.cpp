// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/stat.h>

#include <sodium.h>

#include "store/account_facts.hpp"
#include "store/json_bounded.hpp"
#include "store/state_files.hpp"

using pah::ErrorCode;
using pah::store::AccountFacts;
using pah::store::AccountFactsStore;

namespace {

struct TempDir {
    std::filesystem::path root;
    TempDir() {
        REQUIRE(sodium_init() >= 0);
        std::array<unsigned char, 8> r{};
        randombytes_buf(r.data(), r.size());
        std::array<char, 17> hex{};
        sodium_bin2hex(hex.data(), hex.size(), r.data(), r.size());
        root = std::filesystem::temp_directory_path() / ("pah-facts-" + std::string(hex.data()));
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }
};

AccountFacts alice() {
    AccountFacts f;
    f.account = "passagent:alice@example.org@http://127.0.0.1:8080";
    f.backend = "passagent";
    f.server = "http://127.0.0.1:8080";
    f.user = "alice@example.org";
    f.remembered = true;
    f.kdf = {{"algorithm", "argon2id"}, {"memoryKiB", 65536}, {"iterations", 3}, {"parallelism", 4}};
    f.last_sync = 1'780'000'000;
    return f;
}

}  // namespace

TEST_CASE("account facts survive a new store on the same directory", "[store][facts]") {
    TempDir tmp;
    const auto dir = tmp.root / "state";
    {
        AccountFactsStore store(dir);
        REQUIRE(store.put(alice()));
    }
    AccountFactsStore again(dir);
    auto loaded = again.load();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 1);
    CHECK(loaded->front() == alice());

    struct stat st {};
    REQUIRE(::stat(again.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("put replaces an account of the same id and erase forgets it", "[store][facts]") {
    TempDir tmp;
    AccountFactsStore store(tmp.root);
    REQUIRE(store.put(alice()));
    AccountFacts bob = alice();
    bob.account = "passman:bob@http://127.0.0.1:9090";
    bob.backend = "passman";
    bob.kdf = nullptr;
    bob.last_sync.reset();
    REQUIRE(store.put(bob));
    AccountFacts changed = alice();
    changed.remembered = false;
    REQUIRE(store.put(changed));

    auto loaded = store.load();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 2);
    CHECK((*loaded)[0] == changed);
    CHECK((*loaded)[1] == bob);

    REQUIRE(store.erase(alice().account));
    loaded = store.load();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 1);
    CHECK((*loaded)[0].account == bob.account);
}

TEST_CASE("no file means no accounts", "[store][facts]") {
    TempDir tmp;
    AccountFactsStore store(tmp.root / "never-made");
    auto loaded = store.load();
    REQUIRE(loaded);
    CHECK(loaded->empty());
}

TEST_CASE("a damaged accounts file is refused with a reason and then replaced by a login", "[store][facts]") {
    TempDir tmp;
    AccountFactsStore store(tmp.root);
    std::filesystem::create_directories(tmp.root);
    std::ofstream(store.path()) << "{\"version\":1,\"accounts\":[{\"account\":5}]}";
    auto loaded = store.load();
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().code == ErrorCode::BadFormat);
    CHECK_THAT(loaded.error().message, Catch::Contains("\"account\""));

    REQUIRE(store.put(alice()));
    loaded = store.load();
    REQUIRE(loaded);
    CHECK(loaded->size() == 1);
}

TEST_CASE("the accounts parser refuses wrong shapes", "[store][facts]") {
    const auto why = [](std::string_view text) {
        auto r = pah::store::parse_account_facts(text);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::BadFormat);
        return r.error().message;
    };
    CHECK_THAT(why("not json"), Catch::Contains("not JSON"));
    CHECK_THAT(why("[]"), Catch::Contains("no version"));
    CHECK_THAT(why(R"({"version":2,"accounts":[]})"), Catch::Contains("version is not 1"));
    CHECK_THAT(why(R"({"version":1})"), Catch::Contains("no list"));
    CHECK_THAT(why(R"({"version":1,"accounts":[{"account":"a","backend":"b","server":"s","user":"u","remembered":"yes"}]})"),
               Catch::Contains("remembered"));
    CHECK_THAT(why(R"({"version":1,"accounts":[{"account":"a","backend":"b","server":"s","user":"u"},)"
                   R"({"account":"a","backend":"b","server":"s","user":"u"}]})"),
               Catch::Contains("twice"));
    CHECK_THAT(why(R"({"version":1,"accounts":[{"account":"a","backend":"b","server":"s","user":"u","kdf":{"x":[[1]]}}]})"),
               Catch::Contains("deeper than 4"));
}

TEST_CASE("bounded JSON refuses deep nesting while parsing and accepts the bound itself", "[store][json]") {
    CHECK(pah::store::parse_json_bounded("[[[[1]]]]", 4));
    auto deep = pah::store::parse_json_bounded(std::string(100000, '[') + std::string(100000, ']'), 4);
    REQUIRE_FALSE(deep);
    CHECK_THAT(deep.error(), Catch::Contains("deeper than 4"));
    CHECK_FALSE(pah::store::parse_json_bounded("[[[[[1]]]]]", 4));
}

TEST_CASE("file stems are fixed-size hex whatever the account id holds", "[store][files]") {
    const std::string a = pah::store::file_stem_for("passagent:a/../../b@x");
    CHECK(a.size() == 32);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != pah::store::file_stem_for("passagent:a/../../c@x"));
}

TEST_CASE("a file larger than the bound is not read", "[store][files]") {
    TempDir tmp;
    std::filesystem::create_directories(tmp.root);
    const auto path = tmp.root / "big";
    std::ofstream(path) << std::string(100, 'x');
    auto r = pah::store::read_file_bounded(path, 99);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::TooLarge);
    auto ok = pah::store::read_file_bounded(path, 100);
    REQUIRE(ok);
    CHECK(ok->size() == 100);
}

TEST_CASE("put_kdf changes only the kdf of a known account and adds an unknown one", "[store][facts]") {
    TempDir tmp;
    AccountFactsStore store(tmp.root);
    REQUIRE(store.put(alice()));
    const nlohmann::json stronger = {{"algorithm", "argon2id"}, {"memoryKiB", 131072}, {"iterations", 4}};
    AccountFacts bob;
    bob.account = "passagent:bob@example.org@http://127.0.0.1:8080";
    bob.backend = "passagent";
    bob.server = "http://127.0.0.1:8080";
    bob.user = "bob@example.org";

    REQUIRE(store.put_kdf(alice(), stronger));
    REQUIRE(store.put_kdf(bob, stronger));

    auto loaded = store.load();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 2);
    AccountFacts expected = alice();
    expected.kdf = stronger;
    CHECK(loaded->at(0) == expected);  // remembered and lastSync kept
    CHECK(loaded->at(1).account == bob.account);
    CHECK(store.kdf(bob.account).value() == stronger);
    CHECK(store.kdf("passagent:nobody@x@y").value().is_null());
}

TEST_CASE("a remembered sign-in written again keeps the KDF on record, and forgetting it keeps the floor",
          "[store][facts]") {
    TempDir tmp;
    AccountFactsStore store(tmp.root);
    REQUIRE(store.put(alice()));
    AccountFacts again = alice();  // what remember() writes: it knows no KDF, no sync
    again.kdf = nullptr;
    again.last_sync.reset();
    REQUIRE(store.put(again));
    CHECK(store.load()->at(0) == alice());

    AccountFacts bob = alice();
    bob.account = "passman:bob@http://127.0.0.1:9090";
    bob.kdf = nullptr;
    REQUIRE(store.put(bob));

    REQUIRE(store.forget_sign_in(alice().account));  // has a KDF floor: stays, not remembered
    REQUIRE(store.forget_sign_in(bob.account));      // none: gone
    REQUIRE(store.forget_sign_in("passagent:nobody@x@y"));
    auto loaded = store.load();
    REQUIRE(loaded);
    REQUIRE(loaded->size() == 1);
    CHECK(loaded->at(0).account == alice().account);
    CHECK_FALSE(loaded->at(0).remembered);
    CHECK(loaded->at(0).kdf == alice().kdf);
}
