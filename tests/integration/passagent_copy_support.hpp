// SPDX-License-Identifier: MIT
// What the local-copy and sync integration tests share: a server of their own, a host
// with its own state dir, sign-in and unlock, the copy file, pushes awaited.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/vault.hpp"
#include "store/vault_copy.hpp"
#include "support/backend_host.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"

using nlohmann::json;
using pah::test::TestServer;
using pah::testing::HostDriver;
using pah::testing::TempDir;

namespace pah::testing::copy {

// A server of this test's own (it may be stopped).
inline std::unique_ptr<TestServer> own_server() {
    std::string why;
    auto server = TestServer::start_in("passagent-server", {}, &why);
    if (!server) {
        FAIL("the PassAgent test server is not available: " << why);
    }
    return server;
}

// A host whose state lives in `state` (so that the next host finds its copy).
inline std::unique_ptr<HostDriver> host_with_state(TestServer& server, const TempDir& state,
                                                   const json& extra_config = json::object()) {
    json config{{"server", server.url()}, {"anonKey", server.account()["anonKey"]}};
    config.update(extra_config);
    return std::make_unique<HostDriver>(config, "info",
                                        std::map<std::string, std::string>{{"XDG_STATE_HOME", state.path()}});
}

inline std::string sign_in(HostDriver& host, const json& who) {
    return host.ok(
        "session.login",
        {{"backend", "passagent"}, {"email", who["email"]}, {"password", who["password"]}})["account"];
}

// What vault.unlock answers: the copy's entries, or none before a first sync.
inline std::size_t unlock(HostDriver& host, const json& who) {
    return host.ok("vault.unlock", {{"masterPassword", who["masterPassword"]}})["items"].get<std::size_t>();
}

// Unlock, then wait (as a user does) for the sync that follows to end.
inline std::size_t unlock_synced(HostDriver& host, const json& who) {
    return host.unlock_synced({{"masterPassword", who["masterPassword"]}});
}

// Where most cases start: a host of the server's account with a state dir of its own,
// signed in. Take it apart: `auto& [who, state, host] = signed_in;`.
struct SignedIn {
    explicit SignedIn(TestServer& server, const json& extra_config = json::object())
        : who(server.account()), host(host_with_state(server, state, extra_config)) {
        sign_in(*host, who);
    }
    json who;
    TempDir state;
    std::unique_ptr<HostDriver> host;
};

// The one vault copy in the state dir.
inline std::filesystem::path copy_file(const TempDir& state) {
    const std::filesystem::path dir = std::filesystem::path(state.path()) / "passagent-host" / "vaults";
    REQUIRE(std::filesystem::is_directory(dir));
    std::filesystem::path found;
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".vault") {
            found = entry.path();
            ++count;
        }
    }
    REQUIRE(count == 1);
    return found;
}

inline std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A copy's header as the host's loader reads it; its records are counted, not kept.
inline pah::Result<pah::store::VaultCopyHeader> read_copy_header(std::string_view bytes,
                                                                 std::size_t* records = nullptr) {
    std::size_t count = 0;
    auto header = pah::store::parse_vault_copy_each(
        bytes, [&count](const pah::store::CopyRecordView&) { ++count; }, std::nullopt);
    if (records != nullptr) {
        *records = count;
    }
    return header;
}

// Asks `status` until `event` has been pushed (at most a minute).
inline bool wait_for_push(HostDriver& host, std::string_view event) {
    for (int i = 0; i < 300 && !host.pushed(event); ++i) {
        host.ok("status");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return host.pushed(event);
}

// Asks `status` until `items-changed` has been pushed with `items` entries (at most a minute).
inline bool wait_for_items(HostDriver& host, std::size_t items) {
    const auto seen = [&] {
        for (const auto& push : host.pushes) {
            if (push["event"] == "items-changed" && push["data"]["items"] == items) {
                return true;
            }
        }
        return false;
    };
    for (int i = 0; i < 300 && !seen(); ++i) {
        host.ok("status");
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return seen();
}

inline bool matches_name(const json& matches, const std::string& name) {
    for (const auto& match : matches) {
        if (match["name"] == name) {
            return true;
        }
    }
    return false;
}

// Another host of the server's account (with its own state) runs `action` on it, after
// its own unlock and sync.
inline void on_another_host(TestServer& server, const std::string& action, const json& params) {
    SignedIn other(server);
    unlock_synced(*other.host, other.who);
    other.host->ok(action, params);
}

}  // namespace pah::testing::copy
