// SPDX-License-Identifier: MIT
// One authenticated exchange with the API: pacing, bearer, CSRF, refresh on 401, retries,
// SSE.
#include "backends/passagent/api.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include <sodium.h>

#include "backends/passagent/assumptions.hpp"
#include "backends/passagent/pacing.hpp"
#include "http/url.hpp"
#include "log/log.hpp"
#include "text/json_reader.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

constexpr int kMaxRetries = 3;                        // backoff retries per request
constexpr int kMaxRateWaits = 3;                      // Retry-After waits per background request
constexpr std::int64_t kMaxRetryAfterSeconds = 60;    // longer waits are the caller's to decide
constexpr std::chrono::milliseconds kBackoffBase{250};
constexpr std::chrono::milliseconds kBackoffCap{4000};
// How long a request may wait for the pacer: a user's request is answered RATE_LIMITED
// rather than kept waiting longer; background paging waits as long as it takes (a
// window is a minute, sign-ins count over 15).
constexpr std::chrono::milliseconds kUserPaceWait{10'000};
constexpr std::chrono::milliseconds kBackgroundPaceWait{std::chrono::minutes(16)};

bool is_mutation(std::string_view method) { return method != "GET" && method != "HEAD"; }

std::string path_only(std::string_view path) {
    return std::string(path.substr(0, path.find('?')));
}

// Full jitter in [delay/2, delay].
std::chrono::milliseconds backoff(int attempt) {
    auto delay = kBackoffBase * (1 << std::min(attempt, 8));
    delay = std::min(delay, kBackoffCap);
    const auto half = static_cast<std::uint32_t>(delay.count() / 2);
    return std::chrono::milliseconds(half + randombytes_uniform(half + 1));
}

Result<json> parse_any(const std::string& body) {
    if (body.empty()) {
        return json(nullptr);
    }
    json reply = text::parse_json(body);
    if (reply.is_discarded()) {
        return fail(ErrorCode::BadFormat, "The PassAgent server sent a reply that is not JSON.");
    }
    return reply;
}

}  // namespace

bool PassAgentApi::sleep_for(std::chrono::milliseconds delay, const RequestOptions& options) {
    const auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until) {
        if (options.cancel != nullptr && options.cancel->load()) {
            return false;
        }
        const auto left = until - std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(50)));
    }
    return options.cancel == nullptr || !options.cancel->load();
}

Result<void> PassAgentApi::pace(std::string_view category, const RequestOptions& options) {
    if (!config_.pacer) {
        return {};
    }
    const auto priority = options.background ? http::Priority::Background : http::Priority::User;
    const auto max_wait = options.background ? kBackgroundPaceWait : kUserPaceWait;
    if (auto ok = config_.pacer->acquire(category, priority, max_wait, options.cancel); !ok) {
        return ok;
    }
    // A reveal counts against the general limit too where the server does so (the
    // project's test server counts GET /passwords/{id} as general): paced in both.
    if (category == "reveal") {
        return config_.pacer->acquire("general", priority, max_wait, options.cancel);
    }
    return {};
}

Result<std::string> PassAgentApi::csrf_token(const RequestOptions& options) {
    {
        std::lock_guard lock(csrf_mutex_);
        if (!csrf_.empty()) {
            return csrf_;
        }
    }
    std::lock_guard fetch(csrf_fetch_mutex_);
    {
        std::lock_guard lock(csrf_mutex_);
        if (!csrf_.empty()) {
            return csrf_;  // fetched by another thread while we waited
        }
    }
    // Facts: GET /api/auth/csrf-token → {csrfToken}. A10 (assumptions.hpp): a bearer?
    http::HttpRequest request;
    request.url = api_url(endpoints_, "/auth/csrf-token");
    request.headers = {"Accept: application/json"};
    if constexpr (kCsrfRouteNeedsBearer) {
        auto bearer = auth_->bearer();
        if (!bearer) {
            return std::unexpected(bearer.error());
        }
        request.headers.push_back(std::move(bearer->header));
    }
    request.timeout = options.timeout;
    request.cancel = options.cancel;
    if (auto paced = pace("general", options); !paced) {
        return std::unexpected(paced.error());
    }
    csrf_fetches_.fetch_add(1);
    requests_.fetch_add(1);
    auto response = client_->send(request);
    if (!response) {
        return std::unexpected(response.error());
    }
    if (response->status < 200 || response->status >= 300) {
        return std::unexpected(map_error(Endpoint::Api, response->status, response->body, response->headers, now()));
    }
    auto token = parse_csrf_reply(response->body);
    if (!token) {
        return token;
    }
    std::lock_guard lock(csrf_mutex_);
    csrf_ = *token;
    return token;
}

void PassAgentApi::drop_csrf(const std::string& used) {
    std::lock_guard lock(csrf_mutex_);
    if (csrf_ == used) {
        http::wipe(csrf_);
    }
}

namespace {

Error cancelled() { return {ErrorCode::Network, "The request to PassAgent was cancelled."}; }

// A RATE_LIMITED error's Retry-After in seconds (at least 1).
std::int64_t retry_after_seconds(const Error& error) {
    const auto it = error.extra.find("retryAfter");
    const std::int64_t wait =
        it != error.extra.end() && it->is_number_integer() ? it->get<std::int64_t>() : 1;
    return std::max<std::int64_t>(wait, 1);
}

bool is_cancelled(const RequestOptions& options) { return options.cancel != nullptr && options.cancel->load(); }

http::HttpRequest api_request(const Endpoints& endpoints, std::string_view method, std::string_view path,
                              const std::string& body, const SecretBuffer* secret_body,
                              std::string bearer_header, const std::string& csrf,
                              const RequestOptions& options) {
    http::HttpRequest request;
    request.method = std::string(method);
    request.url = api_url(endpoints, path);
    request.headers.push_back(std::move(bearer_header));
    request.headers.emplace_back("Accept: application/json");
    if (is_mutation(method)) {
        // Facts: every POST/PATCH/DELETE carries x-csrf-token.
        request.headers.push_back("x-csrf-token: " + csrf);
        request.headers.emplace_back("Content-Type: application/json");
        request.body = body;  // a copy: the client wipes it, the caller's stays for a retry
        request.secret_body = secret_body;  // sent in place, instead of body
    }
    request.timeout = options.timeout;
    request.cancel = options.cancel;
    request.secret_reply = options.secret_reply;
    return request;
}

}  // namespace

// One exchange's retry budget, shared by its attempts.
struct PassAgentApi::Attempts {
    bool mutation = false;
    bool idempotent = false;
    bool csrf_retried = false;
    bool auth_retried = false;
    int retries = 0;
    int rate_waits = 0;
};

Result<http::HttpResponse> PassAgentApi::exchange(std::string_view method, std::string_view path,
                                                  const std::string& body, const RequestOptions& options,
                                                  const SecretBuffer* secret_body) {
    Attempts attempts;
    attempts.mutation = is_mutation(method);
    attempts.idempotent = options.idempotent.value_or(!attempts.mutation);
    const std::string log_path = path_only(path);
    const std::string_view category = pace_category(method, path);
    for (;;) {
        if (is_cancelled(options)) {
            return std::unexpected(cancelled());
        }
        // Before the bearer: a long wait for the pacer must not send an expired token.
        if (auto paced = pace(category, options); !paced) {
            return std::unexpected(paced.error());
        }
        auto bearer = auth_->bearer();
        if (!bearer) {
            return std::unexpected(bearer.error());
        }
        std::string csrf;
        if (attempts.mutation) {
            auto token = csrf_token(options);
            if (!token) {
                return std::unexpected(token.error());
            }
            csrf = std::move(*token);
        }
        const std::uint64_t generation = bearer->generation;
        requests_.fetch_add(1);
        auto response = client_->send(api_request(endpoints_, method, path, body, secret_body,
                                                  std::move(bearer->header), csrf, options));
        if (!response) {
            auto again = retry_network(attempts, response.error(), options);
            if (!again) {
                return std::unexpected(again.error());
            }
            log::debug("passagent", std::string(method) + " " + log_path + ": " + response.error().message +
                                        "; retrying");
            continue;
        }
        log::debug("passagent", std::string(method) + " " + log_path + " -> " + std::to_string(response->status));
        if (response->status >= 200 && response->status < 300) {
            return response;
        }
        Error error = map_error(Endpoint::Api, response->status, response->body, response->headers, now());
        if (error.code == ErrorCode::RateLimited && config_.pacer) {
            // Another client of the account (or a limit we do not know): nothing of this
            // category goes before Retry-After has passed.
            config_.pacer->on_retry_after(category, std::chrono::seconds(retry_after_seconds(error)));
        }
        if (auto again = retry_status(attempts, response->status, error, generation, csrf, options); !again) {
            return std::unexpected(again.error());
        }
    }
}

// A network failure: an idempotent request is retried after a backoff.
Result<void> PassAgentApi::retry_network(Attempts& attempts, const Error& error, const RequestOptions& options) {
    if (error.code != ErrorCode::Network || !attempts.idempotent || attempts.retries >= kMaxRetries ||
        is_cancelled(options)) {
        return std::unexpected(error);
    }
    if (!sleep_for(backoff(attempts.retries++), options)) {
        return std::unexpected(cancelled());
    }
    retries_.fetch_add(1);
    return {};
}

// An error status: {} to send again, else the error to answer with.
Result<void> PassAgentApi::retry_status(Attempts& attempts, long status, Error& error, std::uint64_t generation,
                                        const std::string& csrf, const RequestOptions& options) {
    // A plain 401 is an expired or revoked token: one refresh (shared with any other
    // thread that saw the same token fail), one retry. Step-up, MFA and a wrong 2FA code
    // are not token problems.
    if (status == 401 && error.code == ErrorCode::NotLoggedIn && !attempts.auth_retried) {
        attempts.auth_retried = true;
        return auth_->refresh(generation);
    }
    // Facts: a missing or stale CSRF token gets 403; fetch anew once.
    if (status == 403 && attempts.mutation && !attempts.csrf_retried) {
        attempts.csrf_retried = true;
        drop_csrf(csrf);
        return {};
    }
    if (error.code == ErrorCode::RateLimited && options.background && attempts.rate_waits < kMaxRateWaits) {
        const std::int64_t wait = retry_after_seconds(error);
        if (wait <= kMaxRetryAfterSeconds) {
            ++attempts.rate_waits;
            retries_.fetch_add(1);
            // With a pacer the next attempt waits in it (exchange told it Retry-After).
            if (!config_.pacer && !sleep_for(std::chrono::seconds(wait), options)) {
                return std::unexpected(cancelled());
            }
            return {};
        }
    }
    if (is_retryable_status(status) && attempts.idempotent && attempts.retries < kMaxRetries) {
        if (!sleep_for(backoff(attempts.retries++), options)) {
            return std::unexpected(cancelled());
        }
        retries_.fetch_add(1);
        return {};
    }
    return std::unexpected(std::move(error));
}

Result<json> PassAgentApi::request(std::string_view method, std::string_view path, const json& body,
                                   const RequestOptions& options) {
    std::string text;
    if (!body.is_null()) {
        text = body.dump(-1, ' ', false, json::error_handler_t::replace);
    } else if (is_mutation(method)) {
        text = "{}";
    }
    return request_text(method, path, std::move(text), options);
}

Result<json> PassAgentApi::request_text(std::string_view method, std::string_view path, std::string body,
                                        const RequestOptions& options) {
    auto response = exchange(method, path, body, options);
    http::wipe(body);
    if (!response) {
        return std::unexpected(response.error());
    }
    return parse_any(response->body);
}

Result<json> PassAgentApi::request_secret(std::string_view method, std::string_view path,
                                          const SecretBuffer& body, const RequestOptions& options) {
    auto response = exchange(method, path, {}, options, &body);
    if (!response) {
        return std::unexpected(response.error());
    }
    return parse_any(response->body);
}

Result<void> PassAgentApi::stream_sse(std::string_view path, const http::SseHandler& handler,
                                      const RequestOptions& options) {
    bool auth_retried = false;
    for (;;) {
        auto bearer = auth_->bearer();
        if (!bearer) {
            return std::unexpected(bearer.error());
        }
        http::HttpRequest request;
        request.url = api_url(endpoints_, path);
        request.headers.push_back(std::move(bearer->header));
        request.timeout = options.timeout;
        request.cancel = options.cancel;
        if (auto paced = pace(pace_category("GET", path), options); !paced) {
            return std::unexpected(paced.error());
        }
        requests_.fetch_add(1);
        auto response = http::stream_events(*client_, request, handler);
        if (!response) {
            return std::unexpected(response.error());
        }
        if (response->status >= 200 && response->status < 300) {
            return {};
        }
        Error error = map_error(Endpoint::Api, response->status, response->body, response->headers, now());
        if (response->status == 401 && error.code == ErrorCode::NotLoggedIn && !auth_retried) {
            auth_retried = true;
            if (auto refreshed = auth_->refresh(bearer->generation); !refreshed) {
                return std::unexpected(refreshed.error());
            }
            continue;
        }
        return std::unexpected(std::move(error));
    }
}

}  // namespace pah::passagent
