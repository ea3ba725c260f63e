// SPDX-License-Identifier: MIT
// The real passagent-host binary against the project's Passman test server
// (tests/passman-server, Node: the extension API, data encrypted with sjcl) over
// 127.0.0.1.
#include <catch2/catch.hpp>

#include "support/backend_host.hpp"

using nlohmann::json;
using pah::test::TestServer;
using pah::testing::check_totp_code;
using pah::testing::HostDriver;

namespace {

constexpr std::string_view kApi = "/index.php/apps/passman/api/v2";

// The Node server, one per process, reset before each test.
TestServer& server() { return pah::testing::shared_server("passman-server", "Passman"); }

json fixture(TestServer& srv, const std::string& key) { return srv.fixture(key, "credentials"); }

// What the demo's vault shows: not hidden, not in the trash, readable.
std::size_t readable(TestServer& srv, const std::string& vault) {
    std::size_t n = 0;
    const json fixtures = srv.call("GET", "/__test/fixtures");
    for (const auto& credential : fixtures["credentials"]) {
        if (credential["vault"] == vault && !credential["hidden"].get<bool>() && !credential["deleted"].get<bool>() &&
            credential["readable"].get<bool>()) {
            ++n;
        }
    }
    return n;
}

json login_params(TestServer& srv) {
    return {{"backend", "passman"},
            {"server", srv.url()},
            {"username", srv.account()["username"]},
            {"password", srv.account()["password"]}};
}

const json& personal(TestServer& srv) { return srv.account()["vaults"][0]; }

json unlock_params(TestServer& srv) {
    return {{"vault", personal(srv)["guid"]}, {"vaultKey", personal(srv)["vaultKey"]}};
}

void open(HostDriver& host, TestServer& srv) {
    host.ok("session.login", login_params(srv));
    host.ok("vault.unlock", unlock_params(srv));
}

}  // namespace

TEST_CASE("Passman sign-in: a wrong password is BAD_CREDENTIALS, the right one lists the vaults", "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    json wrong = login_params(srv);
    wrong["password"] = "not the password";

    CHECK(host.error("session.login", wrong) == "BAD_CREDENTIALS");
    const json result = host.ok("session.login", login_params(srv));

    CHECK(result["user"] == "demo");
    CHECK(result["account"] == "passman:demo@" + srv.url());
    REQUIRE(result["vaults"].size() == 2);
    CHECK(result["vaults"][0]["guid"] == personal(srv)["guid"]);
    CHECK(result["vaults"][0]["name"] == "Personal");
    const json status = host.ok("status");
    CHECK(status["accounts"][0]["backend"] == "passman");
    CHECK(status["accounts"][0]["loggedIn"] == true);
    CHECK(status["accounts"][0]["unlocked"] == false);
    CHECK(host.ok("hello")["backends"].dump().find("passman") != std::string::npos);
}

TEST_CASE("Passman sign-in sends Basic auth, and refuses plain http to another machine before sending anything",
          "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    json remote = login_params(srv);
    remote["server"] = "http://passman.example.com";

    CHECK(host.error("session.login", remote) == "BAD_REQUEST");
    host.ok("session.login", login_params(srv));

    const json log = srv.call("GET", "/__test/requests");
    REQUIRE(log["requests"].size() == 1);
    CHECK(log["requests"][0]["path"] == std::string(kApi) + "/vaults");
    CHECK(log["requests"][0]["auth"] == "Basic");
}

TEST_CASE("Passman unlock: a wrong vault key is WRONG_MASTER_PASSWORD; the right one opens the readable entries, "
          "skips the unreadable one and counts it", "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    host.ok("session.login", login_params(srv));

    CHECK(host.error("vault.unlock", {{"vault", personal(srv)["guid"]}, {"vaultKey", "not the key"}}) ==
          "WRONG_MASTER_PASSWORD");
    CHECK(host.error("vault.unlock", {{"vault", "NO-SUCH-VAULT"}, {"vaultKey", "x"}}) == "NOT_FOUND");
    CHECK(host.error("vault.unlock", {{"vaultKey", "x"}}) == "BAD_REQUEST");  // two vaults: say which
    const auto unlocked = host.call("vault.unlock", unlock_params(srv));

    REQUIRE(unlocked.frame["ok"] == true);
    CHECK(unlocked.frame["result"]["items"] == readable(srv, personal(srv)["guid"]));
    REQUIRE_FALSE(unlocked.events.empty());
    CHECK(unlocked.events.back()["data"]["complete"] == true);
    CHECK(unlocked.events.back()["data"]["skipped"] == 1);
    CHECK(host.pushed("unlocked"));
    const json unreadable = fixture(srv, "unreadable");
    CHECK(host.error("credentials.get", {{"id", unreadable["guid"]}, {"purpose", "view"}}) == "NOT_FOUND");
    CHECK(host.error("credentials.get", {{"id", fixture(srv, "trashed")["guid"]}, {"purpose", "view"}}) ==
          "NOT_FOUND");
    CHECK(host.error("credentials.get", {{"id", fixture(srv, "test-key-Personal")["guid"]}, {"purpose", "view"}}) ==
          "NOT_FOUND");
}

TEST_CASE("Passman: the vault can be named instead of its guid, and another vault opens with its own key",
          "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    host.ok("session.login", login_params(srv));
    const json work = srv.account()["vaults"][1];

    CHECK(host.error("vault.unlock", {{"vault", "Work"}, {"vaultKey", personal(srv)["vaultKey"]}}) ==
          "WRONG_MASTER_PASSWORD");
    CHECK(host.ok("vault.unlock", {{"vault", "Work"}, {"vaultKey", work["vaultKey"]}})["items"] == 1);

    const json got = host.ok("credentials.get", {{"id", fixture(srv, "jira")["guid"]}, {"purpose", "copy"}});
    CHECK(got["password"] == fixture(srv, "jira")["password"]);
}

TEST_CASE("Passman credentials.match ranks the page's entry first; credentials.get fills only on a matching page",
          "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);
    const json github = fixture(srv, "github");

    const json matches = host.ok("credentials.match", {{"url", "https://github.com/session"}})["matches"];
    const json filled = host.ok("credentials.get",
                                {{"id", github["guid"]}, {"purpose", "fill"}, {"url", "https://github.com/login"}});
    const std::string mismatch = host.error(
        "credentials.get", {{"id", github["guid"]}, {"purpose", "fill"}, {"url", "https://github.com.evil.example/"}});

    REQUIRE(matches.size() == 1);
    CHECK(matches[0]["id"] == github["guid"]);
    CHECK(matches[0]["name"] == "GitHub");
    CHECK(matches[0]["username"] == "octocat");
    CHECK(matches[0]["hasTotp"] == true);
    CHECK_FALSE(matches[0].contains("password"));
    CHECK(filled["username"] == "octocat");
    CHECK(filled["password"] == github["password"]);
    CHECK(filled["notes"] == github["description"]);
    CHECK(mismatch == "URL_MISMATCH");
}

TEST_CASE("Passman credentials.get opens shared, non-ASCII and email-only entries", "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);

    for (const char* key : {"wiki", "buecher", "gmail", "localhost"}) {
        INFO(key);
        const json entry = fixture(srv, key);
        const json got = host.ok("credentials.get", {{"id", entry["guid"]}, {"purpose", "view"}});
        const std::string username = entry["username"].get<std::string>().empty() ? entry["email"] : entry["username"];
        CHECK(got["username"] == username);
        CHECK(got["password"] == entry["password"]);
    }
    const json local = host.ok("credentials.match", {{"url", "http://127.0.0.1:8080/login"}})["matches"];
    REQUIRE(local.size() == 1);
    CHECK(local[0]["id"] == fixture(srv, "localhost")["guid"]);
}

TEST_CASE("Passman totp.code computes codes from the entry's decrypted secret", "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);
    const json github = fixture(srv, "github");
    const json aws = fixture(srv, "aws");

    const json code = host.ok("totp.code", {{"id", github["guid"]}});
    const json aws_code = host.ok("totp.code", {{"id", aws["guid"]}});

    check_totp_code(code["code"], github["otp"]["secret"].get<std::string>());
    CHECK(code["digits"] == 6);
    CHECK(code["period"] == 30);
    CHECK(aws_code["digits"] == 8);
    CHECK(aws_code["algorithm"] == "SHA256");
    check_totp_code(aws_code["code"], aws["otp"]["secret"].get<std::string>(), pah::TotpAlgorithm::Sha256, 8);
    CHECK(host.error("totp.code", {{"id", fixture(srv, "gmail")["guid"]}}) == "NO_TOTP");
    CHECK(host.error("totp.code", {{"id", github["guid"]}, {"url", "https://example.org/"}}) == "URL_MISMATCH");
}

TEST_CASE("Passman lock wipes the vault: reads and sync are LOCKED until the next unlock", "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);
    const std::string id = fixture(srv, "github")["guid"];

    host.ok("vault.lock");

    CHECK(host.error("credentials.get", {{"id", id}, {"purpose", "view"}}) == "LOCKED");
    CHECK(host.error("totp.code", {{"id", id}}) == "LOCKED");
    CHECK(host.error("credentials.match", {{"url", "https://github.com/"}}) == "LOCKED");
    CHECK(host.error("vault.sync") == "LOCKED");
    CHECK(host.ok("status")["accounts"][0]["unlocked"] == false);
    CHECK(host.pushed("locked"));
    host.ok("vault.unlock", unlock_params(srv));
    CHECK(host.ok("credentials.get", {{"id", id}, {"purpose", "view"}})["password"] ==
          fixture(srv, "github")["password"]);
}

TEST_CASE("Passman faults: a 500 is SERVER, a cut reply NETWORK, a non-JSON reply BAD_FORMAT; then all is well",
          "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);
    const std::size_t items = host.ok("vault.sync")["items"];
    const std::string vault_path = std::string(kApi) + "/vaults/";

    srv.call("POST", "/__test/fault", {{"match", {{"path", vault_path}}}, {"status", 500}});
    const auto failed = host.call("vault.sync");
    srv.call("POST", "/__test/fault", {{"match", {{"path", vault_path}}}, {"truncate", true}});
    const std::string cut = host.error("vault.sync");
    srv.call("POST", "/__test/fault", {{"match", {{"path", vault_path}}}, {"status", 200}, {"body", "<html>"}});
    const std::string garbled = host.error("vault.sync");
    srv.call("POST", "/__test/fault", {{"match", {{"path", std::string(kApi) + "/vaults"}}}, {"status", 503}});
    HostDriver other;
    const std::string login_failed = other.error("session.login", login_params(srv));

    CHECK(failed.frame["error"]["code"] == "SERVER");
    CHECK(failed.frame["error"]["status"] == 500);
    CHECK(cut == "NETWORK");
    CHECK(garbled == "BAD_FORMAT");
    CHECK(login_failed == "SERVER");
    CHECK(host.ok("vault.sync")["items"] == items);
    CHECK(host.ok("status")["accounts"][0]["unlocked"] == true);
}

TEST_CASE("Passman: a login revoked at the server ends the session and pushes session-expired", "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);

    srv.call("POST", "/__test/password", {{"username", "demo"}, {"password", "changed elsewhere"}});
    const std::string code = host.error("vault.sync");

    CHECK(code == "NOT_LOGGED_IN");
    // The open vault is locked first, then the sign-in ends (protocol.md).
    CHECK(host.pushed_before("locked", "session-expired"));
    const json account = host.ok("status")["accounts"][0];
    CHECK(account["loggedIn"] == false);
    CHECK(account["unlocked"] == false);
    CHECK(host.error("credentials.get", {{"id", fixture(srv, "github")["guid"]}, {"purpose", "view"}}) == "LOCKED");
}

TEST_CASE("Passman: PassAgent-only actions are UNSUPPORTED", "[passman]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);
    const std::string id = fixture(srv, "github")["guid"];

    CHECK(host.error("totp.set", {{"id", id}, {"secret", "JBSWY3DPEHPK3PXP"}}) == "UNSUPPORTED");
    CHECK(host.error("shares.list", {{"type", "owned"}}) == "UNSUPPORTED");
    CHECK(host.error("sessionShares.create", {{"id", id}}) == "UNSUPPORTED");
}

TEST_CASE("Passman: no password, vault key or TOTP secret reaches the log", "[passman]") {
    TestServer& srv = server();
    HostDriver host(json::object(), "debug");
    json wrong = login_params(srv);
    wrong["password"] = "wrong-" + srv.account()["password"].get<std::string>();
    host.error("session.login", wrong);
    open(host, srv);
    host.error("vault.unlock", {{"vault", personal(srv)["guid"]}, {"vaultKey", "bad-vault-key-123"}});
    host.ok("vault.unlock", unlock_params(srv));
    const json github = fixture(srv, "github");
    host.ok("credentials.get", {{"id", github["guid"]}, {"purpose", "view"}});
    host.ok("totp.code", {{"id", github["guid"]}});

    const std::string log = host.log();

    CHECK_FALSE(log.empty());
    for (const std::string& secret :
         {srv.account()["password"].get<std::string>(), personal(srv)["vaultKey"].get<std::string>(),
          std::string("bad-vault-key-123"), github["password"].get<std::string>(),
          github["otp"]["secret"].get<std::string>()}) {
        INFO(secret);
        CHECK(log.find(secret) == std::string::npos);
    }
}

namespace {

// The credential as the server stores it, opened with its vault key (test route).
json stored(TestServer& srv, const std::string& guid) {
    return srv.call("GET", "/__test/credentials/" + guid);
}

}  // namespace

TEST_CASE("Passman writes: create, update (the whole credential), trash; fields, list and query", "[passman][writes]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);

    const json created = host.ok("credentials.create",
                                 {{"name", "Writes forum"},
                                  {"url", "https://forum.writes-test.example/"},
                                  {"username", "poster"},
                                  {"password", "first-Passw0rd"},
                                  {"notes", "a note"},
                                  {"fields", {{{"name", "PIN"}, {"value", "4417"}, {"hidden", true}}}}})["item"];
    const std::string id = created["id"];
    json saved = stored(srv, id);
    CHECK(saved["distinctIvs"] == true);
    CHECK(saved["fields"]["password"] == "first-Passw0rd");
    CHECK(saved["fields"]["username"] == "poster");
    CHECK(saved["fields"]["custom_fields"] ==
          json::array({{{"label", "PIN"}, {"value", "4417"}, {"secret", true}, {"field_type", "password"}}}));
    CHECK(saved["label"] == "Writes forum");

    // Seen at once, without a sync.
    const json listed = host.ok("credentials.list", {{"query", "writes-TEST"}})["items"];
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["id"] == id);
    CHECK(host.ok("credentials.match", {{"url", "https://forum.writes-test.example/login"}})["matches"].size() == 1);

    // Only the password changes; everything else the server had stays (PATCH replaces all).
    host.ok("credentials.update", {{"id", id}, {"password", "second-Passw0rd"}});
    saved = stored(srv, id);
    CHECK(saved["fields"]["password"] == "second-Passw0rd");
    CHECK(saved["fields"]["username"] == "poster");
    CHECK(saved["fields"]["description"] == "a note");
    CHECK(saved["fields"]["custom_fields"].size() == 1);
    const json got = host.ok("credentials.get", {{"id", id}, {"purpose", "view"}});
    CHECK(got["password"] == "second-Passw0rd");
    CHECK(got["fields"] == json::array({{{"name", "PIN"}, {"value", "4417"}, {"hidden", true}}}));

    // Another change made elsewhere: a stale expectedUpdatedAt is CONFLICT.
    CHECK(host.error("credentials.update", {{"id", id}, {"password", "x"}, {"expectedUpdatedAt", "1"}}) == "CONFLICT");
    CHECK(stored(srv, id)["fields"]["password"] == "second-Passw0rd");

    // Delete = the trash: the server keeps it with delete_time set; the host offers it no more.
    CHECK(host.ok("credentials.delete", {{"id", id}}) == json{{"id", id}, {"deleted", true}});
    CHECK(stored(srv, id)["delete_time"].get<std::int64_t>() > 0);
    CHECK(host.ok("credentials.list", {{"query", "writes-test"}})["items"].empty());
    CHECK(host.error("credentials.get", {{"id", id}, {"purpose", "view"}}) == "NOT_FOUND");
    host.ok("vault.sync");
    CHECK(host.ok("credentials.list", {{"query", "writes-test"}})["items"].empty());
}

TEST_CASE("Passman credentials.get gives custom fields; the trash is never listed", "[passman][fields]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);
    const json github = fixture(srv, "github");
    const json got = host.ok("credentials.get", {{"id", github["guid"]}, {"purpose", "view"}});
    REQUIRE(got["fields"].size() == 2);
    CHECK(got["fields"][1]["hidden"] == true);
    CHECK(got["urls"].is_array());
    const json all = host.ok("credentials.list", {{"limit", 1000}})["items"];
    CHECK(all.size() == readable(srv, personal(srv)["guid"]));
    for (const auto& item : all) {
        CHECK(item["id"] != fixture(srv, "trashed")["guid"]);
    }
}

TEST_CASE("Passman: a credential the server will not let this user write is FORBIDDEN, not a signed-out session",
          "[passman][writes]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv);
    const std::string id = fixture(srv, "gmail")["guid"];
    srv.call("POST", "/__test/fault",
             {{"match", {{"path", std::string(kApi) + "/credentials/"}, {"method", "PATCH"}}},
              {"status", 401},
              {"body", R"({"msg":"Not authorized"})"}});
    CHECK(host.error("credentials.update", {{"id", id}, {"password", "x"}}) == "FORBIDDEN");
    CHECK(host.ok("status")["accounts"][0]["loggedIn"] == true);
    CHECK(host.ok("credentials.get", {{"id", id}, {"purpose", "view"}})["password"].is_string());
}
