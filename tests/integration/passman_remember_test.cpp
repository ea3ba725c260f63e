// SPDX-License-Identifier: MIT
// Passman's remembered sign-in end to end: the real host, the project's Passman test
// server and a real Secret Service. The [keyring] cases run under ctest's
// keyring_integration (tests/support/with-keyring.sh: a private D-Bus session bus with a
// fresh, unlocked gnome-keyring); the last one points the host at a bus that does not exist.
#include <map>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "support/backend_host.hpp"
#include "support/remembered_sign_in.hpp"

using nlohmann::json;
using pah::test::TestServer;
using pah::testing::HostDriver;
using pah::testing::state_files;
using pah::testing::stored;
using pah::testing::stored_secret;
using pah::testing::TempDir;

namespace {

constexpr std::string_view kVaults = "/index.php/apps/passman/api/v2/vaults";

TestServer& server() { return pah::testing::shared_server("passman-server", "Passman"); }

// A host whose state (accounts.json) lives in `state`, so that the next one finds it.
std::unique_ptr<HostDriver> host_with_state(const TempDir& state,
                                            const std::map<std::string, std::string>& env = {}) {
    std::map<std::string, std::string> all{{"XDG_STATE_HOME", state.path()}};
    all.insert(env.begin(), env.end());
    return std::make_unique<HostDriver>(json::object(), "info", all);
}

json login(HostDriver& host, TestServer& srv, bool remember) {
    return host.ok("session.login", {{"backend", "passman"},
                                     {"server", srv.url()},
                                     {"username", srv.account()["username"]},
                                     {"password", srv.account()["password"]},
                                     {"remember", remember}});
}

const json& personal(TestServer& srv) { return srv.account()["vaults"][0]; }

// vault.unlock with the vault and its key only: no server, user or password.
json unlock_params(TestServer& srv) {
    return {{"vault", personal(srv)["guid"]}, {"vaultKey", personal(srv)["vaultKey"]}};
}

json accounts(HostDriver& host) { return host.ok("hello")["accounts"]; }

// A first host signs in with remember and ends: the account id, its password stored.
std::string remembered_account(const TempDir& state, TestServer& srv) {
    auto first = host_with_state(state);
    const std::string account = login(*first, srv, true)["account"];
    first.reset();
    REQUIRE(stored(account));
    return account;
}

}  // namespace

TEST_CASE("Passman remembered sign-in: a new host lists the account and unlocks with the vault key only",
          "[keyring][passman]") {
    TestServer& srv = server();
    TempDir state;
    std::string account;
    {
        auto first = host_with_state(state);
        const json signed_in = login(*first, srv, true);
        CHECK(signed_in["remembered"] == true);
        CHECK_FALSE(signed_in.contains("rememberError"));
        account = signed_in["account"];
        REQUIRE(accounts(*first).size() == 1);
        CHECK(accounts(*first)[0]["remembered"] == true);
    }
    // The Nextcloud password is in the keyring, and in no file of ours.
    CHECK(stored_secret(account) == srv.account()["password"].get<std::string>());
    const std::string files = state_files(state);
    CHECK(files.find(account) != std::string::npos);
    CHECK(files.find(srv.account()["password"].get<std::string>()) == std::string::npos);

    auto second = host_with_state(state);
    const json listed = accounts(*second);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0]["account"] == account);
    CHECK(listed[0]["backend"] == "passman");
    CHECK(listed[0]["loggedIn"] == true);
    CHECK(listed[0]["unlocked"] == false);
    CHECK(listed[0]["remembered"] == true);
    const std::size_t before = srv.count("GET", kVaults);
    const json unlocked = second->ok("vault.unlock", unlock_params(srv));
    CHECK(unlocked["items"].get<std::size_t>() > 0);
    CHECK(srv.count("GET", kVaults) == before + 1);  // signed in again: no extra request
    CHECK(accounts(*second)[0]["unlocked"] == true);
    const json matches = second->ok("credentials.match", {{"url", "https://github.com/login"}})["matches"];
    CHECK_FALSE(matches.empty());
    second.reset();

    // A third host gets in too, and its sign-out removes the secret.
    auto third = host_with_state(state);
    third->ok("vault.unlock", unlock_params(srv));
    third->ok("session.logout");
    CHECK_FALSE(stored(account));
}

TEST_CASE(
    "Passman remembered sign-in: a password Nextcloud no longer takes is NOT_LOGGED_IN and the secret goes",
    "[keyring][passman]") {
    TestServer& srv = server();
    TempDir state;
    const std::string account = remembered_account(state, srv);
    srv.call("POST", "/__test/password", {{"username", "demo"}, {"password", "changed elsewhere"}});

    auto second = host_with_state(state);
    CHECK(second->error("vault.unlock", unlock_params(srv)) == "NOT_LOGGED_IN");
    CHECK(second->pushed("session-expired"));
    CHECK_FALSE(stored(account));
    CHECK(accounts(*second)[0]["remembered"] == false);
    CHECK(accounts(*second)[0]["loggedIn"] == false);
    auto third = host_with_state(state);
    CHECK(accounts(*third).empty());
}

TEST_CASE("Passman remembered sign-in: a password changed while signed in ends the session and the secret",
          "[keyring][passman]") {
    TestServer& srv = server();
    TempDir state;
    auto host = host_with_state(state);
    const std::string account = login(*host, srv, true)["account"];
    host->ok("vault.unlock", unlock_params(srv));
    REQUIRE(stored(account));

    srv.call("POST", "/__test/password", {{"username", "demo"}, {"password", "changed elsewhere"}});
    CHECK(host->error("vault.sync") == "NOT_LOGGED_IN");
    CHECK_FALSE(stored(account));
    CHECK(accounts(*host)[0]["remembered"] == false);
}

TEST_CASE("Passman remembered sign-in: session.logout by a host that never unlocked removes it",
          "[keyring][passman]") {
    TestServer& srv = server();
    TempDir state;
    const std::string account = remembered_account(state, srv);
    {
        auto second = host_with_state(state);
        REQUIRE(accounts(*second).size() == 1);
        second->ok("session.logout", {{"account", account}});
        CHECK(accounts(*second).empty());
    }
    CHECK_FALSE(stored(account));
    auto third = host_with_state(state);
    CHECK(accounts(*third).empty());
}

TEST_CASE("Passman remembered sign-in without a Secret Service: UNSUPPORTED saying why, the sign-in works",
          "[passman]") {
    TestServer& srv = server();
    TempDir state;
    auto host =
        host_with_state(state, {{"DBUS_SESSION_BUS_ADDRESS", "unix:path=" + state.path() + "/no-bus"}});
    const json signed_in = login(*host, srv, true);
    CHECK(signed_in["remembered"] == false);
    CHECK(signed_in["rememberError"]["code"] == "UNSUPPORTED");
    CHECK_FALSE(signed_in["rememberError"]["message"].get<std::string>().empty());
    CHECK(host->ok("vault.unlock", unlock_params(srv))["items"].get<std::size_t>() > 0);
    CHECK(accounts(*host)[0]["remembered"] == false);
}
