// SPDX-License-Identifier: MIT
// The real passagent-host binary against the project's Passwork test server
// (tests/passwork-server, Node: the legacy api3, data encrypted with crypto-js and
// base32) over 127.0.0.1.
#include <catch2/catch.hpp>

#include "support/backend_host.hpp"

using nlohmann::json;
using pah::test::TestServer;
using pah::testing::check_totp_code;
using pah::testing::HostDriver;

namespace {

// The Node server, one per process, reset before each test.
TestServer& server() { return pah::testing::shared_server("passwork-server", "Passwork"); }

json fixture(TestServer& srv, const std::string& key) { return srv.fixture(key, "passwords"); }

std::size_t count_fixtures(TestServer& srv, const std::string& owner, bool readable) {
    std::size_t n = 0;
    const json fixtures = srv.call("GET", "/__test/fixtures");
    for (const auto& entry : fixtures["passwords"]) {
        if (entry["owner"] == owner && entry["readable"] == readable) {
            ++n;
        }
    }
    return n;
}

json login_params(TestServer& srv, const json& who) {
    return {{"backend", "passwork"}, {"server", srv.url()}, {"email", who["email"]}, {"password", who["password"]}};
}

void open(HostDriver& host, TestServer& srv, const json& who) {
    host.ok("session.login", login_params(srv, who));
    host.ok("vault.unlock", {{"masterPassword", who["masterPassword"]}});
}

std::size_t opened_sessions(TestServer& srv) {
    std::size_t n = 0;
    const json log = srv.call("GET", "/__test/requests");
    for (const auto& entry : log["requests"]) {
        if (entry["api"] == "openSession") {
            ++n;
        }
    }
    return n;
}

}  // namespace

TEST_CASE("Passwork sign-in: a wrong password is BAD_CREDENTIALS, the right one opens a session", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    json wrong = login_params(srv, srv.account());
    wrong["password"] = "not the password";

    CHECK(host.error("session.login", wrong) == "BAD_CREDENTIALS");
    const json result = host.ok("session.login", login_params(srv, srv.account()));

    CHECK(result["user"] == srv.account()["email"]);
    CHECK(result["account"] == "passwork:" + srv.account()["email"].get<std::string>() + "@" + srv.url());
    CHECK(result["encryption"] == true);
    const json status = host.ok("status");
    CHECK(status["accounts"][0]["backend"] == "passwork");
    CHECK(status["accounts"][0]["loggedIn"] == true);
    CHECK(status["accounts"][0]["unlocked"] == false);
    json remote = login_params(srv, srv.account());
    remote["server"] = "http://passwork.example.com";
    CHECK(host.error("session.login", remote) == "BAD_REQUEST");
}

TEST_CASE("Passwork: a user banned after repeated failures gets FORBIDDEN, not a retry", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    const json legacy = srv.account()["others"][0];
    json wrong = login_params(srv, legacy);
    wrong["password"] = "wrong";
    for (int i = 0; i < 5; ++i) {
        CHECK(host.error("session.login", wrong) == "BAD_CREDENTIALS");
    }

    const auto banned = host.call("session.login", login_params(srv, legacy));

    CHECK(banned.frame["error"]["code"] == "FORBIDDEN");
    CHECK(banned.frame["error"]["errorCode"] == "ban");
}

TEST_CASE("Passwork unlock: a wrong master password is refused by the hash; the right one opens every readable "
          "vault and counts the entries of the one that does not open", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    host.ok("session.login", login_params(srv, srv.account()));

    CHECK(host.error("vault.unlock", {{"masterPassword", "not it"}}) == "WRONG_MASTER_PASSWORD");
    CHECK(host.error("vault.unlock", json::object()) == "BAD_REQUEST");
    const auto unlocked = host.call("vault.unlock", {{"masterPassword", srv.account()["masterPassword"]}});

    REQUIRE(unlocked.frame["ok"] == true);
    const std::string email = srv.account()["email"];
    CHECK(unlocked.frame["result"]["items"] == count_fixtures(srv, email, true));
    REQUIRE_FALSE(unlocked.events.empty());
    CHECK(unlocked.events.back()["data"]["complete"] == true);
    CHECK(unlocked.events.back()["data"]["skipped"] == count_fixtures(srv, email, false));
    CHECK(count_fixtures(srv, email, false) == 1);
    CHECK(host.error("credentials.get", {{"id", fixture(srv, "unreadable")["id"]}, {"purpose", "view"}}) ==
          "NOT_FOUND");
}

TEST_CASE("Passwork credentials.match and credentials.get: private, organisation and nested-folder entries; "
          "a fill on another page is URL_MISMATCH", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());
    const json github = fixture(srv, "github");

    const json matches = host.ok("credentials.match", {{"url", "https://github.com/session"}})["matches"];
    const json filled = host.ok("credentials.get",
                                {{"id", github["id"]}, {"purpose", "fill"}, {"url", "https://github.com/login"}});
    const std::string mismatch =
        host.error("credentials.get", {{"id", github["id"]}, {"purpose", "fill"}, {"url", "https://gitlab.com/"}});

    REQUIRE(matches.size() == 1);
    CHECK(matches[0]["id"] == github["id"]);
    CHECK(matches[0]["username"] == "octocat");
    CHECK(matches[0]["hasTotp"] == true);
    CHECK_FALSE(matches[0].contains("password"));
    CHECK(filled["username"] == "octocat");
    CHECK(filled["password"] == github["password"]);
    CHECK(filled["notes"] == github["description"]);
    CHECK(mismatch == "URL_MISMATCH");
    for (const char* key : {"gmail", "mastodon", "jira", "buecher", "localhost"}) {
        INFO(key);
        const json entry = fixture(srv, key);
        const json got = host.ok("credentials.get", {{"id", entry["id"]}, {"purpose", "copy"}});
        CHECK(got["username"] == entry["login"]);
        CHECK(got["password"] == entry["password"]);
    }
}

TEST_CASE("Passwork totp.code computes codes from the entry's decrypted TOTP field", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());
    const json github = fixture(srv, "github");
    const json jira = fixture(srv, "jira");

    const json code = host.ok("totp.code", {{"id", github["id"]}});
    const json jira_code = host.ok("totp.code", {{"id", jira["id"]}});

    check_totp_code(code["code"], github["totp"]["secret"].get<std::string>());
    CHECK(code["digits"] == 6);
    CHECK(jira_code["digits"] == 8);
    CHECK(jira_code["algorithm"] == "SHA256");
    check_totp_code(jira_code["code"], jira["totp"]["secret"].get<std::string>(), pah::TotpAlgorithm::Sha256, 8);
    CHECK(host.error("totp.code", {{"id", fixture(srv, "gmail")["id"]}}) == "NO_TOTP");
}

TEST_CASE("Passwork lock wipes the vault: reads and sync are LOCKED until the next unlock", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());
    const std::string id = fixture(srv, "github")["id"];

    host.ok("vault.lock");

    CHECK(host.error("credentials.get", {{"id", id}, {"purpose", "view"}}) == "LOCKED");
    CHECK(host.error("totp.code", {{"id", id}}) == "LOCKED");
    CHECK(host.error("vault.sync") == "LOCKED");
    CHECK(host.ok("status")["accounts"][0]["unlocked"] == false);
    host.ok("vault.unlock", {{"masterPassword", srv.account()["masterPassword"]}});
    CHECK(host.ok("credentials.get", {{"id", id}, {"purpose", "view"}})["password"] ==
          fixture(srv, "github")["password"]);
}

TEST_CASE("Passwork: an expired session is replaced once, without the user noticing", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());
    const std::size_t items = host.ok("vault.sync")["items"];
    const std::size_t before = opened_sessions(srv);

    srv.call("POST", "/__test/expire-sessions");
    const json synced = host.ok("vault.sync");

    CHECK(synced["items"] == items);
    CHECK(opened_sessions(srv) == before + 1);
}

TEST_CASE("Passwork: a login refused when the session is renewed ends it and pushes session-expired", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());

    srv.call("POST", "/__test/password", {{"email", srv.account()["email"]}, {"password", "changed elsewhere"}});
    srv.call("POST", "/__test/expire-sessions");
    const std::string code = host.error("vault.sync");

    CHECK(code == "NOT_LOGGED_IN");
    // The open vault is locked first, then the sign-in ends (protocol.md).
    CHECK(host.pushed_before("locked", "session-expired"));
    CHECK(host.ok("status")["accounts"][0]["loggedIn"] == false);
}

TEST_CASE("Passwork faults: a 500 is SERVER, a cut reply NETWORK, a non-JSON reply BAD_FORMAT; then all is well",
          "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());
    const std::size_t items = host.ok("vault.sync")["items"];

    srv.call("POST", "/__test/fault", {{"match", {{"path", "/api3/getPasswords"}}}, {"status", 500}});
    const auto failed = host.call("vault.sync");
    srv.call("POST", "/__test/fault", {{"match", {{"path", "/api3/getGroups"}}}, {"truncate", true}});
    const std::string cut = host.error("vault.sync");
    srv.call("POST", "/__test/fault", {{"match", {{"path", "/api3/getGroups"}}}, {"status", 200}, {"body", "<html>"}});
    const std::string garbled = host.error("vault.sync");
    srv.call("POST", "/__test/fault", {{"match", {{"path", "/api3/openSession"}}}, {"status", 502}});
    HostDriver other;
    const std::string login_failed = other.error("session.login", login_params(srv, srv.account()));

    CHECK(failed.frame["error"]["code"] == "SERVER");
    CHECK(failed.frame["error"]["status"] == 500);
    CHECK(cut == "NETWORK");
    CHECK(garbled == "BAD_FORMAT");
    CHECK(login_failed == "SERVER");
    CHECK(host.ok("vault.sync")["items"] == items);
}

TEST_CASE("Passwork: an old server's md5 hash checks the master password too", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    const json legacy = srv.account()["others"][0];
    host.ok("session.login", login_params(srv, legacy));

    CHECK(host.error("vault.unlock", {{"masterPassword", "new master"}}) == "WRONG_MASTER_PASSWORD");
    CHECK(host.ok("vault.unlock", {{"masterPassword", legacy["masterPassword"]}})["items"] == 1);

    const json mail = fixture(srv, "legacy-mail");
    CHECK(host.ok("credentials.get", {{"id", mail["id"]}, {"purpose", "view"}})["password"] == mail["password"]);
}

TEST_CASE("Passwork without client-side encryption: base64 values, no master password needed", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    const json plain = srv.account()["others"][1];

    const json signed_in = host.ok("session.login", login_params(srv, plain));
    const json unlocked = host.ok("vault.unlock", json::object());

    CHECK(signed_in["encryption"] == false);
    CHECK(unlocked["items"] == 1);
    const json wiki = fixture(srv, "plain-wiki");
    CHECK(host.ok("credentials.get", {{"id", wiki["id"]}, {"purpose", "view"}})["password"] == wiki["password"]);
}

TEST_CASE("Passwork: PassAgent-only actions are UNSUPPORTED", "[passwork]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());
    const std::string id = fixture(srv, "github")["id"];

    CHECK(host.error("totp.set", {{"id", id}, {"secret", "JBSWY3DPEHPK3PXP"}}) == "UNSUPPORTED");
    CHECK(host.error("shares.create", {{"id", id}, {"recipientEmail", "a@b.c"}}) == "UNSUPPORTED");
    CHECK(host.error("twoFactor.status") == "UNSUPPORTED");
}

TEST_CASE("Passwork: no password, master password or TOTP secret reaches the log", "[passwork]") {
    TestServer& srv = server();
    HostDriver host(json::object(), "debug");
    host.error("session.login", {{"backend", "passwork"}, {"server", srv.url()}, {"email", srv.account()["email"]},
                                 {"password", "wrong-login-password-42"}});
    host.ok("session.login", login_params(srv, srv.account()));
    host.error("vault.unlock", {{"masterPassword", "bad-master-password-42"}});
    host.ok("vault.unlock", {{"masterPassword", srv.account()["masterPassword"]}});
    const json github = fixture(srv, "github");
    host.ok("credentials.get", {{"id", github["id"]}, {"purpose", "view"}});
    host.ok("totp.code", {{"id", github["id"]}});
    srv.call("POST", "/__test/expire-sessions");
    host.ok("vault.sync");

    const std::string log = host.log();

    CHECK_FALSE(log.empty());
    for (const std::string& secret :
         {srv.account()["password"].get<std::string>(), srv.account()["masterPassword"].get<std::string>(),
          std::string("wrong-login-password-42"), std::string("bad-master-password-42"),
          github["password"].get<std::string>(), github["totp"]["secret"].get<std::string>()}) {
        INFO(secret);
        CHECK(log.find(secret) == std::string::npos);
    }
}

TEST_CASE("Passwork: custom fields come back in credentials.get; writes are UNSUPPORTED; list and query work",
          "[passwork][writes]") {
    TestServer& srv = server();
    HostDriver host;
    open(host, srv, srv.account());
    const json gmail = fixture(srv, "gmail");
    const json got = host.ok("credentials.get", {{"id", gmail["id"]}, {"purpose", "view"}});
    json expected = json::array();
    for (const auto& field : gmail["custom"]) {
        if (field["type"] != "totp") {
            expected.push_back({{"name", field["name"]}, {"value", field["value"]}, {"hidden", field["type"] == "password"}});
        }
    }
    CHECK(expected.size() == 2);
    CHECK(got["fields"] == expected);
    CHECK(got["urls"].is_array());

    const auto create = host.call("credentials.create", {{"name", "New"}, {"password", "p"}});
    REQUIRE(create.frame["ok"] == false);
    CHECK(create.frame["error"]["code"] == "UNSUPPORTED");
    CHECK(create.frame["error"]["message"].get<std::string>().find("read-only") != std::string::npos);
    CHECK(host.error("credentials.update", {{"id", gmail["id"]}, {"password", "p"}}) == "UNSUPPORTED");
    CHECK(host.error("credentials.delete", {{"id", gmail["id"]}}) == "UNSUPPORTED");

    const json all = host.ok("credentials.list", {{"limit", 1000}})["items"];
    CHECK(all.size() == count_fixtures(srv, srv.account()["email"].get<std::string>(), true));
    const json found = host.ok("credentials.list", {{"query", "GITHUB"}})["items"];
    REQUIRE(found.size() == 1);
    CHECK(found[0]["id"] == fixture(srv, "github")["id"]);
    CHECK_FALSE(found[0].contains("password"));
}
