// SPDX-License-Identifier: MIT
#pragma once

// Starts one of the project's Node test servers (tests/<dir>/serve.mjs: the PassAgent,
// Passman and Passwork servers) for the unit and integration tests: `node serve.mjs
// --port 0 --test ...`, reads the "listening on <origin>" and account lines, and stops it
// by pid when destroyed.

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/client.hpp"

namespace pah::test {

class TestServer {
public:
    // The server in tests/<dir> started with `args` after `--port 0 --test` (`npm ci`
    // first when its node_modules are missing). Null (and `why` set) when node is missing
    // or the server does not come up within 30 s.
    static std::unique_ptr<TestServer> start_in(std::string_view dir, const std::vector<std::string>& args,
                                                std::string* why);
    // One server per directory and set of `args`, shared by every test in the process
    // (started on first use, stopped at exit); reset through /__test/reset on each call.
    // Null when unavailable.
    static TestServer* shared_in(std::string_view dir, const std::vector<std::string>& args,
                                 std::string* why);

    // The PassAgent server with the smallest KDF parameters the host accepts (19 MiB,
    // 2 passes) and a 100 ms SSE interval, then `extra_args`.
    static std::unique_ptr<TestServer> start(const std::vector<std::string>& extra_args, std::string* why);
    // That server shared, as shared_in.
    static TestServer* shared(const std::vector<std::string>& extra_args, std::string* why);
    static TestServer* shared(std::string* why) { return shared({}, why); }
    // The shared server whose vault is seeded with kSeededItems entries (--seed 1), as the
    // integration tests of the PassAgent backend use it.
    static constexpr std::size_t kSeededItems = 40;
    static TestServer* seeded(std::string* why) {
        return shared({"--seed", "1", "--items", std::to_string(kSeededItems)}, why);
    }
    // The same vault on a server of its own, for tests that change entries: /__test/reset
    // does not restore records, so the read-only tests keep `seeded()` as it was made.
    static TestServer* seeded_for_writes(std::string* why) {
        return shared({"--seed", "2", "--items", std::to_string(kSeededItems)}, why);
    }

    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    // {email, password, masterPassword, anonKey, others: [...]}
    [[nodiscard]] const nlohmann::json& account() const noexcept { return account_; }
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

    // Calls a /__test/ endpoint without auth (a POST always has a JSON body, `{}` when
    // none is given); the parsed JSON reply, or null when it failed (no reply, a status
    // of 300 or more, not JSON).
    nlohmann::json call(std::string_view method, std::string_view path, const nlohmann::json& body = nullptr);
    // The entry of the fixtures' `list` ("items" on the PassAgent server, "passwords" on
    // Passwork's, ...) whose "key" is `key`; throws when there is none.
    nlohmann::json fixture(std::string_view key, std::string_view list = "items");
    // The server's request log since `since` (entries {method, path, query, status, ...}).
    nlohmann::json requests(std::size_t since = 0);
    // How many logged requests match method and path (query ignored) and, when given,
    // the query.
    std::size_t count(std::string_view method, std::string_view path, std::string_view query = {});
    // How many logged requests, of any method, have a path that starts with `path_prefix`.
    std::size_t count_prefix(std::string_view path_prefix);

private:
    TestServer() = default;

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string url_;
    nlohmann::json account_;
    http::HttpClient client_;
};

}  // namespace pah::test

// In a Catch test: `name`, the shared server `getter` gives (seeded, seeded_for_writes);
// the test fails when it is unavailable.
#define PAH_NEED_SERVER(name, getter)                                         \
    std::string name##_why;                                                   \
    pah::test::TestServer* name = pah::test::TestServer::getter(&name##_why); \
    if (name == nullptr) {                                                    \
        FAIL("the PassAgent test server is not available: " << name##_why);   \
        return;                                                               \
    }
#define PAH_NEED_SEEDED_SERVER(name) PAH_NEED_SERVER(name, seeded)
