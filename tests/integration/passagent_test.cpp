// SPDX-License-Identifier: MIT
// The real passagent-host binary against the project's PassAgent test server
// (tests/passagent-server, Node) over 127.0.0.1, with the smallest KDF parameters the
// host accepts (19 MiB, 2 passes).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "integration/passagent_copy_support.hpp"
#include "support/backend_host.hpp"
#include "support/test_server.hpp"

using nlohmann::json;
using pah::testing::check_totp_code;
using pah::testing::now_seconds;
using pah::testing::totp_code_at;

namespace {

using pah::test::TestServer;

constexpr std::size_t kItems = TestServer::kSeededItems;

// Readable entries of a user: own ones minus travel mode, plus live received shares.
std::size_t readable_items(TestServer& server, const std::string& email, std::size_t own_total) {
    const json fixtures = server.call("GET", "/__test/fixtures");
    std::size_t count = own_total;
    for (const auto& item : fixtures["items"]) {
        if (item.value("owner", "") == email && item.value("travelMode", false)) {
            --count;
        }
        for (const auto& share : item.value("sharedWith", json::array())) {
            if (share["recipient"] == email &&
                (share["status"] == "active" || share["status"] == "pending")) {
                ++count;
            }
        }
    }
    return count;
}

using Reply = pah::testing::HostReply;

// The real host, with this server's address and anon key as its config defaults.
struct Host : pah::testing::HostDriver {
    explicit Host(const TestServer& server, const json& extra_config = json::object())
        : HostDriver(config_for(server, extra_config), std::nullopt) {}

    void login(const json& who) { ok("session.login", {{"backend", "passagent"}, {"email", who["email"]}, {"password", who["password"]}}); }
    // Once its first sync (in the background) is over.
    std::size_t unlock(const json& who) { return unlock_synced({{"masterPassword", who["masterPassword"]}}); }

private:
    static json config_for(const TestServer& server, const json& extra_config) {
        json config{{"server", server.url()}, {"anonKey", server.account()["anonKey"]}};
        config.update(extra_config);
        return config;
    }
};

}  // namespace

TEST_CASE("PassAgent sign-in: a wrong password is BAD_CREDENTIALS, the right one signs in", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    json wrong{{"backend", "passagent"}, {"email", server->account()["email"]}, {"password", "nope"}};

    CHECK(host.error("session.login", wrong) == "BAD_CREDENTIALS");
    const json result = host.ok("session.login", {{"backend", "passagent"},
                                                  {"email", server->account()["email"]},
                                                  {"password", server->account()["password"]}});

    CHECK(result["user"] == server->account()["email"]);
    CHECK(result["account"] ==
          "passagent:" + server->account()["email"].get<std::string>() + "@" + server->url());
    const json status = host.ok("status");
    CHECK(status["accounts"][0]["loggedIn"] == true);
    CHECK(status["accounts"][0]["unlocked"] == false);
}

TEST_CASE("PassAgent sign-in of a 2FA account asks for the code, then accepts it", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    const json mfa = server->account()["others"][2];
    json params{{"backend", "passagent"}, {"email", mfa["email"]}, {"password", mfa["password"]}};

    const Reply first = host.call("session.login", params);
    params["otp"] = totp_code_at(mfa["totpSecret"].get<std::string>(), now_seconds());
    const json second = host.ok("session.login", params);

    CHECK(first.frame["error"]["code"] == "OTP_REQUIRED");
    CHECK(first.frame["error"]["otpRequired"] == true);
    CHECK(second["user"] == mfa["email"]);
    CHECK(host.unlock(mfa) >= 1);
}

// A six-digit code that is none of the codes valid around `at` (the server accepts ±1 step).
std::string invalid_code(std::string_view base32, std::int64_t at) {
    const std::set<std::string> valid = {totp_code_at(base32, at - 30), totp_code_at(base32, at),
                                         totp_code_at(base32, at + 30)};
    for (const char* code : {"000000", "111111", "222222", "333333"}) {
        if (!valid.contains(code)) {
            return code;
        }
    }
    FAIL("no invalid code");
    return {};
}

TEST_CASE("PassAgent sign-in: a wrong or an expired two-factor code is a clear OTP error", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    const json mfa = server->account()["others"][2];
    const std::string secret = mfa["totpSecret"];
    const std::int64_t now = now_seconds();
    std::string expired = totp_code_at(secret, now - 600);
    if (expired == totp_code_at(secret, now - 30) || expired == totp_code_at(secret, now) ||
        expired == totp_code_at(secret, now + 30)) {
        expired = invalid_code(secret, now);  // the old code happens to be valid again
    }
    json params{{"backend", "passagent"}, {"email", mfa["email"]}, {"password", mfa["password"]}};

    for (const std::string& code : {invalid_code(secret, now), expired}) {
        CAPTURE(code);
        params["otp"] = code;
        const Reply reply = host.call("session.login", params);

        const json& error = reply.frame["error"];
        CHECK(error["code"] == "BAD_CREDENTIALS");
        CHECK(error["otpRequired"] == true);
        CHECK(error["field"] == "otp");
        CHECK(error["message"].get<std::string>().find("two-factor code") != std::string::npos);
    }
    CHECK(host.ok("status")["accounts"].empty());  // no half-signed-in account is kept
}

TEST_CASE("PassAgent sign-in with 2FA refreshes its tokens before they expire, as a password sign-in does",
          "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    const json mfa = server->account()["others"][2];
    // The server's clock an hour minus 30 s behind: every token it issues expires 30 s
    // from now by the host's clock, inside the host's refresh margin (60 s).
    constexpr std::int64_t kBehind = 3600 - 30;
    server->call("POST", "/__test/clock", {{"offsetSeconds", -kBehind}});
    const std::size_t before = server->call("GET", "/__test/requests")["total"];
    const std::string code = totp_code_at(mfa["totpSecret"].get<std::string>(), now_seconds() - kBehind);

    host.ok("session.login", {{"backend", "passagent"}, {"email", mfa["email"]}, {"password", mfa["password"]},
                              {"otp", code}});
    const std::size_t items = host.unlock(mfa);  // needs an aal2 session all the way
    CHECK(host.ok("vault.sync")["items"] == items);

    std::size_t refreshes = 0;
    const json log = server->call("GET", "/__test/requests?since=" + std::to_string(before));
    for (const auto& request : log["requests"]) {
        if (request["path"] == "/auth/v1/token" && request["query"] == "?grant_type=refresh_token") {
            CHECK(request["status"] == 200);
            ++refreshes;
        }
        if (request["path"].get<std::string>().starts_with("/api/")) {
            CHECK(request["status"] != 401);  // refreshed before, never after a refusal
        }
    }
    CHECK(refreshes >= 2);
    CHECK(items >= 1);
    CHECK(host.ok("status")["accounts"][0]["loggedIn"] == true);
    CHECK_FALSE(host.pushed("session-expired"));
}

TEST_CASE("PassAgent unlock: a wrong master password is refused, the right one opens every readable entry",
          "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());

    CHECK(host.error("vault.unlock", {{"masterPassword", "not it"}}) == "WRONG_MASTER_PASSWORD");
    const std::size_t items = host.unlock(server->account());

    CHECK(items == readable_items(*server, server->account()["email"].get<std::string>(), kItems));
    // The first sync ran in the background: its progress came as `sync` pushes.
    std::optional<json> last_sync;
    for (const auto& push : host.pushes) {
        if (push["event"] == "sync") {
            last_sync = push["data"];
        }
    }
    REQUIRE(last_sync);
    CHECK((*last_sync)["complete"] == true);
    CHECK((*last_sync)["skipped"] == 1);  // the travel-mode entry
}

TEST_CASE("PassAgent sync reports progress and gives the same entries with either paging style", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    const std::size_t expected =
        readable_items(*server, server->account()["email"].get<std::string>(), kItems);
    for (const char* paging : {"cursor", "page"}) {
        INFO(paging);
        Host host(*server, json{{"passagent", {{"paging", paging}}}});
        host.login(server->account());
        host.unlock(server->account());
        const std::size_t before = server->call("GET", "/__test/requests")["total"];

        const Reply synced = host.call("vault.sync");

        REQUIRE(synced.frame["ok"] == true);
        CHECK(synced.frame["result"]["items"] == expected);
        CHECK(synced.events.size() >= 2);
        bool saw_style = false;
        const json log = server->call("GET", "/__test/requests?since=" + std::to_string(before));
        for (const auto& request : log["requests"]) {
            if (request["path"] == "/api/passwords") {
                saw_style = saw_style || request["query"].get<std::string>().find(std::string(paging) + "=") !=
                                             std::string::npos || (std::string(paging) == "cursor" &&
                                             request["query"].get<std::string>().find("page=") == std::string::npos);
            }
        }
        CHECK(saw_style);
    }
}

TEST_CASE("PassAgent: once locked, reads are LOCKED and sync is LOCKED", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());
    const std::string id = server->fixture("github-work")["id"];

    host.ok("vault.lock");

    CHECK(host.error("credentials.get", {{"id", id}, {"purpose", "view"}}) == "LOCKED");
    CHECK(host.error("vault.sync") == "LOCKED");
    CHECK(host.error("totp.code", {{"id", id}}) == "LOCKED");
}

TEST_CASE("PassAgent credentials.get opens v2, v3 and shared entries", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());

    for (const char* key : {"github-work", "github-personal", "gmail", "buecher-unicode", "demo-login", "alice-netflix"}) {
        INFO(key);
        const json fixture = server->fixture(key);
        const json got = host.ok("credentials.get", {{"id", fixture["id"]}, {"purpose", "view"}});
        CHECK(got["username"] == fixture["username"]);
        CHECK(got["password"] == fixture["password"]);
    }
    const json travel = server->fixture("travel-bank");
    CHECK(host.error("credentials.get", {{"id", travel["id"]}, {"purpose", "view"}}) == "NOT_FOUND");
}

TEST_CASE("PassAgent TOTP: zero-trust codes are computed here, legacy ones come from the server", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());

    const json google = server->fixture("google");
    check_totp_code(host.ok("totp.code", {{"id", google["id"]}})["code"],
                    google["totp"]["secret"].get<std::string>());
    const json aws = server->fixture("aws");
    const json aws_code = host.ok("totp.code", {{"id", aws["id"]}});
    CHECK(aws_code["digits"] == 8);
    check_totp_code(aws_code["code"], aws["totp"]["secret"].get<std::string>(), pah::TotpAlgorithm::Sha256,
                    8);
    const json legacy = server->fixture("example-uk");
    check_totp_code(host.ok("totp.code", {{"id", legacy["id"]}})["code"],
                    legacy["totp"]["secret"].get<std::string>());
    CHECK(host.error("totp.code", {{"id", server->fixture("gmail")["id"]}}) == "NO_TOTP");
}

TEST_CASE("PassAgent totp.set encrypts the secret here and totp.delete removes it", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());
    const std::string id = server->fixture("router")["id"];
    const std::string secret = "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TFOQ";

    host.ok("totp.set", {{"id", id}, {"otpauthUri", "otpauth://totp/Router:admin?secret=" + secret + "&issuer=Router"}});
    check_totp_code(host.ok("totp.code", {{"id", id}})["code"], secret);
    host.ok("vault.sync");
    check_totp_code(host.ok("totp.code", {{"id", id}})["code"], secret);
    host.ok("totp.delete", {{"id", id}});

    CHECK(host.error("totp.code", {{"id", id}}) == "NO_TOTP");
    CHECK(host.error("totp.delete", {{"id", id}}) == "NO_TOTP");
}

TEST_CASE("PassAgent shares: create for a user and by invite, list, update, delete; duplicates and self-shares "
          "conflict", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());
    const std::string gmail = server->fixture("gmail")["id"];  // v2
    const std::string localhost = server->fixture("localhost")["id"];  // v3
    const json friend_user = server->account()["others"][0];

    const json created = host.ok("shares.create", {{"id", gmail}, {"recipientEmail", friend_user["email"]}});
    CHECK(created["share"]["status"] == "pending");
    CHECK(created["invite"] == false);
    CHECK(host.error("shares.create", {{"id", gmail}, {"recipientEmail", friend_user["email"]}}) == "CONFLICT");
    CHECK(host.error("shares.create", {{"id", gmail}, {"recipientEmail", server->account()["email"]}}) ==
          "CONFLICT");
    const json invite = host.ok("shares.create", {{"id", localhost}, {"recipientEmail", "nobody@example.net"},
                                                  {"permission", "write"}});
    CHECK(invite["invite"] == true);
    CHECK(pah::base64_decode(invite["inviteToken"].get<std::string>())->size() == 32);

    const json owned = host.ok("shares.list", {{"type", "owned"}});
    bool listed = false;
    for (const auto& share : owned["shares"]) {
        listed = listed || share["id"] == created["share"]["id"];
    }
    CHECK(listed);
    const json updated = host.ok("shares.update", {{"shareId", created["share"]["id"]}, {"permission", "write"}});
    CHECK(updated["share"]["permission"] == "write");
    host.ok("shares.delete", {{"shareId", created["share"]["id"]}});
    host.ok("shares.delete", {{"shareId", invite["share"]["id"]}});

    // The recipient's side: friend reads the new share after accepting it.
    const json again = host.ok("shares.create", {{"id", gmail}, {"recipientEmail", friend_user["email"]}});
    Host other(*server);
    other.login(friend_user);
    other.unlock(friend_user);
    other.ok("shares.accept", {{"shareId", again["share"]["id"]}});
    other.ok("vault.sync");
    const json got = other.ok("credentials.get", {{"id", gmail}, {"purpose", "view"}});
    CHECK(got["password"] == server->fixture("gmail")["password"]);
    CHECK(got["username"] == server->fixture("gmail")["username"]);
}

namespace {

// An entry as credentials.list finds it.
json listed_entry(pah::testing::HostDriver& host, const json& fixture) {
    const json items = host.ok("credentials.list", {{"query", fixture["name"]}})["items"];
    for (const auto& item : items) {
        if (item["id"] == fixture["id"]) {
            return item;
        }
    }
    FAIL("credentials.list has no " << fixture["name"]);
    return nullptr;
}

}  // namespace

TEST_CASE(
    "PassAgent received shares name who shared them in list, match and get, also when unlocked from the "
    "local copy",
    "[passagent][copy]") {
    namespace copy = pah::testing::copy;
    auto srv = copy::own_server();  // it is stopped below
    const json who = srv->account();
    const json netflix = srv->fixture("alice-netflix");  // alice's, shared with this user
    const json own = srv->fixture("gmail");
    const std::string alice = netflix["owner"];
    REQUIRE(alice != who["email"]);
    TempDir state;
    auto host = copy::host_with_state(*srv, state);
    copy::sign_in(*host, who);
    const std::size_t items = copy::unlock_synced(*host, who);

    const auto check_names_owner = [&](const char* when) {
        INFO(when);
        const json entry = listed_entry(*host, netflix);
        CHECK(entry["share"]["sharedBy"] == alice);
        CHECK_FALSE(listed_entry(*host, own).contains("share"));
        bool matched = false;
        const json found = host->ok("credentials.match", {{"url", netflix["url"]}})["matches"];
        INFO("the matches of " << netflix["url"] << ": " << found.dump());
        for (const auto& match : found) {
            if (match["id"] == netflix["id"]) {
                matched = true;
                CHECK(match["share"]["sharedBy"] == alice);
            }
        }
        CHECK(matched);
        const json got = host->ok("credentials.get", {{"id", netflix["id"]}, {"purpose", "view"}});
        CHECK(got["password"] == netflix["password"]);
        CHECK(got["share"]["sharedBy"] == alice);
    };
    check_names_owner("from the server");

    host->ok("vault.lock");
    srv.reset();  // the server is gone: what follows comes from the local copy
    REQUIRE(copy::unlock(*host, who) == items);
    check_names_owner("from the local copy");
}

TEST_CASE("PassAgent share creation after an old sign-in is STEP_UP_REQUIRED", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());
    server->call("POST", "/__test/age-login", {{"email", server->account()["email"]}});

    const Reply reply =
        host.call("shares.create", {{"id", server->fixture("router")["id"]},
                                    {"recipientEmail", server->account()["others"][1]["email"]}});

    CHECK(reply.frame["error"]["code"] == "STEP_UP_REQUIRED");
}

TEST_CASE("PassAgent session share: created from the decrypted entry, its status streamed as progress",
          "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());

    const Reply created = host.call("sessionShares.create", {{"id", server->fixture("demo-login")["id"]},
                                                             {"durationMinutes", 5}});

    REQUIRE(created.frame["ok"] == true);
    CHECK(created.frame["result"]["shareToken"].is_string());
    REQUIRE_FALSE(created.events.empty());
    CHECK(created.events.front()["event"] == "sessionShare.status");
    CHECK(created.frame["result"]["final"]["type"] == "complete");
    const std::string id = created.frame["result"]["id"];
    host.ok("sessionShares.update", {{"sessionId", id}, {"action", "pause"}});
    host.ok("sessionShares.delete", {{"sessionId", id}});
    CHECK(host.error("sessionShares.update", {{"sessionId", id}, {"action", "resume"}}) == "GONE");
}

TEST_CASE("PassAgent account 2FA: enroll, verify, status, disable", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    const json alice = server->account()["others"][1];
    host.login(alice);

    CHECK(host.ok("twoFactor.status")["enrolled"] == false);
    const json enrolled = host.ok("twoFactor.enroll");
    const std::string secret = enrolled["secret"];
    CHECK(host.error("twoFactor.verify", {{"code", "000000"}}) == "BAD_CREDENTIALS");
    host.ok("twoFactor.verify", {{"code", totp_code_at(secret, now_seconds())}});
    CHECK(host.ok("twoFactor.status")["enrolled"] == true);
    host.ok("twoFactor.disable", {{"code", totp_code_at(secret, now_seconds())}});

    CHECK(host.ok("twoFactor.status")["enrolled"] == false);
}

TEST_CASE("PassAgent faults: a down server is NETWORK, 5xx are retried or SERVER, a cut body is NETWORK",
          "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    {
        Host host(*server);
        CHECK(host.error("session.login", {{"backend", "passagent"}, {"server", "http://127.0.0.1:9"},
                                           {"email", "a@b.c"}, {"password", "p"}}) == "NETWORK");
    }
    Host host(*server);
    host.login(server->account());
    server->call("POST", "/__test/fault", {{"match", {{"path", "/api/vault/salt"}}}, {"times", 1}, {"status", 503}});
    const std::size_t items = host.unlock(server->account());  // retried
    CHECK(items > 0);
    server->call("POST", "/__test/fault", {{"match", {{"path", "/api/passwords"}}}, {"times", -1}, {"status", 500}});
    CHECK(host.error("vault.sync") == "SERVER");
    server->call("POST", "/__test/reset");
    server->call("POST", "/__test/fault", {{"match", {{"path", "/api/sharing?type=owned"}}}, {"times", -1}, {"truncate", true}});
    CHECK(host.error("shares.list", {{"type", "owned"}}) == "NETWORK");
    server->call("POST", "/__test/reset");
    // Still usable after all that.
    CHECK(host.ok("vault.sync")["items"] == items);
}

TEST_CASE("PassAgent: a slow server does not hold back a zero-trust TOTP code", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());
    const json google = server->fixture("google");
    server->call("POST", "/__test/fault", {{"match", {{"path", "/api/passwords"}}}, {"times", 1}, {"delayMs", 3000}});

    const int slow = host.send("vault.sync");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto started = std::chrono::steady_clock::now();
    const Reply code = host.wait(host.send("totp.code", {{"id", google["id"]}}));
    const auto took = std::chrono::steady_clock::now() - started;

    REQUIRE(code.frame["ok"] == true);
    CHECK(took < std::chrono::milliseconds(1500));
    CHECK(host.wait(slow).frame["ok"] == true);
}

TEST_CASE("PassAgent sync waits out a 429, survives an expired token and a rotated CSRF token", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    const std::size_t items = host.unlock(server->account());

    server->call("POST", "/__test/fault", {{"match", {{"path", "/api/passwords"}}}, {"times", 1}, {"status", 429}});
    CHECK(host.ok("vault.sync")["items"] == items);

    server->call("POST", "/__test/expire-token", {{"email", server->account()["email"]}});
    CHECK(host.ok("vault.sync")["items"] == items);

    server->call("POST", "/__test/rotate-csrf");
    const std::string id = server->fixture("router")["id"];
    host.ok("totp.set", {{"id", id}, {"secret", "JBSWY3DPEHPK3PXP"}});
    host.ok("totp.delete", {{"id", id}});
}

TEST_CASE("PassAgent: two requests racing after token expiry share one refresh", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    const std::size_t items = host.unlock(server->account());
    server->call("POST", "/__test/expire-token", {{"email", server->account()["email"]}});
    const std::string legacy = server->fixture("example-uk")["id"];

    const int a = host.send("vault.sync");
    const int b = host.send("shares.list", {{"type", "received"}});
    const int c = host.send("totp.code", {{"id", legacy}});

    CHECK(host.wait(a).frame["result"]["items"] == items);
    CHECK(host.wait(b).frame["ok"] == true);
    CHECK(host.wait(c).frame["ok"] == true);
    CHECK(host.ok("status")["accounts"][0]["loggedIn"] == true);
}

// The pushes received so far, by event name, in order; a background sync's `sync` and
// `items-changed` left out.
std::vector<std::string> push_events(const Host& host) {
    std::vector<std::string> events;
    for (const auto& push : host.pushes) {
        const std::string event = push.value("event", "");
        if (event != "sync" && event != "items-changed") {
            events.push_back(event);
        }
    }
    return events;
}

// The data of the first push of `event`.
json push_data(const Host& host, std::string_view event) {
    for (const auto& push : host.pushes) {
        if (push.value("event", "") == event) {
            return push["data"];
        }
    }
    return nullptr;
}

// Ends every session of `who` at the server (Supabase's default logout scope is global).
void revoke_sessions(const TestServer& server, const json& who) {
    Host other(server);
    other.login(who);
    other.ok("session.logout");
}

TEST_CASE("PassAgent: a session revoked at the server locks the open vault, pushes locked and session-expired",
          "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());
    const std::string account = host.ok("status")["accounts"][0]["account"];
    CHECK_FALSE(host.ok("credentials.match", {{"url", "https://github.com/login"}})["matches"].empty());
    revoke_sessions(*server, server->account());
    host.pushes.clear();  // "unlocked"

    const Reply reply = host.call("vault.sync");

    CHECK(reply.frame["error"]["code"] == "NOT_LOGGED_IN");
    CHECK(push_events(host) == std::vector<std::string>{"locked", "session-expired"});
    CHECK(push_data(host, "locked")["account"] == account);
    CHECK(push_data(host, "locked")["reason"] == "logout");
    CHECK(push_data(host, "session-expired")["account"] == account);
    const json state = host.ok("status")["accounts"][0];
    CHECK(state["loggedIn"] == false);
    CHECK(state["unlocked"] == false);
    CHECK(state["items"] == 0);
    // Nothing of the vault is offered any more, and a second failure pushes nothing new.
    CHECK(host.error("credentials.match", {{"url", "https://github.com/login"}}) == "NOT_LOGGED_IN");
    CHECK(host.error("vault.sync") == "NOT_LOGGED_IN");
    CHECK(push_events(host).size() == 2);
}

TEST_CASE("PassAgent: a session that ends while the vault is locked pushes session-expired only", "[passagent]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    revoke_sessions(*server, server->account());

    const Reply reply = host.call("vault.unlock", {{"masterPassword", server->account()["masterPassword"]}});

    CHECK(reply.frame["error"]["code"] == "NOT_LOGGED_IN");
    CHECK(push_events(host) == std::vector<std::string>{"session-expired"});
    CHECK(host.ok("status")["accounts"][0]["loggedIn"] == false);
}

TEST_CASE("PassAgent vault.unlock refuses Argon2id below the floor, and weaker than the account used before",
          "[passagent][kdf]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    const json weak = {
        {"salt", "c2FsdHNhbHRzYWx0c2FsdA"},
        {"kdf", {{"algorithm", "argon2id"}, {"memoryKiB", 8192}, {"iterations", 1}, {"parallelism", 1}}}};
    server->call("POST", "/__test/fault",
                 {{"match", {{"path", "/api/vault/salt"}}}, {"times", 1}, {"status", 200}, {"body", weak}});

    const Reply floor = host.call("vault.unlock", {{"masterPassword", server->account()["masterPassword"]}});
    CHECK(floor.frame["error"]["code"] == "WEAK_KDF");
    CHECK(floor.frame["error"]["reason"] == "floor");
    host.unlock(server->account());  // the server's own parameters: 19 MiB, 2 passes

    // The account's parameters are kept; a later, weaker set is a downgrade.
    const std::filesystem::path facts_path = std::filesystem::path(host.state_dir()) / "accounts.json";
    std::ifstream facts_in(facts_path);
    json facts = json::parse(facts_in, nullptr, false);
    REQUIRE(facts.is_object());
    REQUIRE(facts["accounts"].size() == 1);
    CHECK(facts["accounts"][0]["kdf"]["memoryKiB"] == 19456);
    CHECK(facts["accounts"][0]["kdf"]["iterations"] == 2);
    facts["accounts"][0]["kdf"]["memoryKiB"] = 65536;  // as if it had used more before
    std::ofstream(facts_path) << facts.dump();
    host.ok("vault.lock");

    const Reply downgrade =
        host.call("vault.unlock", {{"masterPassword", server->account()["masterPassword"]}});
    CHECK(downgrade.frame["error"]["code"] == "WEAK_KDF");
    CHECK(downgrade.frame["error"]["reason"] == "downgrade");
}

TEST_CASE("PassAgent share view that met a 5xx is retried by the timer and arrives when the server recovers",
          "[passagent][share-views]") {
    PAH_NEED_SEEDED_SERVER(server);
    Host host(*server);
    host.login(server->account());
    host.unlock(server->account());
    const json shared = server->fixture("alice-netflix");
    server->call("POST", "/__test/fault",
                 {{"match", {{"method", "POST"}, {"pathRegex", "^/api/sharing/[^/]+/view"}}},
                  {"times", 3},
                  {"status", 503}});

    const std::size_t before = server->call("GET", "/__test/requests")["total"];

    // Act: one view, then no other event; the timer alone must deliver it.
    const auto started = std::chrono::steady_clock::now();
    const json got = host.ok("credentials.get", {{"id", shared["id"]}, {"purpose", "view"}});
    CHECK(got["password"] == shared["password"]);
    json views;
    const auto deadline = started + std::chrono::seconds(90);
    while (std::chrono::steady_clock::now() < deadline) {
        views = server->call("GET", "/__test/views")["views"];
        if (!views.empty()) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }

    // Assert: delivered once, after three refusals, by retries alone.
    REQUIRE(views.size() == 1);
    CHECK(views[0]["action"] == "password_viewed");
    std::vector<json> attempts;
    const json log = server->call("GET", "/__test/requests?since=" + std::to_string(before));
    REQUIRE(log.is_object());
    for (const auto& entry : log["requests"]) {
        if (entry["method"] == "POST" && entry["path"].get<std::string>().ends_with("/view")) {
            attempts.push_back(entry);
        }
    }
    REQUIRE(attempts.size() == 4);
    CHECK(attempts[2]["status"] == 503);
    CHECK(attempts[3]["status"].get<int>() < 300);
    WARN("share view delivered " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - started)
                                        .count()
                                 << " ms after the view; last refusal at "
                                 << attempts[2]["time"].get<std::string>() << ", delivered at "
                                 << attempts[3]["time"].get<std::string>());
    std::this_thread::sleep_for(std::chrono::seconds(2));
    CHECK(server->call("GET", "/__test/views")["views"].size() == 1);  // exactly once
}
