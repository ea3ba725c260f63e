// SPDX-License-Identifier: MIT
// PassAgentApi against the project's PassAgent test server (tests/passagent-server),
// started once per process on 127.0.0.1 and reset before each test.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "backends/passagent/api.hpp"
#include "support/test_server.hpp"

using nlohmann::json;
using pah::ErrorCode;
using pah::passagent::ApiConfig;
using pah::passagent::PassAgentApi;
using pah::passagent::RequestOptions;
using pah::test::TestServer;

namespace {

TestServer* require_server() {
    std::string why;
    TestServer* server = TestServer::shared(&why);
    if (server == nullptr) {
        FAIL("the PassAgent test server is not available (node, and npm ci in tests/passagent-server): " << why);
    }
    return server;
}

std::unique_ptr<PassAgentApi> make_api(TestServer& server) {
    ApiConfig config;
    config.server = server.url();
    config.anon_key = server.account()["anonKey"].get<std::string>();
    auto api = PassAgentApi::create(std::move(config));
    REQUIRE(api.has_value());
    return std::move(*api);
}

std::unique_ptr<PassAgentApi> signed_in_api(TestServer& server, const json& who) {
    auto api = make_api(server);
    const auto login = api->login(who["email"].get<std::string>(), who["password"].get<std::string>());
    REQUIRE(login.has_value());
    return api;
}

json other(TestServer& server, std::string_view email) {
    for (const auto& o : server.account()["others"]) {
        if (o["email"] == email) {
            return o;
        }
    }
    FAIL("no fixture user " << email);
    return nullptr;
}

std::string first_record_id(PassAgentApi& api) {
    std::string id;
    const auto listed = api.list_passwords([&](pah::passagent::PasswordPage& page, const auto&) {
        id = page.records.at(0)["id"].get<std::string>();
        return false;
    });
    REQUIRE(listed.has_value());
    REQUIRE_FALSE(id.empty());
    return id;
}

void add_fault(TestServer& server, const json& fault) {
    const json reply = server.call("POST", "/__test/fault", fault);
    REQUIRE(reply.contains("id"));
}

const std::string kRefreshQuery = "?grant_type=refresh_token";

}  // namespace

TEST_CASE("login against the test server gives a session that reads the vault salt", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());

    const auto salt = api->vault_salt();
    const auto keys = api->vault_keys();

    CHECK(api->signed_in());
    CHECK(api->email() == server->account()["email"].get<std::string>());
    CHECK_FALSE(api->user_id().empty());
    REQUIRE(salt.has_value());
    CHECK(salt->kdf.memory_kib == 19456);
    CHECK(salt->kdf.iterations == 2);
    CHECK(salt->verifier.has_value());
    REQUIRE(keys.has_value());
    CHECK_FALSE(keys->public_key_der.empty());
}

TEST_CASE("a wrong password is BAD_CREDENTIALS in each auth error shape", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    const char* shape = GENERATE("error", "error_code", "code");
    server->call("POST", "/__test/auth-error-shape", {{"shape", shape}});
    auto api = make_api(*server);

    const auto login = api->login(server->account()["email"].get<std::string>(), "wrong password");

    REQUIRE_FALSE(login.has_value());
    CHECK(login.error().code == ErrorCode::BadCredentials);
    CHECK_FALSE(api->signed_in());
}

TEST_CASE("a mutation fetches the CSRF token once and again once after it is rotated", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    const std::string id = first_record_id(*api);
    const std::string path = "/passwords/" + id;

    const auto first = api->request("PATCH", path, {{"category", "one"}});
    const auto second = api->request("PATCH", path, {{"category", "two"}});
    server->call("POST", "/__test/rotate-csrf", json::object());
    const auto third = api->request("PATCH", path, {{"category", "three"}});

    REQUIRE(first.has_value());
    REQUIRE(second.has_value());
    REQUIRE(third.has_value());
    CHECK((*third)["data"]["category"] == "three");
    CHECK(api->stats().csrf_fetches == 2);
    CHECK(server->count("GET", "/api/auth/csrf-token") == 2);
}

TEST_CASE("eight concurrent requests after token expiry cause exactly one refresh", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    server->call("POST", "/__test/expire-token", json::object());
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;

    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            if (api->vault_salt().has_value()) {
                ok.fetch_add(1);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }

    CHECK(ok == 8);
    CHECK(api->stats().refreshes == 1);
    CHECK(server->count("POST", "/auth/v1/token", kRefreshQuery) == 1);
}

TEST_CASE("a refresh token is never reused: a second refresh later still works", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    server->call("POST", "/__test/expire-token", json::object());
    REQUIRE(api->vault_salt().has_value());
    // Past the server's 10 s reuse window: reusing the first refresh token now would
    // revoke the whole session.
    server->call("POST", "/__test/clock", {{"offsetSeconds", 30}});
    server->call("POST", "/__test/expire-token", json::object());

    const auto after = api->vault_salt();

    REQUIRE(after.has_value());
    CHECK(server->count("POST", "/auth/v1/token", kRefreshQuery) == 2);
}

TEST_CASE("a refresh before expiry happens without a 401", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    std::atomic<std::int64_t> skew{0};
    ApiConfig config;
    config.server = server->url();
    config.anon_key = server->account()["anonKey"].get<std::string>();
    config.clock = [&] {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                   .count() +
               skew.load();
    };
    auto api = std::move(*PassAgentApi::create(std::move(config)));
    REQUIRE(api->login(server->account()["email"].get<std::string>(),
                       server->account()["password"].get<std::string>()));
    skew = 3600 - 30;  // 30 s before exp

    REQUIRE(api->vault_salt().has_value());

    CHECK(api->stats().refreshes == 1);
    CHECK(server->count("GET", "/api/vault/salt") == 1);  // no 401 round trip
}

TEST_CASE("an old login makes share creation STEP_UP_REQUIRED without a refresh", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    const std::string id = first_record_id(*api);
    server->call("POST", "/__test/age-login", {{"email", server->account()["email"]}});

    const auto share = api->create_share({{"accountId", id}, {"recipientEmail", "friend@passagent.test"}});

    REQUIRE_FALSE(share.has_value());
    CHECK(share.error().code == ErrorCode::StepUpRequired);
    CHECK(share.error().extra["maxAgeSeconds"] == 300);
    CHECK(server->count("POST", "/auth/v1/token", kRefreshQuery) == 0);
}

TEST_CASE("a 429 is RATE_LIMITED with retryAfter; a background request waits and retries", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    add_fault(*server, {{"match", {{"method", "GET"}, {"path", "/api/vault/salt"}}},
                        {"times", 1}, {"status", 429}, {"headers", {{"retry-after", "7"}}}});

    const auto foreground = api->vault_salt();

    REQUIRE_FALSE(foreground.has_value());
    CHECK(foreground.error().code == ErrorCode::RateLimited);
    CHECK(foreground.error().extra["retryAfter"] == 7);

    add_fault(*server, {{"match", {{"method", "GET"}, {"path", "/api/vault/salt"}}}, {"times", 1}, {"status", 429}});
    RequestOptions background;
    background.background = true;
    const auto started = std::chrono::steady_clock::now();

    const auto waited = api->vault_salt(background);

    REQUIRE(waited.has_value());
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(900));
}

TEST_CASE("500 and 503 are retried for GET but not for POST", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    const std::string id = first_record_id(*api);
    add_fault(*server, {{"match", {{"method", "GET"}, {"path", "/api/vault/keys"}}}, {"times", 1}, {"status", 500}});
    add_fault(*server, {{"match", {{"method", "GET"}, {"path", "/api/vault/keys"}}}, {"times", 1}, {"status", 503}});
    add_fault(*server, {{"match", {{"method", "POST"}, {"path", "/api/sharing/"}}}, {"times", 1}, {"status", 503}});

    const auto get = api->vault_keys();
    const auto post = api->log_share_view("shr_nonexistent", "password_viewed");

    REQUIRE(get.has_value());
    CHECK(server->count("GET", "/api/vault/keys") == 3);
    REQUIRE_FALSE(post.has_value());
    CHECK(post.error().code == ErrorCode::Server);
    CHECK(server->count("POST", "/api/sharing/shr_nonexistent/view") == 1);
    (void)id;
}

TEST_CASE("a truncated body and a dropped connection are NETWORK errors", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    RequestOptions once;
    once.idempotent = false;
    add_fault(*server, {{"match", {{"method", "GET"}, {"path", "/api/vault/salt"}}}, {"times", 1}, {"truncate", true}});
    add_fault(*server, {{"match", {{"method", "GET"}, {"path", "/api/vault/keys"}}}, {"times", 1}, {"drop", true}});

    const auto truncated = api->vault_salt(once);
    const auto dropped = api->vault_keys(once);

    REQUIRE_FALSE(truncated.has_value());
    CHECK(truncated.error().code == ErrorCode::Network);
    REQUIRE_FALSE(dropped.has_value());
    CHECK(dropped.error().code == ErrorCode::Network);
}

TEST_CASE("a dropped connection on a GET is retried and succeeds", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    add_fault(*server, {{"match", {{"method", "GET"}, {"path", "/api/vault/salt"}}}, {"times", 2}, {"drop", true}});

    const auto salt = api->vault_salt();

    REQUIRE(salt.has_value());
    // Both drops were consumed; libcurl itself may retry a dead reused connection once.
    CHECK(server->call("GET", "/__test/faults")["faults"].empty());
    CHECK(api->stats().retries >= 1);
}

TEST_CASE("a server that is down is NETWORK", "[passagent][api]") {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    ApiConfig config;
    config.server = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    config.anon_key = "anon";
    auto api = std::move(*PassAgentApi::create(std::move(config)));

    const auto login = api->login("a@b.c", "pw");

    REQUIRE_FALSE(login.has_value());
    CHECK(login.error().code == ErrorCode::Network);
}

TEST_CASE("listing passwords follows the cursor to the end without duplicates", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    const json fixtures = server->call("GET", "/__test/fixtures");
    std::size_t seen = 0;
    std::size_t pages = 0;

    const auto summary = api->list_passwords([&](pah::passagent::PasswordPage& page, const auto& progress) {
        seen += page.records.size();
        pages = progress.page;
        return true;
    });

    REQUIRE(summary.has_value());
    CHECK(summary->style == pah::passagent::PagingStyle::Cursor);
    CHECK(summary->records == seen);
    CHECK(summary->pages == pages);
    CHECK(seen > 0);
    // The demo user's records: every /api/passwords page was read once.
    CHECK(server->count("GET", "/api/passwords") == summary->pages);
    (void)fixtures;
}

TEST_CASE("a 2FA account needs the code: OTP_REQUIRED, a wrong code, then a recovery code", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    const json mfa = other(*server, "mfa@passagent.test");
    auto api = make_api(*server);

    const auto login = api->login(mfa["email"].get<std::string>(), mfa["password"].get<std::string>());
    REQUIRE_FALSE(login.has_value());
    CHECK(login.error().code == ErrorCode::OtpRequired);
    const auto blocked = api->vault_salt();
    REQUIRE_FALSE(blocked.has_value());
    CHECK(blocked.error().code == ErrorCode::OtpRequired);

    const auto wrong = api->verify_otp("00000000");
    REQUIRE_FALSE(wrong.has_value());
    CHECK(wrong.error().code == ErrorCode::BadCredentials);

    // Each recovery code works once per server run: take one no other test uses.
    const auto right = api->verify_otp(mfa["recoveryCodes"].back().get<std::string>());
    REQUIRE(right.has_value());
    CHECK(api->vault_salt().has_value());
    CHECK(server->count("POST", "/auth/v1/token", kRefreshQuery) == 0);
}

TEST_CASE("a session share streams its status to completion", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    const std::string id = first_record_id(*api);
    std::string body = json{{"accountId", id}, {"decryptedUsername", "user"}, {"decryptedPassword", "pw"},
                            {"durationMinutes", 5}}
                           .dump();
    const auto created = api->create_session_share(std::move(body));
    REQUIRE(created.has_value());
    std::vector<std::string> statuses;
    std::string last_type;

    const auto watched = api->watch_session_share((*created)["id"].get<std::string>(),
                                                  [&](const pah::passagent::SessionStatusEvent& event) {
                                                      statuses.push_back(event.data.value("status", ""));
                                                      last_type = event.type;
                                                      return true;
                                                  });

    REQUIRE(watched.has_value());
    REQUIRE(statuses.size() >= 2);
    CHECK(statuses.front() == "login_in_progress");
    CHECK(statuses.back() == "active");
    CHECK(last_type == "complete");
}

TEST_CASE("logout ends the session on the server", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());

    const auto out = api->logout();
    const auto after = api->vault_salt();

    REQUIRE(out.has_value());
    CHECK_FALSE(api->signed_in());
    REQUIRE_FALSE(after.has_value());
    CHECK(after.error().code == ErrorCode::NotLoggedIn);
    CHECK(server->count("POST", "/auth/v1/logout") == 1);
}

TEST_CASE("concurrent requests reuse pooled connections", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    const auto started = std::chrono::steady_clock::now();

    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i) {
                if (api->vault_salt().has_value()) {
                    ok.fetch_add(1);
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    const auto stats = api->http_client().stats();

    CHECK(ok == 40);
    CHECK(stats.new_connections < stats.requests / 2);
    WARN("40 GETs on 4 threads: " << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                                  << " ms, " << stats.new_connections << " connections for " << stats.requests
                                  << " requests");
}

TEST_CASE("listing by numbered pages reads the same records as the cursor", "[passagent][api][server]") {
    TestServer* server = require_server();
    if (server == nullptr) {
        return;
    }
    auto api = signed_in_api(*server, server->account());
    const auto by_cursor = api->list_passwords({});
    REQUIRE(by_cursor.has_value());
    std::optional<std::int64_t> total;

    const auto by_page = api->list_passwords(
        [&](pah::passagent::PasswordPage&, const auto& progress) {
            total = progress.total;
            return true;
        },
        {}, {.cursor = {}, .page = 1, .limit = 10});

    REQUIRE(by_page.has_value());
    CHECK(by_page->style == pah::passagent::PagingStyle::Page);
    CHECK(by_page->records == by_cursor->records);
    CHECK(total == static_cast<std::int64_t>(by_cursor->records));
    CHECK(by_page->pages == (by_cursor->records + 9) / 10);
}
