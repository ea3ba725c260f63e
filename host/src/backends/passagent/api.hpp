// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/passagent/auth.hpp"
#include "backends/passagent/wire.hpp"
#include "http/client.hpp"
#include "http/request_pacer.hpp"
#include "http/sse.hpp"
#include "protocol/error.hpp"

namespace pah::passagent {

struct ApiConfig {
    std::string server;    // PassAgent origin ("https://passagent.ai"; "/api" optional)
    std::string auth_url;  // Supabase origin; empty = the server's origin
    std::string anon_key;  // Supabase anon key (the `apikey` header)
    http::ClientOptions http;
    AuthSession::Clock clock;  // Unix seconds; empty = the system clock (tests move it)
    // Keeps /api requests inside the server's rate limits (http/request_pacer); shared
    // by every account on the same server. Null: not paced.
    std::shared_ptr<http::RequestPacer> pacer;
};

struct RequestOptions {
    // May be retried after a network error or a 500/502/503/504 (bounded, exponential
    // backoff with jitter). Default: GET and HEAD only.
    std::optional<bool> idempotent;
    // A request nobody is waiting on (sync): paced behind users' requests, it waits for
    // its turn as long as it takes, and a 429 waits Retry-After (≤ 60 s, at most three
    // times) and tries again instead of failing with RATE_LIMITED. A user's request
    // that would wait for the pacer longer than kUserPaceWait is RATE_LIMITED at once.
    bool background = false;
    std::chrono::milliseconds timeout{30'000};
    // Set from another thread to abandon the request and any wait (→ NETWORK).
    const std::atomic<bool>* cancel = nullptr;
    // The 2xx reply holds a secret: read without freed copies (HttpRequest::secret_reply);
    // the caller wipes the body.
    bool secret_reply = false;
};

struct ApiStats {
    std::uint64_t requests = 0;      // HTTP exchanges with /api (retries included)
    std::uint64_t retries = 0;       // backoff retries and Retry-After waits
    std::uint64_t csrf_fetches = 0;
    std::uint64_t refreshes = 0;     // token refreshes sent
};

struct ListProgress {
    std::size_t page = 0;         // 1-based number of the page just read
    std::size_t records = 0;      // records so far
    std::optional<std::int64_t> total;  // when the server says
};
// One page of records (deduplicated); return false to stop listing.
using PageHandler = std::function<bool(PasswordPage& page, const ListProgress& progress)>;

struct ListSummary {
    std::size_t pages = 0;
    std::size_t records = 0;
    std::size_t skipped = 0;  // malformed entries
    PagingStyle style = PagingStyle::Unpaged;
};

// The PassAgent REST API for one account. Thread-safe: any number of requests may run
// at once. Handles bearer auth (refresh before expiry and once after a 401, single-
// flight), the CSRF token of mutations (fetched once, refetched once after a 403),
// step-up (STEP_UP_REQUIRED, never a refresh), rate limits and retries. Returns JSON
// in checked shapes; turning records into secrets is the backend's job.
class PassAgentApi {
public:
    static Result<std::unique_ptr<PassAgentApi>> create(ApiConfig config);
    ~PassAgentApi();
    PassAgentApi(const PassAgentApi&) = delete;
    PassAgentApi& operator=(const PassAgentApi&) = delete;

    // ---- session
    // Signs in. OTP_REQUIRED when the account has 2FA: the session is kept and
    // verify_otp(code) finishes the sign-in.
    Result<void> login(std::string_view email, std::string_view password);
    // POST /api/2fa/verify {code}. BAD_CREDENTIALS for a wrong code.
    Result<void> verify_otp(std::string_view code);
    Result<void> logout();
    // Remembered sign-in (docs/local-store.md): a refresh token kept from an earlier run
    // is exchanged for a session; NOT_LOGGED_IN when the server refuses it.
    Result<void> resume(std::string_view email, SecretBuffer refresh_token);
    // The refresh token now, and every new one from now on (see AuthSession).
    [[nodiscard]] SecretBuffer refresh_token_copy(std::uint64_t& generation) const;
    void set_refresh_token_sink(AuthSession::RefreshTokenSink sink);
    [[nodiscard]] bool signed_in() const;
    [[nodiscard]] std::string user_id() const;
    [[nodiscard]] std::string email() const;

    // ---- generic
    // `path` is relative to /api ("/vault/salt"); `body` null for none. The reply body
    // parsed as JSON (null for an empty 2xx body); any non-2xx becomes an Error.
    Result<nlohmann::json> request(std::string_view method, std::string_view path,
                                   const nlohmann::json& body = nullptr, const RequestOptions& options = {});
    // The same with a body that is already JSON text and may hold a secret: it is wiped
    // when the call returns.
    Result<nlohmann::json> request_text(std::string_view method, std::string_view path, std::string body,
                                        const RequestOptions& options = {});
    // The same with a body in locked memory (a 2FA code), sent from there without a copy.
    Result<nlohmann::json> request_secret(std::string_view method, std::string_view path,
                                          const SecretBuffer& body, const RequestOptions& options = {});
    // GET of an event stream; each event to `handler` until it returns false, the
    // server ends the stream or options.cancel is set.
    Result<void> stream_sse(std::string_view path, const http::SseHandler& handler,
                            const RequestOptions& options = {});

    // ---- vault
    Result<SaltReply> vault_salt(const RequestOptions& options = {});
    Result<KeysReply> vault_keys(const RequestOptions& options = {});
    // Every password record, page by page, whichever paging the server speaks. `first`
    // is the first request: no cursor and no page (the default) lets the reply decide;
    // {.page = 1} asks for numbered pages from the start.
    Result<ListSummary> list_passwords(const PageHandler& on_page, const RequestOptions& options = {},
                                       PageRequest first = {});
    Result<nlohmann::json> get_password(std::string_view id);

    // ---- vault-entry TOTP
    Result<TotpConfig> totp_config(std::string_view id, const RequestOptions& options = {});
    Result<ServerTotpCode> totp_code(std::string_view id);  // GONE for zero-trust entries
    // {secretEncrypted: {iv, ciphertext}, algorithm?, digits?, period?}
    Result<void> set_totp(std::string_view id, const nlohmann::json& body);
    Result<void> delete_totp(std::string_view id);

    // ---- sharing
    Result<std::vector<std::uint8_t>> user_public_key(std::string_view email);  // NOT_FOUND: no account
    Result<SharesList> list_shares(std::string_view type, std::string_view account_id = {},
                                   const RequestOptions& options = {});  // owned|received
    Result<nlohmann::json> create_share(const nlohmann::json& body);  // STEP_UP_REQUIRED, CONFLICT, ...
    Result<nlohmann::json> update_share(std::string_view id, const nlohmann::json& body);
    Result<void> delete_share(std::string_view id);
    Result<void> log_share_view(std::string_view id, std::string_view action);  // password_viewed|password_copied

    // ---- session sharing
    // `body` is the JSON text of the request (it carries the decrypted password): wiped.
    Result<nlohmann::json> create_session_share(std::string body);
    Result<nlohmann::json> update_session_share(std::string_view id, const nlohmann::json& body);
    Result<void> delete_session_share(std::string_view id);
    using StatusHandler = std::function<bool(const SessionStatusEvent& event)>;
    // Follows the status stream until a final event (complete/timeout), `handler`
    // returns false, or options.cancel is set.
    Result<void> watch_session_share(std::string_view id, const StatusHandler& handler,
                                     const RequestOptions& options = {});

    // ---- account 2FA
    Result<nlohmann::json> twofa_enroll();
    Result<void> twofa_verify(std::string_view code);
    Result<nlohmann::json> twofa_status();
    Result<void> twofa_disable(std::string_view code);

    [[nodiscard]] ApiStats stats() const;
    [[nodiscard]] const Endpoints& endpoints() const noexcept { return endpoints_; }
    [[nodiscard]] http::HttpClient& http_client() noexcept { return *client_; }

private:
    PassAgentApi(ApiConfig config, Endpoints endpoints);
    // `secret_body`, when given, is sent instead of `body`, from locked memory.
    Result<http::HttpResponse> exchange(std::string_view method, std::string_view path,
                                        const std::string& body, const RequestOptions& options,
                                        const SecretBuffer* secret_body = nullptr);
    struct Attempts;
    Result<void> retry_network(Attempts& attempts, const Error& error, const RequestOptions& options);
    Result<void> retry_status(Attempts& attempts, long status, Error& error, std::uint64_t generation,
                              const std::string& csrf, const RequestOptions& options);
    Result<std::string> csrf_token(const RequestOptions& options);
    void drop_csrf(const std::string& used);
    bool sleep_for(std::chrono::milliseconds delay, const RequestOptions& options);
    // Waits for the pacer's go for a request of `category` (pacing.hpp).
    Result<void> pace(std::string_view category, const RequestOptions& options);
    std::int64_t now() const;

    ApiConfig config_;
    Endpoints endpoints_;
    std::unique_ptr<http::HttpClient> client_;
    std::unique_ptr<AuthSession> auth_;

    std::mutex csrf_mutex_;        // guards csrf_
    std::mutex csrf_fetch_mutex_;  // one CSRF fetch at a time
    std::string csrf_;

    std::atomic<std::uint64_t> requests_{0};
    std::atomic<std::uint64_t> retries_{0};
    std::atomic<std::uint64_t> csrf_fetches_{0};
};

}  // namespace pah::passagent
