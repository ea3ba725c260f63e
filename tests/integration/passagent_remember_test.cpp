// SPDX-License-Identifier: MIT
// Remembered sign-in end to end: the real host, the PassAgent test server and a real
// Secret Service. The [keyring] cases run under ctest's keyring_integration, inside
// tests/support/with-keyring.sh (a private D-Bus session bus with a fresh, unlocked
// gnome-keyring); the other one points the host at a bus that does not exist.
#include <map>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "support/backend_host.hpp"
#include "support/process.hpp"
#include "support/remembered_sign_in.hpp"
#include "support/test_server.hpp"

using nlohmann::json;
using pah::test::TestServer;
using pah::testing::HostDriver;
using pah::testing::state_files;
using pah::testing::stored;
using pah::testing::TempDir;

namespace {

TestServer& server() {
    std::string why;
    TestServer* shared = TestServer::shared(&why);
    if (shared == nullptr) {
        FAIL("the PassAgent test server is not available: " << why);
    }
    return *shared;
}

// A host whose state (accounts.json) lives in `state`, so that the next one finds it.
std::unique_ptr<HostDriver> host_with_state(TestServer& server, const TempDir& state,
                                            const std::map<std::string, std::string>& env = {}) {
    std::map<std::string, std::string> all{{"XDG_STATE_HOME", state.path()}};
    all.insert(env.begin(), env.end());
    return std::make_unique<HostDriver>(
        json{{"server", server.url()}, {"anonKey", server.account()["anonKey"]}}, "info", all);
}

json login(HostDriver& host, const json& who, bool remember) {
    return host.ok("session.login", {{"backend", "passagent"},
                                     {"email", who["email"]},
                                     {"password", who["password"]},
                                     {"remember", remember}});
}

// The account states `hello` lists.
json accounts(HostDriver& host) { return host.ok("hello")["accounts"]; }

// How many refresh grants the server has answered (with any status).
std::size_t refresh_grants(TestServer& server) {
    return server.count("POST", "/auth/v1/token", "?grant_type=refresh_token");
}

}  // namespace

TEST_CASE(
    "PassAgent remembered sign-in: a new host lists the account and unlocks with the master password only",
    "[keyring][passagent]") {
    TestServer& srv = server();
    TempDir state;
    std::string account;
    {
        auto first = host_with_state(srv, state);
        const json signed_in = login(*first, srv.account(), true);
        CHECK(signed_in["remembered"] == true);
        CHECK_FALSE(signed_in.contains("rememberError"));
        account = signed_in["account"];
        const json listed = accounts(*first);
        REQUIRE(listed.size() == 1);
        CHECK(listed[0]["remembered"] == true);
    }
    CHECK(stored(account));
    // The secret is in the keyring, not in a file of ours.
    const std::string files = state_files(state);
    CHECK(files.find(account) != std::string::npos);  // accounts.json names it
    CHECK(files.find("refresh") == std::string::npos);

    auto second = host_with_state(srv, state);
    const json listed = accounts(*second);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["account"] == account);
    CHECK(listed[0]["loggedIn"] == true);
    CHECK(listed[0]["unlocked"] == false);
    CHECK(listed[0]["remembered"] == true);
    CHECK(second->ok("status")["accounts"][0]["remembered"] == true);

    const std::size_t before = refresh_grants(srv);
    const std::size_t unlocked = second->unlock_synced({{"masterPassword", srv.account()["masterPassword"]}});
    CHECK(unlocked > 0);
    CHECK(refresh_grants(srv) == before + 1);  // signed in again with the stored token
    CHECK(accounts(*second)[0]["unlocked"] == true);
    second.reset();

    // The refresh rotated the token and the new one was stored: a third host gets in too.
    auto third = host_with_state(srv, state);
    CHECK(third->unlock_synced({{"masterPassword", srv.account()["masterPassword"]}}) == unlocked);
    third->ok("session.logout");
}

TEST_CASE("PassAgent remembered sign-in: session.logout removes it, from the keyring and the account list",
          "[keyring][passagent]") {
    TestServer& srv = server();
    TempDir state;
    std::string account;
    {
        auto first = host_with_state(srv, state);
        account = login(*first, srv.account(), true)["account"];
    }
    REQUIRE(stored(account));
    {
        // Signed out by a host that never unlocked it.
        auto second = host_with_state(srv, state);
        REQUIRE(accounts(*second).size() == 1);
        second->ok("session.logout", {{"account", account}});
        CHECK(accounts(*second).empty());
    }
    CHECK_FALSE(stored(account));
    auto third = host_with_state(srv, state);
    CHECK(accounts(*third).empty());
}

TEST_CASE("PassAgent remembered sign-in: a refresh the server refuses is NOT_LOGGED_IN and the secret goes",
          "[keyring][passagent]") {
    TestServer& srv = server();
    TempDir state;
    std::string account;
    {
        auto first = host_with_state(srv, state);
        account = login(*first, srv.account(), true)["account"];
    }
    REQUIRE(stored(account));
    srv.call("POST", "/__test/fault",
             {{"match", {{"path", "/auth/v1/token"}}},
              {"times", 1},
              {"status", 400},
              {"body",
               {{"error", "invalid_grant"},
                {"error_code", "session_not_found"},
                {"error_description", "Invalid Refresh Token: Session Expired"}}}});
    auto second = host_with_state(srv, state);
    CHECK(second->error("vault.unlock", {{"masterPassword", srv.account()["masterPassword"]}}) ==
          "NOT_LOGGED_IN");
    CHECK_FALSE(stored(account));
    CHECK(accounts(*second)[0]["remembered"] == false);
    auto third = host_with_state(srv, state);
    CHECK(accounts(*third).empty());
}

TEST_CASE(
    "PassAgent remembered sign-in without a Secret Service: remember is UNSUPPORTED saying why, the "
    "sign-in works",
    "[passagent]") {
    TestServer& srv = server();
    TempDir state;
    auto host =
        host_with_state(srv, state, {{"DBUS_SESSION_BUS_ADDRESS", "unix:path=" + state.path() + "/no-bus"}});
    const json signed_in = login(*host, srv.account(), true);
    CHECK(signed_in["remembered"] == false);
    CHECK(signed_in["rememberError"]["code"] == "UNSUPPORTED");
    CHECK_FALSE(signed_in["rememberError"]["message"].get<std::string>().empty());
    CHECK(host->unlock_synced({{"masterPassword", srv.account()["masterPassword"]}}) > 0);
    const json listed = accounts(*host);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["remembered"] == false);
}
