// SPDX-License-Identifier: MIT
#include "backends/passagent/api.hpp"

#include <algorithm>
#include <thread>
#include <unordered_set>
#include <utility>

#include <sodium.h>

#include "http/url.hpp"
#include "log/log.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

constexpr int kMaxRetries = 3;                        // backoff retries per request
constexpr int kMaxRateWaits = 3;                      // Retry-After waits per background request
constexpr std::int64_t kMaxRetryAfterSeconds = 60;    // longer waits are the caller's to decide
constexpr std::chrono::milliseconds kBackoffBase{250};
constexpr std::chrono::milliseconds kBackoffCap{4000};
constexpr std::size_t kMaxPages = 10'000;

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
    json reply = json::parse(body, nullptr, false);
    if (reply.is_discarded()) {
        return fail(ErrorCode::BadFormat, "The PassAgent server sent a reply that is not JSON.");
    }
    return reply;
}

Result<void> ok_or(Result<json>&& reply) {
    if (!reply) {
        return std::unexpected(reply.error());
    }
    return {};
}

}  // namespace

Result<std::unique_ptr<PassAgentApi>> PassAgentApi::create(ApiConfig config) {
    auto endpoints = make_endpoints(config.server, config.auth_url);
    if (!endpoints) {
        return std::unexpected(endpoints.error());
    }
    if (!is_header_safe(config.anon_key)) {
        return fail(ErrorCode::BadRequest, "The PassAgent anon key is missing or malformed.");
    }
    return std::unique_ptr<PassAgentApi>(new PassAgentApi(std::move(config), std::move(*endpoints)));
}

PassAgentApi::PassAgentApi(ApiConfig config, Endpoints endpoints)
    : config_(std::move(config)),
      endpoints_(std::move(endpoints)),
      client_(std::make_unique<http::HttpClient>(config_.http)),
      auth_(std::make_unique<AuthSession>(*client_, endpoints_, config_.anon_key, config_.clock)) {}

PassAgentApi::~PassAgentApi() = default;

std::int64_t PassAgentApi::now() const {
    if (config_.clock) {
        return config_.clock();
    }
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ApiStats PassAgentApi::stats() const {
    return {requests_.load(), retries_.load(), csrf_fetches_.load(), auth_->refresh_count()};
}

// ---------------------------------------------------------------- session

Result<void> PassAgentApi::login(std::string_view email, std::string_view password) {
    {
        std::lock_guard lock(csrf_mutex_);
        http::wipe(csrf_);
    }
    if (auto signed_in = auth_->sign_in(email, password); !signed_in) {
        return signed_in;
    }
    if (auth_->mfa_pending()) {
        return fail(ErrorCode::OtpRequired, "Enter the code from your authenticator app to finish signing in.");
    }
    return {};
}

Result<void> PassAgentApi::verify_otp(std::string_view code) {
    if (!auth_->signed_in()) {
        return fail(ErrorCode::NotLoggedIn, "Sign in to PassAgent first.");
    }
    auto verified = twofa_verify(code);
    if (verified) {
        auth_->set_mfa_done();
    }
    return verified;
}

Result<void> PassAgentApi::logout() {
    {
        std::lock_guard lock(csrf_mutex_);
        http::wipe(csrf_);
    }
    return auth_->logout();
}

bool PassAgentApi::signed_in() const { return auth_->signed_in(); }
std::string PassAgentApi::user_id() const { return auth_->user_id(); }
std::string PassAgentApi::email() const { return auth_->email(); }

// ---------------------------------------------------------------- plumbing

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
    // Facts: GET /api/auth/csrf-token → {csrfToken}. ASSUMPTION (passagent-api.md,
    // Assumptions): the CSRF route itself needs no bearer token.
    http::HttpRequest request;
    request.url = api_url(endpoints_, "/auth/csrf-token");
    request.headers = {"Accept: application/json"};
    request.timeout = options.timeout;
    request.cancel = options.cancel;
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

Result<http::HttpResponse> PassAgentApi::exchange(std::string_view method, std::string_view path,
                                                  const std::string& body, const RequestOptions& options) {
    const bool mutation = is_mutation(method);
    const bool idempotent = options.idempotent.value_or(!mutation);
    bool csrf_retried = false;
    bool auth_retried = false;
    int retries = 0;
    int rate_waits = 0;
    const std::string log_path = path_only(path);

    for (;;) {
        if (options.cancel != nullptr && options.cancel->load()) {
            return fail(ErrorCode::Network, "The request to PassAgent was cancelled.");
        }
        auto bearer = auth_->bearer();
        if (!bearer) {
            return std::unexpected(bearer.error());
        }
        std::string csrf;
        if (mutation) {
            // Facts: every POST/PATCH/DELETE carries x-csrf-token.
            auto token = csrf_token(options);
            if (!token) {
                return std::unexpected(token.error());
            }
            csrf = std::move(*token);
        }
        http::HttpRequest request;
        request.method = std::string(method);
        request.url = api_url(endpoints_, path);
        request.headers.push_back(std::move(bearer->header));
        request.headers.emplace_back("Accept: application/json");
        if (mutation) {
            request.headers.push_back("x-csrf-token: " + csrf);
            request.headers.emplace_back("Content-Type: application/json");
            request.body = body;  // a copy: the client wipes it, the caller's stays for a retry
        }
        request.timeout = options.timeout;
        request.cancel = options.cancel;
        requests_.fetch_add(1);
        auto response = client_->send(request);

        if (!response) {
            if (response.error().code == ErrorCode::Network && idempotent && retries < kMaxRetries &&
                (options.cancel == nullptr || !options.cancel->load())) {
                log::debug("passagent", std::string(method) + " " + log_path + ": " + response.error().message +
                                            "; retrying");
                if (!sleep_for(backoff(retries++), options)) {
                    return fail(ErrorCode::Network, "The request to PassAgent was cancelled.");
                }
                retries_.fetch_add(1);
                continue;
            }
            return std::unexpected(response.error());
        }
        const long status = response->status;
        log::debug("passagent", std::string(method) + " " + log_path + " -> " + std::to_string(status));
        if (status >= 200 && status < 300) {
            return response;
        }
        Error error = map_error(Endpoint::Api, status, response->body, response->headers, now());

        // A plain 401 is an expired or revoked token: one refresh (shared with any
        // other thread that saw the same token fail), one retry. Step-up, MFA and a
        // wrong 2FA code are not token problems.
        if (status == 401 && error.code == ErrorCode::NotLoggedIn && !auth_retried) {
            auth_retried = true;
            if (auto refreshed = auth_->refresh(bearer->generation); !refreshed) {
                return std::unexpected(refreshed.error());
            }
            continue;
        }
        // Facts: a missing or stale CSRF token gets 403; fetch anew once.
        if (status == 403 && mutation && !csrf_retried) {
            csrf_retried = true;
            drop_csrf(csrf);
            continue;
        }
        if (error.code == ErrorCode::RateLimited && options.background && rate_waits < kMaxRateWaits) {
            const auto wait = error.extra.is_object() && error.extra.contains("retryAfter")
                                  ? error.extra["retryAfter"].get<std::int64_t>()
                                  : std::int64_t{1};
            if (wait <= kMaxRetryAfterSeconds) {
                ++rate_waits;
                retries_.fetch_add(1);
                if (!sleep_for(std::chrono::seconds(std::max<std::int64_t>(wait, 1)), options)) {
                    return fail(ErrorCode::Network, "The request to PassAgent was cancelled.");
                }
                continue;
            }
        }
        if (is_retryable_status(status) && idempotent && retries < kMaxRetries) {
            if (!sleep_for(backoff(retries++), options)) {
                return fail(ErrorCode::Network, "The request to PassAgent was cancelled.");
            }
            retries_.fetch_add(1);
            continue;
        }
        return std::unexpected(std::move(error));
    }
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

// ---------------------------------------------------------------- typed calls

namespace {

template <class T, class Parse>
Result<T> typed(Result<http::HttpResponse>&& response, Parse&& parse) {
    if (!response) {
        return std::unexpected(response.error());
    }
    return parse(response->body);
}

}  // namespace

Result<SaltReply> PassAgentApi::vault_salt(const RequestOptions& options) {
    return typed<SaltReply>(exchange("GET", "/vault/salt", {}, options), parse_salt_reply);
}

Result<KeysReply> PassAgentApi::vault_keys(const RequestOptions& options) {
    return typed<KeysReply>(exchange("GET", "/vault/keys", {}, options), parse_keys_reply);
}

Result<ListSummary> PassAgentApi::list_passwords(const PageHandler& on_page, const RequestOptions& options,
                                                 PageRequest first) {
    ListSummary summary;
    PageRequest asked = std::move(first);
    std::unordered_set<std::string> seen_ids;
    std::unordered_set<std::string> seen_cursors;
    for (;;) {
        auto response = exchange("GET", passwords_path(asked), {}, options);
        if (!response) {
            return std::unexpected(response.error());
        }
        auto page = parse_password_page(response->body, asked);
        if (!page) {
            return std::unexpected(page.error());
        }
        ++summary.pages;
        summary.style = page->style;
        summary.skipped += page->skipped;
        // Drop records seen on an earlier page (a server that ignores the cursor, or a
        // record that moved while we were paging).
        const std::size_t before = page->records.size();
        std::erase_if(page->records, [&](const json& r) { return !seen_ids.insert(r["id"].get<std::string>()).second; });
        const bool nothing_new = before > 0 && page->records.empty();
        summary.records += page->records.size();
        const ListProgress progress{summary.pages, summary.records, page->total};
        if (on_page && !on_page(*page, progress)) {
            break;
        }
        if (nothing_new || summary.pages >= kMaxPages) {
            break;
        }
        if (page->next_page) {
            asked.page = page->next_page;
            asked.cursor.reset();
        } else if (page->next_cursor && seen_cursors.insert(*page->next_cursor).second) {
            asked.cursor = page->next_cursor;
            asked.page.reset();
        } else {
            break;
        }
    }
    return summary;
}

Result<json> PassAgentApi::get_password(std::string_view id) {
    auto reply = request("GET", "/passwords/" + segment(id));
    if (!reply) {
        return reply;
    }
    json record = reply->is_object() && reply->contains("data") ? (*reply)["data"] : *reply;
    if (!record.is_object() || !record.contains("id")) {
        return fail(ErrorCode::BadFormat, "The PassAgent server sent a record without an id.");
    }
    return record;
}

Result<TotpConfig> PassAgentApi::totp_config(std::string_view id) {
    return typed<TotpConfig>(exchange("GET", "/passwords/" + segment(id) + "/totp", {}, {}), parse_totp_config);
}

Result<ServerTotpCode> PassAgentApi::totp_code(std::string_view id) {
    return typed<ServerTotpCode>(exchange("GET", "/passwords/" + segment(id) + "/totp/code", {}, {}),
                                 parse_totp_code);
}

Result<void> PassAgentApi::set_totp(std::string_view id, const json& body) {
    if (!body.is_object() || !body.contains("secretEncrypted")) {
        return fail(ErrorCode::BadRequest, "A TOTP secret to store needs secretEncrypted.");
    }
    return ok_or(request("POST", "/passwords/" + segment(id) + "/totp", body));
}

Result<void> PassAgentApi::delete_totp(std::string_view id) {
    return ok_or(request("DELETE", "/passwords/" + segment(id) + "/totp"));
}

Result<std::vector<std::uint8_t>> PassAgentApi::user_public_key(std::string_view email) {
    return typed<std::vector<std::uint8_t>>(
        exchange("GET", "/users/public-key?email=" + http::percent_encode(email), {}, {}), parse_public_key_reply);
}

Result<SharesList> PassAgentApi::list_shares(std::string_view type, std::string_view account_id) {
    if (type != "owned" && type != "received") {
        return fail(ErrorCode::BadRequest, "The share list type is \"owned\" or \"received\".");
    }
    std::string path = "/sharing?type=" + std::string(type);
    if (!account_id.empty()) {
        path += "&accountId=" + http::percent_encode(account_id);
    }
    return typed<SharesList>(exchange("GET", path, {}, {}), parse_shares_list);
}

Result<json> PassAgentApi::create_share(const json& body) {
    const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return typed<json>(exchange("POST", "/sharing", text, {}), parse_share_created);
}

Result<json> PassAgentApi::update_share(std::string_view id, const json& body) {
    return request("PATCH", "/sharing/" + segment(id), body);
}

Result<void> PassAgentApi::delete_share(std::string_view id) {
    return ok_or(request("DELETE", "/sharing/" + segment(id)));
}

Result<void> PassAgentApi::log_share_view(std::string_view id, std::string_view action) {
    if (action != "password_viewed" && action != "password_copied") {
        return fail(ErrorCode::BadRequest, "A share view is \"password_viewed\" or \"password_copied\".");
    }
    // ASSUMPTION (passagent-api.md, Assumptions): answers 200 {success: true}; needs CSRF.
    return ok_or(request("POST", "/sharing/" + segment(id) + "/view", json{{"action", action}}));
}

Result<json> PassAgentApi::create_session_share(std::string body) {
    auto response = exchange("POST", "/session-shares", body, {});
    http::wipe(body);
    return typed<json>(std::move(response), parse_session_share_created);
}

Result<json> PassAgentApi::update_session_share(std::string_view id, const json& body) {
    return request("PATCH", "/session-shares/" + segment(id), body);
}

Result<void> PassAgentApi::delete_session_share(std::string_view id) {
    return ok_or(request("DELETE", "/session-shares/" + segment(id)));
}

Result<void> PassAgentApi::watch_session_share(std::string_view id, const StatusHandler& handler,
                                               const RequestOptions& options) {
    Error bad;
    bool failed = false;
    RequestOptions stream_options = options;
    if (stream_options.timeout == RequestOptions{}.timeout) {
        // Facts (seed 000): the server polls for up to 5 minutes.
        stream_options.timeout = std::chrono::minutes(6);
    }
    auto streamed = stream_sse(
        "/session-shares/" + segment(id) + "/status",
        [&](const http::SseEvent& event) {
            auto parsed = parse_session_status_event(event.type, event.data);
            if (!parsed) {
                bad = parsed.error();
                failed = true;
                return false;
            }
            const bool go_on = handler ? handler(*parsed) : true;
            return go_on && !parsed->final;
        },
        stream_options);
    if (!streamed) {
        return streamed;
    }
    if (failed) {
        return std::unexpected(bad);
    }
    return {};
}

Result<json> PassAgentApi::twofa_enroll() {
    return typed<json>(exchange("POST", "/2fa/enroll", "{}", {}), parse_twofa_enroll);
}

Result<void> PassAgentApi::twofa_verify(std::string_view code) {
    std::string body = "{\"code\":";
    append_json_string(body, code);
    body.push_back('}');
    auto reply = request_text("POST", "/2fa/verify", std::move(body));
    if (!reply) {
        return std::unexpected(reply.error());
    }
    if (!reply->is_object() || reply->value("verified", false) != true) {
        return fail(ErrorCode::BadCredentials, "The verification code is wrong.");
    }
    return {};
}

Result<json> PassAgentApi::twofa_status() {
    return typed<json>(exchange("GET", "/2fa/status", {}, {}), parse_twofa_status);
}

Result<void> PassAgentApi::twofa_disable(std::string_view code) {
    std::string body = "{\"code\":";
    append_json_string(body, code);
    body.push_back('}');
    return ok_or(request_text("POST", "/2fa/disable", std::move(body)));
}

}  // namespace pah::passagent
