// SPDX-License-Identifier: MIT
// The local encrypted copy of a PassAgent vault, end to end: the real host and the
// project's PassAgent server over 127.0.0.1. Unlock from the copy with the server down,
// a change on the server arriving through the background sync, no plaintext and no key
// in the file, a damaged copy ignored, the periodic re-sync (docs/local-store.md).

#include "integration/passagent_copy_support.hpp"

using namespace pah::testing::copy;  // NOLINT(google-build-using-namespace): the shared helpers

TEST_CASE("PassAgent local copy: a new unlock with the server down answers from the copy",
          "[passagent][copy]") {
    auto srv = own_server();
    const json personal = srv->fixture("github-personal");
    const json google = srv->fixture("google");
    SignedIn signed_in(*srv);
    auto& [who, state, host] = signed_in;
    const std::size_t items = unlock_synced(*host, who);
    REQUIRE(items > 0);

    // Written by the sync: 0600 in a 0700 directory.
    const auto file = copy_file(state);
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat(file.parent_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    const json synced = host->ok("status")["accounts"][0];
    REQUIRE(synced["lastSync"].is_number_integer());

    host->ok("vault.lock");
    srv.reset();  // the server is gone

    CHECK(unlock(*host, who) == items);
    const json now = host->ok("status")["accounts"][0];
    CHECK(now["unlocked"] == true);
    CHECK(now["lastSync"] == synced["lastSync"]);  // the copy's: no sync since

    const json matches = host->ok("credentials.match", {{"url", "https://github.com/login"}})["matches"];
    CHECK(matches_name(matches, "GitHub (work)"));  // v3: its username opened again from the copy
    CHECK(matches_name(matches, "GitHub (personal)"));
    const json got = host->ok("credentials.get", {{"id", personal["id"]}, {"purpose", "view"}});
    CHECK(got["password"] == personal["password"]);
    CHECK(got["username"] == personal["username"]);
    // A zero-trust TOTP code from the configuration the copy kept.
    pah::testing::check_totp_code(host->ok("totp.code", {{"id", google["id"]}})["code"],
                                  google["totp"]["secret"].get<std::string>());

    // The background sync could not reach the server: it says so, and the vault stays open.
    REQUIRE(wait_for_push(*host, "sync"));
    CHECK(host->ok("status")["accounts"][0]["unlocked"] == true);
}

TEST_CASE(
    "PassAgent local copy: a change made on the server after the copy arrives through the background sync",
    "[passagent][copy]") {
    auto srv = own_server();
    SignedIn signed_in(*srv);
    auto& [who, state, host] = signed_in;
    const std::size_t items = unlock_synced(*host, who);
    host->ok("vault.lock");

    on_another_host(*srv, "credentials.create",
                    {{"name", "Added after the copy"},
                     {"url", "https://later.example.org/login"},
                     {"username", "later-user"},
                     {"password", "Later-Added-Pw-7731"}});

    // The copy answers first (without the new entry), the background sync brings it.
    host->pushes.clear();  // the first sync's
    CHECK(unlock(*host, who) == items);
    REQUIRE(wait_for_items(*host, items + 1));
    bool complete = false;
    for (const auto& push : host->pushes) {
        if (push["event"] == "sync" && push["data"].value("complete", false)) {
            complete = true;
            CHECK(push["data"]["account"].is_string());
        }
    }
    CHECK(complete);
    const json matches =
        host->ok("credentials.match", {{"url", "https://later.example.org/login"}})["matches"];
    CHECK(matches_name(matches, "Added after the copy"));
    CHECK(host->ok("status")["accounts"][0]["items"] == items + 1);
}

TEST_CASE("PassAgent local copy: the file holds no password, notes, decrypted username or key",
          "[passagent][copy]") {
    TestServer& srv = pah::testing::shared_server("passagent-server", "PassAgent");
    SignedIn signed_in(srv);
    auto& [who, state, host] = signed_in;
    unlock_synced(*host, who);
    const std::string bytes = read_all(copy_file(state));
    REQUIRE(bytes.size() > 1000);

    // What the copy knows must be there (so that the scan is seen to look at the right file).
    CHECK(bytes.find("GitHub (work)") != std::string::npos);
    const json fixtures = srv.call("GET", "/__test/fixtures");
    // What the server sends in clear anyway: v2 usernames, and the account's email.
    std::string clear = who["email"].get<std::string>();
    for (const auto& item : fixtures["items"]) {
        if (item["version"] == 2 && item["username"].is_string()) {
            clear += "\n" + item["username"].get<std::string>();
        }
    }
    std::size_t secrets = 0;
    for (const auto& item : fixtures["items"]) {
        if (item["owner"] != who["email"]) {
            continue;
        }
        for (const char* name : {"password", "notes"}) {
            if (item[name].is_string() && item[name].get<std::string>().size() >= 6) {
                INFO(item["key"] << " " << name);
                CHECK(bytes.find(item[name].get<std::string>()) == std::string::npos);
                ++secrets;
            }
        }
        // A v3 entry's username is decrypted at sync: never written.
        if (item["version"] == 3 && !item.value("travelMode", false) &&
            item["username"].get<std::string>().size() >= 6 &&  // "dev" is in many a ciphertext
            clear.find(item["username"].get<std::string>()) == std::string::npos) {
            INFO(item["key"] << " username");
            CHECK(bytes.find(item["username"].get<std::string>()) == std::string::npos);
        }
    }
    CHECK(secrets > 10);
    CHECK(bytes.find(who["masterPassword"].get<std::string>()) == std::string::npos);
    CHECK(bytes.find(who["password"].get<std::string>()) == std::string::npos);

    // The vault key, derived here from the copy's own salt and KDF parameters.
    auto copy = read_copy_header(bytes);
    REQUIRE(copy);
    const std::string* salt_text = copy->find_meta("salt");
    REQUIRE(salt_text != nullptr);
    auto salt = pah::passagent::parse_salt_reply(*salt_text);
    REQUIRE(salt);
    auto key = pah::passagent::derive_vault_key(who["masterPassword"].get<std::string>(), *salt);
    REQUIRE(key);
    const std::string key_bytes(reinterpret_cast<const char*>(key->data()), key->size());
    CHECK(bytes.find(key_bytes) == std::string::npos);
}

TEST_CASE("PassAgent local copy: a damaged copy is ignored and the vault unlocks from the server",
          "[passagent][copy]") {
    TestServer& srv = pah::testing::shared_server("passagent-server", "PassAgent");
    SignedIn signed_in(srv);
    auto& [who, state, host] = signed_in;
    const std::size_t items = unlock_synced(*host, who);
    host->ok("vault.lock");

    const auto file = copy_file(state);
    std::string bytes = read_all(file);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    const std::size_t listed_before = srv.count_prefix("/api/passwords");

    CHECK(unlock_synced(*host, who) == items);
    CHECK(srv.count_prefix("/api/passwords") > listed_before);  // listed from the server again
    CHECK(host->log().find("the local copy is not used") != std::string::npos);
    std::size_t records = 0;
    CHECK(read_copy_header(read_all(file), &records));  // and written anew
    CHECK(records > 0);
}

TEST_CASE("PassAgent local copy: an open vault is re-synced every syncMinutes", "[passagent][copy]") {
    auto srv = own_server();
    SignedIn signed_in(*srv, {{"syncMinutes", 0.02}});  // 1.2 s
    auto& [who, state, host] = signed_in;
    const std::size_t items = unlock_synced(*host, who);
    on_another_host(*srv, "credentials.create",
                    {{"name", "Added before a re-sync"},
                     {"url", "https://resync.example.org/login"},
                     {"username", "resync-user"},
                     {"password", "Resync-Pw-5521"}});
    REQUIRE(wait_for_items(*host, items + 1));
    CHECK(host->ok("status")["accounts"][0]["items"] == items + 1);
    const json matches =
        host->ok("credentials.match", {{"url", "https://resync.example.org/login"}})["matches"];
    CHECK(matches_name(matches, "Added before a re-sync"));
}

TEST_CASE("PassAgent local copy: a remembered account unlocks from it in a new host with the server down",
          "[keyring][passagent][copy]") {
    auto srv = own_server();
    const json who = srv->account();
    const json config{{"server", srv->url()}, {"anonKey", who["anonKey"]}};
    TempDir state;
    const std::map<std::string, std::string> env{{"XDG_STATE_HOME", state.path()}};
    std::size_t items = 0;
    json synced;
    {
        HostDriver first(config, "info", env);
        const json signed_in = first.ok("session.login", {{"backend", "passagent"},
                                                          {"email", who["email"]},
                                                          {"password", who["password"]},
                                                          {"remember", true}});
        REQUIRE(signed_in["remembered"] == true);
        items = unlock_synced(first, who);
        synced = first.ok("status")["accounts"][0];
    }
    srv.reset();  // the browser restarts while the server is down

    HostDriver second(config, "info", env);
    REQUIRE(second.ok("status")["accounts"].size() == 1);
    CHECK(unlock(second, who) == items);  // the refresh could not be sent; the copy opens
    const json now = second.ok("status")["accounts"][0];
    CHECK(now["unlocked"] == true);
    CHECK(now["lastSync"] == synced["lastSync"]);
    CHECK(matches_name(second.ok("credentials.match", {{"url", "https://github.com/login"}})["matches"],
                       "GitHub (work)"));
}
