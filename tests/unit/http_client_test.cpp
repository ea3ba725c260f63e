// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "http/client.hpp"

using pah::ErrorCode;
using namespace pah::http;

namespace {

// A one-thread TCP server on 127.0.0.1 that answers every connection with the same raw
// bytes (after reading the request head), then closes it. `hold` keeps the connection
// open without answering, for timeouts and cancels.
class CannedServer {
public:
    explicit CannedServer(std::string reply, bool hold = false) : reply_(std::move(reply)), hold_(hold) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(fd_, 16);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { loop(); });
    }
    ~CannedServer() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    CannedServer(const CannedServer&) = delete;
    CannedServer& operator=(const CannedServer&) = delete;

    [[nodiscard]] std::string url(std::string_view path = "/") const {
        return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
    }
    [[nodiscard]] int connections() const { return connections_.load(); }

private:
    void loop() {
        while (!stop_) {
            pollfd pfd{fd_, POLLIN, 0};
            if (::poll(&pfd, 1, 50) <= 0) {
                continue;
            }
            const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) {
                continue;
            }
            connections_.fetch_add(1);
            std::string head;
            char buf[4096];
            while (head.find("\r\n\r\n") == std::string::npos) {
                pollfd cp{client, POLLIN, 0};
                if (::poll(&cp, 1, 2000) <= 0) {
                    break;
                }
                const ssize_t n = ::read(client, buf, sizeof buf);
                if (n <= 0) {
                    break;
                }
                head.append(buf, static_cast<std::size_t>(n));
            }
            while (hold_ && !stop_) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            std::size_t sent = 0;
            while (sent < reply_.size()) {
                const ssize_t n = ::send(client, reply_.data() + sent, reply_.size() - sent, MSG_NOSIGNAL);
                if (n <= 0) {
                    break;
                }
                sent += static_cast<std::size_t>(n);
            }
            ::close(client);
        }
    }

    std::string reply_;
    bool hold_ = false;
    int fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::thread thread_;
};

// A port with nobody listening: bind, read the number, close.
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

}  // namespace

TEST_CASE("the client returns status, lower-cased headers and body", "[http][client]") {
    CannedServer server("HTTP/1.1 201 Created\r\nX-Thing: A\r\nX-Thing: B\r\nContent-Type: application/json\r\n"
                        "Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}");
    HttpClient client;
    HttpRequest request;
    request.url = server.url("/x");

    const auto response = client.send(request);

    REQUIRE(response.has_value());
    CHECK(response->status == 201);
    CHECK(response->body == "{\"ok\":true}");
    REQUIRE(response->header("x-thing") != nullptr);
    CHECK(*response->header("x-thing") == "A, B");
    CHECK(response->header("X-Thing") == nullptr);
}

TEST_CASE("the client wipes the request body and headers after sending", "[http][client]") {
    CannedServer server("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    HttpClient client;
    HttpRequest request;
    request.method = "POST";
    request.url = server.url();
    request.headers = {"Authorization: Bearer secret-token"};
    request.body = R"({"password":"hunter2"})";

    const auto response = client.send(request);

    REQUIRE(response.has_value());
    CHECK(response->status == 204);
    CHECK(request.body.empty());
    REQUIRE(request.headers.size() == 1);
    CHECK(request.headers[0].empty());
}

TEST_CASE("the client refuses plain http to a host that is not loopback", "[http][client]") {
    HttpClient client;
    HttpRequest request;
    request.url = "http://example.com/api";

    const auto response = client.send(request);

    REQUIRE_FALSE(response.has_value());
    CHECK(response.error().code == ErrorCode::BadRequest);
}

TEST_CASE("the client does not follow redirects", "[http][client]") {
    CannedServer server("HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/\r\nContent-Length: 0\r\n"
                        "Connection: close\r\n\r\n");
    HttpClient client;
    HttpRequest request;
    request.url = server.url();

    const auto response = client.send(request);

    REQUIRE(response.has_value());
    CHECK(response->status == 302);
    CHECK(server.connections() == 1);
}

TEST_CASE("a body over the cap is TOO_LARGE, announced or not", "[http][client]") {
    ClientOptions options;
    options.max_body_bytes = 1024;
    HttpClient client(options);
    const std::string big(4096, 'x');
    CannedServer announced("HTTP/1.1 200 OK\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n" + big);
    CannedServer unannounced("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big);

    for (CannedServer* server : {&announced, &unannounced}) {
        HttpRequest request;
        request.url = server->url();
        const auto response = client.send(request);
        REQUIRE_FALSE(response.has_value());
        CHECK(response.error().code == ErrorCode::TooLarge);
    }
}

TEST_CASE("a request's own reply cap is below the client's, and says its limit", "[http][client]") {
    HttpClient client;  // the default cap: a list page (16 MiB)
    const std::string body(8192, 'x');
    CannedServer announced("HTTP/1.1 200 OK\r\nContent-Length: 8192\r\nConnection: close\r\n\r\n" + body);
    CannedServer unannounced("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body);

    for (CannedServer* server : {&announced, &unannounced}) {
        HttpRequest small;
        small.url = server->url();
        small.max_reply_bytes = 4096;
        const auto refused = client.send(small);
        HttpRequest enough;
        enough.url = server->url();
        enough.max_reply_bytes = kLoginReplyBytes;
        const auto read = client.send(enough);

        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().code == ErrorCode::TooLarge);
        CHECK(refused.error().extra["limitBytes"] == 4096);
        REQUIRE(read.has_value());
        CHECK(read->body == body);
    }
    CHECK(ClientOptions{}.max_body_bytes == kListReplyBytes);
    CHECK(kLoginReplyBytes < kItemReplyBytes);
    CHECK(kItemReplyBytes < kListReplyBytes);
}

TEST_CASE("a body cut short is a NETWORK error", "[http][client]") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"partial\":");
    HttpClient client;
    HttpRequest request;
    request.url = server.url();

    const auto response = client.send(request);

    REQUIRE_FALSE(response.has_value());
    CHECK(response.error().code == ErrorCode::Network);
    CHECK(response.error().message.find("broke off") != std::string::npos);
}

TEST_CASE("a server that is down is a NETWORK error that says so", "[http][client]") {
    HttpClient client;
    HttpRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(free_port()) + "/api";

    const auto response = client.send(request);

    REQUIRE_FALSE(response.has_value());
    CHECK(response.error().code == ErrorCode::Network);
    CHECK(response.error().message.find("Could not connect") != std::string::npos);
}

TEST_CASE("a request can be cancelled from another thread", "[http][client]") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", /*hold=*/true);
    HttpClient client;
    std::atomic<bool> cancel{false};
    HttpRequest request;
    request.url = server.url();
    request.cancel = &cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    const auto started = std::chrono::steady_clock::now();

    const auto response = client.send(request);

    canceller.join();
    REQUIRE_FALSE(response.has_value());
    CHECK(response.error().code == ErrorCode::Network);
    CHECK(response.error().message.find("cancelled") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("a request that gets no answer times out", "[http][client]") {
    CannedServer server("", /*hold=*/true);
    HttpClient client;
    HttpRequest request;
    request.url = server.url();
    request.timeout = std::chrono::milliseconds(300);

    const auto response = client.send(request);

    REQUIRE_FALSE(response.has_value());
    CHECK(response.error().code == ErrorCode::Network);
    CHECK(response.error().message.find("in time") != std::string::npos);
}

TEST_CASE("stream hands a 2xx body to the sink and can stop early", "[http][client]") {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" +
                        std::string(100000, 'y'));
    HttpClient client;
    HttpRequest request;
    request.url = server.url();
    std::size_t received = 0;

    const auto response = client.stream(request, [&](std::string_view chunk) {
        received += chunk.size();
        return received < 10;
    });

    REQUIRE(response.has_value());
    CHECK(response->status == 200);
    CHECK(response->body.empty());
    CHECK(received >= 10);
    CHECK(received < 100000);
}

TEST_CASE("stream collects a non-2xx body instead of calling the sink", "[http][client]") {
    CannedServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"code\":\"NF\"}");
    HttpClient client;
    HttpRequest request;
    request.url = server.url();
    bool called = false;

    const auto response = client.stream(request, [&](std::string_view) {
        called = true;
        return true;
    });

    REQUIRE(response.has_value());
    CHECK(response->status == 404);
    CHECK(response->body == "{\"code\":\"NF\"}");
    CHECK_FALSE(called);
}
