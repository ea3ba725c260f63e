// SPDX-License-Identifier: MIT
// The PassAgent sync, end to end: the first sync of a new account in the background (unlock
// answers before the pages), writes reaching the local copy at once, and the incremental
// re-syncs from the saved cursor with a full listing now and then (docs/local-store.md).

#include "integration/passagent_copy_support.hpp"

using namespace pah::testing::copy;  // NOLINT(google-build-using-namespace): the shared helpers

namespace {

// A server of its own whose demo vault lists in four pages of 100.
std::unique_ptr<TestServer> paged_server() {
    std::string why;
    auto server = TestServer::start({"--seed", "1", "--items", "350"}, &why);
    if (!server) {
        FAIL("the PassAgent test server is not available: " << why);
    }
    return server;
}

// Listing requests the server answered with 200: the first page and those after it.
struct PagesServed {
    std::size_t first = 0;
    std::size_t later = 0;
};

PagesServed pages_served(TestServer& server) {
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
    SignedIn signed_in(*srv);
    auto& [who, state, host] = signed_in;
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
    // The failed sync's last event may come just after `status` says the sync is over.
    const auto failed_sync = [&host]() -> const json* {
        for (const auto& push : host->pushes) {
            if (push["event"] == "sync" && push["data"].value("complete", true) == false) {
                return &push;
            }
        }
        return nullptr;
    };
    for (int i = 0; i < 300 && failed_sync() == nullptr; ++i) {
        host->ok("status");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const json* failed = failed_sync();
    REQUIRE(failed != nullptr);
    CHECK((*failed)["data"]["error"]["code"].is_string());
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
    SignedIn signed_in(*srv);
    auto& [who, state, host] = signed_in;

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
    const json personal = srv->fixture("github-personal");
    const json google = srv->fixture("google");
    SignedIn signed_in(*srv);
    auto& [who, state, host] = signed_in;
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
std::vector<std::string> listing_queries(TestServer& server, std::size_t since) {
    std::vector<std::string> out;
    for (const auto& request : server.requests(since)) {
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
    SignedIn signed_in(*srv, {{"syncMinutes", 0.02}});  // 1.2 s; full listings hourly
    auto& [who, state, host] = signed_in;
    const std::size_t items = unlock_synced(*host, who);
    on_another_host(*srv, "credentials.create",
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
    const json google = srv->fixture("google");
    // Re-syncs every 1.2 s, a full listing once the last is 3 s old.
    SignedIn signed_in(*srv, {{"syncMinutes", 0.02}, {"passagent", {{"fullListingMinutes", 0.05}}}});
    auto& [who, state, host] = signed_in;
    const std::size_t items = unlock_synced(*host, who);
    on_another_host(*srv, "credentials.delete", {{"id", google["id"]}});

    REQUIRE(wait_for_items(*host, items - 1));
    CHECK(host->error("credentials.get", {{"id", google["id"]}, {"purpose", "view"}}) == "NOT_FOUND");
}
