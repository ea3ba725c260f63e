// SPDX-License-Identifier: MIT
#pragma once

// Starts the project's PassAgent test server (tests/passagent-server, Node) for
// integration tests: `node serve.mjs --port 0 --test ...`, reads the port and the
// account line, and stops it by pid when destroyed.

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
    // The server with the smallest KDF parameters the host accepts (19 MiB, 2 passes) and a 100 ms SSE
    // interval. Null (and `why` set) when node is missing or the server does not come up within 30 s.
    static std::unique_ptr<TestServer> start(const std::vector<std::string>& extra_args, std::string* why);
    // One server shared by every test in the process (started on first use, stopped at
    // exit); reset through /__test/reset on each call. Null when unavailable.
    static TestServer* shared(std::string* why);

    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    // {email, password, masterPassword, anonKey, others: [...]}
    [[nodiscard]] const nlohmann::json& account() const noexcept { return account_; }
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

    // Calls a /__test/ endpoint (or any path) without auth; the parsed JSON reply, or
    // null when it failed.
    nlohmann::json call(std::string_view method, std::string_view path, const nlohmann::json& body = nullptr);
    // The server's request log since `since` (entries {method, path, query, status, ...}).
    nlohmann::json requests(std::size_t since = 0);
    // How many logged requests match method and path (query ignored) and, when given,
    // the query.
    std::size_t count(std::string_view method, std::string_view path, std::string_view query = {});

private:
    TestServer() = default;

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string url_;
    nlohmann::json account_;
    http::HttpClient client_;
};

}  // namespace pah::test
