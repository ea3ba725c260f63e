// SPDX-License-Identifier: MIT
#pragma once
// A tiny HTTP/1.1 responder on 127.0.0.1 for tests of hostile replies: it answers a
// Passwork openSession with a session (no client-side encryption), and every other
// request with what `mode` says: a 50 MB body announced by Content-Length, the same
// chunked without a length, or JSON nested 100,000 levels deep. Header-only: one
// thread, one connection at a time, bodies generated as they are sent.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

namespace pah::testing {

class HostileServer {
public:
    enum class Mode { HugeWithLength, HugeChunked, Deep };
    static constexpr std::size_t kHugeBytes = std::size_t{50} * 1000U * 1000U;
    static constexpr std::size_t kDepth = 100'000;

    HostileServer() {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(listen_fd_, 8) != 0 ||
            ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            return;
        }
        url_ = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
        thread_ = std::thread([this] { serve(); });
    }
    ~HostileServer() {
        stopping_ = true;
        ::shutdown(listen_fd_, SHUT_RDWR);
        ::close(listen_fd_);
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    HostileServer(const HostileServer&) = delete;
    HostileServer& operator=(const HostileServer&) = delete;

    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    void set_mode(Mode mode) noexcept { mode_ = mode; }
    [[nodiscard]] std::size_t hostile_replies() const noexcept { return hostile_; }

private:
    static bool send_all(int fd, std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                return false;
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    static bool send_chunk(int fd, std::string_view bytes) {
        char size[32];
        const int n = std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
        return send_all(fd, std::string_view(size, static_cast<std::size_t>(n))) && send_all(fd, bytes) &&
               send_all(fd, "\r\n");
    }
    // Reads one request; returns its target path, empty when the peer went away.
    static std::string read_request(int fd) {
        std::string head;
        char buf[4096];
        std::size_t end = std::string::npos;
        while ((end = head.find("\r\n\r\n")) == std::string::npos) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0 || head.size() > 65536) {
                return {};
            }
            head.append(buf, static_cast<std::size_t>(n));
        }
        std::size_t body = 0;
        for (const char* name : {"Content-Length: ", "content-length: "}) {
            if (const auto at = head.find(name); at != std::string::npos) {
                body = std::stoul(head.substr(at + std::string_view(name).size()));
            }
        }
        std::size_t have = head.size() - end - 4;
        while (have < body) {
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) {
                return {};
            }
            have += static_cast<std::size_t>(n);
        }
        const auto sp = head.find(' ');
        return head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
    }
    void answer(int fd, const std::string& path) {
        if (path.ends_with("/openSession")) {
            const std::string body = R"({"response":{"code":"hostile-session","hash":""}})";
            send_all(
                fd,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
            return;
        }
        ++hostile_;
        const std::string filler(64 * 1024, ' ');
        switch (mode_.load()) {
            case Mode::HugeWithLength: {
                send_all(fd,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                         "Content-Length: " +
                             std::to_string(kHugeBytes) + "\r\n\r\n{\"response\":[\"");
                for (std::size_t sent = 0; sent < kHugeBytes && send_all(fd, filler); sent += filler.size()) {
                }
                break;
            }
            case Mode::HugeChunked: {
                send_all(fd,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n");
                bool open = send_chunk(fd, "{\"response\":[\"");
                for (std::size_t sent = 0; open && sent < kHugeBytes; sent += filler.size()) {
                    open = send_chunk(fd, filler);
                }
                if (open) {
                    send_chunk(fd, "\"]}");
                    send_all(fd, "0\r\n\r\n");
                }
                break;
            }
            case Mode::Deep: {
                const std::string body =
                    "{\"response\":" + std::string(kDepth, '[') + std::string(kDepth, ']') + "}";
                send_all(fd,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                         "Content-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body);
                break;
            }
        }
    }
    void serve() {
        while (!stopping_) {
            const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                continue;
            }
            const std::string path = read_request(fd);
            if (!path.empty()) {
                answer(fd, path);
            }
            ::close(fd);
        }
    }

    int listen_fd_ = -1;
    std::string url_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<Mode> mode_{Mode::HugeWithLength};
    std::atomic<std::size_t> hostile_{0};
};

}  // namespace pah::testing
