// SPDX-License-Identifier: MIT
// The real host against a server that answers with hostile replies (tests/support/
// hostile_server.hpp): 50 MB with and without a Content-Length, JSON nested 100,000
// deep. Each request gets an error envelope, the host keeps serving, and its peak
// memory stays far below the 128 MiB budget.
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "support/backend_host.hpp"
#include "support/hostile_server.hpp"

using nlohmann::json;
using pah::testing::HostDriver;
using pah::testing::HostileServer;

namespace {

// The host's peak resident set (VmHWM), in KiB; 0 when unreadable.
std::size_t peak_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmHWM:")) {
            return std::stoul(line.substr(6));
        }
    }
    return 0;
}

}  // namespace

TEST_CASE("Hostile server replies get an error envelope and the host keeps serving", "[hostile]") {
    HostileServer server;
    REQUIRE_FALSE(server.url().empty());
    HostDriver host;
    host.ok(
        "session.login",
        {{"backend", "passwork"}, {"server", server.url()}, {"email", "a@example.org"}, {"password", "pw"}});

    server.set_mode(HostileServer::Mode::HugeWithLength);
    const json announced = host.call("vault.unlock").frame;
    CHECK(announced["error"]["code"] == "TOO_LARGE");

    server.set_mode(HostileServer::Mode::HugeChunked);
    const json chunked = host.call("vault.unlock").frame;
    CHECK(chunked["error"]["code"] == "TOO_LARGE");

    server.set_mode(HostileServer::Mode::Deep);
    const json deep = host.call("vault.unlock").frame;
    CHECK(deep["ok"] == false);
    CHECK(deep["error"]["code"] == "BAD_FORMAT");

    CHECK(server.hostile_replies() == 3);
    CHECK(host.ok("hello")["protocol"] == 1);
    CHECK(host.ok("status").is_object());
    const std::size_t peak = peak_rss_kib(host.pid());
    WARN("host peak RSS after the hostile replies: " << peak / 1024 << " MiB");
#if !defined(__SANITIZE_ADDRESS__)
    CHECK(peak > 0);
    CHECK(peak < 128U * 1024U);
#endif
}
