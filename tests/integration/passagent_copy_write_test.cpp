// SPDX-License-Identifier: MIT
// Writes and the local copy, end to end (the real host and the project's PassAgent
// server over 127.0.0.1): the copy is saved after a write's reply, yet a lock or the
// host's end right after the write still finds it there; a write made while a sync lists
// survives that sync's snapshot, in the open vault and in the copy (docs/local-store.md).

#include "integration/passagent_copy_support.hpp"

using namespace pah::testing::copy;  // NOLINT(google-build-using-namespace): the shared helpers

namespace {

constexpr std::string_view kTotpSecret = "JBSWY3DPEHPK3PXP";

// A server of its own whose demo vault lists in four pages of 100.
std::unique_ptr<pah::test::TestServer> paged_server() {
    std::string why;
    auto server = pah::test::TestServer::start({"--seed", "1", "--items", "350"}, &why);
    if (!server) {
        FAIL("the PassAgent test server is not available: " << why);
    }
    return server;
}

// Every later page of the listing waits `ms` once before the server answers it.
void delay_next_later_page(pah::test::TestServer& server, int ms) {
    server.call("POST", "/__test/fault",
                {{"match", {{"method", "GET"}, {"pathRegex", "^/api/passwords\\?.*cursor="}}},
                 {"times", 1},
                 {"delayMs", ms}});
}

std::string password_of(HostDriver& host, const json& id) {
    return host.ok("credentials.get", {{"id", id}, {"purpose", "view"}})["password"];
}

}  // namespace

TEST_CASE("PassAgent local copy: writes just before the host ends are in the copy a new host opens",
          "[passagent][copy]") {
    auto srv = own_server();
    const json personal = srv->fixture("github-personal");
    SignedIn signed_in(*srv);
    auto& [who, state, host] = signed_in;
    const std::size_t items = unlock_synced(*host, who);

    const json created = host->ok("credentials.create", {{"name", "Saved before the end"},
                                                         {"url", "https://ending.example.org/login"},
                                                         {"username", "ending-user"},
                                                         {"password", "Ending-Pw-5521"}})["item"];
    host->ok("credentials.update", {{"id", personal["id"]}, {"password", "Changed-Before-End-7710"}});
    host->ok("totp.set", {{"id", personal["id"]}, {"secret", kTotpSecret}});
    // The browser goes away right after the replies: the host saves what is due, then ends.
    REQUIRE(host->close() == 0);

    // A new host, signed in while the server is there; the unlock runs with it gone.
    auto next = host_with_state(*srv, state);
    sign_in(*next, who);
    srv.reset();
    CHECK(unlock(*next, who) == items + 1);
    CHECK(password_of(*next, created["id"]) == "Ending-Pw-5521");
    CHECK(password_of(*next, personal["id"]) == "Changed-Before-End-7710");
    // Its zero-trust TOTP configuration came from the copy too: no server to ask.
    pah::testing::check_totp_code(next->ok("totp.code", {{"id", personal["id"]}})["code"], kTotpSecret);
}

TEST_CASE("PassAgent local copy: a write made while the first sync lists survives its snapshot",
          "[passagent][copy]") {
    auto srv = paged_server();
    const json personal = srv->fixture("github-personal");
    SignedIn signed_in(*srv);
    auto& [who, state, host] = signed_in;
    // The second page waits long enough for a user's write to land between the first page
    // (which holds the entry as it was) and the end of the listing.
    delay_next_later_page(*srv, 4000);
    const std::string account =
        host->ok("vault.unlock", {{"masterPassword", who["masterPassword"]}})["account"];
    REQUIRE(wait_for_push(*host, "items-changed"));  // the first page shows
    REQUIRE(password_of(*host, personal["id"]) == personal["password"]);

    host->ok("credentials.update", {{"id", personal["id"]}, {"password", "Written-While-Listing-3391"}});
    REQUIRE(host->ok("status")["accounts"][0]["syncing"] == true);  // the listing still waits
    const json done = host->synced(account);
    REQUIRE(done["lastSync"].is_number_integer());  // it completed

    // The listing's older copy of the entry did not undo the write...
    CHECK(password_of(*host, personal["id"]) == "Written-While-Listing-3391");
    // ...nor did the copy the sync wrote: an unlock with the server gone sees it.
    host->ok("vault.lock");
    srv.reset();
    CHECK(unlock(*host, who) == done["items"].get<std::size_t>());
    CHECK(password_of(*host, personal["id"]) == "Written-While-Listing-3391");
}

TEST_CASE("PassAgent local copy: an update and a delete made during a full re-sync survive it",
          "[passagent][copy]") {
    auto srv = paged_server();
    const json personal = srv->fixture("github-personal");
    const json google = srv->fixture("google");
    // Every sync lists everything (no incremental one), and none runs on its own.
    SignedIn signed_in(*srv, {{"syncMinutes", 0}, {"passagent", {{"fullListingMinutes", 0}}}});
    auto& [who, state, host] = signed_in;
    const std::size_t items = host->unlock_synced({{"masterPassword", who["masterPassword"]}});

    delay_next_later_page(*srv, 4000);
    const std::size_t before = srv->call("GET", "/__test/requests")["total"];
    const int sync = host->send("vault.sync");
    // Once the re-sync has its first page (the server logged it), write.
    const auto first_page_listed = [&] {
        for (const auto& request : srv->requests(before)) {
            if (request["path"] == "/api/passwords" && request["status"] == 200) {
                return true;
            }
        }
        return false;
    };
    for (int i = 0; i < 200 && !first_page_listed(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(first_page_listed());
    host->ok("credentials.update", {{"id", personal["id"]}, {"password", "Written-During-Resync-6604"}});
    host->ok("credentials.delete", {{"id", google["id"]}});
    REQUIRE(host->ok("status")["accounts"][0]["syncing"] == true);  // the listing still waits
    const pah::testing::HostReply synced = host->wait(sync);
    INFO(synced.frame.dump());
    REQUIRE(synced.frame["ok"] == true);
    CHECK(synced.frame["result"]["items"] == items - 1);

    CHECK(password_of(*host, personal["id"]) == "Written-During-Resync-6604");
    CHECK(host->error("credentials.get", {{"id", google["id"]}, {"purpose", "view"}}) == "NOT_FOUND");
    host->ok("vault.lock");
    srv.reset();
    CHECK(unlock(*host, who) == items - 1);
    CHECK(password_of(*host, personal["id"]) == "Written-During-Resync-6604");
    CHECK(host->error("credentials.get", {{"id", google["id"]}, {"purpose", "view"}}) == "NOT_FOUND");
}
