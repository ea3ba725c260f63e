// SPDX-License-Identifier: MIT
// The local encrypted copy of a PassAgent vault, end to end: the real host and the
// project's PassAgent server over 127.0.0.1. Unlock from the copy with the server down,
// a change on the server arriving through the background sync, no plaintext and no key
// in the file, a damaged copy ignored, the periodic re-sync (docs/local-store.md).
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/vault.hpp"
#include "store/vault_copy.hpp"
#include "support/backend_host.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"

using nlohmann::json;
using pah::testing::HostDriver;
using pah::testing::NodeServer;
using pah::testing::TempDir;

namespace {

// A server of this test's own (it may be stopped).
std::unique_ptr<NodeServer> own_server() {
    std::string why;
    auto server = NodeServer::start("passagent-server", &why);
    if (!server) {
        FAIL("the PassAgent test server is not available: " << why);
    }
    return server;
}

// A host whose state lives in `state` (so that the next host finds its copy).
std::unique_ptr<HostDriver> host_with_state(NodeServer& server, const TempDir& state,
                                            const json& extra_config = json::object()) {
    json config{{"server", server.url()}, {"anonKey", server.account()["anonKey"]}};
    config.update(extra_config);
    return std::make_unique<HostDriver>(config, "info",
                                        std::map<std::string, std::string>{{"XDG_STATE_HOME", state.path()}});
}

std::string sign_in(HostDriver& host, const json& who) {
    return host.ok(
        "session.login",
        {{"backend", "passagent"}, {"email", who["email"]}, {"password", who["password"]}})["account"];
}

// What vault.unlock answers: the copy's entries, or none before a first sync.
std::size_t unlock(HostDriver& host, const json& who) {
    return host.ok("vault.unlock", {{"masterPassword", who["masterPassword"]}})["items"].get<std::size_t>();
}

// Unlock, then wait (as a user does) for the sync that follows to end.
std::size_t unlock_synced(HostDriver& host, const json& who) {
    return host.unlock_synced({{"masterPassword", who["masterPassword"]}});
}

// The one vault copy in the state dir.
std::filesystem::path copy_file(const TempDir& state) {
    const std::filesystem::path dir = std::filesystem::path(state.path()) / "passagent-host" / "vaults";
    REQUIRE(std::filesystem::is_directory(dir));
    std::filesystem::path found;
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".vault") {
            found = entry.path();
            ++count;
        }
    }
    REQUIRE(count == 1);
    return found;
}

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json fixture(NodeServer& server, const std::string& key) {
    const json fixtures = server.call("GET", "/__test/fixtures");  // kept: items is a member of it
    for (const auto& item : fixtures["items"]) {
        if (item["key"] == key) {
            return item;
        }
    }
    FAIL("no fixture " << key);
    return nullptr;
}

// Asks `status` until `event` has been pushed (at most a minute).
bool wait_for_push(HostDriver& host, std::string_view event) {
    for (int i = 0; i < 300 && !host.pushed(event); ++i) {
        host.ok("status");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return host.pushed(event);
}

// Asks `status` until `items-changed` has been pushed with `items` entries (at most a minute).
bool wait_for_items(HostDriver& host, std::size_t items) {
    const auto seen = [&] {
        for (const auto& push : host.pushes) {
            if (push["event"] == "items-changed" && push["data"]["items"] == items) {
                return true;
            }
        }
        return false;
    };
    for (int i = 0; i < 300 && !seen(); ++i) {
        host.ok("status");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return seen();
}

bool matches_name(const json& matches, const std::string& name) {
    for (const auto& match : matches) {
        if (match["name"] == name) {
            return true;
        }
    }
    return false;
}

// Another host of the same account (its own state) adds an entry on the server.
void add_from_another_host(NodeServer& server, const json& who, const json& entry) {
    TempDir other_state;
    auto other = host_with_state(server, other_state);
    sign_in(*other, who);
    unlock_synced(*other, who);
    other->ok("credentials.create", entry);
}

}  // namespace

TEST_CASE("PassAgent local copy: a new unlock with the server down answers from the copy",
          "[passagent][copy]") {
    auto srv = own_server();
    const json who = srv->account();
    const json personal = fixture(*srv, "github-personal");
    const json google = fixture(*srv, "google");
    TempDir state;
    auto host = host_with_state(*srv, state);
    sign_in(*host, who);
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
    const json who = srv->account();
    TempDir state;
    auto host = host_with_state(*srv, state);
    sign_in(*host, who);
    const std::size_t items = unlock_synced(*host, who);
    host->ok("vault.lock");

    add_from_another_host(*srv, who,
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
    NodeServer& srv = pah::testing::shared_server("passagent-server", "PassAgent");
    const json who = srv.account();
    TempDir state;
    auto host = host_with_state(srv, state);
    sign_in(*host, who);
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
    auto copy = pah::store::parse_vault_copy(bytes);
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
    NodeServer& srv = pah::testing::shared_server("passagent-server", "PassAgent");
    const json who = srv.account();
    TempDir state;
    auto host = host_with_state(srv, state);
    sign_in(*host, who);
    const std::size_t items = unlock_synced(*host, who);
    host->ok("vault.lock");

    const auto file = copy_file(state);
    std::string bytes = read_all(file);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x5a);
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    const std::size_t listed_before = srv.count("/api/passwords");

    CHECK(unlock_synced(*host, who) == items);
    CHECK(srv.count("/api/passwords") > listed_before);  // listed from the server again
    CHECK(host->log().find("the local copy is not used") != std::string::npos);
    CHECK(pah::store::parse_vault_copy(read_all(file)));  // and written anew
}

TEST_CASE("PassAgent local copy: an open vault is re-synced every syncMinutes", "[passagent][copy]") {
    auto srv = own_server();
    const json who = srv->account();
    TempDir state;
    auto host = host_with_state(*srv, state, {{"syncMinutes", 0.02}});  // 1.2 s
    sign_in(*host, who);
    const std::size_t items = unlock_synced(*host, who);
    add_from_another_host(*srv, who,
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

namespace {

// A server of its own whose demo vault lists in four pages of 100.
std::unique_ptr<pah::test::TestServer> paged_server() {
    std::string why;
    auto server = pah::test::TestServer::start({"--seed", "1", "--items", "350"}, &why);
    if (!server) {
        FAIL("the PassAgent test server is not available: " << why);
    }
    return server;
}

std::unique_ptr<HostDriver> host_of(const pah::test::TestServer& server, const TempDir& state,
                                    const json& extra_config = json::object()) {
    json config{{"server", server.url()}, {"anonKey", server.account()["anonKey"]}};
    config.update(extra_config);
    return std::make_unique<HostDriver>(config, "info",
                                        std::map<std::string, std::string>{{"XDG_STATE_HOME", state.path()}});
}

// Listing requests the server answered with 200: the first page and those after it.
struct PagesServed {
    std::size_t first = 0;
    std::size_t later = 0;
};

PagesServed pages_served(pah::test::TestServer& server) {
    PagesServed out;
    for (const auto& request : server.requests()) {
        if (request["path"] != "/api/passwords" || request["status"] != 200) {
            continue;
        }
        ++(request.value("query", "").find("cursor=") == std::string::npos ? out.first : out.later);
    }
    return out;
}

std::size_t vault_files(const TempDir& state) {
    const std::filesystem::path dir = std::filesystem::path(state.path()) / "passagent-host" / "vaults";
    std::size_t count = 0;
    if (std::filesystem::is_directory(dir)) {
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() == ".vault") {
                ++count;
            }
        }
    }
    return count;
}

}  // namespace

TEST_CASE(
    "PassAgent first sync: unlock answers before the pages, they show as they arrive, the copy comes at the "
    "end",
    "[passagent][copy]") {
    auto srv = paged_server();
    const json who = srv->account();
    TempDir state;
    auto host = host_of(*srv, state);
    sign_in(*host, who);
    // Every page after the first waits for the test: the server refuses them until the
    // fault is cleared (the host retries a 503, then the sync fails and is retried later).
    srv->call("POST", "/__test/fault",
              {{"match", {{"method", "GET"}, {"pathRegex", "^/api/passwords\\?.*cursor="}}},
               {"times", -1},
               {"status", 503}});

    const json unlocked = host->ok("vault.unlock", {{"masterPassword", who["masterPassword"]}});
    const std::string account = unlocked["account"];
    CHECK(unlocked["items"] == 0);
    CHECK(pages_served(*srv).later == 0);  // unlock did not wait for the listing
    const json opened = host->ok("status")["accounts"][0];
    CHECK(opened["unlocked"] == true);
    CHECK(opened["lastSync"].is_null());

    // The first page shows while the rest are refused; the failed sync says so and
    // leaves the vault open with what arrived. No copy is written from half a listing.
    REQUIRE(wait_for_push(*host, "items-changed"));
    const json cut = host->synced(account);
    REQUIRE(pages_served(*srv).first >= 1);
    CHECK(pages_served(*srv).later == 0);
    const std::size_t partial = cut["items"];
    CHECK(partial > 0);
    CHECK(partial <= 100);
    CHECK(cut["unlocked"] == true);
    CHECK(cut["lastSync"].is_null());
    bool failed = false;
    for (const auto& push : host->pushes) {
        if (push["event"] == "sync" && push["data"].value("complete", true) == false) {
            failed = true;
            CHECK(push["data"]["error"]["code"].is_string());
        }
    }
    CHECK(failed);
    CHECK(host->ok("credentials.list", {{"limit", 5}})["items"].size() == std::min<std::size_t>(partial, 5));
    CHECK(vault_files(state) == 0);

    // The next sync (a user's vault.sync here; the periodic one does the same) lists it
    // all, and the copy is written.
    srv->call("POST", "/__test/reset");
    const std::size_t items = host->ok("vault.sync")["items"];
    CHECK(items > partial);
    const json done = host->ok("status")["accounts"][0];
    CHECK(done["items"] == items);
    CHECK(done["lastSync"].is_number_integer());
    CHECK(vault_files(state) == 1);
    CHECK(matches_name(host->ok("credentials.match", {{"url", "https://github.com/login"}})["matches"],
                       "GitHub (work)"));
}

TEST_CASE(
    "PassAgent first sync: entries show page by page with items-changed, then all of them, and the copy",
    "[passagent][copy]") {
    auto srv = paged_server();
    const json who = srv->account();
    TempDir state;
    auto host = host_of(*srv, state);
    sign_in(*host, who);

    const json unlocked = host->ok("vault.unlock", {{"masterPassword", who["masterPassword"]}});
    const json done = host->synced(unlocked["account"].get<std::string>());
    const std::size_t items = done["items"];
    CHECK(items > 300);
    CHECK(done["lastSync"].is_number_integer());
    CHECK(vault_files(state) == 1);

    // The first page showed on its own before the sync completed.
    std::optional<std::size_t> first_shown;
    bool complete = false;
    for (const auto& push : host->pushes) {
        if (push["event"] == "items-changed" && !first_shown && !complete) {
            first_shown = push["data"]["items"].get<std::size_t>();
        }
        if (push["event"] == "sync" && push["data"].value("complete", false)) {
            complete = true;
        }
    }
    REQUIRE(first_shown);
    CHECK(*first_shown > 0);
    CHECK(*first_shown < items);
    CHECK(complete);
    CHECK(matches_name(host->ok("credentials.match", {{"url", "https://github.com/login"}})["matches"],
                       "GitHub (work)"));

    // With the server gone, the copy opens with every entry.
    host->ok("vault.lock");
    srv.reset();
    CHECK(unlock(*host, who) == items);
}

TEST_CASE("PassAgent local copy: a create, an update and a delete reach the copy at once",
          "[passagent][copy]") {
    auto srv = own_server();
    const json who = srv->account();
    const json personal = fixture(*srv, "github-personal");
    const json google = fixture(*srv, "google");
    TempDir state;
    auto host = host_with_state(*srv, state);
    sign_in(*host, who);
    const std::size_t items = unlock_synced(*host, who);

    const json created = host->ok("credentials.create", {{"name", "Saved just now"},
                                                         {"url", "https://written.example.org/login"},
                                                         {"username", "written-user"},
                                                         {"password", "Written-Pw-4417"}})["item"];
    host->ok("credentials.update", {{"id", personal["id"]}, {"password", "Changed-Pw-9053"}});
    host->ok("credentials.delete", {{"id", google["id"]}});

    // Straight from the copy, with the server gone: no sync ran since the writes.
    host->ok("vault.lock");
    srv.reset();
    CHECK(unlock(*host, who) == items);  // one more, one less
    CHECK(
        matches_name(host->ok("credentials.match", {{"url", "https://written.example.org/login"}})["matches"],
                     "Saved just now"));
    const json got = host->ok("credentials.get", {{"id", created["id"]}, {"purpose", "view"}});
    CHECK(got["username"] == "written-user");
    CHECK(got["password"] == "Written-Pw-4417");
    CHECK(host->ok("credentials.get", {{"id", personal["id"]}, {"purpose", "view"}})["password"] ==
          "Changed-Pw-9053");
    CHECK(host->error("credentials.get", {{"id", google["id"]}, {"purpose", "view"}}) == "NOT_FOUND");
}

namespace {

// The listing requests (GET /api/passwords) the server logged after the first `since`.
std::vector<std::string> listing_queries(NodeServer& server, std::size_t since) {
    std::vector<std::string> out;
    const json log = server.call("GET", "/__test/requests?since=" + std::to_string(since));
    for (const auto& request : log["requests"]) {
        if (request["method"] == "GET" && request["path"] == "/api/passwords") {
            out.push_back(request.value("query", ""));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("PassAgent sync: a periodic re-sync lists only the records created since the last one",
          "[passagent][copy]") {
    auto srv = own_server();
    const json who = srv->account();
    TempDir state;
    auto host = host_with_state(*srv, state, {{"syncMinutes", 0.02}});  // 1.2 s; full listings hourly
    sign_in(*host, who);
    const std::size_t items = unlock_synced(*host, who);
    add_from_another_host(*srv, who,
                          {{"name", "Added for an incremental sync"},
                           {"url", "https://incremental.example.org/login"},
                           {"username", "incremental-user"},
                           {"password", "Incremental-Pw-3309"}});
    const std::size_t since = srv->call("GET", "/__test/requests")["total"];

    REQUIRE(wait_for_items(*host, items + 1));
    CHECK(
        matches_name(host->ok("credentials.match", {{"url", "https://incremental.example.org/"}})["matches"],
                     "Added for an incremental sync"));
    // Every listing since continued from the cursor: none started from the top.
    const std::vector<std::string> queries = listing_queries(*srv, since);
    CHECK_FALSE(queries.empty());
    for (const std::string& query : queries) {
        INFO(query);
        CHECK(query.find("cursor=") != std::string::npos);
    }
    bool incremental = false;
    for (const auto& push : host->pushes) {
        if (push["event"] == "sync" && push["data"].value("incremental", false)) {
            incremental = true;
        }
    }
    CHECK(incremental);
}

TEST_CASE("PassAgent sync: a deletion made elsewhere shows at the next full listing", "[passagent][copy]") {
    auto srv = own_server();
    const json who = srv->account();
    const json google = fixture(*srv, "google");
    TempDir state;
    // Re-syncs every 1.2 s, a full listing once the last is 3 s old.
    auto host =
        host_with_state(*srv, state, {{"syncMinutes", 0.02}, {"passagent", {{"fullListingMinutes", 0.05}}}});
    sign_in(*host, who);
    const std::size_t items = unlock_synced(*host, who);
    {
        TempDir other_state;
        auto other = host_with_state(*srv, other_state);
        sign_in(*other, who);
        unlock_synced(*other, who);
        other->ok("credentials.delete", {{"id", google["id"]}});
    }

    REQUIRE(wait_for_items(*host, items - 1));
    CHECK(host->error("credentials.get", {{"id", google["id"]}, {"purpose", "view"}}) == "NOT_FOUND");
}
