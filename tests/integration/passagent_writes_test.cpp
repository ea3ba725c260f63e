// SPDX-License-Identifier: MIT
// credentials.create / update / delete / list, custom fields and totp.code's fill check:
// the real passagent-host against the project's PassAgent test server over 127.0.0.1.
#include <set>

#include <catch2/catch.hpp>

#include "support/backend_host.hpp"
#include "support/test_server.hpp"

using nlohmann::json;

namespace {

using pah::test::TestServer;

// How many requests the server has seen with this method whose path starts so.
std::size_t requests(TestServer& server, std::string_view method, std::string_view path_prefix) {
    std::size_t count = 0;
    // Bound to a name: a range-for over a member of a temporary reads freed memory
    // until C++23's lifetime extension (P2718) reaches our compiler.
    const json log = server.requests();
    for (const auto& request : log) {
        if (request["method"] == method && request["path"].get<std::string>().starts_with(path_prefix)) {
            ++count;
        }
    }
    return count;
}

struct Host : pah::testing::HostDriver {
    explicit Host(const TestServer& server)
        : HostDriver(json{{"server", server.url()}, {"anonKey", server.account()["anonKey"]}}, std::nullopt) {
    }

    void open(const json& who) {
        ok("session.login", {{"backend", "passagent"}, {"email", who["email"]}, {"password", who["password"]}});
        unlock_synced({{"masterPassword", who["masterPassword"]}});
    }

    // Every entry credentials.list gives for `query`, following the cursor.
    std::vector<json> list_all(const std::string& query, int limit = 100) {
        std::vector<json> out;
        json params{{"query", query}, {"limit", limit}};
        for (int pages = 0; pages < 1000; ++pages) {
            const json page = ok("credentials.list", params);
            for (const auto& item : page["items"]) {
                out.push_back(item);
            }
            if (!page.contains("cursor")) {
                break;
            }
            params["cursor"] = page["cursor"];
        }
        return out;
    }
};

const json* by_id(const std::vector<json>& items, const std::string& id) {
    for (const auto& item : items) {
        if (item["id"] == id) {
            return &item;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("PassAgent writes: create, update and delete, seen at once and by a fresh unlock", "[passagent][writes]") {
    PAH_NEED_SERVER(server, seeded_for_writes);
    Host host(*server);
    host.open(server->account());

    const json created = host.ok("credentials.create",
                                 {{"name", "Writes Test Forum"},
                                  {"url", "https://forum.writes-test.example/login"},
                                  {"username", "poster"},
                                  {"password", "first-Passw0rd"},
                                  {"notes", "line one\nline \"two\""},
                                  {"fields", {{{"name", "PIN"}, {"value", "4417"}, {"hidden", true}},
                                              {{"name", "Team"}, {"value", "blue"}, {"hidden", false}}}}})["item"];
    const std::string id = created["id"];
    CHECK(created["name"] == "Writes Test Forum");
    CHECK(created["username"] == "poster");
    CHECK(created["updatedAt"].is_string());
    CHECK_FALSE(created.contains("password"));

    // No sync: match and list see it already.
    const json matches = host.ok("credentials.match", {{"url", "https://forum.writes-test.example/"}})["matches"];
    REQUIRE(matches.size() == 1);
    CHECK(matches[0]["id"] == id);
    CHECK(by_id(host.list_all("WRITES-test"), id) != nullptr);

    json got = host.ok("credentials.get", {{"id", id}, {"purpose", "view"}});
    CHECK(got["password"] == "first-Passw0rd");
    CHECK(got["notes"] == "line one\nline \"two\"");
    CHECK(got["urls"] == json::array({"https://forum.writes-test.example/login"}));
    REQUIRE(got["fields"].size() == 2);
    CHECK(got["fields"][0] == json{{"name", "PIN"}, {"value", "4417"}, {"hidden", true}});

    // Only the given fields change; the rest (fields, notes, username) stay.
    const json updated = host.ok("credentials.update", {{"id", id}, {"password", "second-Passw0rd"}})["item"];
    CHECK(updated["updatedAt"] != created["updatedAt"]);
    got = host.ok("credentials.get", {{"id", id}, {"purpose", "view"}});
    CHECK(got["password"] == "second-Passw0rd");
    CHECK(got["username"] == "poster");
    CHECK(got["fields"].size() == 2);

    // What the server stored opens for another host (the v3 record really is under this vault key).
    {
        Host fresh(*server);
        fresh.open(server->account());
        const json again = fresh.ok("credentials.get", {{"id", id}, {"purpose", "view"}});
        CHECK(again["password"] == "second-Passw0rd");
        CHECK(again["notes"] == "line one\nline \"two\"");
        CHECK(again["fields"][1]["value"] == "blue");
    }

    CHECK(host.ok("credentials.delete", {{"id", id}}) == json{{"id", id}, {"deleted", true}});
    CHECK(host.error("credentials.get", {{"id", id}, {"purpose", "view"}}) == "NOT_FOUND");
    CHECK(by_id(host.list_all("writes-test"), id) == nullptr);
    CHECK(host.ok("credentials.match", {{"url", "https://forum.writes-test.example/"}})["matches"].empty());
    Host fresh(*server);
    fresh.open(server->account());
    CHECK(fresh.error("credentials.get", {{"id", id}, {"purpose", "view"}}) == "NOT_FOUND");
}

TEST_CASE("PassAgent update of a v2 entry rewrites it as v3 and keeps what was not changed", "[passagent][writes]") {
    PAH_NEED_SERVER(server, seeded_for_writes);
    Host host(*server);
    host.open(server->account());
    const json fixture = server->fixture("github-personal");  // v2
    const std::string id = fixture["id"];
    host.ok("credentials.update", {{"id", id}, {"notes", "now v3"}});
    Host fresh(*server);
    fresh.open(server->account());
    const json got = fresh.ok("credentials.get", {{"id", id}, {"purpose", "view"}});
    CHECK(got["username"] == fixture["username"]);
    CHECK(got["password"] == fixture["password"]);
    CHECK(got["notes"] == "now v3");
}

TEST_CASE("PassAgent expectedUpdatedAt: a stale one is CONFLICT and nothing is written", "[passagent][writes]") {
    PAH_NEED_SERVER(server, seeded_for_writes);
    Host host(*server);
    host.open(server->account());
    const std::string id = server->fixture("gmail")["id"];
    const json before = *by_id(host.list_all("gmail"), id);
    REQUIRE(before["updatedAt"].is_string());

    host.ok("credentials.update", {{"id", id}, {"username", "changed-elsewhere@example.com"}});
    const std::size_t patches = requests(*server, "PATCH", "/api/passwords/");
    const auto reply = host.call("credentials.update",
                                 {{"id", id}, {"password", "lost"}, {"expectedUpdatedAt", before["updatedAt"]}});
    REQUIRE(reply.frame["ok"] == false);
    CHECK(reply.frame["error"]["code"] == "CONFLICT");
    CHECK(requests(*server, "PATCH", "/api/passwords/") == patches);

    const json current = *by_id(host.list_all("gmail"), id);
    host.ok("credentials.update", {{"id", id}, {"password", "kept"}, {"expectedUpdatedAt", current["updatedAt"]}});
    CHECK(host.ok("credentials.get", {{"id", id}, {"purpose", "view"}})["password"] == "kept");
}

TEST_CASE("PassAgent writes: received shares are FORBIDDEN, server validation and 429 come through",
          "[passagent][writes]") {
    PAH_NEED_SERVER(server, seeded_for_writes);
    Host host(*server);
    host.open(server->account());
    const auto shared = host.list_all("netflix");
    REQUIRE(shared.size() == 1);
    REQUIRE(shared[0].contains("share"));
    CHECK(host.error("credentials.update", {{"id", shared[0]["id"]}, {"password", "x"}}) == "FORBIDDEN");
    CHECK(host.error("credentials.delete", {{"id", shared[0]["id"]}}) == "FORBIDDEN");

    const auto invalid = host.call("credentials.create", {{"name", std::string(300, 'n')}, {"password", "p"}});
    REQUIRE(invalid.frame["ok"] == false);
    CHECK(invalid.frame["error"]["code"] == "VALIDATION");
    CHECK(invalid.frame["error"]["details"].dump().find("name") != std::string::npos);

    server->call("POST", "/__test/fault", {{"match", {{"method", "POST"}, {"path", "/api/passwords"}}}, {"status", 429}});
    const auto limited = host.call("credentials.create", {{"name", "Limited"}, {"password", "p"}});
    REQUIRE(limited.frame["ok"] == false);
    CHECK(limited.frame["error"]["code"] == "RATE_LIMITED");
    CHECK(limited.frame["error"]["retryAfter"] == 1);

    CHECK(host.error("credentials.create", {{"password", "no name"}}) == "BAD_REQUEST");
    CHECK(host.error("credentials.create", {{"name", "x"}, {"fields", {{{"value", "no name"}}}}}) == "BAD_REQUEST");
}

TEST_CASE("PassAgent credentials.list: every entry once over the pages, a query, never a password",
          "[passagent][list]") {
    PAH_NEED_SERVER(server, seeded_for_writes);
    Host host(*server);
    host.open(server->account());
    const auto all = host.list_all("", 7);
    const auto one_page = host.list_all("", 1000);
    CHECK(all.size() == one_page.size());
    std::set<std::string> ids;
    for (const auto& item : all) {
        ids.insert(item["id"].get<std::string>());
        CHECK_FALSE(item.contains("password"));
        CHECK_FALSE(item.contains("score"));
        CHECK(item.contains("updatedAt"));
    }
    CHECK(ids.size() == all.size());
    CHECK(all.size() > TestServer::kSeededItems);

    const auto github = host.list_all("GitHub");
    CHECK(github.size() == 2);
    CHECK(host.list_all("DEMO-WORK").size() == 1);             // a username
    CHECK(host.list_all("accounts.google.com").size() == 1);   // a website / url
    CHECK(host.list_all("no such entry anywhere").empty());
    CHECK(host.error("credentials.list", {{"cursor", "nope"}}) == "BAD_REQUEST");
    CHECK(host.error("credentials.list", {{"limit", 0}}) == "BAD_REQUEST");
    host.ok("vault.lock");
    CHECK(host.error("credentials.list") == "LOCKED");
}

TEST_CASE("PassAgent credentials.get gives custom fields; totp.code for a fill needs the page to match",
          "[passagent][fields]") {
    PAH_NEED_SERVER(server, seeded_for_writes);
    Host host(*server);
    host.open(server->account());
    const json work = host.ok("credentials.get", {{"id", server->fixture("github-work")["id"]}, {"purpose", "view"}});
    CHECK(work["fields"] == json::array({{{"name", "Team"}, {"value", "platform"}, {"hidden", false}},
                                         {{"name", "Recovery code"}, {"value", "gh-rc-4417-9023"}, {"hidden", true}}}));
    CHECK(work["urls"].is_array());

    const std::string google = server->fixture("google")["id"];
    CHECK(host.error("totp.code", {{"id", google}, {"purpose", "fill"}}) == "BAD_REQUEST");
    CHECK(host.error("totp.code", {{"id", google}, {"purpose", "fill"}, {"url", "https://accounts.google.com.evil.example/"}}) ==
          "URL_MISMATCH");
    CHECK(host.ok("totp.code", {{"id", google}, {"purpose", "fill"}, {"url", "https://accounts.google.com/signin"}})["code"]
              .is_string());
}
