// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/reply_limits.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"
#include "secure/wipe.hpp"

namespace pah::http {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    // "Name: value" lines.
    std::vector<std::string> headers;
    // WARNING: may hold a secret (a password, a token). HttpClient wipes the body and
    // every header line as soon as the request has been sent.
    std::string body;
    // A body in locked memory (a password grant), sent instead of `body` when set:
    // libcurl reads it in place (CURLOPT_POSTFIELDS, no copy). The caller keeps it alive
    // through send() and wipes it.
    const SecretBuffer* secret_body = nullptr;
    // The whole exchange; zero means no limit (streams).
    std::chrono::milliseconds timeout{30'000};
    // Set from another thread to abandon the request (checked at least once a second).
    const std::atomic<bool>* cancel = nullptr;
    // The most body bytes this request reads (http/reply_limits.hpp); zero: the
    // client's max_body_bytes. Not applied to a streamed 2xx body.
    std::size_t max_reply_bytes = 0;
    // The reply carries a secret (a 2FA enrolment's TOTP secret): its body grows without
    // leaving a freed copy behind (each outgrown buffer is zeroed before it is released).
    // The caller wipes HttpResponse::body once it has read it.
    bool secret_reply = false;
};

struct HttpResponse {
    long status = 0;
    // Lower-case names; a repeated header's values are joined with ", ".
    std::map<std::string, std::string> headers;
    std::string body;

    [[nodiscard]] const std::string* header(std::string_view lower_name) const;
};

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    // The default reply cap (http/reply_limits.hpp: a list page).
    std::size_t max_body_bytes = kListReplyBytes;
    // A transfer slower than this many bytes per second for low_speed_time is abandoned.
    long low_speed_bytes = 1;
    std::chrono::seconds low_speed_time{30};
    std::string user_agent;  // empty: "passagent-host/<version>"
};

// Receives a 2xx body as it arrives; return false to stop reading.
using BodySink = std::function<bool(std::string_view chunk)>;

struct ClientStats {
    std::uint64_t requests = 0;
    std::uint64_t new_connections = 0;  // the rest reused a pooled connection
};

// A libcurl client for API calls. Thread-safe: any number of threads may send at once;
// connections, DNS answers and TLS sessions are shared between them. libcurl is
// initialised on the first request, not at start-up. Never follows redirects, always
// verifies TLS, refuses plain http:// except to a loopback host, and takes proxies
// from the environment (https_proxy, no_proxy, ...).
class HttpClient {
public:
    explicit HttpClient(ClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Network failures (refused, DNS, TLS, timeout, cut-off body, cancel) are NETWORK;
    // a body over the cap (a Content-Length over it is refused before reading; the
    // running total is checked as it arrives) is TOO_LARGE; a refused URL is BAD_REQUEST. Any HTTP status
    // is a response, not an error.
    Result<HttpResponse> send(HttpRequest& request);
    Result<HttpResponse> send(HttpRequest&& request) { return send(request); }

    // Like send, but a 2xx body goes to `sink` chunk by chunk instead of into the
    // response (which then has an empty body). Other statuses are collected as usual.
    // Returns normally when the sink stops the transfer.
    Result<HttpResponse> stream(HttpRequest& request, const BodySink& sink);

    [[nodiscard]] ClientStats stats() const noexcept;

private:
    struct Shared;
    Result<HttpResponse> perform(HttpRequest& request, const BodySink* sink);
    Shared& shared();

    ClientOptions options_;
    std::once_flag shared_once_;
    std::unique_ptr<Shared> shared_;
    std::atomic<std::uint64_t> requests_{0};
    std::atomic<std::uint64_t> connects_{0};
};

// For bodies and header lines that held a secret: secure/wipe.hpp's wipe_string.
inline void wipe(std::string& text) noexcept { wipe_string(text); }

}  // namespace pah::http
