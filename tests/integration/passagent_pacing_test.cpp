// SPDX-License-Identifier: MIT
// Request pacing against the PassAgent test server: a first sync bigger than one
// minute's budget gets no 429, and a user's request goes before background paging.
// The polling loop below waits for a state of the server's log (with a deadline); no
// assertion is on time.
// The server is started with a lower general limit (and a vault sized to it) so that
// the test runs in about two windows instead of many.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "support/backend_host.hpp"
#include "support/test_server.hpp"

using nlohmann::json;
using pah::testing::HostDriver;

namespace {

// The host's rate-limit config and the server's limit are the same number: the
// project's server counts general requests per user per minute, as seed 001 documents.
constexpr int kGeneralLimit = 10;
// Own entries: 10 pages of 100 plus the vault's salt and keys, more than the 9 general
// requests a window leaves to background paging beside the user's reserve of 1.
constexpr int kItems = 1000;
// What background paging may send in one window (a tenth, at least one, is the user's).
constexpr auto kBackgroundShare = static_cast<std::size_t>(kGeneralLimit - 1);

// The project's server with the lower limit and a vault sized to it.
std::unique_ptr<pah::test::TestServer> start_server() {
    std::string why;
    auto server = pah::test::TestServer::start(
        {"--seed", "1", "--items", std::to_string(kItems), "--general-limit", std::to_string(kGeneralLimit)},
        &why);
    if (!server) {
        WARN("PassAgent test server: " << why);
    }
    return server;
}

struct LogCount {
    std::size_t requests = 0;      // under /api
    std::size_t rate_limited = 0;  // of those, answered 429
};

LogCount count_api(const json& log) {
    LogCount out;
    for (const auto& entry : log["requests"]) {
        if (!entry.value("path", "").starts_with("/api/")) {
            continue;
        }
        ++out.requests;
        if (entry.value("status", 0) == 429) {
            ++out.rate_limited;
        }
    }
    return out;
}

}  // namespace

// The general requests (as the server counts them) among the log's entries.
std::size_t general_requests(const json& log) {
    std::size_t n = 0;
    for (const auto& entry : log["requests"]) {
        const std::string path = entry.value("path", "");
        if (path.starts_with("/api/passwords") || path.starts_with("/api/vault") ||
            path.starts_with("/api/2fa")) {
            ++n;
        }
    }
    return n;
}

TEST_CASE(
    "PassAgent pacing: a first sync bigger than a minute's budget gets no 429; a user's request goes "
    "before background paging",
    "[passagent][pacing]") {
    auto server = start_server();
    REQUIRE(server);
    // No TOTP prefetch: the sync is the listing alone, so that it spans two windows.
    HostDriver host({{"server", server->url()},
                     {"anonKey", server->account()["anonKey"]},
                     {"passagent", {{"rateLimits", {{"general", kGeneralLimit}}}, {"totpPrefetch", 0}}}});
    host.ok("session.login", {{"backend", "passagent"},
                              {"email", server->account()["email"]},
                              {"password", server->account()["password"]}});

    const auto started = std::chrono::steady_clock::now();
    const int unlock = host.send("vault.unlock", {{"masterPassword", server->account()["masterPassword"]}});
    // Once paging has spent the background share of the window, a user's request
    // (twoFactor.status) takes the reserve instead of waiting for the next window.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (general_requests(server->call("GET", "/__test/requests")) < kBackgroundShare &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(general_requests(server->call("GET", "/__test/requests")) >= kBackgroundShare);
    const auto status = host.wait(host.send("twoFactor.status"), std::chrono::seconds(30));
    INFO(status.frame.dump());
    CHECK(status.frame["ok"] == true);

    const auto reply = host.wait(unlock, std::chrono::seconds(300));
    INFO(reply.frame.dump());
    REQUIRE(reply.frame["ok"] == true);
    // The first sync runs on after unlock answered.
    const json synced = host.synced(reply.frame["result"]["account"].get<std::string>());
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    CHECK(synced["items"].get<std::size_t>() >= static_cast<std::size_t>(kItems));

    const json log = server->call("GET", "/__test/requests");
    const LogCount counted = count_api(log);
    std::fprintf(stderr,
                 "pacing: first sync of %d entries at %d general requests a minute: %zu API requests, %zu of "
                 "them 429, %.1f s\n",
                 kItems, kGeneralLimit, counted.requests, counted.rate_limited,
                 static_cast<double>(took.count()) / 1000.0);
    CHECK(general_requests(log) > static_cast<std::size_t>(kGeneralLimit));  // more than one window's worth
    CHECK(counted.rate_limited == 0);

    // In the server's log, the user's request came before the sync's last page.
    std::optional<std::size_t> status_at;
    std::size_t last_page_at = 0;
    for (std::size_t i = 0; i < log["requests"].size(); ++i) {
        const std::string path = log["requests"][i].value("path", "");
        if (path == "/api/2fa/status") {
            status_at = i;
        } else if (path == "/api/passwords") {
            last_page_at = i;
        }
    }
    REQUIRE(status_at);
    CHECK(*status_at < last_page_at);
}
